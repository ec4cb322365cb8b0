// The desk's scan session: the stack of pages the clerk is scanning into one or more letters.
// The device worker writes each page into the session's folder and announces it by an event;
// the page is then processed off the main thread (deskew, blank detection, compact encoding) and pushed to
// the renderer with its thumbnail. A scan that ends early (jam, open cover, a crashed worker, a
// scanner that stops answering) keeps every page that arrived and says so in Bahasa Indonesia.
// Saving turns each letter into one PDF in the content-addressed store; it counts as saved only
// once the file is fsynced and its document row committed. When main starts again after a crash
// or a power cut, the pages still on disk come back as the session, in the clerk's order.
import { readdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DeviceWorkerHost } from '../devices/host.ts';
import type { DeviceEvent, DeviceParams } from '../devices/protocol.ts';
import type { ScannedPageMessage, ScannerProblem } from '../devices/scanner/service.ts';
import type { InjectedFault, Scanner } from '../devices/scanner/types.ts';
import type { BlobStore } from '../documents/blob-store.ts';
import type { EventName, EventOf } from '../../common/ipc/index.ts';
import type { ScanFault, ScanPage, ScanPlacement, ScanSession, ScanSettings } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { Store } from '../store/store.ts';
import { scanFault } from './faults.ts';
import { openPageFiles, type PageFiles } from './session-files.ts';
import type { PagePipeline, ProcessedPage, QuarterTurn } from './pipeline/types.ts';
import type { NetworkScanners } from './network-scanners.ts';

export interface ScanSessionDeps {
  devices: Pick<DeviceWorkerHost, 'request' | 'onEvent'>;
  pipeline: PagePipeline;
  blobs: BlobStore;
  store: Store;
  /** Where the session keeps its pages until they are saved. */
  pagesDir: string;
  emit<E extends EventName>(name: E, payload: EventOf<E>): void;
  actor(): string;
  log: Logger;
  /** A scan that delivers no data for this long counts as a scanner that went away. */
  stallTimeoutMs?: number;
  /** Test hook: passed to the worker, which honours it only when started with fault injection. */
  injectFault?: InjectedFault;
  /** The desk's network scanners: told to the worker before it lists or scans, and taught by each listing. */
  network?: Pick<NetworkScanners, 'settings' | 'listed'>;
}

export interface StartScan {
  device: string;
  settings: ScanSettings;
  profileId?: string | undefined;
  placement: ScanPlacement;
}

export interface SavedLetter {
  documentId: string;
  pageCount: number;
  byteSize: number;
  existed: boolean;
}

interface Page {
  id: string;
  processed: ProcessedPage;
  excluded: ScanPage['excluded'];
  startsLetter: boolean;
}

interface Running {
  scanId: string;
  device: string;
  page: number;
  fraction: number | null;
}

/** How long a scan may take in all (a 100-sheet batch at 600 dpi included); the stall timer catches hangs sooner. */
const scanRequestTimeoutMs = 6 * 60 * 60_000;
/** How long the scanner may take to open and take the settings (a network scanner is slow to answer). */
const prepareTimeoutMs = 60_000;
/** After a stalled scan was cancelled, how long to wait for the worker's answer before giving up on it. */
const cancelGraceMs = 5_000;

function thumbnailUrl(page: ProcessedPage): string {
  return `data:${page.thumbnail.mediaType};base64,${Buffer.from(page.thumbnail.data).toString('base64')}`;
}

export interface ScanDesk {
  /**
   * Lists the scanners with what each can do (which can take seconds with network scanners), and
   * what cannot be used now and why; remembers them for start().
   */
  listDevices(): Promise<{ scanners: Scanner[]; problems: ScannerProblem[] }>;
  snapshot(): ScanSession;
  thumbnails(): Record<string, string>;
  start(request: StartScan): Promise<{ scanId: string }>;
  cancel(): Promise<{ cancelled: boolean }>;
  move(pageId: string, toIndex: number): ScanSession;
  rotate(pageId: string, turn: 'left' | 'right'): Promise<ScanSession>;
  setExcluded(pageId: string, excluded: boolean): ScanSession;
  setStartsLetter(pageId: string, startsLetter: boolean): ScanSession;
  splitAtBlanks(): ScanSession;
  /** A kept page as a JPG file (one regulation asks for JPG per page), turned as the clerk sees it and named by its place in the stack. */
  pageJpeg(pageId: string): Promise<{ fileName: string; jpeg: Uint8Array }>;
  /** Any page, left out or not, as a JPG for the large view. */
  pageView(pageId: string): Promise<{ fileName: string; jpeg: Uint8Array }>;
  save(title?: string): Promise<SavedLetter[]>;
  discard(): Promise<ScanSession>;
  /** Resolves when the running scan (or the recovery of a session left on disk) has ended and its pages are in the session. */
  idle(): Promise<void>;
}

export function createScanDesk(deps: ScanSessionDeps): ScanDesk {
  const { devices, pipeline, store, log } = deps;
  const stallTimeoutMs = deps.stallTimeoutMs ?? 90_000;

  let sessionId = uuidv7();
  let files: Promise<PageFiles> | undefined;
  let pages: Page[] = [];
  let running: Running | null = null;
  let fault: ScanFault | null = null;
  let scanDone: Promise<void> = Promise.resolve();
  let manifestWrites: Promise<void> = Promise.resolve();
  let saving = false;
  const knownDevices = new Map<string, Scanner>();

  /** The worker may have been restarted since: it is told the desk's network scanners before each list and scan. */
  async function configureWorker(): Promise<void> {
    if (deps.network !== undefined) await devices.request('scanner.configure', deps.network.settings());
  }

  async function listDevices(): Promise<{ scanners: Scanner[]; problems: ScannerProblem[] }> {
    await configureWorker();
    const listing = await devices.request('scanner.list', {});
    knownDevices.clear();
    for (const device of listing.scanners) knownDevices.set(device.id, device);
    deps.network?.listed(listing.scanners, listing.problems);
    return listing;
  }

  const pageFiles = () => (files ??= openPageFiles(join(deps.pagesDir, sessionId)));

  function snapshot(): ScanSession {
    return {
      id: sessionId,
      scanning: running === null ? null : { ...running },
      pages: pages.map((p) => ({ id: p.id, rotation: p.processed.rotation, blank: p.processed.blank, colour: p.processed.colour, excluded: p.excluded, startsLetter: p.startsLetter })),
      fault,
    };
  }

  function changed(): ScanSession {
    const s = snapshot();
    deps.emit('scan.changed', s);
    const target = files;
    if (target !== undefined) {
      const manifest = { pages: s.pages.map(({ id, rotation, excluded, startsLetter }) => ({ id, rotation, excluded, startsLetter })) };
      manifestWrites = manifestWrites
        .then(async () => (await target).writeManifest(manifest))
        .catch((err: unknown) => log.warn('scan session manifest not written', { err }));
    }
    return s;
  }

  /** Takes up the newest session left on disk by an earlier run of main. */
  async function recover(): Promise<void> {
    let dirs: string[];
    try {
      dirs = (await readdir(deps.pagesDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    } catch {
      return; // no session was ever started on this desk
    }
    const latest = dirs.at(-1);
    if (latest === undefined) return;
    if (dirs.length > 1) log.warn('older scan sessions left on disk, not opened', { sessions: dirs.slice(0, -1) });
    const stored = await openPageFiles(join(deps.pagesDir, latest));
    const ids = await stored.ids();
    if (ids.length === 0) return stored.clear();
    const manifest = await stored.readManifest();
    const remembered = new Map((manifest?.pages ?? []).map((p) => [p.id, p]));
    // The clerk's order first; pages that arrived after the last manifest write go at the end.
    const order = [...(manifest?.pages ?? []).map((p) => p.id).filter((id) => ids.includes(id)), ...ids.filter((id) => !remembered.has(id))];
    sessionId = latest;
    files = Promise.resolve(stored);
    for (const id of order) {
      const meta = remembered.get(id);
      let processed: ProcessedPage;
      try {
        processed = await pipeline.process({ file: stored.path(id) }, { deskew: true, rotate: meta?.rotation ?? 0 });
      } catch (err) {
        // Moved beside the session folders (which are the only thing read back): kept for support, never deleted with the session.
        const keptAt = join(deps.pagesDir, `${id}.page`);
        await rename(stored.path(id), keptAt).catch(() => undefined);
        log.error('scanned page on disk could not be processed; left out of the recovered session and kept aside', { session: latest, page: id, keptAt, err });
        continue;
      }
      pages.push({ id, processed, excluded: meta?.excluded ?? (processed.blank ? 'blank' : null), startsLetter: meta?.startsLetter ?? false });
      deps.emit('scan.page', { pageId: id, thumbnail: thumbnailUrl(processed) });
    }
    log.info('scan session recovered from disk', { session: latest, pages: pages.length });
    changed();
  }
  const recovered = recover().catch((err: unknown) => log.error('scan session left on disk could not be recovered', { err }));
  scanDone = recovered;

  function pageOrNotFound(pageId: string): Page {
    const page = pages.find((p) => p.id === pageId);
    if (page === undefined) throw new AppError('NOT_FOUND', 'Halaman ini tidak ada lagi di hasil pindai (mungkin sudah diganti). Muat ulang layar Pindai.', { pageId });
    return page;
  }

  function notWhileBusy(): void {
    if (saving) throw new AppError('SCANNER_BUSY', 'Hasil pindai sedang disimpan. Tunggu sampai selesai.');
  }

  /** Where the pages of one scan go: appended, before a page, or in place of one (the rest after it). */
  function placer(placement: ScanPlacement): (page: Page) => Promise<void> {
    let after: string | undefined;
    return async (page) => {
      const anchorAfter = after === undefined ? -1 : pages.findIndex((p) => p.id === after);
      if (anchorAfter >= 0) pages.splice(anchorAfter + 1, 0, page);
      else if (placement.kind === 'insert' && pages.some((p) => p.id === placement.before)) pages.splice(pages.findIndex((p) => p.id === placement.before), 0, page);
      else if (placement.kind === 'replace' && pages.some((p) => p.id === placement.pageId)) {
        const at = pages.findIndex((p) => p.id === placement.pageId);
        const [old] = pages.splice(at, 1, page);
        page.startsLetter = old?.startsLetter ?? false;
        await (await pageFiles()).remove(placement.pageId);
      } else pages.push(page);
      if (placement.kind !== 'append') after = page.id;
    };
  }

  // The page is on disk already (the device worker wrote it before announcing it): its file name is its id.
  async function acceptPage(message: ScannedPageMessage, place: (page: Page) => Promise<void>): Promise<void> {
    const id = basename(message.file, '.page');
    const processed = await pipeline.process({ file: message.file }, { deskew: true });
    const page: Page = { id, processed, excluded: processed.blank ? 'blank' : null, startsLetter: false };
    await place(page);
    deps.emit('scan.page', { pageId: id, thumbnail: thumbnailUrl(processed) });
    changed();
  }

  /**
   * Runs one scan in the device worker. `started` settles once the scanner took the settings, or
   * with the reason it did not (nothing was scanned then: the caller is told, no fault is shown);
   * `done` once the scan has ended, its pages are in the session and any fault is shown.
   */
  function run(scan: Running, settings: ScanSettings, placement: ScanPlacement): { started: Promise<void>; done: Promise<void> } {
    const place = placer(placement);
    let received = 0;
    let pageWork: Promise<unknown> = Promise.resolve();
    let pageFailure: unknown;
    let pagesLost = 0;
    let stallTimer: NodeJS.Timeout | undefined;
    let stalled = false;
    let giveUp: (err: AppError) => void = () => {};
    const abandoned = new Promise<never>((_, reject) => (giveUp = reject));
    let begun = false;
    let markStarted: () => void = () => {};
    let refuse: (err: unknown) => void = () => {};
    const started = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      refuse = reject;
    });
    const armStall = (ms = stallTimeoutMs) => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        log.warn('scan stalled: no data from the scanner; cancelling', { scanId: scan.scanId, device: scan.device, waitedMs: ms });
        stalled = true;
        void devices.request('scanner.cancel', { scanId: scan.scanId }).catch(() => undefined);
        setTimeout(() => giveUp(new AppError('DEVICE_TIMEOUT', undefined, { device: scan.device })), cancelGraceMs).unref();
      }, ms);
    };
    let lastShown = -1;
    const onEvent = (event: DeviceEvent) => {
      if (event.name === 'scanner.started' && event.payload.scanId === scan.scanId) {
        armStall();
        begun = true;
        fault = null;
        markStarted();
      } else if (event.name === 'scanner.progress' && event.payload.scanId === scan.scanId) {
        armStall();
        const { page, bytes, expectedBytes } = event.payload;
        const fraction = expectedBytes === null || expectedBytes === 0 ? null : Math.min(1, bytes / expectedBytes);
        scan.page = page;
        scan.fraction = fraction;
        // Whole percents are enough for a progress bar; the worker reports every chunk.
        const shown = page * 1000 + Math.floor((fraction ?? 0) * 100);
        if (shown !== lastShown) {
          lastShown = shown;
          deps.emit('scan.progress', { scanId: scan.scanId, page, fraction });
        }
      } else if (event.name === 'scanner.page' && event.payload.scanId === scan.scanId) {
        armStall();
        received++;
        const message = event.payload.page;
        pageWork = pageWork.then(() => acceptPage(message, place)).catch((err: unknown) => {
          log.error('scanned page could not be kept', { scanId: scan.scanId, page: message.number, err });
          pageFailure ??= err;
          pagesLost++;
        });
      }
    };
    const off = devices.onEvent(onEvent);
    armStall(prepareTimeoutMs);

    const done = (async () => {
      let outcome: unknown;
      try {
        const request: DeviceParams<'scanner.scan'> = { device: scan.device, scanId: scan.scanId, settings, spool: (await pageFiles()).dir };
        if (deps.injectFault !== undefined) request.injectFault = deps.injectFault;
        await Promise.race([devices.request('scanner.scan', request, { timeoutMs: scanRequestTimeoutMs }), abandoned]);
      } catch (err) {
        outcome = err;
      } finally {
        clearTimeout(stallTimer);
        off();
      }
      await pageWork;
      // However a stalled scan ended (cancelled, or still stuck), the clerk is told the scanner stopped answering.
      const failure = stalled ? new AppError('DEVICE_TIMEOUT', undefined, { device: scan.device }) : (outcome ?? pageFailure);
      if (!begun) {
        // Refused before anything was scanned (a setting the scanner lacks, a scanner gone): start() says why.
        refuse(failure ?? new AppError('INTERNAL', undefined, { device: scan.device, reason: 'scan ended without starting' }));
        return;
      }
      // Release the device for other programs; it also rewinds the test backend's simulated feeder.
      void devices.request('scanner.close', { device: scan.device }).catch(() => undefined);
      running = null;
      if (failure !== undefined) {
        fault = scanFault(failure, received - pagesLost);
        log.warn('scan ended early', { scanId: scan.scanId, code: fault.code, pagesKept: fault.pagesKept });
        deps.emit('scan.fault', fault);
      }
      changed();
    })();
    return { started, done };
  }

  return {
    listDevices,
    snapshot,
    thumbnails: () => Object.fromEntries(pages.map((p) => [p.id, thumbnailUrl(p.processed)])),

    async start(request) {
      await recovered;
      notWhileBusy();
      if (running !== null) throw new AppError('SCANNER_BUSY', 'Pemindaian sedang berjalan. Tunggu sampai selesai atau batalkan dulu.');
      const scan: Running = { scanId: uuidv7(), device: request.device, page: 1, fraction: null };
      running = scan;
      try {
        // A scanner listed before is not listed again (seconds with network scanners); one that
        // vanished since is reported by the worker as not found.
        let known = knownDevices.get(request.device);
        if (known === undefined) {
          const listing = await listDevices();
          known = listing.scanners.find((d) => d.id === request.device);
          // Listed but unusable: the reason (a network scanner whose certificate changed…), not "not found".
          const problem = listing.problems.find((p) => p.device?.id === request.device);
          if (known === undefined && problem !== undefined) throw new AppError(problem.error.code, problem.error.message, problem.error.details);
        }
        if (known === undefined) throw new AppError('SCANNER_NOT_FOUND', undefined, { device: request.device });
        await configureWorker();
        const scanning = run(scan, request.settings, request.placement);
        scanDone = scanning.done;
        await scanning.started;
      } catch (err) {
        running = null;
        throw err;
      }
      if (request.profileId !== undefined) store.scanProfiles.markUsed(request.profileId);
      store.scanProfiles.markScannerUsed(request.device);
      changed();
      return { scanId: scan.scanId };
    },

    async cancel() {
      if (running === null) return { cancelled: false };
      return devices.request('scanner.cancel', { scanId: running.scanId });
    },

    move(pageId, toIndex) {
      notWhileBusy();
      const page = pageOrNotFound(pageId);
      pages.splice(pages.indexOf(page), 1);
      pages.splice(Math.min(toIndex, pages.length), 0, page);
      return changed();
    },

    async rotate(pageId, turn) {
      notWhileBusy();
      const page = pageOrNotFound(pageId);
      const by: QuarterTurn = turn === 'right' ? 90 : 270;
      page.processed = await pipeline.rotate(page.processed, by);
      deps.emit('scan.page', { pageId, thumbnail: thumbnailUrl(page.processed) });
      return changed();
    },

    setExcluded(pageId, excluded) {
      notWhileBusy();
      pageOrNotFound(pageId).excluded = excluded ? 'deleted' : null;
      return changed();
    },

    setStartsLetter(pageId, startsLetter) {
      notWhileBusy();
      pageOrNotFound(pageId).startsLetter = startsLetter;
      return changed();
    },

    splitAtBlanks() {
      notWhileBusy();
      let afterSeparator = false;
      for (const page of pages) {
        if (page.excluded === 'blank') afterSeparator = true;
        else if (page.excluded === null && afterSeparator) {
          page.startsLetter = true;
          afterSeparator = false;
        }
      }
      return changed();
    },

    async pageJpeg(pageId) {
      const page = pageOrNotFound(pageId);
      // A left-out page is not part of any letter; the clerk restores it first if it is wanted after all.
      if (page.excluded !== null) throw new AppError('SCAN_PAGE_EXCLUDED', undefined, { pageId, excluded: page.excluded });
      // Named by the number on its tile when asked, even if the clerk moves it while it is encoded.
      const fileName = `halaman-${pages.indexOf(page) + 1}.jpg`;
      return { fileName, jpeg: await pipeline.exportJpeg(page.processed) };
    },

    async pageView(pageId) {
      const page = pageOrNotFound(pageId);
      return { fileName: `halaman-${pages.indexOf(page) + 1}.jpg`, jpeg: await pipeline.exportJpeg(page.processed) };
    },

    async save(title) {
      await recovered;
      notWhileBusy();
      if (running !== null) throw new AppError('SCANNER_BUSY', 'Tunggu sampai pemindaian selesai, lalu simpan.');
      const included = pages.filter((p) => p.excluded === null);
      if (included.length === 0) throw new AppError('VALIDATION', 'Belum ada halaman untuk disimpan. Pindai dulu, atau pulihkan halaman yang dibuang.');
      const letters: Page[][] = [];
      for (const page of included) {
        const current = letters.at(-1);
        if (current === undefined || page.startsLetter) letters.push([page]);
        else current.push(page);
      }
      saving = true;
      try {
        const saved: SavedLetter[] = [];
        for (const [i, letter] of letters.entries()) {
          const pdf = await pipeline.buildPdf(letter.map((p) => p.processed), title === undefined ? {} : { title });
          const put = await deps.blobs.put(pdf);
          let created: boolean;
          try {
            created = store.transaction(() => {
              const { created: isNew } = store.documents.upsert({ hash: put.hash, mediaType: 'application/pdf', byteSize: put.size, pageCount: letter.length, originalName: `${title ?? 'Hasil pindai'}.pdf` });
              store.audit.append({ actor: deps.actor(), action: 'scan.saved', entity: 'document', entityId: put.hash, details: { pages: letter.length, letter: i + 1, letters: letters.length } });
              return isNew;
            });
          } catch (err) {
            // The file was stored moments ago and no row refers to it: take it back.
            if (!put.existed) await deps.blobs.remove(put.hash).catch(() => undefined);
            throw err;
          }
          saved.push({ documentId: put.hash, pageCount: letter.length, byteSize: put.size, existed: put.existed && !created });
        }
        log.info('scan saved', { session: sessionId, letters: saved.length, pages: included.length });
        await resetSession();
        return saved;
      } finally {
        saving = false;
      }
    },

    async discard() {
      await recovered;
      notWhileBusy();
      if (running !== null) throw new AppError('SCANNER_BUSY', 'Batalkan pemindaian dulu, lalu buang hasilnya.');
      await resetSession();
      return snapshot();
    },

    async idle() {
      await scanDone;
      await manifestWrites;
    },
  };

  async function resetSession(): Promise<void> {
    const old = files;
    sessionId = uuidv7();
    files = undefined;
    pages = [];
    fault = null;
    changed();
    await manifestWrites;
    // The pages are saved or discarded by now: a folder that cannot be removed is only litter.
    await (await old)?.clear().catch((err: unknown) => log.warn('scan session folder not removed', { err }));
  }
}
