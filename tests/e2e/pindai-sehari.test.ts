// Pindai over a clerk's day, in Chromium through the browser host: the profile chosen stays chosen
// when the clerk comes back to the screen; a scanned page opens large (click or Enter), zooms, goes
// to the next page by keyboard and closes with Esc, the focus back on its thumbnail; and a network
// scanner that never answers (a host that takes a connection and says nothing, as one stuck
// behind a slow DNS or a dead switch does) never holds the list: the scanners found before are
// shown at once with "Memperbarui daftar pemindai…", after a restart too, and the note about the
// silent scanner follows when it gives up. SANE's test backend is the desk's scanner.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { withoutSane } from '../support/sane-test-backend.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

/** A "scanner" that accepts connections and never answers, until released. */
async function silentScanner(): Promise<{ port: number; release(): void; close(): Promise<void> }> {
  const held = new Set<Socket>();
  let released = false;
  const server: Server = createServer((socket) => {
    if (released) return socket.destroy();
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    release() {
      released = true;
      for (const socket of held) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => { for (const socket of held) socket.destroy(); server.close(() => resolve()); }),
  };
}

describe.skipIf(withoutSane !== undefined)('Pindai over a working day', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let silent: Awaited<ReturnType<typeof silentScanner>> | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pindai-sehari-'));
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 960 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await silent?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openPindai() {
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('screen-pindai').waitFor();
  }

  const focusedPageId = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-page-id') ?? null);

  it('keeps the scan profile the clerk chose when they come back to Pindai', async () => {
    await page.goto(desk.launchUrl);
    await openPindai();
    await page.getByTestId('pindai-scanner').waitFor({ timeout: 60_000 });
    const profile = page.getByTestId('pindai-profile');
    await expect.poll(() => profile.locator('option:checked').innerText()).toBe('Lampiran berwarna 300 dpi');
    await profile.selectOption({ label: 'Surat biasa: ADF dupleks 200 dpi' });
    await page.getByTestId('nav-beranda').click();
    await openPindai();
    await expect.poll(() => profile.locator('option:checked').innerText()).toBe('Surat biasa: ADF dupleks 200 dpi');
    // And after the page is loaded afresh.
    await page.reload();
    await page.getByTestId('screen-pindai').waitFor();
    await expect.poll(() => profile.locator('option:checked').innerText().catch(() => '')).toBe('Surat biasa: ADF dupleks 200 dpi');
  });

  it('opens a scanned page large, zooms, goes to the next page by keyboard, and closes with Esc back on the thumbnail', async () => {
    await page.getByTestId('pindai-scanner').waitFor({ timeout: 60_000 });
    await page.getByTestId('pindai-source-flatbed').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('100');
    for (const [paper, count] of [['a4', 1], ['f4', 2]] as const) {
      await page.getByTestId('pindai-paper').selectOption(paper);
      await page.getByTestId('pindai-start').click();
      await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(count);
      await page.getByTestId('pindai-start').waitFor();
    }
    const ids = await page.getByTestId('pindai-page').evaluateAll((items) => items.map((i) => (i as unknown as { getAttribute(n: string): string }).getAttribute('data-page-id')));

    // A click on the first thumbnail: the page at its scan resolution (A4 at 100 dpi: 827 px wide), not the 160 px thumbnail.
    await page.getByTestId('pindai-page-thumb').first().click();
    const viewer = page.getByTestId('pindai-viewer');
    await viewer.waitFor();
    expect(await page.getByTestId('pindai-viewer-title').innerText()).toBe('Halaman 1 dari 2');
    const image = page.getByTestId('pindai-viewer-image');
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(800);
    const fitted = (await image.boundingBox())!.width;
    await page.screenshot({ path: join(screenshots, 'pindai-halaman-besar.png') });

    // Zoom in by keyboard: the page is drawn larger than the window fits it.
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await page.getByTestId('pindai-viewer-zoom').innerText()).toBe('200%');
    await expect.poll(async () => (await image.boundingBox())!.width).toBeGreaterThan(fitted * 1.5);

    // → : the F4 page (1299 px tall at 100 dpi).
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('pindai-viewer-title').innerText()).toBe('Halaman 2 dari 2');
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalHeight: number }).naturalHeight)).toBeGreaterThan(1290);
    expect(await page.getByTestId('pindai-viewer-next').isDisabled()).toBe(true);

    // Esc closes; the focus is on the thumbnail of the page shown last.
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer.count()).toBe(0);
    expect(await focusedPageId()).toBe(ids[1]);
    // Enter on the focused page opens it again; ← goes back to the first page.
    await page.keyboard.press('Enter');
    await viewer.waitFor();
    expect(await page.getByTestId('pindai-viewer-title').innerText()).toBe('Halaman 2 dari 2');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('pindai-viewer-title').innerText()).toBe('Halaman 1 dari 2');
    await page.getByTestId('pindai-viewer-close').click();
    await expect.poll(() => viewer.count()).toBe(0);
    expect(await focusedPageId()).toBe(ids[0]);
  });

  it('shows the scanners found before at once while a network scanner that never answers is still being asked, also after a restart', async () => {
    silent = await silentScanner();
    await page.getByTestId('pindai-network').locator('summary').click();
    await page.getByTestId('pindai-network-url').fill(`http://127.0.0.1:${silent.port}/eSCL`);
    await page.getByTestId('pindai-network-add').click();
    await expect.poll(() => page.getByTestId('pindai-network-scanner').count()).toBe(1);
    const scanner = page.getByTestId('pindai-scanner');

    // Back to Pindai while the silent scanner holds the search: the demo scanner is offered, the search goes on.
    await page.getByTestId('nav-beranda').click();
    await openPindai();
    await page.getByTestId('pindai-refreshing').waitFor({ timeout: 5_000 });
    expect(await scanner.locator('option:checked').innerText()).toBe('Pemindai uji (demo)');
    expect(await page.getByTestId('pindai-refreshing').innerText()).toBe('Memperbarui daftar pemindai…');

    // A restart: nothing known yet on this run, and still the demo scanner comes without waiting for the silent one.
    await desk.stop();
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    await page.goto(desk.launchUrl);
    await openPindai();
    await scanner.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('pindai-refreshing').isVisible()).toBe(true);
    expect(await scanner.locator('option:checked').innerText()).toBe('Pemindai uji (demo)');

    // The silent scanner gives up: the search ends, and it is named among the scanners that cannot be used now.
    silent.release();
    await expect.poll(() => page.getByTestId('pindai-refreshing').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('pindai-scanner-note').allInnerTexts()).toEqual([expect.stringContaining(`127.0.0.1`)]);
    expect(await scanner.locator('option:checked').innerText()).toBe('Pemindai uji (demo)');
  });
});
