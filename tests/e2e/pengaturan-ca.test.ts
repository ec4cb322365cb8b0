// The agency CA certificate, end to end: a desk pointed at a server whose certificate comes from the
// agency's own CA cannot sign anyone in until the admin picks that CA — right on the sign-in screen,
// since nobody can sign in yet; a file that is not a certificate is refused with the reason; once
// picked it is kept in the data folder, survives a restart, and Pengaturan shows it (subject, expiry,
// fingerprint) with an honest hint of what an empty server address means.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { rawWordIn } from '../support/ui-words.ts';

describe('Pengaturan: the agency CA certificate', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-ca-'));
    await (await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir })).close();
    writeFileSync(join(dataDir, 'bukan-sertifikat.pem'), 'ini surat biasa, bukan sertifikat\n');
    // No --server-ca and no LOKET_SERVER_CA: only what Pengaturan keeps.
    const env = { ...process.env };
    delete env.LOKET_SERVER_CA;
    desk = await startDesk({ dataDir, env });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await srv?.close();
    databases.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  async function signIn(): Promise<void> {
    await page.getByTestId('masuk-username').fill('admin.dinkes');
    await page.getByTestId('masuk-password').fill(demoPassword);
    await page.getByTestId('masuk-submit').click();
  }

  it('a server the desk does not trust yet: the sign-in screen says so and offers to pick the agency CA', async () => {
    await page.goto(desk.launchUrl);
    await page.getByTestId('screen-masuk').waitFor();
    await signIn();
    expect(await page.getByTestId('masuk-error').innerText()).toContain('tidak diterbitkan oleh otoritas (CA) yang dipercaya');
    await expect.poll(() => page.getByTestId('server-ca').getAttribute('data-source')).toBe('none');
  });

  it('a file that is not a certificate is refused with the reason, and nothing is kept', async () => {
    await page.getByTestId('server-ca-file').setInputFiles(join(dataDir, 'bukan-sertifikat.pem'));
    expect(await page.getByTestId('server-ca-error').innerText()).toContain('bukan sertifikat');
    expect(existsSync(join(dataDir, 'server-ca.pem'))).toBe(false);
  });

  it('the agency CA picked, the admin signs in online', async () => {
    await page.getByTestId('server-ca-file').setInputFiles(tls.trusted.caCert);
    await page.getByTestId('server-ca-saved').waitFor();
    expect(await page.getByTestId('server-ca-certificate').innerText()).toContain('berlaku sampai');
    expect(existsSync(join(dataDir, 'server-ca.pem'))).toBe(true);
    await page.getByTestId('masuk-password').fill(demoPassword);
    await page.getByTestId('masuk-submit').click();
    await page.getByTestId('session-badge').waitFor();
    expect(await page.getByTestId('session-badge').getAttribute('data-mode')).toBe('online');
  });

  it('after a restart the desk still trusts it; Pengaturan shows it and what an empty server address means', async () => {
    await desk.stop();
    const env = { ...process.env };
    delete env.LOKET_SERVER_CA;
    desk = await startDesk({ dataDir, env });
    await page.goto(desk.launchUrl);
    await page.getByTestId('screen-masuk').waitFor();
    await signIn();
    await page.getByTestId('session-badge').waitFor();
    // Signed in before the restarted desk's first look at the server, the session starts offline and
    // turns online by itself: only a server the desk trusts gets it there.
    await expect.poll(() => page.getByTestId('session-badge').getAttribute('data-mode'), { timeout: 20_000 }).toBe('online');
    await page.getByTestId('nav-pengaturan').click();
    await page.getByTestId('screen-pengaturan').waitFor();
    await expect.poll(() => page.getByTestId('server-ca').getAttribute('data-source')).toBe('settings');
    expect(await page.getByTestId('server-ca-certificate').count()).toBe(1);
    expect(await page.getByTestId('settings-hint-serverUrl').innerText()).toContain('Kosongkan bila meja ini bekerja mandiri');
    expect(rawWordIn(await page.getByTestId('screen-pengaturan').innerText())).toBeUndefined();
    await page.getByTestId('server-ca').screenshot({ path: join(import.meta.dirname, 'screenshots', 'pengaturan-ca.png') });
  });
});
