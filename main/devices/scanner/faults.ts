// The desk's scanner faults as every driver raises them: the AppError with its SCANNER_* code and
// the clerk's message in Bahasa Indonesia, which also says which pages of the batch were already
// scanned ("… Halaman 1–3 sudah terpindai."). details.pagesCompleted tells the scan layer what to
// keep. A driver decides the code from what its device said (a SANE status, an eSCL ADF state).
import { AppError, defaultMessages } from '../../../common/errors.ts';
import type { ScannerFault } from './types.ts';

export function pagesSentence(pages: number): string {
  if (pages === 0) return '';
  return pages === 1 ? ' Halaman 1 sudah terpindai.' : ` Halaman 1–${pages} sudah terpindai.`;
}

/** A fault of the device during a scan, after `pagesCompleted` whole pages; `message` replaces the code's own text. */
export function scannerFault(code: ScannerFault, pagesCompleted: number, details: Record<string, unknown>, options: { message?: string; cause?: unknown } = {}): AppError {
  return new AppError(code, (options.message ?? defaultMessages[code]) + pagesSentence(pagesCompleted), { ...details, pagesCompleted }, options.cause === undefined ? undefined : { cause: options.cause });
}
