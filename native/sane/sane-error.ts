// The one error type of the SANE package: SANE's own status, what the wrapper was doing, and how
// many pages of a batch were whole before the fault. It says nothing a clerk reads; the app maps
// `status` to its own messages, as better-sqlite3's SqliteError leaves `code` to its caller.

/** SANE's statuses by name (SANE_STATUS_JAMMED is 'JAMMED'); 'UNKNOWN' for one this wrapper does not know. */
export type SaneStatus =
  | 'GOOD'
  | 'UNSUPPORTED'
  | 'CANCELLED'
  | 'DEVICE_BUSY'
  | 'INVAL'
  | 'EOF'
  | 'JAMMED'
  | 'NO_DOCS'
  | 'COVER_OPEN'
  | 'IO_ERROR'
  | 'NO_MEM'
  | 'ACCESS_DENIED'
  | 'UNKNOWN';

/** A status that ends an operation: every one but GOOD. */
export type SaneFault = Exclude<SaneStatus, 'GOOD'>;

const faults = new Set<string>(['UNSUPPORTED', 'CANCELLED', 'DEVICE_BUSY', 'INVAL', 'EOF', 'JAMMED', 'NO_DOCS', 'COVER_OPEN', 'IO_ERROR', 'NO_MEM', 'ACCESS_DENIED'] satisfies SaneFault[]);

/** The addon's status name as a fault; a name this wrapper does not know (or GOOD where a fault was reported) is UNKNOWN. */
export function faultStatus(name: string): SaneFault {
  return faults.has(name) ? (name as SaneFault) : 'UNKNOWN';
}

export interface SaneErrorContext {
  /** The SANE device name ('' while listing devices). */
  device: string;
  /** The step that failed: 'open', 'start', 'read', 'set option mode', 'list devices'… */
  during: string;
  /** Pages of the batch completed before the fault (and handed to the caller); 0 when none. */
  pagesCompleted?: number;
  /** The option concerned, when reading or setting one failed. */
  option?: string;
  /**
   * The backend did not come back from stopping the scan: the status is what the scan ended with,
   * and the device cannot be used again in this process.
   */
  driverStuck?: boolean;
}

export class SaneError extends Error {
  readonly status: SaneFault;
  readonly device: string;
  readonly during: string;
  readonly pagesCompleted: number;
  readonly option: string | undefined;
  readonly driverStuck: boolean;

  constructor(status: SaneFault, context: SaneErrorContext, options?: { cause?: unknown }) {
    super(`SANE ${status} during ${context.during}${context.device === '' ? '' : ` on ${context.device}`}`, options);
    this.name = 'SaneError';
    this.status = status;
    this.device = context.device;
    this.during = context.during;
    this.pagesCompleted = context.pagesCompleted ?? 0;
    this.option = context.option;
    this.driverStuck = context.driverStuck ?? false;
  }
}

/**
 * SANE cannot be used on this computer: the addon was not built (no libsane where it was built,
 * or an OS without SANE) or libsane cannot be loaded. Not a status of SANE's: there is no SANE.
 */
export class SaneUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`SANE is not available: ${reason}`, options);
    this.name = 'SaneUnavailableError';
  }
}
