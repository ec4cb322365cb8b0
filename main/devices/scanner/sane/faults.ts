// SANE's statuses as the desk's scanner faults: each SaneError becomes the AppError with its
// SCANNER_* code and the clerk's message (../faults.ts), which says which pages of the batch were
// already scanned.
import { AppError } from '../../../../common/errors.ts';
import { SaneError, SaneUnavailableError, type SaneFault } from '../../../../native/sane/index.ts';
import { scannerFault } from '../faults.ts';
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

/**
 * The AppError a clerk sees for what the SANE package threw on device `device` (SANE's name for
 * it; '' while listing). An AppError passes through; anything else is a bug and becomes INTERNAL.
 */
export function saneFault(err: unknown, device: string): AppError {
  if (err instanceof AppError) return err;
  // "SANE tidak tersedia di komputer ini": no addon or no libsane here; network scanners still work.
  if (err instanceof SaneUnavailableError) return new AppError('SCANNER_SANE_UNAVAILABLE', undefined, { device, reason: err.message }, { cause: err });
  if (!(err instanceof SaneError)) return new AppError('INTERNAL', undefined, { device }, { cause: err });
  // sane_open answers INVAL for a name no backend knows.
  const code: ScannerFault = err.during === 'open' && err.status === 'INVAL' ? 'SCANNER_NOT_FOUND' : faultCodes[err.status];
  const details: Record<string, unknown> = { status: err.status, device, during: err.during };
  if (err.option !== undefined) details.option = err.option;
  // Read by the device host, which restarts the worker: only a new process can use the scanner again.
  if (err.driverStuck) details.driverStuck = true;
  return scannerFault(code, err.pagesCompleted, details, { cause: err });
}

/** SANE's status for a fault, by its status name as the test backend's read-return-value takes it. */
export function saneStatusOf(fault: ScannerFault): SaneFault | undefined {
  for (const [status, code] of Object.entries(faultCodes) as [SaneFault, ScannerFault][]) {
    if (code === fault && status !== 'UNKNOWN' && status !== 'EOF') return status;
  }
  return undefined;
}
