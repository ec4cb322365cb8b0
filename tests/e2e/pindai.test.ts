// Pindai end to end: Loket started as `npm start` starts it on a machine without a scanner, so
// the core offers SANE's test backend as "Pemindai uji (demo)". Three pages are scanned from the
// UI on three paper sizes (so each page is recognisable in the PDF; the last in colour), put in order by keyboard and
// by dragging, one is deleted, and the saved PDF is rendered with poppler to check what is in it.
// A page, and then the whole letter, is downloaded as JPG files (one regulation asks for JPG).
// Then a network scanner (the eSCL test rig over HTTPS) is added by its address: it is listed
// with its name and where it is (the demo gives way to it), both sides of its feeder are scanned,
// and after a restart the desk still offers it, first. The SANE parts are skipped on a desk without
// SANE; the network scanner's part is not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { startEsclRig, type EsclRig } from '../support/escl-rig.ts';
import { withoutSane } from '../support/sane-test-backend.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** What a downloaded JPG says of itself: JFIF density (dots per inch) and the frame's size. */
async function jpegFacts(download: Download): Promise<{ name: string; dpi: number; width: number; height: number }> {
  const jpeg = readFileSync(await download.path());
  expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  let dpi = 0;
  for (let at = 2; at + 9 < jpeg.length; at += 2 + jpeg.readUInt16BE(at + 2)) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xe0 && jpeg.toString('latin1', at + 4, at + 9) === 'JFIF\0' && jpeg[at + 11] === 1) dpi = jpeg.readUInt16BE(at + 12);
    if (marker === 0xc0 || marker === 0xc2) return { name: download.suggestedFilename(), dpi, height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
  }
  throw new Error(`${download.suggestedFilename()}: no JPEG frame`);
}

describe('Pindai in a real browser', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let rig: EsclRig | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pindai-'));
    // No SANE_CONFIG_DIR of the test runner's: the desk sets up its own demo configuration.
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 960 }, locale: 'id-ID', acceptDownloads: true })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await rig?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const pageIds = () => page.getByTestId('pindai-page').evaluateAll((items) => items.map((i) => (i as unknown as { getAttribute(name: string): string | null }).getAttribute('data-page-id') ?? ''));

  async function scanOn(paper: 'a4' | 'f4' | 'letter', expectedPages: number) {
    await page.getByTestId('pindai-paper').selectOption(paper);
    await page.getByTestId('pindai-start').click();
    await expect.poll(() => page.getByTestId('pindai-page').count(), { timeout: 60_000 }).toBe(expectedPages);
    await page.getByTestId('pindai-start').waitFor();
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 30_000 }).toBe(expectedPages);
  }

  it.skipIf(withoutSane !== undefined)('scans three pages, reorders them by keyboard and by dragging, deletes one, and saves them as one PDF in that order', async () => {
    await page.goto(desk.launchUrl);
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('screen-pindai').waitFor();
    const scanner = page.getByTestId('pindai-scanner');
    await scanner.waitFor({ timeout: 60_000 });
    expect(await scanner.locator('option:checked').innerText()).toBe('Pemindai uji (demo)');
    // The test backend has glass and feeder, no duplex: said so, not hidden.
    expect(await page.getByTestId('pindai-source-duplex').isDisabled()).toBe(true);
    expect(await page.locator('.pindai-choice.unavailable').innerText()).toContain('tidak tersedia');

    await page.getByTestId('pindai-source-flatbed').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('100');
    await scanOn('a4', 1);
    await scanOn('f4', 2);
    await page.getByTestId('pindai-mode').selectOption('color');
    await scanOn('letter', 3);
    const [a4, f4, letter] = (await pageIds()) as [string, string, string];
    expect(await page.getByTestId('pindai-summary').innerText()).toBe('3 halaman · 1 surat');

    // "Unduh JPG" on the F4 page: a JPEG file of that page, named by its number, F4-sized at 100 dpi.
    const pageJpeg = page.waitForEvent('download');
    // Found as a screen reader names it: the page's number is in the button's name.
    await page.getByRole('button', { name: 'Unduh JPG halaman 2', exact: true }).click();
    const f4Jpeg = await jpegFacts(await pageJpeg);
    expect(f4Jpeg).toMatchObject({ name: 'halaman-2.jpg', dpi: 100 });
    // F4 is 215 × 330 mm: about 846 × 1299 pixels at 100 dpi.
    expect(Math.abs(f4Jpeg.width - 846)).toBeLessThan(4);
    expect(Math.abs(f4Jpeg.height - 1299)).toBeLessThan(4);
    // The whole letter by keyboard (Tab to the link on its first page, Enter): one JPG per page, in order.
    const letterJpegs: Download[] = [];
    const collect = (d: Download) => letterJpegs.push(d);
    page.on('download', collect);
    await page.locator(`[data-page-id="${a4}"]`).getByTestId('pindai-page-replace').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('pindai-letter-jpeg');
    await page.keyboard.press('Enter');
    await expect.poll(() => letterJpegs.length, { timeout: 30_000 }).toBe(3);
    page.off('download', collect);
    const letterFacts = await Promise.all(letterJpegs.map(jpegFacts));
    expect(letterFacts.map((f) => f.name)).toEqual(['surat-1-halaman-1.jpg', 'surat-1-halaman-2.jpg', 'surat-1-halaman-3.jpg']);
    // The colour Letter page keeps its 100 dpi (colour pages are reduced to 150 dpi at most): 850 × 1100.
    expect(letterFacts[2]).toMatchObject({ dpi: 100 });
    expect(Math.abs(letterFacts[2]!.width - 850)).toBeLessThan(4);

    // Keyboard: the Letter page to the front (Alt + ← twice).
    await page.locator(`[data-page-id="${letter}"]`).focus();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(pageIds).toEqual([a4, letter, f4]);
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(pageIds).toEqual([letter, a4, f4]);
    // Drag: the F4 page onto the second place.
    await page.locator(`[data-page-id="${f4}"]`).dragTo(page.locator(`[data-page-id="${a4}"]`));
    await expect.poll(pageIds).toEqual([letter, f4, a4]);
    // Delete the A4 page: it stays visible, dimmed and restorable, but is left out of the letter.
    await page.locator(`[data-page-id="${a4}"]`).getByTestId('pindai-page-delete').click();
    await expect.poll(() => page.locator(`[data-page-id="${a4}"]`).getAttribute('data-excluded')).toBe('deleted');
    expect(await page.getByTestId('pindai-summary').innerText()).toContain('2 halaman · 1 surat');

    await page.getByTestId('pindai-save').click();
    const saved = page.getByTestId('pindai-saved');
    await saved.waitFor({ timeout: 60_000 });
    expect(await saved.innerText()).toContain('Tersimpan: 1 surat (2 halaman)');
    const [documentId] = (await saved.getAttribute('data-document-ids'))!.split(' ') as [string];
    expect(documentId).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('pindai-page').count()).toBe(0);

    // The PDF in the content-addressed store: two pages, Letter then F4, rendered by poppler.
    const pdf = join(dataDir, 'documents', documentId.slice(0, 2), documentId.slice(2, 4), documentId);
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '2', pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+2\n/);
    // Letter is 612 × 792 pt, F4 609 × 935 pt (the scanner truncates to whole lines at 100 dpi).
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(sizes).toHaveLength(2);
    for (const [[width, height], [expectedWidth, expectedHeight]] of sizes.map((s, i) => [s, ([[612, 792], [609, 935]] as const)[i]!] as const)) {
      expect(Math.abs(width - expectedWidth)).toBeLessThan(2);
      expect(Math.abs(height - expectedHeight)).toBeLessThan(2);
    }
    const out = mkdtempSync(join(tmpdir(), 'loket-pindai-render-'));
    try {
      execFileSync('pdftoppm', ['-png', '-r', '50', pdf, join(out, 'page')]);
      const rendered = readdirSync(out).sort().map((f) => pngSize(join(out, f)));
      // Letter is 8.5 × 11 in, F4 215 × 330 mm: at 50 dpi about 425 × 550 and 423 × 650 pixels.
      expect(rendered).toHaveLength(2);
      expect(rendered[0]!.height).toBeLessThan(560);
      expect(rendered[1]!.height).toBeGreaterThan(640);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it.skipIf(withoutSane !== undefined)('keeps the pages scanned before the scanner driver crashes mid-batch, says so, and scans again once it is back', async () => {
    await page.getByTestId('pindai-source-adf').check();
    await page.getByTestId('pindai-mode').selectOption('color');
    await page.getByTestId('pindai-resolution').selectOption('300');
    await page.getByTestId('pindai-paper').selectOption('a4');
    await page.getByTestId('pindai-start').click();
    // The feeder is on its second sheet: freeze the device worker there, then kill it (a backend crashing).
    await expect.poll(() => page.getByTestId('pindai-progress').innerText().catch(() => ''), { timeout: 60_000 }).toContain('halaman 2');
    const worker = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(desk.process.pid)], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.includes('devices/worker'));
    const pid = Number(worker?.trim().split(/\s+/)[0]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGSTOP');
    process.kill(pid, 'SIGKILL');

    const fault = page.getByTestId('pindai-fault');
    await fault.waitFor({ timeout: 60_000 });
    const message = await fault.innerText();
    const kept = /^Proses pemindai berhenti mendadak — halaman 1(?:–(\d+))? sudah tersimpan\./.exec(message);
    expect(kept, message).not.toBeNull();
    const pages = Number(kept![1] ?? 1);
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(pages);

    // The worker comes back by itself; the next scan adds to the pages kept.
    await page.getByTestId('pindai-source-flatbed').check();
    await page.getByTestId('pindai-resolution').selectOption('100');
    await page.getByTestId('pindai-start').click();
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(pages + 1);
    expect(await page.getByTestId('pindai-fault').count()).toBe(0);
  });

  it('lists a network scanner added by its address, with its name and where it is, scans both sides of its feeder, and offers it first after a restart', async () => {
    rig = await startEsclRig({ makeAndModel: 'Kantor MFP 4100', https: true, sheets: 2 });
    await page.goto(desk.launchUrl);
    await page.getByTestId('nav-pindai').click();
    await page.getByTestId('screen-pindai').waitFor();
    // Pages left by the scans before: put aside, so the stack shows this scanner's (once the session is read: until then none show).
    await page.locator('[data-testid="pindai-summary"][data-session="loaded"]').waitFor();
    if (await page.getByTestId('pindai-page').count() > 0) {
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Buang semua' }).click();
      await expect.poll(() => page.getByTestId('pindai-page').count()).toBe(0);
    }
    await page.getByTestId('pindai-network').locator('summary').click();
    await page.getByTestId('pindai-network-url').fill(`https://127.0.0.1:${rig.port}`);
    await page.getByTestId('pindai-network-add').click();
    const scanner = page.getByTestId('pindai-scanner');
    await expect.poll(() => scanner.locator('option:checked').innerText().catch(() => ''), { timeout: 60_000 }).toBe('Kantor MFP 4100 (127.0.0.1)');
    // A real scanner is listed: the demo gives way.
    expect(await scanner.locator('option').allInnerTexts()).toEqual(['Kantor MFP 4100 (127.0.0.1)']);
    const where = await page.getByTestId('pindai-scanner-where').innerText();
    expect(where).toContain('Pemindai jaringan di 127.0.0.1 · eSCL/AirScan lewat HTTPS');
    expect(where).toContain(`Sidik jari sertifikat: ${rig.certificateSha256()!.slice(0, 23)}…`);
    // Remembered with its certificate, pinned when the desk first reached it.
    const remembered = page.getByTestId('pindai-network-scanner');
    await expect.poll(() => remembered.count()).toBe(1);
    // What the search learnt is remembered once it has ended (the scanner itself is offered as soon as its driver answers).
    await expect.poll(() => remembered.innerText(), { timeout: 30_000 }).toContain('Kantor MFP 4100 (127.0.0.1)');
    expect(await remembered.innerText()).toContain(`Sertifikat dipercaya sejak pertama tersambung, sidik jari:\n${rig.certificateSha256()}`);

    await page.getByTestId('pindai-source-duplex').check();
    await page.getByTestId('pindai-mode').selectOption('gray');
    await page.getByTestId('pindai-resolution').selectOption('100');
    await page.getByTestId('pindai-paper').selectOption('a4');
    await page.getByTestId('pindai-start').click();
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(4);
    await page.getByTestId('pindai-start').waitFor();
    expect(await page.getByTestId('pindai-summary').innerText()).toBe('4 halaman · 1 surat');
    expect(rig.jobs.map((j) => [j.settings.inputSource, j.settings.duplex, j.settings.resolution])).toEqual([['Feeder', true, 100]]);
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({ path: join(screenshots, 'pindai.png'), fullPage: true });

    // The desk is closed and opened again: the scanner is offered first, nothing entered again.
    await desk.stop();
    desk = await startDesk({ dataDir, env: { SANE_CONFIG_DIR: '' } });
    await page.goto(desk.launchUrl);
    await page.getByTestId('nav-pindai').click();
    await expect.poll(() => page.getByTestId('pindai-scanner').locator('option:checked').innerText().catch(() => ''), { timeout: 60_000 }).toBe('Kantor MFP 4100 (127.0.0.1)');
    // The four pages scanned before the restart are still the session's.
    await expect.poll(() => page.locator('[data-testid="pindai-page"] img').count(), { timeout: 60_000 }).toBe(4);
  });
});
