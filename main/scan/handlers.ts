// The IPC handlers of the Pindai screen: scanners and profiles, the scan session's page tools,
// a page as a JPG, and saving the stack as one PDF per letter. Core adds them with one line (scanHandlers(deps)).
import type { scan } from '../../common/ipc/scan.ts';
import type { ScannerChoice } from '../../common/ipc/scan.ts';
import type { Handlers } from '../ipc/router.ts';
import { AppError } from '../../common/errors.ts';
import type { DeviceWorkerHost } from '../devices/host.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from '../../common/logger.ts';
import { capabilitiesOf } from '../devices/scanner/sane/options.ts';
import type { ScanDesk } from './session.ts';
import { isTestDevice } from '../../dev/scanner/sane-test-backend.ts';

export interface ScanHandlerDeps {
  desk: ScanDesk;
  devices: Pick<DeviceWorkerHost, 'request'>;
  store: Store;
  actor(): string;
  log: Logger;
}

const demoLabel = 'Pemindai uji (demo)';

/**
 * The scanners to offer. SANE's test backend is listed only while no real scanner is, so a desk
 * with hardware never shows the demo; a scanner whose options cannot be read (just unplugged,
 * used by another program) is left out and logged.
 */
async function scannerChoices(desk: ScanDesk, devices: ScanHandlerDeps['devices'], log: Logger): Promise<ScannerChoice[]> {
  const all = await desk.listDevices();
  const real = all.filter((d) => !isTestDevice(d));
  const shown = real.length > 0 ? real : all;
  const choices: ScannerChoice[] = [];
  for (const [i, device] of shown.entries()) {
    try {
      const caps = capabilitiesOf(await devices.request('scanner.options', { device: device.name }));
      const demo = isTestDevice(device);
      const label = demo ? (shown.length > 1 ? `${demoLabel} ${i + 1}` : demoLabel) : `${device.vendor} ${device.model}`.trim();
      choices.push({ name: device.name, label, demo, sources: (['flatbed', 'adf', 'duplex'] as const).filter((s) => caps.sources[s] !== undefined), modes: (['color', 'gray', 'lineart'] as const).filter((m) => caps.modes[m] !== undefined), resolutions: caps.resolutions });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      log.warn('scanner left out of the list: its options could not be read', { device: device.name, code: err.code });
    }
  }
  return choices;
}

export type ScanHandlers = Pick<Handlers, keyof typeof scan.channels>;

export function scanHandlers(deps: ScanHandlerDeps): ScanHandlers {
  const { desk, store } = deps;
  return {
    'scan.scanners': () => scannerChoices(desk, deps.devices, deps.log),
    'scan.profiles.list': () => store.scanProfiles.list(),
    'scan.profiles.save': (input) => store.scanProfiles.save(input, deps.actor()),
    'scan.session.get': () => ({ session: desk.snapshot(), thumbnails: desk.thumbnails() }),
    'scan.start': (request) => desk.start(request),
    'scan.cancel': () => desk.cancel(),
    'scan.page.move': ({ pageId, toIndex }) => desk.move(pageId, toIndex),
    'scan.page.rotate': ({ pageId, turn }) => desk.rotate(pageId, turn),
    'scan.page.delete': ({ pageId }) => desk.setExcluded(pageId, true),
    'scan.page.restore': ({ pageId }) => desk.setExcluded(pageId, false),
    'scan.letter.split': ({ pageId, startsLetter }) => desk.setStartsLetter(pageId, startsLetter),
    'scan.letter.splitAtBlanks': () => desk.splitAtBlanks(),
    'scan.page.jpeg': async ({ pageId }) => {
      const { fileName, jpeg } = await desk.pageJpeg(pageId);
      return { fileName, jpeg: Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).toString('base64') };
    },
    'scan.save': async ({ title }) => ({ letters: await desk.save(title) }),
    'scan.discard': () => desk.discard(),
  };
}
