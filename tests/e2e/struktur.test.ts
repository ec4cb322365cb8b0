// Struktur Organisasi in Chromium through the browser host: the admin kantor of the Dinas Kesehatan
// finds the screen in her navigation (a clerk does not), adds a position under the Kepala Seksi, gives
// it Dewi as holder (Staf Pelaksana shows Dewi in its history), is refused with the server's reason
// when retiring a position that still has subordinates, and reorders the office's instructions. With
// the server away she still sees the structure, is told a change needs the server, and what she typed
// stays; when it is back the same save goes through.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, signInOn, type OfficeDesk, type OfficeDesks } from '../support/office-desks.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('Struktur Organisasi for the admin kantor', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let port: number;
  let browser: Browser;
  let office: OfficeDesks;
  let desk: OfficeDesk;
  let page: Page;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    port = Number(new URL(srv.url).port);
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'struktur' });
    desk = await office.deskFor();
  });

  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });
  const position = (title: string) => page.getByTestId('structure-position').and(page.locator(`[data-title="${title}"]`));

  it('a clerk has no Struktur Organisasi in the navigation; the admin kantor has', async () => {
    page = await office.signIn(desk, 'operator.dinkes');
    await page.getByTestId('nav-beranda').waitFor();
    expect(await page.getByTestId('nav-struktur').count()).toBe(0);
    await page.getByTestId('logout').click();
    await signInOn(page, 'admin.dinkes');
    await page.getByTestId('nav-struktur').click();
    await page.getByTestId('screen-struktur').waitFor();
    await expect.poll(() => position('Kepala Dinas Kesehatan').count(), { timeout: 20_000 }).toBe(1);
    expect(await position('Kepala Seksi Promosi Kesehatan').getByTestId('structure-holder').first().innerText()).toBe('Agus Prasetyo, S.Sos.');
  });

  it('adds a position under the Kepala Seksi and gives it a holder; the previous position keeps her in its history', async () => {
    await page.getByTestId('structure-new-title').fill('Pengelola Data Imunisasi');
    await page.getByTestId('structure-new-parent').selectOption({ label: 'Kepala Seksi Promosi Kesehatan' });
    await page.getByTestId('structure-new-save').click();
    await position('Pengelola Data Imunisasi').waitFor();
    expect(await position('Pengelola Data Imunisasi').getByTestId('structure-holder').innerText()).toBe('Kosong');

    await position('Pengelola Data Imunisasi').getByTestId('structure-assign').click();
    await page.getByTestId('structure-holder-select').selectOption({ label: 'Dewi Lestari (staf.dinkes)' });
    await page.getByTestId('structure-holder-save').click();
    await expect.poll(() => position('Pengelola Data Imunisasi').getByTestId('structure-holder').innerText()).toBe('Dewi Lestari');
    expect(await position('Staf Pelaksana').getByTestId('structure-holder').innerText()).toBe('Kosong');
    await position('Staf Pelaksana').locator('summary').click();
    expect(await position('Staf Pelaksana').getByTestId('structure-history').innerText()).toMatch(/Dewi Lestari — .+ s\.d\. /);
  });

  it('retiring a position that still has subordinates is refused with the reason, in Indonesian', async () => {
    const kasi = position('Kepala Seksi Promosi Kesehatan');
    await kasi.getByTestId('structure-retire').click();
    await kasi.getByTestId('structure-retire-confirm').click();
    const error = kasi.getByTestId('structure-position-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/masih di bawah jabatan ini: pindahkan atau pensiunkan jabatan di bawahnya lebih dulu/);
    expect(await kasi.count()).toBe(1);
  });

  it('with the server away the structure still shows, a change is refused as needing the server and the text stays; back, it saves', async () => {
    await srv.server.close();
    const instructions = page.getByTestId('structure-instruction-text');
    await page.getByTestId('structure-instruction-add').click();
    await instructions.last().fill('Hadiri dan laporkan hasilnya');
    await page.getByTestId('structure-instructions-save').click();
    const error = page.getByTestId('structure-instructions-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toContain('Server kantor sedang tidak terjangkau');
    await expect.poll(() => page.getByTestId('structure-offline').isVisible().catch(() => false), { timeout: 30_000 }).toBe(true);
    expect(await instructions.last().inputValue()).toBe('Hadiri dan laporkan hasilnya');
    expect(await position('Pengelola Data Imunisasi').count()).toBe(1);

    srv = await startTestServer({ databases, tls, config: { port, database: srv.config.database, blobDir: srv.config.blobDir }, seed: false });
    await expect.poll(() => page.getByTestId('structure-offline').count(), { timeout: 30_000 }).toBe(0);
    // An empty instruction is refused on the desk with a clear message; removing it, the list saves.
    await page.getByTestId('structure-instruction-add').click();
    await page.getByTestId('structure-instructions-save').click();
    await expect.poll(() => error.innerText()).toContain('Instruksi tidak boleh kosong');
    await page.getByTestId('structure-instruction-remove').last().click();
    await page.getByRole('button', { name: 'Naikkan Hadiri dan laporkan hasilnya' }).click();
    await page.getByTestId('structure-instructions-save').click();
    await expect.poll(() => error.count()).toBe(0);
    const saved = await instructions.evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    expect(saved.slice(-2)).toEqual(['Hadiri dan laporkan hasilnya', 'Arsipkan']);
    const onServer = await srv.server.db.selectFrom('office_disposition_instructions').select('text').where('office_id', '=', 'office-dinkes').orderBy('sort_order').execute();
    expect(onServer.map((r) => r.text).slice(-2)).toEqual(['Hadiri dan laporkan hasilnya', 'Arsipkan']);
    await page.screenshot({ path: join(screenshots, 'struktur-organisasi.png'), fullPage: true });
  });
});
