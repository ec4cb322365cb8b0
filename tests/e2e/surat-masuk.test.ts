// Surat Masuk end to end: a clerk registers a scanned letter from its file with the OCR proposals
// accepted, finds it again by a word from its body, opens it with its PDF, and exports the agenda
// book — Loket as `npm start` runs it, Debian's Chromium, real OCR, SQLite and pdftotext.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { collectingLogger } from '../../common/logger.ts';
import { openStore } from '../../main/store/store.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { scannedPdf, syntheticLetters } from '../support/synthetic-letters.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const letter = syntheticLetters()[0]!;

/** Letters registered earlier today and this month, so the list looks like a working desk's. */
function seedRegister(dataDir: string) {
  const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
  const today = localDate(new Date(), 'Asia/Jakarta');
  const earlier = [
    ['Dinas Kesehatan Kota Dumai', '440/812/DINKES/2026', 'Laporan kasus demam berdarah minggu ke-46', 'segera', 'biasa', '440'],
    ['Badan Kepegawaian Daerah', '800/1290/BKD/2026', 'Usulan kenaikan pangkat periode April', 'biasa', 'terbatas', '823'],
    ['Kecamatan Dumai Barat', '005/77/KEC-DB/2026', 'Undangan musyawarah perencanaan pembangunan kelurahan', 'biasa', 'biasa', '005'],
    ['Inspektorat Kota Dumai', '700/45/ITKO/2026', 'Jadwal pemeriksaan reguler semester kedua', 'sangat_segera', 'rahasia', '700'],
  ] as const;
  earlier.forEach(([sender, number, subject, urgency, security, code], i) => {
    store.letters.create({
      direction: 'incoming', status: 'registered', agendaNumber: i + 1, agendaYear: Number(today.slice(0, 4)), agendaLabel: `${String(i + 1).padStart(4, '0')}/UMUM/${today.slice(0, 4)}`,
      receivedDate: today, letterNumber: number, letterDate: today, sender, subject, urgency, security, classificationCode: code, documentType: 'surat_biasa',
    }, 'meja:uji');
  });
  store.close();
}

describe('Surat Masuk in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let agenda: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-sm-'));
    seedRegister(dataDir);
    writeFileSync(join(dataDir, 'surat-diskominfo.pdf'), await scannedPdf(letter));
    desk = await startDesk({ dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'id-ID', acceptDownloads: true })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a scanned letter from its file, with every OCR proposal marked until one key accepts them all, without the mouse', async () => {
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('screen-surat-masuk').waitFor();
    await page.getByTestId('sm-new').click();
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    await page.getByTestId('sm-file-input').setInputFiles(join(dataDir, 'surat-diskominfo.pdf'));
    await page.getByTestId('pdf-preview').waitFor();

    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    // Every field the letter prints is proposed: its head says Sifat Biasa, Lampiran 1 (satu) berkas, Kepada Yth. …, and its number starts with 005.
    const proposed = ['letterNumber', 'letterDate', 'sender', 'addressee', 'subject', 'urgency', 'security', 'classificationCode', 'attachmentCount'];
    for (const field of proposed) await page.getByTestId(`sm-proposal-${field}`).waitFor();
    expect(await page.getByTestId('sm-field-letterNumber').inputValue()).toBe(letter.fields.number);
    expect(await page.getByTestId('sm-field-subject').inputValue()).toBe(letter.fields.subject);
    // This letter's addressee column runs off the right edge of the page ("… Kota Du"): what is printed is proposed.
    expect(await page.getByTestId('sm-field-addressee').inputValue()).toMatch(/^Kepala Badan Perencanaan Pembangunan Daerah Kota Du/);
    expect(await page.getByTestId('sm-field-attachmentCount').inputValue()).toBe('1');
    expect(await page.getByTestId('sm-field-classificationCode').inputValue()).toBe('005');
    expect(await page.getByTestId('sm-field-urgency').inputValue()).toBe('biasa');
    // Each says what it was read from.
    expect(await page.locator('#sm-attachmentCount-proposal').innerText()).toContain('Lampiran');
    expect(await page.getByTestId('sm-ocr-status').innerText()).toContain('Ctrl+Enter');
    await page.getByTestId('sm-field-summary').fill('Undangan rapat penyusunan rencana kerja 2027 di Bappeda.');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-catat.png'), fullPage: true });

    // Saving with proposals not yet confirmed asks for them to be checked first.
    await page.keyboard.press('Control+s');
    await page.getByTestId('sm-form-error').waitFor();
    expect(await page.getByTestId('sm-form-error').innerText()).toContain('usulan');
    // One key accepts them all, wherever the focus is.
    await page.keyboard.press('Control+Enter');
    expect(await page.locator('[data-testid^="sm-proposal-"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('sm-form-error').count()).toBe(0);
    await page.getByTestId('sm-field-attachmentCount').focus();
    await page.keyboard.press('Enter');

    await page.getByTestId('sm-saved').waitFor();
    const saved = await page.getByTestId('sm-saved').innerText();
    agenda = /agenda (\S+)\./.exec(saved)![1]!;
    expect(agenda).toMatch(/^0005\/UMUM\/\d{4}$/);
  });

  it('finds the letter by a word from its body, and opens it with its PDF', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('screen-surat-masuk').waitFor();
    await expect.poll(() => page.getByTestId('sm-row').count()).toBe(5);
    await page.screenshot({ path: join(screenshots, 'surat-masuk-daftar.png'), fullPage: true });

    await page.getByTestId('sm-search').fill('pelaksanaan');
    await expect.poll(() => page.getByTestId('sm-row').count()).toBe(1);
    expect(await page.getByTestId('sm-row').innerText()).toContain(agenda);
    await page.getByTestId('sm-row').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('screen-surat-masuk-lihat').waitFor();
    expect(await page.getByTestId('sm-detail-letterNumber').innerText()).toBe(letter.fields.number);
    // The PDF comes over in pieces (documents.read) before pdf.js opens it: more than a second on a loaded machine.
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-pages'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-drawn'), { timeout: 30_000 }).toBe('1');
    // The page was drawn: the canvas is not blank.
    const inked = await page.getByTestId('pdf-canvas').evaluate((c) => {
      const canvas = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(1000);
  });

  it('exports the agenda book as a PDF whose text lists the letters', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('screen-surat-masuk').waitFor();
    await page.locator('.sm-book summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sm-book-export').click()]);
    const file = join(dataDir, 'buku-agenda.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('BUKU AGENDA SURAT MASUK');
    expect(text).toContain(agenda);
    expect(text).toContain(letter.fields.number);
    expect(text).toContain('Inspektorat Kota Dumai');
    await page.getByTestId('sm-book-done').waitFor();
  });
});
