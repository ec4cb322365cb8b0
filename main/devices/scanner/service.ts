// The SANE scanner as a device-worker service: main lists scanners, reads and sets their options,
// and runs a scan as one long request. Each page is written durably to the spool folder main gave
// with the request the moment it is complete, and only its path travels to main as an event: a
// 300-dpi page (~9 MB) deserialized on main's event loop would stall the UI; a page on disk is
// kept even if a backend crashes this process later.
// Open handles live here by device name, because a SANE handle means nothing in another process.
import {
  listDevices,
  openDevice,
  type DeviceInfo,
  type OptionDescriptor,
  type OptionValue,
  type ScannerDevice,
  type ScanParameters,
  type SetResult,
} from '../../../native/sane/index.ts';
import { AppError } from '../../../common/errors.ts';
import { writePageFile } from './spool.ts';
import { uuidv7 } from '../../../common/ids.ts';
import { defineService, type DeviceService } from '../protocol.ts';

export interface ScannerSetting {
  name: string;
  /** null for a button. */
  value: OptionValue | null;
}

export interface ScannerRequests {
  'scanner.list': { request: { localOnly?: boolean }; reply: DeviceInfo[] };
  'scanner.options': { request: { device: string }; reply: OptionDescriptor[] };
  /**
   * Applies settings in the order given (a mode can switch other options on or off, so it comes
   * first) and answers each effective value: backends clamp, and say so with `inexact`.
   */
  'scanner.configure': { request: { device: string; settings: ScannerSetting[] }; reply: (SetResult & { name: string })[] };
  /**
   * Scans one page, or a feeder batch until it runs empty. Each page is kept in `spool.dir` (see
   * main/scan/page-files.ts, `spool.dpi` recorded as its resolution) and announced by a
   * `scanner.page` event before this answers; a fault rejects with the SCANNER_* code and
   * details.pagesCompleted. The caller gives a timeout that fits the batch (the host's default is
   * for short requests).
   */
  'scanner.scan': { request: { device: string; scanId: string; spool: ScanSpool; batch?: boolean; faultAfterPage?: InjectedFault }; reply: { pages: number } };
  /** Cancels a running scan by its id; false when no such scan runs (it may have just ended). */
  'scanner.cancel': { request: { scanId: string }; reply: { cancelled: boolean } };
  /** Releases the device, so another program (or a fresh open) can use it. */
  'scanner.close': { request: { device: string }; reply: null };
}

/**
 * Fault injection for tests, honoured only in a worker started with LOKET_DEVICE_FAULTS=1: after
 * page `page` the SANE test backend's `read-return-value` is set to `status` (e.g.
 * SANE_STATUS_JAMMED), between sheets, where the scan loop lets options change — so the next
 * sheet fails the way a jammed feeder does, mid-batch.
 */
export interface InjectedFault {
  page: number;
  status: string;
}

export interface ScanSpool {
  /** An existing folder; each page becomes `<uuidv7>.page` in it. */
  dir: string;
  /** The resolution the scanner reported back for this scan. */
  dpi: number;
}

export interface ScannedPageMessage {
  number: number;
  params: ScanParameters;
  heightKnown: boolean;
  /** The page file, fsynced before this event is sent. */
  file: string;
}

export interface ScannerEvents {
  'scanner.progress': { scanId: string; page: number; bytes: number; expectedBytes: number | null };
  'scanner.page': { scanId: string; page: ScannedPageMessage };
}

// After these the handle may be stale (a scanner unplugged or power-cycled): open it afresh next time.
const staleAfter = new Set(['SCANNER_IO', 'SCANNER_FAILED', 'SCANNER_NOT_FOUND']);

export function scannerService(options: { faults?: boolean } = {}): DeviceService {
  const devices = new Map<string, Promise<ScannerDevice>>();
  const scans = new Map<string, AbortController>();

  const device = (name: string): Promise<ScannerDevice> => {
    let opening = devices.get(name);
    if (opening === undefined) {
      opening = openDevice(name);
      devices.set(name, opening);
      // A failed open is not cached: the clerk may plug the scanner in and try again.
      opening.catch(() => {
        if (devices.get(name) === opening) devices.delete(name);
      });
    }
    return opening;
  };

  const close = async (name: string): Promise<void> => {
    const opening = devices.get(name);
    devices.delete(name);
    (await opening?.catch(() => undefined))?.close();
  };

  // Runs fn on the device; a fault that may have left the handle stale closes it.
  const using = async <T>(name: string, fn: (d: ScannerDevice) => T | Promise<T>): Promise<T> => {
    const d = await device(name);
    try {
      return await fn(d);
    } catch (err) {
      if (err instanceof AppError && staleAfter.has(err.code)) await close(name);
      throw err;
    }
  };

  return defineService<ScannerRequests>(
    'scanner',
    {
      'scanner.list': (params) => listDevices(params.localOnly === undefined ? {} : { localOnly: params.localOnly }),

      'scanner.options': (params) => using(params.device, (d) => d.options()),

      'scanner.configure': (params) =>
        using(params.device, (d) => params.settings.map((s) => ({ name: s.name, ...d.set(s.name, s.value) }))),

      'scanner.scan': (params, ctx) =>
        using(params.device, async (d) => {
          if (scans.has(params.scanId)) throw new AppError('VALIDATION', undefined, { scanId: params.scanId, reason: 'scan id in use' });
          const controller = new AbortController();
          scans.set(params.scanId, controller);
          let pages = 0;
          try {
            const signal = AbortSignal.any([controller.signal, ctx.signal]);
            const onProgress = (p: { page: number; bytes: number; expectedBytes: number | null }) => ctx.emit('scanner.progress', { scanId: params.scanId, ...p });
            for await (const page of d.scan({ batch: params.batch ?? false, signal, onProgress })) {
              const file = await writePageFile(params.spool.dir, uuidv7(), { params: page.params, dpi: params.spool.dpi }, page.data);
              pages++;
              ctx.emit('scanner.page', { scanId: params.scanId, page: { number: page.number, params: page.params, heightKnown: page.heightKnown, file } });
              const fault = params.faultAfterPage;
              if (options.faults === true && fault !== undefined && fault.page === page.number) d.set('read-return-value', fault.status);
            }
            ctx.log.info('scan finished', { device: params.device, scanId: params.scanId, pages });
            return { pages };
          } catch (err) {
            ctx.log.warn('scan ended by a fault', { device: params.device, scanId: params.scanId, pages, err });
            throw err;
          } finally {
            scans.delete(params.scanId);
          }
        }),

      'scanner.cancel': (params) => {
        const controller = scans.get(params.scanId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },

      'scanner.close': async (params) => {
        await close(params.device);
        return null;
      },
    },
    async () => {
      for (const controller of scans.values()) controller.abort();
      await Promise.all([...devices.keys()].map(close));
    },
  );
}
