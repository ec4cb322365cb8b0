// The desk's sync engine against the real server over TLS: a backlog drains with every scan intact,
// exactly once even when the answer to a push is lost after the server committed it; a refused
// letter waits for a person with the server's reason and can be corrected, sent again or discarded;
// work done with the server down (offline sign-in, numbers from a leased block) arrives when it
// comes back; three offline desks never give the same number; and a server the desk must not trust
// is refused with a message in Bahasa Indonesia.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevCertificates } from '../../dev/server-ca.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { AppError } from '../../common/errors.ts';
import { hashPassword } from '../../common/passwords.ts';
import { NumberAllocator } from '../../main/letters/numbering/numbering.ts';
import type { Letter } from '../../main/store/letters.ts';
import type { LeasedBlock } from '../../main/letters/numbering/number-blocks.ts';
import { createTestTls, httpsRequest, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

/** A TCP relay in front of the server whose connections the test can cut at any moment. */
async function startRelay(targetPort: number) {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const relay: TcpServer = createTcpServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a);
      a.on('data', (d: Buffer) => b.write(d));
      a.on('error', () => b.destroy());
      a.on('close', () => { sockets.delete(a); b.destroy(); });
    }
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as { port: number }).port,
    /** Cut every connection open now: whatever answer was under way is lost. */
    cutAll() { for (const s of sockets) s.destroy(); cuts++; },
    get cuts() { return cuts; },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); relay.close(() => r()); }),
  };
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const desks: TestDesk[] = [];
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 100 } } });
  });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
  });

  async function desk(url = srv.url, dir?: string): Promise<TestDesk> {
    const d = await startTestDesk({ serverUrl: url, caFile: tls.trusted.caCert, ...(dir ? { dir } : {}) });
    desks.push(d);
    return d;
  }
  const serverLetters = (officeId: string) =>
    srv.server.db.selectFrom('letters').select(['id', 'agenda_number', 'year']).where('office_id', '=', officeId).execute();
  async function serverBlob(sha256: string, token: string): Promise<Buffer> {
    const reply = await httpsRequest(`${srv.url}/blobs/${sha256}`, { caFile: tls.trusted.caCert, headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    return reply.body;
  }

  it('signs in online, drains a backlog of letters with their scans, and each arrives once with its bytes intact', async () => {
    const d = await desk();
    const session = await d.sync.auth.login('operator.dinkes', demoPassword);
    expect(session).toMatchObject({ mode: 'online', user: { username: 'operator.dinkes', officeId: 'office-dinkes', officeName: 'Dinas Kesehatan', roles: ['operator_utama'] } });
    // What the desk keeps for offline sign-in: a verifier, never the password; the refresh token in an owner-only file.
    const keychain = join(d.dir, 'keychain.json');
    expect(statSync(keychain).mode & 0o777).toBe(0o600);
    expect(readFileSync(keychain, 'utf8')).not.toContain(demoPassword);
    const account = d.store.sync.account('operator.dinkes')!;
    expect(account.verifier).toMatch(/^scrypt\$/);
    expect(JSON.stringify(account)).not.toContain(demoPassword);
    // The sign-in woke the engine; its round ends before the backlog is made, so the 30 are counted as waiting.
    await d.sync.engine.syncNow();
    const block = await d.sync.numberBlocks.lease('in', 2026, 30);
    const letters = [];
    for (let n = block.first; n < block.first + 30; n++) letters.push(await d.register(n, { pdfBytes: 30_000 + n }));
    expect(d.sync.engine.status().counts.pending).toBe(30);

    const status = await d.sync.engine.syncNow();
    expect(status).toMatchObject({ state: 'idle', counts: { pending: 0, in_progress: 0, failed: 0, rejected: 0 }, lastError: null });
    const onServer = await serverLetters('office-dinkes');
    for (const letter of letters) expect(onServer.filter((l) => l.id === letter.id)).toHaveLength(1);
    const token = await d.sync.auth.accessToken();
    for (const letter of letters.slice(0, 5)) {
      const bytes = await serverBlob(letter.documentHash!, token);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(letter.documentHash);
      expect(bytes.equals(await d.blobs.read(letter.documentHash!))).toBe(true);
    }
    // The desk's activity log is merged into the server's chain, each entry once.
    const deskEntries = await srv.server.db.selectFrom('audit_log').select(['action', 'details']).where('source', '=', 'desk').where('device_id', '=', d.store.sync.deviceId()).execute();
    expect(deskEntries.filter((e) => e.action === 'letter.registered')).toHaveLength(30);
    await d.sync.engine.syncNow();
    expect(await srv.server.db.selectFrom('audit_log').select('seq').where('source', '=', 'desk').where('device_id', '=', d.store.sync.deviceId()).execute()).toHaveLength(deskEntries.length);
    // The feed came back into the local store: the server's view of the letters is on this desk.
    expect(d.store.sync.remote('letter', letters[0]!.id)).toMatchObject({ id: letters[0]!.id, agendaNumber: block.first });
  });

  it('a push whose answer is lost after the server committed is sent again and applied exactly once', async () => {
    const relay = await startRelay(Number(new URL(srv.url).port));
    try {
      const d = await desk(`https://127.0.0.1:${relay.port}`);
      await d.sync.auth.login('admin.dinkes', demoPassword);
      const block = await d.sync.numberBlocks.lease('in', 2026, 20);
      const letters: Letter[] = [];
      for (let n = block.first; n < block.first + 20; n++) letters.push(await d.register(n));
      const before = Number((await srv.server.db.selectFrom('applied_mutations').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'letter.register').executeTakeFirstOrThrow()).n);
      // Cut every connection the moment the server has applied the push (its audit shows the letters).
      const watcher = setInterval(() => {
        void srv.server.db.selectFrom('letters').select('id').where('id', '=', letters.at(-1)!.id).executeTakeFirst().then((row) => {
          if (row && relay.cuts === 0) relay.cutAll();
        });
      }, 1);
      const first = await d.sync.engine.syncNow();
      clearInterval(watcher);
      // The lost answer is either resent at once on a fresh connection (a dropped kept-alive socket) or
      // left for the next round; either way the server answers `duplicate` and applies nothing twice.
      expect(['idle', 'waiting']).toContain(first.state);
      const second = await d.sync.engine.syncNow();
      expect(second.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
      const onServer = await serverLetters('office-dinkes');
      for (const letter of letters) expect(onServer.filter((l) => l.id === letter.id)).toHaveLength(1);
      const after = Number((await srv.server.db.selectFrom('applied_mutations').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'letter.register').executeTakeFirstOrThrow()).n);
      expect(after - before).toBe(20);
      expect(relay.cuts).toBe(1);
    } finally {
      await relay.close();
    }
  });

  it('a letter the server refuses waits for a person with the reason; corrected it is sent again, or discarded — each audited', async () => {
    const d = await desk();
    await d.sync.auth.login('operator.dinkes', demoPassword);
    const block = await d.sync.numberBlocks.lease('in', 2026, 3);
    const missingNumber = await d.register(block.first, { letterNumber: null });
    const notLeased = await d.register(block.last + 5000);
    const fine = await d.register(block.first + 1);
    const status = await d.sync.engine.syncNow();
    expect(status.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 2 });
    const { items } = await d.sync.handlers['sync.queue']({}, { origin: 'test' });
    const byLetter = new Map(items.map((i) => [i.entityId, i]));
    expect(byLetter.get(missingNumber.id)).toMatchObject({ state: 'rejected', editable: true, problem: { code: 'VALIDATION' } });
    expect(byLetter.get(missingNumber.id)!.problem!.message).toMatch(/tidak sesuai.*\(nomor surat\)/);
    expect(byLetter.get(notLeased.id)!.problem).toMatchObject({ code: 'AGENDA_NUMBER_NOT_LEASED', message: expect.stringContaining('blok nomor') });
    expect(byLetter.has(fine.id)).toBe(false);

    const edited = await d.sync.handlers['sync.edit']({ seq: byLetter.get(missingNumber.id)!.seq, changes: { letterNumber: '800/77/PKM/2026' } }, { origin: 'test' });
    expect(edited.state).toBe('pending');
    await d.sync.handlers['sync.discard']({ seq: byLetter.get(notLeased.id)!.seq }, { origin: 'test' });
    const after = await d.sync.engine.syncNow();
    expect(after.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    const onServer = await srv.server.db.selectFrom('letters').select(['id', 'letter_number']).where('id', 'in', [missingNumber.id, notLeased.id]).execute();
    expect(onServer).toEqual([{ id: missingNumber.id, letter_number: '800/77/PKM/2026' }]);
    // The discarded letter is still on this desk, and who did what is in the desk's audit log.
    expect(d.store.letters.get(notLeased.id)).toBeDefined();
    const actions = d.store.audit.list({ limit: 1000 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['sync.rejected', 'letter.updated', 'sync.retried', 'sync.discarded']));
    expect(d.store.audit.verify().ok).toBe(true);
  });

  it('with the server stopped: offline sign-in, 50 letters numbered from the leased block; all arrive with their numbers once it is back', async () => {
    const port = Number(new URL(srv.url).port);
    const first = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: mkdtempSync(join(tmpdir(), 'loket-desk-')) });
    await first.sync.auth.login('operator.disdik', demoPassword);
    const block = await first.sync.numberBlocks.lease('in', 2026, 50);
    // The desk is closed (end of the day) and opened again the next morning, when the server is down.
    await first.close();
    await srv.server.close();
    const d = await desk(srv.url, first.dir);
    try {
      await expect(d.sync.auth.login('operator.disdik', 'salah-sandi-123')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
      await expect(d.sync.auth.login('admin.disdik', demoPassword)).rejects.toMatchObject({ code: 'AUTH_OFFLINE_UNKNOWN' });
      const offline = await d.sync.auth.login('operator.disdik', demoPassword);
      expect(offline.mode).toBe('offline');
      const allocator = new NumberAllocator({ blocks: [{ office: 'disdik', year: 2026, from: block.first, to: block.last }], lastIssued: [] });
      const letters = [];
      for (let i = 0; i < 50; i++) letters.push(await d.register(allocator.next('disdik', 2026)));
      const down = await d.sync.engine.syncNow();
      expect(down.state).toBe('waiting');
      expect(down.lastError?.code).toBe('SERVER_UNREACHABLE');
      expect(down.counts.pending + down.counts.in_progress).toBe(50);
    } finally {
      srv = await startTestServer({ databases, tls, config: { port, database: srv.config.database, blobDir: srv.config.blobDir, numbering: { blockSize: 100 } }, seed: false });
    }
    const up = await d.sync.engine.syncNow();
    expect(up.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    expect(d.sync.session.current()?.mode).toBe('online');
    const numbers = (await serverLetters('office-disdik')).filter((l) => l.agenda_number >= block.first && l.agenda_number <= block.last).map((l) => l.agenda_number);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => block.first + i));
  });

  it('signed out and in again while the server is down: the offline session goes online by itself once it is back; a password changed there meanwhile asks for a new sign-in', async () => {
    const port = Number(new URL(srv.url).port);
    const d = await desk();
    const other = await desk();
    await d.sync.auth.login('admin.disdik', demoPassword);
    await other.sync.auth.login('staf.dinkes', demoPassword);
    const block = await d.sync.numberBlocks.lease('in', 2026, 5);
    await srv.server.close();
    try {
      // Signing out with the server away forgets the desk's refresh token; the server never hears of it.
      await d.sync.auth.logout();
      await other.sync.auth.logout();
      expect((await d.sync.auth.login('admin.disdik', demoPassword)).mode).toBe('offline');
      expect((await other.sync.auth.login('staf.dinkes', demoPassword)).mode).toBe('offline');
      await d.register(block.first);
      expect((await d.sync.engine.syncNow()).state).toBe('waiting');
    } finally {
      srv = await startTestServer({ databases, tls, config: { port, database: srv.config.database, blobDir: srv.config.blobDir, numbering: { blockSize: 100 } }, seed: false });
    }
    await srv.server.db.updateTable('users').set({ password_hash: await hashPassword('Sandi-Baru-2026') }).where('username', '=', 'staf.dinkes').execute();

    const up = await d.sync.engine.syncNow();
    expect(up).toMatchObject({ state: 'idle', lastError: null, counts: { pending: 0, in_progress: 0, failed: 0, rejected: 0 } });
    expect(d.sync.session.current()?.mode).toBe('online');
    expect(d.store.audit.list().map((e) => e.action)).toContain('auth.online');

    const refused = await other.sync.engine.syncNow();
    expect(refused.state).toBe('sign-in-needed');
    expect(refused.lastError).toMatchObject({ code: 'AUTH_SERVER_SIGN_IN' });
    expect(refused.lastError?.message).toContain('masuk lagi');
    expect(other.sync.session.current()?.mode).toBe('offline');
  });

  it('three desks of one office numbering offline at once never give the same number', async () => {
    const trio = [await desk(), await desk(), await desk()];
    const blocks: LeasedBlock[] = [];
    for (const d of trio) {
      await d.sync.auth.login('admin.setda', demoPassword);
      blocks.push(await d.sync.numberBlocks.lease('in', 2026, 10));
    }
    await Promise.all(trio.map(async (d, i) => {
      const allocator = new NumberAllocator({ blocks: [{ office: 'setda', year: 2026, from: blocks[i]!.first, to: blocks[i]!.last }], lastIssued: [] });
      for (let k = 0; k < 10; k++) await d.register(allocator.next('setda', 2026));
    }));
    const results = await Promise.all(trio.map((d) => d.sync.engine.syncNow()));
    for (const r of results) expect(r.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    const numbers = (await serverLetters('office-setda')).map((l) => l.agenda_number);
    expect(numbers).toHaveLength(30);
    expect(new Set(numbers).size).toBe(30);
  });
});

describe('TLS: a server the desk must not trust is refused with a clear message', () => {
  const databases = new Databases('sqlite');
  afterAll(() => databases.stop());

  async function attempt(certs: { serverCert: string; serverKey: string }, caFile: string) {
    const srv = await startTestServer({ databases, tls: { ...tls, trusted: { ...tls.trusted, ...certs } } });
    const d = await startTestDesk({ serverUrl: srv.url, caFile });
    try {
      return await d.sync.auth.login('operator.dinkes', demoPassword).then(() => undefined, (err: unknown) => err);
    } finally {
      await d.close();
      await srv.close();
    }
  }

  it('wrong CA, expired certificate, certificate for another host', async () => {
    // A valid CA whose server certificate ran out yesterday.
    const expired = createDevCertificates(join(tls.dir, 'expired'), { name: 'Loket Expired CA' });
    execFileSync('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-out', 'server.pem', '-days', '-1', '-extfile', 'server.ext'], { cwd: expired.dir, stdio: 'ignore' });
    const otherHost = createDevCertificates(join(tls.dir, 'other-host'), { name: 'Loket Other Host CA', hosts: ['eoffice.contoh.go.id'] });
    const wrongCa = await attempt(tls.trusted, tls.other.caCert);
    const old = await attempt(expired, expired.caCert);
    const mismatch = await attempt(otherHost, otherHost.caCert);
    for (const [err, code, words] of [[wrongCa, 'SERVER_TLS_UNTRUSTED', /tidak diterbitkan oleh otoritas/], [old, 'SERVER_TLS_EXPIRED', /kedaluwarsa/], [mismatch, 'SERVER_TLS_HOSTNAME', /alamat lain/]] as const) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code, message: expect.stringMatching(words) });
    }
  });

  it('a certificate for the wrong purpose, signed with SHA-1, with an RSA key under 2048 bits or marked CA:TRUE is refused by name, not as "unreachable"', async () => {
    // One trusted CA; each server certificate it signs has one flaw (the key is RSA unless stated).
    const ca = createDevCertificates(join(tls.dir, 'flawed'), { name: 'Loket Flawed CA' });
    const issue = (name: string, ext: string, { bits = 2048, digest = 'sha256' } = {}) => {
      const run = (args: string[]) => execFileSync('openssl', args, { cwd: ca.dir, stdio: 'ignore' });
      run(['req', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1']);
      writeFileSync(join(ca.dir, `${name}.ext`), `subjectAltName=IP:127.0.0.1\n${ext}\n`);
      run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', `-${digest}`, '-extfile', `${name}.ext`]);
      return { serverCert: join(ca.dir, `${name}.pem`), serverKey: join(ca.dir, `${name}.key`) };
    };
    const leaf = 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth';
    const sound = await attempt(issue('sound', leaf), ca.caCert);
    expect(sound).toBeUndefined();
    const cases = [
      [issue('purpose', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth'), 'SERVER_TLS_PURPOSE', /tidak dibuat untuk server/],
      [issue('sha1', leaf, { digest: 'sha1' }), 'SERVER_TLS_WEAK', /SHA-1/],
      [issue('rsa1024', leaf, { bits: 1024 }), 'SERVER_TLS_WEAK', /2048 bit/],
      [issue('ca-true', 'basicConstraints=CA:TRUE\nextendedKeyUsage=serverAuth'), 'SERVER_TLS_CA_CERT', /sertifikat otoritas/],
    ] as const;
    for (const [certs, code, words] of cases) {
      const err = await attempt(certs, ca.caCert);
      expect(err, code).toBeInstanceOf(AppError);
      expect(err, code).toMatchObject({ code, message: expect.stringMatching(words) });
    }
  });

  it('plain http:// is refused unless it is loopback in development', async () => {
    const d = await startTestDesk({ serverUrl: 'http://eoffice.contoh.go.id', caFile: tls.trusted.caCert });
    try {
      await expect(d.sync.auth.login('operator.dinkes', demoPassword)).rejects.toMatchObject({ code: 'SERVER_INSECURE', message: expect.stringContaining('https://') });
    } finally {
      await d.close();
    }
  });
});
