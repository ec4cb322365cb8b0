// The public verification page behind the QR code, on SQLite and PostgreSQL: the head of Dinas
// Kesehatan signs letters at a real desk (the demo token), the desk syncs them to the real server over
// TLS, and anyone — no sign-in — opens /verifikasi?id=… and sees what the letter's security
// classification allows: all of it for a biasa letter, no subject for a terbatas one, only that it
// exists for a rahasia one; the page compares files with the signed file's hash and that of its later
// revision; unknown and malformed ids say so; a visitor asking too often is held back, per address.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { DeviceWorkerHost } from '../../main/devices/host.ts';
import type { Router } from '../../main/ipc/router.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { importAndSign, signingDesk } from '../support/signing-desk.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const months = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** The values of the page's fields, by their data-field name, in order. */
function fields(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<(dd|p) data-field="(\w+)"[^>]*>([\s\S]*?)<\/\1>/g)) (out[m[2]!] ??= []).push(m[3]!.replace(/<[^>]+>/g, '').trim());
  return out;
}

/** The hashes the page compares a visitor's file with. */
function fileHashes(html: string): string[] | undefined {
  const m = /<script type="application\/json" id="sidik">([^<]*)<\/script>/.exec(html);
  return m ? (JSON.parse(m[1]!) as string[]) : undefined;
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let desk: TestDesk;
  let host: DeviceWorkerHost;
  let router: Router;
  const letters: Record<'biasa' | 'terbatas' | 'rahasia', string> = { biasa: '', terbatas: '', rahasia: '' };
  /** Each visitor its own address (through a proxy the server trusts), so the rate limit of one test does not meet another's. */
  let visitor = 0;
  const open = (query: string, address = `198.51.100.${++visitor}`) => srv.call('GET', `/verifikasi${query}`, { headers: { 'x-forwarded-for': address } });

  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { trustedProxies: ['127.0.0.1'], limits: { verifyPerMinute: 5 } } });
    desk = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    ({ router, host } = await signingDesk(desk));
    await desk.sync.auth.login('operator.dinkes', demoPassword);
    const block = await desk.sync.numberBlocks.lease('out', Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), 10);
    desk.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    for (const security of ['biasa', 'terbatas', 'rahasia'] as const) {
      const { id, result } = await importAndSign(desk, router, `Undangan rapat koordinasi (${security})`, { security });
      expect(result).toMatchObject({ outcome: 'signed' });
      letters[security] = id;
    }
    await desk.sync.engine.syncNow();
    await desk.sync.engine.syncNow();
    expect(desk.store.sync.counts()).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await desk?.close();
    await srv?.close();
    databases.stop();
  });

  it('a biasa letter: number, date, subject, signer with position and office, signing time — to anyone, without signing in', async () => {
    const letter = desk.store.letters.get(letters.biasa)!;
    const [signature] = desk.store.signatures.forLetter(letter.id);
    const reply = await open(`?id=${letter.id}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = reply.body.toString();
    const [year, month, day] = letter.letterDate!.split('-').map(Number) as [number, number, number];
    expect(fields(html)).toEqual({
      letterNumber: [letter.letterNumber], letterDate: [`${day} ${months[month - 1]} ${year}`], subject: ['Undangan rapat koordinasi (biasa)'],
      signer: ['Dr. Ahmad Fauzi'], position: ['Kepala Dinas Kesehatan'], office: ['Dinas Kesehatan'], signedAt: [expect.stringMatching(/^\d{1,2} \w+ \d{4}.* \d{2}\.\d{2} WIB$/)],
    });
    // The file a recipient holds is compared with the signed file, as the desk stored it.
    expect(fileHashes(html)).toEqual([signature!.documentHash]);
    expect(signature!.documentHash).toBe(letter.documentHash);
    // Nothing of the letter beyond what is shown: not its addressee, not the signer's NIP or the desk.
    expect(html).not.toContain(letter.addressee);
    expect(html).not.toContain(desk.store.settings.get().deskName);
  });

  it('a terbatas letter hides its subject; a rahasia letter shows only that a signed letter with this id exists', async () => {
    const terbatas = fields((await open(`?id=${letters.terbatas}`)).body.toString());
    expect(terbatas.subject).toEqual(['tidak ditampilkan: surat ini bersifat terbatas']);
    expect(terbatas.letterNumber).toEqual([desk.store.letters.get(letters.terbatas)!.letterNumber]);

    const reply = await open(`?id=${letters.rahasia}`);
    expect(reply.status).toBe(200);
    const html = reply.body.toString();
    const letter = desk.store.letters.get(letters.rahasia)!;
    expect(fields(html)).toEqual({ secret: [expect.stringMatching(/^Surat bertanda tangan elektronik dengan kode ini tercatat di server kantor\. Surat ini bersifat rahasia/)] });
    for (const hidden of [letter.letterNumber!, letter.subject, 'Ahmad Fauzi', 'Kepala Dinas', 'Dinas Kesehatan', letter.documentHash!]) expect(html).not.toContain(hidden);
    expect(fileHashes(html)).toBeUndefined();
  });

  it('a later revision of the signed file (its signature timestamped) is the signed letter too', async () => {
    const letter = desk.store.letters.get(letters.biasa)!;
    const [signature] = desk.store.signatures.forLetter(letter.id);
    const upgraded = createHash('sha256').update('the same letter with a signature timestamp added').digest('hex');
    const signer = await srv.login('penandatangan.dinkes', 'desk-verifikasi-upgrade');
    const push = await srv.call('POST', '/sync/push', { token: signer.accessToken, json: { mutations: [
      { id: uuidv7(), kind: 'signature.upgrade', payload: { signatureId: signature!.id, documentHash: upgraded, level: 'B-T' } },
      { id: uuidv7(), kind: 'signature.upgrade', payload: { signatureId: uuidv7(), documentHash: upgraded, level: 'B-T' } },
    ] } });
    expect((push.json as { results: unknown[] }).results).toMatchObject([{ status: 'applied' }, { status: 'rejected', code: 'SIGNATURE_NOT_FOUND' }]);
    expect(fileHashes((await open(`?id=${letter.id}`)).body.toString())).toEqual([signature!.documentHash, upgraded]);
  });

  it('an unknown id is not found, a malformed one is refused, none asks for the code — each in Bahasa Indonesia', async () => {
    const unknown = await open(`?id=${uuidv7()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString()).toContain('Tidak ada surat bertanda tangan elektronik dengan kode ini');
    const malformed = await open('?id=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(malformed.status).toBe(400);
    expect(malformed.body.toString()).toContain('Kode tidak dikenal');
    expect(malformed.body.toString()).not.toContain('<script>alert(1)');
    const none = await open('');
    expect(none.status).toBe(200);
    expect(none.body.toString()).toContain('name="id"');
  });

  it('loads nothing from elsewhere: its one style and one script are allowed by hash, frames and other origins are not', async () => {
    const reply = await open(`?id=${letters.biasa}`);
    const policy = String(reply.headers['content-security-policy']);
    const inline = (tag: 'style' | 'script') => [...reply.body.toString().matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
    for (const tag of ['style', 'script'] as const) {
      expect(inline(tag)).toHaveLength(1);
      expect(policy).toContain(`${tag}-src 'sha256-${createHash('sha256').update(inline(tag)[0]!).digest('base64')}'`);
    }
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(reply.body.toString()).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('a visitor asking more than the minute allows is held back, with when to try again; another visitor is not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await open(`?id=${letters.biasa}`, '203.0.113.9')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const held = await open(`?id=${letters.biasa}`, '203.0.113.9');
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(held.body.toString()).toContain('Terlalu banyak pemeriksaan dari alamat ini');
    expect(held.body.toString()).not.toContain(desk.store.letters.get(letters.biasa)!.letterNumber);
    expect((await open(`?id=${letters.biasa}`, '203.0.113.10')).status).toBe(200);
  });

  it('a letter the office voided says so first, with when and why, and stays checkable; a rahasia one says only that it was voided', async () => {
    // The operator who registered them voids them (the desk may be signed in as someone else by now).
    await desk.sync.auth.login('operator.dinkes', demoPassword);
    desk.store.letters.voidLetter(letters.terbatas, 'Salah alamat tujuan; diganti surat baru', 'test');
    desk.store.letters.voidLetter(letters.rahasia, 'Isi rahasia: tidak untuk halaman ini', 'test');
    await desk.sync.engine.syncNow();
    expect(desk.store.sync.queue().filter((e) => e.state === 'rejected')).toEqual([]);

    const html = (await open(`?id=${letters.terbatas}`)).body.toString();
    expect(html).toContain('data-status="void"');
    expect(fields(html).void).toEqual([expect.stringMatching(/^Surat ini ditandatangani secara elektronik, lalu dibatalkan oleh kantor pengirimnya pada \d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB\. Alasan: Salah alamat tujuan; diganti surat baru$/)]);
    expect(fields(html).subject).toEqual(['tidak ditampilkan: surat ini bersifat terbatas']);
    expect(fileHashes(html)).toEqual([desk.store.letters.get(letters.terbatas)!.documentHash]);

    const secret = (await open(`?id=${letters.rahasia}`)).body.toString();
    expect(fields(secret)).toEqual({ void: [expect.stringMatching(/dibatalkan oleh kantor pengirimnya pada .+ dan tidak berlaku\. Surat ini bersifat rahasia/)] });
    expect(secret).not.toContain('Isi rahasia');
    expect(fileHashes(secret)).toBeUndefined();
    // The letters not voided read as before.
    expect((await open(`?id=${letters.biasa}`)).body.toString()).toContain('data-status="signed"');
  });
});
