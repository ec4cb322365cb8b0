// The number on the letter: signing writes an outgoing letter's number (and its date, where the
// letter asks) at the place the letter reserves — found in the PDF's text with its positions — so the
// signed PDF shows it. The letters here are printed by Chromium from HTML (a table layout as word
// processors make, a right-aligned place and date, a second page repeating the number), made by
// pdf-lib with a template's ${nomor} / ${tanggal}, and checked as poppler draws and reads them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { findLetterPlaces, type ReservedPlace } from '../../main/documents/letter-places.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { writeLetterNumber } from '../../main/sign/letter-number.ts';
import { letterDateText } from '../../main/letters/drafting/indonesian.ts';
import { openStore } from '../../main/store/store.ts';
import { launchChromium } from '../support/desk.ts';
import { darkPixels, renderPage, type Rendered } from '../support/pdf-render.ts';

let browser: Browser;
let work: string;

beforeAll(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'loket-letter-number-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A letter as a word processor lays it out, printed to PDF by Chromium. */
async function printed(body: string): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<html><body style="font-family: 'Times New Roman', serif; font-size: 12pt; margin: 2cm">${body}</body></html>`);
    return new Uint8Array(await page.pdf({ format: 'A4' }));
  } finally {
    await page.close();
  }
}

const dots = (n: number) => '.'.repeat(n);
const head = `<h3 style="text-align:center">PEMERINTAH KABUPATEN CONTOH<br>DINAS KESEHATAN</h3><hr>`;
const letterhead = (date: string) => `${head}
  <table style="width:100%"><tr><td style="width:15%">Nomor</td><td style="width:3%">:</td><td>${dots(50)}</td><td style="text-align:right">${date}</td></tr>
  <tr><td>Sifat</td><td>:</td><td>Biasa</td></tr><tr><td>Hal</td><td>:</td><td>Undangan rapat koordinasi</td></tr></table>
  <p>Dengan hormat,</p><p>Kami mengundang Saudara pada rapat koordinasi gizi anak sekolah.</p>
  <div style="margin-left:55%">Kepala Dinas Kesehatan,<br><br>\${ttd_pengirim}<br><br>dr. Siti Rahma</div>`;

const dpi = 150;
const px = (pt: number) => Math.round((pt * dpi) / 72);
/** The band of a text line at a place, from x0 to x1 points, in pixels of a rendered page. */
function band(image: Rendered, place: ReservedPlace, x0: number, x1: number) {
  return { x0: px(x0), x1: px(x1), y0: image.height - px(place.y + 0.7 * place.size), y1: image.height - px(place.y - 0.15 * place.size) };
}

/** The words poppler reads on a page, with the left edge of each in points. */
function words(pdf: Uint8Array, page: number): { text: string; x: number }[] {
  const path = join(work, `words-${page}.pdf`);
  writeFileSync(path, pdf);
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({ text: m[2]!, x: Number(m[1]) }));
}

async function timesWidth(text: string, size: number): Promise<number> {
  return (await (await PDFDocument.create()).embedFont(StandardFonts.TimesRoman)).widthOfTextAtSize(text, size);
}
async function helveticaWidth(text: string, size: number): Promise<number> {
  return (await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)).widthOfTextAtSize(text, size);
}

describe('the place a letter reserves for its number', () => {
  it('is found in a printed letter: after "Nomor :" in a table, and the date after the place name, up to the column\'s end', async () => {
    const pdf = await printed(letterhead(`Bandung, ${dots(20)} 2026`));
    const places = await findLetterPlaces(pdf);
    expect(places.number).toHaveLength(1);
    expect(places.date).toHaveLength(1);
    const [number] = places.number;
    const [date] = places.date;
    // The dots of the value and nothing of the label, nor of the column beside it.
    expect(number).toMatchObject({ page: 1, family: 'serif' });
    expect(number!.x).toBeGreaterThan(140);
    expect(number!.xEnd).toBeLessThan(date!.x);
    expect(date!.xEnd - date!.x).toBeGreaterThan(await timesWidth(`${dots(20)} 2026`, 12) - 2);
  });

  it('a value already written is no place, and a letter with no place at all says so', async () => {
    const numbered = await printed(letterhead('Bandung, 2 Maret 2026').replace(dots(50), '440/12/DINKES/2026'));
    expect(await findLetterPlaces(numbered)).toEqual({ number: [], date: [] });
    await expect(writeLetterNumber(numbered, { number: '440/13/DINKES/2026', date: '2026-03-02' })).rejects.toMatchObject({ code: 'NUMBER_PLACE_MISSING' });
  });
});

describe('writing the number on the letter', () => {
  it('covers the dots and writes the number and the date where they were, as poppler draws and reads it', async () => {
    const pdf = await printed(`${letterhead(`Bandung, ${dots(20)} 2026`)}
      <div style="page-break-before: always">LAMPIRAN SURAT KEPALA DINAS KESEHATAN<br>Nomor : ${dots(30)}</div>`);
    const places = await findLetterPlaces(pdf);
    expect(places.number.map((p) => p.page)).toEqual([1, 2]);
    const number = '0007/DINKES/III/2026';
    const numbered = await writeLetterNumber(pdf, { number, date: '2026-03-02' });
    // One incremental update: the printed file is left as it was, byte for byte.
    expect(Buffer.from(numbered.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);

    const before = renderPage(pdf, { work, name: 'printed', dpi });
    const after = renderPage(numbered, { work, name: 'numbered', dpi });
    const place = places.number[0]!;
    const written = await timesWidth(number, place.size);
    // The number where the dots began; past its end, the rest of the dots are gone.
    expect(darkPixels(after, band(after, place, place.x, place.x + written))).toBeGreaterThan(300);
    const tail = band(after, place, place.x + written + 3, place.xEnd - 1);
    expect(darkPixels(before, tail)).toBeGreaterThan(20);
    expect(darkPixels(after, tail)).toBe(0);
    const date = places.date[0]!;
    const dateTail = band(after, date, date.x + (await timesWidth(letterDateText('2026-03-02'), date.size)) + 3, date.xEnd - 1);
    expect(darkPixels(before, dateTail)).toBeGreaterThan(20);
    expect(darkPixels(after, dateTail)).toBe(0);

    // poppler reads the number and the date as words where the dots began (the covered dots stay in the page's text, under them).
    const [first, second] = [words(numbered, 1), words(numbered, 2)];
    expect(first.find((w) => w.text === number)).toMatchObject({ x: expect.closeTo(place.x, 0) });
    expect(first.filter((w) => w.x >= date.x - 0.5 && w.x < date.xEnd && !/^\.+$/.test(w.text)).sort((a, b) => a.x - b.x).map((w) => w.text).slice(0, 3)).toEqual(['2', 'Maret', '2026']);
    // The attachment's page carries the same number.
    expect(second.find((w) => w.text === number)).toMatchObject({ x: expect.closeTo(places.number[1]!.x, 0) });
  });

  it("fills a template's ${nomor} and ${tanggal} anchors, in the family of the letter's font", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    page.drawText('Nomor: ${nomor}', { x: 60, y: 740, size: 11, font });
    page.drawText('Jakarta, ${tanggal}', { x: 380, y: 740, size: 11, font });
    const pdf = await doc.save();
    const places = await findLetterPlaces(pdf);
    expect(places.number).toEqual([expect.objectContaining({ page: 1, family: 'sans-serif', size: 11 })]);
    // A number shorter than the anchor, so the anchor's covered end shows.
    const numbered = await writeLetterNumber(pdf, { number: '7/2026', date: '2026-11-23' });
    writeFileSync(join(work, 'anchors.pdf'), numbered);
    const read = words(numbered, 1).map((w) => w.text);
    expect(read).toContain('7/2026');
    expect(read.join(' ')).toContain('23 November 2026');
    const [number] = places.number;
    const anchorEnd = band(renderPage(pdf, { work, name: 'anchors-before', dpi }), number!, number!.x + (await helveticaWidth('7/2026', 11)) + 3, number!.xEnd - 1);
    expect(darkPixels(renderPage(pdf, { work, name: 'anchors-before', dpi }), anchorEnd)).toBeGreaterThan(20);
    expect(darkPixels(renderPage(numbered, { work, name: 'anchors-after', dpi }), anchorEnd)).toBe(0);
    expect(execFileSync('pdffonts', [join(work, 'anchors.pdf')], { encoding: 'utf8' })).toMatch(/^Helvetica\s/m);
  });
});

describe('importing an outgoing letter', () => {
  it('refuses a PDF with no place for its number, in Bahasa Indonesia, and records nothing', async () => {
    const store = openStore(join(work, 'loket.db'), { log: collectingLogger() });
    try {
      const blobs = createBlobStore(join(work, 'documents'));
      const pdf = await printed(letterhead('Bandung, 2 Maret 2026').replace(dots(50), '440/12/DINKES/2026'));
      const before = { letters: store.letters.outgoing().length, audit: store.audit.count() };
      await expect(importOutgoingForSigning(store, blobs, { bytes: pdf, fileName: 'bernomor.pdf', subject: 'Undangan', addressee: 'Camat', signer: 'budi' }, 'meja:uji'))
        .rejects.toMatchObject({ code: 'NUMBER_PLACE_MISSING', message: expect.stringMatching(/^Tempat nomor surat tidak ditemukan di PDF ini/) });
      expect({ letters: store.letters.outgoing().length, audit: store.audit.count() }).toEqual(before);
      const ready = await importOutgoingForSigning(store, blobs, { bytes: await printed(letterhead(`Bandung, ${dots(20)} 2026`)), fileName: 'surat.pdf', subject: 'Undangan', addressee: 'Camat', signer: 'budi' }, 'meja:uji');
      expect(ready.status).toBe('ready_to_sign');
    } finally {
      store.close();
    }
  });
});
