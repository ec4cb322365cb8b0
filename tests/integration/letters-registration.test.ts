// The clerk registers incoming letters through the same IPC channels the Surat Masuk screen uses,
// on a real SQLite store, a real document folder, real OCR (tesseract.js) and pdftotext.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import Database from 'better-sqlite3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/app/events.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import type { IncomingLetterFields } from '../../common/ipc/incoming.ts';
import type { InvokeResult, Channel, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { letterHandlers } from '../../main/letters/incoming/handlers.ts';
import { createTransfers, transferHandlers, type Transfers } from '../../main/documents/transfers.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { scannedPdf, syntheticLetters } from '../support/synthetic-letters.ts';
import { receiveBytes, sendBytes } from '../support/transfers.ts';

const ctx = { origin: 'test' } as const;
const ocr = createOcrService({ log: collectingLogger() });
afterAll(() => ocr.close());

let dir: string;
let store: Store;
let router: Router;
let events: string[];
let transfers: Transfers;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-letters-'));
  store = openStore(join(dir, 'loket.db'), { log: collectingLogger() });
  const bus = createEventBus(collectingLogger());
  events = [];
  bus.subscribe((name) => events.push(name));
  transfers = createTransfers(join(dir, 'transfers'), collectingLogger());
  const handlers = letterHandlers({ store, documentsDir: join(dir, 'documents'), ocr, transfers, bus, actor: () => 'meja:Meja Agenda', log: collectingLogger(), now: () => new Date('2026-11-23T09:00:00') });
  router = createRouter({ ...handlers, ...transferHandlers(transfers) } as Handlers, collectingLogger());
});
afterEach(async () => {
  await transfers.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>> {
  return router.call(channel, payload, ctx);
}
async function ok<C extends Channel>(channel: C, payload: RequestOf<C>) {
  const result = await call(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Sends a file the way the screen does: base64 pieces, then import. */
async function upload(bytes: Uint8Array, name: string, chunkSize = 1 << 20) {
  return call('letters.import', { uploadId: await sendBytes(call, bytes, chunkSize), name });
}

async function letterPdf(subject: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Perihal: ${subject}`, { x: 72, y: 700, size: 12, font });
  return doc.save();
}

const fields = (overrides: Partial<IncomingLetterFields> = {}): IncomingLetterFields => ({
  receivedDate: '2026-11-23',
  letterNumber: '005/412/DINKES/2026',
  letterDate: '2026-11-20',
  sender: 'Dinas Kesehatan Kota Dumai',
  addressee: 'Kepala Dinas Kominfo',
  subject: 'Undangan rapat koordinasi penanganan stunting',
  summary: 'Rapat hari Kamis pukul 09.00 di aula kantor wali kota.',
  urgency: 'segera',
  security: 'biasa',
  classificationCode: '005',
  documentType: 'surat_biasa',
  attachmentCount: 1,
  ...overrides,
});

const counts = () => ({ letters: store.dashboard('2026-11-23').incomingTotal, outbox: store.outbox.countPending(), audit: store.audit.count() });

describe('the clerk registers an incoming letter', () => {
  it('gets the next agenda number in the agency format, with the row, its outbox mutation and its audit entry saved together', async () => {
    const first = await upload(await letterPdf('Undangan'), 'undangan.pdf');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value).toMatchObject({ displayName: 'undangan.pdf', pageCount: 1, registeredAs: null });

    const { letter, warnings } = await ok('letters.register', { documentId: first.value.documentId, fields: fields() });
    expect(letter).toMatchObject({ agendaLabel: '0001/UMUM/2026', agendaNumber: 1, agendaYear: 2026, status: 'registered', sender: 'Dinas Kesehatan Kota Dumai', urgency: 'segera', classificationCode: '005', attachmentCount: 1 });
    expect(warnings).toEqual([]);
    expect(store.outbox.listPending()).toEqual([expect.objectContaining({ entity: 'letter', entityId: letter.id, op: 'create', payload: expect.objectContaining({ agendaLabel: '0001/UMUM/2026' }) })]);
    expect(store.audit.list()).toEqual([expect.objectContaining({ action: 'letter.registered', entityId: letter.id, actor: 'meja:Meja Agenda' })]);
    expect(events).toContain('dashboard.changed');

    const second = await upload(await letterPdf('Laporan'), 'laporan.pdf');
    if (!second.ok) throw new Error(second.error.message);
    const next = await ok('letters.register', { documentId: second.value.documentId, fields: fields({ letterNumber: '900/77/BPKAD/2026', sender: 'BPKAD', subject: 'Laporan realisasi anggaran' }) });
    expect(next.letter.agendaLabel).toBe('0002/UMUM/2026');
    // The PDF the screen shows beside the form is the stored one.
    const pdf = await ok('letters.pdf', { documentId: second.value.documentId });
    expect((await receiveBytes(call, pdf)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('each field the clerk gets wrong is named in Bahasa Indonesia, and nothing is saved', async () => {
    const imported = await upload(await letterPdf('Undangan'), 'undangan.pdf');
    if (!imported.ok) throw new Error(imported.error.message);
    const documentId = imported.value.documentId;
    const refusals = [
      [fields({ subject: '  ' }), 'Perihal wajib diisi'],
      [fields({ sender: '' }), 'Pengirim wajib diisi'],
      [fields({ letterDate: '2026-02-30' }), 'Tanggal surat bukan tanggal yang ada di kalender'],
      [fields({ letterDate: '2026-11-24' }), 'Tanggal surat tidak boleh setelah tanggal terima.'],
      [fields({ receivedDate: '2026-11-24', letterDate: '2026-11-24' }), 'Tanggal terima tidak boleh setelah hari ini.'],
      [fields({ classificationCode: '999.9' }), 'Kode klasifikasi 999.9 tidak ada di daftar klasifikasi arsip'],
      [fields({ attachmentCount: -1 }), 'Jumlah lampiran tidak boleh negatif'],
      [{ ...fields(), documentType: 'memo' } as unknown as IncomingLetterFields, 'Pilih jenis naskah dari daftar'],
    ] as const;
    for (const [bad, message] of refusals) {
      const result = await call('letters.register', { documentId, fields: bad });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.message).toContain(message);
      expect(JSON.stringify(result.error.details)).toContain('fields');
    }
    const unknownDocument = await call('letters.register', { documentId: 'a'.repeat(64), fields: fields() });
    expect(unknownDocument.ok ? undefined : unknownDocument.error.message).toContain('Dokumen surat tidak ditemukan');
    expect(counts()).toEqual({ letters: 0, outbox: 0, audit: 0 });
  });

  it('a desk whose leased numbers are used up says so and registers nothing', async () => {
    // A synced desk holding only the block 1..1 of 2026 (the sync issue leases these from the server).
    const raw = new Database(join(dir, 'loket.db'));
    raw.prepare("INSERT INTO agenda_blocks (year, first, last, leased_at) VALUES (2026, 1, 1, '2026-11-01T00:00:00Z')").run();
    raw.close();
    const a = await upload(await letterPdf('A'), 'a.pdf');
    const b = await upload(await letterPdf('B'), 'b.pdf');
    if (!a.ok || !b.ok) throw new Error('import failed');
    await ok('letters.register', { documentId: a.value.documentId, fields: fields() });
    const before = counts();
    const refused = await call('letters.register', { documentId: b.value.documentId, fields: fields({ letterNumber: '1/2' }) });
    expect(refused.ok ? undefined : refused.error.code).toBe('AGENDA_NUMBERS_EXHAUSTED');
    expect(counts()).toEqual(before);
  });

  it('an edit is saved with its outbox mutation and audit entry, and never changes the agenda number', async () => {
    const imported = await upload(await letterPdf('Undangan'), 'undangan.pdf');
    if (!imported.ok) throw new Error(imported.error.message);
    const { letter } = await ok('letters.register', { documentId: imported.value.documentId, fields: fields() });
    const edited = await ok('letters.update', { id: letter.id, fields: { summary: 'Rapat diundur ke hari Jumat.', urgency: 'sangat_segera' } });
    expect(edited).toMatchObject({ agendaLabel: '0001/UMUM/2026', summary: 'Rapat diundur ke hari Jumat.', urgency: 'sangat_segera' });
    expect(store.outbox.listPending().map((m) => m.op)).toEqual(['create', 'update']);
    expect(store.audit.list().map((e) => e.action)).toEqual(['letter.registered', 'letter.updated']);
    const bad = await call('letters.update', { id: letter.id, fields: { letterDate: '2026-12-01' } });
    expect(bad.ok ? undefined : bad.error.message).toBe('Tanggal surat tidak boleh setelah tanggal terima.');
  });
});

describe('correcting and voiding a registered letter', () => {
  it('a correction is logged and outboxed as letter.update; a void keeps the number, is never reused, and is sent as letter.void', async () => {
    const a = await upload(await letterPdf('Salah catat'), 'a.pdf');
    if (!a.ok) throw new Error(a.error.message);
    const { letter } = await ok('letters.register', { documentId: a.value.documentId, fields: fields() });
    await ok('letters.update', { id: letter.id, fields: { subject: 'Undangan rapat koordinasi (koreksi)' } });
    const emptyReason = await call('letters.void', { id: letter.id, reason: '   ' });
    expect(emptyReason.ok ? undefined : emptyReason.error.message).toContain('Alasan pembatalan wajib diisi');
    const voided = await ok('letters.void', { id: letter.id, reason: 'Tercatat ganda dengan agenda lain' });
    expect(voided).toMatchObject({ status: 'void', voidReason: 'Tercatat ganda dengan agenda lain', agendaLabel: '0001/UMUM/2026' });
    expect(store.audit.list().map((e) => e.action)).toEqual(['letter.registered', 'letter.updated', 'letter.voided']);
    const entries = store.outbox.listPending();
    expect(entries.map((m) => m.op)).toEqual(['create', 'update', 'update']);
    expect((entries[2] as { payload?: unknown }).payload).toMatchObject({ changes: { status: 'void', voidReason: 'Tercatat ganda dengan agenda lain' } });
    // A void letter stays as it was voided.
    const refused = await call('letters.update', { id: letter.id, fields: { subject: 'x' } });
    expect(refused.ok ? undefined : refused.error.code).toBe('LETTER_VOID');
    // The same file may be registered again, with the next number: 0001 is never given twice.
    const again = await upload(await letterPdf('Salah catat'), 'a (1).pdf');
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.registeredAs).toBeNull();
    const next = await ok('letters.register', { documentId: again.value.documentId, fields: fields() });
    expect(next.letter.agendaLabel).toBe('0002/UMUM/2026');
    expect(next.warnings).toEqual([]);
    // The agenda book prints the void entry with its reason.
    const book = await ok('letters.agendaBook', { from: '2026-11-01', to: '2026-11-30' });
    expect(book.entries).toBe(2);
    const pdf = join(dir, 'buku.pdf');
    writeFileSync(pdf, await receiveBytes(call, book.file));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/BATAL: Tercatat ganda/);
  });
});

describe('a file that cannot be imported is refused with its reason, through the screen\'s channel, and nothing is stored', () => {
  it('an empty file, a renamed Office file, a cut-off PDF, a password-protected PDF and a file over the limit', async () => {
    const plain = await letterPdf('Undangan');
    writeFileSync(join(dir, 'plain.pdf'), plain);
    execFileSync('qpdf', ['--encrypt', 'rahasia', 'pemilik', '256', '--', join(dir, 'plain.pdf'), join(dir, 'locked.pdf')]);
    const cases: Array<[Uint8Array, string, string]> = [
      [new Uint8Array(), 'kosong.pdf', 'IMPORT_EMPTY'],
      [Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.alloc(200, 1)]), 'undangan.pdf', 'IMPORT_UNSUPPORTED'],
      [plain.subarray(0, Math.floor(plain.length * 0.6)), 'terpotong.pdf', 'IMPORT_CORRUPT'],
      [readFileSync(join(dir, 'locked.pdf')), 'terkunci.pdf', 'IMPORT_ENCRYPTED'],
    ];
    for (const [bytes, name, code] of cases) {
      const result = await upload(bytes, name);
      expect(result.ok ? 'ok' : result.error.code, name).toBe(code);
    }
    // 51 MB in 4 MB pieces: refused as soon as the pieces pass the limit, before anything is checked or stored.
    const uploadId = randomUUID();
    const piece = Buffer.alloc(4 << 20, 7).toString('base64');
    let refusedAt: string | undefined;
    for (let offset = 0; offset < 51 << 20 && refusedAt === undefined; offset += 4 << 20) {
      const r = await call('documents.upload', { uploadId, offset, chunk: piece });
      if (!r.ok) refusedAt = r.error.code;
    }
    expect(refusedAt).toBe('IMPORT_TOO_LARGE');
    // A first piece that says the whole file is 60 MB is refused at once, with the size and the limit.
    const declared = await call('documents.upload', { uploadId: randomUUID(), offset: 0, chunk: piece, size: 60 * 1024 * 1024 });
    expect(declared.ok ? undefined : declared.error).toMatchObject({ code: 'IMPORT_TOO_LARGE', message: expect.stringContaining('berukuran 60 MB, melebihi batas 50 MB') });
    expect(existsSync(join(dir, 'documents')) ? readdirSync(join(dir, 'documents')) : []).toEqual([]);
  });
});

/** The same paper through the scanner again: slightly different noise, so different bytes. */
async function rescanned(jpeg: Buffer): Promise<Buffer> {
  const image = await loadImage(jpeg);
  const canvas = createCanvas(image.width, image.height);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  g.fillStyle = 'rgba(120,120,120,0.5)';
  for (let i = 0; i < 400; i++) g.fillRect((i * 7919) % image.width, (i * 104729) % image.height, 2, 2);
  return canvas.encodeSync('jpeg', 80);
}

describe('duplicates', () => {
  it('the same file twice is recognised as the agenda entry it already is, and cannot be registered again', async () => {
    const bytes = await letterPdf('Undangan');
    const first = await upload(bytes, 'undangan.pdf');
    if (!first.ok) throw new Error(first.error.message);
    await ok('letters.register', { documentId: first.value.documentId, fields: fields() });
    const again = await upload(bytes, 'undangan (1).pdf');
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.registeredAs).toMatchObject({ agendaLabel: '0001/UMUM/2026' });
    const refused = await call('letters.register', { documentId: again.value.documentId, fields: fields() });
    expect(refused.ok ? undefined : refused.error).toMatchObject({ code: 'LETTER_ALREADY_REGISTERED', message: expect.stringContaining('Sudah tercatat sebagai agenda 0001/UMUM/2026') });
    expect(counts().letters).toBe(1);
  });

  it('the same sender and letter number holds the registration until the clerk has compared the earlier entry and chosen to register', async () => {
    const a = await upload(await letterPdf('A'), 'a.pdf');
    const b = await upload(await letterPdf('B'), 'b.pdf');
    if (!a.ok || !b.ok) throw new Error('import failed');
    const earlier = await ok('letters.register', { documentId: a.value.documentId, fields: fields() });
    const warned = await ok('letters.duplicates', { documentId: b.value.documentId, sender: 'dinas kesehatan kota dumai ', letterNumber: '005/412/dinkes/2026' });
    expect(warned).toEqual([expect.objectContaining({ reason: 'same-number', letterId: earlier.letter.id, agendaLabel: '0001/UMUM/2026', letterNumber: '005/412/DINKES/2026', documentHash: earlier.letter.documentHash })]);
    // Simpan without a decision: nothing saved, the earlier entry comes back to be shown side by side.
    const held = await call('letters.register', { documentId: b.value.documentId, fields: fields() });
    expect(held.ok ? undefined : held.error).toMatchObject({
      code: 'DUPLICATE_SUSPECTED', message: expect.stringContaining('agenda 0001/UMUM/2026'),
      details: { duplicates: [expect.objectContaining({ reason: 'same-number', letterId: earlier.letter.id })] },
    });
    expect(counts().letters).toBe(1);
    // The clerk decides it is a different letter after all.
    const second = await ok('letters.register', { documentId: b.value.documentId, fields: fields(), confirmedDuplicates: [earlier.letter.id] });
    expect(second.letter.agendaLabel).toBe('0002/UMUM/2026');
    expect(second.warnings).toEqual([expect.objectContaining({ reason: 'same-number', letterId: earlier.letter.id })]);
  });

  it('the same letter scanned again (different bytes) is found by its text: OCR proposals, then a warning', async () => {
    const letter = syntheticLetters()[0]!;
    const first = await upload(await scannedPdf(letter), 'pindaian-1.pdf');
    const second = await upload(await rescanned(letter.jpeg), 'pindaian-2.jpg');
    if (!first.ok || !second.ok) throw new Error('import failed');
    expect(second.value.documentId).not.toBe(first.value.documentId);

    const proposals = await ok('letters.propose', { documentId: first.value.documentId });
    expect(proposals.number).toMatchObject({ status: 'proposed', value: letter.fields.number });
    expect(proposals.subject?.value).toBe(letter.fields.subject);
    const registered = await ok('letters.register', {
      documentId: first.value.documentId,
      fields: fields({ letterNumber: proposals.number!.value, letterDate: proposals.date!.value, subject: proposals.subject!.value, sender: proposals.sender!.value }),
    });

    await ok('letters.propose', { documentId: second.value.documentId });
    const warned = await ok('letters.duplicates', { documentId: second.value.documentId, sender: '', letterNumber: '' });
    expect(warned).toEqual([expect.objectContaining({ reason: 'similar-text', letterId: registered.letter.id })]);
    // Registered with other typed fields, the rescan is still held by its text before anything is saved.
    const held = await call('letters.register', { documentId: second.value.documentId, fields: fields({ letterNumber: 'X/1', sender: 'Pengirim Lain' }) });
    expect(held.ok ? undefined : held.error.code).toBe('DUPLICATE_SUSPECTED');
    expect(counts().letters).toBe(1);
    // A word from the body of the letter finds it: the OCR text went into the search index.
    const bodyWord = store.letters.get(registered.letter.id)!.ocrText!.split(/\s+/).find((w) => /^[a-z]{7,}$/.test(w))!;
    expect((await ok('letters.search', { text: bodyWord })).map((l) => l.id)).toContain(registered.letter.id);
  });
});

describe('classification codes', () => {
  it('are searchable by code and by name, and the admin\'s edits survive the next start', async () => {
    expect((await ok('letters.classifications', { query: '00' })).map((c) => c.code)).toContain('005');
    expect(await ok('letters.classifications', { query: 'undang' })).toContainEqual({ code: '005', name: 'Undangan' });
    await ok('letters.classification.save', { code: '005', name: 'Undangan dan Pemberitahuan' });
    await ok('letters.classification.save', { code: '005.1', name: 'Undangan Rapat' });
    letterHandlers({ store, documentsDir: join(dir, 'documents'), ocr, transfers, bus: createEventBus(collectingLogger()), actor: () => 'x', log: collectingLogger() });
    expect(await ok('letters.classifications', { query: '005' })).toEqual([{ code: '005', name: 'Undangan dan Pemberitahuan' }, { code: '005.1', name: 'Undangan Rapat' }]);
    expect(store.audit.list().map((e) => e.action)).toEqual(['classification.updated', 'classification.added']);
  });
});

describe('the agenda book', () => {
  it('is an A4 landscape PDF with the register\'s columns and the letters of the range, and the export is recorded', async () => {
    const a = await upload(await letterPdf('A'), 'a.pdf');
    const b = await upload(await letterPdf('B'), 'b.pdf');
    if (!a.ok || !b.ok) throw new Error('import failed');
    await ok('letters.register', { documentId: a.value.documentId, fields: fields({ sender: 'Dinas Pekerjaan Umum dan Penataan Ruang', subject: 'Permohonan rekomendasi teknis jembatan Sungai Dumai' }) });
    await ok('letters.register', { documentId: b.value.documentId, fields: fields({ receivedDate: '2026-10-01', letterDate: '2026-09-30', subject: 'Surat di luar rentang' }) });
    const book = await ok('letters.agendaBook', { from: '2026-11-01', to: '2026-11-30' });
    expect(book.entries).toBe(1);
    const file = join(dir, book.file.fileName);
    writeFileSync(file, await receiveBytes(call, book.file));
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    for (const heading of ['BUKU AGENDA SURAT MASUK', 'No. Agenda', 'Tanggal Terima', 'Nomor & Tanggal Surat', 'Pengirim', 'Perihal', 'Ringkasan', 'Keterangan']) expect(text).toContain(heading);
    expect(text).toContain('0001/UMUM/2026');
    expect(text).toContain('23 November 2026');
    expect(text).toContain('005/412/DINKES/2026');
    expect(text).toContain('rekomendasi teknis');
    expect(text).not.toContain('Surat di luar rentang');
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28/);
    expect(execFileSync('pdffonts', [file]).toString()).toContain('DejaVuSans');
    expect(store.audit.list().at(-1)).toMatchObject({ action: 'agenda.exported' });
    expect(JSON.parse(store.audit.list().at(-1)!.details)).toEqual({ from: '2026-11-01', to: '2026-11-30', entries: 1 });
    // An export changes nothing at the server: nothing for Antrian Sinkron.
    expect(store.outbox.listPending().filter((e) => e.entity === 'agenda_book')).toEqual([]);
  });
});
