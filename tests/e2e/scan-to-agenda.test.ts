// From a saved scan straight to the agenda: two pages scanned with SANE's demo scanner are saved in
// Pindai as two letters, "Catat surat masuk" opens the agenda form with the first one loaded (preview
// and OCR as after an import), the clerk fills it by keyboard and saves, and Pindai then shows which
// letter is registered and which still waits; the letter is in the Surat Masuk list with its agenda
// number and Beranda counts it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('From Pindai to the agenda in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let documentId: string;
  let secondDocumentId: string;
  let agenda: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-scan-agenda-'));
    // No SANE_CONFIG_DIR of the test runner's: the desk sets up its own demo scanner.
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 960 }, locale: 'id-ID' })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const focusedAttribute = (name: string) => page.evaluate((attribute) => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute(attribute) ?? null, name);
  const focusedTestId = () => focusedAttribute('data-testid');
  /** Tab onwards to a field: a date field takes one Tab per part (day, month, year) on the way. */
  const tabTo = async (testId: string) => {
    for (let presses = 0; presses < 6 && (await focusedTestId()) !== testId; presses++) await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe(testId);
  };
  const incomingToday = async () => {
    await page.getByTestId('nav-beranda').click();
    const count = page.getByTestId('count-incoming-today');
    await expect.poll(() => count.innerText()).toMatch(/^\d+$/);
    return Number(await count.innerText());
  };

  it('saves two scanned letters and offers "Catat surat masuk" for each, with the focus on the first', async () => {
    expect(await incomingToday()).toBe(0);
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('pindai-scanner').waitFor({ timeout: 60_000 });
    await page.getByTestId('pindai-source-flatbed').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('100');
    for (const [paper, pages] of [['a4', 1], ['f4', 2]] as const) {
      await page.getByTestId('pindai-paper').selectOption(paper);
      await page.getByTestId('pindai-start').click();
      await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(pages);
      await page.getByTestId('pindai-start').waitFor();
    }
    // On page 2 (page 1 always starts a letter); the box shows main's answer, so click and wait for it.
    await page.getByTestId('pindai-page-split').click();
    await expect.poll(() => page.getByTestId('pindai-summary').innerText()).toBe('2 halaman · 2 surat');
    await page.getByTestId('pindai-save').click();
    await page.getByTestId('pindai-saved').waitFor({ timeout: 60_000 });
    [documentId, secondDocumentId] = (await page.getByTestId('pindai-saved').getAttribute('data-document-ids'))!.split(' ') as [string, string];
    expect(documentId).toMatch(/^[0-9a-f]{64}$/);
    expect(secondDocumentId).toMatch(/^[0-9a-f]{64}$/);

    const letters = page.getByTestId('pindai-saved-letter');
    expect(await letters.count()).toBe(2);
    expect(await letters.nth(0).getAttribute('data-document-id')).toBe(documentId);
    expect(await letters.nth(0).innerText()).toContain('Surat 1 · 1 halaman');
    expect(await letters.nth(1).innerText()).toContain('Surat 2 · 1 halaman');
    expect(await page.getByTestId('pindai-saved-letters-summary').innerText()).toBe('2 dari 2 surat belum dicatat di agenda.');
    await expect.poll(focusedTestId).toBe('pindai-catat');
    expect(await focusedAttribute('href')).toBe(`#/surat-masuk/catat/${documentId}`);
    expect(await page.getByTestId('pindai-catat').nth(0).innerText()).toBe('Catat surat masuk');
    await page.screenshot({ path: join(screenshots, 'pindai-tersimpan.png') });
  });

  it('opens the agenda form with the scanned document loaded, and registers it without the mouse', async () => {
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/surat-masuk/catat/${documentId}`);
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-pages'), { timeout: 30_000 }).toBe('1');
    expect(await page.locator('.sm-doc-name').innerText()).toContain('1 halaman');
    // The demo scanner's page has no text: OCR runs and proposes nothing.
    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    expect(await page.locator('[data-testid^="sm-proposal-"]').count()).toBe(0);

    // Keyboard only, from the first empty field in agenda order (Tanggal terima is already today).
    await expect.poll(focusedTestId).toBe('sm-field-letterNumber');
    const year = new Date().getFullYear();
    await page.keyboard.type('045/12/DISKOMINFO/2026');
    await tabTo('sm-field-letterDate');
    await page.keyboard.type(`0101${year}`); // 1 January: the same keys in day-first and month-first date fields
    await tabTo('sm-field-sender');
    await page.keyboard.type('Dinas Komunikasi dan Informatika');
    await tabTo('sm-field-addressee');
    await page.keyboard.type('Kepala Bagian Umum');
    await tabTo('sm-field-subject');
    await page.keyboard.type('Undangan uji coba sistem naskah dinas');
    // Past Ringkasan, Sifat and Klasifikasi keamanan (their defaults stand) to the classification code.
    await tabTo('sm-field-classificationCode');
    await page.keyboard.type('005');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-catat-pindaian.png') });
    expect(await page.getByTestId('sm-field-letterDate').inputValue()).toBe(`${year}-01-01`);
    // Ctrl+S rather than Enter: the code's suggestion list may be open and would take the Enter.
    await page.keyboard.press('Control+s');

    const saved = page.getByTestId('sm-saved');
    await saved.waitFor({ timeout: 30_000 });
    agenda = /agenda (\S+)\./.exec(await saved.innerText())![1]!;
    expect(agenda).toMatch(/^0001\/UMUM\/\d{4}$/);
    // On to the scan's other letters, still by keyboard.
    await expect.poll(focusedTestId).toBe('sm-back-to-scan');
  });

  it('shows back in Pindai which scanned letter is registered and which still waits, and the agenda and Beranda count it', async () => {
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-pindai').waitFor();
    const [first, second] = [page.getByTestId('pindai-saved-letter').nth(0), page.getByTestId('pindai-saved-letter').nth(1)];
    await expect.poll(() => first.getAttribute('data-registered')).toBe('true');
    expect(await first.innerText()).toContain(`Tercatat sebagai agenda ${agenda}.`);
    expect(await second.getAttribute('data-registered')).toBe('false');
    expect(await page.getByTestId('pindai-saved-letters-summary').innerText()).toBe('1 dari 2 surat belum dicatat di agenda.');
    expect(await page.getByTestId('pindai-catat').count()).toBe(1);
    expect(await page.getByTestId('pindai-catat').getAttribute('href')).toBe(`#/surat-masuk/catat/${secondDocumentId}`);
    await page.screenshot({ path: join(screenshots, 'pindai-tercatat.png') });

    await page.getByTestId('nav-surat-masuk').click();
    await expect.poll(() => page.getByTestId('sm-row').count()).toBe(1);
    expect(await page.getByTestId('sm-row').innerText()).toContain(agenda);
    expect(await page.getByTestId('sm-row').innerText()).toContain('Undangan uji coba sistem naskah dinas');
    expect(await incomingToday()).toBe(1);
  });

  it('says so when the scanned document is opened again, or an unknown one is asked for', async () => {
    await page.evaluate((hash) => { (globalThis as unknown as { location: { hash: string } }).location.hash = hash; }, `#/surat-masuk/catat/${documentId}`);
    await page.getByTestId('sm-already-registered').waitFor();
    expect(await page.getByTestId('sm-already-registered').innerText()).toContain(`Sudah tercatat sebagai agenda ${agenda}.`);
    expect(await page.getByTestId('sm-save').isDisabled()).toBe(true);

    await page.evaluate((hash) => { (globalThis as unknown as { location: { hash: string } }).location.hash = hash; }, `#/surat-masuk/catat/${'0'.repeat(64)}`);
    await page.getByTestId('sm-import-error').waitFor();
    expect(await page.getByTestId('sm-import-error').innerText()).toContain('Dokumen surat tidak ditemukan di meja ini');
  });
});
