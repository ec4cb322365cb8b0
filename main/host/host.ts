// The browser host: serves the built renderer to a browser on 127.0.0.1 and carries the same IPC
// contract over a WebSocket, so the desk runs (and is tested) without Electron. Same core, same
// router; only the transport differs. A per-launch secret, given once in the launch URL and then
// kept in an HttpOnly SameSite cookie, is required for every page and for the socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../app/core.ts';
import { mediaTypeOf } from '../app/media-types.ts';
import type { Logger } from '../../common/logger.ts';
import {
  SESSION_COOKIE, contentSecurityPolicy, isExpectedHost, isExpectedOrigin, isLoopbackAddress, readCookie, secretsMatch, sessionCookie,
} from './security.ts';

export interface BrowserHost {
  /** The launch URL, secret included: open it once, the cookie takes over. */
  readonly launchUrl: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface BrowserHostOptions {
  core: Core;
  rendererDir: string;
  log: Logger;
  port?: number;
  secret?: string;
}

const refusedPage = `<!doctype html><html lang="id"><meta charset="utf-8"><title>Loket</title>
<body style="font-family:sans-serif;padding:2em"><h1>Akses ditolak</h1>
<p>Buka Loket melalui tautan yang ditampilkan saat aplikasi dijalankan (perintah <code>npm start</code>).</p></body></html>`;

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

interface WireInvoke { kind: 'invoke'; id: number; channel: unknown; payload: unknown }

function parseInvoke(data: string): WireInvoke | undefined {
  try {
    const msg = JSON.parse(data) as Partial<WireInvoke> | null;
    if (msg && msg.kind === 'invoke' && Number.isSafeInteger(msg.id)) return msg as WireInvoke;
  } catch {
    // Not JSON: answered below like any other malformed frame.
  }
  return undefined;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core, log } = options;
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const rendererRoot = normalize(options.rendererDir + sep);
  let port = 0;

  const authorised = (req: IncomingMessage) =>
    isLoopbackAddress(req.socket.remoteAddress) && isExpectedHost(req.headers.host, port) &&
    secretsMatch(readCookie(req.headers.cookie, SESSION_COOKIE), secret);

  function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...extra,
    });
    res.end(body);
  }

  async function serveStatic(pathname: string, res: ServerResponse) {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      // A broken percent-escape (`/%E0%A4%A`) names no file.
      return send(res, 400, 'Alamat tidak valid', 'text/plain; charset=utf-8');
    }
    const file = normalize(join(rendererRoot, relative));
    if (!file.startsWith(rendererRoot) || relative.includes('\0')) return send(res, 404, 'Tidak ditemukan', 'text/plain; charset=utf-8');
    try {
      const body = await readFile(file);
      send(res, 200, body, mediaTypeOf(file));
    } catch {
      // Client-side routes fall back to the app; anything else is a plain 404.
      if (extname(relative) === '') return serveStatic('/', res);
      send(res, 404, 'Tidak ditemukan', 'text/plain; charset=utf-8');
    }
  }

  const server = createServer((req, res) => {
    if (!isLoopbackAddress(req.socket.remoteAddress) || !isExpectedHost(req.headers.host, port)) {
      return send(res, 403, refusedPage, 'text/html; charset=utf-8');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Metode tidak diizinkan', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('k');
    if (given !== null) {
      if (!secretsMatch(given, secret)) return send(res, 403, refusedPage, 'text/html; charset=utf-8');
      // Move the secret from the URL (history, screenshots) into the cookie.
      return send(res, 303, '', 'text/plain', { 'Set-Cookie': sessionCookie(secret), Location: '/' });
    }
    if (!authorised(req)) return send(res, 403, refusedPage, 'text/html; charset=utf-8');
    serveStatic(url.pathname, res).catch((err: unknown) => {
      log.error('host: static file failed', { err });
      if (!res.headersSent) send(res, 500, 'Kesalahan', 'text/plain; charset=utf-8');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/ipc' || !authorised(req) || !isExpectedOrigin(req.headers.origin, port)) {
      log.warn('host: refused a socket', { path, origin: req.headers.origin, peer: req.socket.remoteAddress });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  sockets.on('connection', (ws: WebSocket) => {
    // A frame over MAX_MESSAGE_BYTES or a broken frame: `ws` closes this socket (1009, 1002) and
    // reports it here. Unheard, the error would end the process; heard, only this socket goes.
    ws.on('error', (err) => log.warn('host: closed a socket after a bad frame', { err }));
    ws.on('message', (data, isBinary) => {
      const msg = isBinary ? undefined : parseInvoke(data.toString());
      if (!msg) {
        ws.close(1003, 'malformed');
        return;
      }
      core.router.dispatch(msg.channel, msg.payload, { origin: 'browser-host' }).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'reply', id: msg.id, result }));
      }).catch((err: unknown) => log.error('host: a reply could not be sent', { err }));
    });
  });
  sockets.on('error', (err) => log.warn('host: socket server error', { err }));

  const unsubscribe = core.onEvent((event, payload) => {
    const frame = JSON.stringify({ kind: 'event', event, payload });
    for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  log.info('host: listening', { origin });

  return {
    launchUrl: `${origin}/?k=${secret}`,
    origin,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
