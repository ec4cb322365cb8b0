// Pure helpers over the scan session's page stack, shared by the Pindai screen's parts: which
// letter each page belongs to, and how a chosen profile fits the chosen scanner.
import type { ScannerChoice, ScanPage, ScanSettings, ScanSource } from '../../../../common/ipc/scan.ts';

/** The letter number (1, 2, …) of each page kept in the stack; null for pages left out. */
export function letterNumbers(pages: readonly ScanPage[]): (number | null)[] {
  let letter = 0;
  return pages.map((page) => {
    if (page.excluded !== null) return null;
    if (letter === 0 || page.startsLetter) letter++;
    return letter;
  });
}

export function letterCount(pages: readonly ScanPage[]): number {
  return Math.max(0, ...letterNumbers(pages).map((n) => n ?? 0));
}

export interface FittedSettings {
  settings: ScanSettings;
  /** The source the profile asked for, when this scanner does not offer it. */
  sourceUnavailable: ScanSource | null;
}

/** The settings adjusted to what the scanner offers (nearest resolution, an offered source). */
export function fitToScanner(settings: ScanSettings, scanner: ScannerChoice | undefined): FittedSettings {
  if (scanner === undefined) return { settings, sourceUnavailable: null };
  let { source, mode, resolution } = settings;
  let sourceUnavailable: ScanSource | null = null;
  if (!scanner.sources.includes(source)) {
    sourceUnavailable = source;
    // Duplex falls back to the feeder (same stack of paper), anything else to the first offered.
    source = source === 'duplex' && scanner.sources.includes('adf') ? 'adf' : (scanner.sources[0] ?? source);
  }
  if (scanner.modes.length > 0 && !scanner.modes.includes(mode)) mode = scanner.modes[0] ?? mode;
  if (scanner.resolutions.length > 0 && !scanner.resolutions.includes(resolution)) {
    resolution = scanner.resolutions.reduce((best, r) => (Math.abs(r - resolution) < Math.abs(best - resolution) ? r : best));
  }
  return { settings: { ...settings, source, mode, resolution }, sourceUnavailable };
}

export function sameSettings(a: ScanSettings, b: ScanSettings): boolean {
  return a.source === b.source && a.mode === b.mode && a.resolution === b.resolution && a.paperSize === b.paperSize;
}
