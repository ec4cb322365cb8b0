// The activity log anchored off the desk, end to end in Chromium: after a sync the Beranda says how
// far the log is stored on the server; the admin kantor sees in Pengaturan which desk of the office
// sent a log that does not continue the one the server holds; and a log cut back on this desk (its
// key seals the newest entry it saw) is reported on the Beranda before any sync.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { uuidv7 } from '../../common/ids.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

/** Cuts the desk's log after `seq` and moves its head back, as someone with the sqlite3 tool would. */
function cutAfter(file: string, seq: number): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.transaction(() => {
    db.prepare('DELETE FROM audit_log WHERE seq > ?').run(seq);
    const head = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = ?').get(seq) as { seq: number; hash: string };
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(head.seq, head.hash);
  })();
  db.close();
}

describe('Log aktivitas', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let desk: RunningDesk;
  let other: TestDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    // Another desk of the office synced its log, then had it cut back and worked on: the server sees it.
    other = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    other.store.settings.update({ deskName: 'Meja Arsip' }, 'test');
    await other.sync.auth.login('operator.dinkes', demoPassword);
    const view = () => other.store.audit.append({ actor: 'user-operator-dinkes', action: 'letter.viewed', entity: 'letter', entityId: uuidv7() });
    for (let i = 0; i < 12; i++) view();
    await other.sync.engine.syncNow();
    cutAfter(join(other.dir, 'loket.db'), 5);
    view();
    await other.sync.engine.syncNow();

    // This desk: set up for the office server, its log written before desks had a key.
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-log-'));
    const before = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    before.store.settings.update({ deskName: 'Meja Agenda' }, 'test');
    await before.close();

    desk = await startDesk({ dataDir, env: { LOKET_SERVER_CA: tls.trusted.caCert } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.stop();
    await other?.close();
    await srv?.close();
    databases.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('after a sync the Beranda says how far the log is stored on the server', async () => {
    await page.goto(desk.launchUrl);
    await signInOn(page, 'admin.dinkes');
    await page.getByTestId('nav-beranda').click();
    const anchor = page.getByTestId('audit-anchor');
    // The number and the words read in one look: a later sync may move the anchor between two looks.
    const seqAndWords = () => anchor.evaluate((el) => {
      const shown = el as unknown as { getAttribute(name: string): string | null; innerText: string };
      return `${shown.getAttribute('data-seq')}|${shown.innerText}`;
    });
    await expect.poll(seqAndWords, { timeout: 20_000 }).toMatch(/^([1-9]\d*)\|Log aman sampai entri \1 \(tersimpan di server\)$/);
    expect(await page.getByTestId('audit-status').getAttribute('data-intact')).toBe('true');
    await page.getByTestId('audit-status').screenshot({ path: join(screenshots, 'beranda-log-aman.png') });
  });

  it('the admin kantor sees in Pengaturan which desk sent a log that does not continue its chain', async () => {
    await page.getByTestId('nav-pengaturan').click();
    const list = page.getByTestId('desk-chains-list');
    await list.waitFor();
    const rows = page.getByTestId('desk-chain-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Broken chains first.
    expect(await rows.nth(0).getAttribute('data-broken')).toBe('rewound');
    expect(await rows.nth(0).innerText()).toContain('Meja Arsip');
    expect(await rows.nth(0).innerText()).toMatch(/Terputus pada entri 1 \(server memegang sampai entri \d+\)/);
    expect(await rows.nth(1).getAttribute('data-broken')).toBe('');
    expect(await rows.nth(1).innerText()).toContain('Meja Agenda');
    expect(await page.getByTestId('desk-chains-broken').innerText()).toContain('1 meja mengirim log yang tidak menyambung');
    await page.getByTestId('desk-chains').screenshot({ path: join(screenshots, 'pengaturan-rantai-log.png') });
  });

  it('a log cut back on this desk is reported on the Beranda before any sync', async () => {
    // The newest entry this desk saw whole, as its key seals it (the browser host's keychain is a 0600 file).
    const sealed = JSON.parse((JSON.parse(readFileSync(join(dataDir, 'keychain.json'), 'utf8')) as Record<string, string>)['audit-key']!) as { seen: { seq: number } };
    expect(sealed.seen.seq).toBeGreaterThan(3);
    cutAfter(join(dataDir, 'loket.db'), sealed.seen.seq - 2);
    await page.getByTestId('nav-beranda').click();
    await expect.poll(() => page.getByTestId('audit-status').getAttribute('data-intact')).toBe('false');
    expect(await page.getByTestId('audit-status').innerText()).toContain('log aktivitas tidak utuh');
    await page.getByTestId('audit-status').screenshot({ path: join(screenshots, 'beranda-log-rusak.png') });
  });

  it('the key removed and the log cut while the desk was closed: the desk names the key lost, and the Beranda says what the server holds', async () => {
    await desk.stop();
    const keychainFile = join(dataDir, 'keychain.json');
    const keychain = JSON.parse(readFileSync(keychainFile, 'utf8')) as Record<string, string>;
    const sealed = JSON.parse(keychain['audit-key']!) as { seen: { seq: number } };
    cutAfter(join(dataDir, 'loket.db'), sealed.seen.seq - 3);
    delete keychain['audit-key'];
    writeFileSync(keychainFile, JSON.stringify(keychain), { mode: 0o600 });

    desk = await startDesk({ dataDir, env: { LOKET_SERVER_CA: tls.trusted.caCert } });
    await page.goto(desk.launchUrl);
    // The session comes back from the keychain's refresh token, or the sign-in screen asks: wait for either.
    const signIn = page.getByTestId('screen-masuk');
    await signIn.or(page.getByTestId('session-badge')).first().waitFor();
    if (await signIn.isVisible()) {
      await page.getByTestId('masuk-username').fill('admin.dinkes');
      await page.getByTestId('masuk-password').fill(demoPassword);
      await page.getByTestId('masuk-submit').click();
    }
    await page.getByTestId('session-badge').waitFor();
    await page.getByTestId('nav-antrian-sinkron').click();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('nav-beranda').click();
    const status = page.getByTestId('audit-status');
    await expect.poll(() => status.getAttribute('data-server-break'), { timeout: 20_000 }).toBe('rewound');
    expect(await status.innerText()).toContain('server mencatat rantai log meja ini terputus pada entri 1');
    expect(await status.innerText()).toContain('dipotong, dikosongkan, atau ditulis ulang');
    await status.screenshot({ path: join(screenshots, 'beranda-log-server.png') });
    const db = new Database(join(dataDir, 'loket.db'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'audit.key-lost'").pluck().get()).toBe(1);
    db.close();
  });
});
