// The signing official at the desk with remote signing, end to end: Loket started as `npm start`
// starts it, the built renderer in Debian's Chromium, the CSC v2 and BSrE-style test services on
// 127.0.0.1 over TLS with keys in SoftHSM, OpenSSL's TSA. The admin enters the CSC service and its
// client credentials in Pengaturan; the official signs in to the service in a new window (its login
// page, Izinkan, back to the desk by the loopback redirect), is told a mistyped PIN was wrong, and
// signs two letters under one authorization. Then, BSrE chosen in Pengaturan with their NIK, the
// passphrase signs two more. With BSrE down, the screen says so, and the USB token signs the last
// letter. pdfsig judges the PDFs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { openStore } from '../../main/store/store.ts';
import { startBsreTestService, type BsreTestService } from '../support/bsre-service.ts';
import { startCscTestService, type CscTestService } from '../support/csc-service.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { startTimestampAuthority, type TimestampAuthority } from '../support/trust-services.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
/** How long to wait for the desk to answer: signing, timestamping and fsyncing on a loaded machine. */
const wait = { timeout: 30_000, interval: 100 };
const subjects = ['Undangan rapat koordinasi', 'Surat edaran jam kerja', 'Nota dinas anggaran', 'Surat pengantar data', 'Surat tugas lapangan'];

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

describe('Tanda Tangan through remote signing services, in a real browser', () => {
  let token: TestToken;
  let tls: TestTls;
  let csc: CscTestService;
  let bsre: BsreTestService;
  let tsa: TimestampAuthority;
  let desk: RunningDesk;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir: string;
  let work: string;
  let nssDir: string;

  const letterBox = (subject: string) => page.locator('.tt-letters li', { hasText: subject }).locator('input[type=checkbox]');
  async function signedPdfs(subjectsSigned: string[]) {
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    try {
      const blobs = createBlobStore(join(dataDir, 'documents'));
      return await Promise.all(subjectsSigned.map(async (subject) => {
        const letter = store.letters.search(subject)[0]!;
        return { status: letter.status, pdf: new Uint8Array(await blobs.read(letter.documentHash!)) };
      }));
    } finally {
      store.close();
    }
  }

  beforeAll(async () => {
    token = createTestToken();
    tls = createTestTls();
    work = join(token.dir, 'e2e');
    mkdirSync(work);
    nssDir = createNssTrustStore(join(token.dir, 'nss'), token.ca.certPath);
    csc = await startCscTestService(token, tls);
    bsre = await startBsreTestService(token, tls);
    tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-ttr-'));
    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    for (const subject of subjects) {
      await importOutgoingForSigning(store, createBlobStore(join(dataDir, 'documents')), { bytes: await letterPdf(subject), fileName: `${subject}.pdf`, subject, addressee: 'Para Camat', signer: 'Budi Santoso' }, 'meja:uji');
    }
    store.close();
    desk = await startDesk({
      dataDir,
      env: {
        SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module, LOKET_TSA_URL: tsa.url, LOKET_SIGNING_CA: tls.trusted.caCert,
        // BSrE's address and client credentials come from the environment (a deployment's way); the CSC service's from Pengaturan.
        LOKET_BSRE_URL: bsre.url, LOKET_BSRE_CLIENT_ID: bsre.clientId, LOKET_BSRE_CLIENT_SECRET: bsre.clientSecret,
      },
    });
    browser = await launchChromium();
    // The test services' certificates come from the test CA, which this Chromium does not know.
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'id-ID', ignoreHTTPSErrors: true });
    page = await context.newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await csc?.stop();
    await bsre?.stop();
    await tsa?.stop();
    token?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the admin enters the CSC service and its client credentials in Pengaturan; the secret is shown only as saved', async () => {
    await page.getByTestId('nav-pengaturan').click();
    const section = page.getByTestId('remote-services-settings');
    await section.scrollIntoViewIfNeeded();
    await page.getByTestId('settings-cscUrl').fill('http://tte.contoh.go.id/csc/v2');
    await page.getByTestId('remote-services-save').click();
    await expect.poll(() => page.getByTestId('settings-error-cscUrl').innerText(), wait).toContain('harus diawali https://');
    await page.getByTestId('settings-cscUrl').fill(csc.url);
    await page.getByTestId('settings-csc-client-id').fill(csc.clientId);
    await page.getByTestId('settings-csc-client-secret').fill(csc.clientSecret);
    await page.getByTestId('remote-services-save').click();
    await page.getByTestId('remote-services-saved').waitFor();
    // The field is emptied and says the secret is kept once the services are read again after the save.
    await expect.poll(() => page.getByTestId('settings-csc-client-secret').getAttribute('placeholder'), wait).toContain('tersimpan');
    expect(await page.getByTestId('settings-csc-client-secret').inputValue()).toBe('');
    // BSrE from the environment: its address shows as a hint, its secret as saved.
    expect(await page.getByTestId('settings-bsreUrl').getAttribute('placeholder')).toBe(bsre.url);

    await page.getByTestId('settings-method-csc').check();
    await page.getByTestId('signing-method-save').click();
    await page.getByTestId('signing-method-saved').waitFor();
    await section.screenshot({ path: join(screenshots, 'pengaturan-tanda-tangan-jarak-jauh.png') });
  });

  it('the official signs in to the CSC service in a new window and comes back to their credentials', async () => {
    await page.getByTestId('nav-tanda-tangan').click();
    await expect.poll(() => page.getByTestId('method-csc').isChecked(), wait).toBe(true);
    const popup = context.waitForEvent('page');
    await page.getByTestId('csc-login').click();
    const login = await popup;
    await login.getByTestId('csc-username').fill(csc.user.username);
    await login.getByTestId('csc-password').fill(csc.user.password);
    await login.getByTestId('csc-allow').click();
    await expect.poll(() => login.locator('h1').innerText(), wait).toBe('Berhasil masuk');
    await login.close();
    await page.getByTestId('csc-signed-in').waitFor();
    expect(await page.getByTestId(`cert-refusal-${csc.credentials.expired.id}`).innerText()).toContain('kedaluwarsa');
    await page.getByTestId(`cert-${csc.credentials.rsa.id}`).check();
    expect(await page.getByTestId('certificate-identity').innerText()).toContain('Budi Santoso');
  });

  it('two letters are signed under ONE authorization after the official is told a mistyped PIN was wrong', async () => {
    const authorizations = csc.authorizations().length;
    await letterBox(subjects[0]!).check();
    await letterBox(subjects[1]!).check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await page.getByTestId('secret-pin').fill('999999');
    await page.getByTestId('secret-otp').fill(csc.otp());
    await page.getByTestId('secret-submit').click();
    await expect.poll(() => page.getByTestId('secret-error').getAttribute('data-code'), wait).toBe('REMOTE_PIN_INCORRECT');
    expect(await page.getByTestId('secret-error').innerText()).toMatch(/^PIN sertifikat di layanan tanda tangan salah/);
    await page.getByTestId('secret-pin').fill(csc.credentials.rsa.pin);
    await page.getByTestId('secret-otp').fill(csc.otp());
    await page.getByTestId('secret-submit').click();
    await expect.poll(async () => page.locator('[data-outcome="signed"]').count(), wait).toBe(2);
    expect(await page.getByTestId('batch-results').innerText()).toContain('dengan cap waktu tepercaya');
    expect(csc.authorizations().length - authorizations).toBe(1);
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-csc.png') });

    for (const [i, signed] of (await signedPdfs(subjects.slice(0, 2))).entries()) {
      expect(signed.status).toBe('signed');
      expect(pdfsig(signed.pdf, { work, name: `e2e-csc-${i}`, nssDir }).signatures.map((s) => [s.signature, s.certificate, s.total])).toEqual([['Signature is Valid.', 'Certificate is Trusted.', true]]);
    }
  });

  it('with BSrE chosen in Pengaturan with their NIK, the passphrase signs two more letters', async () => {
    await page.getByTestId('nav-pengaturan').click();
    await page.getByTestId('settings-method-bsre').check();
    await page.getByTestId('settings-nik').fill(bsre.holders.budi.nik);
    await page.getByTestId('signing-method-save').click();
    await page.getByTestId('signing-method-saved').waitFor();

    await page.getByTestId('nav-tanda-tangan').click();
    await expect.poll(() => page.getByTestId('method-bsre').isChecked(), wait).toBe(true);
    await expect.poll(() => page.getByTestId('certificate-identity').innerText(), wait).toContain('Budi Santoso');
    await letterBox(subjects[2]!).check();
    await letterBox(subjects[3]!).check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await page.getByTestId('secret-passphrase').fill(bsre.holders.budi.passphrase);
    await page.getByTestId('secret-submit').click();
    await expect.poll(async () => page.locator('[data-outcome="signed"]').count(), wait).toBe(2);
    expect(await page.getByTestId('batch-results').innerText()).toContain('dengan cap waktu tepercaya');
    await page.screenshot({ path: join(screenshots, 'tanda-tangan-bsre.png') });

    for (const [i, signed] of (await signedPdfs(subjects.slice(2, 4))).entries()) {
      expect(pdfsig(signed.pdf, { work, name: `e2e-bsre-${i}`, nssDir }).signatures.map((s) => [s.signature, s.certificate, s.total])).toEqual([['Signature is Valid.', 'Certificate is Trusted.', true]]);
    }
  });

  it('with BSrE down the screen says so and the letter keeps waiting; the USB token then signs it', async () => {
    bsre.setReachable(false);
    try {
      await page.getByTestId('method-token').check();
      await page.getByTestId('method-bsre').check();
      await expect.poll(() => page.getByTestId('bsre-refusal').getAttribute('data-code'), wait).toBe('REMOTE_SERVICE_UNREACHABLE');
      expect(await page.getByTestId('bsre-refusal').innerText()).toContain('token USB');
      expect(await page.getByTestId('sign-button').isDisabled()).toBe(true);
    } finally {
      bsre.setReachable(true);
    }
    await page.getByTestId('method-token').check();
    await page.getByTestId('token-login').click();
    await page.getByTestId('pin-input').fill(token.pin);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('token-open').waitFor();
    await page.getByTestId(`cert-${token.keys.rsa.id}`).check();
    await letterBox(subjects[4]!).check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await expect.poll(async () => page.locator('[data-outcome="signed"]').count(), wait).toBe(1);
    await page.getByTestId('no-letters').waitFor();
    const [signed] = await signedPdfs(subjects.slice(4));
    expect(pdfsig(signed!.pdf, { work, name: 'e2e-token', nssDir }).signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);
  });
});
