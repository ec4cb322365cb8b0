// The HTTPS side the test signing services share: a server on 127.0.0.1 with a certificate from the
// test TLS CA (tests/support/tls.ts), a record of every request (so a test can show that no PDF
// ever reached a service), and the failures a test injects — the service unreachable, slow, or
// answering one request with an error. It also adds up the time spent inside the service, the
// service's own latency, which the benchmark sets apart from the desk's overhead.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestTls } from './tls.ts';

export interface RigRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type RigReply = { status?: number; json: unknown } | { status?: number; html: string } | { redirect: string };

export interface ReceivedRequest {
  method: string;
  path: string;
  body: Buffer;
}

export interface HttpsRig {
  origin: string;
  received: ReceivedRequest[];
  /** Refuse connections from now on (the service is down), or serve again. */
  setReachable(reachable: boolean): void;
  /** Every answer waits this long first: the service's own latency. */
  setLatency(ms: number): void;
  /** The next request to `path` gets this answer instead of the service's. */
  failNext(path: string, reply: RigReply): void;
  /** Milliseconds spent answering inside the service (latency included) since the last reset. */
  serviceMs(): number;
  resetServiceMs(): void;
  stop(): Promise<void>;
}

export async function startHttpsRig(tls: TestTls, handle: (req: RigRequest) => Promise<RigReply> | RigReply): Promise<HttpsRig> {
  let reachable = true;
  let latency = 0;
  let spent = 0;
  const injected = new Map<string, RigReply>();
  const received: ReceivedRequest[] = [];
  const server: Server = createServer({ key: readFileSync(tls.trusted.serverKey), cert: readFileSync(tls.trusted.serverCert) }, (req, res) => {
    if (!reachable) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const started = performance.now();
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const request: RigRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      received.push({ method: request.method, path: request.path, body: request.body });
      const answer = async (): Promise<RigReply> => {
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        const failure = injected.get(request.path);
        if (failure) {
          injected.delete(request.path);
          return failure;
        }
        return handle(request);
      };
      answer().then((reply) => {
        spent += performance.now() - started;
        if ('redirect' in reply) {
          res.writeHead(302, { location: reply.redirect, 'cache-control': 'no-store' }).end();
        } else if ('html' in reply) {
          res.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8' }).end(reply.html);
        } else {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
        }
      }, (err: unknown) => {
        spent += performance.now() - started;
        // A fault of the test service itself, not one a test injected: shown, so the test's failure can be read.
        console.error(`test service: ${request.method} ${request.path} failed:`, err);
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'server_error', error_description: String(err) }));
      });
    });
  });
  server.on('connection', (socket) => { if (!reachable) socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    setReachable(value) {
      reachable = value;
      // Kept-alive connections would otherwise still reach a service that is "down".
      if (!value) server.closeAllConnections();
    },
    setLatency: (ms) => { latency = ms; },
    failNext: (path, reply) => { injected.set(path, reply); },
    serviceMs: () => spent,
    resetServiceMs: () => { spent = 0; },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The request's JSON body, or undefined when it is not JSON. */
export function jsonOf(req: RigRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** The bearer token of the request, if any. */
export function bearerOf(req: RigRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}
