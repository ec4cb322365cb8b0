// A rahasia letter's details and scan reach only those entitled to them (server/feed/classified.ts):
// the front office that registered it, the head of office, and the positions it is disposed to. The
// rest of the office pulls a placeholder row (agenda number, dates, "Surat rahasia") and cannot read
// the scan, though it knows the hash; a disposition entitles its recipient from then on. A biasa
// letter is the whole office's as before.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { chunkContentType } from '../../common/protocol/blobs.ts';
import type { Change } from '../../common/protocol/index.ts';
import type { LetterData } from '../../common/protocol/letters.ts';
import type { PullReply } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const P = (key: string) => `position-dinkes-${key}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(backendNames())('classified letters on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    for (const [who, username] of Object.entries({
      clerk: 'operator.dinkes', admin: 'admin.dinkes', head: 'penandatangan.dinkes', kabid: 'kabid.kesmas.dinkes', kabid2: 'kabid.p2p.dinkes',
      staff: 'staf.dinkes', secretary: 'verifikator.dinkes',
    })) s[who] = await srv.login(username, `desk-secret-${username.replaceAll('.', '-')}`);
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  /** Pushes one mutation and answers 'applied', 'duplicate' or the refusal's code. */
  async function push(session: Session, kind: string, payload: unknown): Promise<string> {
    const r = await srv.pushOne(session, kind, payload);
    return r.status === 'rejected' ? r.code : r.status;
  }
  /** The letter as a desk of `session` holds it after pulling the whole feed: its latest row. */
  async function pulled(session: Session, letterId: string): Promise<LetterData | undefined> {
    let latest: LetterData | undefined;
    for (let cursor = 0; ;) {
      const reply = await srv.call('GET', `/sync/pull?cursor=${cursor}&limit=500`, { token: session.accessToken });
      expect(reply.status).toBe(200);
      const page = reply.json as PullReply;
      for (const c of page.changes as Change[]) if (c.entity === 'letter' && c.entityId === letterId) latest = c.data;
      cursor = page.cursor;
      if (!page.hasMore) return latest;
    }
  }
  async function uploadScan(session: Session): Promise<{ hash: string; bytes: Buffer }> {
    const bytes = randomBytes(50_000);
    const hash = sha(bytes);
    expect((await srv.call('POST', '/blobs', { token: session.accessToken, json: { sha256: hash, size: bytes.length } })).status).toBe(201);
    const done = await srv.call('PATCH', `/blobs/${hash}/upload`, { token: session.accessToken, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
    expect(done.json).toMatchObject({ complete: true });
    return { hash, bytes };
  }
  async function register(security: 'biasa' | 'rahasia', attachments: string[]): Promise<string> {
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.clerk!.accessToken, json: { book: 'in', year: 2026, count: 1 } })).json as { first: number };
    const letterId = uuidv7();
    expect(await push(s.clerk!, 'letter.register', {
      letterId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: '2026-03-02T09:15:00+07:00', letterNumber: '800/77/BKPSDM/2026',
      letterDate: '2026-02-27', sender: 'BKPSDM Kabupaten', addressee: 'Kepala Dinas Kesehatan', subject: 'Hasil pemeriksaan disiplin pegawai',
      summary: 'Nama pegawai dan sanksi yang dijatuhkan.', urgency: 'segera', security, classification: '800', attachments,
    })).toBe('applied');
    return letterId;
  }
  const blob = (session: Session, hash: string) => srv.call('GET', `/blobs/${hash}`, { token: session.accessToken });

  it('sends a rahasia letter\'s details and scan only to its front office and the head; others get a placeholder and no scan', async () => {
    const scan = await uploadScan(s.clerk!);
    const letterId = await register('rahasia', [scan.hash]);
    for (const who of ['clerk', 'admin', 'head'] as const) {
      expect(await pulled(s[who]!, letterId), who).toMatchObject({ subject: 'Hasil pemeriksaan disiplin pegawai', sender: 'BKPSDM Kabupaten', attachments: [scan.hash] });
      const read = await blob(s[who]!, scan.hash);
      expect(read.status, who).toBe(200);
      expect(read.body.equals(scan.bytes)).toBe(true);
    }
    for (const who of ['staff', 'kabid', 'secretary'] as const) {
      const seen = await pulled(s[who]!, letterId);
      expect(seen, who).toMatchObject({ id: letterId, security: 'rahasia', subject: 'Surat rahasia', sender: '', addressee: '', summary: '', letterNumber: '', attachments: [], letterDate: '2026-02-27' });
      expect(JSON.stringify(seen)).not.toContain('disiplin');
      expect((await blob(s[who]!, scan.hash)).status, who).toBe(404);
    }
  });

  it('a disposition entitles its recipients from then on, not their neighbours; a biasa letter is everyone\'s', async () => {
    const scan = await uploadScan(s.clerk!);
    const letterId = await register('rahasia', [scan.hash]);
    expect((await pulled(s.kabid!, letterId))?.subject).toBe('Surat rahasia');
    expect(await push(s.head!, 'disposition.create', {
      dispositionId: uuidv7(), letterId, parentId: null, fromPositionId: P('penandatangan'), to: [P('kabid-kesmas')], cc: [],
      instructions: ['Tindak lanjuti'], note: '', urgency: 'segera', dueDate: null,
    })).toBe('applied');
    expect(await pulled(s.kabid!, letterId)).toMatchObject({ subject: 'Hasil pemeriksaan disiplin pegawai', attachments: [scan.hash] });
    expect((await blob(s.kabid!, scan.hash)).status).toBe(200);
    expect(await pulled(s.kabid2!, letterId)).toMatchObject({ subject: 'Surat rahasia', attachments: [] });
    expect((await blob(s.kabid2!, scan.hash)).status).toBe(404);

    const open = await uploadScan(s.clerk!);
    const ordinary = await register('biasa', [open.hash]);
    expect(await pulled(s.staff!, ordinary)).toMatchObject({ subject: 'Hasil pemeriksaan disiplin pegawai', attachments: [open.hash] });
    expect((await blob(s.staff!, open.hash)).status).toBe(200);
  });
});
