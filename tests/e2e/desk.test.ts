// The desk, end to end: Loket started as `npm start` starts it (browser host, no Electron), the
// built renderer in Debian's Chromium, the real core, SQLite and device worker behind it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store/store.ts';
import { localDate } from '../../common/dates.ts';
import { collectingLogger } from '../../common/logger.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

/** A desk that has already registered some letters, so the Beranda has real figures to show. */
function seedLetters(dataDir: string) {
  const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
  const today = localDate(new Date(), 'Asia/Jakarta');
  store.letters.create({ direction: 'incoming', status: 'registered', subject: 'Undangan rapat koordinasi', receivedDate: today, sender: 'Dinas Kominfo' }, 'meja:uji');
  store.letters.create({ direction: 'incoming', status: 'registered', subject: 'Laporan bulanan', receivedDate: today, sender: 'Kecamatan Dumai Barat' }, 'meja:uji');
  store.letters.create({ direction: 'incoming', status: 'registered', subject: 'Permohonan data', receivedDate: '2026-01-05', sender: 'BPS' }, 'meja:uji');
  store.letters.create({ direction: 'outgoing', status: 'ready_to_sign', subject: 'Surat edaran jam kerja' }, 'meja:uji');
  store.close();
}

describe('the desk in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-'));
    seedLetters(dataDir);
    desk = await startDesk({ dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens from the launch link on the Beranda with the counts of the local store', async () => {
    await page.goto(desk.launchUrl);
    // The secret moved from the address into a cookie.
    expect(page.url()).not.toContain('k=');
    await page.getByTestId('screen-beranda').waitFor();
    await expect.poll(() => page.getByTestId('count-incoming-today').innerText()).toContain('2');
    expect(await page.getByTestId('count-incoming-total').innerText()).toContain('3');
    expect(await page.getByTestId('count-awaiting-signature').innerText()).toContain('1');
    expect(await page.getByTestId('count-outbox-pending').innerText()).toContain('4');
    expect(await page.getByTestId('device-status').getAttribute('data-state')).toBe('running');
    expect(await page.getByTestId('audit-status').getAttribute('data-intact')).toBe('true');
    expect(await page.getByTestId('connectivity').getAttribute('data-state')).toBe('unconfigured');
    await page.screenshot({ path: join(screenshots, 'beranda.png') });
  });

  it('shows only the screens that work', async () => {
    const nav = await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('data-testid')));
    expect(nav).toEqual(['nav-beranda', 'nav-surat-masuk', 'nav-disposisi', 'nav-surat-keluar', 'nav-konsep', 'nav-pindai', 'nav-tanda-tangan', 'nav-delegasi', 'nav-antrian-sinkron', 'nav-pengaturan']);
  });

  it('keeps a changed setting across a reload, in SQLite', async () => {
    await page.getByTestId('nav-pengaturan').click();
    await page.getByTestId('screen-pengaturan').waitFor();
    await page.getByTestId('settings-desk-name').fill('Meja Agenda 2');
    await page.getByTestId('settings-office-name').fill('Dinas Komunikasi dan Informatika');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(screenshots, 'pengaturan.png'), fullPage: true });

    await page.reload();
    await page.getByTestId('nav-pengaturan').click();
    await expect.poll(() => page.getByTestId('settings-desk-name').inputValue()).toBe('Meja Agenda 2');
    expect(await page.getByTestId('header-desk-name').innerText()).toContain('Meja Agenda 2');

    const db = new Database(join(dataDir, 'loket.db'), { readonly: true });
    try {
      const row = db.prepare("select value from settings where key = 'deskName'").get() as { value: string } | undefined;
      expect(row && JSON.parse(row.value)).toBe('Meja Agenda 2');
    } finally {
      db.close();
    }
  });

  it('saves the signing section (driver, TSA, OCSP, verification page) and keeps it across a reload', async () => {
    const section = page.getByTestId('signing-settings');
    await section.scrollIntoViewIfNeeded();
    await page.getByTestId('settings-token-module').selectOption('other');
    await page.getByTestId('settings-token-module-path').fill('opensc-pkcs11.so');
    await page.getByTestId('settings-tsaUrl').fill('tsa.contoh.go.id');
    await page.getByTestId('signing-settings-save').click();
    await expect.poll(() => page.getByTestId('settings-error-tsaUrl').innerText()).toMatch(/harus diawali http:\/\/ atau https:\/\//);
    expect(await page.getByTestId('settings-error-tokenModulePath').innerText()).toMatch(/path lengkap/);

    await page.getByTestId('settings-token-module').selectOption('');
    await page.getByTestId('settings-tsaUrl').fill('http://tsa.contoh.go.id');
    await page.getByTestId('settings-verifyUrl').fill('https://eoffice.contoh.go.id/verifikasi');
    await page.getByTestId('signing-settings-save').click();
    await page.getByTestId('signing-settings-saved').waitFor();
    await section.screenshot({ path: join(screenshots, 'pengaturan-tanda-tangan.png') });

    await page.reload();
    await page.getByTestId('nav-pengaturan').click();
    await expect.poll(() => page.getByTestId('settings-tsaUrl').inputValue()).toBe('http://tsa.contoh.go.id');
    expect(await page.getByTestId('settings-verifyUrl').inputValue()).toBe('https://eoffice.contoh.go.id/verifikasi');
    expect(await page.getByTestId('settings-token-module').inputValue()).toBe('');
    // Back to "not set", so the rest of this desk signs as before.
    await page.getByTestId('settings-tsaUrl').fill('');
    await page.getByTestId('settings-verifyUrl').fill('');
    await page.getByTestId('signing-settings-save').click();
    await page.getByTestId('signing-settings-saved').waitFor();
  });

  it('tells the clerk, next to the field, what is wrong with a bad entry', async () => {
    await page.getByTestId('settings-desk-name').fill('');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-error-deskName').innerText()).toMatch(/wajib/i);
  });

  it('switches the whole interface to English and back', async () => {
    await page.getByTestId('settings-language-en').check();
    await page.getByTestId('settings-language-saved').waitFor();
    await expect.poll(() => page.getByTestId('nav-beranda').innerText()).toMatch(/Home|Dashboard/i);
    await page.getByTestId('settings-language-id').check();
    await expect.poll(() => page.getByTestId('nav-beranda').innerText()).toMatch(/Beranda/);
  });

  it('refuses a page load without the launch secret, and a socket from another origin', async () => {
    const anonymous = await browser.newPage();
    const res = await anonymous.goto(desk.origin + '/');
    expect(res?.status()).toBe(403);
    expect(await anonymous.content()).toMatch(/Akses ditolak/);
    await anonymous.close();

    const cookies = await page.context().cookies(desk.origin);
    const session = cookies.find((c) => c.name === 'loket_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const wsUrl = desk.origin.replace('http', 'ws') + '/ipc';
    const refused = (headers: Record<string, string>) => new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { headers });
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
      ws.on('open', () => { ws.close(); resolve(101); });
      ws.on('error', () => resolve(-1));
    });
    expect(await refused({ Origin: 'http://evil.example', Cookie: `loket_session=${session!.value}` })).toBe(403);
    expect(await refused({ Origin: desk.origin })).toBe(403);
    expect(await refused({ Origin: desk.origin, Cookie: `loket_session=${session!.value}` })).toBe(101);
  });
});
