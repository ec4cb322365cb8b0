// HTTP(S) to one eSCL scanner: keep-alive connections (a feeder batch is a request per page),
// per-request timeouts, cancellation, and certificates pinned on first use. A network scanner's
// HTTPS certificate is one it made itself, which no authority vouches for; so the connection is
// handed to HTTP only after the certificate the device presented is checked against the one the
// desk pinned for its origin — nothing is sent to a device whose certificate changed.
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ScannerCertificate } from '../types.ts';

export interface EsclReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why no reply came: the kinds a driver tells apart (a device warming up is a reply, 503, not this). */
export type NetworkFailure = 'refused' | 'unreachable' | 'reset' | 'timeout' | 'tls' | 'certificate-changed' | 'aborted' | 'too-large';

export class EsclNetworkError extends Error {
  readonly kind: NetworkFailure;
  /** The certificate the device presented, for 'certificate-changed'. */
  readonly presented: ScannerCertificate | undefined;
  constructor(kind: NetworkFailure, message: string, options: { cause?: unknown; presented?: ScannerCertificate } = {}) {
    super(message, { cause: options.cause });
    this.name = 'EsclNetworkError';
    this.kind = kind;
    this.presented = options.presented;
  }
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** How long the reply's headers may take; the body must then keep flowing (idleMs between chunks). */
  timeoutMs: number;
  idleMs?: number;
  signal?: AbortSignal;
  /** Called as the body arrives, with the bytes so far and Content-Length when the device sent one. */
  onData?(received: number, total: number | null): void;
  maxBytes?: number;
}

/** What the desk trusts, per origin (`https://host:port`), and what it learns. */
export interface CertificatePins {
  pinned(origin: string): string | undefined;
  /** A device presented this certificate and it was accepted (pinned, or first use). */
  seen(origin: string, certificate: ScannerCertificate): void;
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').toUpperCase().match(/../g)!.join(':');
}

export function describeCertificate(peer: PeerCertificate): ScannerCertificate {
  const name = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : (value ?? ''));
  const validTo = new Date(peer.valid_to);
  return {
    sha256: peer.raw ? colonHex(createHash('sha256').update(peer.raw).digest()) : peer.fingerprint256,
    subject: name(peer.subject?.CN),
    issuer: name(peer.issuer?.CN) || name(peer.issuer?.O),
    validTo: Number.isNaN(validTo.getTime()) ? peer.valid_to : validTo.toISOString(),
  };
}

/** An HTTPS agent that verifies each new connection's certificate against the pin before HTTP uses it. */
class PinningAgent extends https.Agent {
  readonly #pins: CertificatePins;
  constructor(pins: CertificatePins) {
    super({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false });
    this.#pins = pins;
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const origin = `https://${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
    const socket: TLSSocket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      socket.off('error', onError);
      if (err) socket.destroy();
      callback?.(err, socket);
    };
    const onError = (err: Error) => settle(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const presented = describeCertificate(socket.getPeerCertificate());
      const pin = this.#pins.pinned(origin);
      if (pin !== undefined && pin !== presented.sha256) {
        settle(new EsclNetworkError('certificate-changed', `the certificate of ${origin} is not the one trusted`, { presented }));
        return;
      }
      this.#pins.seen(origin, presented);
      settle(null);
    });
    return undefined;
  }
}

function failureOf(err: unknown, signal: AbortSignal | undefined): EsclNetworkError {
  if (err instanceof EsclNetworkError) return err;
  if (signal?.aborted) return new EsclNetworkError('aborted', 'request aborted', { cause: err });
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === 'ECONNREFUSED') return new EsclNetworkError('refused', 'connection refused', { cause: err });
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(code)) return new EsclNetworkError('unreachable', `host unreachable (${code})`, { cause: err });
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test((err as Error)?.message ?? '')) return new EsclNetworkError('tls', 'TLS handshake failed', { cause: err });
  return new EsclNetworkError('reset', `connection lost (${code || (err as Error)?.message || 'unknown'})`, { cause: err });
}

/** The connection to one scanner, by its base URL (`http(s)://host:port/eSCL`). */
export class EsclConnection {
  readonly base: URL;
  readonly #agent: http.Agent;

  constructor(base: URL, pins: CertificatePins) {
    this.base = base;
    this.#agent = base.protocol === 'https:' ? new PinningAgent(pins) : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  /** `path` relative to the base (`ScannerCapabilities`), or absolute on the device (`/eSCL/ScanJobs/1`). */
  url(path: string): URL {
    if (path.startsWith('/')) return new URL(path, this.base.origin);
    return new URL(path, this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
  }

  request(method: string, path: string, options: RequestOptions): Promise<EsclReply> {
    const url = this.url(path);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new EsclNetworkError('aborted', 'request aborted'));
    const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
    return new Promise<EsclReply>((resolve, reject) => {
      const headers: Record<string, string> = { Accept: '*/*', ...options.headers };
      if (options.body !== undefined) {
        headers['Content-Type'] = options.contentType ?? 'text/xml';
        headers['Content-Length'] = String(Buffer.byteLength(options.body));
      }
      const lib = url.protocol === 'https:' ? https : http;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (err: unknown, reply?: EsclReply) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err !== undefined) {
          req.destroy();
          reject(failureOf(err, signal));
        } else resolve(reply!);
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(new EsclNetworkError('timeout', `no answer from ${url.origin} within ${ms} ms`)), ms);
      };
      const onAbort = () => finish(new EsclNetworkError('aborted', 'request aborted'));
      const req = lib.request(url, { method, headers, agent: this.#agent }, (res) => {
        const total = res.headers['content-length'] === undefined ? null : Number(res.headers['content-length']);
        const chunks: Buffer[] = [];
        let received = 0;
        arm(options.idleMs ?? options.timeoutMs);
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) return finish(new EsclNetworkError('too-large', `reply larger than ${maxBytes} bytes`));
          chunks.push(chunk);
          arm(options.idleMs ?? options.timeoutMs);
          options.onData?.(received, total !== null && Number.isFinite(total) ? total : null);
        });
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new EsclNetworkError('reset', 'reply cut off')));
        res.on('end', () => {
          if (!res.complete) return finish(new EsclNetworkError('reset', 'reply cut off'));
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, received) });
        });
      });
      req.on('error', (err) => finish(err));
      signal?.addEventListener('abort', onAbort, { once: true });
      arm(options.timeoutMs);
      req.end(options.body);
    });
  }

  /** Closes the idle connections; the next request opens new ones. */
  close(): void {
    this.#agent.destroy();
  }
}
