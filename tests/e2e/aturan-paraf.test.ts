// Aturan paraf end to end (the browser host, Debian's Chromium, one server): the admin kantor of the
// Dinas Kesehatan chooses in Pengaturan that a returned draft's paraf starts again from the verifier who
// returned it; her desk says it waits for the sync, then that the office's server keeps it; at the
// Sekretaris's desk Pengaturan shows the office's choice, which she cannot change.
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, type OfficeDesks } from '../support/office-desks.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const wait = { timeout: 30_000 };

describe('Aturan paraf', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let browser: Browser;
  let office: OfficeDesks;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'aturan-paraf' });
  });
  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the admin\'s choice is kept by the server and shown at the Sekretaris\'s desk', async () => {
    const admin = await office.signIn(await office.deskFor(), 'admin.dinkes');
    await admin.getByTestId('nav-pengaturan').click();
    const state = admin.getByTestId('paraf-policy-state');
    await state.waitFor(wait);
    expect(await state.innerText()).toContain('Aturan bawaan: kantor belum memilih.');
    expect(await admin.getByTestId('paraf-policy-from_start').isChecked()).toBe(true);
    // The choice shows once the desk has taken it (the radio follows the desk's answer).
    await admin.getByTestId('paraf-policy-from_returner').click();
    await expect.poll(() => admin.getByTestId('paraf-policy-from_returner').isChecked(), wait).toBe(true);
    await expect.poll(() => state.innerText(), wait).toContain('Aturan kantor, tersimpan di server kantor sejak');

    const sekretaris = await office.signIn(await office.deskFor(), 'verifikator.dinkes');
    await sekretaris.getByTestId('nav-pengaturan').click();
    const theirs = sekretaris.getByTestId('paraf-policy-from_returner');
    await theirs.waitFor(wait);
    await expect.poll(() => theirs.isChecked(), wait).toBe(true);
    expect(await theirs.isDisabled()).toBe(true);
    const said = await sekretaris.getByTestId('paraf-policy-state').innerText();
    expect(said).toContain('Aturan kantor, tersimpan di server kantor sejak');
    expect(said).toContain('Hanya admin kantor yang dapat mengubah aturan ini.');
  });
});
