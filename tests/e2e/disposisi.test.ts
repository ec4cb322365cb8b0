// Disposisi end to end at two desks with one server (the browser host, Debian's Chromium): the front
// office registers a letter; the Kepala Bidang Kesehatan Masyarakat has Beranda open at their desk; the
// head of the Dinas Kesehatan, at theirs, finds the letter in Tugas saya and disposes it with the
// keyboard only; the Kepala Bidang is told in the app, sees it unread first on Beranda, opens it and
// reports it done with a file (a spreadsheet refused first); the head's trail shows the report, its
// file is named and downloads as it was sent, and the letter is done; the head prints the lembar disposisi (A4
// and A5), checked by its text and looked at as pdftoppm renders it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { officeInBrowser } from '../support/office-desks.ts';
import { startTestDesk } from '../support/sync-desk.ts';

const screenshots = join(import.meta.dirname, 'screenshots');

describe('Disposisi at two desks', () => {
  const office = officeInBrowser('disposisi');
  let head: Page;
  let kabid: Page;
  let letterId: string;
  /** Where the story keeps its files: the head's desk folder. */
  let files: string;

  beforeAll(async () => {
    const front = await startTestDesk({ serverUrl: office.srv.url, caFile: office.tls.trusted.caCert });
    seedClassifications(front.store);
    await front.sync.auth.login('operator.dinkes', demoPassword);
    const block = await front.sync.numberBlocks.lease('in', 2026, 5);
    front.store.agenda.addLeasedBlock({ leaseId: block.leaseId, year: block.year, first: block.first, last: block.last }, 'test');
    letterId = (await front.register(block.first, { subject: 'Permohonan tambahan vaksin campak', letterNumber: '440/17/PKM-UTARA/2026' })).id;
    await front.sync.engine.syncNow();
    await front.close();
    const [headDesk, kabidDesk] = [await office.deskFor(), await office.deskFor()];
    files = headDesk.desk.dataDir;
    const report = await PDFDocument.create();
    report.addPage([595, 842]).drawText('Stok vaksin campak per kecamatan, Maret 2026', { x: 60, y: 760, size: 14, font: await report.embedFont(StandardFonts.Helvetica) });
    writeFileSync(join(files, 'stok-vaksin.pdf'), await report.save());
    kabid = await office.signIn(kabidDesk, 'kabid.kesmas.dinkes');
    head = await office.signIn(headDesk, 'penandatangan.dinkes');
  });

  it('the head finds the letter in Tugas saya and disposes it with the keyboard only', async () => {
    await expect.poll(() => kabid.getByTestId('todo').isVisible().catch(() => false), { timeout: 20_000 }).toBe(true);
    const item = head.getByTestId('todo-to-dispose').filter({ hasText: 'Permohonan tambahan vaksin campak' });
    await item.waitFor({ timeout: 20_000 });
    await item.focus();
    await head.keyboard.press('Enter');
    await head.getByTestId('screen-disposisi-surat').waitFor();
    await expect.poll(() => head.getByTestId('dp-state').innerText()).toBe('Tercatat');
    await head.keyboard.press('d');
    await head.getByTestId('dispose-form').waitFor();
    // Tab to the Kepala Bidang Kesehatan Masyarakat and tick it with Space, then the instructions.
    const focused = async () => {
      const el = head.locator(':focus');
      return { position: await el.getAttribute('data-position'), testid: await el.getAttribute('data-testid'), label: await head.locator('label:has(:focus)').innerText().catch(() => '') };
    };
    for (let i = 0; i < 30 && (await focused()).position !== 'position-dinkes-kabid-kesmas'; i++) await head.keyboard.press('Tab');
    await head.keyboard.press('Space');
    for (let i = 0; i < 30 && !(await focused()).label.includes('Tindak lanjuti'); i++) await head.keyboard.press('Tab');
    await head.keyboard.press('Space');
    for (let i = 0; i < 30 && (await focused()).testid !== 'dispose-note'; i++) await head.keyboard.press('Tab');
    await head.keyboard.type('Koordinasikan dengan puskesmas; laporkan stok per kecamatan.');
    await head.keyboard.press('Tab');
    await head.keyboard.press('ArrowDown');
    await head.screenshot({ path: join(screenshots, 'disposisi-form.png'), fullPage: true });
    await head.keyboard.press('Control+Enter');
    await head.getByTestId('trail-node').first().waitFor();
    const trail = await head.getByTestId('trail').innerText();
    expect(trail).toContain('Kepala Dinas Kesehatan');
    expect(trail).toContain('Kepala Bidang Kesehatan Masyarakat');
    expect(trail).toContain('Tindak lanjuti; Koordinasikan dengan puskesmas; laporkan stok per kecamatan.');
    expect(await head.getByTestId('dp-state').innerText()).toBe('Dalam disposisi');
    await expect.poll(() => head.getByTestId('trail-pending').count(), { timeout: 20_000 }).toBe(0);
  });

  it('the Kepala Bidang is told, sees it unread first on Beranda, opens it and reports it done', async () => {
    await kabid.getByTestId('disposition-notice').waitFor({ timeout: 30_000 });
    const item = kabid.getByTestId('todo-to-me').first();
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.innerText()).toContain('Permohonan tambahan vaksin campak');
    expect(await item.innerText()).toContain('Dari Kepala Dinas Kesehatan');
    // The letter registered at the front office's desk is named by its agenda number as the office prints it.
    expect(await item.innerText()).toContain('No. agenda 0001/UMUM/2026');
    await kabid.screenshot({ path: join(screenshots, 'beranda-tugas-saya.png'), fullPage: true });
    await item.click();
    await kabid.getByTestId('screen-disposisi-surat').waitFor();
    await kabid.getByTestId('report-note').fill('Stok per kecamatan terlampir; tambahan 2.000 dosis diajukan ke provinsi.');
    // A spreadsheet is not a report file: refused with why, the note stays, nothing is reported.
    const sheetFile = join(files, 'stok.xlsx');
    writeFileSync(sheetFile, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(300, 7)]));
    await kabid.getByTestId('report-file').setInputFiles(sheetFile);
    await kabid.getByTestId('report-submit').click();
    await expect.poll(() => kabid.getByRole('alert').allInnerTexts().then((t) => t.join(' ')), { timeout: 15_000 }).toMatch(/bukan PDF atau gambar/);
    expect(await kabid.getByTestId('report-note').inputValue()).toContain('tambahan 2.000 dosis');
    expect(await kabid.getByTestId('dp-state').innerText()).toBe('Dalam disposisi');
    await kabid.getByTestId('report-file').setInputFiles(join(files, 'stok-vaksin.pdf'));
    expect(await kabid.getByTestId('report-file-chosen').innerText()).toContain('stok-vaksin.pdf');
    await kabid.getByTestId('report-submit').click();
    await expect.poll(() => kabid.getByTestId('dp-state').innerText(), { timeout: 15_000 }).toBe('Selesai');
    expect(await kabid.getByTestId('trail-report').innerText()).toContain('tambahan 2.000 dosis');
    expect(await kabid.getByTestId('trail-report-file').innerText()).toBe('Unduh lampiran laporan: stok-vaksin.pdf');
  });

  it('the head\'s trail shows the report and the letter done after sync', async () => {
    await head.reload();
    await expect.poll(async () => {
      await head.reload();
      await head.getByTestId('dp-state').waitFor();
      return head.getByTestId('dp-state').innerText();
    }, { timeout: 40_000, interval: 3_000 }).toBe('Selesai');
    expect(await head.getByTestId('trail-report').innerText()).toContain('tambahan 2.000 dosis');
    // The report's file, attached at the Kepala Bidang's desk, is named here too, comes from the server and is the same file.
    expect(await head.getByTestId('trail-report-file').innerText()).toBe('Unduh lampiran laporan: stok-vaksin.pdf');
    const [download] = await Promise.all([head.waitForEvent('download'), head.getByTestId('trail-report-file').click()]);
    const got = join(files, 'laporan-diunduh.pdf');
    await download.saveAs(got);
    expect(download.suggestedFilename()).toBe('laporan-0001-UMUM-2026-Kepala-Bidang-Kesehatan-Masyarakat.pdf');
    expect(Buffer.compare(readFileSync(got), readFileSync(join(files, 'stok-vaksin.pdf')))).toBe(0);
    await head.screenshot({ path: join(screenshots, 'disposisi-alur.png'), fullPage: true });
  });

  it('prints the lembar disposisi with the agenda data, the instructions and the trail, on A4 and A5', async () => {
    for (const paper of ['A4', 'A5'] as const) {
      const [download] = await Promise.all([head.waitForEvent('download'), head.getByTestId(`dp-print-${paper}`).click()]);
      const file = join(files, `lembar-${paper}.pdf`);
      await download.saveAs(file);
      expect(download.suggestedFilename()).toBe('lembar-disposisi-0001-UMUM-2026.pdf');
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      for (const expected of ['LEMBAR DISPOSISI', 'DINAS KESEHATAN', 'Puskesmas Kecamatan Utara', '440/17/PKM-UTARA/2026', 'Permohonan tambahan vaksin campak',
        'Dari Kepala Dinas Kesehatan (Dr. Ahmad Fauzi)', 'Kepala Bidang Kesehatan Masyarakat', 'Instruksi: Tindak lanjuti', 'Selesai ditindaklanjuti',
        'Lampiran laporan: stok-vaksin.pdf (tersimpan di Loket)']) {
        expect(text.replace(/\s+/g, ' ')).toContain(expected);
      }
      const size = execFileSync('pdfinfo', [file]).toString();
      expect(size).toMatch(paper === 'A4' ? /595\.28 x 841\.89/ : /419\.53 x 595\.28/);
      execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, join(files, `lembar-${paper}`)]);
      if (paper === 'A4') copyFileSync(join(files, 'lembar-A4.png'), join(screenshots, 'lembar-disposisi.png'));
    }
    expect(letterId).toHaveLength(36);
  });
});
