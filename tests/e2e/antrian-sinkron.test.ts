// Antrian Sinkron end to end: a desk opened while its server is down lets a person who signed in
// there before in offline, shows the letters waiting to be sent, and — once the server is up —
// drains them; the one the server refuses waits under "Perlu perhatian" with the server's reason
// until the clerk corrects it, and then it arrives too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('Antrian Sinkron', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let port: number;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const letterIds: string[] = [];

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    port = Number(new URL(srv.url).port);
    // Yesterday: the clerk signed in on this desk and got a block of numbers; today the server is down.
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-sync-'));
    const yesterday = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    await yesterday.sync.auth.login('operator.dinkes', demoPassword);
    const block = await yesterday.sync.numberBlocks.lease('in', 2026, 10);
    await srv.server.close();
    letterIds.push((await yesterday.register(block.first, { subject: 'Undangan rapat koordinasi imunisasi', pdfBytes: 200_000 })).id);
    letterIds.push((await yesterday.register(block.first + 1, { subject: 'Laporan stok vaksin triwulan I', letterNumber: null })).id);
    await yesterday.close();

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

  it('asks who works at the desk, and lets a known person in offline while the server is down', async () => {
    await page.goto(desk.launchUrl);
    await page.getByTestId('screen-masuk').waitFor();
    await page.getByTestId('masuk-username').fill('admin.dinkes');
    await page.getByTestId('masuk-password').fill(demoPassword);
    await page.getByTestId('masuk-submit').click();
    expect(await page.getByTestId('masuk-error').innerText()).toContain('belum pernah masuk di meja ini');
    await page.getByTestId('masuk-username').fill('operator.dinkes');
    await page.getByTestId('masuk-password').fill(demoPassword);
    await page.getByTestId('masuk-submit').click();
    await page.getByTestId('session-badge').waitFor();
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('offline');
    expect(await page.getByTestId('session-badge').innerText()).toContain('Budi Santoso');
  });

  it('shows the letters waiting while the server is down', async () => {
    await page.getByTestId('nav-antrian-sinkron').click();
    await page.getByTestId('screen-antrian-sinkron').waitFor();
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-state')).toBe('waiting');
    expect(await page.getByTestId('sync-last-error').innerText()).toContain('Server tidak dapat dihubungi');
    const waiting = page.locator('[data-testid="sync-entry"]');
    expect(await waiting.count()).toBe(2);
    expect(await page.getByTestId('screen-antrian-sinkron').innerText()).toContain('Undangan rapat koordinasi imunisasi');
  });

  it('drains when the server comes up; a refused letter waits with the reason until it is corrected', async () => {
    srv = await startTestServer({ databases, tls, config: { port, database: srv.config.database, blobDir: srv.config.blobDir }, seed: false });
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-group-rejected').waitFor();
    await expect.poll(() => page.locator('[data-testid="sync-entry"]').count()).toBe(1);
    expect(await page.getByTestId('sync-entry-reason').innerText()).toMatch(/tidak sesuai.*\(nomor surat\)/);
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('online');
    await page.screenshot({ path: join(screenshots, 'antrian-sinkron.png'), fullPage: true });

    await page.getByTestId('sync-edit').click();
    await page.getByTestId('sync-edit-letterNumber').fill('440/112/PKM/2026');
    await page.getByTestId('sync-edit-save').click();
    await page.getByTestId('sync-empty').waitFor();
    const onServer = await srv.server.db.selectFrom('letters').select(['id', 'letter_number']).where('id', 'in', letterIds).orderBy('agenda_number').execute();
    expect(onServer).toHaveLength(2);
    expect(onServer[1]!.letter_number).toBe('440/112/PKM/2026');
  });
});
