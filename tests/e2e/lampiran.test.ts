// A draft's lampiran at the verifier's desk (the browser host in Debian's Chromium, one server): the
// staff member drafts a nota dinas (the signature block filled from the official she chooses),
// attaches a two-page PDF and sends it to the Sekretaris. Her desk never had the file: it arrives
// with her sync, and the preview she reads carries its pages. When the file is not on her desk
// (gone, and her network down so it cannot come back yet), the paraf screen says so in Indonesian
// and the preview shows a page in its place; once her network is back the file is fetched again and
// the preview has the lampiran pages once more.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, type OfficeDesk, type OfficeDesks } from '../support/office-desks.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const wait = { timeout: 45_000, interval: 200 };
const hal = 'Data Sasaran Posyandu per Kelurahan';

describe('Lampiran of a draft at the verifier\'s desk', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let browser: Browser;
  let office: OfficeDesks;
  let verifierDesk: OfficeDesk;
  let drafter: Page;
  let verifier: Page;
  let work: string;
  let lampiran: { file: string; sha256: string };
  let letterPages: number;
  /** A failure keeps the work folder (pictures of the desks) for whoever reads it. */
  let failed = false;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    work = mkdtempSync(join(tmpdir(), 'loket-e2e-lampiran-'));
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (const n of [1, 2]) doc.addPage([595.28, 841.89]).drawText(`SASARAN POSYANDU HALAMAN ${n}`, { x: 80, y: 760, size: 14, font });
    const bytes = await doc.save();
    lampiran = { file: join(work, 'sasaran posyandu.pdf'), sha256: createHash('sha256').update(bytes).digest('hex') };
    writeFileSync(lampiran.file, bytes);
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'lampiran' });
    const drafterDesk = await office.deskFor();
    verifierDesk = await office.deskFor({ cuttable: true });
    drafter = await office.signIn(drafterDesk, 'staf.dinkes', { width: 1400, height: 1000 });
    verifier = await office.signIn(verifierDesk, 'verifikator.dinkes', { width: 1400, height: 1000 });
  });

  beforeEach(() => {
    onTestFailed(async () => {
      failed = true;
      for (const [name, page] of [['pembuat', drafter], ['verifikator', verifier]] as const) {
        await page?.screenshot({ path: join(work, `${name}-gagal.png`), fullPage: true }).catch(() => undefined);
      }
      console.error(`the desks at the failure: ${work}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    if (!failed && work) rmSync(work, { recursive: true, force: true });
  });

  const blobAtVerifier = () => join(verifierDesk.desk.dataDir, 'documents', lampiran.sha256.slice(0, 2), lampiran.sha256.slice(2, 4), lampiran.sha256);
  const preview = (page: Page) => page.getByTestId('pdf-preview');

  /**
   * The preview's page count, read with its drawn page in one look: the preview is made again as the
   * draft is saved, and between two looks it may already be loading the next one (no pages yet).
   */
  async function drawnPages(page: Page): Promise<number> {
    let pages = 0;
    await expect.poll(async () => {
      const [drawn, count] = await preview(page).evaluate((figure) => {
        const el = figure as unknown as { getAttribute(name: string): string | null };
        return [el.getAttribute('data-drawn'), el.getAttribute('data-pages')];
      });
      pages = Number(count);
      return drawn !== '0' && pages > 0;
    }, wait).toBe(true);
    return pages;
  }

  async function openAtVerifier(): Promise<void> {
    await verifier.getByTestId('nav-beranda').click();
    const item = verifier.getByTestId('pf-to-verify').filter({ hasText: hal });
    await item.waitFor(wait);
    await item.getByTestId('pf-open').click();
    await verifier.getByTestId('screen-paraf').waitFor();
    await verifier.getByTestId('pf-step').first().waitFor(wait);
  }

  it('the drafter attaches a two-page PDF and sends the draft to the Sekretaris', async () => {
    await drafter.getByTestId('nav-konsep').click();
    await drafter.getByTestId('kn-type').selectOption('nota_dinas');
    await drafter.getByTestId('kn-create').click();
    await drafter.getByTestId('screen-konsep-edit').waitFor();
    await drafter.keyboard.type(hal);
    await drafter.keyboard.press('Tab');
    await drafter.keyboard.type('Kepala Dinas Kesehatan');
    await drafter.keyboard.press('Tab');
    await drafter.keyboard.type('Kepala Seksi Kesehatan Keluarga');
    await drafter.getByTestId('kn-body').focus();
    await drafter.keyboard.press('Control+A');
    await drafter.keyboard.type('Dengan hormat, bersama ini kami sampaikan data sasaran posyandu per kelurahan sebagaimana terlampir.\n\nDemikian kami sampaikan.');
    // Choosing the official from the list fills the signature block: nothing to type twice.
    await drafter.getByTestId('kn-signer').selectOption('user-penandatangan-dinkes');
    expect(await drafter.getByTestId('kn-position').inputValue()).toBe('Kepala Dinas Kesehatan');
    expect(await drafter.getByTestId('kn-name').inputValue()).toBe('Dr. Ahmad Fauzi');
    await expect.poll(() => drafter.getByTestId('kn-save-state').getAttribute('data-state'), wait).toBe('saved');
    letterPages = await drawnPages(drafter);
    await drafter.getByTestId('kn-attach').setInputFiles(lampiran.file);
    await drafter.getByTestId('kn-attachments').filter({ hasText: 'sasaran posyandu.pdf' }).waitFor(wait);
    await expect.poll(() => preview(drafter).getAttribute('data-pages'), wait).toBe(String(letterPages + 2));

    await drafter.getByTestId('kn-verifier-1').selectOption('position-dinkes-verifikator');
    await drafter.getByTestId('kn-submit').click();
    await drafter.locator('[data-testid="kn-submitted"], [data-testid="kn-error"]').first().waitFor(wait);
    expect(await drafter.getByTestId('kn-error').count()).toBe(0);
    await drafter.getByTestId('nav-beranda').click();
    await expect.poll(() => drafter.getByTestId('pf-sent').filter({ hasText: hal }).getAttribute('data-state'), wait).toBe('in_review');
  });

  it('the Sekretaris\'s desk gets the file with its sync: her preview has the lampiran pages', async () => {
    await openAtVerifier();
    await expect.poll(() => preview(verifier).getAttribute('data-pages'), wait).toBe(String(letterPages + 2));
    expect(existsSync(blobAtVerifier())).toBe(true);
    expect(await verifier.getByTestId('pf-attachments-missing').count()).toBe(0);
  });

  it('a file not on her desk is named as not downloaded yet, and fetched again once her network is back', async () => {
    verifierDesk.link!.cut();
    rmSync(blobAtVerifier());
    await openAtVerifier();
    const notice = verifier.getByTestId('pf-attachments-missing');
    await notice.waitFor(wait);
    expect(await notice.innerText()).toMatch(/^Lampiran belum terunduh ke meja ini \(1 berkas\)/);
    // One page in the lampiran's place: the letter is still there to read.
    await expect.poll(() => preview(verifier).getAttribute('data-pages'), wait).toBe(String(letterPages + 1));

    verifierDesk.link!.restore();
    await notice.waitFor({ state: 'detached', timeout: wait.timeout });
    expect(existsSync(blobAtVerifier())).toBe(true);
    await expect.poll(() => preview(verifier).getAttribute('data-pages'), wait).toBe(String(letterPages + 2));
  });
});
