// A draft travels whole between desks through the real server (SQLite and PostgreSQL). Its lampiran:
// the drafter attaches a three-page PDF and sends the draft to the Kepala Seksi with the head as signer. The
// verifier's and the signer's desks have never had the file: each gets it with its sync, so the
// verifier's preview and the letter made for the signer carry the lampiran pages. While a file is not
// on a desk (its download has not completed), the preview shows a page saying so instead of failing,
// the paraf screen counts it, and the signer's letter is not made until the file is there. Its kop and
// templates: a draft started with the office's first saved version keeps it when a verifier edits it
// after the admin saved a newer one, whatever version the editing screen sends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { NaskahVersionData } from '../../common/protocol/naskah.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger, createLogger } from '../../common/logger.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { draftingHandlers, draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { naskahSource, shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { signingOfficials } from '../../main/letters/outgoing/officials.ts';
import { lettersReadyToSign } from '../../main/letters/outgoing/import.ts';
import { parafHandlers } from '../../main/letters/paraf/paraf.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { sampleDraft } from '../support/drafts.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };
const P = (key: string) => `position-dinkes-${key}`;
const nota = shippedTemplates().find((t) => t.type === 'nota_dinas')!;

let tls: TestTls;
let spool: string;
beforeAll(() => {
  tls = createTestTls();
  spool = mkdtempSync(join(tmpdir(), 'loket-lampiran-spool-'));
});
afterAll(() => {
  for (const dir of [tls.dir, spool]) rmSync(dir, { recursive: true, force: true });
});

/** A PDF of `pages` pages, each saying which page of the lampiran it is. */
async function lampiranPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595.28, 841.89]).drawText(`DATA SASARAN IMUNISASI HALAMAN ${i}`, { x: 80, y: 760, size: 14, font });
  return doc.save();
}

const pagesOf = async (pdf: Uint8Array) => (await PDFDocument.load(pdf)).getPageCount();
const textOf = (pdf: Uint8Array) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(pdf) }).toString();

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const desks: TestDesk[] = [];
  beforeAll(async () => { srv = await startTestServer({ databases, tls }); });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
  });

  /** A desk of its own (its own documents folder) signed in as `username`, with Konsep and paraf wired as core.ts wires them. */
  async function desk(username: string) {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    seedClassifications(d.store);
    await d.sync.auth.login(username, demoPassword);
    const user = () => d.sync.session.user();
    const actor = () => user()?.id ?? 'desk';
    const transfers = createTransfers(join(spool, `${backend}-${username}`), createLogger({ level: 'error' }));
    const officials = signingOfficials({
      store: d.store, log: collectingLogger(),
      server: { url: () => d.sync.serverUrl(), client: d.sync.client, online: () => true, accessToken: () => d.sync.auth.accessToken(), user },
    });
    const at = () => new Date().toISOString();
    const renderer = draftRenderer(d.blobs, naskahSource({ kept: d.store.naskah, officeId: () => d.sync.session.user()?.officeId ?? null }));
    const konsep = draftingHandlers({
      store: d.store, blobs: d.blobs, transfers, actor, changed: () => undefined, renderer,
      chain: {
        available: () => true, resolveSigner: (s) => officials.resolve(s),
        held: (id) => new Set(d.store.org.heldPositions(id, at()).map((p) => p.id)), positions: () => new Set(d.store.org.positions(at()).map((p) => p.id)),
      },
    });
    const paraf = parafHandlers({ store: d.store, hasServer: () => true, blobs: d.blobs, renderer, transfers, user, actor, changed: () => undefined, log: collectingLogger() });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    const upload = async (bytes: Uint8Array) => {
      const uploadId = crypto.randomUUID();
      await transfers.receive(uploadId, 0, bytes);
      return uploadId;
    };
    const read = async (ref: { fileId: string; size: number }) => {
      const out = new Uint8Array(ref.size);
      for (let offset = 0; offset < ref.size;) {
        const piece = await transfers.read(ref.fileId, offset);
        out.set(piece.chunk, offset);
        offset += piece.chunk.length;
      }
      return out;
    };
    await sync();
    await officials.list();
    return { d, konsep, paraf, sync, upload, read };
  }

  it('the verifier previews and the signer gets the letter with its lampiran pages, at desks that never had the file', async () => {
    const drafter = await desk('staf.dinkes');
    const kasi = await desk('kasi.kesmas.dinkes');
    const head = await desk('penandatangan.dinkes');

    const created = await drafter.konsep['drafting.create']({ type: 'nota_dinas' }, ctx);
    const saved = await drafter.konsep['drafting.save']({ id: created.id, version: created.version, content: { ...sampleDraft(nota), hal: 'Sasaran imunisasi campak per puskesmas' } }, ctx);
    const attached = await drafter.konsep['drafting.attach']({ id: saved.id, uploadId: await drafter.upload(await lampiranPdf(3)), fileName: 'sasaran imunisasi.pdf' }, ctx);
    const hash = attached.attachments[0]!.hash;
    const drafted = await drafter.read(await drafter.konsep['drafting.preview']({ id: saved.id }, ctx));
    const pages = await pagesOf(drafted);
    const letterPages = pages - 3;
    expect(letterPages).toBeGreaterThanOrEqual(1);
    await drafter.konsep['drafting.submit']({ id: saved.id, verifiers: [P('kasi-kesmas')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx);
    await drafter.sync();

    // The Kepala Seksi's desk never had the file: its sync brings the draft and its lampiran.
    expect(await kasi.d.blobs.has(hash)).toBe(false);
    await kasi.sync();
    expect(await kasi.d.blobs.has(hash)).toBe(true);
    const read = await kasi.paraf['paraf.get']({ id: saved.id }, ctx);
    expect(read.attachments).toEqual({ count: 1, missing: 0 });
    // Its history starts from what the drafter wrote (then the lampiran added), not from the empty template.
    expect(read.versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await kasi.paraf['paraf.compare']({ id: saved.id, from: 1, to: 2 }, ctx)).filter((f) => f.changed)).toEqual([]);
    const previewed = await kasi.read(await kasi.paraf['paraf.preview']({ id: saved.id }, ctx));
    expect(await pagesOf(previewed)).toBe(pages);
    expect(textOf(previewed)).toContain('DATA SASARAN IMUNISASI HALAMAN 3');

    // A file whose download has not completed: the preview says so on a page of its own, not an error.
    await kasi.d.blobs.remove(hash);
    expect((await kasi.paraf['paraf.get']({ id: saved.id }, ctx)).attachments).toEqual({ count: 1, missing: 1 });
    const waiting = await kasi.read(await kasi.paraf['paraf.preview']({ id: saved.id }, ctx));
    expect(await pagesOf(waiting)).toBe(letterPages + 1);
    expect(textOf(waiting)).toContain('Lampiran ke-1 belum terunduh');
    expect(textOf(waiting)).not.toContain('DATA SASARAN IMUNISASI');
    await kasi.sync();
    expect(await pagesOf(await kasi.read(await kasi.paraf['paraf.preview']({ id: saved.id }, ctx)))).toBe(pages);

    await kasi.paraf['paraf.decide']({ id: saved.id, version: read.version, verdict: 'approve', note: 'Sesuai data seksi.' }, ctx);
    await kasi.sync();

    // The head's desk: the letter for signing waits for the lampiran, then carries its pages.
    await head.sync();
    expect(await head.d.blobs.has(hash)).toBe(true);
    await head.d.blobs.remove(hash);
    expect(await head.paraf.prepareForSigning()).toBe(0);
    expect(lettersReadyToSign(head.d.store, 'user-penandatangan-dinkes')).toEqual([]);
    await head.sync();
    expect(await head.paraf.prepareForSigning()).toBe(1);
    const [letter] = lettersReadyToSign(head.d.store, 'user-penandatangan-dinkes');
    expect(letter?.subject).toBe('Sasaran imunisasi campak per puskesmas');
    const toSign = await head.d.blobs.read(head.d.store.letters.get(letter!.id)!.documentHash!);
    expect(await pagesOf(toSign)).toBe(pages);
    expect(textOf(toSign)).toContain('DATA SASARAN IMUNISASI HALAMAN 1');
    expect(textOf(toSign)).toContain('DATA SASARAN IMUNISASI HALAMAN 3');
  });

  it('a verifier\'s edit keeps the kop and templates the draft was started with, not the newest nor the shipped ones', async () => {
    const admin = await srv.login('admin.dinkes', `naskah-admin-${backend}`);
    const saveNaskah = async (agency: string, basedOn: string | null) => {
      const { logo: _shipped, ...lines } = shippedLetterhead();
      const r = await srv.call('PUT', '/admin/offices/office-dinkes/naskah', { token: admin.accessToken, json: { letterhead: { ...lines, agency, logoSha256: null }, templates: shippedTemplates(), basedOn } });
      expect(r.status, r.body.toString()).toBe(200);
      return r.json as NaskahVersionData;
    };
    const first = await saveNaskah('DINAS KESEHATAN VERSI PERTAMA', null);
    const drafter = await desk('staf.dinkes');
    const kasi = await desk('kasi.kesmas.dinkes');
    const created = await drafter.konsep['drafting.create']({ type: 'nota_dinas' }, ctx);
    expect(created.content.naskahVersion).toBe(first.id);
    const saved = await drafter.konsep['drafting.save']({ id: created.id, version: created.version, content: { ...sampleDraft(nota), hal: 'Jadwal posyandu Maret 2026' } }, ctx);
    await drafter.konsep['drafting.submit']({ id: saved.id, verifiers: [P('kasi-kesmas')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx);
    await drafter.sync();

    // The admin saves a newer version before the Kepala Seksi reads it; her desk keeps both.
    const newer = await saveNaskah('DINAS KESEHATAN VERSI KEDUA', first.id);
    await kasi.sync();
    expect((await kasi.konsep['drafting.templates']({}, ctx)).letterhead.agency).toBe('DINAS KESEHATAN VERSI KEDUA');
    const read = await kasi.paraf['paraf.get']({ id: saved.id }, ctx);
    expect(read.content.naskahVersion).toBe(first.id);

    // An edit sent without the version, then one naming the newest: both stay on the first.
    const { naskahVersion: _pinned, ...withoutVersion } = read.content;
    const edited = await kasi.paraf['paraf.edit']({ id: saved.id, version: read.version, content: { ...withoutVersion, hal: 'Jadwal posyandu bulan Maret 2026' } }, ctx);
    expect(edited.content).toMatchObject({ hal: 'Jadwal posyandu bulan Maret 2026', naskahVersion: first.id });
    const again = await kasi.paraf['paraf.edit']({ id: saved.id, version: edited.version, content: { ...edited.content, naskahVersion: newer.id, sifat: 'Segera' } }, ctx);
    expect(again.content).toMatchObject({ sifat: 'Segera', naskahVersion: first.id });
    const previewed = textOf(await kasi.read(await kasi.paraf['paraf.preview']({ id: saved.id }, ctx)));
    expect(previewed).toContain('DINAS KESEHATAN VERSI PERTAMA');
    expect(previewed).not.toContain('VERSI KEDUA');

    // The server keeps the edits with the first version too, and the drafter's desk gets them so.
    await kasi.sync();
    const kept = await srv.server.db.selectFrom('draft_versions').select(['version', 'content']).where('draft_id', '=', saved.id).orderBy('version').execute();
    expect(kept.map((v) => (JSON.parse(v.content) as { naskahVersion?: string }).naskahVersion)).toEqual([first.id, first.id, first.id]);
    await drafter.sync();
    expect((await drafter.paraf['paraf.get']({ id: saved.id }, ctx)).content).toMatchObject({ sifat: 'Segera', naskahVersion: first.id });
  });
});
