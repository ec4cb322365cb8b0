// The agenda book (buku agenda surat masuk) of a date range as a PDF: an A4 landscape table with
// the columns the regulations name. The text is set in DejaVu Sans, embedded from resources/, so
// every Indonesian name (and the odd é or ñ of a sender) prints the same on Linux and Windows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { localDate } from '../../../common/dates.ts';
import { AppError } from '../../../common/errors.ts';
import type { LetterSummary } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';
import { defaultResourcesDir } from '../numbering/classifications.ts';

const pageSize: [number, number] = [841.89, 595.28];
const margin = 28;
const fontSize = 7.5;
const headerSize = 7.5;
const lineHeight = fontSize * 1.25;
const cellPad = 3;

const monthNames = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** 2026-11-23 → 23 November 2026 */
export function longDate(iso: string | null): string {
  if (iso === null) return '';
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${monthNames[m - 1] ?? ''} ${y}`;
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
      `Sifat: ${urgencyText[l.urgency]}, ${securityText[l.security]}`,
      l.classificationCode === null ? '' : `Klasifikasi: ${l.classificationCode}`,
      l.attachmentCount > 0 ? `Lampiran: ${l.attachmentCount}` : '',
    ].filter((s) => s !== '').join('\n'),
  },
];

/**
 * Greedy word wrap. A word longer than the cell (a long letter number) is broken after a / or -
 * where it can be, else by characters.
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) { line = candidate; continue; }
      if (line !== '') lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        const separator = Math.max(rest.lastIndexOf('/', cut - 1), rest.lastIndexOf('-', cut - 1));
        if (separator > 0) cut = separator + 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
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
    y = pageSize[1] - margin;
    if (pages.length === 1) {
      page.drawText('BUKU AGENDA SURAT MASUK', { x: margin, y: y - 12, size: 12, font: bold });
      const subtitle = [options.officeName.trim(), `Tanggal terima ${longDate(options.from)} s.d. ${longDate(options.to)}`].filter((s) => s !== '').join(' · ');
      page.drawText(subtitle, { x: margin, y: y - 27, size: 9, font: regular });
      y -= 38;
    }
    drawRow(headerCells, bold, headerSize, true);
  };

  newPage();
  if (letters.length === 0) {
    page.drawText('Tidak ada surat masuk pada rentang tanggal ini.', { x: margin, y: y - 16, size: 9, font: regular });
  }
  letters.forEach((letter, index) => {
    const cells = columns.map((c, i) => wrap(c.text(letter, index), regular, fontSize, widths[i]! - 2 * cellPad));
    const height = Math.max(...cells.map((c) => c.length)) * lineHeight + 2 * cellPad;
    if (y - height < margin + 14) newPage();
    drawRow(cells, regular, fontSize, false);
  });
  pages.forEach((p, i) => {
    p.drawText(`Dicetak ${options.printedAt} · Halaman ${i + 1} dari ${pages.length}`, { x: margin, y: margin - 14, size: 7, font: regular, color: rgb(0.3, 0.3, 0.3) });
  });
  return pdf.save();
}

/**
 * The agenda book of a date range, recorded in the audit log and the outbox (an export of the
 * register is an action the office must be able to trace).
 */
export async function exportAgendaBook(store: Store, range: { from: string; to: string }, actor: string, now: Date): Promise<{ pdf: Uint8Array; entries: number; fileName: string }> {
  if (range.from > range.to) {
    throw new AppError('VALIDATION', 'Tanggal awal tidak boleh setelah tanggal akhir.', { issues: [{ path: ['from'], message: 'Tanggal awal tidak boleh setelah tanggal akhir.' }] });
  }
  const letters = store.agenda.agendaBook(range.from, range.to);
  const printedAt = `${longDate(localDate(now))} ${String(now.getHours()).padStart(2, '0')}.${String(now.getMinutes()).padStart(2, '0')}`;
  const pdf = await agendaBookPdf(letters, { ...range, officeName: store.settings.get().officeName, printedAt });
  store.transaction(() => {
    const details = { from: range.from, to: range.to, entries: letters.length };
    store.outbox.append({ entity: 'agenda_book', entityId: `${range.from}..${range.to}`, op: 'export', payload: details });
    store.audit.append({ actor, action: 'agenda.exported', entity: 'agenda_book', entityId: `${range.from}..${range.to}`, details });
  });
  return { pdf, entries: letters.length, fileName: `buku-agenda-surat-masuk_${range.from}_${range.to}.pdf` };
}
