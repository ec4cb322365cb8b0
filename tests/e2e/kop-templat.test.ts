// Kop & Templat Naskah end to end (the browser host, Debian's Chromium, one server): the admin kantor of
// the Dinas Kesehatan opens Pengaturan, is told a text file is no logo, picks a new logo, rewrites the
// agency line and the nota dinas closing by keyboard, watches the page preview, and saves; at a staff
// member's desk, after sync, a new nota dinas's preview shows the new logo and its letter prints the new
// agency line and closing. Saved meanwhile from another desk of the admin's, a save is refused: what
// was typed stays on screen until the admin chooses to load the newest version, and saved again on it,
// it goes through.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { naskahSource } from '../../main/letters/drafting/templates.ts';
import { openStore } from '../../main/store/store.ts';
import { drawnLogo } from '../support/logos.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const wait = { timeout: 30_000 };
const agency = 'DINAS KESEHATAN DAN KELUARGA BERENCANA';
const closing = 'Demikian disampaikan untuk menjadi perhatian dan pelaksanaan.';

describe('Kop & Templat Naskah', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let work: string;
  const desks: RunningDesk[] = [];
  const dirs: string[] = [];
  let browser: Browser;

  async function signIn(username: string): Promise<Page> {
    const dir = mkdtempSync(join(tmpdir(), 'loket-e2e-kop-'));
    dirs.push(dir);
    const prepared = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir });
    await prepared.close();
    const desk = await startDesk({ dataDir: dir, env: { LOKET_SERVER_CA: tls.trusted.caCert } });
    desks.push(desk);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 }, locale: 'id-ID' })).newPage();
    await page.goto(desk.launchUrl);
    await signInOn(page, username);
    return page;
  }

  /** Opens Pengaturan once the desk keeps the office's version `version` (it arrives with the desk's sync). */
  async function openEditorAt(page: Page, version: number): Promise<void> {
    await expect.poll(async () => {
      await page.getByTestId('nav-beranda').click();
      await page.getByTestId('nav-pengaturan').click();
      const editor = page.getByTestId('naskah-editor');
      await editor.waitFor(wait);
      return editor.locator('.field-hint').first().innerText();
    }, wait).toContain(`Versi ${version} kop dan templat`);
  }

  /** Pixels of the admin's green logo on the page the preview drew (the shipped logo has none of this green). */
  function greenPixels(page: Page, testId: string): Promise<number> {
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    return page.getByTestId(testId).locator('canvas').evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let green = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (g > 90 && r < 70 && b < 110 && g > r + 40) green++;
      }
      return green;
    });
  }

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    browser = await launchChromium();
    work = mkdtempSync(join(tmpdir(), 'loket-e2e-kop-work-'));
  });
  afterAll(async () => {
    await browser?.close();
    for (const d of desks) await d.stop();
    await srv?.close();
    databases.stop();
    for (const dir of [...dirs, work]) rmSync(dir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the admin edits the kop and a template by keyboard, saves, and a drafter\'s preview at another desk prints it after sync', async () => {
    const admin = await signIn('admin.dinkes');
    await admin.getByTestId('nav-pengaturan').click();
    const editor = admin.getByTestId('naskah-editor');
    await editor.waitFor(wait);
    expect(await editor.innerText()).toContain('masih memakai kop dan templat bawaan');

    // A text file is refused before anything is sent, in words the admin understands.
    await admin.getByTestId('naskah-logo').setInputFiles({ name: 'logo.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan gambar') });
    expect(await admin.getByTestId('naskah-logo-error').innerText()).toContain('bukan gambar PNG atau JPEG');
    await admin.getByTestId('naskah-logo').setInputFiles({ name: 'logo-dinkes.png', mimeType: 'image/png', buffer: await drawnLogo('png', [0.1, 0.45, 0.3]) });
    await expect.poll(() => admin.getByTestId('naskah-logo-error').count()).toBe(0);

    // By keyboard: the agency line, then the nota dinas's closing paragraph.
    await admin.getByTestId('naskah-agency').focus();
    await admin.keyboard.press('Control+A');
    await admin.keyboard.type(agency);
    await admin.getByTestId('naskah-type').focus();
    await admin.keyboard.press('Home');
    expect(await admin.getByTestId('naskah-type').inputValue()).toBe('0');
    const body = admin.getByTestId('naskah-body');
    const text = await body.inputValue();
    const lastParagraph = text.split('\n\n').at(-1)!;
    await body.focus();
    await admin.keyboard.press('Control+End');
    for (let i = 0; i < lastParagraph.length; i++) await admin.keyboard.press('Backspace');
    await admin.keyboard.type(closing);
    expect(await body.inputValue()).toBe(`${text.slice(0, text.length - lastParagraph.length)}${closing}`);
    // Agency emptied: named, and saving waits.
    await admin.getByTestId('naskah-government').fill('');
    expect(await admin.getByTestId('naskah-editor').innerText()).toContain('Nama pemerintah daerah wajib diisi.');
    expect(await admin.getByTestId('naskah-save').isDisabled()).toBe(true);
    await admin.getByTestId('naskah-government').fill('PEMERINTAH KOTA DUMAI');

    await admin.getByTestId('naskah-preview').locator('canvas').waitFor(wait);
    await expect.poll(() => greenPixels(admin, 'naskah-preview'), wait).toBeGreaterThan(300);
    await admin.getByTestId('naskah-save').focus();
    await admin.keyboard.press('Enter');
    expect(await admin.getByTestId('naskah-saved').innerText({ timeout: 30_000 })).toContain('versi 1');
    await admin.waitForTimeout(800);
    await editor.screenshot({ path: join(screenshots, 'kop-templat.png') });

    const drafter = await signIn('staf.dinkes');
    await drafter.getByTestId('nav-konsep').click();
    await drafter.getByTestId('kn-type').selectOption('nota_dinas');
    await drafter.getByTestId('kn-create').click();
    await drafter.getByTestId('kn-preview').locator('canvas').waitFor(wait);
    // The preview the drafter sees: the admin's green logo drawn in it.
    await drafter.waitForTimeout(800);
    await drafter.getByTestId('kn-preview').screenshot({ path: join(work, 'drafter-preview.png') });
    expect(await greenPixels(drafter, 'kn-preview')).toBeGreaterThan(300);
    // The letter behind it: the draft names the version the admin saved, and prints its lines.
    const id = decodeURIComponent(new URL(drafter.url()).hash.split('/').at(-1)!);
    const store = openStore(join(dirs[1]!, 'loket.db'), { log: collectingLogger() });
    try {
      const draft = store.drafts.get(id)!;
      expect(draft.content.naskahVersion).toBe(store.naskah.latest('office-dinkes')!.id);
      const renderer = draftRenderer(createBlobStore(join(dirs[1]!, 'documents')), naskahSource({ kept: store.naskah, officeId: () => 'office-dinkes' }));
      writeFileSync(join(work, 'drafter-letter.pdf'), await renderer.render(draft));
    } finally {
      store.close();
    }
    const printed = execFileSync('pdftotext', [join(work, 'drafter-letter.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(printed).toContain(agency);
    expect(printed).toContain(closing);
    if (process.env.LOKET_KEEP_E2E_WORK) execFileSync('cp', [join(work, 'drafter-preview.png'), process.env.LOKET_KEEP_E2E_WORK]);
  });

  it('saved meanwhile from another desk: the save is refused, what was typed stays, and the admin loads the newest version', async () => {
    const first = await signIn('admin.dinkes');
    const second = await signIn('admin.dinkes');
    for (const page of [first, second]) await openEditorAt(page, 1);

    await second.getByTestId('naskah-address').fill('Jalan Jenderal Sudirman Nomor 2, Dumai');
    await second.getByTestId('naskah-save').click();
    expect(await second.getByTestId('naskah-saved').innerText(wait)).toContain('versi 2');

    const typed = 'Telepon (0765) 999999, Pos-el dinkes@dumaikota.go.id';
    await first.getByTestId('naskah-contact').fill(typed);
    await first.getByTestId('naskah-save').click();
    await first.getByTestId('naskah-stale').waitFor(wait);
    expect(await first.getByTestId('naskah-error').innerText()).toContain('sudah diubah dari meja lain');
    // Nothing is replaced until she chooses: her line is still in the form.
    expect(await first.getByTestId('naskah-contact').inputValue()).toBe(typed);

    await first.getByTestId('naskah-reload').click();
    expect(await first.getByTestId('naskah-reloaded').innerText(wait)).toContain('Versi 2 dimuat');
    expect(await first.getByTestId('naskah-address').inputValue()).toBe('Jalan Jenderal Sudirman Nomor 2, Dumai');
    expect(await first.getByTestId('naskah-contact').inputValue()).not.toBe(typed);
    expect(await first.getByTestId('naskah-stale').count()).toBe(0);

    // Made again on the newest version, the save goes through.
    await first.getByTestId('naskah-contact').fill(typed);
    await first.getByTestId('naskah-save').click();
    expect(await first.getByTestId('naskah-saved').innerText(wait)).toContain('versi 3');
    const saved = await srv.server.db.selectFrom('naskah_versions').select(['version', 'letterhead']).where('office_id', '=', 'office-dinkes').orderBy('version', 'desc').executeTakeFirstOrThrow();
    expect(saved.version).toBe(3);
    expect(JSON.parse(saved.letterhead)).toMatchObject({ address: 'Jalan Jenderal Sudirman Nomor 2, Dumai', contact: typed });
  });
});
