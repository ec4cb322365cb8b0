// Files larger than one socket message, through the screens a clerk uses: a 6.5 MB PDF checked in
// Periksa and imported in Surat Keluar. Before files travelled in pieces, either ended the desk
// process (one 9 MB WebSocket frame); now both are answered and the desk keeps working. A file over
// the import limit is refused by Catat before any of it is sent, with its size and the limit.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';

const wait = { timeout: 60_000, interval: 200 };

/** A one-page letter carrying 6.5 MB of scanned attachment (random bytes do not compress). */
async function largeLetter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText('Hal: Laporan tahunan beserta lampiran pindaian', { x: 60, y: 720, size: 11, font });
  await doc.attach(randomBytes(6.5 * 1024 * 1024), 'lampiran-pindaian.bin', { mimeType: 'application/octet-stream' });
  return doc.save();
}

describe('a 6.5 MB PDF through the screens', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let pdfPath: string;
  /** documents.upload messages the page sent to the desk. */
  let uploadFrames = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-large-'));
    pdfPath = join(dataDir, 'laporan-tahunan.pdf');
    const bytes = await largeLetter();
    expect(bytes.byteLength).toBeGreaterThan(6.5 * 1024 * 1024);
    writeFileSync(pdfPath, bytes);
    desk = await startDesk({ dataDir: join(dataDir, 'desk') });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
    page.on('websocket', (ws) => ws.on('framesent', (frame) => { if (String(frame.payload).includes('documents.upload')) uploadFrames++; }));
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Catat refuses a 60 MB PDF at once, saying its size and the limit, and sends none of it', async () => {
    const huge = join(dataDir, 'pindaian-besar.pdf');
    writeFileSync(huge, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(60 * 1024 * 1024 - 9, 0x20)]));
    uploadFrames = 0;
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('sm-new').click();
    await page.getByTestId('sm-file-input').setInputFiles(huge);
    const refusal = page.getByTestId('sm-import-error');
    await refusal.waitFor(wait);
    expect(await refusal.innerText()).toBe('Berkas ini berukuran 60 MB, melebihi batas 50 MB, sehingga tidak dikirim. Perkecil ukurannya (misalnya pindai ulang dengan resolusi lebih rendah) lalu impor lagi.');
    expect(uploadFrames).toBe(0);
    expect(desk.process.exitCode).toBeNull();
  });

  it('Periksa checks it and reports that it carries no signature', async () => {
    await page.getByTestId('nav-tanda-tangan').click();
    await page.getByTestId('tab-check').click();
    await page.getByTestId('check-file').setInputFiles(pdfPath);
    await expect.poll(() => page.getByTestId('check-verdict').getAttribute('data-valid'), wait).toBe('false');
    expect(desk.process.exitCode).toBeNull();
  });

  it('Surat Keluar imports it for the official to sign', async () => {
    await page.getByTestId('nav-surat-keluar').click();
    await page.getByTestId('sk-file').setInputFiles(pdfPath);
    await page.getByTestId('sk-subject').fill('Laporan tahunan');
    await page.getByTestId('sk-addressee').fill('Bupati');
    await page.getByTestId('sk-signer').fill('Budi Santoso');
    await page.getByTestId('sk-submit').click();
    await expect.poll(() => page.getByTestId('sk-done').innerText(), wait).toContain('siap ditandatangani');
    expect(desk.process.exitCode).toBeNull();
  });
});
