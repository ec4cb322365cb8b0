// The one renderer of letters drafted in Loket: a template, the office's letterhead and a draft make
// the A4 PDF that the live preview shows and that the signer signs — the same bytes for the same
// draft. The layout follows Permendagri 1/2023 (tata naskah dinas): Arial-metric type at 12 pt
// (Liberation Sans, embedded from resources/fonts), margins of 3 cm left, 2 cm right, 2.5 cm bottom,
// the letterhead at the top of the first page, page numbers "- 2 -" centred at the top of the
// following pages, and the parts in the regulation's order. Until the letter is signed its number and
// date are dotted blanks, as an Indonesian draft shows them, and `${ttd_pengirim}` marks where the
// signature stamp goes (main/sign/pades/anchor.ts); signing renders it once more with its number, its
// date and the signer block of who signs, and learns where the stamp goes from the renderer itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, grayscale, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { AppError } from '../../../common/errors.ts';
import type { Block, DraftContent, Letterhead, Run, SignerBlock, Template } from '../../../common/ipc/drafting.ts';
import { embedImage } from '../../documents/embed-image.ts';
import { defaultResourcesDir } from '../numbering/classifications.ts';
import { letterDateText } from './indonesian.ts';

const cm = 72 / 2.54;
const pageWidth = 595.28;
const marginRight = 2 * cm;
/** The signature stamp's width (main/sign/pades/stamp.ts): the signature block must hold it inside the right margin. */
const stampWidth = 260;

/** The page and its parts, in PDF points; exported so tests check the letter against the same figures. */
export const layout = {
  page: { width: pageWidth, height: 841.89 },
  margin: { top: 2 * cm, bottom: 2.5 * cm, left: 3 * cm, right: marginRight },
  fontSize: 12,
  lineHeight: 14.5,
  /** Space after a paragraph, a list item, a table. */
  paragraphGap: 7,
  /** The letterhead: logo height and the rule under it. */
  kop: { logoHeight: 2.4 * cm, governmentSize: 14, agencySize: 16, addressSize: 10 },
  /**
   * Left edge of the right-hand column: place and date, addressee, signature block. The stamp is put
   * with its left edge here, so the column starts a stamp's width before the right margin.
   */
  rightColumn: pageWidth - marginRight - stampWidth,
  stampWidth,
  /** Where values start after labels such as "Nomor" and their colon. */
  labelColon: 3 * cm + 64,
  labelValue: 3 * cm + 72,
  /** Height kept free under the signature anchor for the stamp (main/sign/pades/stamp.ts: 86 pt). */
  stampRoom: 88,
  anchorSize: 7,
} as const;

/** The anchor the unsigned letter leaves where the signature stamp goes (main/sign/batch.ts signatureAnchor). */
export const placeholders = { signature: '${ttd_pengirim}' } as const;

/**
 * What an unsigned letter shows where its number and date will be: dotted blanks, as a paper draft
 * leaves them, each about as wide as the value that comes ("800.1.2/123/Diskominfo/2026", "30 September
 * 2026") and on a line where nothing follows it, so the layout does not move when the values come.
 */
export const blanks = { number: '……………………', date: '…………………' } as const;

/** What signing gives the letter: its number from the outgoing book and its date (YYYY-MM-DD). */
export interface LetterValues {
  number: string;
  date: string;
}

/** Where the signature stamp's top left corner goes: the anchor's baseline start and its height, as main/sign/pades/anchor.ts finds it. */
export interface SignaturePlace {
  page: number;
  x: number;
  y: number;
  height: number;
}

export interface RenderInput {
  template: Template;
  letterhead: Letterhead;
  draft: DraftContent;
  /** PDFs appended after the letter as its lampiran, in order. */
  attachments?: readonly Uint8Array[];
  /** The letter as signed: its number and date printed, and no anchor text (the stamp covers its place). */
  values?: LetterValues;
}

export interface RenderOptions {
  resourcesDir?: string;
  /** The PDF's creation date; fixed by the caller so the same draft makes the same bytes. */
  createdAt?: Date;
}

interface Fonts { regular: PDFFont; bold: PDFFont; italic: PDFFont; boldItalic: PDFFont }

const fontFiles = { regular: 'LiberationSans-Regular.ttf', bold: 'LiberationSans-Bold.ttf', italic: 'LiberationSans-Italic.ttf', boldItalic: 'LiberationSans-BoldItalic.ttf' } as const;
const fontBytes = new Map<string, Buffer>();
function readFont(dir: string, file: string): Buffer {
  const path = join(dir, file);
  let bytes = fontBytes.get(path);
  if (!bytes) fontBytes.set(path, (bytes = readFileSync(path)));
  return bytes;
}

function fontOf(fonts: Fonts, run: { bold?: boolean; italic?: boolean }): PDFFont {
  if (run.bold && run.italic) return fonts.boldItalic;
  if (run.bold) return fonts.bold;
  if (run.italic) return fonts.italic;
  return fonts.regular;
}

/** A word (or part of one) in one style, placed on a line. */
interface Piece { text: string; font: PDFFont; width: number; spaceBefore: boolean }
interface Line { pieces: Piece[]; width: number; last: boolean }

/**
 * Breaks styled runs into lines no wider than `width`. A word may change style inside ("**Dasar**:"),
 * so words are built from pieces; a word wider than the line is broken by characters. A newline
 * inside a run ends the line there.
 */
function wrapRuns(runs: readonly Run[], fonts: Fonts, size: number, width: number): Line[] {
  const space = fonts.regular.widthOfTextAtSize(' ', size);
  const words: Piece[][] = [];
  const breaks = new Set<number>();
  let pendingSpace = false;
  for (const run of runs) {
    const font = fontOf(fonts, run);
    const parts = run.text.replace(/\r\n?/g, '\n').split(/(\s)/);
    for (const part of parts) {
      if (part === '\n') { breaks.add(words.length); pendingSpace = false; continue; }
      if (/^\s$/.test(part)) { pendingSpace = true; continue; }
      if (part === '') continue;
      const piece: Piece = { text: part, font, width: font.widthOfTextAtSize(part, size), spaceBefore: pendingSpace };
      if (pendingSpace || words.length === 0 || breaks.has(words.length)) words.push([piece]);
      else words.at(-1)!.push(piece);
      pendingSpace = false;
    }
  }
  const lines: Line[] = [];
  let line: Line = { pieces: [], width: 0, last: false };
  const finish = (last: boolean) => { line.last = last; lines.push(line); line = { pieces: [], width: 0, last: false }; };
  words.forEach((word, index) => {
    if (breaks.has(index) && line.pieces.length > 0) finish(true);
    const wordWidth = word.reduce((sum, p) => sum + p.width, 0);
    const gap = line.pieces.length === 0 ? 0 : space;
    if (line.pieces.length > 0 && line.width + gap + wordWidth > width) finish(false);
    if (wordWidth <= width) {
      word.forEach((p, i) => {
        const before = i === 0 && line.pieces.length > 0;
        line.pieces.push({ ...p, spaceBefore: before });
        line.width += (before ? space : 0) + p.width;
      });
      return;
    }
    // Longer than a whole line (a URL, a list of NIKs): broken by characters.
    for (const p of word) {
      let rest = p.text;
      while (rest.length > 0) {
        let n = rest.length;
        while (n > 1 && line.width + p.font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        if (n === 1 && line.pieces.length > 0 && line.width + p.font.widthOfTextAtSize(rest.slice(0, 1), size) > width) { finish(false); continue; }
        const text = rest.slice(0, n);
        const w = p.font.widthOfTextAtSize(text, size);
        line.pieces.push({ text, font: p.font, width: w, spaceBefore: false });
        line.width += w;
        rest = rest.slice(n);
        if (rest.length > 0) finish(false);
      }
    }
  });
  if (line.pieces.length > 0 || lines.length === 0) finish(true);
  return lines;
}

/** Writes the letter page by page, moving to a new page when the next part does not fit. */
class Writer {
  page!: PDFPage;
  y = 0;
  pageCount = 0;
  readonly left = layout.margin.left;
  readonly right = layout.page.width - layout.margin.right;
  readonly bottom = layout.margin.bottom;

  readonly pdf: PDFDocument;
  readonly fonts: Fonts;
  /** Where the signature block left room for the stamp; set by drawSignature. */
  signatureAt: SignaturePlace | null = null;

  constructor(pdf: PDFDocument, fonts: Fonts) {
    this.pdf = pdf;
    this.fonts = fonts;
  }

  newPage(): void {
    this.page = this.pdf.addPage([layout.page.width, layout.page.height]);
    this.pageCount++;
    this.y = layout.page.height - layout.margin.top;
    if (this.pageCount > 1) {
      const label = `- ${this.pageCount} -`;
      const w = this.fonts.regular.widthOfTextAtSize(label, layout.fontSize);
      this.page.drawText(label, { x: (layout.page.width - w) / 2, y: this.y - layout.fontSize, size: layout.fontSize, font: this.fonts.regular });
      this.y -= 2 * layout.lineHeight;
    }
  }

  /** Room for `height` points below y on this page, else a new page. */
  ensure(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  /** Draws lines at x, justified when asked (the last line of a paragraph stays ragged). */
  drawLines(lines: Line[], x: number, width: number, justify: boolean, size: number = layout.fontSize, color = rgb(0, 0, 0)): void {
    for (const line of lines) {
      this.ensure(layout.lineHeight);
      const baseline = this.y - size;
      const gaps = line.pieces.filter((p, i) => i > 0 && p.spaceBefore).length;
      const space = this.fonts.regular.widthOfTextAtSize(' ', size);
      const extra = justify && !line.last && gaps > 0 ? (width - line.width) / gaps : 0;
      let at = x;
      line.pieces.forEach((p, i) => {
        if (i > 0 && p.spaceBefore) at += space + extra;
        this.page.drawText(p.text, { x: at, y: baseline, size, font: p.font, color });
        at += p.width;
      });
      this.y -= layout.lineHeight * (size / layout.fontSize);
    }
  }

  text(text: string, x: number, width: number, options: { bold?: boolean; justify?: boolean; size?: number } = {}): void {
    const size = options.size ?? layout.fontSize;
    this.drawLines(wrapRuns([{ text, bold: options.bold }], this.fonts, size, width), x, width, options.justify ?? false, size);
  }

  centred(text: string, options: { bold?: boolean; size?: number } = {}): void {
    const size = options.size ?? layout.fontSize;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const width = this.right - this.left;
    for (const line of wrapRuns([{ text, bold: options.bold }], this.fonts, size, width)) {
      this.ensure(layout.lineHeight);
      const joined = line.pieces.map((p, i) => (i > 0 && p.spaceBefore ? ' ' : '') + p.text).join('');
      const w = font.widthOfTextAtSize(joined, size);
      this.page.drawText(joined, { x: this.left + (width - w) / 2, y: this.y - size, size, font });
      this.y -= layout.lineHeight * (size / layout.fontSize);
    }
  }

  gap(points: number): void {
    this.y -= points;
  }
}

/** The letterhead: the logo at the left, the names and address centred in the space beside it, a double rule under. */
function drawLetterhead(w: Writer, kop: Letterhead, logo: PDFImage | null): void {
  const { kop: k } = layout;
  const top = w.y;
  // An office's own logo may be square or wide: the lines start after it, and a wide one is set lower
  // (at most 1.6 times as wide as the shipped logo is high) so the names keep their room.
  const logoSize = logo === null ? null : (() => {
    const height = Math.min(k.logoHeight, (k.logoHeight * 1.6 * logo.height) / logo.width);
    return { width: (logo.width / logo.height) * height, height };
  })();
  const textLeft = logoSize ? w.left + Math.max(k.logoHeight * 0.9, logoSize.width + 0.1 * cm) : w.left;
  const textWidth = w.right - textLeft;
  const lines: Array<{ text: string; font: PDFFont; size: number }> = [
    { text: kop.government.toUpperCase(), font: w.fonts.bold, size: k.governmentSize },
    { text: kop.agency.toUpperCase(), font: w.fonts.bold, size: k.agencySize },
    ...[kop.address, kop.contact].filter((s) => s.trim() !== '').map((text) => ({ text, font: w.fonts.regular, size: k.addressSize })),
  ];
  let y = top;
  for (const line of lines) {
    // A long name is set smaller rather than wrapped: a letterhead keeps its lines.
    let size = line.size;
    while (size > 7 && line.font.widthOfTextAtSize(line.text, size) > textWidth) size -= 0.5;
    const width = line.font.widthOfTextAtSize(line.text, size);
    y -= size * 1.2;
    w.page.drawText(line.text, { x: textLeft + (textWidth - width) / 2, y, size, font: line.font });
  }
  const textBottom = y - 4;
  if (logo && logoSize) w.page.drawImage(logo, { x: w.left, y: top - logoSize.height, width: logoSize.width, height: logoSize.height });
  const ruleY = Math.min(textBottom, logo ? top - k.logoHeight - 4 : textBottom);
  w.page.drawLine({ start: { x: w.left, y: ruleY }, end: { x: w.right, y: ruleY }, thickness: 2.2, color: grayscale(0) });
  w.page.drawLine({ start: { x: w.left, y: ruleY - 3 }, end: { x: w.right, y: ruleY - 3 }, thickness: 0.7, color: grayscale(0) });
  w.y = ruleY - 3 - 2 * layout.lineHeight;
}

/** "Label : value" rows; values wrap under themselves, before `valueRight` or the row's own right edge. */
function drawLabelled(w: Writer, rows: ReadonlyArray<[string, string | string[], number?]>, valueRight: number): void {
  for (const [label, value, ownRight] of rows) {
    const right = ownRight ?? valueRight;
    const items = Array.isArray(value) ? value : [value];
    const numbered = Array.isArray(value) && items.length > 1;
    w.ensure(layout.lineHeight);
    w.page.drawText(label, { x: w.left, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
    w.page.drawText(':', { x: layout.labelColon, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
    if (items.length === 0) items.push('-');
    items.forEach((item, i) => {
      const text = item.trim() === '' ? '-' : item;
      if (numbered) {
        const mark = `${i + 1}.`;
        w.page.drawText(mark, { x: layout.labelValue, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
        w.text(text, layout.labelValue + 18, right - layout.labelValue - 18);
      } else {
        w.text(text, layout.labelValue, right - layout.labelValue);
      }
    });
  }
}

/** "Yth. …" addressees, then "di" and the place, from x. */
function drawAddressee(w: Writer, draft: DraftContent, x: number): void {
  const width = w.right - x;
  const names = draft.addressees.filter((a) => a.trim() !== '');
  if (names.length <= 1) {
    w.text(`Yth. ${names[0] ?? '-'}`, x, width);
  } else {
    w.text('Yth.', x, width);
    names.forEach((name, i) => {
      w.page.drawText(`${i + 1}.`, { x, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
      w.text(name, x + 18, width - 18);
    });
  }
  w.text('di', x, width);
  w.text(draft.addresseePlace.trim() === '' ? 'Tempat' : draft.addresseePlace, x + 18, width - 18);
}

function tableLines(w: Writer, cell: readonly Run[], width: number): Line[] {
  return wrapRuns(cell, w.fonts, layout.fontSize, width);
}

function drawTable(w: Writer, block: Extract<Block, { kind: 'table' }>, x: number, width: number): void {
  const columns = Math.max(...block.rows.map((r) => r.length));
  const pad = block.header ? 4 : 0;
  // Columns as wide as their widest cell wants, scaled to the text width; a key : value table (no
  // header) keeps its first column just wide enough for the keys.
  const natural = Array.from({ length: columns }, (_, c) => Math.max(20, ...block.rows.map((r) => {
    const cell = r[c] ?? [];
    return cell.reduce((sum, run) => sum + fontOf(w.fonts, run).widthOfTextAtSize(run.text, layout.fontSize), 0) + 2 * pad + 2;
  })));
  let widths: number[];
  if (!block.header && columns === 2) {
    const first = Math.min(natural[0]! + 8, width * 0.4);
    widths = [first, width - first];
  } else {
    const total = natural.reduce((a, b) => a + b, 0);
    const min = natural.map((n) => Math.min(n, width / columns));
    if (total <= width) widths = natural.map((n) => (n * width) / total);
    else {
      const fixed = min.reduce((a, b) => a + b, 0);
      const wants = natural.map((n, i) => n - min[i]!);
      const wantTotal = wants.reduce((a, b) => a + b, 0);
      widths = min.map((m, i) => m + (wantTotal > 0 ? (wants[i]! * (width - fixed)) / wantTotal : 0));
    }
  }
  block.rows.forEach((row, r) => {
    const cells = widths.map((cw, c) => tableLines(w, row[c] ?? [], cw - 2 * pad));
    const bold = block.header && r === 0;
    const height = Math.max(...cells.map((l) => l.length)) * layout.lineHeight + 2 * pad;
    w.ensure(height);
    const top = w.y;
    let cx = x;
    cells.forEach((lines, c) => {
      w.y = top - pad;
      const styled = bold ? lines.map((l) => ({ ...l, pieces: l.pieces.map((p) => ({ ...p, font: w.fonts.bold, width: w.fonts.bold.widthOfTextAtSize(p.text, layout.fontSize) })) })) : lines;
      w.drawLines(styled, cx + pad, widths[c]! - 2 * pad, false);
      if (block.header) w.page.drawRectangle({ x: cx, y: top - height, width: widths[c]!, height, borderColor: grayscale(0), borderWidth: 0.6 });
      cx += widths[c]!;
    });
    w.y = top - height;
  });
  w.gap(layout.paragraphGap);
}

function drawBody(w: Writer, body: readonly Block[]): void {
  const width = w.right - w.left;
  for (const block of body) {
    if (block.kind === 'paragraph') {
      w.drawLines(wrapRuns(block.runs, w.fonts, layout.fontSize, width), w.left, width, true);
      w.gap(layout.paragraphGap);
    } else if (block.kind === 'list') {
      const indent = 22;
      block.items.forEach((item, i) => {
        w.ensure(layout.lineHeight);
        w.page.drawText(`${i + 1}.`, { x: w.left, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
        w.drawLines(wrapRuns(item, w.fonts, layout.fontSize, width - indent), w.left + indent, width - indent, true);
        w.gap(layout.paragraphGap / 2);
      });
      w.gap(layout.paragraphGap / 2);
    } else {
      drawTable(w, block, w.left, width);
    }
  }
}

const capacityPrefix = { definitif: '', plh: 'Plh. ', plt: 'Plt. ' } as const;

/**
 * The lines naming the position in the signature block (Permendagri 1/2023): "a.n. <the position
 * one level up>" above the signer's own position when signing on its behalf, and for u.b. the
 * position between them and "u.b." as well; "Plh."/"Plt." before the position a delegate holds.
 */
export function signaturePositionLines(signer: SignerBlock): string[] {
  const own = `${capacityPrefix[signer.capacity ?? 'definitif']}${signer.position.trim() === '' ? '…' : signer.position},`;
  const [top, middle] = signer.onBehalfOf ?? [];
  if (top === undefined) return [own];
  return middle === undefined ? [`a.n. ${top}`, own] : [`a.n. ${top}`, middle, 'u.b.', own];
}

/**
 * The signature block in the right-hand column: the date line where the layout puts it there, the
 * position (with a.n./u.b. and Plh./Plt.), the anchor where the stamp goes with room for it, then
 * name, rank and NIP. Kept whole on one page.
 */
function drawSignature(w: Writer, template: Template, kop: Letterhead, signer: SignerBlock, date: string, anchor: boolean): void {
  const x = layout.rightColumn;
  const width = w.right - x;
  const dateLines = template.layout !== 'berjudul' ? []
    : template.dateLine === 'ditetapkan' ? [`Ditetapkan di ${kop.place}`, `pada tanggal ${date}`]
      : [`${kop.place}, ${date}`];
  const positionLines = signaturePositionLines(signer).flatMap((line) => wrapRuns([{ text: line }], w.fonts, layout.fontSize, width));
  const after = [signer.rank, template.signerNip && signer.nip.trim() !== '' ? `NIP. ${signer.nip}` : ''].filter((s) => template.signerNip && s.trim() !== '');
  const height = (dateLines.length + positionLines.length + 1 + after.length) * layout.lineHeight + layout.stampRoom + layout.lineHeight;
  w.gap(layout.lineHeight);
  w.ensure(height);
  for (const line of dateLines) w.text(line, x, width);
  w.drawLines(positionLines, x, width, false);
  // The anchor sits on the stamp's top edge: signing puts the stamp's top left corner here. The signed
  // letter has no anchor text; the renderer tells signing the same place.
  w.signatureAt = { page: w.pageCount, x, y: w.y - layout.anchorSize, height: layout.anchorSize };
  if (anchor) w.page.drawText(placeholders.signature, { x, y: w.y - layout.anchorSize, size: layout.anchorSize, font: w.fonts.regular, color: grayscale(0.55) });
  w.gap(layout.stampRoom);
  w.text(signer.name.trim() === '' ? '…………………………' : signer.name, x, width, { bold: true });
  for (const line of after) w.text(line, x, width);
}

function drawTembusan(w: Writer, tembusan: readonly string[]): void {
  const items = tembusan.filter((t) => t.trim() !== '');
  if (items.length === 0) return;
  const width = w.right - w.left;
  w.gap(layout.lineHeight);
  // Kept on one page: a list of copies split from its heading reads as two lists.
  w.ensure(layout.lineHeight * (items.length + 1));
  w.text('Tembusan:', w.left, width);
  items.forEach((item, i) => {
    w.ensure(layout.lineHeight);
    w.page.drawText(`${i + 1}.`, { x: w.left, y: w.y - layout.fontSize, size: layout.fontSize, font: w.fonts.regular });
    w.text(item, w.left + 18, width - 18);
  });
}

async function embedLogo(pdf: PDFDocument, logo: string | null): Promise<PDFImage | null> {
  if (logo === null) return null;
  const bytes = Buffer.from(logo, 'base64');
  const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!isPng && !isJpeg) throw new AppError('VALIDATION', 'Logo kop surat harus berupa gambar PNG atau JPEG. Ganti logo di pengaturan kop surat.');
  return embedImage(pdf, bytes, isPng ? 'png' : 'jpeg');
}

async function appendAttachments(pdf: PDFDocument, attachments: readonly Uint8Array[]): Promise<void> {
  for (const [i, bytes] of attachments.entries()) {
    let source: PDFDocument;
    try {
      source = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch (cause) {
      throw new AppError('VALIDATION', `Lampiran ke-${i + 1} tidak dapat dibaca sebagai PDF. Lampirkan berkas PDF lain.`, { attachment: i + 1 }, { cause });
    }
    const pages = await pdf.copyPages(source, source.getPageIndices());
    for (const page of pages) pdf.addPage(page);
  }
}

/** The letter as a PDF: the same function makes the preview and the file the signer signs. */
export async function renderLetter(input: RenderInput, options: RenderOptions = {}): Promise<Uint8Array> {
  return (await renderLetterPlaced(input, options)).bytes;
}

/** The letter as a PDF, and where its signature stamp goes. */
export async function renderLetterPlaced(input: RenderInput, options: RenderOptions = {}): Promise<{ bytes: Uint8Array; signatureAt: SignaturePlace }> {
  const { template, letterhead, draft, values } = input;
  const number = values?.number ?? blanks.number;
  const date = values ? letterDateText(values.date) : blanks.date;
  const fontDir = join(options.resourcesDir ?? defaultResourcesDir, 'fonts');
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const embed = (file: string) => pdf.embedFont(readFont(fontDir, file), { subset: true });
  const fonts: Fonts = { regular: await embed(fontFiles.regular), bold: await embed(fontFiles.bold), italic: await embed(fontFiles.italic), boldItalic: await embed(fontFiles.boldItalic) };
  const when = options.createdAt ?? new Date(0);
  pdf.setTitle(`${template.name}${draft.hal.trim() === '' ? '' : ` — ${draft.hal}`}`);
  pdf.setProducer('Loket');
  pdf.setCreator('Loket (konsep naskah dinas)');
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);

  const w = new Writer(pdf, fonts);
  w.newPage();
  drawLetterhead(w, letterhead, await embedLogo(pdf, letterhead.logo));
  const lampiran = draft.lampiran.trim() === '' ? '-' : draft.lampiran;

  if (template.layout === 'surat') {
    const top = w.y;
    w.text(`${letterhead.place}, ${date}`, layout.rightColumn, w.right - layout.rightColumn);
    w.gap(layout.lineHeight);
    drawAddressee(w, draft, layout.rightColumn);
    const rightBottom = w.y;
    w.y = top - layout.lineHeight;
    // The number's line has nothing in the right-hand column (the gap under the date), so a long
    // number runs on to the margin instead of wrapping and pushing Sifat … Hal down.
    drawLabelled(w, [['Nomor', number, w.right], ['Sifat', draft.sifat], ['Lampiran', lampiran], ['Hal', draft.hal]], layout.rightColumn - 10);
    w.y = Math.min(w.y, rightBottom) - layout.lineHeight;
  } else if (template.layout === 'nota') {
    w.centred(template.title ?? template.name.toUpperCase(), { bold: true });
    w.gap(layout.lineHeight);
    const addressees = draft.addressees.filter((a) => a.trim() !== '');
    drawLabelled(w, [
      ['Yth.', addressees.length > 1 ? addressees : (addressees[0] ?? '-')],
      ['Dari', draft.from],
      ['Tembusan', draft.tembusan.filter((t) => t.trim() !== '').length > 1 ? draft.tembusan.filter((t) => t.trim() !== '') : (draft.tembusan.find((t) => t.trim() !== '') ?? '-')],
      ['Tanggal', date],
      ['Nomor', number],
      ['Sifat', draft.sifat],
      ['Lampiran', lampiran],
      ['Hal', draft.hal],
    ], w.right);
    w.gap(4);
    w.page.drawLine({ start: { x: w.left, y: w.y }, end: { x: w.right, y: w.y }, thickness: 0.8, color: grayscale(0) });
    w.gap(layout.lineHeight);
  } else {
    w.centred(template.title ?? template.name.toUpperCase(), { bold: true });
    w.centred(`NOMOR ${number}`);
    if (template.subjectInTitle) {
      w.gap(layout.lineHeight / 2);
      w.centred('TENTANG');
      w.centred(draft.hal.trim() === '' ? '…' : draft.hal.toUpperCase());
    }
    w.gap(layout.lineHeight);
    if (template.addressee) {
      drawAddressee(w, draft, layout.rightColumn);
      w.gap(layout.lineHeight);
    }
  }

  drawBody(w, draft.body);
  drawSignature(w, template, letterhead, draft.signer, date, values === undefined);
  const signatureAt = w.signatureAt!;
  if (template.layout !== 'nota') drawTembusan(w, draft.tembusan);
  await appendAttachments(pdf, input.attachments ?? []);
  return { bytes: await pdf.save({ useObjectStreams: false }), signatureAt };
}

/**
 * A new draft of a template: its body, the office's defaults, nothing else filled in; `naskahVersion`
 * names the version of the office's kop and templates it was started with (none: the shipped ones).
 */
export function newDraft(template: Template, naskahVersion: string | null = null): DraftContent {
  return {
    type: template.type, sifat: 'Biasa', lampiran: '', hal: '', addressees: [], addresseePlace: 'Tempat', from: '', tembusan: [],
    body: structuredClone(template.body), signer: { position: '', name: '', rank: '', nip: '' },
    ...(naskahVersion === null ? {} : { naskahVersion }),
  };
}
