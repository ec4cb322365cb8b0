// SANE's statuses as the desk's scanner faults: each SaneError becomes the AppError with its
// SCANNER_* code and the clerk's message in Bahasa Indonesia, which also says which pages of the
// batch were already scanned ("… Halaman 1–3 sudah terpindai."). details.pagesCompleted tells the
// scan layer what to keep.
import type { ErrorCode } from '../../../../common/ipc/index.ts';
import { AppError, defaultMessages } from '../../../../common/errors.ts';
import { SaneError, type SaneFault } from '../../../../native/sane/index.ts';
import type { ScannerFault } from '../types.ts';

const faultCodes: Record<SaneFault, ScannerFault> = {
  UNSUPPORTED: 'SCANNER_UNSUPPORTED',
  CANCELLED: 'SCANNER_CANCELLED',
  DEVICE_BUSY: 'SCANNER_BUSY',
  INVAL: 'SCANNER_INVALID',
  // A page that ends before its first line is a device fault, not an empty page.
  EOF: 'SCANNER_FAILED',
  JAMMED: 'SCANNER_JAMMED',
  NO_DOCS: 'SCANNER_NO_DOCS',
  COVER_OPEN: 'SCANNER_COVER_OPEN',
  IO_ERROR: 'SCANNER_IO',
  NO_MEM: 'SCANNER_FAILED',
  ACCESS_DENIED: 'SCANNER_ACCESS_DENIED',
  UNKNOWN: 'SCANNER_FAILED',
};

function pagesSentence(pages: number): string {
  if (pages === 0) return '';
  return pages === 1 ? ' Halaman 1 sudah terpindai.' : ` Halaman 1–${pages} sudah terpindai.`;
}

/**
 * The AppError a clerk sees for what the SANE package threw on device `device` (SANE's name for
 * it; '' while listing). An AppError passes through; anything else is a bug and becomes INTERNAL.
 */
export function saneFault(err: unknown, device: string): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof SaneError)) return new AppError('INTERNAL', undefined, { device }, { cause: err });
  // sane_open answers INVAL for a name no backend knows.
  const code: ErrorCode = err.during === 'open' && err.status === 'INVAL' ? 'SCANNER_NOT_FOUND' : faultCodes[err.status];
  const details: Record<string, unknown> = { status: err.status, device, during: err.during, pagesCompleted: err.pagesCompleted };
  if (err.option !== undefined) details.option = err.option;
  return new AppError(code, defaultMessages[code] + pagesSentence(err.pagesCompleted), details, { cause: err });
}

/** SANE's status for a fault, by its status name as the test backend's read-return-value takes it. */
export function saneStatusOf(fault: ScannerFault): SaneFault | undefined {
  for (const [status, code] of Object.entries(faultCodes) as [SaneFault, ScannerFault][]) {
    if (code === fault && status !== 'UNKNOWN' && status !== 'EOF') return status;
  }
  return undefined;
}
