// Agenda numbers of a desk that works with the central server come from blocks the server leased to
// it: the desk (real store, real Surat Masuk handlers, real sign-in and sync engine) keeps a supply
// leased while an operator or admin is signed in and online, numbers from it offline, and refuses in
// Bahasa Indonesia when it runs out — while a desk without a server still numbers freely.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { createEventBus, type EventBus } from '../../main/app/events.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import type { IncomingLetterFields } from '../../common/ipc/incoming.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { letterHandlers } from '../../main/letters/incoming/handlers.ts';
import { createTransfers, transferHandlers } from '../../main/documents/transfers.ts';
import { sendBytes } from '../support/transfers.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { createDeskSync, type DeskSync } from '../../main/sync/desk-sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';

const today = new Date('2026-11-23T09:00:00');
const ocr = createOcrService({ log: collectingLogger() });
const databases = new Databases('sqlite');
let tls: TestTls;
let srv: TestServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  tls = createTestTls();
  // Small blocks, so the desk leases more than once and runs out within a test.
  srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 10 } } });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await srv?.close();
  databases.stop();
  await ocr.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

interface Desk {
  store: Store;
  sync: DeskSync;
  bus: EventBus;
  /** What the connectivity monitor would say; the test flips it. */
  online: boolean;
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
}

/** A desk as core.ts wires it: Surat Masuk handlers numbering through the desk's server (none when serverUrl is ''). */
function startDesk(serverUrl: string, now: () => Date = () => today): Desk {
  const dir = mkdtempSync(join(tmpdir(), 'loket-leases-'));
  const log = collectingLogger();
  const store = openStore(join(dir, 'loket.db'), { log });
  store.settings.update({ serverUrl, deskName: `Meja ${dir.slice(-6)}` }, 'test');
  const bus = createEventBus(log);
  const sync = createDeskSync({ dataDir: dir, store, bus, log, settings: () => store.settings.get(), serverCaFile: tls.trusted.caCert, allowPlainLoopback: false });
  const desk: Desk = { store, sync, bus, online: true, call: undefined as unknown as Desk['call'] };
  const transfers = createTransfers(join(dir, 'transfers'), log);
  const handlers = letterHandlers({
    store, documentsDir: join(dir, 'documents'), ocr, transfers, bus, log, now,
    actor: () => sync.session.user()?.id ?? 'meja:uji',
    server: { url: () => sync.serverUrl(), online: () => desk.online, user: () => sync.session.user(), numberBlocks: sync.numberBlocks },
  });
  const router: Router = createRouter({ ...handlers, ...transferHandlers(transfers) } as Handlers, log);
  desk.call = (channel, payload) => router.call(channel, payload, { origin: 'test' });
  closers.push(async () => {
    await transfers.close();
    await sync.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return desk;
}

let letterCount = 0;
/** Imports a one-page PDF the way the Catat screen does; returns its document id. */
async function importLetter(desk: Desk): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Perihal: Permohonan data ${++letterCount}`, { x: 72, y: 700, size: 12, font });
  const uploadId = await sendBytes(desk.call, await doc.save());
  const imported = await desk.call('letters.import', { uploadId, name: `surat-${letterCount}.pdf` });
  if (!imported.ok) throw new Error(imported.error.message);
  return imported.value.documentId;
}

const fields = (): IncomingLetterFields => ({
  receivedDate: '2026-11-23', letterNumber: `440/${letterCount}/PKM/2026`, letterDate: '2026-11-20', sender: 'Puskesmas Kecamatan Utara',
  addressee: 'Kepala Dinas', subject: `Permohonan data imunisasi ${letterCount}`, summary: '', urgency: 'biasa', security: 'biasa',
  classificationCode: '005', documentType: 'surat_biasa', attachmentCount: 0,
});

async function register(desk: Desk, documentId?: string) {
  return desk.call('letters.register', { documentId: documentId ?? await importLetter(desk), fields: fields() });
}

/** The blocks of the incoming book (the desk keeps the outgoing book supplied too). */
const incomingBlocks = (store: Store) => store.agenda.blocks().filter((b) => b.book === 'in');

/** The incoming numbers the desk holds and has not given yet this year. */
function numbersLeft(store: Store): number {
  const last = store.agenda.lastIssued(2026);
  return incomingBlocks(store).filter((b) => b.year === 2026).reduce((n, b) => n + Math.max(0, b.last! - Math.max(b.first, last + 1) + 1), 0);
}

const serverLetters = (officeId: string) =>
  srv.server.db.selectFrom('letters').select(['id', 'agenda_number']).where('office_id', '=', officeId).execute();

describe('a desk with a server numbers incoming letters from blocks leased to it', () => {
  it('signed in as the demo operator, it leases at sign-in, numbers from its blocks, and every letter is applied at sync', async () => {
    const desk = startDesk(srv.url);
    await desk.sync.auth.login('operator.dinkes', demoPassword);
    // The server "comes back" three times while the sign-in's lease is under way: leases never run side by side.
    for (let i = 0; i < 3; i++) desk.bus.emit('connectivity.changed', { state: 'online', checkedAt: new Date().toISOString() });
    // Sign-in tops up the supply to the low-water mark (20): two blocks of 10, no more.
    await vi.waitFor(() => expect(numbersLeft(desk.store)).toBeGreaterThanOrEqual(20));
    const leases = await srv.server.db.selectFrom('number_leases').select(['id', 'first_number', 'last_number']).where('office_id', '=', 'office-dinkes').where('book', '=', 'in').execute();
    expect(leases).toHaveLength(2);
    // The outgoing book (numbered when a letter is signed) is supplied the same way.
    await vi.waitFor(async () => expect(await srv.server.db.selectFrom('number_leases').select('id').where('office_id', '=', 'office-dinkes').where('book', '=', 'out').execute()).toHaveLength(2));
    expect(incomingBlocks(desk.store).map((b) => ({ leaseId: b.leaseId, first: b.first, last: b.last })).sort((a, b) => a.first - b.first))
      .toEqual(leases.map((l) => ({ leaseId: l.id, first: l.first_number, last: l.last_number })).sort((a, b) => a.first - b.first));

    const numbers: number[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await register(desk);
      if (!result.ok) throw new Error(result.error.message);
      numbers.push(result.value.letter.agendaNumber!);
      expect(result.value.letter.agendaLabel).toBe(`${String(result.value.letter.agendaNumber).padStart(4, '0')}/UMUM/2026`);
    }
    const held = incomingBlocks(desk.store);
    for (const n of numbers) expect(held.some((b) => b.first <= n && n <= b.last!)).toBe(true);
    expect(new Set(numbers).size).toBe(5);
    // Each registration tops the supply up again: it never falls below the mark while online.
    await vi.waitFor(() => expect(numbersLeft(desk.store)).toBeGreaterThanOrEqual(20));
    // Five registrations asked five times; one more block was enough.
    expect(await srv.server.db.selectFrom('number_leases').select('id').where('office_id', '=', 'office-dinkes').where('book', '=', 'in').execute()).toHaveLength(3);
    expect(incomingBlocks(desk.store)).toHaveLength(3);

    const status = await desk.sync.engine.syncNow();
    expect(status).toMatchObject({ state: 'idle', lastError: null, counts: { pending: 0, in_progress: 0, failed: 0, rejected: 0 } });
    const onServer = await serverLetters('office-dinkes');
    expect(onServer.map((l) => l.agenda_number).sort((a, b) => a - b)).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('offline it goes on numbering from what it holds; when that runs out it refuses clearly, loses nothing, and registers once numbers come back', async () => {
    const desk = startDesk(srv.url);
    await desk.sync.auth.login('admin.disdik', demoPassword);
    await vi.waitFor(() => expect(numbersLeft(desk.store)).toBeGreaterThanOrEqual(20));

    desk.online = false;
    const supply = numbersLeft(desk.store);
    for (let i = 0; i < supply; i++) {
      const result = await register(desk);
      expect(result.ok ? result.value.letter.agendaYear : result.error.code).toBe(2026);
    }
    expect(numbersLeft(desk.store)).toBe(0);
    const blocksBefore = incomingBlocks(desk.store).length;

    const documentId = await importLetter(desk);
    const before = { letters: desk.store.dashboard('2026-11-23').incomingTotal, outbox: desk.store.outbox.countPending(), audit: desk.store.audit.count() };
    const refused = await register(desk, documentId);
    expect(refused.ok ? 'registered' : refused.error.code).toBe('AGENDA_NUMBERS_EXHAUSTED');
    if (!refused.ok) expect(refused.error.message).toMatch(/habis.*server.*admin kantor/);
    expect({ letters: desk.store.dashboard('2026-11-23').incomingTotal, outbox: desk.store.outbox.countPending(), audit: desk.store.audit.count() }).toEqual(before);
    // The document stays on the desk, not registered, ready for Simpan again; nothing was leased while offline.
    const described = await desk.call('letters.document', { documentId });
    expect(described.ok ? described.value.registeredAs : 'missing').toBeNull();
    expect(incomingBlocks(desk.store)).toHaveLength(blocksBefore);

    // The server answers again: the connectivity monitor's event brings a new block.
    desk.online = true;
    desk.bus.emit('connectivity.changed', { state: 'online', checkedAt: new Date().toISOString() });
    await vi.waitFor(() => expect(numbersLeft(desk.store)).toBeGreaterThanOrEqual(20));
    const saved = await register(desk, documentId);
    expect(saved.ok ? saved.value.letter.agendaNumber : saved.error.message).toEqual(expect.any(Number));

    const status = await desk.sync.engine.syncNow();
    expect(status).toMatchObject({ state: 'idle', lastError: null, counts: { pending: 0, in_progress: 0, failed: 0, rejected: 0 } });
    const onServer = await serverLetters('office-disdik');
    expect(onServer).toHaveLength(supply + 1);
    expect(new Set(onServer.map((l) => l.agenda_number)).size).toBe(supply + 1);
  });

  it('a person not allowed to lease gets no block, and the desk does not number on its own', async () => {
    const desk = startDesk(srv.url);
    await desk.sync.auth.login('staf.setda', demoPassword);
    const refused = await register(desk);
    expect(refused.ok ? 'registered' : refused.error.code).toBe('AGENDA_NUMBERS_EXHAUSTED');
    expect(desk.store.agenda.blocks()).toEqual([]);
    expect(await srv.server.db.selectFrom('number_leases').select('id').where('office_id', '=', 'office-setda').execute()).toEqual([]);
  });
});

describe('numbers left over when a year ends', () => {
  it('are kept through January for letters received in December, then reported once, and the server retires them', async () => {
    const clock = { now: new Date('2025-12-30T09:00:00') };
    const desk = startDesk(srv.url, () => clock.now);
    const online = () => desk.bus.emit('connectivity.changed', { state: 'online', checkedAt: clock.now.toISOString() });
    const received = (receivedDate: string) => ({ ...fields(), receivedDate, letterDate: receivedDate });
    const blocksOf = (year: number) => incomingBlocks(desk.store).filter((b) => b.year === year);
    await desk.sync.auth.login('operator.setda', demoPassword);
    await vi.waitFor(() => expect(blocksOf(2025).reduce((n, b) => n + b.last! - b.first + 1, 0)).toBeGreaterThanOrEqual(20));
    const given: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await desk.call('letters.register', { documentId: await importLetter(desk), fields: received('2025-12-30') });
      if (!result.ok) throw new Error(result.error.message);
      given.push(result.value.letter.agendaNumber!);
    }

    // January: the new year's numbers are leased, last year's stay for a letter received on 31 December.
    clock.now = new Date('2026-01-15T09:00:00');
    online();
    await vi.waitFor(() => expect(blocksOf(2026).reduce((n, b) => n + b.last! - b.first + 1, 0)).toBeGreaterThanOrEqual(20));
    const late = await desk.call('letters.register', { documentId: await importLetter(desk), fields: received('2025-12-31') });
    if (!late.ok) throw new Error(late.error.message);
    expect(late.value.letter.agendaYear).toBe(2025);
    given.push(late.value.letter.agendaNumber!);
    expect(blocksOf(2025).every((b) => b.unusedReportedAt === null)).toBe(true);
    await desk.sync.engine.syncNow();

    // February: what was never given is reported, once per block, and the server keeps it retired.
    clock.now = new Date('2026-02-02T09:00:00');
    online();
    await vi.waitFor(() => expect(blocksOf(2025).every((b) => b.unusedReportedAt !== null)).toBe(true));
    const held = blocksOf(2025).flatMap((b) => Array.from({ length: b.last! - b.first + 1 }, (_, i) => ({ leaseId: b.leaseId, number: b.first + i })));
    const retired = await srv.server.db.selectFrom('unused_numbers').select(['lease_id as leaseId', 'number'])
      .where('office_id', '=', 'office-setda').where('book', '=', 'in').where('year', '=', 2025).execute();
    expect(retired.sort((a, b) => a.number - b.number)).toEqual(held.filter((h) => !given.includes(h.number)));
    // Another trigger, given time to run: nothing is reported twice.
    online();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reports = await srv.server.db.selectFrom('audit_log').select('seq').where('action', '=', 'numbering.unused').where('office_id', '=', 'office-setda').execute();
    // Once per block of either book (the outgoing book's numbers, never given here, are retired too).
    expect(reports).toHaveLength(desk.store.agenda.blocks().filter((b) => b.year === 2025).length);

    // A letter of last year found only now gets no retired number: the clerk is told the numbers ran out.
    const tooLate = await desk.call('letters.register', { documentId: await importLetter(desk), fields: received('2025-12-31') });
    expect(tooLate.ok ? tooLate.value.letter.agendaLabel : tooLate.error.code).toBe('AGENDA_NUMBERS_EXHAUSTED');
  });

  it('on New Year morning at the office (WIB) the new year is supplied, though the computer (UTC) still says 31 December', async () => {
    // 1 January 2027, 06.00 WIB.
    const desk = startDesk(srv.url, () => new Date('2026-12-31T23:00:00Z'));
    await desk.sync.auth.login('operator.dinkes', demoPassword);
    await vi.waitFor(() => expect(incomingBlocks(desk.store).filter((b) => b.year === 2027).reduce((n, b) => n + b.last! - b.first + 1, 0)).toBeGreaterThanOrEqual(20));
    const result = await desk.call('letters.register', { documentId: await importLetter(desk), fields: { ...fields(), receivedDate: '2027-01-01', letterDate: '2026-12-30' } });
    expect(result.ok ? { year: result.value.letter.agendaYear, label: result.value.letter.agendaLabel } : result.error.message)
      .toEqual({ year: 2027, label: expect.stringMatching(/^\d{4}\/UMUM\/2027$/) });
  });
});

describe('a desk without a server', () => {
  it('numbers freely from its own sequence and leases nothing', async () => {
    const desk = startDesk('');
    const labels: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await register(desk);
      if (!result.ok) throw new Error(result.error.message);
      labels.push(result.value.letter.agendaLabel!);
    }
    expect(labels).toEqual(['0001/UMUM/2026', '0002/UMUM/2026', '0003/UMUM/2026']);
    expect(desk.store.agenda.blocks()).toEqual([]);
  });
});
