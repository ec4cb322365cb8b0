// The desk's scan session with real parts: the device worker forked from the sources, libsane's
// test backend, the page pipeline's worker thread, SQLite and the blob store on disk. What a
// clerk would notice: pages arrive with thumbnails, a jam or a crashed worker keeps the pages
// that came before with a clear message, profiles are remembered, the stack becomes PDFs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import type { InjectedFault, TestOptions } from '../../main/devices/scanner/types.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import type { EventName } from '../../common/ipc/index.ts';
import type { ScanSession, ScanSettings } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import { createScanDesk, type ScanDesk } from '../../main/scan/session.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { useSaneTestBackend, withoutSane } from '../support/sane-test-backend.ts';

const backend = useSaneTestBackend();
/** The test backend's first device, by its desk id. */
const device = 'sane:test:0';
const pipeline = createPagePipeline();
let host: DeviceWorkerHost;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), heartbeatIntervalMs: 200, restartBackoffMs: 20, env: { LOKET_DEVICE_FAULTS: '1' } });
  await host.start();
});
afterAll(async () => {
  await host.stop();
  await pipeline.close();
  backend.cleanup();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Desk {
  desk: ScanDesk;
  store: Store;
  dir: string;
  events: { name: EventName; payload: unknown }[];
  pagesOnDisk(): string[];
}

function newDesk(options: { injectFault?: InjectedFault; dir?: string; stallTimeoutMs?: number } = {}): Desk {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'loket-scan-'));
  const store = openStore(join(dir, 'loket.db'));
  const events: Desk['events'] = [];
  const desk = createScanDesk({
    devices: host,
    pipeline,
    blobs: createBlobStore(join(dir, 'documents')),
    store,
    pagesDir: join(dir, 'scan-sessions'),
    emit: (name, payload) => events.push({ name, payload }),
    actor: () => 'meja:uji',
    log: collectingLogger(),
    ...(options.injectFault ? { injectFault: options.injectFault } : {}),
    ...(options.stallTimeoutMs ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
  });
  cleanups.push(async () => {
    await desk.idle();
    store.close();
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  });
  const pagesOnDisk = () => {
    const root = join(dir, 'scan-sessions');
    return existsSync(root) ? readdirSync(root).flatMap((s) => readdirSync(join(root, s)).filter((f) => f.endsWith('.page'))) : [];
  };
  return { desk, store, dir, events, pagesOnDisk };
}

/** Sets test-backend options the session leaves alone (picture, read delay) on the worker's device. */
function configure(options: TestOptions) {
  return host.request('scanner.testOptions', { device, options });
}

const flatbedGray: ScanSettings = { source: 'flatbed', mode: 'gray', resolution: 100, paperSize: 'a4' };
const feederGray: ScanSettings = { ...flatbedGray, source: 'adf' };

async function scan(desk: ScanDesk, settings: ScanSettings, extra: { profileId?: string } = {}): Promise<ScanSession> {
  await desk.start({ device, settings, placement: { kind: 'append' }, ...extra });
  await desk.idle();
  return desk.snapshot();
}

function failureOf(call: Promise<unknown>): Promise<AppError> {
  return call.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => {
      if (err instanceof AppError) return err;
      throw err;
    },
  );
}

describe.skipIf(withoutSane !== undefined)('scan session', () => {
  it('shows each page with its thumbnail as it arrives and saves the stack as one PDF per letter', async () => {
    const { desk, store, dir, events, pagesOnDisk } = newDesk();
    for (let i = 0; i < 3; i++) await scan(desk, flatbedGray);
    const session = desk.snapshot();
    expect(session.fault).toBeNull();
    expect(session.pages).toHaveLength(3);
    expect(pagesOnDisk()).toHaveLength(3);
    const thumbs = events.filter((e) => e.name === 'scan.page').map((e) => e.payload as { pageId: string; thumbnail: string });
    expect(thumbs.map((t) => t.pageId)).toEqual(session.pages.map((p) => p.id));
    for (const t of thumbs) expect(t.thumbnail).toMatch(/^data:image\/jpeg;base64,\/9j\//);

    // Last page first, then a second letter starting at the (new) third page.
    const [first, second, third] = session.pages.map((p) => p.id) as [string, string, string];
    desk.move(third, 0);
    desk.setStartsLetter(second, true);
    const letters = await desk.save('Undangan rapat');
    expect(letters.map((l) => l.pageCount)).toEqual([2, 1]);
    for (const letter of letters) {
      const row = store.documents.get(letter.documentId);
      expect(row).toMatchObject({ mediaType: 'application/pdf', pageCount: letter.pageCount, byteSize: letter.byteSize });
      const file = join(dir, 'documents', letter.documentId.slice(0, 2), letter.documentId.slice(2, 4), letter.documentId);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${letter.pageCount}\\n`));
    }
    expect(store.audit.list().filter((e) => e.action === 'scan.saved')).toHaveLength(2);
    // Saved: the session starts afresh and its page files are gone.
    expect(desk.snapshot().pages).toEqual([]);
    expect(pagesOnDisk()).toEqual([]);
    expect(first).not.toBe(second);
  });

  it.each([
    ['SCANNER_JAMMED', 'Kertas macet — halaman 1–3 sudah tersimpan.'],
    ['SCANNER_COVER_OPEN', 'Penutup pemindai terbuka — halaman 1–3 sudah tersimpan.'],
  ] as const)('keeps the pages before %s in the middle of a feeder batch and says which are safe', async (code, message) => {
    const { desk, events, pagesOnDisk } = newDesk({ injectFault: { afterPage: 3, fault: code } });
    const session = await scan(desk, feederGray);
    expect(session.pages).toHaveLength(3);
    expect(pagesOnDisk()).toHaveLength(3);
    expect(session.scanning).toBeNull();
    expect(session.fault).toMatchObject({ code, pagesKept: 3 });
    expect(session.fault?.message.startsWith(message)).toBe(true);
    expect(events.filter((e) => e.name === 'scan.fault')).toHaveLength(1);
  });

  it('keeps the pages when the device worker is killed mid-batch; the restarted worker scans the next page', async () => {
    const { desk, events } = newDesk();
    // Slow sheets (the test backend waits before each page), so the kill lands inside the batch.
    await configure({ 'read-delay': true, 'read-delay-duration': 20_000 });
    const restartsBefore = host.status().restarts;
    const pid = host.pid!;
    const secondPage = new Promise<void>((resolve) => {
      const off = host.onEvent((e) => {
        if (e.name === 'scanner.page' && e.payload.page.number === 2) {
          off();
          resolve();
        }
      });
    });
    await desk.start({ device, settings: feederGray, placement: { kind: 'append' } });
    await secondPage;
    process.kill(pid, 'SIGKILL');
    await desk.idle();

    const afterCrash = desk.snapshot();
    expect(afterCrash.pages).toHaveLength(2);
    expect(afterCrash.fault).toMatchObject({ code: 'DEVICE_WORKER_CRASHED', pagesKept: 2 });
    expect(afterCrash.fault?.message).toMatch(/^Proses pemindai berhenti mendadak — halaman 1–2 sudah tersimpan\./);
    expect(events.filter((e) => e.name === 'scan.page')).toHaveLength(2);

    await new Promise<void>((resolve) => {
      if (host.status().state === 'running' && host.status().restarts > restartsBefore) return resolve();
      const off = host.onStatus((s) => {
        if (s.state === 'running') {
          off();
          resolve();
        }
      });
    });
    expect(host.pid).not.toBe(pid);
    const next = await scan(desk, flatbedGray);
    expect(next.fault).toBeNull();
    expect(next.pages).toHaveLength(3);
    expect(next.pages.slice(0, 2).map((p) => p.id)).toEqual(afterCrash.pages.map((p) => p.id));
  });

  it('rescans in front of a page and in place of one, turns a page, and splits letters at a blank separator sheet that stays restorable', async () => {
    const { desk, events, pagesOnDisk } = newDesk();
    const ids = () => desk.snapshot().pages.map((p) => p.id);
    await configure({ 'test-picture': 'Solid black' });
    await scan(desk, flatbedGray);
    await scan(desk, flatbedGray);
    const [p1, p2] = ids() as [string, string];
    await configure({ 'test-picture': 'Solid white' });
    const blank = (await scan(desk, flatbedGray)).pages[2]!;
    expect(blank).toMatchObject({ blank: true, excluded: 'blank' });
    await configure({ 'test-picture': 'Grid' });
    const p4 = (await scan(desk, flatbedGray)).pages[3]!.id;

    await desk.start({ device, settings: flatbedGray, placement: { kind: 'insert', before: p2 } });
    await desk.idle();
    const inserted = ids()[1]!;
    expect(ids()).toEqual([p1, inserted, p2, blank.id, p4]);
    await desk.start({ device, settings: flatbedGray, placement: { kind: 'replace', pageId: p1 } });
    await desk.idle();
    const replacement = ids()[0]!;
    expect(ids()).toEqual([replacement, inserted, p2, blank.id, p4]);
    expect(pagesOnDisk()).toHaveLength(5);

    const turned = await desk.rotate(p2, 'right');
    expect(turned.pages.find((p) => p.id === p2)?.rotation).toBe(90);
    expect(events.filter((e) => e.name === 'scan.page').at(-1)?.payload).toMatchObject({ pageId: p2 });

    // The page after the separator sheet begins the second letter.
    expect(desk.splitAtBlanks().pages.find((p) => p.id === p4)?.startsLetter).toBe(true);
    // The dropped blank page comes back when asked, and can be left out again.
    expect(desk.setExcluded(blank.id, false).pages.find((p) => p.id === blank.id)?.excluded).toBeNull();
    expect(desk.setExcluded(blank.id, true).pages.find((p) => p.id === blank.id)?.excluded).toBe('deleted');
    const letters = await desk.save();
    expect(letters.map((l) => l.pageCount)).toEqual([3, 1]);
  });

  it('remembers the profile used last, across a restart of the desk; duplex is refused as not offered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-scan-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = newDesk({ dir });
    const initial = first.store.scanProfiles.list();
    expect(initial.profiles.map((p) => p.name)).toEqual(['Lampiran berwarna 300 dpi', 'Surat biasa: ADF dupleks 200 dpi']);
    expect(initial.lastUsedId).toBeNull();

    const duplex = initial.profiles.find((p) => p.settings.source === 'duplex')!;
    const refused = await failureOf(first.desk.start({ device, settings: duplex.settings, profileId: duplex.id, placement: { kind: 'append' } }));
    expect(refused.code).toBe('SCANNER_UNSUPPORTED');
    expect(refused.message).toBe('ADF dupleks tidak tersedia pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.');
    expect(first.store.scanProfiles.list().lastUsedId).toBeNull();

    const mine = first.store.scanProfiles.save({ name: 'Kaca abu-abu 100 dpi', settings: flatbedGray }, 'meja:uji');
    expect(await scan(first.desk, flatbedGray, { profileId: mine.id })).toMatchObject({ fault: null });
    await first.desk.discard();
    await cleanups.pop()!(); // closes the first desk's store

    const second = newDesk({ dir });
    const remembered = second.store.scanProfiles.list();
    expect(remembered.lastUsedId).toBe(mine.id);
    expect(remembered.profiles.find((p) => p.id === mine.id)).toMatchObject({ name: 'Kaca abu-abu 100 dpi', settings: flatbedGray });
    const dup = await failureOf(Promise.resolve().then(() => second.store.scanProfiles.save({ name: 'kaca ABU-ABU 100 dpi', settings: feederGray }, 'meja:uji')));
    expect(dup.message).toBe('Nama profil "kaca ABU-ABU 100 dpi" sudah dipakai. Pilih nama lain.');
  });

  it('takes up the pages left on disk when main starts again, in the clerk’s order with their turns and exclusions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-scan-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = newDesk({ dir });
    for (let i = 0; i < 3; i++) await scan(first.desk, flatbedGray);
    const [a, b, c] = first.desk.snapshot().pages.map((p) => p.id) as [string, string, string];
    first.desk.move(c, 0);
    await first.desk.rotate(a, 'right');
    first.desk.setExcluded(b, true);
    // Main goes away without saving: nothing but the files in the data folder remains.
    await cleanups.pop()!();

    const second = newDesk({ dir });
    await second.desk.idle();
    expect(second.desk.snapshot().pages.map((p) => [p.id, p.rotation, p.excluded])).toEqual([[c, 0, null], [a, 90, null], [b, 0, 'deleted']]);
    expect(Object.keys(second.desk.thumbnails())).toHaveLength(3);
    expect((await second.desk.save()).map((l) => l.pageCount)).toEqual([2]);
    expect(second.pagesOnDisk()).toEqual([]);
  });

  it('refuses a second scan while one runs, and a cancelled batch keeps the pages scanned so far', async () => {
    const { desk } = newDesk();
    await configure({ 'read-delay': true, 'read-delay-duration': 20_000 });
    try {
      const firstPage = new Promise<void>((resolve) => {
        const off = host.onEvent((e) => {
          if (e.name === 'scanner.page') {
            off();
            resolve();
          }
        });
      });
      await desk.start({ device, settings: feederGray, placement: { kind: 'append' } });
      const busy = await failureOf(desk.start({ device, settings: feederGray, placement: { kind: 'append' } }));
      expect(busy.code).toBe('SCANNER_BUSY');
      await firstPage;
      expect(await desk.cancel()).toEqual({ cancelled: true });
      await desk.idle();
      const session = desk.snapshot();
      expect(session.fault?.code).toBe('SCANNER_CANCELLED');
      expect(session.pages.length).toBe(session.fault?.pagesKept);
      expect(session.pages.length).toBeGreaterThanOrEqual(1);
      expect(session.fault?.message).toBe(session.pages.length === 1 ? 'Pemindaian dibatalkan — halaman 1 sudah tersimpan.' : `Pemindaian dibatalkan — halaman 1–${session.pages.length} sudah tersimpan.`);
    } finally {
      await configure({ 'read-delay': false });
    }
  });

  it('reports a scanner that is not there instead of waiting for it', async () => {
    const { desk } = newDesk();
    const failure = await failureOf(desk.start({ device: 'sane:test:7', settings: flatbedGray, placement: { kind: 'append' } }));
    expect(failure.code).toBe('SCANNER_NOT_FOUND');
    expect(desk.snapshot().scanning).toBeNull();
  });

  it('reports a scanner that stops delivering data instead of waiting for it', async () => {
    // The stall limit is shorter than the backend's pause between reads: the desk takes it for a scanner that went away.
    const { desk } = newDesk({ stallTimeoutMs: 50 });
    await configure({ 'read-delay': true, 'read-delay-duration': 200_000 });
    try {
      const session = await scan(desk, flatbedGray);
      expect(session.scanning).toBeNull();
      expect(session.fault).toMatchObject({ code: 'DEVICE_TIMEOUT', pagesKept: 0 });
      expect(session.fault?.message).toMatch(/^Pemindai berhenti menjawab \(mungkin dicabut atau dimatikan\) — belum ada halaman yang terpindai\./);
    } finally {
      await configure({ 'read-delay': false });
    }
  });
});
