// The scanners as a device-worker service, in the desk's terms only: main lists the scanners of
// every driver with what each can do, and runs a scan with the desk's settings as one long
// request. Each page is written durably to the spool folder main gave with the request the moment
// it is whole, and only its path travels to main as an event: a 300-dpi page (~9 MB) deserialized
// on main's event loop would stall the UI, and a page on disk is kept even if a backend crashes
// this process later. Which driver a device belongs to is told by its id (drivers.ts).
import { AppError } from '../../../common/errors.ts';
import { uuidv7 } from '../../../common/ids.ts';
import { defineService, type DeviceService, type RequestContext } from '../protocol.ts';
import { deviceId, resolveDevice } from './drivers.ts';
import { refuseUnavailable } from './settings.ts';
import { writePageFile } from './spool.ts';
import type { IpcError } from '../../../common/ipc/index.ts';
import type { FoundScanner, InjectedFault, NetworkScannerSettings, ScanDriver, Scanner, ScannerCertificate, ScanSettings, TestOptions } from './types.ts';

/** A scanner, or a whole driver, that cannot be used now, and why (the clerk's message). */
export interface ScannerProblem {
  driver: string;
  /** The device concerned; null when the whole driver is unavailable (no SANE on this computer). */
  device: { id: string; label: string; address: string | null } | null;
  error: IpcError;
  /** For a network scanner whose certificate changed: the one it presents now. */
  presented: ScannerCertificate | null;
}

export interface ScannerRequests {
  /**
   * The scanners of every driver (asked at the same time), each with its capabilities. A scanner
   * whose capabilities cannot be read (just unplugged, used by another program, a network scanner
   * not answering or presenting another certificate) is left out of `scanners` and named in
   * `problems`, as is a driver that cannot list at all; when no driver can list, the first
   * failure is the answer.
   */
  'scanner.list': { request: Record<string, never>; reply: { scanners: Scanner[]; problems: ScannerProblem[] } };
  /** The desk's settings for network scanners (addresses known, certificates trusted), sent before a list or a scan. */
  'scanner.configure': { request: NetworkScannerSettings; reply: null };
  /**
   * Scans with the desk's settings: one page from the glass, or the feeder until it runs empty.
   * `scanner.started` is sent once the device took the settings (a setting it lacks is refused
   * before that, with nothing scanned); each page is kept in `spool` (an existing folder) as
   * `<uuidv7>.page` and announced by `scanner.page` before this answers. A fault rejects with its
   * SCANNER_* code and details.pagesCompleted. The caller gives a timeout that fits the batch
   * (the host's default is for short requests).
   */
  'scanner.scan': {
    request: { device: string; scanId: string; settings: ScanSettings; spool: string; injectFault?: InjectedFault };
    reply: { pages: number };
  };
  /** Cancels a running scan by its id; false when no such scan runs (it may have just ended). */
  'scanner.cancel': { request: { scanId: string }; reply: { cancelled: boolean } };
  /** Releases the device, so another program (or a fresh open) can use it. */
  'scanner.close': { request: { device: string }; reply: null };
  /** Tests only (fault injection on): sets a simulated device's own knobs. The desk never sends it. */
  'scanner.testOptions': { request: { device: string; options: TestOptions }; reply: null };
}

export interface ScannedPageMessage {
  /** 1-based place in the batch. */
  number: number;
  /** The page file (spool.ts), fsynced before this event is sent; its name is the page's id. */
  file: string;
}

export interface ScannerEvents {
  'scanner.started': { scanId: string; resolution: number };
  'scanner.progress': { scanId: string; page: number; bytes: number; expectedBytes: number | null };
  'scanner.page': { scanId: string; page: ScannedPageMessage };
  /**
   * One driver's part of a `scanner.list`, sent as soon as that driver has answered: a desk shows
   * the scanners of a quick driver while a slow one (a network scanner waiting for its DNS or
   * TCP timeout) is still being asked.
   */
  'scanner.listed': { driver: string; scanners: Scanner[]; problems: ScannerProblem[] };
}

function notFound(device: string): AppError {
  return new AppError('SCANNER_NOT_FOUND', undefined, { device });
}

async function listAll(drivers: readonly ScanDriver[], ctx: RequestContext): Promise<{ scanners: Scanner[]; problems: ScannerProblem[] }> {
  const failures: unknown[] = [];
  const listings = await Promise.all(drivers.map(async (driver) => {
    const scanners: Scanner[] = [];
    const problems: ScannerProblem[] = [];
    let found: FoundScanner[];
    try {
      found = await driver.list();
    } catch (err) {
      // A driver that cannot work here (no SANE on this computer) says so each time: its code is enough.
      ctx.log.warn('scanner driver could not list its devices', { driver: driver.name, ...(err instanceof AppError ? { code: err.code } : { err }) });
      failures.push(err);
      if (err instanceof AppError) problems.push({ driver: driver.name, device: null, error: err.toIpc(), presented: null });
      ctx.emit('scanner.listed', { driver: driver.name, scanners, problems });
      return { scanners, problems };
    }
    for (const { name, ...device } of found) {
      const id = deviceId(driver, name);
      try {
        scanners.push({ id, driver: driver.name, ...device, capabilities: await driver.capabilities(name) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        ctx.log.warn('scanner left out of the list: its capabilities could not be read', { device: id, code: err.code });
        const presented = (err.details?.presented as ScannerCertificate | undefined) ?? null;
        problems.push({ driver: driver.name, device: { id, label: device.label, address: device.address }, error: err.toIpc(), presented });
      }
    }
    ctx.emit('scanner.listed', { driver: driver.name, scanners, problems });
    return { scanners, problems };
  }));
  if (failures.length === drivers.length && failures.length > 0) throw failures[0];
  return { scanners: listings.flatMap((l) => l.scanners), problems: listings.flatMap((l) => l.problems) };
}

export function scannerService(drivers: readonly ScanDriver[], options: { faults?: boolean } = {}): DeviceService {
  const scans = new Map<string, AbortController>();

  const resolve = (id: string) => {
    const found = resolveDevice(drivers, id);
    if (found === undefined) throw notFound(id);
    return found;
  };

  return defineService<ScannerRequests>(
    'scanner',
    {
      'scanner.list': (_params, ctx) => listAll(drivers, ctx),

      'scanner.configure': (params) => {
        for (const driver of drivers) driver.configure?.(params);
        return null;
      },

      'scanner.scan': async (params, ctx) => {
        const { driver, name } = resolve(params.device);
        if (scans.has(params.scanId)) throw new AppError('VALIDATION', undefined, { scanId: params.scanId, reason: 'scan id in use' });
        const controller = new AbortController();
        scans.set(params.scanId, controller);
        let pages = 0;
        try {
          refuseUnavailable(params.settings, await driver.capabilities(name));
          const prepared = await driver.prepare(name, params.settings);
          ctx.emit('scanner.started', { scanId: params.scanId, resolution: prepared.resolution });
          const run = {
            signal: AbortSignal.any([controller.signal, ctx.signal]),
            onProgress: (p: { page: number; bytes: number; expectedBytes: number | null }) => ctx.emit('scanner.progress', { scanId: params.scanId, ...p }),
            ...(options.faults === true && params.injectFault !== undefined ? { injectFault: params.injectFault } : {}),
          };
          for await (const page of prepared.pages(run)) {
            const file = await writePageFile(params.spool, uuidv7(), page.image);
            pages++;
            ctx.emit('scanner.page', { scanId: params.scanId, page: { number: page.number, file } });
          }
          ctx.log.info('scan finished', { device: params.device, scanId: params.scanId, pages });
          return { pages };
        } catch (err) {
          ctx.log.warn('scan ended by a fault', { device: params.device, scanId: params.scanId, pages, err });
          throw err;
        } finally {
          scans.delete(params.scanId);
        }
      },

      'scanner.cancel': (params) => {
        const controller = scans.get(params.scanId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },

      'scanner.close': async (params) => {
        const found = resolveDevice(drivers, params.device);
        await found?.driver.close(found.name);
        return null;
      },

      'scanner.testOptions': async (params) => {
        if (options.faults !== true) throw new AppError('UNKNOWN_CHANNEL');
        const { driver, name } = resolve(params.device);
        if (driver.setTestOptions === undefined) throw new AppError('UNKNOWN_CHANNEL', undefined, { driver: driver.name });
        await driver.setTestOptions(name, params.options);
        return null;
      },
    },
    async () => {
      for (const controller of scans.values()) controller.abort();
      await Promise.all(drivers.map((driver) => driver.closeAll()));
    },
  );
}
