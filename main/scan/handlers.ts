// The IPC handlers of the Pindai screen: scanners and profiles, the network scanners the desk
// remembers, the scan session's page tools, a page as a JPG, and saving the stack as one PDF per
// letter. Core adds them with one line (scanHandlers(deps)).
import type { scan } from '../../common/ipc/scan.ts';
import type { ScannerChoice, ScannerNote } from '../../common/ipc/scan.ts';
import type { Handlers } from '../ipc/router.ts';
import type { ScannerProblem } from '../devices/scanner/service.ts';
import type { Transfers } from '../documents/transfers.ts';
import type { Scanner } from '../devices/scanner/types.ts';
import type { Store } from '../store/store.ts';
import { AppError } from '../../common/errors.ts';
import { networkUrlOf, type NetworkScanners } from './network-scanners.ts';
import type { ScannerList, ScannerListView } from './scanner-list.ts';
import type { ScanDesk } from './session.ts';

export interface ScanHandlerDeps {
  desk: ScanDesk;
  store: Store;
  network: NetworkScanners;
  /** The scanners known, asked again in the background. */
  scanners: ScannerList;
  /** A page's JPG goes to the renderer in pieces. */
  transfers: Transfers;
  actor(): string;
}

/**
 * The scanners to offer, in the order the drivers listed them. A demo scanner (SANE's test
 * backend) is offered only while no real scanner is listed, so a desk with hardware never shows it.
 * A network scanner that SANE also reaches (its escl or airscan backend) is offered once, by the
 * desk's own eSCL driver, which pins its certificate and knows its faults.
 */
export function scannerChoices(scanners: Scanner[]): ScannerChoice[] {
  const esclAddresses = new Set(scanners.filter((s) => s.driver === 'escl' && s.address !== null).map((s) => s.address));
  const reachable = scanners.filter((s) => !(s.driver !== 'escl' && s.connection === 'network' && s.address !== null && esclAddresses.has(s.address)));
  const real = reachable.filter((s) => !s.demo);
  const shown = real.length > 0 ? real : reachable;
  return shown.map((scanner, i) => ({
    name: scanner.id,
    label: scanner.demo && shown.length > 1 ? `${scanner.label} ${i + 1}` : scanner.label,
    demo: scanner.demo,
    connection: scanner.connection,
    address: scanner.address,
    driver: scanner.driver,
    certificate: scanner.certificate ?? null,
    sources: scanner.capabilities.sources,
    modes: scanner.capabilities.modes,
    resolutions: scanner.capabilities.resolutions,
  }));
}

/** What Pindai says of the scanners that cannot be used now (and of SANE when it is not on this computer). */
export function scannerNotes(problems: ScannerProblem[]): ScannerNote[] {
  return problems.map((p) => ({ code: p.error.code, message: p.error.message, device: p.device, presented: p.presented, url: (p.device && networkUrlOf(p.device.id)) ?? null }));
}

/** The scanner list as Pindai shows it (the reply of scan.scanners and the payload of scan.scanners.changed). */
export function scannerListReply(view: ScannerListView, lastUsed: string | null) {
  return { scanners: scannerChoices(view.listing?.scanners ?? []), notes: scannerNotes(view.listing?.problems ?? []), lastUsed, refreshing: view.refreshing };
}

export type ScanHandlers = Pick<Handlers, keyof typeof scan.channels>;

export function scanHandlers(deps: ScanHandlerDeps): ScanHandlers {
  const { desk, store, network } = deps;
  const waiting = () => store.documents.waitingScans().map((w) => ({ documentId: w.hash, pageCount: w.pageCount ?? 1, savedAt: w.savedAt }));
  return {
    'scan.scanners': async () => scannerListReply(await deps.scanners.refresh(), store.scanProfiles.lastScanner()),
    'scan.network.list': () => network.list(),
    'scan.network.add': (input) => network.add(input),
    'scan.network.remove': ({ url }) => network.remove(url),
    'scan.network.trust': ({ url, sha256 }) => network.trust(url, sha256),
    'scan.profiles.list': () => store.scanProfiles.list(),
    'scan.profiles.save': (input) => store.scanProfiles.save(input, deps.actor()),
    'scan.profiles.choose': ({ id }) => {
      store.scanProfiles.markUsed(id);
      return { lastUsedId: store.scanProfiles.list().lastUsedId };
    },
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
    'scan.page.view': async ({ pageId }) => {
      const { fileName, jpeg } = await desk.pageView(pageId);
      return deps.transfers.offer({ bytes: jpeg }, fileName, 'image/jpeg');
    },
    'scan.waiting': () => ({ letters: waiting() }),
    'scan.waiting.discard': ({ documentId }) => {
      store.transaction(() => {
        const scan = store.documents.waitingScans().find((w) => w.hash === documentId);
        if (!scan) throw new AppError('NOT_FOUND', 'Surat hasil pindai ini sudah tidak menunggu dicatat (sudah dicatat atau sudah dibuang).');
        store.audit.append({ actor: deps.actor(), action: 'scan.discarded', entity: 'document', entityId: documentId, details: { pages: scan.pageCount, savedAt: scan.savedAt } });
      });
      return { letters: waiting() };
    },
    'scan.save': async ({ title }) => ({ letters: await desk.save(title) }),
    'scan.discard': () => desk.discard(),
  };
}
