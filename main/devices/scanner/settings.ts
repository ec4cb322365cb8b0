// The desk's scan settings against what a scanner can do, the same for every driver: the paper
// sizes in millimetres, the resolutions the desk offers, and the refusal a clerk reads when a
// source or colour mode is not there ("ADF dupleks tidak tersedia pada pemindai ini…") instead
// of a scan with something else.
import { AppError } from '../../../common/errors.ts';
import type { PaperSize, ScanMode, ScannerCapabilities, ScanSettings, ScanSource } from './types.ts';

export const paperSizesMm: Record<PaperSize, { widthMm: number; heightMm: number }> = {
  a4: { widthMm: 210, heightMm: 297 },
  f4: { widthMm: 215, heightMm: 330 },
  letter: { widthMm: 215.9, heightMm: 279.4 },
  legal: { widthMm: 215.9, heightMm: 355.6 },
};

/** The resolutions the desk offers, where the scanner can do them. */
export const deskResolutions = [100, 150, 200, 300, 400, 600];

/** The paper sizes that fit whole into a scan area (every size when the area is not known). */
export function fittingPaperSizes(maxArea: ScannerCapabilities['maxArea']): PaperSize[] {
  const sizes = Object.keys(paperSizesMm) as PaperSize[];
  if (maxArea === null) return sizes;
  return sizes.filter((size) => paperSizesMm[size].widthMm <= maxArea.widthMm && paperSizesMm[size].heightMm <= maxArea.heightMm);
}

const sourceLabels: Record<ScanSource, string> = { flatbed: 'Kaca (flatbed)', adf: 'ADF satu sisi', duplex: 'ADF dupleks' };
const modeLabels: Record<ScanMode, string> = { color: 'Mode berwarna', gray: 'Mode abu-abu', lineart: 'Mode hitam-putih' };

function unavailable(what: string, details: Record<string, unknown>): AppError {
  return new AppError('SCANNER_UNSUPPORTED', `${what} tidak tersedia pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.`, details);
}

/** Refuses a source or colour mode the scanner does not offer (a scanner offering no mode choice takes any). */
export function refuseUnavailable(settings: ScanSettings, offered: { sources: readonly ScanSource[]; modes: readonly ScanMode[] }): void {
  if (!offered.sources.includes(settings.source)) throw unavailable(sourceLabels[settings.source], { source: settings.source });
  if (offered.modes.length > 0 && !offered.modes.includes(settings.mode)) throw unavailable(modeLabels[settings.mode], { mode: settings.mode });
}
