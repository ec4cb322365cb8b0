// The admin sets the office's agenda number format and keeps the archival classification list,
// through the channels the Pengaturan screen uses, on a real store and router; on a desk working
// with the real server only an admin kantor may, on a desk without one anyone at the desk may.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { createEventBus } from '../../main/app/events.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers } from '../../main/ipc/router.ts';
import { letterHandlers } from '../../main/letters/incoming/handlers.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { outgoingAgendaEntry } from '../../main/letters/outgoing/outgoing.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { createTransfers, transferHandlers } from '../../main/documents/transfers.ts';
import { sendBytes } from '../support/transfers.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { createDeskSync, type DeskSync } from '../../main/sync/desk-sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';

const today = new Date('2026-11-23T09:00:00');
const ocr = createOcrService({ log: collectingLogger() });
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await ocr.close();
});

interface Desk {
  dir: string;
  store: Store;
  sync: DeskSync;
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
}

/** A desk as core.ts wires it; serverUrl '' is a desk without a server. */
function startDesk(serverUrl: string, caFile?: string): Desk {
  const dir = mkdtempSync(join(tmpdir(), 'loket-agenda-settings-'));
  const log = collectingLogger();
  const store = openStore(join(dir, 'loket.db'), { log });
  store.settings.update({ serverUrl }, 'test');
  const bus = createEventBus(log);
  const sync = createDeskSync({ dataDir: dir, store, bus, log, settings: () => store.settings.get(), serverCaFile: caFile, allowPlainLoopback: false });
  const transfers = createTransfers(join(dir, 'transfers'), log);
  const handlers = letterHandlers({
    store, documentsDir: join(dir, 'documents'), ocr, transfers, bus, log, now: () => today,
    actor: () => sync.session.user()?.id ?? 'meja:Meja Agenda',
    server: { url: () => sync.serverUrl(), online: () => true, user: () => sync.session.user(), numberBlocks: sync.numberBlocks },
  });
  const router = createRouter({ ...handlers, ...transferHandlers(transfers) } as Handlers, log);
  closers.push(async () => {
    await transfers.close();
    await sync.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, store, sync, call: (channel, payload) => router.call(channel, payload, { origin: 'test' }) };
}

async function ok<C extends Channel>(desk: Desk, channel: C, payload: RequestOf<C>) {
  const result = await desk.call(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

let letterCount = 0;
async function registerLetter(desk: Desk, classificationCode = '005') {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Perihal: Undangan rapat ${++letterCount}`, { x: 72, y: 700, size: 12, font });
  const uploadId = await sendBytes(desk.call, await doc.save());
  const { documentId } = await ok(desk, 'letters.import', { uploadId, name: `surat-${letterCount}.pdf` });
  const { letter } = await ok(desk, 'letters.register', {
    documentId,
    fields: {
      receivedDate: '2026-11-23', letterNumber: `005/${letterCount}/BPBD/2026`, letterDate: '2026-11-20', sender: 'BPBD Kabupaten Contoh', addressee: 'Kepala Dinas',
      subject: `Undangan rapat ${letterCount}`, summary: '', urgency: 'biasa', security: 'biasa', classificationCode, documentType: 'surat_biasa', attachmentCount: 0,
    },
  });
  return letter;
}

/** The field problems of a refusal, as the form reads them (details.issues). */
function issuesOf(result: InvokeResult<Channel>) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : (result.error.details?.['issues'] as Array<{ path: string[]; message: string }>);
}

describe('on a desk without a server, the person at the desk sets the agenda number format', () => {
  it('sees the next number with a new format before saving, and the next registered letter gets it; the change is in the audit log', async () => {
    const desk = startDesk('');
    expect(await ok(desk, 'letters.agendaConfig', {})).toEqual({ config: { template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' }, editable: true });
    expect((await registerLetter(desk)).agendaLabel).toBe('0001/UMUM/2026');

    const candidate = { template: '{klasifikasi}/{urut:3}/{kode_unit}/{bulan_romawi}/{tahun}', unitCode: 'SEKR' };
    expect(await ok(desk, 'letters.agendaConfig.preview', candidate)).toEqual({ label: '005/002/SEKR/XI/2026', sampleClassification: '005', numbersHeld: true });
    // A preview changes nothing.
    expect(desk.store.agenda.agendaConfig().template).toBe('{urut:4}/{kode_unit}/{tahun}');

    expect(await ok(desk, 'letters.agendaConfig.save', { template: `  ${candidate.template} `, unitCode: ' SEKR ' })).toEqual({ config: candidate, editable: true });
    expect(await ok(desk, 'letters.agendaConfig', {})).toEqual({ config: candidate, editable: true });
    expect((await registerLetter(desk, '800')).agendaLabel).toBe('800/002/SEKR/XI/2026');

    expect(desk.store.audit.list().filter((e) => e.action === 'agenda.config-updated').map((e) => [e.actor, JSON.parse(e.details)])).toEqual([
      ['meja:Meja Agenda', { from: { template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' }, to: candidate }],
    ]);
  });

  it('the outgoing book has a format and a counter of its own: an outgoing number never reads as an incoming one', async () => {
    const desk = startDesk('');
    expect(await ok(desk, 'letters.outgoingConfig', {})).toEqual({ config: { template: '{urut:4}/{kode_unit}/{bulan_romawi}/{tahun}', unitCode: 'UMUM' }, editable: true });
    expect(await ok(desk, 'letters.outgoingConfig.preview', { template: '{klasifikasi}/{urut}/{kode_unit}/{tahun}', unitCode: 'DINKES' }))
      .toEqual({ label: '005/1/DINKES/2026', sampleClassification: '005', numbersHeld: true });
    const incoming = await registerLetter(desk);
    expect(incoming.agendaLabel).toBe('0001/UMUM/2026');

    const outgoing = { template: '{klasifikasi}/{urut:3}/{kode_unit}/{tahun}', unitCode: 'DINKES' };
    expect(await ok(desk, 'letters.outgoingConfig.save', outgoing)).toEqual({ config: outgoing, editable: true });
    // The incoming agenda's format is untouched, and so is its counter.
    expect(await ok(desk, 'letters.agendaConfig', {})).toEqual({ config: { template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' }, editable: true });
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Nomor : ......', { x: 72, y: 740, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
    const letter = await importOutgoingForSigning(desk.store, createBlobStore(join(desk.dir, 'documents')), { bytes: await doc.save(), fileName: 'keluar.pdf', subject: 'Edaran', addressee: 'Puskesmas', signer: 'kepala', classificationCode: '440' }, 'test');
    expect(outgoingAgendaEntry(desk.store, letter, { today: '2026-11-23', hasServer: false, officeName: 'Dinas Kesehatan' }))
      .toMatchObject({ agendaNumber: 1, agendaYear: 2026, letterNumber: '440/001/DINKES/2026' });
    expect((await registerLetter(desk)).agendaLabel).toBe('0002/UMUM/2026');
    expect(desk.store.audit.list().filter((e) => e.action === 'outgoing.config-updated').map((e) => JSON.parse(e.details))).toEqual([
      { from: { template: '{urut:4}/{kode_unit}/{bulan_romawi}/{tahun}', unitCode: 'UMUM' }, to: outgoing },
    ]);
  });

  it('a template that does not parse, or has no {urut}, is refused with its field\'s message and nothing changes', async () => {
    const desk = startDesk('');
    const auditBefore = desk.store.audit.count();
    const cases: Array<[RequestOf<'letters.agendaConfig.save'>, string, RegExp]> = [
      [{ template: '{kode_unit}/{tahun}', unitCode: 'UMUM' }, 'template', /harus memuat \{urut\}/],
      [{ template: '{urut}/{nomor}/{tahun}', unitCode: 'UMUM' }, 'template', /\{nomor\}.*tidak dikenal/],
      [{ template: '{urut/{tahun}', unitCode: 'UMUM' }, 'template', /tidak dikenal|tidak ditutup/],
      [{ template: '   ', unitCode: 'UMUM' }, 'template', /wajib diisi/],
      [{ template: '{urut}/{kode_unit}', unitCode: '' }, 'unitCode', /Kode unit wajib diisi/],
      [{ template: '{urut}/{kode_unit}', unitCode: 'BAGIAN UMUM' }, 'unitCode', /spasi/],
      [{ template: '{urut}/{kode_unit}', unitCode: 'U'.repeat(21) }, 'unitCode', /paling panjang 20/],
    ];
    for (const [request, field, message] of cases) {
      for (const channel of ['letters.agendaConfig.save', 'letters.agendaConfig.preview'] as const) {
        const result = await desk.call(channel, request);
        expect(result.ok ? null : result.error.code).toBe('VALIDATION');
        expect(issuesOf(result)[0]).toEqual({ path: [field], message: expect.stringMatching(message) });
      }
    }
    expect(desk.store.agenda.agendaConfig()).toEqual({ template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' });
    expect(desk.store.audit.count()).toBe(auditBefore);
    expect((await registerLetter(desk)).agendaLabel).toBe('0001/UMUM/2026');
  });
});

describe('the classification list: the shipped codes are the seed, the admin adds codes and renames them', () => {
  it('a renamed code is found by its new name, a new code by its code, a code twice is refused; each change is audited', async () => {
    const desk = startDesk('');
    expect(await ok(desk, 'letters.classifications', { query: '005' })).toContainEqual({ code: '005', name: 'Undangan' });

    expect(await ok(desk, 'letters.classification.save', { code: '005', name: 'Undangan dan Pemberitahuan Rapat' })).toEqual({ code: '005', name: 'Undangan dan Pemberitahuan Rapat' });
    expect(await ok(desk, 'letters.classifications', { query: 'pemberitahuan rapat' })).toEqual([{ code: '005', name: 'Undangan dan Pemberitahuan Rapat' }]);

    expect(await ok(desk, 'letters.classification.add', { code: '005.9', name: 'Undangan Daring' })).toEqual({ code: '005.9', name: 'Undangan Daring' });
    expect(await ok(desk, 'letters.classifications', { query: '005.9' })).toEqual([{ code: '005.9', name: 'Undangan Daring' }]);
    expect((await registerLetter(desk, '005.9')).classificationCode).toBe('005.9');

    const twice = await desk.call('letters.classification.add', { code: '005', name: 'Lain' });
    expect(issuesOf(twice)[0]).toEqual({ path: ['code'], message: expect.stringMatching(/Kode 005 sudah ada \(Undangan dan Pemberitahuan Rapat\)/) });
    const badCode = await desk.call('letters.classification.add', { code: '5a', name: 'Lain' });
    expect(issuesOf(badCode)[0]?.path).toEqual(['code']);
    expect(desk.store.agenda.classification('005')?.name).toBe('Undangan dan Pemberitahuan Rapat');

    expect(desk.store.audit.list().filter((e) => e.entity === 'classification').map((e) => [e.action, e.entityId, JSON.parse(e.details)])).toEqual([
      ['classification.updated', '005', { from: 'Undangan', to: 'Undangan dan Pemberitahuan Rapat' }],
      ['classification.added', '005.9', { from: null, to: 'Undangan Daring' }],
    ]);
  });
});

describe('on a desk working with the real server, only an admin kantor changes them', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    closers.unshift(async () => {
      await srv.close();
      databases.stop();
      rmSync(tls.dir, { recursive: true, force: true });
    });
  });

  it('signed out or signed in as staff: read-only, every change refused in Bahasa Indonesia and nothing changes; as admin kantor: saved', async () => {
    const desk = startDesk(srv.url, tls.trusted.caCert);
    const change = { template: '{urut}/{kode_unit}/{tahun}', unitCode: 'DINKES' };
    const refusedChanges = async () => {
      for (const result of [
        await desk.call('letters.agendaConfig.save', change),
        await desk.call('letters.classification.save', { code: '005', name: 'Undangan Dinas' }),
        await desk.call('letters.classification.add', { code: '005.9', name: 'Undangan Daring' }),
      ]) {
        expect(result.ok ? null : result.error).toEqual(expect.objectContaining({ code: 'ADMIN_ROLE_REQUIRED', message: expect.stringMatching(/hanya admin kantor/) }));
      }
    };

    expect((await ok(desk, 'letters.agendaConfig', {})).editable).toBe(false);
    await refusedChanges();

    await desk.sync.auth.login('staf.dinkes', demoPassword);
    expect((await ok(desk, 'letters.agendaConfig', {})).editable).toBe(false);
    await refusedChanges();
    // The preview is no change: anyone may look.
    expect((await ok(desk, 'letters.agendaConfig.preview', change)).label).toMatch(/^\d+\/DINKES\/2026$/);
    expect(desk.store.agenda.agendaConfig()).toEqual({ template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' });
    expect(desk.store.agenda.classification('005')?.name).toBe('Undangan');
    expect(desk.store.audit.list().filter((e) => e.action === 'agenda.config-updated' || e.entity === 'classification')).toEqual([]);

    await desk.sync.auth.logout();
    await desk.sync.auth.login('admin.dinkes', demoPassword);
    expect((await ok(desk, 'letters.agendaConfig', {})).editable).toBe(true);
    expect((await ok(desk, 'letters.agendaConfig.save', change)).config).toEqual(change);
    expect(await ok(desk, 'letters.classification.save', { code: '005', name: 'Undangan Dinas' })).toEqual({ code: '005', name: 'Undangan Dinas' });
    const admin = desk.sync.session.user()!;
    expect(desk.store.audit.list().filter((e) => e.action === 'agenda.config-updated' || e.entity === 'classification').map((e) => [e.action, e.actor]))
      .toEqual([['agenda.config-updated', admin.id], ['classification.updated', admin.id]]);
  });
});
