// Delegasi end to end (the browser host, Debian's Chromium, one server): the admin kantor of the Dinas
// Kesehatan opens Delegasi, is told a Plt cannot be made for a position that has its holder, makes the
// Sekretaris Plh of the Kepala Dinas with the head's approval, sees it in effect once synced; at the
// Sekretaris's desk the delegation shows among those in effect, without the admin's form.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, type OfficeDesks } from '../support/office-desks.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('Delegasi', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let browser: Browser;
  let office: OfficeDesks;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'delegasi' });
  });
  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the admin makes the Sekretaris Plh of the Kepala Dinas, and her desk shows it in effect', async () => {
    const admin = await office.signIn(await office.deskFor(), 'admin.dinkes', { width: 1280, height: 1000 });
    await admin.getByTestId('nav-delegasi').click();
    await admin.getByTestId('screen-delegasi').waitFor();
    const form = admin.getByTestId('delegation-form');
    await form.waitFor({ timeout: 20_000 });
    // The structure reaches the desk with the first sync.
    await expect.poll(async () => (await admin.getByTestId('delegation-position').locator('option').count()), { timeout: 20_000 }).toBeGreaterThan(5);
    await admin.getByTestId('delegation-position').selectOption('position-dinkes-penandatangan');
    await expect.poll(() => form.innerText()).toContain('Dijabat Dr. Ahmad Fauzi: pilih Plh.');
    await admin.getByTestId('delegation-kind-plt').check();
    await admin.getByTestId('delegation-delegate').selectOption('user-verifikator-dinkes');
    const today = localDate(new Date(), 'Asia/Jakarta');
    const later = localDate(new Date(Date.now() + 3 * 86_400_000), 'Asia/Jakarta');
    await admin.getByTestId('delegation-from').fill(today);
    await admin.getByTestId('delegation-until').fill(later);
    await admin.getByTestId('delegation-reason').fill('Cuti tahunan');
    await admin.getByTestId('delegation-approver').fill('Dr. Ahmad Fauzi');
    await admin.getByTestId('delegation-approver-position').fill('Kepala Dinas Kesehatan');
    await admin.getByTestId('delegation-approved-on').fill(today);
    await admin.getByTestId('delegation-reference').fill('800/41/Dinkes/2026');
    await admin.getByTestId('delegation-submit').click();
    await expect.poll(() => admin.getByTestId('delegation-form-error').innerText()).toContain('masih dijabat Dr. Ahmad Fauzi');

    await admin.getByTestId('delegation-kind-plh').check();
    await admin.getByTestId('delegation-submit').click();
    const row = admin.getByTestId('delegations-current').getByTestId('delegation-row');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Kepala Dinas Kesehatan[\s\S]*Plh\. Sri Handayani[\s\S]*800\/41\/Dinkes\/2026/);
    // Sent at the next sync; the row is then the server's.
    await expect.poll(() => admin.getByTestId('delegation-pending').count(), { timeout: 30_000 }).toBe(0);
    await admin.screenshot({ path: join(screenshots, 'delegasi.png'), fullPage: true });

    const sekretaris = await office.signIn(await office.deskFor(), 'verifikator.dinkes', { width: 1280, height: 1000 });
    await sekretaris.getByTestId('nav-delegasi').click();
    const mine = sekretaris.getByTestId('delegations-current').getByTestId('delegation-row');
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.innerText()).toContain('Plh. Sri Handayani');
    expect(await sekretaris.getByTestId('delegation-form').count()).toBe(0);
    expect(await sekretaris.getByTestId('delegation-end').count()).toBe(0);
  });
});
