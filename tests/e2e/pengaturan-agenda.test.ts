// Pengaturan's agenda sections end to end: on a desk without a server the person at the desk sets
// the office's agenda number format (seeing the next number as they type), it survives a reload,
// and a classification renamed in Pengaturan is what the Catat form's classification search offers —
// Loket as `npm start` runs it, Debian's Chromium, SQLite behind it. On a desk working with the real
// server, a staff member sees the same sections read-only, with the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { collectingLogger } from '../../common/logger.ts';
import { openStore } from '../../main/store/store.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const today = localDate(new Date(), 'Asia/Jakarta');
const year = today.slice(0, 4);
const romanMonth = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'][Number(today.slice(5, 7)) - 1]!;

/** A register that has reached agenda 42 this year, so the next number is 43. */
function seedRegister(dataDir: string) {
  const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
  store.letters.create({
    direction: 'incoming', status: 'registered', agendaNumber: 42, agendaYear: Number(year), agendaLabel: `0042/UMUM/${year}`,
    receivedDate: today, letterNumber: '005/88/BPBD/2026', letterDate: today, sender: 'BPBD Kabupaten Contoh', subject: 'Undangan apel siaga bencana', classificationCode: '005',
  }, 'meja:uji');
  store.close();
}

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Perihal: Undangan rapat koordinasi', { x: 72, y: 700, size: 12, font });
  return doc.save();
}

describe('Pengaturan: agenda number format and classification list in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pa-'));
    seedRegister(dataDir);
    writeFileSync(join(dataDir, 'surat.pdf'), await onePagePdf());
    desk = await startDesk({ dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a bad format is named next to its field as it is typed and is not saved', async () => {
    await page.getByTestId('nav-pengaturan').click();
    await page.getByTestId('agenda-format').waitFor();
    await expect.poll(() => page.getByTestId('agenda-preview').innerText()).toBe(`0043/UMUM/${year}`);

    await page.getByTestId('agenda-template').fill('{kode_unit}/{tahun}');
    await expect.poll(() => page.getByTestId('agenda-error-template').innerText()).toMatch(/harus memuat \{urut\}/);
    await page.getByTestId('agenda-save').click();
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.testid')).toBe('agenda-template');
    expect(await page.getByTestId('agenda-saved').count()).toBe(0);
  });

  it('the person types a new format by keyboard, sees the next number, saves with Enter, and it persists across a reload', async () => {
    await page.getByTestId('agenda-template').fill('');
    await page.keyboard.type('{urut:4}/{kode_unit}/{bulan_romawi}/{tahun}');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('SEKR');
    await expect.poll(() => page.getByTestId('agenda-preview').innerText()).toBe(`0043/SEKR/${romanMonth}/${year}`);
    expect(await page.getByTestId('agenda-error-template').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('agenda-saved').waitFor();

    await page.reload();
    await page.getByTestId('nav-pengaturan').click();
    await expect.poll(() => page.getByTestId('agenda-template').inputValue()).toBe('{urut:4}/{kode_unit}/{bulan_romawi}/{tahun}');
    expect(await page.getByTestId('agenda-unit-code').inputValue()).toBe('SEKR');
    await expect.poll(() => page.getByTestId('agenda-preview').innerText()).toBe(`0043/SEKR/${romanMonth}/${year}`);
  });

  it('renames a classification and adds a code; a code already listed is refused next to its field', async () => {
    await page.getByTestId('class-search').fill('undangan');
    await page.getByTestId('class-row-005').waitFor();
    await page.getByTestId('class-name-005').fill('Undangan Rapat Koordinasi');
    await page.getByTestId('class-name-005').press('Enter');
    await page.getByTestId('class-saved-005').waitFor();

    await page.getByTestId('class-add-code').fill('005');
    await page.getByTestId('class-add-name').fill('Undangan lain');
    await page.getByTestId('class-add-name').press('Enter');
    await expect.poll(() => page.getByTestId('class-add-error-code').innerText()).toMatch(/Kode 005 sudah ada \(Undangan Rapat Koordinasi\)/);

    await page.getByTestId('class-add-code').fill('005.9');
    await page.getByTestId('class-add-name').fill('Undangan Daring');
    await page.getByTestId('class-add-name').press('Enter');
    await page.getByTestId('class-added').waitFor();
    await expect.poll(() => page.getByTestId('class-name-005.9').inputValue()).toBe('Undangan Daring');

    await page.getByTestId('class-search').fill('rapat');
    await expect.poll(() => page.getByTestId('class-name-005').inputValue()).toBe('Undangan Rapat Koordinasi');
    await page.getByTestId('class-search').fill('');
    await page.getByTestId('class-search').fill('00');
    await page.getByTestId('class-row-005.9').waitFor();
    // Bounding boxes are relative to the viewport: measured from the top, they are page coordinates.
    await page.evaluate('window.scrollTo(0, 0)');
    const top = await page.getByTestId('agenda-format').boundingBox();
    const bottom = await page.getByTestId('classification-list').boundingBox();
    await page.screenshot({ path: join(screenshots, 'pengaturan-agenda.png'), fullPage: true, clip: { x: top!.x - 16, y: top!.y - 16, width: top!.width + 32, height: bottom!.y + bottom!.height - top!.y + 32 } });
  });

  it('the renamed classification is what the Catat form\'s classification search offers', async () => {
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('sm-new').click();
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    await page.getByTestId('sm-file-input').setInputFiles(join(dataDir, 'surat.pdf'));
    await expect.poll(() => page.getByTestId('sm-field-classificationCode').isEnabled()).toBe(true);
    await page.getByTestId('sm-field-classificationCode').fill('koordinasi');
    await expect.poll(() => page.locator('#sm-codes option').allTextContents()).toEqual(['005 — Undangan Rapat Koordinasi']);
    // The letter's OCR, started by the import, ends before the desk is closed.
    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toMatch(/done|failed/);
  });
});

describe('Pengaturan on a desk working with a server, for a staff member', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pa-srv-'));
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    store.settings.update({ serverUrl: srv.url }, 'test');
    store.close();
    desk = await startDesk({ dataDir, env: { LOKET_SERVER_CA: tls.trusted.caCert } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await srv?.close();
    databases.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('shows the number format and the classification list read-only, with one sentence why', async () => {
    await page.goto(desk.launchUrl);
    await signInOn(page, 'staf.dinkes');
    await page.getByTestId('nav-pengaturan').click();

    await expect.poll(() => page.getByTestId('agenda-readonly').innerText()).toMatch(/hanya admin kantor/);
    expect(await page.getByTestId('agenda-template-value').innerText()).toBe('{urut:4}/{kode_unit}/{tahun}');
    expect(await page.getByTestId('agenda-template').count()).toBe(0);
    expect(await page.getByTestId('agenda-save').count()).toBe(0);
    await page.getByTestId('class-search').fill('undangan');
    await expect.poll(() => page.getByTestId('class-row-005').innerText()).toMatch(/005\s+Undangan/);
    expect(await page.getByTestId('class-readonly').innerText()).toMatch(/admin kantor/);
    expect(await page.getByTestId('class-name-005').count()).toBe(0);
    expect(await page.getByTestId('class-add').count()).toBe(0);
  });
});
