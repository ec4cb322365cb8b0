// The IPC handlers of the Pindai screen: scanners and profiles, the scan session's page tools,
// a page as a JPG, and saving the stack as one PDF per letter. Core adds them with one line (scanHandlers(deps)).
import type { scan } from '../../common/ipc/scan.ts';
import type { ScannerChoice } from '../../common/ipc/scan.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Transfers } from '../documents/transfers.ts';
import type { Scanner } from '../devices/scanner/types.ts';
import type { Store } from '../store/store.ts';
import type { ScanDesk } from './session.ts';

export interface ScanHandlerDeps {
  desk: ScanDesk;
  store: Store;
  /** A page's JPG goes to the renderer in pieces. */
  transfers: Transfers;
  actor(): string;
}

/**
 * The scanners to offer, in the order the drivers listed them. A demo scanner (SANE's test
 * backend) is offered only while no real scanner is listed, so a desk with hardware never shows it.
 */
export function scannerChoices(scanners: Scanner[]): ScannerChoice[] {
  const real = scanners.filter((s) => !s.demo);
  const shown = real.length > 0 ? real : scanners;
  return shown.map((scanner, i) => ({
    name: scanner.id,
    label: scanner.demo && shown.length > 1 ? `${scanner.label} ${i + 1}` : scanner.label,
    demo: scanner.demo,
    sources: scanner.capabilities.sources,
    modes: scanner.capabilities.modes,
    resolutions: scanner.capabilities.resolutions,
  }));
}

export type ScanHandlers = Pick<Handlers, keyof typeof scan.channels>;

export function scanHandlers(deps: ScanHandlerDeps): ScanHandlers {
  const { desk, store } = deps;
  return {
    'scan.scanners': async () => scannerChoices(await desk.listDevices()),
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
      return deps.transfers.offer({ bytes: jpeg }, fileName, 'image/jpeg');
    },
    'scan.save': async ({ title }) => ({ letters: await desk.save(title) }),
    'scan.discard': () => desk.discard(),
  };
}
