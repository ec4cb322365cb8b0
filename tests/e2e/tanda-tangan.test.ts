// The signing official at the desk, end to end: Loket started as `npm start` starts it, the built
// renderer in Debian's Chromium, the device worker with a real SoftHSM token (keys generated on it),
// OpenSSL's TSA on loopback. A letter arrives through Surat Keluar, the official enters the PIN once
// (after one typo) and signs two letters in one batch; the stamp is on the rendered page and its QR
// opens the verification URL; the letter carries the number signing gave it; Periksa reports the signed
// letter valid and saves the report as PDF.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { openStore } from '../../main/store/store.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { darkPixels, renderPage } from '../support/pdf-render.ts';
import { appendRawUpdate, inspect, streamBody } from '../support/pdf-tamper.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startTimestampAuthority, type TimestampAuthority } from '../support/trust-services.ts';
import { rawWordIn } from '../support/ui-words.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const verifyUrl = 'https://eoffice.contoh.go.id/verifikasi';
/** How long to wait for the desk to answer: signing, timestamping and fsyncing on a loaded machine. */
const wait = { timeout: 30_000, interval: 100 };

async function letterPdf(subject: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('PEMERINTAH KABUPATEN CONTOH', { x: 170, y: 780, size: 14, font });
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  page.drawText('Kepala Dinas Komunikasi dan Informatika,', { x: 300, y: 260, size: 10, font });
  page.drawText('${ttd_pengirim}', { x: 300, y: 230, size: 10, font });
  return doc.save();
}

describe('Tanda Tangan in a real browser', () => {
  let token: TestToken;
  let tsa: TimestampAuthority;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let work: string;

  beforeAll(async () => {
    token = createTestToken();
    work = join(token.dir, 'e2e');
    mkdirSync(work);
    tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
    const trustDir = join(token.dir, 'trust');
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'ca.pem'), readFileSync(token.ca.certPath));
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-tt-'));
    // One letter already waits for the official; the second comes in through Surat Keluar.
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    await importOutgoingForSigning(store, createBlobStore(join(dataDir, 'documents')), { bytes: await letterPdf('Undangan rapat koordinasi'), fileName: 'undangan.pdf', subject: 'Undangan rapat koordinasi', addressee: 'Para Camat', signer: 'Budi Santoso' }, 'meja:uji');
    store.close();
    writeFileSync(join(work, 'edaran.pdf'), await letterPdf('Surat edaran jam kerja'));
    desk = await startDesk({
      dataDir,
      env: { SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module, LOKET_TRUST_DIR: trustDir, LOKET_TSA_URL: tsa.url, LOKET_VERIFY_URL: verifyUrl },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', acceptDownloads: true })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await tsa?.stop();
    token?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a PDF imported in Surat Keluar for the official is ready to sign', async () => {
    await page.getByTestId('nav-surat-keluar').click();
    await page.getByTestId('sk-file').setInputFiles(join(work, 'edaran.pdf'));
    await page.getByTestId('sk-subject').fill('Surat edaran jam kerja');
    await page.getByTestId('sk-addressee').fill('Seluruh ASN');
    await page.getByTestId('sk-signer').fill('Budi Santoso');
    await page.getByTestId('sk-submit').click();
    await expect.poll(() => page.getByTestId('sk-done').innerText(), wait).toContain('siap ditandatangani');
    await expect.poll(() => page.getByTestId('sk-waiting').innerText(), wait).toContain('2 surat');
  });

  it('the official signs both letters in one batch with one PIN, after being told a typo was wrong', async () => {
    await page.getByTestId('nav-tanda-tangan').click();
    await page.getByTestId('token-select').waitFor();
    expect(await page.getByTestId('token-select').innerText()).toContain('Loket Uji');
    await page.getByTestId('token-login').click();
    await page.getByTestId('pin-input').fill('000000');
    await page.getByTestId('pin-submit').click();
    await expect.poll(() => page.getByTestId('pin-error').getAttribute('data-code'), wait).toBe('PIN_INCORRECT');
    expect(await page.getByTestId('pin-error').innerText()).toMatch(/^PIN salah/);
    await page.getByTestId('pin-input').fill(token.pin);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('token-open').waitFor();

    // Certificates that must not sign are shown with the reason and cannot be chosen.
    expect(await page.getByTestId(`cert-refusal-${token.keys.expired.id}`).innerText()).toContain('kedaluwarsa');
    expect(await page.getByTestId(`cert-${token.keys.expired.id}`).isDisabled()).toBe(true);
    await page.getByTestId(`cert-${token.keys.rsa.id}`).check();
    expect(await page.getByTestId('certificate-identity').innerText()).toContain('Budi Santoso');

    const boxes = page.locator('[data-testid^="letter-"]');
    await expect.poll(() => boxes.count(), wait).toBe(2);
    for (const box of await boxes.all()) await box.check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await expect.poll(async () => (await page.locator('[data-outcome="signed"]').count()), wait).toBe(2);
    expect(await page.getByTestId('sign-progress').getAttribute('value')).toBe('2');
    expect(await page.getByTestId('batch-results').innerText()).toContain('dengan cap waktu tepercaya');
    // Words a person reads: no internal names (key usages, token maker, signature levels) on the screen.
    expect(rawWordIn(await page.getByTestId('screen-tanda-tangan').innerText())).toBeUndefined();
    await page.getByTestId('no-letters').waitFor();
    await page.screenshot({ path: join(screenshots, 'tanda-tangan.png') });
  });

  it('the signed letter shows the stamp where the template asked, and its QR code opens the verification page', async () => {
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const signed = store.letters.search('edaran')[0];
    expect(signed?.status).toBe('signed');
    const [signature] = store.signatures.forLetter(signed!.id);
    store.close();
    const pdf = new Uint8Array(await createBlobStore(join(dataDir, 'documents')).read(signed!.documentHash!));
    writeFileSync(join(work, 'signed.pdf'), pdf);
    const dpi = 150;
    const image = renderPage(pdf, { work, name: 'signed-render', dpi });
    const scale = dpi / 72;
    // The anchor at (300, 230), size 10: the stamp's top-left corner sits on its line.
    const box = { x0: Math.round(300 * scale), x1: Math.round(560 * scale), y0: Math.round(image.height - 240 * scale), y1: Math.round(image.height - 154 * scale) };
    expect(darkPixels(image, box)).toBeGreaterThan(2_000);
    const qr = jsqr.default(image.rgba, image.width, image.height);
    expect(qr?.data).toBe(`${verifyUrl}?id=${signed!.id}`);
    // The letter carries its number where it read "Nomor : ......" (at 60, 740), and the signature over it holds.
    expect(signed!.letterNumber).toMatch(/^\d{4}\/UMUM\/[IVX]+\/\d{4}$/);
    writeFileSync(join(work, 'signed-text.pdf'), pdf);
    const words = execFileSync('pdftotext', ['-bbox', join(work, 'signed-text.pdf'), '-'], { encoding: 'utf8' });
    const number = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)"[^>]*>${signed!.letterNumber!.replaceAll('/', '\\/')}</word>`).exec(words);
    expect(Number(number?.[1])).toBeGreaterThan(80);
    expect(Number(number?.[2])).toBeCloseTo(842 - 740 - 11, -1);
    const sig = pdfsig(pdf, { work, name: 'signed-pdfsig', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true })]);
    expect(signature!.documentHash).toBe(signed!.documentHash);
  });

  it('Periksa reports the signed letter valid and trusted, and saves the report as a PDF', async () => {
    await page.getByTestId('tab-check').click();
    await page.getByTestId('check-file').setInputFiles(join(work, 'signed.pdf'));
    await expect.poll(() => page.getByTestId('check-verdict').getAttribute('data-valid'), wait).toBe('true');
    expect(await page.getByTestId('check-verdict').innerText()).toContain('Semua tanda tangan sah');
    const first = page.getByTestId('signature-0');
    expect(await first.getAttribute('data-verdict')).toBe('valid');
    expect(await first.getByTestId('check-signer').innerText()).toContain('Budi Santoso');
    expect(await first.getByTestId('check-integrity').getAttribute('data-good')).toBe('true');
    expect(await first.getByTestId('check-trust').getAttribute('data-good')).toBe('true');
    expect(await first.getByTestId('check-time').innerText()).toContain('Loket Test TSA');
    expect(await first.getByTestId('check-coverage').innerText()).toContain('dokumen sama persis dengan yang ditandatangani');
    // A green verdict has no problem listed beside it.
    expect(await first.getByTestId('check-problems').count()).toBe(0);
    expect(rawWordIn(await page.getByTestId('screen-tanda-tangan').innerText())).toBeUndefined();
    await page.screenshot({ path: join(screenshots, 'periksa.png'), fullPage: true });

    const download = page.waitForEvent('download');
    await page.getByTestId('save-report').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^laporan-periksa-signed.*\.pdf$/);
    const reportPath = join(work, 'report.pdf');
    await saved.saveAs(reportPath);
    expect(readFileSync(reportPath).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('Periksa reports a letter whose page was changed after signing as not valid, naming the page', async () => {
    // What a recipient could do: an incremental update that replaces page 1's content, the signature untouched.
    const signedPdf = new Uint8Array(readFileSync(join(work, 'signed.pdf')));
    const ins = await inspect(signedPdf);
    const altered = await appendRawUpdate(signedPdf, [{ num: ins.contentsOf(ins.pageRefs[0]!).objectNumber, body: streamBody('', '0 0 1 rg 60 600 300 60 re f') }], { xref: 'stream' });
    writeFileSync(join(work, 'diubah.pdf'), altered);
    await page.getByTestId('check-file').setInputFiles(join(work, 'diubah.pdf'));
    await expect.poll(() => page.getByTestId('check-verdict').getAttribute('data-verdict'), wait).toBe('invalid');
    expect(await page.getByTestId('check-verdict').innerText()).toContain('Tanda tangan TIDAK sah');
    const first = page.getByTestId('signature-0');
    // The signed bytes are intact; what changed is the document after them.
    expect(await first.getByTestId('check-integrity').getAttribute('data-tone')).toBe('good');
    expect(await first.getByTestId('check-coverage').getAttribute('data-tone')).toBe('bad');
    expect(await first.getByTestId('check-changes').innerText()).toMatch(/Isi halaman 1 diubah \(objek \d+\)/);
    expect(await first.getByTestId('check-problems').innerText()).toContain('Dokumen diubah setelah ditandatangani');
    await page.screenshot({ path: join(screenshots, 'periksa-diubah.png'), fullPage: true });
  });
});
