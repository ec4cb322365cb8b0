// From a network scanner straight to the agenda: the office's eSCL scanner (the test rig on
// 127.0.0.1, its feeder holding two scanned letters) is added in Pindai by its address, two sheets
// are scanned from its feeder and saved as two letters, "Catat surat masuk" opens the agenda form
// with the first one loaded (preview, and OCR proposing the letter's number, date, subject and
// sender from the scanned page), the clerk checks and completes it by keyboard and saves, and Pindai
// then shows which letter is registered and which still waits; the letter is in the Surat Masuk
// list with its agenda number and Beranda counts it. No SANE involved: it passes on a desk without.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { startEsclRig, type EsclRig } from '../support/escl-rig.ts';
import { syntheticLetters, type SyntheticLetter } from '../support/synthetic-letters.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('From Pindai to the agenda in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let documentId: string;
  let secondDocumentId: string;
  let agenda: string;
  let rig: EsclRig;
  let letters: SyntheticLetter[];

  beforeAll(async () => {
    letters = syntheticLetters(200).slice(0, 2);
    rig = await startEsclRig({ makeAndModel: 'Kantor MFP 4100', sheets: 2, letters: { dpi: 200, jpegs: letters.map((l) => l.jpeg) } });
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
    await rig?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const focusedAttribute = (name: string) => page.evaluate((attribute) => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute(attribute) ?? null, name);
  const focusedTestId = () => focusedAttribute('data-testid');
  /** Tab onwards to a field. */
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

  it('scans two letters from a network scanner added by its address, saves them as two letters and offers "Catat surat masuk" for each, with the focus on the first', async () => {
    expect(await incomingToday()).toBe(0);
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('screen-pindai').waitFor();
    // The office's scanner by its address (on a desk without a server, whoever sits here may add it).
    await page.getByTestId('pindai-network').locator('summary').click();
    await page.getByTestId('pindai-network-url').fill(`127.0.0.1:${rig.port}`);
    await page.getByTestId('pindai-network-label').fill('Pemindai Lantai 2');
    await page.getByTestId('pindai-network-add').click();
    const scanner = page.getByTestId('pindai-scanner');
    await expect.poll(() => scanner.locator('option:checked').innerText().catch(() => ''), { timeout: 60_000 }).toBe('Pemindai Lantai 2 (127.0.0.1)');
    expect(await page.getByTestId('pindai-scanner-where').innerText()).toBe('Pemindai jaringan di 127.0.0.1 · eSCL/AirScan');
    await page.getByTestId('pindai-source-adf').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('200');
    await page.getByTestId('pindai-paper').selectOption('a4');
    await page.getByTestId('pindai-start').click();
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(2);
    await page.getByTestId('pindai-start').waitFor();
    expect(rig.jobs.map((j) => j.settings)).toEqual([{ inputSource: 'Feeder', colorMode: 'Grayscale8', format: 'image/jpeg', resolution: 200, width: 2480, height: 3508, duplex: false }]);
    // On page 2 (page 1 always starts a letter); the box shows main's answer, so click and wait for it.
    await page.getByTestId('pindai-page-split').click();
    await expect.poll(() => page.getByTestId('pindai-summary').innerText()).toBe('2 halaman · 2 surat');
    await page.getByTestId('pindai-save').click();
    await page.getByTestId('pindai-saved').waitFor({ timeout: 60_000 });
    [documentId, secondDocumentId] = (await page.getByTestId('pindai-saved').getAttribute('data-document-ids'))!.split(' ') as [string, string];
    expect(documentId).toMatch(/^[0-9a-f]{64}$/);
    expect(secondDocumentId).toMatch(/^[0-9a-f]{64}$/);

    const saved = page.getByTestId('pindai-saved-letter');
    expect(await saved.count()).toBe(2);
    expect(await saved.nth(0).getAttribute('data-document-id')).toBe(documentId);
    expect(await saved.nth(0).innerText()).toContain('Surat 1 · 1 halaman');
    expect(await saved.nth(1).innerText()).toContain('Surat 2 · 1 halaman');
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
    // OCR reads the scanned letter: its number, date, subject and sender are proposed, marked until accepted.
    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    for (const field of ['letterNumber', 'letterDate', 'subject', 'sender']) await page.getByTestId(`sm-proposal-${field}`).waitFor();
    const [first] = letters as [SyntheticLetter];
    expect(await page.getByTestId('sm-field-letterNumber').inputValue()).toBe(first.fields.number);
    // Dates show as the clerk types them, hh/bb/tttt.
    expect(await page.getByTestId('sm-field-letterDate').inputValue()).toBe(first.fields.date.split('-').reverse().join('/'));
    expect(await page.getByTestId('sm-field-subject').inputValue()).toBe(first.fields.subject);

    // Keyboard only: the clerk accepts the proposals, then fills what a letter does not say.
    await page.getByTestId('sm-accept-all').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-testid^="sm-proposal-"]').count()).toBe(0);
    await page.getByTestId('sm-field-addressee').focus();
    await page.keyboard.type('Kepala Bagian Umum');
    // Past Ringkasan, Sifat and Klasifikasi keamanan (their defaults stand) to the classification code.
    await tabTo('sm-field-classificationCode');
    await page.keyboard.type('005');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-catat-pindaian.png') });
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
    expect(await page.getByTestId('sm-row').innerText()).toContain(letters[0]!.fields.subject);
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
