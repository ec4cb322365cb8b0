// Surat Keluar end to end (the browser host, Debian's Chromium, the real server over TLS): the
// Dinas Kesehatan desk lists its outgoing letters with their state, number, date, subject and
// addressee; a signed letter opens beside its PDF with its number and the office as sender, and is
// sent to Dinas Pendidikan from the same "Kirim ke kantor lain" panel as an incoming letter; a letter
// still waiting for its signature has no number yet and says it cannot be sent.
// Signing itself (the token, the number it gives) is covered by tests/integration/outgoing-send.test.ts;
// here the signed letter is prepared as signing leaves it: signed, with the next outgoing number.
// Its addressees outside the system are added (a bad email refused in Bahasa Indonesia), shown with
// what must still be done, marked sent, and counted on the list as "Perlu dikirim di luar sistem".
// Sent to an office, the letter is listed as 'terkirim'. A new letter is imported with its kode
// klasifikasi chosen from the desk's list, as in Catat.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { outgoingAgendaEntry } from '../../main/letters/outgoing/outgoing.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { letterPdf } from '../support/deliveries.ts';
import { launchChromium, startDesk, type RunningDesk } from '../support/desk.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { signInOn } from '../support/office-desks.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('Surat Keluar', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let desk: RunningDesk;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let signedNumber: string;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-keluar-'));
    const before = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert, dir: dataDir });
    await before.sync.auth.login('operator.dinkes', demoPassword);
    const block = await before.sync.numberBlocks.lease('out', 2026, 5);
    before.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    const signed = await importOutgoingForSigning(before.store, before.blobs, {
      bytes: await letterPdf('DINAS KESEHATAN', ['Nomor : ......', 'Perihal: Undangan rapat koordinasi gizi anak sekolah', '', 'Dengan hormat, kami mengundang Saudara ke rapat koordinasi.']),
      fileName: 'undangan.pdf', subject: 'Undangan rapat koordinasi gizi anak sekolah', addressee: 'Kepala Dinas Pendidikan dan Kebudayaan', signer: 'user-penandatangan-dinkes',
    }, 'test');
    const entry = outgoingAgendaEntry(before.store, signed, { today: '2026-11-23', hasServer: true, officeName: 'Dinas Kesehatan' });
    signedNumber = before.store.letters.update(signed.id, { ...entry, status: 'signed' }, 'test').letterNumber!;
    await importOutgoingForSigning(before.store, before.blobs, {
      bytes: await letterPdf('DINAS KESEHATAN', ['Nomor : ......', 'Perihal: Laporan capaian imunisasi triwulan III']),
      fileName: 'laporan.pdf', subject: 'Laporan capaian imunisasi triwulan III', addressee: 'Bupati Contoh', signer: 'user-penandatangan-dinkes',
    }, 'test');
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

  it('lists the office\'s outgoing letters with their state, number, date, subject and addressee', async () => {
    await page.goto(desk.launchUrl);
    await signInOn(page, 'operator.dinkes');
    await page.getByTestId('nav-surat-keluar').click();
    await page.getByTestId('screen-surat-keluar').waitFor();
    await expect.poll(() => page.getByTestId('sk-row').count()).toBe(2);
    const signedRow = page.getByTestId('sk-row').filter({ hasText: 'Undangan rapat koordinasi' });
    expect(await signedRow.innerText()).toMatch(new RegExp(`ditandatangani\\s+${signedNumber.replaceAll('/', '\\/')}\\s+23 Nov 2026`));
    expect(await signedRow.innerText()).toContain('Kepala Dinas Pendidikan dan Kebudayaan');
    const waitingRow = page.getByTestId('sk-row').filter({ hasText: 'Laporan capaian imunisasi' });
    expect(await waitingRow.getByTestId('sk-row-status').innerText()).toBe('siap ditandatangani');
    expect(await waitingRow.innerText()).toContain('(belum bernomor)');
    await page.screenshot({ path: join(screenshots, 'surat-keluar.png'), fullPage: true });
  });

  it('opens a signed letter beside its PDF and sends it to another office', async () => {
    await page.getByTestId('sk-row').filter({ hasText: 'Undangan rapat koordinasi' }).click();
    await page.getByTestId('screen-surat-keluar-lihat').waitFor();
    await expect.poll(() => page.getByTestId('pdf-preview').getAttribute('data-drawn'), { timeout: 15_000 }).toBe('1');
    expect(await page.getByTestId('sk-detail-letterNumber').innerText()).toBe(signedNumber);
    expect(await page.getByTestId('sk-detail-sender').innerText()).toBe('Dinas Kesehatan');
    expect(await page.getByTestId('sk-detail-status').innerText()).toBe('ditandatangani');

    await page.getByTestId('km-send-open').click();
    await page.getByTestId('km-office-disdik').check();
    await page.getByTestId('km-send-submit').click();
    await expect.poll(() => page.getByTestId('km-sent-item').getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
    expect(await page.getByTestId('km-sent').innerText()).toContain('Dinas Pendidikan dan Kebudayaan');
    // The open view follows: the letter has gone out.
    await expect.poll(() => page.getByTestId('sk-detail-status').innerText()).toBe('terkirim');
    const onServer = await srv.server.db.selectFrom('letters').select(['direction', 'letter_number']).where('letter_number', '=', signedNumber).execute();
    expect(onServer).toEqual([{ direction: 'out', letter_number: signedNumber }]);
  });

  it('adds addressees outside the system by email and on paper, and marks one sent', async () => {
    const items = page.getByTestId('ls-item');
    await page.getByTestId('ls-name').fill('PT Sehat Sentosa');
    await page.getByTestId('ls-email').fill('sekretariat-sehat-sentosa');
    await page.getByTestId('ls-add').click();
    expect(await page.getByTestId('ls-error').innerText()).toBe('Alamat email "sekretariat-sehat-sentosa" tidak sah. Periksa lagi, contoh: sekretariat@perusahaan.co.id');
    expect(await items.count()).toBe(0);
    await page.getByTestId('ls-email').fill('sekretariat@sehat-sentosa.co.id');
    await page.getByTestId('ls-add').click();
    await expect.poll(() => items.count()).toBe(1);
    await page.getByTestId('ls-name').fill('Bapak Sutrisno, Jl. Melati 4');
    await page.getByTestId('ls-channel-print').check();
    await page.getByTestId('ls-add').click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.nth(0).getByTestId('ls-state').innerText()).toBe('perlu dikirim lewat email ke sekretariat@sehat-sentosa.co.id');
    expect(await items.nth(1).getByTestId('ls-state').innerText()).toBe('perlu dicetak');
    const mail = new URL((await items.nth(0).getByTestId('ls-mail').getAttribute('href'))!);
    expect(mail.protocol).toBe('mailto:');
    expect(decodeURIComponent(mail.pathname)).toBe('sekretariat@sehat-sentosa.co.id');
    expect(mail.searchParams.get('subject')).toBe(`${signedNumber} Undangan rapat koordinasi gizi anak sekolah`);
    expect(mail.searchParams.get('body')).toMatch(/PDF .*terlampir/);
    expect(await items.nth(1).getByTestId('ls-print').count()).toBe(1);
    // Both reach the server with the next sync.
    const onServer = () => srv.server.db.selectFrom('external_deliveries').select(['name', 'channel', 'sent_at']).orderBy('position').execute();
    await expect.poll(async () => (await onServer()).length, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => page.getByText('(menunggu sinkron)').count(), { timeout: 20_000 }).toBe(0);
    await page.screenshot({ path: join(screenshots, 'surat-luar-sistem.png'), fullPage: true });

    await items.nth(0).getByTestId('ls-mark-sent').click();
    await expect.poll(() => items.nth(0).getByTestId('ls-state').innerText()).toBe('sudah dikirim');
    expect(await items.nth(0).getByTestId('ls-mark-sent').count()).toBe(0);
    await expect.poll(async () => (await onServer())[0]!.sent_at, { timeout: 20_000 }).not.toBeNull();

    await page.getByRole('link', { name: 'Kembali ke daftar surat keluar' }).click();
    await page.getByTestId('screen-surat-keluar').waitFor();
    // The list reads the office's to-do as it opens; under load the first paint can still show the count before the mark.
    await expect.poll(() => page.getByTestId('ls-pending-count').innerText()).toBe('Perlu dikirim di luar sistem: 1');
    expect(await page.getByTestId('ls-pending-item').innerText()).toContain('Bapak Sutrisno, Jl. Melati 4 — perlu dicetak');
    // Sent to Dinas Pendidikan through the system: terkirim, though one addressee outside it still waits.
    expect(await page.getByTestId('sk-row').filter({ hasText: 'Undangan rapat koordinasi' }).getByTestId('sk-row-status').innerText()).toBe('terkirim');
  });

  it('imports a letter for signature with its kode klasifikasi chosen from the desk\'s list', async () => {
    await page.getByTestId('sk-file').setInputFiles({ name: 'edaran.pdf', mimeType: 'application/pdf', buffer: await letterPdf('DINAS KESEHATAN', ['Nomor : ......', 'Perihal: Edaran pencegahan demam berdarah']) });
    await page.getByTestId('sk-subject').fill('Edaran pencegahan demam berdarah');
    await page.getByTestId('sk-addressee').fill('Kepala Puskesmas se-Kabupaten');
    await page.getByTestId('sk-classification').fill('44');
    await expect.poll(() => page.locator('#sk-codes option[value="440"]').count()).toBe(1);
    await page.getByTestId('sk-classification').fill('440');
    // The signing official is chosen from the office's officials as the server names them.
    await page.getByTestId('sk-signer').selectOption({ label: 'Dr. Ahmad Fauzi — Kepala Dinas Kesehatan' });
    await page.getByTestId('sk-submit').click();
    expect(await page.getByTestId('sk-done').innerText()).toContain('Edaran pencegahan demam berdarah');
    expect(await page.getByTestId('sk-classification').inputValue()).toBe('');
    const row = page.getByTestId('sk-row').filter({ hasText: 'Edaran pencegahan demam berdarah' });
    await expect.poll(() => row.getByTestId('sk-row-status').innerText()).toBe('siap ditandatangani');
    expect(await row.getByTestId('sk-row-signer').innerText()).toBe('Dr. Ahmad Fauzi');
  });

  it('opened again, the letter sent to another office shows it is terkirim', async () => {
    await page.getByTestId('sk-row').filter({ hasText: 'Undangan rapat koordinasi' }).click();
    await page.getByTestId('screen-surat-keluar-lihat').waitFor();
    expect(await page.getByTestId('sk-detail-status').innerText()).toBe('terkirim');
  });

  it('a letter waiting for its signature has no number yet and cannot be sent', async () => {
    await page.goto(`${new URL(page.url()).origin}${new URL(page.url()).pathname}${new URL(page.url()).search}#/surat-keluar`);
    await page.getByTestId('sk-row').filter({ hasText: 'Laporan capaian imunisasi' }).click();
    await page.getByTestId('screen-surat-keluar-lihat').waitFor();
    expect(await page.getByTestId('sk-detail-letterNumber').innerText()).toBe('(belum bernomor)');
    expect(await page.getByTestId('sk-not-sendable').innerText()).toMatch(/setelah ditandatangani/);
    expect(await page.getByTestId('km-send').count()).toBe(0);
  });
});
