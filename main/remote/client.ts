// The desk's HTTPS client to the central server, used by sign-in, sync and deliveries. HTTPS only,
// trusting the system roots or — when an agency CA bundle is configured — exactly that bundle; plain
// HTTP is accepted only to a loopback address and only when development mode allows it. Every JSON
// answer is checked against its schema from common/protocol/ before the desk reads it. Connection and
// TLS failures, refusals and answers of the wrong shape become ServerError with a code and a Bahasa
// Indonesia message a clerk (or the office's admin) can act on.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkServerIdentity as standardIdentityCheck, type PeerCertificate } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ErrorBody, type ServerErrorCode } from '../../common/protocol/errors.ts';
import { defaultMessages } from '../../common/errors.ts';

/** Failures of the desk's own (common/errors.ts): no answer, or one this desk cannot read. */
export type TransportErrorCode = 'SERVER_INSECURE' | 'SERVER_UNREACHABLE' | 'SERVER_TLS_UNTRUSTED' | 'SERVER_TLS_EXPIRED' | 'SERVER_TLS_HOSTNAME'
  | 'SERVER_TLS_PURPOSE' | 'SERVER_TLS_WEAK' | 'SERVER_TLS_CA_CERT' | 'SERVER_TLS_REFUSED' | 'SERVER_CA_UNREADABLE' | 'SERVER_REPLY_INVALID';

/** A failure to talk to the server (network, TLS), or an error answer from it (status ≥ 400). */
export class ServerError extends Error {
  readonly code: TransportErrorCode | ServerErrorCode;
  /** HTTP status of an answer; 0 when there was none. */
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: TransportErrorCode | ServerErrorCode, message: string, status = 0, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** The server could not be reached or could not answer now: worth retrying later, nothing was refused. TLS and configuration faults are not: waiting does not fix them. */
  get transient(): boolean {
    return this.code === 'SERVER_UNREACHABLE' || this.status >= 500 || this.status === 429;
  }
}

export interface ServerEndpoint {
  url: string;
  /** PEM bundle of the agency's CA; absent → the system's roots. */
  caFile?: string | undefined;
}

export interface ServerReply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface RequestOptions {
  token?: string | undefined;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Called with the request once it is on the wire (the benchmark and tests cut connections with it). */
  signal?: AbortSignal;
  /** Called with the body bytes handed to the connection so far, as they go (progress of a long upload). */
  onBodySent?: (bytes: number) => void;
  /**
   * Send once more on a fresh connection when a kept-alive one turns out closed (default true). An
   * upload turns it off: it asks the server where it got to instead of repeating a long body blind.
   */
  retryStaleConnection?: boolean;
}

export interface ServerClient {
  readonly endpoint: ServerEndpoint;
  /** Any answer, error statuses included; rejects only when no answer arrived. */
  raw(method: string, path: string, options?: RequestOptions): Promise<ServerReply>;
  /**
   * The JSON of a 2xx answer, checked against `reply`; an answer that is not JSON or does not match is
   * ServerError SERVER_REPLY_INVALID, and a 4xx/5xx is ServerError with the server's code and message.
   */
  json<S extends z.ZodType>(method: string, path: string, reply: S, options?: RequestOptions): Promise<z.output<S>>;
  close(): void;
}

const bodySliceBytes = 64 * 1024;

const keyTooSmall = 'LOKET_SERVER_KEY_TOO_SMALL';
const certificateIsCa = 'LOKET_SERVER_CERT_IS_CA';

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const tlsCodes: Record<string, TransportErrorCode> = {
  CERT_HAS_EXPIRED: 'SERVER_TLS_EXPIRED',
  CERT_NOT_YET_VALID: 'SERVER_TLS_EXPIRED',
  ERR_TLS_CERT_ALTNAME_INVALID: 'SERVER_TLS_HOSTNAME',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'SERVER_TLS_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT: 'SERVER_TLS_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'SERVER_TLS_UNTRUSTED',
  SELF_SIGNED_CERT_IN_CHAIN: 'SERVER_TLS_UNTRUSTED',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'SERVER_TLS_UNTRUSTED',
  CERT_SIGNATURE_FAILURE: 'SERVER_TLS_UNTRUSTED',
  CERT_UNTRUSTED: 'SERVER_TLS_UNTRUSTED',
  CERT_REVOKED: 'SERVER_TLS_UNTRUSTED',
  INVALID_PURPOSE: 'SERVER_TLS_PURPOSE',
  CA_MD_TOO_WEAK: 'SERVER_TLS_WEAK',
  CA_KEY_TOO_SMALL: 'SERVER_TLS_WEAK',
  EE_KEY_TOO_SMALL: 'SERVER_TLS_WEAK',
  [keyTooSmall]: 'SERVER_TLS_WEAK',
  [certificateIsCa]: 'SERVER_TLS_CA_CERT',
};

/** A failure of the connection itself (refused, reset, timed out, no route, no name): the server may be back later. */
function isNetworkCode(code: string): boolean {
  return /^E[A-Z]+$/.test(code) || code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * What went wrong talking to the server. A certificate or TLS refusal is named (it does not pass by
 * waiting, and the admin must act); only the network's own failures are "unreachable".
 */
export function networkError(err: unknown): ServerError {
  if (err instanceof ServerError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  let mapped: TransportErrorCode = 'SERVER_UNREACHABLE';
  if (typeof code === 'string') {
    // OpenSSL reasons Node has no code for arrive as UNSPECIFIED with OpenSSL's words (a SHA-1 signature).
    if (/digest algorithm too weak|key too (weak|small)/i.test(message)) mapped = 'SERVER_TLS_WEAK';
    else mapped = tlsCodes[code] ?? (isNetworkCode(code) ? 'SERVER_UNREACHABLE' : 'SERVER_TLS_REFUSED');
  }
  const details = typeof code === 'string' ? { cause: code, ...(mapped !== 'SERVER_UNREACHABLE' && message ? { reason: message } : {}) } : undefined;
  return new ServerError(mapped, defaultMessages[mapped], 0, details, { cause: err });
}

/**
 * What browsers refuse beyond OpenSSL's own checks (which at its default level still take an RSA key
 * of 1 024 bits and a server certificate that is itself a CA): a server certificate must be a leaf,
 * and its RSA key at least 2 048 bits.
 */
export function checkServerCertificate(host: string, cert: PeerCertificate): Error | undefined {
  const standard = standardIdentityCheck(host, cert);
  if (standard) return standard;
  if (cert.ca) return Object.assign(new Error('the server certificate is a CA certificate (basicConstraints CA:TRUE)'), { code: certificateIsCa });
  if (cert.modulus && (cert.bits ?? 0) < 2048) return Object.assign(new Error(`the server certificate's RSA key has ${cert.bits} bits; at least 2048 are required`), { code: keyTooSmall });
  return undefined;
}

function jsonOf(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = body.toString('utf8');
  if (text === '') return { ok: true, value: undefined };
  try { return { ok: true, value: JSON.parse(text) }; } catch { return { ok: false }; }
}

/** An error answer (status ≥ 400) as ServerError with the server's code, message and details. */
export function refusalOf(reply: ServerReply): ServerError {
  const body = jsonOf(reply.body);
  const parsed = body.ok ? ErrorBody.safeParse(body.value) : undefined;
  const error = parsed?.success ? parsed.data.error : undefined;
  return new ServerError(error?.code ?? 'INTERNAL', error?.message ?? `Server menjawab ${reply.status}.`, reply.status, error?.details);
}

/** A 2xx answer read through its schema; one that does not match names the request and where it differs (for the log and the admin). */
function replyOf<S extends z.ZodType>(reply: ServerReply, schema: S, request: string): z.output<S> {
  const body = jsonOf(reply.body);
  const parsed = body.ok ? schema.safeParse(body.value) : undefined;
  if (parsed?.success) return parsed.data;
  const issues = parsed ? parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(isi)'}: ${i.message}`) : ['bukan JSON'];
  throw new ServerError('SERVER_REPLY_INVALID', defaultMessages.SERVER_REPLY_INVALID, reply.status, { request, issues });
}

export function createServerClient(endpoint: ServerEndpoint, options: { allowPlainLoopback?: boolean } = {}): ServerClient {
  const base = new URL(endpoint.url.endsWith('/') ? endpoint.url : endpoint.url + '/');
  const plain = base.protocol === 'http:';
  if (plain && !(options.allowPlainLoopback && loopback.has(base.hostname))) {
    throw new ServerError('SERVER_INSECURE', defaultMessages.SERVER_INSECURE);
  }
  let ca: Buffer | undefined;
  if (endpoint.caFile) {
    try {
      ca = readFileSync(endpoint.caFile);
    } catch (err) {
      throw new ServerError('SERVER_CA_UNREADABLE', defaultMessages.SERVER_CA_UNREADABLE, 0, { caFile: endpoint.caFile }, { cause: err });
    }
  }
  // Keep-alive: a backlog drains over a few connections instead of one TLS handshake per request.
  const agent = plain ? new HttpAgent({ keepAlive: true, maxSockets: 4 }) : new HttpsAgent({ keepAlive: true, maxSockets: 4, checkServerIdentity: checkServerCertificate, ...(ca ? { ca } : {}) });

  async function raw(method: string, path: string, o: RequestOptions = {}): Promise<ServerReply> {
    try {
      return await once(method, path, o);
    } catch (err) {
      // A kept-alive connection the server (or a proxy) closed while idle fails on first use: that
      // request never reached the server, so it is sent once more on a fresh connection. Every call
      // of the protocol is safe to repeat (mutation ids, upload offsets).
      if ((err as { reusedSocket?: boolean }).reusedSocket && o.retryStaleConnection !== false) return once(method, path, o);
      throw err;
    }
  }

  function once(method: string, path: string, o: RequestOptions): Promise<ServerReply> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body = o.body;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = Buffer.from(JSON.stringify(o.json));
    }
    if (body) headers['content-length'] = String(body.length);
    const url = new URL(path.replace(/^\//, ''), base);
    const send = plain ? httpRequest : httpsRequest;
    return new Promise<ServerReply>((resolve, reject) => {
      /** A long body is still being written out in slices. */
      let slicesLeft = false;
      const req = send(url, { method, headers, agent, timeout: o.timeoutMs ?? 30_000, ...(o.signal ? { signal: o.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(networkError(err)));
        res.on('end', () => {
          // An early answer (a refused upload: wrong offset, too large) while a long body is still
          // going out: stop sending bytes the server will only throw away.
          if (slicesLeft) req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(Object.assign(networkError(err), { reusedSocket: req.reusedSocket && (err as { code?: string }).code === 'ECONNRESET' })));
      const onBodySent = o.onBodySent;
      if (!body || !onBodySent) {
        req.end(body);
        return;
      }
      // In slices, so the progress follows the connection instead of jumping from 0 to all.
      let queued = 0;
      let sent = 0;
      slicesLeft = true;
      const writeSlices = () => {
        while (queued < body.length) {
          if (req.destroyed) return;
          const slice = body.subarray(queued, Math.min(body.length, queued + bodySliceBytes));
          queued += slice.length;
          const more = req.write(slice, () => { sent += slice.length; onBodySent(sent); });
          if (!more) {
            req.once('drain', writeSlices);
            return;
          }
        }
        slicesLeft = false;
        req.end();
      };
      writeSlices();
    });
  }

  async function json<S extends z.ZodType>(method: string, path: string, schema: S, o: RequestOptions = {}): Promise<z.output<S>> {
    const reply = await raw(method, path, o);
    if (reply.status >= 400) throw refusalOf(reply);
    return replyOf(reply, schema, `${method} ${path.replace(/\?.*$/, '')}`);
  }

  return { endpoint, raw, json, close: () => agent.destroy() };
}
