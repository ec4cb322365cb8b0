// The agenda book (buku agenda surat masuk) of a date range as a PDF: an A4 landscape table with
// the columns the regulations name. The text is set in DejaVu Sans, embedded from resources/, so
// every Indonesian name (and the odd é or ñ of a sender) prints the same on Linux and Windows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterSummary } from '../../store/agenda.ts';
import { defaultResourcesDir } from '../numbering/classifications.ts';
import { formatCalendarDate } from '../../../common/dates.ts';

const pageSize: [number, number] = [841.89, 595.28];
const margin = 28;
const fontSize = 7.5;
const headerSize = 7.5;
const lineHeight = fontSize * 1.25;
const cellPad = 3;

/** 2026-11-23 → 23 November 2026 (a calendar date: no zone). */
export function longDate(iso: string | null): string {
  return iso === null ? '' : formatCalendarDate(iso, 'id', 'long');
}

export const urgencyText = { biasa: 'Biasa', segera: 'Segera', sangat_segera: 'Sangat segera' } as const;
export const securityText = { biasa: 'Biasa', terbatas: 'Terbatas', rahasia: 'Rahasia' } as const;

interface Column {
  title: string;
  /** Share of the table's width. */
  width: number;
  text(l: LetterSummary, index: number): string;
}

const columns: Column[] = [
  { title: 'No.', width: 0.03, text: (_l, i) => String(i + 1) },
  { title: 'No. Agenda', width: 0.1, text: (l) => l.agendaLabel ?? '' },
  { title: 'Tanggal Terima', width: 0.1, text: (l) => longDate(l.receivedDate) },
  { title: 'Nomor & Tanggal Surat', width: 0.17, text: (l) => [l.letterNumber ?? '', longDate(l.letterDate)].filter((s) => s !== '').join('\n') },
  { title: 'Pengirim', width: 0.14, text: (l) => l.sender },
  { title: 'Perihal', width: 0.17, text: (l) => l.subject },
  { title: 'Ringkasan', width: 0.15, text: (l) => l.summary },
  {
    title: 'Keterangan', width: 0.14,
    text: (l) => [
      // A void entry keeps its line and number, marked so that nobody reads it as a standing letter.
      l.status === 'void' ? `BATAL${l.voidReason ? `: ${l.voidReason}` : ''}` : '',
      `Sifat: ${urgencyText[l.urgency]}, ${securityText[l.security]}`,
      l.classificationCode === null ? '' : `Klasifikasi: ${l.classificationCode}`,
      l.attachmentCount > 0 ? `Lampiran: ${l.attachmentCount}` : '',
    ].filter((s) => s !== '').join('\n'),
  },
];

/**
 * Greedy word wrap in time that grows with the text: each word is measured once and a line's width is
 * kept as it grows. A word longer than the cell (a long letter number, a pasted URL or list of NIKs)
 * is broken after a / or - where it can be, else by characters, from widths measured once per
 * distinct character; each piece is then checked whole once (kerning) and shortened if it overflows.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const measure = (s: string) => font.widthOfTextAtSize(s, size);
  const charWidths = new Map<string, number>();
  const charWidth = (ch: string) => {
    let w = charWidths.get(ch);
    if (w === undefined) charWidths.set(ch, (w = measure(ch)));
    return w;
  };
  const space = measure(' ');
  const lines: string[] = [];

  /** A word wider than the cell as lines that each fit; the last one may take more words. */
  const breakWord = (word: string): string[] => {
    const chars = Array.from(word);
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = start;
      let w = 0;
      while (end < chars.length && (end === start || w + charWidth(chars[end]!) <= width)) w += charWidth(chars[end++]!);
      if (end < chars.length) {
        // Prefer to break after a separator inside this piece (not at its very start).
        for (let i = end - 1; i > start; i--) {
          if (chars[i] === '/' || chars[i] === '-') { end = i + 1; break; }
        }
      }
      while (end - start > 1 && measure(chars.slice(start, end).join('')) > width) end--;
      pieces.push(chars.slice(start, end).join(''));
      start = end;
    }
    return pieces;
  };

  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const w = measure(word);
      if (line !== '' && lineWidth + space + w <= width) {
        line = `${line} ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (line !== '') lines.push(line);
      if (w <= width) {
        line = word;
        lineWidth = w;
        continue;
      }
      const pieces = breakWord(word);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1) ?? '';
      lineWidth = measure(line);
    }
    lines.push(line);
  }
  return lines;
}

export interface AgendaBookOptions {
  from: string;
  to: string;
  officeName: string;
  /** When the book was made, printed in the footer. */
  printedAt: string;
  resourcesDir?: string;
}

export async function agendaBookPdf(letters: readonly LetterSummary[], options: AgendaBookOptions): Promise<Uint8Array> {
  const fonts = join(options.resourcesDir ?? defaultResourcesDir, 'fonts');
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`Buku Agenda Surat Masuk ${longDate(options.from)} – ${longDate(options.to)}`);
  pdf.setProducer('Loket');
  pdf.setCreator('Loket (buku agenda)');
  const regular = await pdf.embedFont(readFileSync(join(fonts, 'DejaVuSans.ttf')), { subset: true });
  const bold = await pdf.embedFont(readFileSync(join(fonts, 'DejaVuSans-Bold.ttf')), { subset: true });

  const tableWidth = pageSize[0] - 2 * margin;
  const widths = columns.map((c) => c.width * tableWidth);
  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;

  const bottom = margin + 14;
  /** A data row has been drawn on this page (below the header). */
  let pageHasRows = false;
  const drawRow = (cells: string[][], font: PDFFont, size: number, shade: boolean) => {
    const height = Math.max(...cells.map((c) => c.length)) * lineHeight + 2 * cellPad;
    if (shade) page.drawRectangle({ x: margin, y: y - height, width: tableWidth, height, color: rgb(0.9, 0.92, 0.95) });
    let x = margin;
    cells.forEach((lines, i) => {
      lines.forEach((line, n) => page.drawText(line, { x: x + cellPad, y: y - cellPad - (n + 1) * lineHeight + 2, size, font }));
      page.drawRectangle({ x, y: y - height, width: widths[i]!, height, borderColor: rgb(0.4, 0.4, 0.4), borderWidth: 0.5 });
      x += widths[i]!;
    });
    y -= height;
  };
  const headerCells = columns.map((c, i) => wrap(c.title, bold, headerSize, widths[i]! - 2 * cellPad));
  const newPage = () => {
    page = pdf.addPage(pageSize);
    pages.push(page);
    pageHasRows = false;
    y = pageSize[1] - margin;
    if (pages.length === 1) {
      page.drawText('BUKU AGENDA SURAT MASUK', { x: margin, y: y - 12, size: 12, font: bold });
      const subtitle = [options.officeName.trim(), `Tanggal terima ${longDate(options.from)} s.d. ${longDate(options.to)}`].filter((s) => s !== '').join(' · ');
      page.drawText(subtitle, { x: margin, y: y - 27, size: 9, font: regular });
      y -= 38;
    }
    drawRow(headerCells, bold, headerSize, true);
  };
  /** Lines of a row that fit between y and the page's foot. */
  const linesThatFit = () => Math.floor((y - bottom - 2 * cellPad) / lineHeight);

  newPage();
  /** Lines of a row that fit on a page after the first (no title, only the column headers). */
  const headerHeight = Math.max(...headerCells.map((c) => c.length)) * lineHeight + 2 * cellPad;
  const linesOnFreshPage = Math.floor((pageSize[1] - margin - headerHeight - bottom - 2 * cellPad) / lineHeight);
  if (letters.length === 0) {
    page.drawText('Tidak ada surat masuk pada rentang tanggal ini.', { x: margin, y: y - 16, size: 9, font: regular });
  }
  letters.forEach((letter, index) => {
    let cells = columns.map((c, i) => wrap(c.text(letter, index), regular, fontSize, widths[i]! - 2 * cellPad));
    for (;;) {
      const needed = Math.max(...cells.map((c) => c.length));
      const fit = linesThatFit();
      if (needed <= fit) {
        drawRow(cells, regular, fontSize, false);
        pageHasRows = true;
        return;
      }
      // A row taller than a whole page (a very long summary) continues on the next page; any other
      // row that does not fit starts on a fresh one.
      if (pageHasRows && needed <= linesOnFreshPage) {
        newPage();
        continue;
      }
      if (fit >= 1) {
        drawRow(cells.map((c) => c.slice(0, fit)), regular, fontSize, false);
        cells = cells.map((c) => c.slice(fit));
      }
      newPage();
    }
  });
  pages.forEach((p, i) => {
    p.drawText(`Dicetak ${options.printedAt} · Halaman ${i + 1} dari ${pages.length}`, { x: margin, y: margin - 14, size: 7, font: regular, color: rgb(0.3, 0.3, 0.3) });
  });
  return pdf.save();
}
