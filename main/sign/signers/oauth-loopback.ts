// OAuth 2.0 for a desktop app (RFC 8252): the authorization page opens in the person's own browser
// (Electron: the system browser; the browser host: a new window), and the redirect comes back to a
// one-shot listener on a loopback address of this computer. The code is bound to this desk by PKCE
// (RFC 7636, S256) and to this attempt by `state`; no client secret is needed for it.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../../common/errors.ts';
import { serviceWords } from './service-client.ts';

export interface LoopbackAuthorization {
  /** The service's authorization page with every parameter: open it in a browser. */
  authorizationUrl: string;
  redirectUri: string;
  /** The code once the browser comes back, with what the token request needs; rejects on refusal or timeout. */
  result: Promise<{ code: string; redirectUri: string; codeVerifier: string }>;
  /** Stops listening (the result rejects if it has not settled). */
  cancel(): void;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

const page = (title: string, text: string) => `<!doctype html><html lang="id"><meta charset="utf-8"><title>Loket — ${title}</title>
<body style="font-family:sans-serif;padding:2em;max-width:40em"><h1>${title}</h1><p>${text}</p></body></html>`;

/**
 * Listens on 127.0.0.1 (any free port) for the redirect of one authorization. The page at
 * `authorizeEndpoint` gets response_type=code, client_id, redirect_uri, state, the S256 challenge
 * and `params` (scope and the like).
 */
export async function startLoopbackAuthorization(options: {
  authorizeEndpoint: string;
  clientId: string;
  params?: Record<string, string>;
  timeoutMs?: number;
}): Promise<LoopbackAuthorization> {
  const codeVerifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(codeVerifier).digest());
  const state = base64url(randomBytes(16));
  let settle!: { resolve(code: string): void; reject(err: AppError): void };
  const code = new Promise<string>((resolve, reject) => { settle = { resolve, reject }; });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, title: string, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(page(title, text));
    };
    // Anything but the redirect of this very attempt (a favicon, a stale tab) is ignored.
    if (url.pathname !== '/oauth2/callback' || url.searchParams.get('state') !== state) {
      answer(404, 'Tidak dikenal', 'Halaman ini bukan bagian dari proses masuk yang sedang berjalan di Loket.');
      return;
    }
    const error = url.searchParams.get('error');
    const given = url.searchParams.get('code');
    if (error === 'access_denied') {
      answer(200, 'Izin ditolak', 'Anda menolak memberi izin kepada Loket. Tidak ada yang berubah; tutup jendela ini dan kembali ke Loket.');
      settle.reject(new AppError('REMOTE_CONSENT_REFUSED'));
    } else if (error !== null || !given) {
      answer(200, 'Gagal masuk', 'Layanan tanda tangan tidak memberi izin. Tutup jendela ini dan kembali ke Loket.');
      const words = serviceWords(url.searchParams.get('error_description'));
      settle.reject(new AppError('REMOTE_SERVICE_REFUSED', words ? `Layanan tanda tangan menolak proses masuk: ${words}. Tidak ada yang berubah.` : undefined, { error: error ?? 'no code' }));
    } else {
      answer(200, 'Berhasil masuk', 'Loket sudah mendapat izin dari layanan tanda tangan. Tutup jendela ini dan kembali ke Loket.');
      settle.resolve(given);
    }
    close();
  });
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => {
    settle.reject(new AppError('REMOTE_LOGIN_EXPIRED'));
    close();
  }, options.timeoutMs ?? 5 * 60_000);
  timer.unref();

  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/callback`;
  const authorizationUrl = new URL(options.authorizeEndpoint);
  for (const [key, value] of Object.entries({
    response_type: 'code', client_id: options.clientId, redirect_uri: redirectUri, state,
    code_challenge: challenge, code_challenge_method: 'S256', ...options.params,
  })) authorizationUrl.searchParams.set(key, value);

  const result = code.then((c) => ({ code: c, redirectUri, codeVerifier }));
  // Awaited by whoever asked; should nobody, an unhandled rejection must not bring the desk down.
  result.catch(() => undefined);
  return {
    authorizationUrl: authorizationUrl.toString(),
    redirectUri,
    result,
    cancel: () => {
      settle.reject(new AppError('REMOTE_LOGIN_EXPIRED'));
      close();
    },
  };
}
