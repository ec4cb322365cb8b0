// HTTPS to a remote signing service (Cloud Signature Consortium, BSrE-style): JSON or form bodies,
// the agency's CA bundle when one is configured (else the system's roots), and the failures every
// service shares turned into what an official can act on — unreachable, down (5xx) or TLS not
// trusted. Refusals (4xx) are handed back with the service's own words for the client to map; no
// request or answer body is ever logged, since they carry PINs, passphrases and tokens.
import { AppError } from '../../../common/errors.ts';
import { createServerClient, ServerError, type ServerClient } from '../../remote/client.ts';

export interface ServiceEndpoint {
  /** Base address, https:// (plain http only to loopback, for development). */
  url: string;
  /** PEM bundle of the agency's CA for this service; absent → the system's roots. */
  caFile?: string | undefined;
}

/** A 4xx answer: the status and the body as the service sent it (JSON when it parses). */
export class ServiceRefusal extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(`signing service answered ${status}`);
    this.name = 'ServiceRefusal';
    this.status = status;
    this.body = body;
  }
}

export interface ServiceCall {
  method?: 'GET' | 'POST';
  json?: unknown;
  form?: Record<string, string>;
  bearer?: string;
  basic?: { user: string; password: string };
  timeoutMs?: number;
}

export interface SigningServiceClient {
  /** The parsed JSON of a 2xx answer; a 4xx is a ServiceRefusal, anything else an AppError. */
  call<T>(path: string, call?: ServiceCall): Promise<T>;
  close(): void;
}

const tlsCodes = new Set(['SERVER_TLS_UNTRUSTED', 'SERVER_TLS_EXPIRED', 'SERVER_TLS_HOSTNAME', 'SERVER_CA_UNREADABLE']);

/** Network and TLS failures, and a service that answers 5xx or 429: the service cannot sign now. */
function unreachable(url: string, reason: string, cause?: unknown): AppError {
  const tls = tlsCodes.has(reason);
  return new AppError('REMOTE_SERVICE_UNREACHABLE', tls
    ? `Sambungan aman ke layanan tanda tangan ditolak: sertifikat TLS layanan di ${new URL(url).host} tidak dipercaya meja ini atau tidak cocok. Tidak ada yang berubah: surat tetap menunggu; tanda tangani dengan token USB, dan minta admin memeriksa sertifikat CA di Pengaturan.`
    : undefined, { host: new URL(url).host, reason }, { cause });
}

export function signingServiceClient(endpoint: ServiceEndpoint): SigningServiceClient {
  let client: ServerClient;
  try {
    client = createServerClient(endpoint, { allowPlainLoopback: true });
  } catch (err) {
    throw err instanceof ServerError ? unreachable(endpoint.url, err.code, err) : err;
  }
  return {
    async call<T>(path: string, c: ServiceCall = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (c.bearer) headers.authorization = `Bearer ${c.bearer}`;
      if (c.basic) headers.authorization = `Basic ${Buffer.from(`${c.basic.user}:${c.basic.password}`).toString('base64')}`;
      let body: Buffer | undefined;
      if (c.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = Buffer.from(new URLSearchParams(c.form).toString());
      } else if (c.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = Buffer.from(JSON.stringify(c.json));
      }
      let reply;
      try {
        reply = await client.raw(c.method ?? 'POST', path, { headers, ...(body ? { body } : {}), timeoutMs: c.timeoutMs ?? 30_000 });
      } catch (err) {
        throw unreachable(endpoint.url, err instanceof ServerError ? err.code : 'network', err);
      }
      const text = reply.body.toString('utf8');
      let parsed: unknown;
      try { parsed = text === '' ? undefined : JSON.parse(text); } catch { parsed = text; }
      if (reply.status >= 500 || reply.status === 429) throw unreachable(endpoint.url, `HTTP ${reply.status}`);
      if (reply.status >= 400) throw new ServiceRefusal(reply.status, parsed);
      if (reply.status < 200 || reply.status >= 300) throw unreachable(endpoint.url, `HTTP ${reply.status}`);
      return parsed as T;
    },
    close: () => client.close(),
  };
}

/** A service's own description of a refusal, trimmed for a person to read (never a secret: we sent none back). */
export function serviceWords(text: unknown): string | null {
  return typeof text === 'string' && text.trim() !== '' ? text.trim().slice(0, 300) : null;
}
