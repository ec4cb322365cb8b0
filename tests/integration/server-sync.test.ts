// A front-office desk synchronising with the central server: letters registered offline arrive
// exactly once however the push is replayed, agenda numbers from leased blocks never collide across
// desks, a scan upload cut off halfway resumes where it stopped and is verified by its SHA-256, and
// each office sees only its own letters and the ones sent to it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { Change } from '../../common/protocol/index.ts';
import type { MutationResult, PullReply } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const year = 2026;
const chunk = 64 * 1024;
const code = (json: unknown) => (json as { error: { code: string } }).error.code;

function registration(agendaNumber: number, extra: Record<string, unknown> = {}) {
  return {
    id: uuidv7(),
    kind: 'letter.register',
    payload: {
      letterId: uuidv7(), direction: 'in', year, agendaNumber, receivedAt: '2026-03-02T09:15:00+07:00',
      letterNumber: `800/${agendaNumber}/DINKES/2026`, letterDate: '2026-02-27', sender: 'Puskesmas Kecamatan Utara', addressee: 'Kepala Dinas Kesehatan',
      subject: 'Permohonan tambahan vaksin', summary: 'Stok vaksin menipis menjelang program imunisasi.', urgency: 'segera', security: 'biasa',
      classification: '440', attachments: [], ...extra,
    },
  };
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let clerk: Session;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 10 }, limits: { jsonBodyBytes: 1024 * 1024, chunkBytes: chunk, pushMutations: 500 } } });
    clerk = await srv.login('operator.dinkes', 'desk-dinkes-01');
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  const push = async (session: Session, mutations: unknown[]) => {
    const reply = await srv.call('POST', '/sync/push', { token: session.accessToken, json: { mutations } });
    expect(reply.status, reply.body.toString()).toBe(200);
    return (reply.json as { results: MutationResult[] }).results;
  };
  const lease = async (session: Session, book = 'in') => {
    const reply = await srv.call('POST', '/numbering/lease', { token: session.accessToken, json: { book, year } });
    expect(reply.status, reply.body.toString()).toBe(201);
    return reply.json as { leaseId: string; first: number; last: number };
  };
  const pullAll = async (session: Session, limit = 500) => {
    const changes: Change[] = [];
    let cursor = 0;
    for (;;) {
      const reply = await srv.call('GET', `/sync/pull?cursor=${cursor}&limit=${limit}`, { token: session.accessToken });
      const page = reply.json as PullReply;
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return changes;
    }
  };
  const countLetters = async (letterId: string) =>
    Number((await srv.server.db.selectFrom('letters').select((eb) => eb.fn.countAll().as('n')).where('id', '=', letterId).executeTakeFirstOrThrow()).n);

  describe('push, exactly once', () => {
    it('a mutation id another office used is not answered duplicate: this office\'s mutation is applied', async () => {
      const disdik = await srv.login('operator.disdik', 'desk-disdik-dup');
      const theirs = registration((await lease(disdik)).first);
      expect(await push(disdik, [theirs])).toEqual([{ id: theirs.id, status: 'applied' }]);
      // The same id (seen, guessed or replayed) in this office's push: nothing is told about the other office.
      const mine = { ...registration((await lease(clerk)).first), id: theirs.id };
      expect(await push(clerk, [mine])).toEqual([{ id: theirs.id, status: 'applied' }]);
      expect(await countLetters(mine.payload.letterId)).toBe(1);
      expect(await push(clerk, [mine])).toEqual([{ id: theirs.id, status: 'duplicate' }]);
    });

    it('a letter pushed again and again (lost answers, retries) is applied once and then answered duplicate', async () => {
      const block = await lease(clerk);
      const letter = registration(block.first);
      expect(await push(clerk, [letter])).toEqual([{ id: letter.id, status: 'applied' }]);
      expect(await push(clerk, [letter])).toEqual([{ id: letter.id, status: 'duplicate' }]);
      const toPrint = { id: uuidv7(), kind: 'letter.deliver', payload: {
        letterId: letter.payload.letterId, toOfficeIds: [], external: [{ id: uuidv7(), name: 'Kecamatan Utara', channel: 'print' }] } };
      // A retry of the whole outbox, out of order: the new request first, the old letter after.
      expect((await push(clerk, [toPrint, letter])).map((r) => r.status)).toEqual(['applied', 'duplicate']);
      expect(await countLetters(letter.payload.letterId)).toBe(1);
      const feed = (await pullAll(clerk)).filter((c) => c.entityId === letter.payload.letterId);
      expect(feed).toHaveLength(1);
    });

    it('the same push sent five times at once, and one whose answer was cut off, still land once', async () => {
      const block = await lease(clerk);
      const letter = registration(block.first);
      const results = await Promise.all(Array.from({ length: 5 }, () => push(clerk, [letter])));
      expect(results.map((r) => r[0]!.status).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect(await countLetters(letter.payload.letterId)).toBe(1);

      const lost = registration(block.first + 1);
      await sendAndHangUp(`${srv.url}/sync/push`, clerk.accessToken, JSON.stringify({ mutations: [lost] }));
      const retry = await push(clerk, [lost]);
      expect(['applied', 'duplicate']).toContain(retry[0]!.status);
      expect(await push(clerk, [lost])).toEqual([{ id: lost.id, status: 'duplicate' }]);
      expect(await countLetters(lost.payload.letterId)).toBe(1);
    });

    it('a refused mutation comes back with its reason in Bahasa Indonesia, and the rest of the batch is applied', async () => {
      const block = await lease(clerk);
      const good = registration(block.first);
      const notLeased = registration(9_999);
      const sameNumber = registration(block.first);
      const broken = registration(block.first + 1, { subject: '' });
      const results = await push(clerk, [good, notLeased, sameNumber, broken, registration(block.first + 2)]);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['applied', 'AGENDA_NUMBER_NOT_LEASED', 'AGENDA_NUMBER_TAKEN', 'VALIDATION', 'applied']);
      const taken = results[2] as Extract<MutationResult, { status: 'rejected' }>;
      expect(taken.reason).toMatch(/sudah dipakai surat lain/);
      expect((results[3] as Extract<MutationResult, { status: 'rejected' }>).reason).toMatch(/payload\.subject/);
      // A refused mutation is not remembered as done: once fixed, the same id goes through.
      const fixed = { ...broken, payload: { ...broken.payload, subject: 'Undangan rapat koordinasi' } };
      expect(await push(clerk, [fixed])).toEqual([{ id: broken.id, status: 'applied' }]);
    });

    it('a push with a refusal in the middle and a long batch of desk activity leaves the audit chain whole, in push order', async () => {
      const block = await lease(clerk);
      const first = registration(block.first);
      const refused = registration(block.first);
      const deskLog = { id: uuidv7(), kind: 'audit.record', payload: { entries: Array.from({ length: 250 }, (_, i) => ({
        id: uuidv7(), at: '2026-03-02T09:20:00.000Z', action: 'letter.registered', target: `surat-${i}`, details: { i } })) } };
      const last = registration(block.first + 1);
      const results = await push(clerk, [first, refused, deskLog, last]);
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['applied', 'AGENDA_NUMBER_TAKEN', 'applied', 'applied']);

      const admin = await srv.login('superadmin', 'desk-kabupaten-01');
      const verified = await srv.call('GET', '/admin/audit/verify', { token: admin.accessToken });
      expect(verified.json).toMatchObject({ ok: true });
      const rows = await srv.server.db.selectFrom('audit_log').select(['action', 'target', 'details']).where('device_id', '=', 'desk-dinkes-01')
        .orderBy('seq', 'desc').limit(253).execute();
      const trail = rows.reverse().map((r) => (r.action === 'letter.registered' ? `desk:${(JSON.parse(r.details) as { i: number }).i}` : `${r.action}:${r.target}`));
      expect(trail).toEqual([
        `sync.letter.register:${first.payload.letterId}`, `sync.rejected:${refused.id}`,
        ...Array.from({ length: 250 }, (_, i) => `desk:${i}`), `sync.letter.register:${last.payload.letterId}`,
      ]);
    });

    it('desk activity nested 5 000 deep, too large, or naming what only the server records is refused alone; the rest of the push goes in', async () => {
      const block = await lease(clerk);
      // Written as text: JSON.stringify itself runs out of stack on it.
      const deep = `${'{"d":'.repeat(5000)}{"leaf":true}${'}'.repeat(5000)}`;
      const entry = (action: string, details: Record<string, unknown>) => ({ id: uuidv7(), kind: 'audit.record', payload: { entries: [{
        id: uuidv7(), at: '2026-03-02T09:20:00.000Z', action, target: null, details }] } });
      const before = registration(block.first);
      const after = registration(block.first + 1);
      const mutations = [before, entry('letter.registered', { deep: 'DEEP' }), entry('letter.registered', { note: 'x'.repeat(20_000) }),
        entry('user.password_reset', {}), entry('auth.login_failed', {}), entry('scan.saved', { pages: 2 }), after];
      const reply = await srv.call('POST', '/sync/push', { token: clerk.accessToken, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mutations }).replace('{"deep":"DEEP"}', deep) });
      expect(reply.status, reply.body.toString().slice(0, 300)).toBe(200);
      const results = (reply.json as { results: MutationResult[] }).results;
      expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['applied', 'VALIDATION', 'VALIDATION', 'VALIDATION', 'VALIDATION', 'applied', 'applied']);
      // What a desk records stays marked as the desk's.
      const saved = await srv.server.db.selectFrom('audit_log').select(['source', 'device_id']).where('action', '=', 'scan.saved').where('device_id', '=', 'desk-dinkes-01').execute();
      expect(saved).toEqual([{ source: 'desk', device_id: 'desk-dinkes-01' }]);
    });

    it('staff cannot register letters, and no one can register into another office', async () => {
      const staff = await srv.login('staf.dinkes', 'desk-dinkes-09');
      const block = await lease(clerk);
      const [result] = await push(staff, [registration(block.first)]);
      expect(result).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
      // A clerk of Disdik using a number leased to Dinkes: the number is not Disdik's.
      const disdik = await srv.login('operator.disdik', 'desk-disdik-01');
      const [foreign] = await push(disdik, [registration(block.first)]);
      expect(foreign).toMatchObject({ status: 'rejected', code: 'AGENDA_NUMBER_NOT_LEASED' });
    });

    it('a signing official registers the outgoing letters they sign, but not incoming ones', async () => {
      const official = await srv.login('penandatangan.dinkes', 'desk-dinkes-10');
      const outgoing = await lease(official, 'out');
      const [signed] = await push(official, [registration(outgoing.first, { direction: 'out' })]);
      expect(signed).toMatchObject({ status: 'applied' });
      const incoming = await lease(clerk);
      const [received] = await push(official, [registration(incoming.first)]);
      expect(received).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    });
  });

  describe('numbering leases', () => {
    it('three desks asking for blocks at the same moment never get the same number', async () => {
      const desks = await Promise.all([
        srv.login('operator.setda', 'desk-setda-11'), srv.login('operator.setda', 'desk-setda-12'), srv.login('admin.setda', 'desk-setda-13'),
      ]);
      const blocks = (await Promise.all(desks.flatMap((desk) => Array.from({ length: 8 }, () => lease(desk))))).sort((a, b) => a.first - b.first);
      const numbers = blocks.flatMap((b) => Array.from({ length: b.last - b.first + 1 }, (_, i) => b.first + i));
      expect(numbers).toHaveLength(24 * 10);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numbers).toEqual(Array.from({ length: 240 }, (_, i) => i + 1)); // no gaps either: nothing is lost
      const outgoing = await lease(desks[0]!, 'out');
      expect(outgoing.first).toBe(1); // the outgoing book counts on its own
    });

    it('numbers a desk will not use are reported back and can never be given to a letter', async () => {
      const desk = await srv.login('admin.disdik', 'desk-disdik-02');
      const block = await lease(desk);
      expect((await push(desk, [registration(block.first)]))[0]!.status).toBe('applied');
      const used = await srv.call('POST', '/numbering/unused', { token: desk.accessToken, json: { leaseId: block.leaseId, numbers: [block.first] } });
      expect(code(used.json)).toBe('NUMBER_ALREADY_USED');
      const reported = await srv.call('POST', '/numbering/unused', { token: desk.accessToken, json: { leaseId: block.leaseId, numbers: [block.last - 1, block.last] } });
      expect(reported.json).toEqual({ recorded: 2 });
      const [late] = await push(desk, [registration(block.last)]);
      expect(late).toMatchObject({ status: 'rejected', code: 'AGENDA_NUMBER_RETURNED' });
      const otherDesk = await srv.login('admin.disdik', 'desk-disdik-03');
      const notHers = await srv.call('POST', '/numbering/unused', { token: otherDesk.accessToken, json: { leaseId: block.leaseId, numbers: [block.first + 1] } });
      expect(code(notHers.json)).toBe('LEASE_NOT_FOUND');
      const next = await lease(desk);
      expect(next.first).toBeGreaterThan(block.last);
    });
  });

  describe('blobs', () => {
    const scan = randomBytes(3 * chunk + 1234);
    const sha = createHash('sha256').update(scan).digest('hex');
    const patch = (offset: number, body: Buffer, session = clerk) => srv.call('PATCH', `/blobs/${sha}/upload`, {
      token: session.accessToken, body, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) } });

    it('an upload cut off mid-request keeps what arrived, resumes from the offset the server reports, and is verified on completion', async () => {
      const created = await srv.call('POST', '/blobs', { token: clerk.accessToken, json: { sha256: sha, size: scan.length } });
      expect(created.json).toMatchObject({ offset: 0, complete: false, maxChunkBytes: chunk });
      expect((await patch(0, scan.subarray(0, chunk))).json).toMatchObject({ offset: chunk });
      // The network drops while the second chunk is on the wire, after half of it reached the server.
      const halfway = chunk + chunk / 2;
      const offsetNow = async () => Number((await srv.call('HEAD', `/blobs/${sha}/upload`, { token: clerk.accessToken })).headers['upload-offset']);
      await sendAndHangUp(`${srv.url}/blobs/${sha}/upload`, clerk.accessToken, scan.subarray(chunk, 2 * chunk), { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(chunk) }, chunk / 2,
        () => vi.waitFor(async () => expect(await offsetNow()).toBe(halfway), { timeout: 10_000, interval: 20 }));
      const head = await srv.call('HEAD', `/blobs/${sha}/upload`, { token: clerk.accessToken });
      expect(head.headers['upload-offset']).toBe(String(halfway));
      expect(head.headers['upload-length']).toBe(String(scan.length));
      const stale = await patch(0, scan.subarray(0, chunk));
      expect(stale.status).toBe(409);
      expect(stale.json).toMatchObject({ error: { code: 'BLOB_OFFSET_MISMATCH', details: { offset: halfway } } });
      let offset = Number(head.headers['upload-offset']);
      let last: unknown;
      while (offset < scan.length) {
        const reply = await patch(offset, scan.subarray(offset, offset + chunk));
        expect(reply.status, reply.body.toString()).toBe(200);
        last = reply.json;
        offset = (reply.json as { offset: number }).offset;
      }
      expect(last).toMatchObject({ complete: true, offset: scan.length });
      const whole = await srv.call('GET', `/blobs/${sha}`, { token: clerk.accessToken });
      expect(createHash('sha256').update(whole.body).digest('hex')).toBe(sha);
      const ranged = await srv.call('GET', `/blobs/${sha}`, { token: clerk.accessToken, headers: { range: 'bytes=70000-70999' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers['content-range']).toBe(`bytes 70000-70999/${scan.length}`);
      expect(ranged.body.equals(scan.subarray(70000, 71000))).toBe(true);
      const tail = await srv.call('GET', `/blobs/${sha}`, { token: clerk.accessToken, headers: { range: 'bytes=-100' } });
      expect(tail.body.equals(scan.subarray(scan.length - 100))).toBe(true);
      expect(code((await srv.call('GET', `/blobs/${sha}`, { token: clerk.accessToken, headers: { range: `bytes=${scan.length}-` } })).json)).toBe('RANGE_NOT_SATISFIABLE');
      const again = await srv.call('POST', '/blobs', { token: clerk.accessToken, json: { sha256: sha, size: scan.length } });
      expect(again.json).toMatchObject({ complete: true, offset: scan.length }); // the same scan twice is stored once
    });

    it('a newer request for a blob takes over from one that went quiet, and keeps what the quiet one delivered', async () => {
      const other = randomBytes(chunk + chunk / 2);
      const otherSha = createHash('sha256').update(other).digest('hex');
      await srv.call('POST', '/blobs', { token: clerk.accessToken, json: { sha256: otherSha, size: other.length } });
      const half = chunk / 2;
      // A desk whose connection hangs after half a chunk: the request stays open, nothing more comes.
      const quiet = request(`${srv.url}/blobs/${otherSha}/upload`, { method: 'PATCH', ca: readFileSync(tls.trusted.caCert), agent: false,
        headers: { authorization: `Bearer ${clerk.accessToken}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'content-length': String(chunk) } });
      const quietClosed = new Promise<void>((resolve) => { quiet.on('error', () => resolve()); quiet.on('close', () => resolve()); });
      quiet.write(other.subarray(0, half));
      await vi.waitFor(async () => expect((await srv.call('GET', `/blobs/${otherSha}/upload`, { token: clerk.accessToken })).json).toMatchObject({ offset: half }), { timeout: 10_000, interval: 20 });
      // The desk reconnects and resumes from the server's offset: the quiet request is stopped (after a second of silence), not waited for.
      const resumed = await srv.call('PATCH', `/blobs/${otherSha}/upload`, { token: clerk.accessToken, body: other.subarray(half),
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(half) } });
      expect(resumed.status, resumed.body.toString()).toBe(200);
      expect(resumed.json).toMatchObject({ offset: other.length, complete: true });
      await quietClosed;
      const stored = await srv.call('GET', `/blobs/${otherSha}`, { token: clerk.accessToken });
      expect(stored.body.equals(other)).toBe(true);
    });

    it('bytes that do not match their SHA-256 are discarded, and a letter cannot reference them', async () => {
      const claimed = randomBytes(chunk / 2);
      const claimedSha = createHash('sha256').update(claimed).digest('hex');
      await srv.call('POST', '/blobs', { token: clerk.accessToken, json: { sha256: claimedSha, size: claimed.length } });
      const corrupt = Buffer.from(claimed);
      corrupt[100] = corrupt[100]! ^ 0xff;
      const reply = await srv.call('PATCH', `/blobs/${claimedSha}/upload`, { token: clerk.accessToken, body: corrupt,
        headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } });
      expect(reply.status).toBe(422);
      expect(code(reply.json)).toBe('BLOB_HASH_MISMATCH');
      expect((await srv.call('GET', `/blobs/${claimedSha}/upload`, { token: clerk.accessToken })).json).toMatchObject({ offset: 0, complete: false });
      const block = await lease(clerk);
      const [result] = await push(clerk, [registration(block.first, { attachments: [claimedSha] })]);
      expect(result).toMatchObject({ status: 'rejected', code: 'BLOB_MISSING' });
    });

    it('a scan is readable by its own office and by an office the letter was sent to, by no one else', async () => {
      const block = await lease(clerk);
      const letter = registration(block.first, { attachments: [sha] });
      expect((await push(clerk, [letter]))[0]!.status).toBe('applied');
      const disdik = await srv.login('staf.disdik', 'desk-disdik-04');
      const setda = await srv.login('staf.setda', 'desk-setda-14');
      expect((await srv.call('GET', `/blobs/${sha}`, { token: disdik.accessToken })).status).toBe(404);
      const deliver = { id: uuidv7(), kind: 'letter.deliver', payload: { letterId: letter.payload.letterId, toOfficeIds: ['office-disdik'] } };
      expect((await push(clerk, [deliver]))[0]!.status).toBe('applied');
      expect((await srv.call('GET', `/blobs/${sha}`, { token: disdik.accessToken })).body.equals(scan)).toBe(true);
      expect((await srv.call('GET', `/blobs/${sha}`, { token: setda.accessToken })).status).toBe(404);
    });
  });

  describe('pull', () => {
    it('each office pulls only its own letters and the ones sent to it, page by page from its cursor', async () => {
      const block = await lease(clerk);
      const letters = [registration(block.first), registration(block.first + 1), registration(block.first + 2)];
      await push(clerk, letters);
      const disdikOperator = await srv.login('operator.disdik', 'desk-disdik-05');
      const setda = await srv.login('operator.setda', 'desk-setda-15');
      const ids = new Set(letters.map((l) => l.payload.letterId));
      expect((await pullAll(disdikOperator)).some((c) => ids.has(c.entityId))).toBe(false);

      await push(clerk, [{ id: uuidv7(), kind: 'letter.deliver', payload: { letterId: letters[1]!.payload.letterId, toOfficeIds: ['office-disdik'] } }]);
      const delivered = (await pullAll(disdikOperator)).filter((c) => ids.has(c.entityId));
      expect(delivered).toMatchObject([{ entity: 'delivery', entityId: letters[1]!.payload.letterId, data: { fromOfficeId: 'office-dinkes', letter: { subject: 'Permohonan tambahan vaksin' } } }]);
      expect((await pullAll(setda)).some((c) => ids.has(c.entityId))).toBe(false);

      const paged = await pullAll(clerk, 2);
      const whole = await pullAll(clerk);
      expect(paged).toEqual(whole);
      expect(whole.filter((c) => ids.has(c.entityId)).map((c) => c.entity)).toEqual(['letter', 'letter', 'letter']);
      const seqs = whole.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('a disposition to another office\'s position is refused; one down the structure reaches the office feed', async () => {
      const block = await lease(clerk);
      const letter = registration(block.first);
      await push(clerk, [letter]);
      const head = await srv.login('penandatangan.dinkes', 'desk-dinkes-10');
      const dispose = (to: string[], note: string, dueDate: string | null) => ({ id: uuidv7(), kind: 'disposition.create', payload: {
        dispositionId: uuidv7(), letterId: letter.payload.letterId, parentId: null, fromPositionId: 'position-dinkes-penandatangan', to, cc: [],
        instructions: [], note, urgency: 'biasa', dueDate } });
      const toStranger = dispose(['position-disdik-staf'], 'Pelajari.', null);
      const toColleague = dispose(['position-dinkes-staf', 'position-dinkes-verifikator'], 'Siapkan jawaban.', '2026-03-10');
      expect((await push(head, [toStranger, toColleague])).map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['RECIPIENT_INVALID', 'applied']);
      const staff = await srv.login('staf.dinkes', 'desk-dinkes-11');
      const feed = await pullAll(staff);
      expect(feed.find((c) => c.entityId === toColleague.payload.dispositionId)).toMatchObject({ entity: 'disposition', data: { note: 'Siapkan jawaban.', fromUserId: 'user-penandatangan-dinkes' } });
    });
  });
});

/** Sends a request and drops the connection without reading the answer — after `bytes` of the body (and `beforeHangUp`) when given. */
function sendAndHangUp(url: string, token: string, body: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json' }, bytes?: number, beforeHangUp?: () => Promise<unknown>): Promise<void> {
  const data = Buffer.from(body);
  return new Promise((resolve) => {
    const req = request(url, { method: url.endsWith('/upload') ? 'PATCH' : 'POST', ca: readFileSync(tls.trusted.caCert), agent: false,
      headers: { ...headers, authorization: `Bearer ${token}`, 'content-length': String(data.length) } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    if (bytes === undefined) {
      req.end(data, () => req.destroy());
    } else {
      req.write(data.subarray(0, bytes), () => { void (beforeHangUp?.() ?? Promise.resolve()).finally(() => req.destroy()); });
    }
  });
}
