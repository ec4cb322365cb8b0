// Kiriman dari kantor lain end to end: Dinas Kesehatan sends two letters to Dinas Pendidikan through
// the real server over TLS; at the Dinas Pendidikan desk (the browser host, Debian's Chromium) the
// clerk sees them under "Kiriman dari kantor lain" with a count badge, opens one — its PDF is
// downloaded and previewed — and registers it with "Catat ke agenda": the form comes filled from the
// sending office, the letter is saved under this office's own agenda number, and it is offered no more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { deskDeliveries, letterPdf, registerWithPdf } from '../support/deliveries.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const ctx = { origin: 'test' as const };

describe('Kiriman dari kantor lain', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let firstAgenda: number;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    // Dinas Kesehatan registers two letters and sends them to Dinas Pendidikan.
    const dinkes = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    seedClassifications(dinkes.store);
    await dinkes.sync.auth.login('operator.dinkes', demoPassword);
    const block = await dinkes.sync.numberBlocks.lease('in', 2026, 5);
    dinkes.store.agenda.addLeasedBlock({ leaseId: block.leaseId, year: block.year, first: block.first, last: block.last }, 'test');
    const sender = deskDeliveries(dinkes);
    await sender['deliveries.offices']({}, ctx);
    const letters = [
      await registerWithPdf(dinkes, await letterPdf('DINAS KESEHATAN', ['Nomor: 440/118/DINKES/2026', 'Perihal: Pelaksanaan vaksinasi anak sekolah', '', 'Dengan hormat, mohon dukungan sekolah untuk jadwal vaksinasi.'])),
      await registerWithPdf(dinkes, await letterPdf('DINAS KESEHATAN', ['Nomor: 440/131/DINKES/2026', 'Perihal: Pemeriksaan kesehatan guru'], 0), {
        letterNumber: '440/131/DINKES/2026', subject: 'Pemeriksaan kesehatan guru', urgency: 'biasa', summary: 'Jadwal pemeriksaan kesehatan berkala bagi guru SD dan SMP.',
      }),
    ];
    for (const l of letters) await sender['deliveries.send']({ letterId: l.id, toOfficeIds: ['office-disdik'] }, ctx);
    await dinkes.sync.engine.syncNow();
    await dinkes.close();

    // The Dinas Pendidikan desk: its operator signed in here before and holds a block of numbers.
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-kiriman-'));
    const before = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    await before.sync.auth.login('operator.disdik', demoPassword);
    const own = await before.sync.numberBlocks.lease('in', 2026, 10);
    before.store.agenda.addLeasedBlock({ leaseId: own.leaseId, year: own.year, first: own.first, last: own.last }, 'test');
    firstAgenda = own.first;
    await before.sync.auth.logout();
    await before.close();

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

  it('shows the letters other offices sent under their own tab, with how many wait', async () => {
    await page.goto(desk.launchUrl);
    await signInOn(page, 'operator.disdik');
    await page.getByTestId('nav-surat-masuk').click();
    await page.getByTestId('screen-surat-masuk').waitFor();
    // The badge follows the sync that signing in started.
    await expect.poll(() => page.getByTestId('km-count').innerText().catch(() => ''), { timeout: 15_000 }).toBe('2');
    await page.getByTestId('km-tab-kiriman').click();
    await page.getByTestId('screen-surat-masuk-kiriman').waitFor();
    const rows = page.getByTestId('km-row');
    expect(await rows.count()).toBe(2);
    const text = await page.getByTestId('km-list').innerText();
    expect(text).toContain('Dinas Kesehatan');
    expect(text).toContain('440/118/DINKES/2026');
    expect(text).toContain('Pelaksanaan vaksinasi anak sekolah');
    expect(text).toContain('Segera');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-kiriman.png'), fullPage: true });
  });

  it('opens one with its PDF, and Catat ke agenda registers it under this office\'s own number', async () => {
    await page.getByTestId('km-row').filter({ hasText: 'Pelaksanaan vaksinasi anak sekolah' }).click();
    await page.getByTestId('screen-surat-masuk-kiriman-lihat').waitFor();
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-drawn'), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('km-details').innerText()).toContain('Dinas Kesehatan');

    await page.getByTestId('km-register').click();
    await page.getByTestId('screen-surat-masuk-catat').waitFor();
    await expect.poll(() => page.getByTestId('sm-field-sender').inputValue()).toBe('Dinas Kesehatan');
    expect(await page.getByTestId('sm-field-letterNumber').inputValue()).toBe('440/118/DINKES/2026');
    expect(await page.getByTestId('sm-field-subject').inputValue()).toBe('Pelaksanaan vaksinasi anak sekolah');
    expect(await page.getByTestId('sm-field-urgency').inputValue()).toBe('segera');
    expect(await page.getByTestId('sm-field-classificationCode').inputValue()).toBe('440');
    await page.getByTestId('pdf-preview').waitFor();
    await page.getByTestId('sm-save').click();
    await page.getByTestId('sm-saved').waitFor();
    expect(await page.getByTestId('sm-saved').innerText()).toContain(String(firstAgenda).padStart(4, '0'));

    // Offered no more: one letter is left, and the agenda has the new entry from Dinas Kesehatan.
    await page.getByTestId('km-back-to-list').click();
    await expect.poll(() => page.getByTestId('km-row').count()).toBe(1);
    expect(await page.getByTestId('km-count').innerText()).toBe('1');
    await page.getByTestId('km-tab-agenda').click();
    await expect.poll(() => page.getByTestId('sm-list').innerText()).toContain('Pelaksanaan vaksinasi anak sekolah');
  });

  it('sends the registered letter on to Setda: the letter says where it went, waiting for sync and then sent', async () => {
    await page.getByTestId('sm-row').filter({ hasText: 'Pelaksanaan vaksinasi anak sekolah' }).click();
    await page.getByTestId('screen-surat-masuk-lihat').waitFor();
    await page.getByTestId('km-send-open').click();
    // The other offices of the region; this office is not offered.
    await page.getByTestId('km-office-setda').waitFor();
    expect(await page.getByTestId('km-send-form').innerText()).not.toContain('Dinas Pendidikan');
    await page.getByTestId('km-office-setda').check();
    await page.getByTestId('km-send-submit').click();
    await page.getByTestId('km-sent-item').waitFor();
    expect(await page.getByTestId('km-sent-item').innerText()).toContain('Sekretariat Daerah');
    await expect.poll(() => page.getByTestId('km-sent-item').getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
    await page.screenshot({ path: join(screenshots, 'surat-masuk-kirim.png'), fullPage: true });
    const delivered = await srv.server.db.selectFrom('deliveries').select(['to_office_id']).where('to_office_id', '=', 'office-setda').execute();
    expect(delivered).toHaveLength(1);
  });
});
