// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by
// item, asserted against the policy module the Electron shell wires in (main/electron/security.ts)
// and the packaging configuration. Runs in plain Node: nothing here needs the Electron binary.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaTypeOf } from '../../main/app/media-types.ts';
import { menuTemplate } from '../../main/electron/menu.ts';
import {
  APP_ORIGIN, APP_START_URL, contentSecurityPolicy, createWindowOpenHandler, devicePermissionHandler, externalUrlToOpen, guardNavigation,
  isAllowedRequestUrl, isAppUrl, isTrustedSender, permissionCheckHandler, permissionRequestHandler, privilegedSchemes,
  refuseWebview, serveAppRequest, webPreferences,
} from '../../main/electron/security.ts';

const root = join(import.meta.dirname, '..', '..');
const prefs = webPreferences('/opt/Loket/resources/app.asar/dist/main/electron/preload.cjs', { devTools: false });

/** Runs a guard the way Electron would and reports whether it stopped the navigation. */
function navigationPrevented(url: string): boolean {
  let prevented = false;
  guardNavigation({ url, preventDefault: () => { prevented = true; } });
  return prevented;
}

function cspDirectives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe('Electron security checklist, as the desk gets it', () => {
  it('1. the window loads only Loket\'s own packaged pages, and the session refuses anything fetched from elsewhere', () => {
    expect(APP_START_URL).toBe('app://loket/');
    expect(isAllowedRequestUrl('app://loket/assets/index.js')).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    for (const url of ['http://eoffice.contoh.go.id/', 'https://cdn.example/react.js', 'file:///etc/passwd', 'ws://127.0.0.1:9/', 'ftp://x/', 'app://other/x', 'not a url']) {
      expect(isAllowedRequestUrl(url), url).toBe(false);
    }
  });

  it('2. no Node.js in the renderer, its workers or its frames', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('3 and 4. the page is context-isolated and sandboxed, with only the preload in between', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.preload).toMatch(/preload\.cjs$/);
  });

  it('5. a page asking for the camera, microphone, location, notifications or a USB device is refused', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'usb', 'serial', 'fileSystem']) {
      let granted: boolean | undefined;
      permissionRequestHandler({}, permission, (g) => { granted = g; });
      expect(granted, permission).toBe(false);
    }
    expect(permissionCheckHandler()).toBe(false);
    expect(devicePermissionHandler()).toBe(false);
  });

  it('6, 8, 9, 10. web security stays on: no insecure content, no experimental or extra Blink features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.devTools).toBe(false);
  });

  it('7. the CSP allows only Loket\'s own scripts and connections, no inline code, no plugins, no framing', () => {
    const d = cspDirectives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(inline|eval)|\*|https?:/);
  });

  it('11. no <webview> can be attached, and the tag is disabled', () => {
    expect(prefs.webviewTag).toBe(false);
    let prevented = false;
    refuseWebview({ preventDefault: () => { prevented = true; } });
    expect(prevented).toBe(true);
  });

  it('12. a link or redirect to https://evil.example cannot take the Loket window away from app://loket/', () => {
    expect(navigationPrevented('https://evil.example/')).toBe(true);
    expect(navigationPrevented('http://eoffice.contoh.go.id/login')).toBe(true);
    expect(navigationPrevented('file:///etc/passwd')).toBe(true);
    expect(navigationPrevented('app://other/index.html')).toBe(true);
    expect(navigationPrevented('app://user:pw@loket/')).toBe(true);
    expect(navigationPrevented('javascript:alert(1)')).toBe(true);
    expect(navigationPrevented('app://loket/surat-masuk')).toBe(false);
    expect(navigationPrevented(APP_START_URL)).toBe(false);
  });

  it('13 and 14. window.open never makes a new window; a clicked https link opens in the clerk\'s own browser, nothing else does', () => {
    const opened: string[] = [];
    const handler = createWindowOpenHandler((url) => opened.push(url));
    for (const url of ['https://jdih.contoh.go.id/perda/1', 'file:///C:/Windows/System32/calc.exe', 'smb://10.0.0.1/share', 'javascript:alert(1)', 'http://example.com/', 'ms-msdt:/id PCWDiagnostic', 'app://loket/', 'https://user:pw@evil.example/']) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://jdih.contoh.go.id/perda/1']);
    expect(externalUrlToOpen('HTTPS://Jdih.Contoh.go.id/a b')).toBe('https://jdih.contoh.go.id/a%20b');
    expect(externalUrlToOpen('vbscript:msgbox(1)')).toBeUndefined();
  });

  it('15. the desk runs a current Electron: the installed major is the one package.json asks for, and at least 45 (Node 22)', () => {
    const installed = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
    const wanted = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    const major = Number(installed.version.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(45);
    expect(wanted).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  describe('16. IPC is served only to the main frame of our own window, showing app://loket/', () => {
    const ours = 7;
    const mainFrame = (url: string) => ({ url, parent: null });
    it('our page is served', () => {
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: mainFrame('app://loket/') }, ours)).toBe(true);
    });
    it('an iframe inside our page is not', () => {
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: { url: 'app://loket/x', parent: mainFrame('app://loket/') } }, ours)).toBe(false);
    });
    it('our window after being navigated to a foreign page is not', () => {
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: mainFrame('https://evil.example/') }, ours)).toBe(false);
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: mainFrame('file:///tmp/x.html') }, ours)).toBe(false);
    });
    it('another web contents, a destroyed frame, or a call before the window exists is not', () => {
      expect(isTrustedSender({ sender: { id: 8 }, senderFrame: mainFrame('app://loket/') }, ours)).toBe(false);
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: null }, ours)).toBe(false);
      expect(isTrustedSender({ sender: { id: ours }, senderFrame: mainFrame('app://loket/') }, undefined)).toBe(false);
    });
  });

  describe('17. the renderer comes from app://loket/, a privileged custom protocol, never file://', () => {
    let base: string;
    let renderer: string;
    beforeAll(() => {
      base = mkdtempSync(join(tmpdir(), 'loket-app-protocol-'));
      renderer = join(base, 'renderer');
      mkdirSync(join(renderer, 'assets'), { recursive: true });
      writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Loket</title>');
      writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
      writeFileSync(join(renderer, 'assets', 'index-abc.css'), 'body{}');
      writeFileSync(join(base, 'secret.txt'), 'kunci rahasia');
      symlinkSync(join(base, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
    });
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, renderer);

    it('the scheme is standard and secure, and does not bypass the CSP', () => {
      expect(privilegedSchemes).toHaveLength(1);
      const scheme = privilegedSchemes[0]!;
      expect(scheme.scheme).toBe('app');
      expect(scheme.privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false });
      expect(APP_ORIGIN).toBe('app://loket');
      expect(isAppUrl('file:///opt/Loket/resources/app.asar/dist/renderer/index.html')).toBe(false);
    });

    it('the start page and its assets are served with their MIME types and the CSP', async () => {
      const page = await get('app://loket/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await page.text()).toContain('<title>Loket</title>');
      const script = await get('app://loket/assets/index-abc.js');
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toBe('console.log(1)');
      expect((await get('app://loket/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(mediaTypeOf('x.woff2')).toBe('font/woff2');
      expect(mediaTypeOf('x.exe')).toBe('application/octet-stream');
    });

    it('a screen address such as app://loket/#/surat-masuk gets the app; a path that is not a file gets 404', async () => {
      const page = await get('app://loket/#/surat-masuk');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Loket</title>');
      expect((await get('app://loket/surat-masuk')).status).toBe(404);
    });

    it('app://loket/../../etc/passwd and every other way out of the renderer folder is refused, still with the CSP', async () => {
      for (const url of [
        'app://loket/../../etc/passwd',
        'app://loket/../secret.txt',
        'app://loket/..%2fsecret.txt',
        'app://loket/%2e%2e%2fsecret.txt',
        'app://loket/assets/..%5c..%5csecret.txt',
        'app://loket/assets/link.txt',
        'app://loket/index.html%00.png',
        'app://loket/%E0%A4%A',
        'app://loket/assets/',
        'app://evil/index.html',
      ]) {
        const res = await get(url);
        expect(res.status, url).toBe(404);
        expect(await res.text(), url).not.toContain('rahasia');
        expect(res.headers.get('content-security-policy'), url).toBe(contentSecurityPolicy());
      }
    });

    it('only reads are answered', async () => {
      expect((await get('app://loket/', 'POST')).status).toBe(405);
      const head = await get('app://loket/', 'HEAD');
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });
  });

  it('18. the packaged binary has its fuses flipped: no run-as-node, NODE_OPTIONS or --inspect, code only from the integrity-checked app.asar', () => {
    const config = loadYaml(readFileSync(join(root, 'build/electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('the installed app offers no developer tools, and its menu speaks Bahasa Indonesia', () => {
    const labels = (template: ReturnType<typeof menuTemplate>): string[] =>
      template.flatMap((item) => [item.label ?? '', ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]).filter(Boolean);
    const roles = (template: ReturnType<typeof menuTemplate>): string[] =>
      template.flatMap((item) => [item.role ?? '', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]).filter(Boolean);

    const installed = menuTemplate({ isPackaged: true, isMac: false });
    expect(roles(installed)).not.toContain('toggleDevTools');
    expect(labels(installed)).toEqual(expect.arrayContaining(['Berkas', 'Keluar', 'Sunting', 'Salin', 'Tempel', 'Tampilan', 'Muat Ulang', 'Bantuan', 'Tentang Loket']));
    expect(labels(installed).join(' ')).not.toMatch(/\b(File|Edit|View|Help|Quit|Copy|Paste)\b/);
    expect(roles(menuTemplate({ isPackaged: false, isMac: false }))).toContain('toggleDevTools');
  });
});
