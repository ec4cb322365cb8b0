// The eSCL driver (Mopria/AirScan: network scanners and MFPs, and USB ones that ipp-usb exposes):
// the desk's scanner interface over HTTP(S) and XML, on every OS. Scanners are found by mDNS and
// by the addresses the desk knows (entered by an admin, or found before); a device is its eSCL
// root URL. A scan is a job: ScanJobs POST creates it, NextDocument fetches each page until the
// device answers 404 (the feeder ran empty), ScannerStatus explains a refusal (jam, open hatch,
// empty feeder), DELETE cancels it. Real devices are slow and moody: 503 while warming up or
// while the next page is not ready (retried, as the device asks), 409 for feeder trouble, a
// connection dropped now and then (retried a few times before the batch counts as interrupted).
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../../common/errors.ts';
import { paperSizesMm, refuseUnavailable } from '../settings.ts';
import type { FoundScanner, NetworkScannerSettings, PageImage, PreparedScan, ScanDriver, ScannedPage, ScannerCapabilities, ScannerCertificate, ScanRun } from '../types.ts';
import { mdnsDiscovery, type DiscoveredScanner, type Discovery } from './discovery.ts';
import { pageImagesOf, UnreadableDocumentError } from './documents.ts';
import { jobAborted, networkFault, statusFault } from './faults.ts';
import { hostOf, normaliseScannerUrl, originOf } from './address.ts';
import { EsclConnection, EsclNetworkError, type EsclReply } from './http.ts';
import {
  colorModeFor, deskCapabilities, documentFormatFor, EsclDocumentError, inputCapsFor, nearestResolution, parseCapabilities, parseStatus,
  scanSettingsXml, unitsPerInch, type EsclCapabilities, type EsclStatus,
} from './protocol.ts';
import { scannerFault } from '../faults.ts';

/** How long the driver waits on the network, and how often it tries again; tests shorten them. */
export interface EsclTimings {
  /** How long an mDNS browse listens (0: no discovery, known addresses only). */
  discoveryMs: number;
  /** A small request (capabilities, status, creating or cancelling a job). */
  requestMs: number;
  /** Until NextDocument's reply starts: a device may hold it while the sheet goes through. */
  documentMs: number;
  /** How long a device may keep answering 503 (warming up, page not ready) before the scan gives up. */
  busyBudgetMs: number;
  /** Pause after a dropped connection, and how many times a request is tried again. */
  retryPauseMs: number;
  retries: number;
  /** Capabilities read this recently are not read again for the next scan. */
  capabilitiesFreshMs: number;
}

export const defaultTimings: EsclTimings = {
  discoveryMs: 2_000,
  requestMs: 10_000,
  documentMs: 75_000,
  busyBudgetMs: 60_000,
  retryPauseMs: 1_000,
  retries: 3,
  capabilitiesFreshMs: 30_000,
};

/** The timings from the worker's environment (`LOKET_ESCL_DISCOVERY_MS=0` turns discovery off, as on a network where multicast is not wanted). */
export function timingsFromEnv(env: NodeJS.ProcessEnv): EsclTimings {
  const discovery = Number(env.LOKET_ESCL_DISCOVERY_MS);
  return { ...defaultTimings, ...(env.LOKET_ESCL_DISCOVERY_MS !== undefined && Number.isFinite(discovery) && discovery >= 0 ? { discoveryMs: discovery } : {}) };
}

interface Known {
  /** The name an admin gave it, or the one discovery found. */
  label: string | null;
  discovered: DiscoveredScanner | undefined;
}

interface CapabilitiesRead {
  at: number;
  capabilities?: EsclCapabilities;
  error?: AppError;
}

function retryAfterMs(reply: EsclReply, fallback: number): number {
  const header = reply.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  const seconds = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : undefined;
  const date = value !== undefined && seconds === undefined ? Date.parse(value) - Date.now() : undefined;
  const wanted = seconds ?? (date !== undefined && Number.isFinite(date) ? date : fallback);
  return Math.min(5_000, Math.max(200, wanted));
}

export function esclDriver(options: { timings?: Partial<EsclTimings>; discovery?: Discovery; log?: (message: string, fields: Record<string, unknown>) => void } = {}): ScanDriver {
  const timings: EsclTimings = { ...defaultTimings, ...options.timings };
  const log = options.log ?? (() => {});
  const discovery = options.discovery ?? mdnsDiscovery({ log });
  let settings: NetworkScannerSettings = { known: [], trusted: [] };
  const connections = new Map<string, EsclConnection>();
  const reads = new Map<string, CapabilitiesRead>();
  const certificates = new Map<string, ScannerCertificate>();

  const pins = {
    pinned: (origin: string) => settings.trusted.find((t) => t.origin === origin)?.sha256,
    seen: (origin: string, certificate: ScannerCertificate) => certificates.set(origin, certificate),
  };

  const connection = (device: string): EsclConnection => {
    let existing = connections.get(device);
    if (existing === undefined) {
      existing = new EsclConnection(new URL(device), pins);
      connections.set(device, existing);
    }
    return existing;
  };

  const where = (device: string) => ({ device, address: hostOf(device) });

  /** The clerk's AppError for a failed exchange; `pagesCompleted` null while no scan runs. */
  const failure = (err: unknown, device: string, pagesCompleted: number | null): AppError => {
    if (err instanceof AppError) return err;
    if (err instanceof EsclNetworkError) return networkFault(err, where(device), pagesCompleted);
    if (err instanceof EsclDocumentError || err instanceof UnreadableDocumentError) {
      return scannerFault('SCANNER_UNSUPPORTED', pagesCompleted ?? 0, { device, reason: err.message }, {
        message: 'Pemindai jaringan ini menjawab dengan data yang tidak dapat dibaca Loket. Laporkan ke admin bersama merek dan jenis pemindainya.',
        cause: err,
      });
    }
    return new AppError('INTERNAL', undefined, { device }, { cause: err });
  };

  /**
   * Sends a request, trying again after a dropped connection. A request that may have reached the
   * device (a connection dropped after sending) is repeated only when repeating it is harmless:
   * every GET; a new job only when the connection was never made, or the device would start two.
   */
  async function exchange(device: string, method: string, path: string, request: { body?: string; headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal; onData?: (received: number, total: number | null) => void }): Promise<EsclReply> {
    const repeatable = method === 'GET' || method === 'DELETE';
    for (let attempt = 0; ; attempt++) {
      try {
        return await connection(device).request(method, path, { ...request, timeoutMs: request.timeoutMs ?? timings.requestMs, idleMs: timings.requestMs });
      } catch (err) {
        // A device that did not answer in time is not asked again (it would take as long again): a dropped or refused connection is.
        const retriable = err instanceof EsclNetworkError && (err.kind === 'refused' || err.kind === 'unreachable' || (err.kind === 'reset' && repeatable));
        if (!retriable || attempt >= timings.retries || request.signal?.aborted) throw err;
        log('eSCL request failed; trying again', { device, method, path, kind: err.kind, attempt: attempt + 1 });
        await sleep(timings.retryPauseMs, undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined);
      }
    }
  }

  async function readCapabilities(device: string, retries: boolean): Promise<EsclCapabilities> {
    try {
      const reply = retries
        ? await exchange(device, 'GET', 'ScannerCapabilities', {})
        : await connection(device).request('GET', 'ScannerCapabilities', { timeoutMs: timings.requestMs });
      if (reply.status !== 200) {
        throw new AppError('SCANNER_NOT_FOUND', `Alamat ${hostOf(device)} menjawab, tetapi bukan sebagai pemindai eSCL (HTTP ${reply.status}). Periksa alamat pemindai (jalurnya biasanya /eSCL), lalu cari pemindai lagi.`, { device, status: reply.status });
      }
      const capabilities = parseCapabilities(reply.body.toString('utf8'));
      reads.set(device, { at: Date.now(), capabilities });
      return capabilities;
    } catch (err) {
      const error = failure(err, device, null);
      reads.set(device, { at: Date.now(), error });
      throw error;
    }
  }

  /** Capabilities read within the freshness window, else read now. */
  async function capabilitiesOf(device: string): Promise<EsclCapabilities> {
    const read = reads.get(device);
    if (read !== undefined && Date.now() - read.at < timings.capabilitiesFreshMs) {
      if (read.error) throw read.error;
      if (read.capabilities) return read.capabilities;
    }
    return readCapabilities(device, true);
  }

  async function status(device: string, signal?: AbortSignal): Promise<EsclStatus | undefined> {
    try {
      const reply = await connection(device).request('GET', 'ScannerStatus', { timeoutMs: timings.requestMs, ...(signal ? { signal } : {}) });
      return reply.status === 200 ? parseStatus(reply.body.toString('utf8')) : undefined;
    } catch (err) {
      if (err instanceof EsclNetworkError && err.kind === 'certificate-changed') throw err;
      // A status that cannot be read explains nothing; the caller goes by what it has.
      log('eSCL status not read', { device, err });
      return undefined;
    }
  }

  function describe(device: string, known: Known): FoundScanner {
    const capabilities = reads.get(device)?.capabilities;
    const model = capabilities?.makeAndModel ?? known.discovered?.model ?? null;
    const named = known.label ?? known.discovered?.instance ?? model ?? hostOf(device);
    const address = hostOf(device);
    const certificate = device.startsWith('https:') ? certificates.get(originOf(device)) : undefined;
    return {
      name: device,
      label: `${named} (${address})`,
      vendor: '',
      model: model ?? '',
      connection: 'network',
      address,
      demo: false,
      ...(certificate ? { certificate } : {}),
    };
  }

  /** The job's path from ScanJobs' Location (absolute, relative, or naming `localhost`, as some devices do). */
  function jobPath(device: string, reply: EsclReply): string {
    const location = reply.headers.location;
    if (typeof location !== 'string' || location.trim() === '') throw new EsclDocumentError('ScanJobs answered without a Location');
    return new URL(location.trim(), connection(device).url('ScanJobs')).pathname.replace(/\/+$/, '');
  }

  async function cancelJob(device: string, job: string): Promise<void> {
    await connection(device).request('DELETE', job, { timeoutMs: Math.min(timings.requestMs, 5_000) }).catch((err: unknown) => log('eSCL job not cancelled', { device, job, err }));
  }

  async function* pages(device: string, plan: { resolution: number; request: string; feeder: boolean }, run: ScanRun): AsyncGenerator<ScannedPage, void, undefined> {
    if (run.injectFault !== undefined) throw new AppError('INTERNAL', undefined, { device, reason: 'eSCL faults are injected by the test scanner, not the driver' });
    const { signal } = run;
    let completed = 0;
    let job: string | undefined;
    /** The job ended (the device said so, or it was dealt with below): nothing left to cancel. */
    let settled = false;
    /**
     * Why the device refused (`phase` says at what): its ScannerStatus tells best (jam, open hatch,
     * empty feeder). When it says nothing, a feeder's 409 is the feeder's trouble, as devices use
     * it — empty when the job is created, jammed mid-batch.
     */
    const fault = async (reply: EsclReply, phase: 'create' | 'page'): Promise<AppError> => {
      const said = await status(device).catch(() => undefined);
      const found = said === undefined ? undefined : statusFault(said, plan.feeder);
      const details = { device, httpStatus: reply.status, adfState: said?.adfState, state: said?.state };
      if (found !== undefined) return scannerFault(found, completed, details);
      if (reply.status === 409 && plan.feeder) return scannerFault(phase === 'create' ? 'SCANNER_NO_DOCS' : 'SCANNER_JAMMED', completed, details);
      if (reply.status === 409 || reply.status === 503) return scannerFault('SCANNER_BUSY', completed, details);
      if (reply.status === 400) return scannerFault('SCANNER_INVALID', completed, details);
      return scannerFault('SCANNER_FAILED', completed, details);
    };

    try {
      // Before paper moves: a feeder that is empty or jammed, or a scanner that is down, is told now.
      const before = await status(device, signal);
      if (before !== undefined) {
        const found = statusFault(before, plan.feeder);
        if (found !== undefined) throw scannerFault(found, 0, { device, adfState: before.adfState, state: before.state });
      }

      // Create the job; a device warming up answers 503 for a while.
      const busyUntil = Date.now() + timings.busyBudgetMs;
      for (;;) {
        // Some devices (HP) accept jobs only for Host: localhost; the others do not mind it.
        const reply = await exchange(device, 'POST', 'ScanJobs', { body: plan.request, headers: { Host: 'localhost' }, signal });
        if (reply.status === 201 || reply.status === 200) {
          job = jobPath(device, reply);
          break;
        }
        if (reply.status === 503 && Date.now() < busyUntil) {
          await sleep(retryAfterMs(reply, timings.retryPauseMs), undefined, { signal });
          continue;
        }
        throw await fault(reply, 'create');
      }

      // The pages: NextDocument until the device says there are no more.
      let busySince: number | undefined;
      for (;;) {
        const number = completed + 1;
        const reply = await exchange(device, 'GET', `${job}/NextDocument`, {
          timeoutMs: timings.documentMs,
          signal,
          onData: (bytes, total) => run.onProgress({ page: number, bytes, expectedBytes: total }),
        });
        if (reply.status === 200) {
          busySince = undefined;
          let images: PageImage[];
          try {
            images = await pageImagesOf(reply.headers['content-type'], new Uint8Array(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength), plan.resolution);
          } catch (err) {
            throw failure(err, device, completed);
          }
          for (const image of images) {
            completed++;
            yield { number: completed, image };
          }
          if (!plan.feeder) {
            // The glass holds one sheet. Asking once more lets the device close the job (it answers 404), as other clients do.
            await connection(device).request('GET', `${job}/NextDocument`, { timeoutMs: timings.requestMs, signal }).catch(() => undefined);
            settled = true;
            return;
          }
          continue;
        }
        if (reply.status === 503) {
          busySince ??= Date.now();
          if (Date.now() - busySince < timings.busyBudgetMs) {
            await sleep(retryAfterMs(reply, timings.retryPauseMs), undefined, { signal });
            continue;
          }
          throw scannerFault('SCANNER_FAILED', completed, { device, httpStatus: 503, waitedMs: Date.now() - busySince }, {
            message: 'Pemindai jaringan terus menjawab "sibuk" dan tidak mengirim halaman berikutnya. Halaman yang sudah terpindai tetap tersimpan; periksa layar pemindai, lalu coba lagi.',
          });
        }
        if (reply.status === 404 || reply.status === 410) {
          // The end of the job: the feeder ran empty (or nothing was in it), unless the device says it stopped on a fault.
          const said = await status(device).catch(() => undefined);
          const found = said === undefined ? undefined : statusFault(said, plan.feeder);
          if (found !== undefined && found !== 'SCANNER_NO_DOCS') throw scannerFault(found, completed, { device, httpStatus: reply.status, adfState: said?.adfState });
          if (said !== undefined && jobAborted(said, job)) throw scannerFault('SCANNER_FAILED', completed, { device, httpStatus: reply.status, job });
          if (completed > 0) {
            settled = true;
            return;
          }
          throw scannerFault(plan.feeder ? 'SCANNER_NO_DOCS' : 'SCANNER_FAILED', 0, { device, httpStatus: reply.status });
        }
        throw await fault(reply, 'page');
      }
    } catch (err) {
      const error = signal.aborted ? scannerFault('SCANNER_CANCELLED', completed, { device }) : failure(err, device, completed);
      // The device keeps a job it was not told to drop; a device that went away cannot be told.
      settled = true;
      if (job !== undefined && error.code !== 'SCANNER_IO') await cancelJob(device, job);
      // Gone, or not the same device: the next use connects and reads it afresh.
      if (error.code === 'SCANNER_IO' || error.code === 'SCANNER_CERTIFICATE_CHANGED') {
        close(device);
        reads.delete(device);
      }
      throw error;
    } finally {
      // The caller stopped asking for pages (it could not keep one: a full disk): the device is told to drop the job.
      if (job !== undefined && !settled) await cancelJob(device, job);
    }
  }

  function close(device: string): void {
    connections.get(device)?.close();
    connections.delete(device);
  }

  return {
    name: 'escl',

    configure(next) {
      const changedOrigins = new Set(
        [...settings.trusted, ...next.trusted]
          .filter((t) => settings.trusted.find((o) => o.origin === t.origin)?.sha256 !== next.trusted.find((n) => n.origin === t.origin)?.sha256)
          .map((t) => t.origin),
      );
      settings = { known: next.known.map((k) => ({ ...k })), trusted: next.trusted.map((t) => ({ ...t })) };
      // A connection made under another pin is not used again.
      for (const device of [...connections.keys()]) {
        if (changedOrigins.has(originOf(device))) {
          close(device);
          reads.delete(device);
        }
      }
    },

    async list() {
      const candidates = new Map<string, Known>();
      for (const known of settings.known) {
        const url = normaliseScannerUrl(known.url);
        if (url !== undefined) candidates.set(url, { label: known.label, discovered: undefined });
      }
      if (timings.discoveryMs > 0) {
        const found = await discovery.browse(timings.discoveryMs).catch((err: unknown) => {
          log('mDNS discovery failed', { err });
          return [];
        });
        // A device announced over HTTP and HTTPS (one UUID) is reached over HTTPS.
        const byUuid = new Map<string, DiscoveredScanner>();
        for (const scanner of found) {
          if (scanner.uuid === null) continue;
          const other = byUuid.get(scanner.uuid);
          if (other === undefined || (other.url.startsWith('http:') && scanner.url.startsWith('https:'))) byUuid.set(scanner.uuid, scanner);
        }
        for (const scanner of found) {
          if (scanner.uuid !== null && byUuid.get(scanner.uuid) !== scanner) continue;
          const url = normaliseScannerUrl(scanner.url);
          if (url === undefined) continue;
          const known = candidates.get(url);
          candidates.set(url, { label: known?.label ?? null, discovered: scanner });
        }
      }
      // Each is asked for its capabilities now (at once, not one after the other): what it is
      // called, and whether it answers at all, is known before the desk shows it.
      await Promise.all([...candidates.keys()].map((device) => readCapabilities(device, false).catch(() => undefined)));
      // The same device known by two addresses (entered by hand, and found): listed once.
      const seen = new Set<string>();
      const listed: FoundScanner[] = [];
      for (const [device, known] of [...candidates].sort(([a], [b]) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')))) {
        const uuid = reads.get(device)?.capabilities?.uuid?.toLowerCase();
        if (uuid) {
          if (seen.has(uuid)) continue;
          seen.add(uuid);
        }
        listed.push(describe(device, known));
      }
      return listed;
    },

    async capabilities(device): Promise<ScannerCapabilities> {
      return deskCapabilities(await capabilitiesOf(device));
    },

    async prepare(device, scan): Promise<PreparedScan> {
      const capabilities = await capabilitiesOf(device);
      refuseUnavailable(scan, deskCapabilities(capabilities));
      const caps = inputCapsFor(capabilities, scan.source)!;
      const colorMode = colorModeFor(caps, scan.mode);
      const format = documentFormatFor(caps);
      if (colorMode === undefined || format === undefined) {
        throw new AppError('SCANNER_UNSUPPORTED', 'Pengaturan warna ini tidak tersedia untuk sumber kertas yang dipilih pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.', { device, source: scan.source, mode: scan.mode });
      }
      const resolution = nearestResolution(caps, scan.resolution);
      const paper = paperSizesMm[scan.paperSize];
      const units = (mm: number) => Math.round((mm / 25.4) * unitsPerInch);
      const width = Math.min(units(paper.widthMm), caps.maxWidth ?? Number.POSITIVE_INFINITY);
      const height = Math.min(units(paper.heightMm), caps.maxHeight ?? Number.POSITIVE_INFINITY);
      const feeder = scan.source !== 'flatbed';
      const request = scanSettingsXml({ source: feeder ? 'Feeder' : 'Platen', duplex: scan.source === 'duplex', colorMode, format, formatExt: caps.formatExt, resolution, width, height });
      return { resolution, pages: (run) => pages(device, { resolution, request, feeder }, run) };
    },

    async close(device) {
      close(device);
      reads.delete(device);
    },

    async closeAll() {
      for (const device of [...connections.keys()]) close(device);
      reads.clear();
      discovery.close();
    },
  };
}
