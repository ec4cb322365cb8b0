// The server's one error type: an HTTP status, a code from the protocol and a Bahasa Indonesia
// message. Anything else thrown in a handler is a bug, logged, and answered as INTERNAL.
import { serverMessages, type ServerErrorCode } from '../../common/protocol/errors.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ServerErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: ServerErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? serverMessages[code]);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** A precondition of a sync mutation failed: the mutation is answered `rejected`, the batch goes on. */
export class Rejection extends Error {
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message?: string) {
    super(message ?? serverMessages[code]);
    this.name = 'Rejection';
    this.code = code;
  }
}
