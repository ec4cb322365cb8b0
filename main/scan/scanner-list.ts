// The scanners Pindai offers, kept between visits: opening the screen shows the list known at
// once and asks the drivers again in the background (seconds with network scanners, up to a DNS
// or TCP timeout for one that does not answer). Each driver's answer replaces what was known of
// that driver as soon as it arrives, so one slow driver never holds back the others' scanners.
import type { DeviceEvent } from '../devices/protocol.ts';
import type { ScannerProblem } from '../devices/scanner/service.ts';
import type { Scanner } from '../devices/scanner/types.ts';
import type { Logger } from '../../common/logger.ts';

export interface ScannerListing {
  scanners: Scanner[];
  problems: ScannerProblem[];
}

export interface ScannerListView {
  /** What is known now; null before any driver has answered on this run. */
  listing: ScannerListing | null;
  /** The drivers are being asked again. */
  refreshing: boolean;
}

export interface ScannerListDeps {
  /** Asks every driver (the scan desk's listDevices); its `scanner.listed` events arrive before it resolves. */
  list(): Promise<ScannerListing>;
  onEvent(listener: (event: DeviceEvent) => void): () => void;
  /** Something new is known (a driver answered, or the refresh ended). */
  changed(view: ScannerListView): void;
  log: Logger;
}

export interface ScannerList {
  view(): ScannerListView;
  /**
   * Starts asking the drivers again (once more after the search under way, if one is). Resolves once something is
   * known to show: at once when a list is known, else at the first driver's answer (or the
   * failure of the whole listing, which then rejects).
   */
  refresh(): Promise<ScannerListView>;
}

/** Drivers that answered replace what was known of them; the others' scanners stay until they answer. */
function merge(known: ScannerListing | null, answered: Map<string, ScannerListing>): ScannerListing {
  const fresh = [...answered.values()];
  return {
    scanners: [...fresh.flatMap((l) => l.scanners), ...(known?.scanners ?? []).filter((s) => !answered.has(s.driver))],
    problems: [...fresh.flatMap((l) => l.problems), ...(known?.problems ?? []).filter((p) => !answered.has(p.driver))],
  };
}

export function createScannerList(deps: ScannerListDeps): ScannerList {
  let known: ScannerListing | null = null;
  let running: Promise<void> | null = null;
  /** Asked for while a search ran (a scanner was just added): that search may have started without it, so one more follows. */
  let again = false;
  let firstAnswer: Promise<void> = Promise.resolve();
  const view = (): ScannerListView => ({ listing: known, refreshing: running !== null });

  function start(): void {
    const answered = new Map<string, ScannerListing>();
    let answer!: () => void;
    firstAnswer = new Promise<void>((resolve) => { answer = resolve; });
    const off = deps.onEvent((event) => {
      if (event.name !== 'scanner.listed') return;
      answered.set(event.payload.driver, { scanners: event.payload.scanners, problems: event.payload.problems });
      known = merge(known, answered);
      answer();
      deps.changed(view());
    });
    const listing = deps.list();
    running = listing.then(
      (complete) => { known = complete; },
      (err: unknown) => { deps.log.warn('scanners could not be listed again; the list known before stays', { err }); },
    ).finally(() => {
      off();
      running = null;
      answer();
      if (again) {
        again = false;
        start();
      }
      deps.changed(view());
    });
    // The first visit has nothing to show: its caller waits for an answer, or hears the failure.
    if (known === null) {
      firstAnswer = Promise.race([firstAnswer, listing.then(() => undefined)]);
      // A search started after another (nobody waiting on it) fails only into the log.
      firstAnswer.catch(() => undefined);
    }
  }

  return {
    view,
    async refresh() {
      if (running === null) start();
      else again = true;
      if (known === null) await firstAnswer;
      return view();
    },
  };
}
