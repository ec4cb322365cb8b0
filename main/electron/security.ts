// The Electron shell's security policy as plain values and functions, so every item of Electron's
// security checklist that applies to Loket is asserted by tests in plain Node (the Electron binary
// cannot run on the build machines). main.ts only wires these into BrowserWindow, session,
// protocol and ipcMain; it decides nothing itself. Electron is imported for its types only.
import type { CustomScheme, WebPreferences } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { mediaTypeOf } from '../app/media-types.ts';

/** The renderer is served from app://loket/ (checklist 17: a custom protocol, never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'loket';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/`;

/** The two IPC channels between preload and main; preload.cts repeats them (it may require nothing but electron). */
export const IPC_INVOKE = 'loket:invoke';
export const IPC_EVENT = 'loket:event';

/**
 * app:// must be registered before `ready`. `standard` gives it an origin (so 'self' in the CSP,
 * localStorage and relative URLs work); `secure` makes it a secure context like https. It does
 * NOT bypass the CSP, and serves no service workers.
 */
export const privilegedSchemes: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false, stream: false } },
];

/**
 * The one window's webPreferences (checklist 2, 3, 4, 6, 8, 9, 10, 11): no Node anywhere in the
 * renderer, isolated and sandboxed, the browser's own protections left on.
 */
export function webPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: options.devTools,
  };
}

/**
 * Checklist 7. The renderer talks to main only through window.loket (IPC, not the network), so it
 * connects to nothing but its own origin; no inline script or style, no plugins, no framing.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True only for pages of Loket itself: app://loket/… (no credentials, no port). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== undefined && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/**
 * Checklist 14: the only links handed to the OS are plain https ones (an official's website in a
 * letter, say), never file:, smb:, javascript: or custom schemes that launch local programs.
 * Returns the normalised URL to open, or undefined when it must not be opened.
 */
export function externalUrlToOpen(url: string): string | undefined {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.hostname === '') return undefined;
  return u.href;
}

/** Checklist 12: will-navigate, will-frame-navigate and will-redirect stay inside app://loket/. */
export function guardNavigation(event: { url: string; preventDefault(): void }): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

/** Checklist 11: no <webview> may be attached, whatever its options. */
export function refuseWebview(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/**
 * Checklist 13: no new Electron window is ever created. An https link the person clicked opens in
 * their own browser (after the scheme check of checklist 14); anything else is dropped.
 */
export function createWindowOpenHandler(openExternal: (url: string) => void): (details: { url: string }) => { action: 'deny' } {
  return (details) => {
    const external = externalUrlToOpen(details.url);
    if (external) openExternal(external);
    return { action: 'deny' };
  };
}

/** Checklist 5: Loket's renderer needs no camera, microphone, geolocation, notifications, HID… */
export function permissionRequestHandler(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function permissionCheckHandler(): boolean {
  return false;
}

export function devicePermissionHandler(): boolean {
  return false;
}

/**
 * Defence in depth for checklist 1/12: the session refuses every request that is not for Loket's
 * own files (or data:/blob: images the renderer made itself). DevTools' own pages are left alone.
 */
export function isAllowedRequestUrl(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (isAppUrl(url)) return true;
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:';
}

/** The parts of an IpcMainInvokeEvent the sender check reads (structurally, so tests can build one). */
export interface IpcSender {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Checklist 16: a call is served only when it comes from our window's web contents, from its main
 * frame (not an iframe), while that frame shows a page of app://loket/.
 */
export function isTrustedSender(event: IpcSender, windowWebContentsId: number | undefined): boolean {
  const frame = event.senderFrame;
  return windowWebContentsId !== undefined && event.sender.id === windowWebContentsId && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Headers on every app:// response, errors included: the CSP travels with the document itself. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

/**
 * Maps app://loket/<path> to the file under rendererRoot (the built dist/renderer). Anything that
 * would leave that folder — `..` (also percent-encoded), backslashes, NUL, a symlink pointing out —
 * is refused with 404; so is any other host and any file that is not there (the renderer routes
 * with the #fragment, so only / stands for index.html).
 */
export async function serveAppRequest(request: { url: string; method: string }, rendererRoot: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Metode tidak diizinkan');
  const u = parse(request.url);
  if (!u || !isAppUrl(request.url)) return textResponse(404, 'Tidak ditemukan');

  let relative: string;
  try {
    relative = decodeURIComponent(u.pathname);
  } catch {
    return textResponse(404, 'Tidak ditemukan');
  }
  if (relative.includes('\0') || relative.includes('\\') || relative.split('/').includes('..')) return textResponse(404, 'Tidak ditemukan');
  if (relative === '/') relative = '/index.html';

  const root = await realpath(rendererRoot);
  let file: string;
  try {
    file = await realpath(resolve(root, '.' + relative));
  } catch {
    return textResponse(404, 'Tidak ditemukan');
  }
  if (!file.startsWith(root + sep)) return textResponse(404, 'Tidak ditemukan');
  if (!(await stat(file)).isFile()) return textResponse(404, 'Tidak ditemukan');

  const body = request.method === 'HEAD' ? null : await readFile(file);
  return new Response(body, { status: 200, headers: responseHeaders(mediaTypeOf(file)) });
}
