// Kop dan templat naskah against the real server on SQLite and PostgreSQL: the admin kantor of the Dinas
// Kesehatan uploads a new logo and saves a new agency line and closing text; every user of the office
// reads it and gets it in the change feed, another office sees nothing of it; an admin of another
// office, the office's other roles and the super admin are refused; a stale editor, a logo that is no
// whole PNG/JPEG, one too large, and another office's blob are refused with their reasons.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkContentType } from '../../common/protocol/blobs.ts';
import type { NaskahVersionData } from '../../common/protocol/naskah.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { drawnLogo, pngClaiming, pngSignatureOnly } from '../support/logos.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const { logo: _shippedLogo, ...shippedLines } = shippedLetterhead();
const edited = { ...shippedLines, government: 'PEMERINTAH KABUPATEN KUANTAN SINGINGI', agency: 'DINAS KESEHATAN' };

/** The shipped templates with the nota dinas closing rewritten and its NIP shown. */
function editedTemplates() {
  return shippedTemplates().map((t) => t.type !== 'nota_dinas' ? t : {
    ...t, signerNip: true,
    body: [...t.body.slice(0, -1), { kind: 'paragraph' as const, runs: [{ text: 'Demikian disampaikan untuk menjadi perhatian.' }] }],
  });
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let admin: Session;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    admin = await srv.login('admin.dinkes', 'desk-naskah-admin');
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  async function upload(s: Session, bytes: Buffer): Promise<string> {
    const hash = sha(bytes);
    expect((await srv.call('POST', '/blobs', { token: s.accessToken, json: { sha256: hash, size: bytes.length } })).status).toBe(201);
    const r = await srv.call('PATCH', `/blobs/${hash}/upload`, { token: s.accessToken, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
    expect(r.status, r.body.toString()).toBeLessThan(300);
    return hash;
  }
  const save = (s: Session, officeId: string, body: unknown) => srv.call('PUT', `/admin/offices/${officeId}/naskah`, { token: s.accessToken, json: body });
  const current = async (s: Session, officeId = 'office-dinkes') => srv.call('GET', `/offices/${officeId}/naskah`, { token: s.accessToken });
  const errorOf = (r: { json: unknown }) => (r.json as { error: { code: string; message: string } }).error;

  it('the admin kantor saves a new kop and templates; the office reads them and gets them in its feed, another office does not', async () => {
    const staff = await srv.login('staf.dinkes', 'desk-naskah-staf');
    expect((await current(staff)).json).toEqual({ current: null });

    const logo = await drawnLogo('png', [0.1, 0.4, 0.2]);
    const logoSha256 = await upload(admin, logo);
    const saved = await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256 }, templates: editedTemplates(), basedOn: null });
    expect(saved.status, saved.body.toString()).toBe(200);
    const v1 = saved.json as NaskahVersionData;
    expect(v1).toMatchObject({ officeId: 'office-dinkes', version: 1, letterhead: { agency: 'DINAS KESEHATAN', logoSha256 }, createdByName: 'Rina Wulandari' });

    expect((await current(staff)).json).toEqual({ current: v1 });
    const feed = (await srv.feed(staff)).filter((c) => c.entity === 'naskah');
    expect(feed.map((c) => c.data)).toEqual([v1]);
    // Every user of the office reads the logo it prints.
    expect((await srv.call('GET', `/blobs/${logoSha256}`, { token: staff.accessToken })).body.equals(logo)).toBe(true);

    const disdik = await srv.login('staf.disdik', 'desk-naskah-disdik');
    expect((await srv.feed(disdik)).filter((c) => c.entity === 'naskah')).toEqual([]);
    expect(errorOf(await current(disdik))).toMatchObject({ code: 'FORBIDDEN_OFFICE' });

    // The next save names the version it was made from; the first stays as it was.
    const v2 = (await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256: null, agency: 'DINAS KESEHATAN DAN KELUARGA BERENCANA' }, templates: editedTemplates(), basedOn: v1.id })).json as NaskahVersionData;
    expect(v2.version).toBe(2);
    expect((await srv.feed(staff)).filter((c) => c.entity === 'naskah').map((c) => c.data)).toEqual([v1, v2]);

    // An editor opened before v2 was saved does not overwrite it.
    const stale = await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256: null }, templates: editedTemplates(), basedOn: v1.id });
    expect(stale.status).toBe(409);
    expect(errorOf(stale).message).toMatch(/sudah diubah dari meja lain/);
  });

  it('only the office\'s own admin kantor may save its kop and templates', async () => {
    const body = { letterhead: { ...edited, logoSha256: null }, templates: shippedTemplates(), basedOn: null };
    const codes: Record<string, string> = {};
    for (const username of ['admin.disdik', 'operator.dinkes', 'verifikator.dinkes', 'penandatangan.dinkes', 'staf.dinkes', 'superadmin']) {
      const r = await save(await srv.login(username, `desk-naskah-${username.replace('.', '-')}`), 'office-dinkes', body);
      codes[username] = r.status >= 400 ? errorOf(r).code : 'ok';
    }
    expect(codes).toEqual({
      'admin.disdik': 'FORBIDDEN_OFFICE', 'operator.dinkes': 'FORBIDDEN', 'verifikator.dinkes': 'FORBIDDEN',
      'penandatangan.dinkes': 'FORBIDDEN', 'staf.dinkes': 'FORBIDDEN', superadmin: 'FORBIDDEN',
    });
  });

  it('a logo that is not a whole PNG or JPEG within the limits, or is another office\'s blob, is refused with the reason', async () => {
    const latest = ((await current(admin)).json as { current: NaskahVersionData | null }).current?.id ?? null;
    const png = await drawnLogo('png', [0.7, 0.1, 0.1]);
    const jpeg = await drawnLogo('jpeg', [0.1, 0.1, 0.7]);
    const attempt = async (bytes: Buffer, by: Session = admin) => {
      const r = await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256: await upload(by, bytes) }, templates: shippedTemplates(), basedOn: latest });
      return r.status >=400 ? errorOf(r) : { code: 'ok', message: '' };
    };
    expect(await attempt(pngSignatureOnly())).toMatchObject({ code: 'NASKAH_LOGO_INVALID', message: expect.stringMatching(/rusak atau bukan gambar/) });
    expect(await attempt(pngClaiming(png, 240, 240))).toMatchObject({ code: 'NASKAH_LOGO_INVALID', message: expect.stringMatching(/rusak/) });
    expect(await attempt(pngClaiming(png, 100_000, 100_000))).toMatchObject({ code: 'NASKAH_LOGO_INVALID', message: expect.stringMatching(/terlalu besar \(100000 × 100000 piksel\)/) });
    expect(await attempt(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toMatchObject({ code: 'NASKAH_LOGO_INVALID' });
    expect(await attempt(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toMatchObject({ code: 'NASKAH_LOGO_INVALID', message: expect.stringMatching(/PNG atau JPEG/) });
    expect(await attempt(Buffer.concat([jpeg, Buffer.alloc(1_000_001)]))).toMatchObject({ code: 'NASKAH_LOGO_INVALID', message: expect.stringMatching(/paling besar 1 MB/) });
    expect(await attempt(png, await srv.login('admin.disdik', 'desk-naskah-disdik-admin'))).toMatchObject({ code: 'BLOB_MISSING' });
    // Whole images from an encoder this project did not write are taken, PNG and JPEG alike.
    expect(await attempt(png)).toEqual({ code: 'ok', message: '' });
    const after = ((await current(admin)).json as { current: NaskahVersionData }).current;
    const r = await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256: await upload(admin, jpeg) }, templates: shippedTemplates(), basedOn: after.id });
    expect(r.status, r.body.toString()).toBe(200);
  });

  it('templates that break the rules are refused field by field, nothing saved', async () => {
    const before = (await current(admin)).json;
    const twice = [...shippedTemplates(), shippedTemplates()[0]!];
    const r = await save(admin, 'office-dinkes', { letterhead: { ...edited, logoSha256: null }, templates: twice, basedOn: null });
    expect(errorOf(r)).toMatchObject({ code: 'VALIDATION' });
    const empty = await save(admin, 'office-dinkes', { letterhead: { ...edited, agency: '', logoSha256: null }, templates: shippedTemplates(), basedOn: null });
    expect((errorOf(empty) as { details?: { issues: { path: string }[] } }).details?.issues.map((i) => i.path)).toEqual(['letterhead.agency']);
    expect((await current(admin)).json).toEqual(before);
  });
});
