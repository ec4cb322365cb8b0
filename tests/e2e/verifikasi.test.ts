// The letter's QR code, end to end in Chromium: the head of Dinas Kesehatan signs an outgoing letter
// at a desk working with the real server (the browser host, a SoftHSM token with its key generated on
// it); the signed PDF carries its number where the letter read "Nomor : ......"; the desk syncs it;
// the QR code read off the rendered page opens the server's /verifikasi page (no sign-in), which shows
// the letter's number, date, subject, signer and signing time; the signed PDF dropped on that page is
// "sesuai", a copy changed by one byte is "tidak sesuai".
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqr from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { collectingLogger } from '../../common/logger.ts';
import { openStore } from '../../main/store/store.ts';
import { letterPdf } from '../support/deliveries.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { renderPage } from '../support/pdf-render.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const wait = { timeout: 30_000, interval: 200 };
const subject = 'Undangan rapat koordinasi gizi anak sekolah';

describe('the verification page behind the QR code', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let token: TestToken;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let work: string;
  let letterId: string;
  let signedPdf: Uint8Array;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    token = createTestToken();
    work = join(token.dir, 'e2e');
    mkdirSync(work);
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-verifikasi-'));
    // The front office has imported the letter for its head of office; the desk holds outgoing numbers.
    const before = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    await before.sync.auth.login('operator.dinkes', demoPassword);
    const block = await before.sync.numberBlocks.lease('out', Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), 5);
    before.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    const letter = await importOutgoingForSigning(before.store, before.blobs, {
      bytes: await letterPdf('DINAS KESEHATAN', ['Nomor : ................', `Perihal: ${subject}`, '', 'Dengan hormat, kami mengundang Saudara ke rapat koordinasi.', '', '', 'Kepala Dinas Kesehatan,', '${ttd_pengirim}']),
      fileName: 'undangan.pdf', subject, addressee: 'Kepala Dinas Pendidikan dan Kebudayaan', signer: 'user-penandatangan-dinkes',
    }, 'test');
    letterId = letter.id;
    await before.sync.auth.logout();
    await before.close();

    desk = await startDesk({ dataDir, env: { LOKET_SERVER_CA: tls.trusted.caCert, SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module } });
    browser = await launchChromium();
    // The test server's certificate comes from the test CA, which this Chromium does not know.
    page = await (await browser.newContext({ viewport: { width: 1100, height: 1000 }, locale: 'id-ID', ignoreHTTPSErrors: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await srv?.close();
    databases.stop();
    token?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the head of office signs the letter at the desk, and it reaches the server with its signature', async () => {
    await page.goto(desk.launchUrl);
    await signInOn(page, 'penandatangan.dinkes');
    await page.getByTestId('nav-tanda-tangan').click();
    await page.getByTestId('token-login').click();
    await page.getByTestId('pin-input').fill(token.pin);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId(`cert-${token.keys.rsa.id}`).check();
    // The desk syncs with a server: no warning that its QR codes cannot be checked.
    expect(await page.getByTestId('no-verification').count()).toBe(0);
    await page.getByTestId(`letter-${letterId}`).check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await expect.poll(() => page.locator('[data-outcome="signed"]').count(), wait).toBe(1);
    await expect.poll(async () => (await srv.server.db.selectFrom('letter_signatures').select('letter_id').where('letter_id', '=', letterId).execute()).length, wait).toBe(1);
  });

  it('the signed letter carries its number, and pdfsig accepts its signature', async () => {
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const letter = store.letters.get(letterId)!;
    store.close();
    signedPdf = new Uint8Array(await createBlobStore(join(dataDir, 'documents')).read(letter.documentHash!));
    writeFileSync(join(work, 'signed.pdf'), signedPdf);
    expect(letter.letterNumber).toMatch(/^\d{4}\/UMUM\/[IVX]+\/\d{4}$/);
    const words = execFileSync('pdftotext', ['-bbox', join(work, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(words).toContain(`>${letter.letterNumber}</word>`);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', join(work, 'signed.pdf'), join(work, 'signed')]);
    const sig = pdfsig(signedPdf, { work, name: 'signed-pdfsig', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ signature: 'Signature is Valid.', total: true })]);
  });

  it('its QR code opens the verification page on the server, which shows the letter\'s details', async () => {
    const image = renderPage(signedPdf, { work, name: 'qr', dpi: 150 });
    const qr = jsqr.default(image.rgba, image.width, image.height);
    expect(qr?.data).toBe(`${srv.url}/verifikasi?id=${letterId}`);
    await page.goto(qr!.data);
    await page.locator('[data-status="signed"]').waitFor();
    const field = (name: string) => page.locator(`[data-field="${name}"]`).innerText();
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const letter = store.letters.get(letterId)!;
    store.close();
    expect(await field('letterNumber')).toBe(letter.letterNumber);
    expect(await field('subject')).toBe(subject);
    expect(await field('signer')).toBe('Dr. Ahmad Fauzi');
    expect(await field('position')).toBe('Kepala Dinas Kesehatan');
    expect(await field('office')).toBe('Dinas Kesehatan');
    expect(await field('signedAt')).toMatch(/WIB$/);
    expect(await field('letterDate')).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    await page.screenshot({ path: join(screenshots, 'verifikasi.png'), fullPage: true });
  });

  it('the signed PDF dropped on the page is "sesuai"', async () => {
    // A drop as the browser delivers one: a DataTransfer holding the file.
    const transfer = await page.evaluateHandle(`(() => {
      const bytes = Uint8Array.from(atob('${Buffer.from(signedPdf).toString('base64')}'), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'undangan-ditandatangani.pdf', { type: 'application/pdf' }));
      return data;
    })()`);
    await page.locator('#jatuhkan').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('#hasil').getAttribute('data-hasil'), wait).toBe('sesuai');
    expect(await page.locator('#hasil').innerText()).toMatch(/^Sesuai\s+Berkas "undangan-ditandatangani\.pdf" sama persis dengan surat yang ditandatangani/);
    await page.screenshot({ path: join(screenshots, 'verifikasi-sesuai.png'), fullPage: true });
  });

  it('a copy changed by one byte is "tidak sesuai"', async () => {
    const changed = Buffer.from(signedPdf);
    changed[Math.floor(changed.length / 2)]! ^= 0x01;
    const path = join(work, 'diubah.pdf');
    writeFileSync(path, changed);
    await page.locator('#berkas').setInputFiles(path);
    await expect.poll(() => page.locator('#hasil').getAttribute('data-hasil'), wait).toBe('tidak-sesuai');
    expect(await page.locator('#hasil').innerText()).toMatch(/^Tidak sesuai\s+Berkas "diubah\.pdf" berbeda dari surat yang ditandatangani/);
    await page.screenshot({ path: join(screenshots, 'verifikasi-tidak-sesuai.png'), fullPage: true });
    expect(readFileSync(path).length).toBe(signedPdf.length);
  });
});
