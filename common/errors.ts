// The one error type of the desk: a code the program can branch on and a message a clerk understands
// (Bahasa Indonesia). The codes and their texts are declared by each capability's contract file
// (common/ipc/); anything else thrown is a bug and reaches a person only as INTERNAL.
import { errorTexts, type ErrorCode, type IpcError } from './ipc/index.ts';

/** The Bahasa Indonesia message of each code; a thrower may give a more specific one. */
export const defaultMessages = Object.fromEntries(Object.entries(errorTexts).map(([code, text]) => [code, text.id])) as Record<ErrorCode, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? defaultMessages[code], options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toIpc(): IpcError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Disk-full and similar I/O failures are things a clerk can act on; name them as such. */
export function fromSystemError(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT') return new AppError('STORAGE_FULL', undefined, undefined, { cause: err });
  // better-sqlite3 reports extended codes (SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, …).
  if ((typeof code === 'string' && code.startsWith('SQLITE_IOERR')) || code === 'EIO' || code === 'EROFS') return new AppError('STORAGE_FAILED', undefined, undefined, { cause: err });
  // A damaged or foreign file where the database should be: never "repair" it by overwriting.
  if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) return new AppError('STORAGE_CORRUPT', undefined, undefined, { cause: err });
  return undefined;
}
