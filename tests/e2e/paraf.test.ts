// Paraf at three desks with one server (the browser host in Debian's Chromium, a SoftHSM token): the
// staff member drafts a nota dinas from its template by keyboard, reads the preview and sends it to
// the Sekretaris for paraf with the head as signer; the Sekretaris opens it from her to-do, reads the
// letter and the trail, is told a return needs notes, and returns it with notes; the drafter sees the
// notes in her to-do, fixes the text and sends it again; the Sekretaris compares the two versions (the
// fixed words shown), loses her network and initials it anyway — the paraf waits in her outbox and
// lands once the network is back; the head signs it with the token in Tanda Tangan. Throughout, the
// chain names the head as its signer, apart from the verifiers. The signed PDF is the letter rendered
// afresh with its number and date (no placeholder or blank left in its text), drawn by poppler with the
// letterhead, the number, the date and the stamp with its QR in the signature block inside the
// margins; pdfsig accepts the signature.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { layout } from '../../main/letters/drafting/render.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { letterDateText } from '../../main/letters/drafting/indonesian.ts';
import { openStore } from '../../main/store/store.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, type OfficeDesk, type OfficeDesks } from '../support/office-desks.ts';
import { darkPixels, renderPage } from '../support/pdf-render.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const wait = { timeout: 45_000, interval: 200 };
const hal = 'Laporan Kesiapan Posyandu Bulan Maret';
const note = 'Jumlah posyandu aktif belum ditulis; lengkapi angkanya sebelum diparaf.';

/** Submits the draft open at `page` and waits until it is sent; a refusal fails the test with what the drafter read. */
async function submitDraft(page: Page): Promise<void> {
  await page.getByTestId('kn-submit').click();
  await page.locator('[data-testid="kn-submitted"], [data-testid="kn-error"]').first().waitFor(wait);
  if (await page.getByTestId('kn-error').count() > 0) throw new Error(`submitting was refused: ${await page.getByTestId('kn-error').innerText()}`);
}

describe('Paraf: drafter, verifier and signer at three desks', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let token: TestToken;
  let browser: Browser;
  let office: OfficeDesks;
  let verifierDesk: OfficeDesk;
  let signerDesk: OfficeDesk;
  let drafter: Page;
  let verifier: Page;
  let signer: Page;
  let draftId: string;
  let work: string;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    token = createTestToken();
    work = join(token.dir, 'e2e');
    mkdirSync(work);
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'paraf' });
    const drafterDesk = await office.deskFor();
    verifierDesk = await office.deskFor({ cuttable: true });
    // The head's desk holds numbers of the outgoing book, leased the day before.
    signerDesk = await office.deskFor({
      env: { SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module },
      async prepare(desk) {
        seedClassifications(desk.store);
        await desk.sync.auth.login('penandatangan.dinkes', demoPassword);
        const block = await desk.sync.numberBlocks.lease('out', Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), 5);
        desk.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
        await desk.sync.auth.logout();
      },
    });
    drafter = await office.signIn(drafterDesk, 'staf.dinkes', { width: 1400, height: 1000 });
    verifier = await office.signIn(verifierDesk, 'verifikator.dinkes', { width: 1400, height: 1000 });
    signer = await office.signIn(signerDesk, 'penandatangan.dinkes', { width: 1400, height: 1000 });
  });

  // A failed step leaves a picture of each desk for whoever reads the failure.
  beforeEach(() => {
    onTestFailed(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'loket-e2e-paraf-failed-'));
      for (const [name, page] of [['pembuat', drafter], ['verifikator', verifier], ['penandatangan', signer]] as const) {
        await page?.screenshot({ path: join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
      }
      console.error(`the desks at the failure: ${dir}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    token?.cleanup();
  });

  it('the drafter writes a nota dinas from its template by keyboard, reads the preview and sends it to the Sekretaris', async () => {
    await drafter.getByTestId('nav-konsep').click();
    await drafter.getByTestId('kn-type').selectOption('nota_dinas');
    await drafter.getByTestId('kn-create').click();
    await drafter.getByTestId('screen-konsep-edit').waitFor();
    draftId = /#\/konsep\/([0-9a-f-]{36})/.exec(drafter.url())![1]!;
    await drafter.keyboard.type(hal);
    await drafter.keyboard.press('Tab');
    await drafter.keyboard.type('Kepala Dinas Kesehatan');
    await drafter.keyboard.press('Tab');
    await drafter.keyboard.type('Kepala Seksi Kesehatan Keluarga');
    await drafter.getByTestId('kn-body').focus();
    await drafter.keyboard.press('Control+A');
    await drafter.keyboard.type('Dengan hormat, kami laporkan kesiapan posyandu bulan Maret:\n\n1. Kader telah dilatih.\n2. Timbangan telah dikalibrasi.\n\nDemikian kami sampaikan.');
    await drafter.getByTestId('kn-position').fill('Kepala Dinas Kesehatan');
    await drafter.getByTestId('kn-name').fill('Dr. Ahmad Fauzi');
    await expect.poll(() => drafter.getByTestId('kn-save-state').getAttribute('data-state'), wait).toBe('saved');
    const saved = await drafter.getByTestId('kn-save-state').getAttribute('data-version');
    await expect.poll(() => drafter.getByTestId('kn-preview').getAttribute('data-version'), wait).toBe(saved);
    await expect.poll(() => drafter.getByTestId('pdf-preview').getAttribute('data-drawn'), wait).toBe('1');

    await drafter.getByTestId('kn-verifier-1').selectOption('position-dinkes-verifikator');
    await drafter.getByTestId('kn-signer').selectOption('user-penandatangan-dinkes');
    // The chain as chosen, in its order: the Sekretaris to paraf, then the head marked as the one who signs.
    expect(await drafter.getByTestId('kn-chain').locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Verifikator 1 Sekretaris Dinas Kesehatan — Sri Handayani/), expect.stringMatching(/^Penanda tangan Dr\. Ahmad Fauzi/),
    ]);
    expect(await drafter.getByTestId('kn-chain-signer').getAttribute('data-role')).toBe('signer');
    await submitDraft(drafter);
    await drafter.getByTestId('nav-beranda').click();
    const sent = drafter.getByTestId('pf-sent').filter({ hasText: hal });
    await expect.poll(() => sent.getAttribute('data-state'), wait).toBe('in_review');
  });

  it('the Sekretaris reads it from her to-do and returns it with notes (notes are required)', async () => {
    const item = verifier.getByTestId('pf-to-verify').filter({ hasText: hal });
    await item.waitFor(wait);
    await item.getByTestId('pf-open').click();
    await verifier.getByTestId('screen-paraf').waitFor();
    await expect.poll(() => verifier.getByTestId('pdf-preview').getAttribute('data-drawn'), wait).toBe('1');
    const trail = verifier.getByTestId('pf-step');
    expect(await trail.count()).toBe(1);
    expect(await trail.first().innerText()).toMatch(/^Diajukan — Pembuat konsep Dewi Lestari · .*20\d\d.*WIB · Versi \d+$/);
    // The chain: her own step, then the head, marked as the signer and waiting for every paraf.
    const chainSigner = verifier.getByTestId('pf-chain-signer');
    expect(await chainSigner.innerText()).toMatch(/^Penanda tangan Dr\. Ahmad Fauzi — menandatangani setelah paraf lengkap$/);
    expect(await verifier.getByTestId('pf-chain').locator('li[data-role="verifier"]').allInnerTexts()).toEqual([expect.stringMatching(/^Verifikator 1 Sekretaris Dinas Kesehatan — gilirannya$/)]);

    // By keyboard: the note field, then the return button.
    await verifier.getByTestId('pf-return').focus();
    await verifier.keyboard.press('Enter');
    await verifier.getByTestId('pf-note-missing').waitFor();
    expect(await verifier.locator(':focus').getAttribute('data-testid')).toBe('pf-note');
    await verifier.keyboard.type(note);
    await verifier.getByTestId('pf-return').click();
    await expect.poll(() => verifier.getByTestId('pf-decided').getAttribute('data-verdict'), wait).toBe('return');
    // Her turn is over: the decision's fields are closed, her note still in view.
    await expect.poll(() => verifier.getByTestId('pf-return').isDisabled(), wait).toBe(true);
  });

  it('the drafter sees the notes in her to-do, fixes the text and sends it again', async () => {
    const sent = drafter.getByTestId('pf-sent').filter({ hasText: hal });
    await expect.poll(() => sent.getAttribute('data-state'), wait).toBe('returned');
    expect(await sent.getByTestId('pf-sent-note').innerText()).toContain(note);
    await sent.getByTestId('pf-fix').click();
    await drafter.getByTestId('screen-konsep-edit').waitFor();
    expect(await drafter.getByTestId('kn-return-note').innerText()).toContain(note);
    const body = drafter.getByTestId('kn-body');
    await body.fill((await body.inputValue()).replace('1. Kader telah dilatih.', '1. Sebanyak 42 posyandu aktif dan kadernya telah dilatih.'));
    await expect.poll(() => drafter.getByTestId('kn-save-state').getAttribute('data-state'), wait).toBe('saved');
    await drafter.getByTestId('kn-verifier-1').selectOption('position-dinkes-verifikator');
    await drafter.getByTestId('kn-signer').selectOption('user-penandatangan-dinkes');
    await submitDraft(drafter);
  });

  it('the Sekretaris compares the versions, initials it offline, and the paraf lands when her network is back', async () => {
    await verifier.getByTestId('pf-back').click();
    const item = verifier.getByTestId('pf-to-verify').filter({ hasText: hal });
    await item.waitFor(wait);
    await item.getByTestId('pf-open').click();
    await verifier.getByTestId('pf-decision').waitFor(wait);
    expect(await verifier.getByTestId('pf-step').count()).toBe(3);
    expect(await verifier.getByTestId('pf-step-note').innerText()).toBe(note);
    // The version she returned against the one sent again (the comparison offered first): only the body changed, the new words marked.
    const returnedVersion = /Versi (\d+)/.exec(await verifier.locator('[data-testid="pf-step"][data-action="return"] .dp-meta').innerText())![1]!;
    expect(await verifier.getByTestId('pf-compare-from').inputValue()).toBe(returnedVersion);
    await verifier.getByTestId('pf-compare').click();
    const changed = verifier.getByTestId('pf-diff-field');
    await changed.first().waitFor();
    expect(await changed.count()).toBe(1);
    expect(await changed.getAttribute('data-field')).toBe('body');
    expect(await changed.locator('ins').allInnerTexts()).toEqual([expect.stringContaining('42 posyandu aktif')]);
    expect(await changed.locator('del').allInnerTexts()).toEqual([expect.stringContaining('Kader')]);
    await expect.poll(() => verifier.getByTestId('pdf-preview').getAttribute('data-drawn'), wait).toBe('1');
    await verifier.screenshot({ path: join(screenshots, 'paraf.png'), fullPage: true });

    verifierDesk.link!.cut();
    await verifier.getByTestId('pf-note').fill('Sudah sesuai.');
    await verifier.getByTestId('pf-approve').click();
    await expect.poll(() => verifier.getByTestId('pf-decided').getAttribute('data-verdict'), wait).toBe('approve');
    await verifier.getByTestId('nav-antrian-sinkron').click();
    const waiting = verifier.locator(`[data-testid="sync-entry"][data-entity-id="${draftId}"]`);
    await waiting.waitFor(wait);
    // Nothing reached the head while the Sekretaris was offline.
    await signer.getByTestId('nav-beranda').click();
    await signer.getByTestId('paraf-saya').waitFor(wait);
    expect(await signer.getByTestId('pf-to-sign').count()).toBe(0);

    verifierDesk.link!.restore();
    await expect.poll(() => waiting.count(), wait).toBe(0);
    await signer.getByTestId('pf-to-sign').filter({ hasText: hal }).waitFor(wait);
  });

  it('the head signs it with the token; the letter shows its number, date and stamp, and pdfsig accepts it', async () => {
    await signer.getByTestId('nav-tanda-tangan').click();
    const letter = signer.locator('.tt-letter').filter({ hasText: hal }).locator('input[type="checkbox"]');
    await letter.waitFor(wait);
    // The letter made from the draft leads to its trail: the submits, the return with its notes, the paraf.
    const row = signer.locator('.tt-letter').filter({ hasText: hal });
    await row.locator('[data-testid^="trail-"]').click();
    await signer.getByTestId('screen-paraf').waitFor();
    // The screen is there before its draft is read: the trail's steps come with it.
    await signer.getByTestId('pf-step').first().waitFor(wait);
    const actions = await Promise.all((await signer.getByTestId('pf-step').all()).map((step) => step.getAttribute('data-action')));
    expect(actions).toEqual(['submit', 'return', 'submit', 'approve']);
    expect(await signer.getByTestId('pf-chain-signer').innerText()).toMatch(/^Penanda tangan Dr\. Ahmad Fauzi — gilirannya menandatangani$/);
    expect(await signer.getByTestId('pf-decision').count()).toBe(0);
    await signer.getByTestId('nav-tanda-tangan').click();
    await letter.waitFor(wait);
    await signer.getByTestId('token-login').click();
    await signer.getByTestId('pin-input').fill(token.pin);
    await signer.getByTestId('pin-submit').click();
    await signer.getByTestId('token-open').waitFor(wait);
    await signer.getByTestId(`cert-${token.keys.rsa.id}`).check();
    await letter.check();
    await signer.getByTestId('sign-button').click();
    await signer.getByTestId('sign-confirm-ok').click();
    await expect.poll(async () => (await signer.locator('[data-outcome="signed"]').count()), wait).toBe(1);

    const store = openStore(join(signerDesk.desk.dataDir, 'loket.db'), { log: collectingLogger() });
    const signed = store.letters.search('Posyandu')[0]!;
    store.close();
    expect(signed.status).toBe('signed');
    const pdf = new Uint8Array(await createBlobStore(join(signerDesk.desk.dataDir, 'documents')).read(signed.documentHash!));
    const file = join(work, 'signed.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    // The shipped letterhead (the office's own comes from the template editor).
    expect(text).toContain('PEMERINTAH KOTA DUMAI');
    expect(text).toContain(signed.letterNumber!);
    // The letter was rendered with its number and date: nothing painted over, no placeholder or blank left.
    expect(text).toMatch(new RegExp(`Tanggal\\s+:\\s+${letterDateText(signed.letterDate!)}`));
    expect(text).toMatch(new RegExp(`Nomor\\s+:\\s+${signed.letterNumber!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(text).not.toContain('${');
    expect(text).not.toContain('……');
    expect(text).toContain('42 posyandu aktif');
    // The stamp sits in the signature block: between the position and the name the page is inked.
    const words = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const top = (w: string) => Number(new RegExp(`<word xMin="[\\d.]+" yMin="([\\d.]+)"[^>]*>${w}</word>`).exec(words)?.[1]);
    const nameTop = top('Fauzi');
    const dpi = 100;
    const s = dpi / 72;
    const image = renderPage(pdf, { work, name: 'signed-render', dpi });
    const box = { x0: Math.round(layout.rightColumn * s), x1: Math.round((layout.rightColumn + 250) * s), y0: Math.round((nameTop - 90) * s), y1: Math.round((nameTop - 4) * s) };
    expect(darkPixels(image, box)).toBeGreaterThan(1_500);
    // Nothing is inked in the margins (stamp and QR included): 3 cm left, 2 cm right and top, 2.5 cm bottom.
    const page = { width: Math.round(layout.page.width * s), height: Math.round(layout.page.height * s) };
    const margins = [
      { x0: 0, x1: Math.round(layout.margin.left * s) - 2, y0: 0, y1: page.height },
      { x0: Math.round((layout.page.width - layout.margin.right) * s) + 2, x1: page.width, y0: 0, y1: page.height },
      { x0: 0, x1: page.width, y0: 0, y1: Math.round(layout.margin.top * s) - 2 },
      { x0: 0, x1: page.width, y0: Math.round((layout.page.height - layout.margin.bottom) * s) + 2, y1: page.height },
    ];
    for (const margin of margins) expect(darkPixels(image, margin), JSON.stringify(margin)).toBe(0);
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', file, join(screenshots, 'paraf-ditandatangani')]);
    const sig = pdfsig(pdf, { work, name: 'signed-pdfsig', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true })]);

    // The chain hears it was signed: the drafter's to-do says so.
    await drafter.getByTestId('nav-beranda').click();
    await expect.poll(() => drafter.getByTestId('pf-sent').filter({ hasText: hal }).getAttribute('data-state'), wait).toBe('signed');
  });
});
