// Disposition desk to desk through the real server (SQLite and PostgreSQL): the front office
// registers a letter; the head of the Dinas Kesehatan, at a desk that cannot reach the server, finds
// it among the letters to dispose and disposes it to a Kepala Bidang from the structure kept on the
// desk; once the desk is back it reaches the Kepala Bidang's Beranda, unread first, who passes it on to
// the Kepala Seksi and the staff; each reports done, the head sees the progress and the letter is done.
// A pass-on of a disposition its sender cancelled meanwhile is refused and stays visible with its reason.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createLogger } from '../../common/logger.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { DispositionReport } from '../../common/protocol/disposition.ts';
import { dispositionHandlers } from '../../main/letters/disposition/dispositions.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';

const ctx = { origin: 'test' as const };
const P = (key: string) => `position-dinkes-${key}`;

/** The text of a PDF as poppler's pdftotext reads it (lines joined with spaces). */
async function pdfText(bytes: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-sheet-'));
  try {
    writeFileSync(join(dir, 'sheet.pdf'), bytes);
    return execFileSync('pdftotext', ['-raw', join(dir, 'sheet.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend, { config: { numbering: { blockSize: 100 } } });

  /** A desk signed in as `username`, its disposition handlers, and a sync that must reach the server. */
  async function desk(username: string) {
    const d = await env.desk();
    seedClassifications(d.store);
    await d.sync.auth.login(username, demoPassword);
    const transfers = createTransfers(join(d.dir, 'spool'), createLogger({ level: 'error' }));
    const handlers = dispositionHandlers({
      store: d.store, user: () => d.sync.session.user(), actor: () => d.sync.session.user()?.id ?? 'desk', syncSoon: () => undefined,
      files: { transfers, blobs: d.blobs, client: () => d.sync.client(), accessToken: () => d.sync.auth.accessToken(), partialDir: join(d.dir, 'downloads') },
    });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    /** A file the person picked, sent to the desk in one piece as the renderer does (documents.upload). */
    const upload = async (bytes: Uint8Array) => {
      const uploadId = randomUUID();
      await transfers.receive(uploadId, 0, bytes, bytes.byteLength);
      return uploadId;
    };
    /** A file the desk offers for download, read back whole. */
    const download = async (ref: { fileId: string; size: number }) => (await transfers.read(ref.fileId, 0)).chunk;
    return { d, h: handlers, sync, upload, download };
  }

  /** An incoming letter the front office registered and synced. */
  async function registeredLetter(subject: string) {
    const front = await desk('operator.dinkes');
    const block = await front.d.sync.numberBlocks.lease('in', 2026, 5);
    front.d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, year: block.year, first: block.first, last: block.last }, 'test');
    const letter = await front.d.register(block.first, { subject });
    await front.sync();
    return letter;
  }
  /** The head's desk disposes the letter to one position (by its key) with one instruction, and syncs. */
  async function headDisposes(letterId: string, to: string, instruction: string) {
    const head = await desk('penandatangan.dinkes');
    await head.sync();
    await head.h['disposition.create']({ letterId, parentId: null, fromPositionId: P('penandatangan'), to: [P(to)], cc: [], instructions: [instruction], note: '', urgency: 'biasa', dueDate: null }, ctx);
    await head.sync();
    return head;
  }

  it('written offline by the head, it goes down three levels after sync, each reports done, and the letter is done', async () => {
    const letter = await registeredLetter('Permohonan tambahan vaksin campak');

    const head = await desk('penandatangan.dinkes');
    await head.sync();
    const todo = await head.h['disposition.todo']({}, ctx);
    expect(todo.positions.map((p) => p.id)).toEqual([P('penandatangan')]);
    expect(todo.toDispose.map((l) => [l.id, l.subject])).toEqual([[letter.id, 'Permohonan tambahan vaksin campak']]);

    // The network goes: the head disposes from the structure kept on this desk.
    head.d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
    const options = (await head.h['disposition.trail']({ id: letter.id }, ctx)).options;
    expect(options).toHaveLength(1);
    expect(options[0]!.targets.map((t) => t.id)).toEqual(expect.arrayContaining([P('verifikator'), P('kabid-kesmas'), P('kasi-kesmas'), P('staf')]));
    const disposed = await head.h['disposition.create']({
      letterId: letter.id, parentId: null, fromPositionId: P('penandatangan'), to: [P('kabid-kesmas')], cc: [P('verifikator')],
      instructions: ['Tindak lanjuti', 'Koordinasikan'], note: 'Koordinasikan dengan puskesmas.', urgency: 'segera', dueDate: '2026-03-09',
    }, ctx);
    expect(disposed.state).toBe('in_disposition');
    expect(disposed.nodes).toMatchObject([{ depth: 0, from: { id: P('penandatangan'), holderName: 'Dr. Ahmad Fauzi' }, pending: true, canCancel: true,
      recipients: [{ id: P('kabid-kesmas'), kind: 'to', holderName: 'Ir. Hendra Gunawan, M.T.' }, { id: P('verifikator'), kind: 'cc' }] }]);
    expect((await head.d.sync.engine.syncNow()).lastError).not.toBeNull();
    expect(head.d.store.sync.queue().map((e) => `${e.entity}/${e.op}`)).toEqual(['disposition/create']);
    // Back online: it goes out.
    head.d.store.settings.update({ serverUrl: env.srv.url }, 'test');
    await head.sync();
    expect((await head.h['disposition.trail']({ id: letter.id }, ctx)).nodes[0]).toMatchObject({ pending: false, refused: null });

    // The Kepala Bidang finds it on Beranda, unread, opens it and passes it on.
    const kabid = await desk('kabid.kesmas.dinkes');
    await kabid.sync();
    const kabidTodo = await kabid.h['disposition.todo']({}, ctx);
    expect(kabidTodo.unread).toBe(1);
    // The letter is named by its agenda number as the office prints it, though it was registered at another desk.
    expect(kabidTodo.toMe).toMatchObject([{ letter: { id: letter.id, subject: 'Permohonan tambahan vaksin campak', agenda: `${String(letter.agendaNumber).padStart(4, '0')}/UMUM/2026` }, from: { id: P('penandatangan') }, readAt: null,
      instructions: ['Tindak lanjuti', 'Koordinasikan'], dueDate: '2026-03-09' }]);
    const top = kabidTodo.toMe[0]!.dispositionId;
    await kabid.h['disposition.read']({ items: [{ dispositionId: top, positionId: P('kabid-kesmas') }] }, ctx);
    const passOn = (await kabid.h['disposition.trail']({ id: letter.id }, ctx)).options;
    expect(passOn.map((o) => [o.from.id, o.parentId])).toEqual([[P('kabid-kesmas'), top]]);
    expect(passOn[0]!.targets.map((t) => t.id).sort()).toEqual([P('fungsional'), P('kasi-kesmas'), P('staf')]);
    await kabid.h['disposition.create']({
      letterId: letter.id, parentId: top, fromPositionId: P('kabid-kesmas'), to: [P('kasi-kesmas')], cc: [], instructions: ['Siapkan bahan'], note: '', urgency: 'segera', dueDate: '2026-03-06',
    }, ctx);
    await kabid.sync();

    const kasi = await desk('kasi.kesmas.dinkes');
    await kasi.sync();
    const toKasi = (await kasi.h['disposition.todo']({}, ctx)).toMe[0]!;
    await kasi.h['disposition.create']({
      letterId: letter.id, parentId: toKasi.dispositionId, fromPositionId: P('kasi-kesmas'), to: [P('staf')], cc: [], instructions: ['Siapkan bahan'], note: 'Data stok per puskesmas.', urgency: 'segera', dueDate: '2026-03-05',
    }, ctx);
    await kasi.sync();

    const staff = await desk('staf.dinkes');
    await staff.sync();
    const toStaff = (await staff.h['disposition.todo']({}, ctx)).toMe;
    expect(toStaff).toMatchObject([{ from: { id: P('kasi-kesmas'), holderName: 'Agus Prasetyo, S.Sos.' }, note: 'Data stok per puskesmas.' }]);
    await staff.h['disposition.report']({ dispositionId: toStaff[0]!.dispositionId, positionId: P('staf'), note: 'Data stok terlampir.' }, ctx);
    expect((await staff.h['disposition.todo']({}, ctx)).toMe).toEqual([]);
    await staff.sync();

    await kasi.sync();
    await kasi.h['disposition.report']({ dispositionId: toKasi.dispositionId, positionId: P('kasi-kesmas'), note: 'Bahan siap.' }, ctx);
    await kasi.sync();
    await kabid.sync();
    await kabid.h['disposition.report']({ dispositionId: top, positionId: P('kabid-kesmas'), note: 'Diajukan ke provinsi.' }, ctx);
    await kabid.sync();

    await head.sync();
    const trail = await head.h['disposition.trail']({ id: letter.id }, ctx);
    expect(trail.state).toBe('done');
    expect(trail.nodes.map((n) => [n.depth, n.from.id, n.recipients.filter((r) => r.kind === 'to').map((r) => [r.id, r.doneAt !== null, r.reportNote])])).toEqual([
      [0, P('penandatangan'), [[P('kabid-kesmas'), true, 'Diajukan ke provinsi.']]],
      [1, P('kabid-kesmas'), [[P('kasi-kesmas'), true, 'Bahan siap.']]],
      [2, P('kasi-kesmas'), [[P('staf'), true, 'Data stok terlampir.']]],
    ]);
    expect((await head.h['disposition.todo']({}, ctx)).disposedByMe).toMatchObject([{ dispositionId: top, done: 1, total: 1 }]);
    // The tembusan reached the Sekretaris for information.
    const secretary = await desk('verifikator.dinkes');
    await secretary.sync();
    expect((await secretary.h['disposition.todo']({}, ctx)).copies).toMatchObject([{ dispositionId: top, kind: 'cc' }]);
  });

  it('a report carries a file: the head downloads it at another desk and the lembar disposisi lists it; a file of another kind is refused and nothing is reported', async () => {
    const letter = await registeredLetter('Permintaan data gizi balita');
    const head = await headDisposes(letter.id, 'kabid-kesmas', 'Siapkan bahan');

    const kabid = await desk('kabid.kesmas.dinkes');
    await kabid.sync();
    const mine = (await kabid.h['disposition.todo']({}, ctx)).toMe[0]!;
    const report = async (file: { uploadId: string; name: string }) => kabid.h['disposition.report']({ dispositionId: mine.dispositionId, positionId: P('kabid-kesmas'), note: 'Rekap gizi balita terlampir.', file }, ctx);
    // A Word document is not a report file: refused with why, and the disposition is not reported.
    const word = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    await expect(report({ uploadId: await kabid.upload(word), name: 'rekap.docx' })).rejects.toMatchObject({ code: 'IMPORT_UNSUPPORTED', message: expect.stringMatching(/bukan PDF atau gambar/) });
    expect(kabid.d.store.sync.queue()).toEqual([]);

    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Rekap status gizi balita 2026', { x: 60, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    const pdf = await doc.save();
    const reported = await report({ uploadId: await kabid.upload(pdf), name: 'Rekap gizi balita.pdf' });
    expect(reported.nodes[0]!.recipients[0]).toMatchObject({ doneAt: expect.any(String), hasReportFile: true, reportFileName: 'Rekap gizi balita.pdf' });
    await kabid.sync();

    await head.sync();
    const trail = await head.h['disposition.trail']({ id: letter.id }, ctx);
    // The file's name travelled with its hash: the head's desk, which never had the file, names it too.
    expect(trail.nodes[0]!.recipients[0]).toMatchObject({ reportNote: 'Rekap gizi balita terlampir.', hasReportFile: true, reportFileName: 'Rekap gizi balita.pdf' });
    const ref = await head.h['disposition.reportFile']({ dispositionId: mine.dispositionId, positionId: P('kabid-kesmas') }, ctx);
    expect(ref).toMatchObject({ mediaType: 'application/pdf', size: pdf.byteLength, fileName: expect.stringMatching(/^laporan-.+-Kepala-Bidang-Kesehatan-Masyarakat\.pdf$/) });
    expect(Buffer.compare(await head.download(ref), Buffer.from(pdf))).toBe(0);
    // The printed sheet names the file attached to the report.
    const sheet = await head.h['disposition.sheet']({ id: letter.id, paper: 'A4' }, ctx);
    const text = await pdfText(Buffer.from(sheet.pdf, 'base64'));
    expect(text).toContain('Lampiran laporan: Rekap gizi balita.pdf (tersimpan di Loket)');
    // The letter's urgency and its security each under their own label.
    expect(text).toMatch(/Sifat\s*:\s*Biasa\s+Klasifikasi keamanan\s*:\s*Biasa\s/);
    expect(text).not.toContain('Biasa, Biasa');
  });

  it('a report file\'s name is only shown: a path, a control character or over 200 characters is refused by the server; a report an earlier desk queued without a name goes through', async () => {
    const letter = await registeredLetter('Permintaan data imunisasi');
    const head = await headDisposes(letter.id, 'kabid-kesmas', 'Siapkan bahan');
    const dispositionId = (await head.h['disposition.trail']({ id: letter.id }, ctx)).nodes[0]!.id;

    // What a desk that did not clean the name would send, straight to the server.
    const kabid = await env.srv.login('kabid.kesmas.dinkes', 'desk-kabid-nama-berkas');
    const report = (attachmentName?: string | null) => env.srv.pushOne(kabid, 'disposition.report', {
      dispositionId, positionId: P('kabid-kesmas'), note: 'Data terlampir.', ...(attachmentName === undefined ? { attachment: null } : { attachment: 'a'.repeat(64), attachmentName }),
    });
    for (const name of ['../../laporan.pdf', 'C:\\Users\\tu\\laporan.pdf', 'laporan\u202Efdp.exe', 'laporan\n.pdf', 'x'.repeat(201)]) {
      expect(await report(name), JSON.stringify(name)).toMatchObject({ status: 'rejected', code: 'VALIDATION', reason: expect.stringContaining('attachmentName') });
    }
    // A name without a file is no report file.
    expect(await env.srv.pushOne(kabid, 'disposition.report', { dispositionId, positionId: P('kabid-kesmas'), note: 'x', attachment: null, attachmentName: 'laporan.pdf' }))
      .toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    // Two hundred characters, emoji counted as one each, is within the limit (the desk shortens longer names to it).
    expect(DispositionReport.safeParse({ dispositionId, positionId: P('kabid-kesmas'), note: 'x', attachment: 'a'.repeat(64), attachmentName: '📄'.repeat(200) }).success).toBe(true);
    // Nothing refused was applied: the disposition still waits for its report, which an earlier desk sends without the field.
    expect(await report()).toMatchObject({ status: 'applied' });
    await head.sync();
    const trail = await head.h['disposition.trail']({ id: letter.id }, ctx);
    expect(trail.nodes[0]!.recipients[0]).toMatchObject({ doneAt: expect.any(String), reportNote: 'Data terlampir.', hasReportFile: false, reportFileName: null });
  });

  it('a pass-on of a disposition its sender cancelled meanwhile is refused and shows why', async () => {
    const letter = await registeredLetter('Undangan rapat koordinasi');
    const head = await headDisposes(letter.id, 'kabid-p2p', 'Hadiri');
    const kabid = await desk('kabid.p2p.dinkes');
    await kabid.sync();
    const received = (await kabid.h['disposition.todo']({}, ctx)).toMe[0]!;
    // The head takes it back before the Kepala Bidang's desk reports the reading…
    await head.h['disposition.cancel']({ dispositionId: received.dispositionId }, ctx);
    await head.sync();
    // …whose pass-on, written meanwhile, is refused by the server.
    await kabid.h['disposition.create']({ letterId: letter.id, parentId: received.dispositionId, fromPositionId: P('kabid-p2p'), to: [P('kasi-p2p')], cc: [], instructions: ['Hadiri'], note: '', urgency: 'biasa', dueDate: null }, ctx);
    await kabid.sync();
    const queue = kabid.d.store.sync.queue();
    expect(queue.filter((e) => e.state === 'rejected').map((e) => [e.entity, e.op, e.problem?.code])).toEqual([['disposition', 'create', 'DISPOSITION_CANCELLED']]);
    // Antrian Sinkron names it for a person: what it is and which letter.
    const shown = (await kabid.d.sync.handlers['sync.queue']({}, ctx)).items.find((i) => i.entity === 'disposition');
    expect(shown?.title).toBe(`Disposisi: Undangan rapat koordinasi (No. agenda ${String(letter.agendaNumber).padStart(4, "0")}/UMUM/2026)`);
    const trail = await kabid.h['disposition.trail']({ id: letter.id }, ctx);
    expect(trail.nodes.find((n) => n.depth === 1)?.refused).toMatch(/sudah dibatalkan/);
    expect(trail.nodes[0]?.cancelledAt).not.toBeNull();
    expect((await kabid.h['disposition.todo']({}, ctx)).toMe).toEqual([]);
  });
});
