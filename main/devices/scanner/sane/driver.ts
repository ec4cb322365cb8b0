// The SANE driver: the scanners libsane reaches (local ones through their backends, network ones
// through net, escl or airscan) behind the desk's scanner interface. Open handles are kept here by
// SANE device name, because opening can take seconds and a SANE handle means nothing elsewhere; a
// fault that may have left one stale (a scanner unplugged or power-cycled) closes it, and the next
// use opens it afresh.
import { endianness } from 'node:os';
import { listDevices, openDevice, type DeviceInfo, type ScannedPage as SanePage, type ScannerDevice } from '../../../../native/sane/index.ts';
import { AppError } from '../../../../common/errors.ts';
import type { FoundScanner, RasterImage, ScanDriver, ScannedPage, ScanRun, ScanSettings } from '../types.ts';
import { saneFault } from './faults.ts';
import { capabilitiesOf, deskCapabilities, deviceSettings } from './options.ts';
import { cleanStart, demoLabel, injectedFault, isTestDevice } from './test-backend.ts';

// After these the handle may be stale: open it afresh next time.
const staleAfter = new Set(['SCANNER_IO', 'SCANNER_FAILED', 'SCANNER_NOT_FOUND']);

/** SANE's meta-backends that reach scanners over the network. */
const networkBackends = new Set(['net', 'escl', 'airscan']);

/** Where a SANE device is, from its name (`net:host:backend:device`, `escl:http://host:port`) or, for airscan, its type (`ip=…`). */
export function whereIs(info: Pick<DeviceInfo, 'name' | 'type'>): Pick<FoundScanner, 'connection' | 'address'> {
  const colon = info.name.indexOf(':');
  const backend = colon < 0 ? info.name : info.name.slice(0, colon);
  if (!networkBackends.has(backend)) return { connection: 'local', address: null };
  const rest = info.name.slice(colon + 1);
  let address: string | undefined;
  if (backend === 'net') {
    const host = /^\[([^\]]+)\]|^([^:]+)/.exec(rest);
    address = host?.[1] ?? host?.[2];
  } else if (backend === 'escl') {
    address = URL.parse(rest)?.hostname || undefined;
  } else {
    address = /(?:^|\s)ip=(\S+)/.exec(info.type)?.[1];
  }
  return { connection: 'network', address: address ?? null };
}

export function describe(info: DeviceInfo): FoundScanner {
  const demo = isTestDevice(info);
  const where = whereIs(info);
  const named = `${info.vendor} ${info.model}`.trim() || info.name;
  const label = demo ? demoLabel : where.address === null ? named : `${named} (${where.address})`;
  return { name: info.name, label, vendor: info.vendor, model: info.model, demo, ...where };
}

const littleEndianHost = endianness() === 'LE';

/** A SANE page in the desk's terms: gray or RGB samples as SANE delivers them (rows may be padded; 16-bit in host order). */
function rasterOf(page: SanePage, dpi: number, device: string): RasterImage {
  const { format, depth, pixelsPerLine, bytesPerLine, lines } = page.params;
  const channels = format === 'GRAY' ? 1 : format === 'RGB' ? 3 : undefined;
  if (channels === undefined || (depth !== 1 && depth !== 8 && depth !== 16) || (depth === 1 && channels !== 1)) {
    throw new AppError('SCANNER_UNSUPPORTED', 'Format gambar dari pemindai ini belum didukung. Pilih mode berwarna atau abu-abu lalu pindai lagi.', {
      device, format, depth, pagesCompleted: page.number - 1,
    });
  }
  return { kind: 'raster', width: pixelsPerLine, height: lines, channels, depth, bytesPerLine, littleEndian: littleEndianHost, dpi, data: page.data };
}

export function saneDriver(): ScanDriver {
  const handles = new Map<string, Promise<ScannerDevice>>();

  const open = (name: string): Promise<ScannerDevice> => {
    let opening = handles.get(name);
    if (opening === undefined) {
      opening = openDevice(name);
      handles.set(name, opening);
      // A failed open is not kept: the clerk may plug the scanner in and try again.
      opening.catch(() => {
        if (handles.get(name) === opening) handles.delete(name);
      });
    }
    return opening;
  };

  const close = async (name: string): Promise<void> => {
    const opening = handles.get(name);
    handles.delete(name);
    (await opening?.catch(() => undefined))?.close();
  };

  /** The clerk's AppError for a failure on device `name`; one that may have left the handle stale closes it. */
  const fault = async (err: unknown, name: string): Promise<AppError> => {
    const appError = saneFault(err, name);
    if (staleAfter.has(appError.code) || appError.details?.driverStuck === true) await close(name);
    return appError;
  };

  const using = async <T>(name: string, fn: (device: ScannerDevice) => T | Promise<T>): Promise<T> => {
    try {
      return await fn(await open(name));
    } catch (err) {
      throw await fault(err, name);
    }
  };

  async function* pages(name: string, device: ScannerDevice, settings: ScanSettings, dpi: number, run: ScanRun): AsyncGenerator<ScannedPage, void, undefined> {
    const inject = run.injectFault;
    if (inject !== undefined && !isTestDevice({ name })) throw new AppError('INTERNAL', undefined, { device: name, reason: 'fault injection needs the SANE test backend' });
    try {
      for await (const page of device.scan({ batch: settings.source !== 'flatbed', signal: run.signal, onProgress: run.onProgress })) {
        yield { number: page.number, image: rasterOf(page, dpi, name) };
        // Between sheets, where SANE lets options change: the next sheet fails as a jammed feeder would.
        if (inject !== undefined && inject.afterPage === page.number) {
          const setting = injectedFault(inject.fault);
          device.set(setting.name, setting.value);
        }
      }
    } catch (err) {
      throw await fault(err, name);
    }
  }

  return {
    name: 'sane',

    async list() {
      try {
        return (await listDevices()).map(describe);
      } catch (err) {
        throw saneFault(err, '');
      }
    },

    capabilities: (name) => using(name, (device) => deskCapabilities(capabilitiesOf(device.options()))),

    prepare: (name, settings) =>
      using(name, (device) => {
        const list = deviceSettings(settings, capabilitiesOf(device.options()));
        if (isTestDevice({ name })) list.push(cleanStart);
        let resolution = settings.resolution;
        for (const setting of list) {
          const applied = device.set(setting.name, setting.value);
          if (setting.name === 'resolution' && typeof applied.value === 'number' && applied.value > 0) resolution = Math.round(applied.value);
        }
        return { resolution, pages: (run: ScanRun) => pages(name, device, settings, resolution, run) };
      }),

    close,

    async closeAll() {
      await Promise.all([...handles.keys()].map(close));
    },

    setTestOptions: (name, options) =>
      using(name, (device) => {
        if (!isTestDevice({ name })) throw new AppError('INTERNAL', undefined, { device: name, reason: 'test options are for the SANE test backend only' });
        for (const [option, value] of Object.entries(options)) device.set(option, value);
      }),
  };
}
