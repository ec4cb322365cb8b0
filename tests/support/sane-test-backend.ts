// SANE's own `test` backend as the scanner for tests: a private SANE_CONFIG_DIR (no edits to /etc)
// whose dll.conf loads only `test`, with the geometry limit raised to 300 mm so an A4 sheet fits.
// The backend simulates an ADF of 10 sheets (NO_DOCS at every 11th scan since the device was
// opened, flatbed scans included), injects any status through `read-return-value`, and keeps
// option values across close/open in a process — so every test sets the whole option set
// through configureTestScanner().
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestBackendConfig } from '../../dev/scanner/sane-test-backend.ts';
import { SaneError, type OptionValue, type ScannedPage, type ScannerDevice, type ScanOptions } from '../../native/sane/index.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * Why SANE's own tests cannot run here, or undefined when they must: a computer without libsane's
 * headers, where setup builds no SANE addon (as on Windows), or a run declared to be without SANE
 * (`LOKET_WITHOUT_SANE=1`: does everything else pass on a desk that has no SANE?). A computer with
 * the headers but no addon has a broken build: its SANE tests run and fail.
 */
export const withoutSane: string | undefined = process.env.LOKET_WITHOUT_SANE === '1'
  ? 'this run is declared to be without SANE (LOKET_WITHOUT_SANE=1)'
  : !existsSync(join(root, 'native/sane/build/Release/sane.node')) && !['/usr/include/sane/sane.h', '/usr/local/include/sane/sane.h'].some((h) => existsSync(h))
    ? 'libsane is not installed on this computer, so the SANE addon was not built'
    : undefined;

export interface SaneTestBackend {
  configDir: string;
  cleanup(): void;
}

/**
 * Creates the configuration and points SANE_CONFIG_DIR at it. Must run before the first call into
 * the binding in this process: sane_init reads the variable once. No trailing colon: with one,
 * SANE would append the system's directories and load every installed backend as well.
 */
export function useSaneTestBackend(): SaneTestBackend {
  const configDir = mkdtempSync(join(tmpdir(), 'loket-sane-'));
  writeTestBackendConfig(configDir, { devices: 2 });
  process.env.SANE_CONFIG_DIR = configDir;
  return { configDir, cleanup: () => rmSync(configDir, { recursive: true, force: true }) };
}

export const feeder = 'Automatic Document Feeder';
export const a4 = { widthMm: 210, heightMm: 297 } as const;

export type InjectedStatus =
  | 'Default'
  | 'SANE_STATUS_UNSUPPORTED'
  | 'SANE_STATUS_CANCELLED'
  | 'SANE_STATUS_DEVICE_BUSY'
  | 'SANE_STATUS_INVAL'
  | 'SANE_STATUS_EOF'
  | 'SANE_STATUS_JAMMED'
  | 'SANE_STATUS_NO_DOCS'
  | 'SANE_STATUS_COVER_OPEN'
  | 'SANE_STATUS_IO_ERROR'
  | 'SANE_STATUS_NO_MEM'
  | 'SANE_STATUS_ACCESS_DENIED';

export interface TestScannerSettings {
  mode?: 'Gray' | 'Color';
  depth?: 1 | 8 | 16;
  resolution?: number;
  source?: 'Flatbed' | typeof feeder;
  widthMm?: number;
  heightMm?: number;
  picture?: 'Solid black' | 'Solid white' | 'Color pattern' | 'Grid';
  /** What every sane_read returns; anything but Default fails the page at its first read. */
  readReturn?: InjectedStatus;
  handScanner?: boolean;
  threePass?: boolean;
  /** Bytes per sane_read at most (null: no limit); 1 makes a page take many reads. */
  readLimit?: number | null;
  /** Microseconds the backend waits before producing a page's data (null: none). */
  readDelayUs?: number | null;
}

/**
 * Every option a test depends on, as name/value pairs in an order that keeps each one active:
 * modes first (they switch other options on and off), then geometry, then fault and timing knobs.
 */
export function testScannerSettings(settings: TestScannerSettings = {}): { name: string; value: OptionValue }[] {
  const s = { mode: 'Gray', depth: 8, resolution: 75, source: 'Flatbed', widthMm: 50, heightMm: 50, picture: 'Solid black', readReturn: 'Default', handScanner: false, threePass: false, readLimit: null, readDelayUs: null, ...settings };
  const list: [string, OptionValue | null][] = [
    ['hand-scanner', false],
    ['mode', s.mode],
    ['three-pass', s.mode === 'Color' ? s.threePass : null],
    ['depth', s.depth],
    ['resolution', s.resolution],
    ['source', s.source],
    ['test-picture', s.picture],
    ['tl-x', 0],
    ['tl-y', 0],
    ['br-x', s.widthMm],
    ['br-y', s.heightMm],
    ['read-return-value', s.readReturn],
    ['read-limit', s.readLimit !== null],
    ['read-limit-size', s.readLimit],
    ['read-delay', s.readDelayUs !== null],
    ['read-delay-duration', s.readDelayUs],
    ['hand-scanner', s.handScanner],
  ];
  // null: the option is inactive in this configuration and is left alone.
  return list.flatMap(([name, value]) => (value === null ? [] : [{ name, value }]));
}

/** Applies testScannerSettings() to an open device. */
export function configureTestScanner(device: ScannerDevice, settings: TestScannerSettings = {}): void {
  for (const { name, value } of testScannerSettings(settings)) device.set(name, value);
}

/** What the test backend produces for an area, by its own arithmetic (truncating pixels and lines). */
export function expectedPage(resolution: number, widthMm: number, heightMm: number, channels: 1 | 3, depth: 8 | 16 = 8) {
  const pixelsPerLine = Math.trunc((resolution * widthMm) / 25.4);
  const lines = Math.trunc((resolution * heightMm) / 25.4);
  const bytesPerLine = pixelsPerLine * channels * (depth / 8);
  return { pixelsPerLine, lines, bytesPerLine, bytes: bytesPerLine * lines };
}

export interface BatchOutcome {
  pages: ScannedPage[];
  /** The fault that ended the batch, if any (the pages before it are in `pages`). */
  error: SaneError | undefined;
}

/**
 * Runs a scan to its end the way the scan layer does: keeps every page as it arrives, and
 * `betweenPages` may change options after a page, before the next sheet is fed.
 */
export async function scanToEnd(device: ScannerDevice, options: ScanOptions = {}, betweenPages?: (page: ScannedPage) => void): Promise<BatchOutcome> {
  const pages: ScannedPage[] = [];
  try {
    for await (const page of device.scan(options)) {
      pages.push(page);
      betweenPages?.(page);
    }
    return { pages, error: undefined };
  } catch (err) {
    if (!(err instanceof SaneError)) throw err;
    return { pages, error: err };
  }
}
