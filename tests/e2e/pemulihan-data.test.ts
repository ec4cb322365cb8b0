// Pemulihan data, end to end: a desk whose data file was damaged while it was closed opens on the
// recovery screen (Bahasa Indonesia), not on an empty or half-broken Beranda, and the admin kantor
// restores the last copy from it and lands on the Beranda with the desk's letters back. On a desk that
// works with a server, the screen asks the admin kantor's sign-in and refuses anyone else's.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { backupsDirOf } from '../../main/app/storage.ts';
import { takeBackup } from '../../main/store/health.ts';
import { openStore } from '../../main/store/store.ts';
import { generateAgenda, insertAgenda } from '../support/generated-agenda.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

/** A data folder of 400 letters with a copy of 20 November, whose file then lost a page mid-file, as a failing sector would. */
async function damagedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-pemulihan-'));
  const file = join(dataDir, 'loket.db');
  openStore(file, { log: collectingLogger() }).close();
  insertAgenda(file, generateAgenda(400));
  const store = openStore(file, { log: collectingLogger() });
  await takeBackup(store, backupsDirOf(dataDir), new Date('2026-11-20T08:30:00Z'));
  store.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(statSync(file).size / 4096 / 2) * 4096);
  closeSync(fd);
  return dataDir;
}

describe('a desk whose data file was damaged while closed', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await damagedDataDir();
    desk = await startDesk({ dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on the recovery screen, and the admin restores the last copy', async () => {
    await page.goto(desk.launchUrl);
    await page.getByTestId('screen-pemulihan').waitFor();
    expect(await page.getByTestId('pemulihan-problem').innerText()).toContain('menemukan kerusakan pada berkas data');
    expect(await page.getByTestId('screen-beranda').count()).toBe(0);
    expect(await page.getByTestId('pemulihan-backup-0').isChecked()).toBe(true);
    await page.screenshot({ path: join(screenshots, 'pemulihan-data.png') });

    await page.getByTestId('pemulihan-start').click();
    await page.getByTestId('pemulihan-confirm').click();
    await page.getByTestId('screen-beranda').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('count-incoming-total').innerText(), { timeout: 15_000 }).toMatch(/\d/);
    expect(await page.getByTestId('screen-pemulihan').count()).toBe(0);
  });
});

describe('a desk with a server whose data file was damaged while closed', () => {
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await damagedDataDir();
    desk = await startDesk({ dataDir, server: true });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks the admin kantor\'s sign-in, refuses an operator\'s, and recovers with the admin\'s', async () => {
    await page.goto(desk.launchUrl);
    await page.getByTestId('screen-pemulihan').waitFor();
    expect(await page.getByTestId('pemulihan-start').isDisabled()).toBe(true);
    await page.getByTestId('pemulihan-username').fill('operator.setda');
    await page.getByTestId('pemulihan-password').fill(demoPassword);
    await page.getByTestId('pemulihan-start').click();
    await page.getByTestId('pemulihan-confirm').click();
    expect(await page.getByTestId('pemulihan-error').innerText()).toContain('Hanya admin kantor');
    // The box's heading is inside it, below its top edge, not drawn across its border.
    const box = (await page.getByTestId('pemulihan-admin').boundingBox())!;
    const heading = (await page.getByTestId('pemulihan-admin').locator('legend').boundingBox())!;
    expect(heading.y).toBeGreaterThan(box.y + 4);
    await page.getByTestId('pemulihan-admin').screenshot({ path: join(screenshots, 'pemulihan-data-admin.png') });

    await page.getByTestId('pemulihan-username').fill('admin.setda');
    await page.getByTestId('pemulihan-start').click();
    await page.getByTestId('pemulihan-confirm').click();
    await page.getByTestId('screen-beranda').or(page.getByTestId('screen-masuk')).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('screen-pemulihan').count()).toBe(0);
  });
});
