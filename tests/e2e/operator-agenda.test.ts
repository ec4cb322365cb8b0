// A clerk's day at the agenda, end to end in Chromium: two sheets come off the office's network
// scanner — a letter, and the same letter fed again (other bytes, the same words). The first is
// registered (the date fields answer as they show, hh/bb/tttt); the second is held before saving and
// shown beside the earlier entry; the clerk registers it anyway, notices, and voids it with a reason.
// The first entry is corrected (the change reaches the activity log and the sync queue); both are
// found by their agenda numbers as people type them; the agenda book prints the void entry as BATAL
// and its number is never given again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { startEsclRig, type EsclRig } from '../support/escl-rig.ts';
import { syntheticLetters, type SyntheticLetter } from '../support/synthetic-letters.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
// The office's today (WIB), as the desk dates and numbers: the machine's may still be yesterday.
const [year, month, day] = localDate(new Date(), 'Asia/Jakarta').split('-') as [string, string, string];
/** Today as the clerk types it into a date field (ddmmyyyy). */
const todayTyped = `${day}${month}${year}`;

/** The same paper through the feeder again: specks of dust, so other bytes, the same words. */
async function fedAgain(jpeg: Buffer): Promise<Buffer> {
  const image = await loadImage(jpeg);
  const canvas = createCanvas(image.width, image.height);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  g.fillStyle = 'rgba(120,120,120,0.5)';
  for (let i = 0; i < 400; i++) g.fillRect((i * 7919) % image.width, (i * 104729) % image.height, 2, 2);
  return canvas.encodeSync('jpeg', 80);
}

describe('The operator: scan → register → correct → void → search → agenda book', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let rig: EsclRig;
  let letter: SyntheticLetter;
  let documentIds: string[];
  let first: string;
  let second: string;

  beforeAll(async () => {
    letter = syntheticLetters(200)[0]!;
    rig = await startEsclRig({ makeAndModel: 'Kantor MFP 4100', sheets: 2, letters: { dpi: 200, jpegs: [letter.jpeg, await fedAgain(letter.jpeg)] } });
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-operator-'));
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'id-ID', acceptDownloads: true })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await rig?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const focusedTestId = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null);
  const go = (hash: string) => page.evaluate((h) => { (globalThis as unknown as { location: { hash: string } }).location.hash = h; }, hash);
  /** The desk's own database, read beside the running desk. */
  const readDb = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(join(dataDir, 'loket.db'), { readonly: true, fileMustExist: true });
    try { return read(db); } finally { db.close(); }
  };
  const search = async (text: string) => {
    await go('#/surat-masuk');
    await page.getByTestId('sm-search').fill(text);
    // The list follows the typing after a short pause; wait until it shows this text's answer.
    await page.waitForTimeout(400);
    await expect.poll(() => page.getByTestId('sm-list').getAttribute('aria-busy')).toBe('false');
    return page.getByTestId('sm-row').allInnerTexts();
  };
  /** Opens a scanned letter's Catat form and waits for OCR's proposals, then accepts them all. */
  const openScanned = async (documentId: string) => {
    await go(`#/surat-masuk/catat/${documentId}`);
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    await page.getByTestId('sm-proposal-letterNumber').waitFor();
    await page.keyboard.press('Control+Enter');
    expect(await page.locator('[data-testid^="sm-proposal-"]').count()).toBe(0);
  };

  it('scans the letter and the same letter fed again, saved as two letters waiting to be registered', async () => {
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('screen-pindai').waitFor();
    await page.getByTestId('pindai-network').locator('summary').click();
    await page.getByTestId('pindai-network-url').fill(`127.0.0.1:${rig.port}`);
    await page.getByTestId('pindai-network-label').fill('Pemindai Lantai 2');
    await page.getByTestId('pindai-network-add').click();
    await expect.poll(() => page.getByTestId('pindai-scanner').locator('option:checked').innerText().catch(() => ''), { timeout: 60_000 }).toBe('Pemindai Lantai 2 (127.0.0.1)');
    await page.getByTestId('pindai-source-adf').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('200');
    await page.getByTestId('pindai-paper').selectOption('a4');
    await page.getByTestId('pindai-start').click();
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(2);
    await page.getByTestId('pindai-start').waitFor();
    await page.getByTestId('pindai-page-split').click();
    await expect.poll(() => page.getByTestId('pindai-summary').innerText()).toBe('2 halaman · 2 surat');
    await page.getByTestId('pindai-save').click();
    await page.getByTestId('pindai-saved').waitFor({ timeout: 60_000 });
    documentIds = (await page.getByTestId('pindai-saved').getAttribute('data-document-ids'))!.split(' ');
    expect(documentIds).toHaveLength(2);
    expect(documentIds[0]).not.toBe(documentIds[1]);
  });

  it('registers the first: an impossible or empty date is named as the field shows it, Tab leaves a full date, and the red banner goes once it is fixed', async () => {
    await openScanned(documentIds[0]!);
    expect(await page.getByTestId('sm-field-letterDate').inputValue()).toBe(letter.fields.date.split('-').reverse().join('/'));
    await page.getByTestId('sm-field-classificationCode').fill('005');

    await page.getByTestId('sm-field-letterDate').fill('');
    await page.getByTestId('sm-field-letterDate').pressSequentially('31022026');
    expect(await page.getByTestId('sm-field-letterDate').inputValue()).toBe('31/02/2026');
    await page.getByTestId('sm-field-receivedDate').fill('');
    await page.keyboard.press('Control+s');
    await page.getByTestId('sm-form-error').waitFor();
    expect(await page.getByTestId('sm-form-error').innerText()).toBe('Surat belum dicatat. Perbaiki isian yang ditandai.');
    expect(await page.getByTestId('sm-error-receivedDate').innerText()).toBe('Tanggal terima wajib diisi.');
    expect(await page.getByTestId('sm-error-letterDate').innerText()).toBe('Tanggal surat "31/02/2026" bukan tanggal yang ada. Isi dengan format hh/bb/tttt, misalnya 05/12/2026.');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-tanggal.png') });

    // A full date, then one Tab: the next field has the focus, and what is typed next goes there.
    await page.getByTestId('sm-field-receivedDate').focus();
    await page.keyboard.type(todayTyped);
    expect(await page.getByTestId('sm-field-receivedDate').inputValue()).toBe(`${todayTyped.slice(0, 2)}/${todayTyped.slice(2, 4)}/${year}`);
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('sm-field-letterNumber');
    expect(await page.getByTestId('sm-form-error').count()).toBe(1);
    await page.getByTestId('sm-field-letterDate').fill('');
    await page.getByTestId('sm-field-letterDate').focus();
    await page.keyboard.type(letter.fields.date.split('-').reverse().join(''));
    await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('sm-field-sender');
    // Every marked field fixed: the banner has gone.
    expect(await page.getByTestId('sm-form-error').count()).toBe(0);

    await page.keyboard.press('Control+s');
    await page.getByTestId('sm-saved').waitFor({ timeout: 30_000 });
    first = /agenda (\S+)\./.exec(await page.getByTestId('sm-saved').innerText())![1]!;
    expect(first).toBe(`0001/UMUM/${year}`);
  });

  it('holds the letter fed again before saving, beside the earlier entry, until the clerk decides', async () => {
    await openScanned(documentIds[1]!);
    await page.getByTestId('sm-field-classificationCode').fill('005');
    await page.keyboard.press('Control+s');
    const compare = page.getByTestId('sm-duplicate-compare');
    await compare.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sm-saved').count()).toBe(0);
    expect(await compare.innerText()).toContain(`Agenda ${first}`);
    expect(await page.getByTestId('sm-compare-earlier-letterNumber').innerText()).toBe(letter.fields.number);
    expect(await page.getByTestId('sm-compare-mine-letterNumber').innerText()).toBe(letter.fields.number);
    // Both letters' pages, side by side.
    await expect.poll(() => compare.locator('[data-testid="pdf-preview"][data-drawn="1"]').count(), { timeout: 30_000 }).toBe(2);
    await page.screenshot({ path: join(screenshots, 'surat-masuk-ganda.png') });
    expect(readDb((db) => db.prepare("SELECT count(*) AS n FROM letters WHERE direction = 'incoming'").get())).toEqual({ n: 1 });

    // The clerk registers it as a different letter anyway.
    await page.getByTestId('sm-dup-register').click();
    await page.getByTestId('sm-saved').waitFor({ timeout: 30_000 });
    second = /agenda (\S+)\./.exec(await page.getByTestId('sm-saved').innerText())![1]!;
    expect(second).toBe(`0002/UMUM/${year}`);
  });

  it('corrects the first entry: the change is shown, logged and queued for the server', async () => {
    const found = await search('0001');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(first);
    await page.getByTestId('sm-row').first().click();
    await page.getByTestId('screen-surat-masuk-lihat').waitFor();
    await page.getByTestId('sm-koreksi-open').click();
    await page.getByTestId('sm-edit-summary').fill('Undangan diteruskan ke Sekretaris.');
    await page.getByTestId('sm-edit-letterDate').fill('31/13/2026');
    await page.getByTestId('sm-koreksi-save').click();
    await page.getByTestId('sm-koreksi-error').waitFor();
    await page.getByTestId('sm-edit-letterDate').fill(letter.fields.date.split('-').reverse().join('/'));
    await page.getByTestId('sm-koreksi-save').click();
    await expect.poll(() => page.getByTestId('sm-detail-summary').innerText().catch(() => '')).toBe('Undangan diteruskan ke Sekretaris.');
    const logged = readDb((db) => db.prepare("SELECT action, details FROM audit_log WHERE action = 'letter.updated'").all()) as { details: string }[];
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!.details)).toEqual({ fields: ['summary'] });
    const queued = readDb((db) => db.prepare("SELECT payload FROM outbox WHERE entity = 'letter' AND op = 'update'").all()) as { payload: string }[];
    expect(queued.map((q) => JSON.parse(q.payload) as { changes: unknown }).map((p) => p.changes)).toEqual([{ summary: 'Undangan diteruskan ke Sekretaris.' }]);
  });

  it('voids the second with a reason: it keeps its number, shown BATAL, and is found by it', async () => {
    await search('2');
    const rows = page.getByTestId('sm-row');
    expect(await rows.first().innerText()).toContain(second);
    await rows.first().click();
    await page.getByTestId('screen-surat-masuk-lihat').waitFor();
    await page.getByTestId('sm-batal-open').click();
    await page.getByTestId('sm-batal-confirm').click();
    expect(await page.locator('#sm-batal-error').innerText()).toBe('Alasan pembatalan wajib diisi.');
    await page.getByTestId('sm-batal-reason').fill(`Tercatat ganda dengan agenda ${first}`);
    await page.getByTestId('sm-batal-confirm').click();
    await page.getByTestId('sm-void-notice').waitFor();
    expect(await page.getByTestId('sm-void-notice').innerText()).toContain(`Alasan: Tercatat ganda dengan agenda ${first}`);
    expect(await page.getByTestId('sm-koreksi-open').count()).toBe(0);
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-drawn'), { timeout: 30_000 }).toBe('1');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-batal.png') });
    const audit = readDb((db) => db.prepare("SELECT action FROM audit_log WHERE action = 'letter.voided'").all());
    expect(audit).toHaveLength(1);
    const queued = readDb((db) => db.prepare("SELECT payload FROM outbox WHERE entity = 'letter' AND op = 'update'").all()) as { payload: string }[];
    expect(queued.map((q) => (JSON.parse(q.payload) as { changes: { status?: string } }).changes.status)).toContain('void');

    const printed = await search(second);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('Batal');
    expect(await page.getByTestId('sm-row').getAttribute('data-status')).toBe('void');
    expect(await search('0002/umum')).toHaveLength(1);
    await page.screenshot({ path: join(screenshots, 'surat-masuk-cari-nomor.png') });
  });

  it('prints the agenda book with the void entry marked BATAL, and gives the next letter a new number', async () => {
    await go('#/surat-masuk');
    await page.getByTestId('sm-search').fill('');
    await page.locator('.sm-book summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sm-book-export').click()]);
    const file = join(dataDir, 'buku-agenda.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain(first);
    expect(text).toContain(second);
    expect(text).toMatch(/BATAL: Tercatat ganda/);
    // The void entry no longer counts as a registration of this letter: the scan may be registered
    // again, and it gets the next number, never 0002 again.
    await openScanned(documentIds[1]!);
    expect(await page.getByTestId('sm-already-registered').count()).toBe(0);
    await page.getByTestId('sm-field-classificationCode').fill('005');
    await page.keyboard.press('Control+s');
    await page.getByTestId('sm-duplicate-compare').waitFor({ timeout: 30_000 });
    await page.getByTestId('sm-dup-register').click();
    await page.getByTestId('sm-saved').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sm-saved').innerText()).toContain(`0003/UMUM/${year}`);
  });
});
