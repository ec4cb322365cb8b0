// The signing official's story, end to end: the browser host in Debian's Chromium, the real server
// over TLS, a SoftHSM token (keys generated on it) whose driver reports "few PIN tries left" (a token
// fault SoftHSM cannot produce by itself). The front office imports a letter and chooses its signer
// from the office's officials; the official sees it waiting for them by name, reads it in the preview,
// is told after a wrong PIN that few tries are left and that the token does not say how many, confirms
// (how many letters, by whom, which certificate, which token) and signs; the list then says there is
// nothing to sign. A letter whose template has no signature marker shows its stamp below the last text;
// the official drags it to the signature block, and the next letter with the same letterhead takes that
// place by itself; the signed PDFs, rendered, carry the stamp there. The signed PDF is downloaded from Surat Keluar, opened to print, and an incoming
// letter's PDF is downloaded from Surat Masuk — no outside addressee needed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { openStore } from '../../main/store/store.ts';
import { darkPixels, renderPage } from '../support/pdf-render.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { letterPdf, registerWithPdf } from '../support/deliveries.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const wait = { timeout: 30_000, interval: 100 };
const subject = 'Undangan rapat evaluasi program gizi';
const unmarked = ['Edaran jam layanan puskesmas', 'Edaran libur nasional'] as const;
/** Where the official drags the stamp: between "Kepala Dinas Kesehatan," and the name, in PDF points. */
const block = { x: 330, y: 330 };

/** A letter of a template without the signature marker: the name and a footnote come after the block. */
async function unmarkedLetter(title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('PEMERINTAH KABUPATEN CONTOH', { x: 170, y: 790, size: 14, font });
  page.drawText('DINAS KESEHATAN', { x: 230, y: 770, size: 14, font });
  page.drawText('Nomor : ......', { x: 60, y: 720, size: 11, font });
  page.drawText(`Hal: ${title}`, { x: 60, y: 702, size: 11, font });
  page.drawText('Dengan hormat, bersama ini kami sampaikan edaran untuk dilaksanakan.', { x: 60, y: 660, size: 11, font });
  page.drawText('Kepala Dinas Kesehatan,', { x: 330, y: 430, size: 11, font });
  page.drawText('Dr. Ahmad Fauzi', { x: 330, y: 310, size: 11, font });
  page.drawText('Tembusan: Arsip', { x: 60, y: 160, size: 10, font });
  return doc.save();
}

describe('the signing official: import → choose signer → preview → sign → download', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let token: TestToken;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let work: string;
  let incomingHash: string;

  async function letterId(title: string): Promise<string> {
    const testId = await page.locator('.tt-letter').filter({ hasText: title }).locator('input[type="checkbox"]').getAttribute('data-testid');
    return testId!.replace(/^letter-/, '');
  }

  const signIn = (username: string) => signInOn(page, username);

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    token = createTestToken();
    work = join(token.dir, 'e2e');
    mkdirSync(work);
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pejabat-'));
    // The desk has signed in before (so it may sign in offline too), holds numbers of the outgoing
    // book, and has one registered incoming letter.
    const before = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    seedClassifications(before.store);
    await before.sync.auth.login('operator.dinkes', demoPassword);
    const block = await before.sync.numberBlocks.lease('out', Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), 5);
    before.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    const incomingBlock = await before.sync.numberBlocks.lease('in', 2026, 5);
    before.store.agenda.addLeasedBlock({ leaseId: incomingBlock.leaseId, book: 'in', year: incomingBlock.year, first: incomingBlock.first, last: incomingBlock.last }, 'test');
    for (const title of unmarked) {
      await importOutgoingForSigning(before.store, before.blobs, {
        bytes: await unmarkedLetter(title), fileName: 'edaran.pdf', subject: title, addressee: 'Kepala Puskesmas', signer: 'user-penandatangan-dinkes',
      }, 'test');
    }
    const incoming = await registerWithPdf(before, await letterPdf('PUSKESMAS KECAMATAN UTARA', ['Nomor : 440/118/PKM/2026', 'Perihal: Pelaksanaan vaksinasi anak sekolah']));
    incomingHash = incoming.documentHash!;
    await before.sync.auth.logout();
    await before.close();
    writeFileSync(join(work, 'undangan.pdf'), await letterPdf('DINAS KESEHATAN', [
      'Nomor : ......', `Perihal: ${subject}`, '', 'Dengan hormat, kami mengundang Saudara ke rapat evaluasi.', '', 'Kepala Dinas Kesehatan,', '${ttd_pengirim}',
    ]));

    desk = await startDesk({
      dataDir,
      env: {
        LOKET_SERVER_CA: tls.trusted.caCert, SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module,
        LOKET_TOKEN_FAULTS: JSON.stringify({ addTokenFlags: ['CKF_USER_PIN_COUNT_LOW'] }),
      },
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', acceptDownloads: true })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await srv?.close();
    databases.stop();
    token?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the front office imports the letter for the head of office, chosen from the office\'s officials', async () => {
    await signIn('operator.dinkes');
    await page.getByTestId('nav-surat-keluar').click();
    const signer = page.getByTestId('sk-signer');
    await expect.poll(() => signer.locator('option').allInnerTexts(), wait).toEqual(['— Pilih pejabat penandatangan —', 'Dr. Ahmad Fauzi — Kepala Dinas Kesehatan']);
    await page.getByTestId('sk-file').setInputFiles(join(work, 'undangan.pdf'));
    await page.getByTestId('sk-subject').fill(subject);
    await page.getByTestId('sk-addressee').fill('Kepala Puskesmas se-Kabupaten');
    // Without an official chosen, nothing is imported.
    await page.getByTestId('sk-submit').click();
    await expect.poll(() => page.getByTestId('sk-error').innerText(), wait).toContain('Pilih pejabat penandatangan');
    await signer.selectOption({ label: 'Dr. Ahmad Fauzi — Kepala Dinas Kesehatan' });
    await page.getByTestId('sk-submit').click();
    await expect.poll(() => page.getByTestId('sk-done').innerText(), wait).toContain('siap ditandatangani');
    const row = page.getByTestId('sk-row').filter({ hasText: subject });
    await expect.poll(() => row.getByTestId('sk-row-signer').innerText(), wait).toBe('Dr. Ahmad Fauzi');
    await page.screenshot({ path: join(screenshots, 'surat-keluar-impor.png'), fullPage: true });
    await page.getByTestId('logout').click();
  });

  it('the official reads the letter waiting for them in the preview before signing', async () => {
    await signIn('penandatangan.dinkes');
    await page.getByTestId('nav-tanda-tangan').click();
    const letter = page.locator('.tt-letter').filter({ hasText: subject });
    await expect.poll(() => letter.getByTestId('waiting-for').innerText(), wait).toContain('Dr. Ahmad Fauzi');
    await page.getByTestId(`read-${await letterId(subject)}`).click();
    const preview = page.getByTestId('preview-panel');
    expect(await preview.innerText()).toContain(`Pratinjau: ${subject}`);
    await expect.poll(() => preview.getByTestId('pdf-preview').getAttribute('data-drawn'), wait).toBe('1');
    // The template's marker decides where the stamp goes, and the preview shows it there.
    await expect.poll(() => preview.getByTestId('stamp-box').getAttribute('data-source'), wait).toBe('anchor');
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-pratinjau.png'), fullPage: true });
  });

  it('after a wrong PIN the official is told few tries are left and that the token does not say how many', async () => {
    await page.getByTestId('token-select').waitFor();
    expect(await page.getByTestId('pin-warning').innerText()).toContain('jumlah pastinya tidak diberitahukan token');
    await page.getByTestId('token-login').click();
    await page.getByTestId('pin-input').fill('000000');
    await page.getByTestId('pin-submit').click();
    await expect.poll(() => page.getByTestId('pin-error').getAttribute('data-code'), wait).toBe('PIN_INCORRECT');
    const told = await page.getByTestId('pin-error').innerText();
    expect(told).toContain('sisa percobaan PIN sudah sedikit');
    expect(told).toContain('tidak memberitahukan jumlah pastinya');
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-pin-salah.png') });
    await page.getByTestId('pin-input').fill(token.pin);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('token-open').waitFor();
  });

  it('a letter without the signature marker: the official drags the stamp to the signature block, and the next letter of that letterhead takes the place by itself', async () => {
    await page.getByTestId(`read-${await letterId(unmarked[0])}`).click();
    const preview = page.getByTestId('preview-panel');
    await expect.poll(() => preview.getAttribute('data-letter'), wait).toBe(await letterId(unmarked[0]));
    const box = preview.getByTestId('stamp-box');
    await expect.poll(() => box.getAttribute('data-source'), wait).toBe('belowText');
    expect(await preview.getByTestId('stamp-hint').innerText()).toContain('di bawah teks terakhir');
    // The whole page in view, as the official sees it while dragging.
    await preview.getByTestId('pdf-canvas').evaluate((c) => (c as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: 'center' }));
    const canvas = (await preview.getByTestId('pdf-canvas').boundingBox())!;
    const scale = canvas.width / 595;
    const from = (await box.boundingBox())!;
    const to = { x: canvas.x + block.x * scale, y: canvas.y + (842 - block.y - 86) * scale };
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + from.width / 2, to.y + from.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => box.getAttribute('data-source'), wait).toBe('letter');
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-letak.png'), fullPage: true });

    await page.getByTestId(`read-${await letterId(unmarked[1])}`).click();
    await expect.poll(() => preview.getAttribute('data-letter'), wait).toBe(await letterId(unmarked[1]));
    await expect.poll(() => preview.getByTestId('stamp-box').getAttribute('data-source'), wait).toBe('layout');
    // At the same place on its page (the preview may have scrolled: measured from the page's corner).
    const remembered = (await preview.getByTestId('stamp-box').boundingBox())!;
    const page2 = (await preview.getByTestId('pdf-canvas').boundingBox())!;
    expect(Math.abs((remembered.x - page2.x) - (to.x - canvas.x))).toBeLessThan(3);
    expect(Math.abs((remembered.y - page2.y) - (to.y - canvas.y))).toBeLessThan(3);
  });

  it('signing asks once more — how many letters, by whom, with which certificate — and then says nothing is left to sign', async () => {
    await page.getByTestId(`cert-${token.keys.rsa.id}`).check();
    for (const title of [subject, ...unmarked]) await page.locator('.tt-letter').filter({ hasText: title }).locator('input[type="checkbox"]').check();
    await page.getByTestId('sign-button').click();
    const confirm = page.getByTestId('sign-confirm');
    await confirm.waitFor();
    expect(await confirm.getByRole('heading').innerText()).toBe('Tandatangani 3 surat?');
    for (const title of [subject, ...unmarked]) expect(await page.getByTestId('sign-confirm-letters').innerText()).toContain(title);
    expect(await page.getByTestId('sign-confirm-by').innerText()).toContain('Dr. Ahmad Fauzi');
    expect(await page.getByTestId('sign-confirm-certificate').innerText()).toContain('Budi Santoso');
    expect(await page.getByTestId('sign-confirm-way').innerText()).toContain('Token USB');
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-konfirmasi.png') });
    // Cancelled, nothing is signed.
    await page.getByTestId('sign-confirm-cancel').click();
    expect(await page.getByTestId('batch-results').count()).toBe(0);
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await expect.poll(() => page.locator('[data-outcome="signed"]').count(), wait).toBe(3);
    await page.getByTestId('no-letters').waitFor();
    expect(await page.getByTestId('no-letters').innerText()).toContain('Tidak ada surat untuk ditandatangani');
    expect(await page.getByTestId('sign-button').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-kosong.png') });
  });

  it('the signed letter is downloaded and opened to print from Surat Keluar, with no outside addressee', async () => {
    await page.getByTestId('nav-surat-keluar').click();
    await page.getByTestId('sk-row').filter({ hasText: subject }).click();
    await page.getByTestId('screen-surat-keluar-lihat').waitFor();
    await expect.poll(() => page.getByTestId('sk-detail-status').innerText(), wait).toBe('ditandatangani');
    // Who signed, and as what, as the stamp says.
    expect(await page.getByTestId('sk-detail-signerName').innerText()).toBe('Dr. Ahmad Fauzi (Kepala Dinas Kesehatan)');
    const number = await page.getByTestId('sk-detail-letterNumber').innerText();

    const download = page.waitForEvent('download');
    await page.getByTestId('sk-file-actions-download').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`${number.replace(/[^\p{L}\p{N}.-]+/gu, '-')}.pdf`);
    const path = join(work, 'unduhan.pdf');
    await saved.saveAs(path);
    const pdf = new Uint8Array(readFileSync(path));
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const signed = store.letters.search('evaluasi program gizi')[0]!;
    store.close();
    expect(Buffer.from(pdf).equals(await createBlobStore(join(dataDir, 'documents')).read(signed.documentHash!))).toBe(true);
    const sig = pdfsig(pdf, { work, name: 'unduhan-pdfsig', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(sig.signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);

    const popup = page.waitForEvent('popup');
    await page.getByTestId('sk-file-actions-print').click();
    expect((await popup).url()).toMatch(/^blob:/);
    await page.screenshot({ path: join(screenshots, 'surat-keluar-unduh.png'), fullPage: true });
  });

  it('the letters without the marker are stamped where the official dragged it, not in a corner', async () => {
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const hashes = unmarked.map((title) => store.letters.search(title)[0]!.documentHash!);
    store.close();
    const dpi = 72;
    for (const [i, hash] of hashes.entries()) {
      const pdf = new Uint8Array(await createBlobStore(join(dataDir, 'documents')).read(hash));
      const image = renderPage(pdf, { work, name: `edaran-${i}`, dpi });
      const at = (x0: number, y0: number, x1: number, y1: number) => darkPixels(image, { x0, x1, y0: image.height - y1, y1: image.height - y0 });
      // The stamp (its frame, QR and text) between "Kepala Dinas Kesehatan," and the name…
      expect(at(block.x + 4, block.y + 4, block.x + 256, block.y + 82)).toBeGreaterThan(1_500);
      // …and nothing below the footnote, where "below the last text" would have put it, nor in the corner.
      expect(at(300, 40, 580, 140)).toBe(0);
    }
  });

  it('an incoming letter\'s PDF is downloaded from Surat Masuk', async () => {
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('sm-row').filter({ hasText: 'Pelaksanaan vaksinasi anak sekolah' }).click();
    const download = page.waitForEvent('download');
    await page.getByTestId('sm-file-actions-download').click();
    const path = join(work, 'masuk.pdf');
    await (await download).saveAs(path);
    expect(readFileSync(path).equals(await createBlobStore(join(dataDir, 'documents')).read(incomingHash))).toBe(true);
  });
});
