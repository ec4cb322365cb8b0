// Turns what the server or the network said into the desk's AppError: transport and TLS failures
// and answers the desk cannot read keep their own codes, sign-in refusals get the desk's AUTH_* codes, and any other refusal is
// SERVER_REFUSED carrying the server's own Bahasa Indonesia message and code.
import type { ErrorCode } from '../../common/ipc/index.ts';
import { AppError } from '../../common/errors.ts';
import type { ServerError } from './client.ts';

const serverToDesk: Partial<Record<ServerError['code'], ErrorCode>> = {
  SERVER_INSECURE: 'SERVER_INSECURE',
  SERVER_UNREACHABLE: 'SERVER_UNREACHABLE',
  SERVER_TLS_UNTRUSTED: 'SERVER_TLS_UNTRUSTED',
  SERVER_TLS_EXPIRED: 'SERVER_TLS_EXPIRED',
  SERVER_TLS_HOSTNAME: 'SERVER_TLS_HOSTNAME',
  SERVER_TLS_PURPOSE: 'SERVER_TLS_PURPOSE',
  SERVER_TLS_WEAK: 'SERVER_TLS_WEAK',
  SERVER_TLS_CA_CERT: 'SERVER_TLS_CA_CERT',
  SERVER_TLS_REFUSED: 'SERVER_TLS_REFUSED',
  SERVER_CA_UNREADABLE: 'SERVER_CA_UNREADABLE',
  SERVER_REPLY_INVALID: 'SERVER_REPLY_INVALID',
  INVALID_CREDENTIALS: 'AUTH_INVALID_CREDENTIALS',
  LOGIN_THROTTLED: 'AUTH_THROTTLED',
  ACCOUNT_LOCKED: 'AUTH_LOCKED',
  ACCOUNT_DISABLED: 'AUTH_DISABLED',
  UNAUTHENTICATED: 'AUTH_REQUIRED',
  REFRESH_INVALID: 'AUTH_REQUIRED',
  REFRESH_REUSED: 'AUTH_REQUIRED',
  DEVICE_MISMATCH: 'AUTH_REQUIRED',
};

export function fromServerError(err: ServerError): AppError {
  const code = serverToDesk[err.code] ?? 'SERVER_REFUSED';
  return new AppError(code, err.message, { serverCode: err.code, ...(err.status ? { status: err.status } : {}), ...err.details }, { cause: err });
}
