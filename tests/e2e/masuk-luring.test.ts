// The admin kantor's day with the server down and back, end to end: the admin signs in while the
// server answers, signs out, and signs in again while it is down (offline, checked by this desk);
// registers a letter; when the server comes back the offline session becomes an online one by
// itself and the letter reaches the server without a second sign-in or a click — and Antrian
// Sinkron never says "Tersambung" beside a sign-in demand, nor while the server is away.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { rawWordIn } from '../support/ui-words.ts';
import { signInOn } from '../support/office-desks.ts';

async function letterPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  page.drawText('Permohonan data cakupan imunisasi dasar lengkap', { x: 72, y: 760, size: 12, font });
  return pdf.save();
}

/** What Antrian Sinkron's status panel shows right now. */
async function panel(page: Page): Promise<{ state: string | null; heading: string; error: string | null }> {
  const status = page.getByTestId('sync-status');
  const error = page.getByTestId('sync-last-error');
  return {
    state: await status.getAttribute('data-state'),
    heading: await status.locator('h2').innerText(),
    error: (await error.count()) > 0 ? await error.innerText() : null,
  };
}

describe('an offline sign-in becomes an online session by itself', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let port: number;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const subject = 'Permohonan data cakupan imunisasi dasar lengkap';

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    port = Number(new URL(srv.url).port);
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-luring-'));
    // The desk is set up for the agency's server; nobody has signed in on it yet.
    await (await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir })).close();
    writeFileSync(join(dataDir, 'surat.pdf'), await letterPdf());
    desk = await startDesk({ dataDir, env: { LOKET_SERVER_CA: tls.trusted.caCert } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await srv?.close();
    databases.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  const signIn = () => signInOn(page, 'admin.dinkes');

  it('the admin signs in while the server answers, and the desk gets its agenda numbers', async () => {
    await page.goto(desk.launchUrl);
    await signIn();
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('online');
    // The header names the signed-in person's office, although the desk's own office name is empty.
    await expect.poll(() => page.getByTestId('header-office-name').innerText()).toBe('Dinas Kesehatan');
    await expect.poll(() => srv.server.db.selectFrom('number_leases').select('id').execute().then((r) => r.length), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  it('signs out, and signs in again offline while the server is down', async () => {
    await srv.server.close();
    await page.getByTestId('logout').click();
    await signIn();
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('offline');
    await expect.poll(() => page.getByTestId('connectivity').getAttribute('data-state'), { timeout: 30_000 }).toBe('offline');
  });

  it('registers a letter while offline; Antrian Sinkron says the server cannot be reached, not "Tersambung"', async () => {
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('sm-new').click();
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    await page.getByTestId('sm-file-input').setInputFiles(join(dataDir, 'surat.pdf'));
    await expect.poll(() => page.getByTestId('sm-ocr-status').getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('sm-field-letterNumber').fill('440/87/PKM-UTR/2026');
    await page.getByTestId('sm-field-letterDate').fill('02/03/2026');
    await page.getByTestId('sm-field-sender').fill('Puskesmas Kecamatan Utara');
    await page.getByTestId('sm-field-subject').fill(subject);
    await page.getByTestId('sm-field-classificationCode').fill('440');
    await page.getByTestId('sm-save').click();
    await page.getByTestId('sm-saved').waitFor();

    await page.getByTestId('nav-antrian-sinkron').click();
    await page.getByTestId('screen-antrian-sinkron').waitFor();
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('waiting');
    const shown = await panel(page);
    expect(shown.heading).not.toContain('Tersambung');
    expect(shown.error).toContain('Server tidak dapat dihubungi');
    expect(await page.getByTestId('screen-antrian-sinkron').innerText()).toContain(subject);
    expect(rawWordIn(await page.getByTestId('screen-antrian-sinkron').innerText())).toBeUndefined();
  });

  it('when the server is back, the session goes online and the letter arrives by itself', async () => {
    srv = await startTestServer({ databases, tls, config: { port, database: srv.config.database, blobDir: srv.config.blobDir }, seed: false });
    // No click, no second sign-in: watch the panel until the queue is empty.
    const seen: Awaited<ReturnType<typeof panel>>[] = [];
    await expect.poll(async () => {
      seen.push(await panel(page));
      return page.getByTestId('sync-empty').count();
    }, { timeout: 90_000, interval: 500 }).toBe(1);
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('online');
    const last = await panel(page);
    expect(last.heading).toBe('Tersambung');
    expect(last.error).toBeNull();
    // Never a connected state beside a sign-in demand.
    for (const s of [...seen, last]) {
      if (s.heading === 'Tersambung') expect(s.error).toBeNull();
      expect(s.error ?? '').not.toContain('masuk');
    }
    const onServer = await srv.server.db.selectFrom('letters').select(['subject', 'letter_number']).where('subject', '=', subject).execute();
    expect(onServer).toEqual([{ subject, letter_number: '440/87/PKM-UTR/2026' }]);
  });

  it('the next person starts on Beranda, whose cards open their screens', async () => {
    await page.getByTestId('logout').click();
    await signIn();
    await page.getByTestId('screen-beranda').waitFor();
    await page.getByTestId('count-outbox-pending-link').click();
    await page.getByTestId('screen-antrian-sinkron').waitFor();
    await page.goBack();
    await page.getByTestId('count-incoming-total-link').click();
    await page.getByTestId('screen-surat-masuk').waitFor();
  });
});
