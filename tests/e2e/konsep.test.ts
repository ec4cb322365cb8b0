// Konsep end to end (the browser host, Debian's Chromium, a real SoftHSM token, OpenSSL's TSA): a
// drafter writes a nota dinas from its template by keyboard — fields, a body with a bold phrase and
// a numbered list — watches the preview drawn beside the form, is told what is still missing, and
// submits it; the official signs it in Tanda Tangan with the token; the signed PDF, drawn by
// poppler, shows the letterhead, the number and the date written where the template kept them, and
// the stamp at the signature block; pdfsig accepts the signature.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { layout } from '../../main/letters/drafting/render.ts';
import { letterDateText } from '../../main/letters/drafting/indonesian.ts';
import { openStore } from '../../main/store/store.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { darkPixels, renderPage } from '../support/pdf-render.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startTimestampAuthority, type TimestampAuthority } from '../support/trust-services.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const wait = { timeout: 30_000, interval: 100 };

describe('Konsep: a nota dinas drafted, submitted and signed', () => {
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
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-konsep-'));
    desk = await startDesk({ dataDir, env: { SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module, LOKET_TRUST_DIR: trustDir, LOKET_TSA_URL: tsa.url } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'id-ID' })).newPage();
    await page.goto(desk.launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await tsa?.stop();
    token?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the drafter writes a nota dinas from its template by keyboard, with the preview beside it', async () => {
    await page.getByTestId('nav-konsep').click();
    await page.getByTestId('kn-type').selectOption('nota_dinas');
    await page.getByTestId('kn-create').click();
    await page.getByTestId('screen-konsep-edit').waitFor();
    // The template's body is there to be replaced; the subject field has the focus.
    expect(await page.getByTestId('kn-body').inputValue()).toContain('${uraian_pertama}');
    await page.keyboard.type('Rapat Koordinasi Tanda Tangan Elektronik');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kepala Dinas Komunikasi dan Informatika');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Sekretaris Dinas Komunikasi dan Informatika');
    await page.getByTestId('kn-body').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Dengan hormat, kami laporkan bahwa ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('persiapan rapat');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(' sudah selesai:\n\n1. Undangan telah dikirim kepada seluruh Perangkat Daerah.\n2. Ruang rapat lantai 2 telah disiapkan.\n\nDemikian kami sampaikan.');
    await page.getByTestId('kn-position').fill('Sekretaris');
    await page.getByTestId('kn-name').fill('Dra. Siti Aminah, M.Si.');
    await expect.poll(() => page.getByTestId('kn-save-state').getAttribute('data-state'), wait).toBe('saved');
    // The body's markup became the letter's bold run and list.
    expect(await page.getByTestId('kn-body').inputValue()).toContain('bahwa **persiapan rapat** sudah selesai:');
    // The preview is of the version saved last, drawn.
    const saved = await page.getByTestId('kn-save-state').getAttribute('data-version');
    await expect.poll(() => page.getByTestId('kn-preview').getAttribute('data-version'), wait).toBe(saved);
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-drawn'), wait).toBe('1');
    await page.getByTestId('kn-hal').focus();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(screenshots, 'konsep.png') });
  });

  it('submitting without a signer is refused with the reason; with one, the letter waits in Tanda Tangan', async () => {
    await page.getByTestId('kn-submit').click();
    await expect.poll(() => page.getByTestId('kn-error').innerText(), wait).toContain('penandatangan');
    await page.getByTestId('kn-signer').fill('Budi Santoso');
    await page.getByTestId('kn-submit').click();
    await page.getByTestId('kn-submitted').waitFor(wait);
    expect(await page.getByTestId('kn-hal').isDisabled()).toBe(true);
  });

  it('the official signs it with the token; the signed letter shows its number, date and stamp, and pdfsig accepts it', async () => {
    await page.getByTestId('nav-tanda-tangan').click();
    await page.getByTestId('token-login').click();
    await page.getByTestId('pin-input').fill(token.pin);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('token-open').waitFor(wait);
    await page.getByTestId(`cert-${token.keys.rsa.id}`).check();
    const boxes = page.locator('[data-testid^="letter-"]');
    await expect.poll(() => boxes.count(), wait).toBe(1);
    await boxes.first().check();
    await page.getByTestId('sign-button').click();
    await page.getByTestId('sign-confirm-ok').click();
    await expect.poll(async () => (await page.locator('[data-outcome="signed"]').count()), wait).toBe(1);

    const store = openStore(join(dataDir, 'loket.db'), { log: collectingLogger() });
    const signed = store.letters.search('Koordinasi')[0]!;
    store.close();
    expect(signed.status).toBe('signed');
    const pdf = new Uint8Array(await createBlobStore(join(dataDir, 'documents')).read(signed.documentHash!));
    writeFileSync(join(work, 'signed.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(work, 'signed.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('PEMERINTAH KOTA DUMAI');
    expect(text).toContain(signed.letterNumber!);
    expect(text).toContain(letterDateText(signed.letterDate!));
    expect(text).toContain('Undangan telah dikirim');
    // Rendered afresh with its number and date: no placeholder, blank or anchor text is left under the ink.
    expect(text).not.toContain('${');
    expect(text).not.toContain('……');
    // The stamp fills the room the signature block keeps above the name.
    const words = execFileSync('pdftotext', ['-bbox', join(work, 'signed.pdf'), '-'], { encoding: 'utf8' });
    const at = (w: string) => Number(new RegExp(`<word xMin="[\\d.]+" yMin="([\\d.]+)"[^>]*>${w.replace(/[$.{}]/g, '\\$&')}</word>`).exec(words)?.[1]);
    const nameTop = at('Dra.');
    const anchorTop = nameTop - layout.stampRoom;
    const dpi = 100;
    const s = dpi / 72;
    const image = renderPage(pdf, { work, name: 'signed-render', dpi });
    const box = { x0: Math.round(layout.rightColumn * s), x1: Math.round((layout.rightColumn + 250) * s), y0: Math.round((anchorTop + 4) * s), y1: Math.round((nameTop - 4) * s) };
    expect(darkPixels(image, box)).toBeGreaterThan(1_500);
    execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', join(work, 'signed.pdf'), join(screenshots, 'konsep-ditandatangani')]);
    const sig = pdfsig(pdf, { work, name: 'signed-pdfsig', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true })]);
  });
});
