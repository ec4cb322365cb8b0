// OCR pre-fill of the agenda form: from the words Tesseract read in the head of a letter's first
// page, with their positions, propose every agenda field the letter prints — number, date, subject,
// sender, addressee, sifat (urgency and security), attachment count and the archive code its number
// carries. These are proposals only: each has its confidence and the text it was read from, and the
// clerk confirms or edits them. A field with nothing credible is left out: a wrong proposal is worse
// than none.
//
// Layout, not text order: Tesseract may read a label column and its value column as separate blocks,
// or run an addressee column beside the number block into the same line. So the words are laid out
// again as rows (corrected for skew) and cells (split at wide gaps); a label's value is the cell after
// its colon, continued on the rows below that start at the same column.
import type { OcrResult } from './ocr/ocr.ts';

export interface Proposal<T> {
  status: 'proposed';
  value: T;
  /** 0–1: how sure the rule is, times how sure Tesseract was of the words. */
  confidence: number;
  /** What the value was read from, to show beside the field ("Dibaca dari"). */
  evidence: string;
}

type Urgency = 'biasa' | 'segera' | 'sangat_segera';
type Security = 'biasa' | 'terbatas' | 'rahasia';

export interface LetterProposals {
  number?: Proposal<string>;
  /** ISO date, yyyy-mm-dd. */
  date?: Proposal<string>;
  subject?: Proposal<string>;
  sender?: Proposal<string>;
  addressee?: Proposal<string>;
  urgency?: Proposal<Urgency>;
  security?: Proposal<Security>;
  attachmentCount?: Proposal<number>;
  classificationCode?: Proposal<string>;
}

export interface PrefillOptions {
  /** Whether the office's classification list has this code (the number's code is proposed only then). */
  isOfficeCode?: (code: string) => boolean;
}

// ---- the page as rows and cells ------------------------------------------------------------------

interface Word { text: string; confidence: number; x0: number; x1: number; y: number; h: number }
interface Row {
  words: Word[];
  y: number;
  h: number;
  /** Where the page's colons stand (shared by all rows): a label column's colons line up. */
  colonXs: number[];
}
interface Cell { words: Word[]; x0: number; x1: number }

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};

/** The page's skew as a slope (dy/dx), from the lines Tesseract found that span several words. */
function skewOf(ocr: OcrResult): number {
  const slopes: number[] = [];
  for (const line of ocr.lines) {
    if (line.words.length < 3) continue;
    const first = line.words[0]!.box;
    const last = line.words[line.words.length - 1]!.box;
    const dx = (last.x0 + last.x1 - first.x0 - first.x1) / 2;
    if (dx < ocr.width * 0.15) continue;
    slopes.push((last.y1 - first.y1) / dx);
  }
  return slopes.length === 0 ? 0 : median(slopes);
}

function cleanWord(text: string): string {
  return text.replace(/[\u2018\u2019\u201c\u201d]/g, "'").replace(/[|]/g, '').trim();
}

/** Words into rows by their deskewed middle; within a row, left to right. */
function rowsOf(ocr: OcrResult): Row[] {
  const slope = skewOf(ocr);
  const words: Word[] = [];
  for (const line of ocr.lines) {
    for (const w of line.words) {
      const text = cleanWord(w.text);
      if (text === '') continue;
      const cx = (w.box.x0 + w.box.x1) / 2;
      // By the box's middle: a dash or a colon sits higher than a word's bottom, but not off its middle.
      words.push({ text, confidence: w.confidence, x0: w.box.x0, x1: w.box.x1, y: (w.box.y0 + w.box.y1) / 2 - slope * cx, h: w.box.y1 - w.box.y0 });
    }
  }
  const lineHeight = median(words.filter((w) => /[a-z]/.test(w.text)).map((w) => w.h)) || 30;
  words.sort((a, b) => a.y - b.y);
  const rows: Row[] = [];
  for (const w of words) {
    const row = rows[rows.length - 1];
    if (row !== undefined && Math.abs(w.y - row.y) < lineHeight * 0.45) {
      row.words.push(w);
      row.y = median(row.words.map((x) => x.y));
    } else rows.push({ words: [w], y: w.y, h: lineHeight, colonXs: [] });
  }
  const colonXs = words.filter((w) => isColon(w.text)).map((w) => w.x0);
  for (const row of rows) {
    row.words.sort((a, b) => a.x0 - b.x0);
    row.colonXs = colonXs;
  }
  return rows;
}

/** A row's cells: runs of words separated by less than a column gap. */
function cellsOf(row: Row): Cell[] {
  const cells: Cell[] = [];
  for (const w of row.words) {
    const cell = cells[cells.length - 1];
    if (cell !== undefined && w.x0 - cell.x1 < row.h * 1.6) { cell.words.push(w); cell.x1 = w.x1; } else cells.push({ words: [w], x0: w.x0, x1: w.x1 });
  }
  return cells;
}

const isColon = (t: string) => /^[:;.,]*[:;][:;.,]*$/.test(t);

/** Whether the page's colons stand in a column at `x` (two at least: a label column's colons line up). */
const inColonColumn = (row: Row, x: number) => row.colonXs.filter((c) => Math.abs(c - x) < row.h * 0.5).length >= 2;

/**
 * A colon, a colon with a stroke OCR saw before it ("1:", "l:"), or a mark OCR made of one ("1", "l",
 * "-"), or of a colon and the dash after it ("Ta"), standing where the other rows have theirs.
 */
function colonLike(w: Word, row: Row): boolean {
  return isColon(w.text) || /^[:;]/.test(w.text) || /^[1lIi|!][:;]$/.test(w.text) || ((/^[1lIi|!-]$/.test(w.text) || (w.text.length <= 2 && !/\d/.test(w.text))) && inColonColumn(row, w.x0)) || colonGlued(w, row);
}

/**
 * A colon OCR read as a stroke and joined to the value's first character (":1 eksemplar" as "11
 * eksemplar"): a word that starts on the colon column itself, where a value never starts.
 */
function colonGlued(w: Word, row: Row): boolean {
  return /^[1lIi|!][\p{L}\p{N}(]/u.test(w.text) && row.colonXs.filter((c) => Math.abs(c - w.x0) < row.h * 0.25).length >= 2;
}

/** What a colon-like word carries after its colon ("" when it is the colon alone). */
function colonTail(w: Word, row: Row): string {
  if (/^[:;.,]/.test(w.text)) return w.text.replace(/^[:;.,]+/, '');
  return colonGlued(w, row) ? w.text.slice(1) : '';
}

const textOf = (words: Word[]) => words.map((w) => w.text).join(' ').replace(/\s+/g, ' ').trim();
const confidenceOf = (words: Word[]) => (words.length === 0 ? 0 : Math.min(...words.map((w) => w.confidence)) * 0.5 + (words.reduce((s, w) => s + w.confidence, 0) / words.length) * 0.5) / 100;
const round2 = (n: number) => Math.round(n * 100) / 100;

function proposal<T>(value: T, ruleConfidence: number, words: Word[], evidence: string): Proposal<T> {
  return { status: 'proposed', value, confidence: round2(Math.max(0.01, Math.min(1, ruleConfidence * confidenceOf(words)))), evidence: evidence.replace(/\s+/g, ' ').trim() };
}

// ---- labels ----------------------------------------------------------------------------------------

type Label = 'nomor' | 'sifat' | 'lampiran' | 'hal' | 'tanggal' | 'kepada' | 'dari' | 'tembusan';

/** Edit distance, for labels misread by a letter ("Lampiran" as "Larnpiran"). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

const labelWords: Array<[Label, string[]]> = [
  ['nomor', ['nomor', 'nomer', 'no']],
  ['sifat', ['sifat']],
  ['lampiran', ['lampiran', 'lamp']],
  ['hal', ['perihal', 'hal']],
  ['tanggal', ['tanggal', 'tgl']],
  ['kepada', ['kepada', 'yth']],
  ['dari', ['dari']],
  ['tembusan', ['tembusan']],
];

/** The label a word is, if any: exact for short labels, one slip allowed for long ones. */
/** A word's letters in small case, with OCR's classic misreading of "m" as "rn" ("Larnpiran") undone. */
const lettersOf = (word: string) => word.toLowerCase().replace(/[^a-z]/g, '').replace(/rn/g, 'm');

function labelOf(word: string, shortSlip = false): Label | null {
  const w = lettersOf(word);
  if (w === '') return null;
  for (const [label, forms] of labelWords) {
    // Long labels keep their shape through two slips ("Lampirau", "Tembusau"); short ones through one.
    for (const f of forms) if (w === f || (f.length >= 5 && w.length >= f.length - 1 && distance(w, f) <= (f.length >= 8 ? 2 : 1))) return label;
  }
  if (!shortSlip) return null;
  // A short label with one letter misread ("Hat" for "Hal"), trusted only where the caller saw its colon in the page's colon column.
  const near = labelWords.filter(([, forms]) => forms.some((f) => f.length >= 3 && f.length <= 4 && w.length === f.length && distance(w, f) === 1));
  return near.length === 1 ? near[0]![0] : null;
}

interface Labelled {
  label: Label;
  row: number;
  labelWord: Word;
  value: Word[];
  /** Where the value's column starts (a wrapped line starts there), and other x a wrapped line may start at. */
  valueX: number;
  anchors: number[];
  /** Whether the label starts its row; if not, it heads a column beside another (the addressee beside the number block). */
  leftmost: boolean;
  rows: Word[][];
}


/** A mark OCR put between a label and its colon ("Perihal — :"): no letter, no digit. */
const stray = (w: Word) => !/[\p{L}\p{N}]/u.test(w.text);

/** Index of the colon among `words` from `from` on, past at most two stray marks; -1 if there is none. */
function colonAfter(words: Word[], from: number, row: Row): number {
  for (let i = from; i < words.length && i <= from + 2; i++) {
    if (colonLike(words[i]!, row)) return i;
    if (!stray(words[i]!)) return -1;
  }
  return -1;
}

/**
 * Whether a label starting its row lost its colon: the page's colon column passes right of it, and
 * what follows (if anything but marks) starts past that column. The colon and a "-" after it are the
 * smallest marks of a letter's head, and a faded or blurred scan loses them first.
 */
function colonLost(row: Row, label: Word, after: Word[]): boolean {
  const column = row.colonXs.find((x) => x > label.x1 && x < label.x1 + row.h * 10 && inColonColumn(row, x));
  if (column === undefined) return false;
  const next = after.find((w) => !stray(w));
  return next === undefined || next.x0 > column + row.h * 0.2;
}

/**
 * "Label : value" at the start of a row's cell: the label word, a colon (alone, or stuck to the
 * label or to the value), and the words after it up to the next column gap. The label must start the
 * row or follow a wide gap (so "nomor" inside a sentence is no label).
 */
function labelledAt(rows: Row[], r: number): Labelled[] {
  const found: Labelled[] = [];
  const row = rows[r]!;
  const cells = cellsOf(row);
  for (let c = 0; c < cells.length; c++) {
    // Marks before a label (a speck, a rule's end) are passed over; a colon is not one (a value follows it).
    const lead = cells[c]!.words.findIndex((w) => !stray(w) || /[:;]/.test(w.text));
    if (lead < 0) continue;
    const cell = { ...cells[c]!, words: cells[c]!.words.slice(lead) };
    // A label OCR broke in two on a faded or blurred scan ("Lampi ran") is joined again.
    const [w0, w1] = cell.words;
    if (w1 !== undefined && labelOf(w0!.text) === null && w1.x0 - w0!.x1 < row.h * 0.6 && labelOf(w0!.text + w1.text) !== null) {
      cell.words = [{ ...w0!, text: w0!.text + w1.text, x1: w1.x1, confidence: Math.min(w0!.confidence, w1.confidence) }, ...cell.words.slice(2)];
    }
    const first = cell.words[0]!;
    const stuck = /^([A-Za-z.]+)\s*([:;].*)$/.exec(first.text);
    const nextColon = cell.words[1] ?? cells[c + 1]?.words[0];
    const label = labelOf(stuck?.[1] ?? first.text)
      ?? (c === 0 && stuck === null && nextColon !== undefined && isColon(nextColon.text) && inColonColumn(row, nextColon.x0) ? labelOf(first.text, true) : null);
    if (label === null) continue;
    // The colon: in this cell after the label, or the first word of the next cell (a tabbed label column).
    let rest: Word[];
    let colon: number;
    let after = c + 1;
    if (stuck !== null) {
      const tail = stuck[2]!.replace(/^[:;]+/, '');
      rest = [...(tail === '' ? [] : [{ ...first, text: tail }]), ...cell.words.slice(1)];
    } else if ((colon = colonAfter(cell.words, 1, row)) >= 0) {
      const w = cell.words[colon]!;
      const tail = colonTail(w, row);
      rest = [...(tail === '' ? [] : [{ ...w, text: tail }]), ...cell.words.slice(colon + 1)];
    } else if (cells[c + 1] !== undefined && cell.words.slice(1).every(stray) && (colon = colonAfter(cells[c + 1]!.words, 0, row)) >= 0) {
      const next = cells[c + 1]!;
      const w = next.words[colon]!;
      const tail = colonTail(w, row);
      rest = [...(tail === '' ? [] : [{ ...w, text: tail }]), ...next.words.slice(colon + 1)];
      after = c + 2;
    } else if (label === 'kepada' && /^yth/i.test(first.text)) {
      // "Yth. Name" needs no colon.
      rest = cell.words.slice(1);
    } else if (c === 0 && colonLost(row, first, [...cell.words.slice(1), ...(cells[c + 1]?.words ?? [])])) {
      // A label starting its row with its colon lost: the value is what stands past the colon column.
      rest = cell.words.length > 1 ? cell.words.slice(1) : cells[c + 1]?.words ?? [];
      after = cell.words.length > 1 ? c + 1 : c + 2;
    } else continue;
    // A value alone in the next cell (colon and value far apart).
    if (rest.length === 0 && cells[after] !== undefined) rest = cells[after]!.words;
    const valueX = rest[0]?.x0 ?? first.x1;
    found.push({ label, row: r, labelWord: first, value: rest, valueX, anchors: [valueX], leftmost: c === 0, rows: [rest] });
  }
  return found;
}

/**
 * Rows under a value that continue it: close below, starting at its column. For a label that starts
 * its row, anything left of the column (the next label, the salutation) ends the value; for a column
 * beside another (the addressee beside the number block), the other column's words are passed over.
 */
function continuation(rows: Row[], item: Labelled, stop: (text: string) => boolean, maxRows = 3): void {
  let last = rows[item.row]!;
  for (let r = item.row + 1; r < rows.length && item.rows.length <= maxRows; r++) {
    const row = rows[r]!;
    if (row.y - last.y > row.h * 2.3) break;
    const cells = cellsOf(row);
    const at = cells.findIndex((c) => item.anchors.some((x) => Math.abs(c.x0 - x) < row.h * 1.2));
    if (at < 0) break;
    const left = cells.slice(0, at);
    if (item.leftmost ? left.some((c) => c.words.some((w) => /[\p{L}\p{N}]/u.test(w.text))) : left.some((c) => c.x1 > item.labelWord.x0 - row.h)) break;
    const words = cells[at]!.words;
    const text = textOf(words);
    if (stop(text) || labelledAt(rows, r).some((l) => Math.abs(l.labelWord.x0 - cells[at]!.x0) < row.h)) break;
    item.rows.push(words);
    last = row;
  }
}

// ---- values ----------------------------------------------------------------------------------------

const monthForms: Array<[RegExp, number]> = [
  [/^jan(uari)?$/, 1], [/^[fp]eb(r?uari)?$/, 2], [/^mar(et)?$/, 3], [/^apr(il)?$/, 4], [/^mei$/, 5], [/^jun(i)?$/, 6],
  [/^jul(i)?$/, 7], [/^ag(u)?s(t(us)?)?$/, 8], [/^sep(t(ember)?)?$/, 9], [/^okt(ober)?$/, 10], [/^nov(ember)?$/, 11], [/^des(ember)?$/, 12],
];
const dayNames = /^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)$/i;

function monthOf(word: string): number | null {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  const exact = monthForms.find(([re]) => re.test(w));
  if (exact !== undefined) return exact[1];
  // A full month name with one letter misread ("Desernber").
  const full = ['januari', 'februari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'desember'];
  const near = full.findIndex((m) => m.length >= 5 && w.length >= m.length - 1 && distance(w, m) <= 1);
  return near >= 0 ? near + 1 : null;
}

function isoDate(day: number, month: number, year: number): string | null {
  if (year < 1945 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "12 Maret 2026", "12 Mar. 2026" in a run of words; OCR's l/I/O in the digits are read as 1 and 0. */
function dateIn(text: string): { iso: string; index: number } | null {
  const re = /\b([0-3lIO]?[0-9lIO])\s*[-.]?\s*([A-Za-z]{3,10}\.?)\s*[-.]?\s*((?:19|20)[0-9lIO]{2})\b/g;
  for (const m of text.matchAll(re)) {
    const month = monthOf(m[2]!);
    const n = (s: string) => Number(s.replace(/[lI]/g, '1').replace(/O/g, '0'));
    const iso = month === null ? null : isoDate(n(m[1]!), month, n(m[3]!));
    if (iso !== null) return { iso, index: m.index };
  }
  return null;
}

const romanMonth = /^(I{1,3}|IV|VI{0,3}|IX|XI{0,2})$/;

/** What the letter's own date tells of its number: the number carries its month (in Roman) and year. */
interface NumberHint { month: number; year: number; doubtful: boolean }

/** Digits OCR takes for one another in a blurred or faded year ("2028" for "2026"). */
const digitSlips = new Set(['68', '86', '38', '83', '08', '80', '56', '65', '89', '98', '17', '71', '35', '53']);

/**
 * The year of a number read poorly that is one confusable digit off the letter's own year: that
 * year. A clean reading that disagrees stays as read.
 */
function yearSlip(seg: string, hint: NumberHint | undefined): string | null {
  if (hint === undefined || !hint.doubtful || !/^(19|20)\d\d$/.test(seg)) return null;
  const year = String(hint.year);
  const diff = [...seg].map((ch, i) => (ch === year[i] ? '' : ch + year[i])).filter((d) => d !== '');
  return diff.length === 1 && digitSlips.has(diff[0]!) ? year : null;
}

/**
 * A Roman month misread with strokes (1, l, |, a lowercase x or v, a stroke too many or too few:
 * "I1II", "XI1", "x11"): the letter's own month when it is one stroke from the reading. Only a
 * reading with such a slip is changed; a clean Roman month that disagrees with the date stays.
 */
function romanSlip(seg: string, hint: NumberHint | undefined): string | null {
  if (hint === undefined || !/^[IVXivx1l|]+$/.test(seg) || (romanMonth.test(seg) && !/[1l|]/.test(seg))) return null;
  const read = seg.replace(/[1l|]/g, 'I').toUpperCase();
  const month = romans[hint.month - 1]!;
  return read === month || (Math.abs(read.length - month.length) === 1 && distance(read, month) === 1) ? month : null;
}
const romans = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/**
 * A letter number as printed: spaces around separators closed up, brackets at a segment's edge
 * dropped. Misreads are repaired only where the result is then valid: a Roman month (before the
 * year) read with 1 or l for I, or with a slash misread as J before it; and, where the letter's date
 * is known, a Roman month or a year read with a slip, to the date's.
 */
function cleanNumber(raw: string, hint?: NumberHint): { value: string; repaired: boolean } {
  const compact = raw.replace(/\s*([/.-])\s*/g, '$1').replace(/\s+/g, ' ').split(' ')[0] ?? '';
  let repaired = false;
  const segments = compact.split('/').map((seg) => {
    const trimmed = seg.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (trimmed !== seg) repaired = true;
    return trimmed;
  }).filter((s) => s !== '');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    let seg = segments[i]!;
    const beforeYear = /^(19|20)\d\d$/.test(segments[i + 1] ?? '');
    const afterUnit = /\p{L}/u.test(segments[i - 1] ?? '');
    const year = yearSlip(seg, hint);
    if (year !== null && year !== seg) { seg = year; repaired = true; }
    const month = beforeYear ? romanSlip(seg, hint) : null;
    if (month !== null && month !== seg) { seg = month; repaired = true; }
    if (beforeYear && !romanMonth.test(seg)) {
      // "V1", "VIl", "XI1" → VI, VII, XII; ones alone ("111") only where a unit code comes before
      // (".../SETDA/111/2026"): elsewhere "11" is a real number and stays.
      const roman = seg.replace(/[1l|]/g, 'I');
      if (roman !== seg && romanMonth.test(roman) && (/[VX]/.test(seg) || /[lI|]/.test(seg) || afterUnit)) { seg = roman; repaired = true; }
      // "BAPPEDAIVII", "DISKOMINFOJIII": the slash before the month read as I, J, l or 1.
      for (let p = 1; p < seg.length - 1 && !romanMonth.test(seg); p++) {
        if (/[IJl1|]/.test(seg[p]!) && /\p{L}/u.test(seg[p - 1]!) && romanMonth.test(seg.slice(p + 1))) {
          out.push(seg.slice(0, p));
          seg = seg.slice(p + 1);
          repaired = true;
        }
      }
    }
    out.push(seg);
  }
  return { value: out.join('/'), repaired };
}

/** What a printed sifat says of the two selects: its urgency, its security class, or both. */
interface Sifat { urgency?: Urgency; security?: Security }
const sifatForms: Array<[RegExp, Sifat]> = [
  [/^(sangat|amat)\s*segera$/, { urgency: 'sangat_segera' }],
  [/^segera$/, { urgency: 'segera' }],
  [/^sangat\s*rahasia$/, { security: 'rahasia' }],
  [/^rahasia$/, { security: 'rahasia' }],
  [/^terbatas$/, { security: 'terbatas' }],
  [/^biasa$/, { urgency: 'biasa', security: 'biasa' }],
];

function sifatOf(text: string): Sifat | null {
  const t = text.toLowerCase().replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();
  for (const [re, value] of sifatForms) if (re.test(t)) return value;
  // One letter misread in a single-word sifat ("Segcra").
  for (const [word, value] of [['segera', { urgency: 'segera' }], ['rahasia', { security: 'rahasia' }], ['terbatas', { security: 'terbatas' }], ['biasa', { urgency: 'biasa', security: 'biasa' }]] as const) {
    if (!t.includes(' ') && t.length >= word.length - 1 && distance(t, word) <= 1) return value;
  }
  return null;
}

/** The digits' words; short ones must be read exactly ("dua" one letter off is too many other words). */
const digitWords: Array<[string, number]> = [['satu', 1], ['dua', 2], ['tiga', 3], ['empat', 4], ['lima', 5], ['enam', 6], ['tujuh', 7], ['delapan', 8], ['sembilan', 9]];
const wordIs = (got: string | undefined, form: string) => got !== undefined && (got === form || (form.length >= 5 && got.length >= form.length - 1 && distance(got, form) <= 1));
const digitWordAt = (words: string[], i: number) => digitWords.find(([form]) => wordIs(words[i], form))?.[1] ?? null;

/** Units an attachment is counted in; a misread one ("bcrkas") still tells it is a count of things. */
const attachmentUnits = ['berkas', 'lembar', 'eksemplar', 'exemplar', 'bundel', 'bendel', 'buku', 'set', 'map', 'keping', 'halaman', 'expl', 'eks'];
const isUnit = (w: string | undefined) => w !== undefined && w !== '' && attachmentUnits.some((u) => w === u || (u.length >= 5 && w.length >= u.length - 1 && distance(w, u) <= 1));

/**
 * The count a run of words spells, as Indonesian spells counts ("satu", "sepuluh", "sebelas",
 * "tujuh belas", "dua puluh lima", "seratus"), and where it ends; null if it spells none. A count
 * word glued to its unit ("Duaset", "satuberkas": a space OCR lost) is read too.
 */
function countWordAt(words: string[], from: number): { count: number; next: number } | null {
  let i = from;
  let count = 0;
  if (wordIs(words[i], 'seratus')) { count = 100; i++; }
  if (wordIs(words[i], 'sepuluh')) return { count: count + 10, next: i + 1 };
  if (wordIs(words[i], 'sebelas')) return { count: count + 11, next: i + 1 };
  const tens = digitWordAt(words, i);
  if (tens !== null && wordIs(words[i + 1], 'puluh')) {
    const ones = digitWordAt(words, i + 2);
    return ones === null ? { count: count + tens * 10, next: i + 2 } : { count: count + tens * 10 + ones, next: i + 3 };
  }
  if (tens !== null && wordIs(words[i + 1], 'belas')) return { count: count + 10 + tens, next: i + 2 };
  if (tens !== null) return { count: count + tens, next: i + 1 };
  if (count > 0) return { count, next: i };
  const glued = words[i] === undefined ? undefined : digitWords.find(([form]) => words[i]!.startsWith(form) && isUnit(words[i]!.slice(form.length)));
  return glued === undefined ? null : { count: glued[1], next: i + 1 };
}

/**
 * "2 (dua) berkas" → 2, "Satu berkas" → 1, "2 lembar" → 2, "-" → 0. OCR's slips are tolerated where
 * the result stays a count: a bracket misread or lost, the unit word misread or missing, l/I/O in
 * the digits. A digit and a count word that disagree: the word (a whole word misread into another
 * count word is rarer than a digit misread). Anything else is no count.
 */
function attachmentCountOf(text: string): number | null {
  const t = text.trim();
  // A dash for "none", however OCR drew it; or the words for it.
  if (t !== '' && !/[\p{L}\p{N}]/u.test(t) && t.replace(/\s/g, '').length <= 3) return 0;
  if (/^(tidak\s+ada|nihil)\b/i.test(t)) return 0;
  const tokens = t.replace(/[()[\]{}<>|]/g, ' ').split(/\s+/).filter((w) => w !== '');
  let digits: number | null = null;
  let i = 0;
  const first = tokens[0] ?? '';
  if (/^[0-9lIO]{1,3}[.,]?$/.test(first) && /\d/.test(first.replace(/[lI]/g, '1').replace(/O/g, '0'))) {
    const value = Number(first.replace(/[.,]$/, '').replace(/[lI]/g, '1').replace(/O/g, '0'));
    // "l" or "O" alone is a letter, not a count, unless a count word or a unit follows.
    digits = /\d/.test(first) || tokens.length > 1 ? value : null;
    i = 1;
  }
  const words = tokens.map(lettersOf);
  const spelled = countWordAt(words, i);
  const after = spelled?.next ?? i;
  if (spelled !== null) return spelled.count;
  if (digits === null) return null;
  // Digits with a unit (next, or after a count word OCR could not read), alone, or before a bracketed
  // word: the digits.
  if (isUnit(words[after]) || isUnit(words[after + 1]) || tokens.length === 1 || /\(/.test(t)) return digits;
  return null;
}

// ---- fields ------------------------------------------------------------------------------------------

const smallWords = new Set(['dan', 'di', 'ke', 'dari', 'serta', 'atau', 'yang', 'untuk', 'pada']);
function titleCase(upper: string): string {
  return upper.toLowerCase().split(' ').filter((w) => w !== '').map((w, i) => (i > 0 && smallWords.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

const addressWord = /^(jalan|jl\.?|jln\.?|telepon|telp\.?|tel\.?|fax|faks|faksimile|laman|website|email|e-mail|pos-el|kode|alamat|www\.)/i;
/** A letterhead word: capitals (with a comma or hyphen), two letters at least. */
const capsWord = (w: string) => /^[A-Z][A-Z,.'-]*$/.test(w) && w.replace(/[^A-Z]/g, '').length >= 2;

/** The letterhead: "PEMERINTAH KOTA X" (or "BUPATI X") and the agency's lines in capitals, above the address. */
function proposeSender(rows: Row[], headEnd: number): Proposal<string> | undefined {
  const letterhead: Word[][] = [];
  for (const row of rows.slice(0, Math.min(headEnd, 8))) {
    const text = textOf(row.words);
    if (row.words.some((w) => addressWord.test(w.text)) || /nota dinas|^nomor|,\s*\d/i.test(text)) break;
    // The longest run of capitalised words: logo noise, rules and stray marks fall away.
    let best: Word[] = [];
    let run: Word[] = [];
    for (const w of row.words) {
      if (capsWord(w.text) && w.confidence > 40) run.push(w); else { if (run.length > best.length) best = run; run = []; }
    }
    if (run.length > best.length) best = run;
    if (best.length === 0) { if (letterhead.length > 0) break; continue; }
    letterhead.push(best);
  }
  if (letterhead.length === 0) return undefined;
  const texts = letterhead.map((words) => textOf(words).replace(/[.,'-]+$/, ''));
  const govIndex = texts.findIndex((t) => /^PEMERINTAH\s+(KOTA|KABUPATEN|PROVINSI)\s+\S/.test(t));
  const all = letterhead.flat();
  if (govIndex >= 0) {
    const region = titleCase(texts[govIndex]!.replace(/^PEMERINTAH\s+/, ''));
    const agency = texts.slice(govIndex + 1);
    if (agency.length === 0) return undefined;
    const name = titleCase(agency.join(' '));
    const value = name.toLowerCase().includes(region.toLowerCase()) ? name : `${name} ${region}`;
    return proposal(value, 0.9, letterhead.slice(govIndex).flat(), texts.slice(govIndex).join(' / '));
  }
  const head = texts.find((t) => /^(BUPATI|WALI\s?KOTA|WALIKOTA|GUBERNUR)\s+\S/.test(t));
  if (head !== undefined) return proposal(titleCase(head.replace(/^WALIKOTA/, 'WALI KOTA')), 0.85, all, head);
  return undefined;
}

interface Head {
  rows: Row[];
  /** Index of the salutation row ("Dengan hormat"), or rows.length. */
  end: number;
  labels: Labelled[];
}

const stopsSubject = (t: string) => /^(yth\b|kepada\b|dengan hormat|di\s*[-–]|di\s+tempat)/i.test(t) || /^[A-Z][\p{L} .]+,\s*[0-3lI]?\d\s+\p{L}+\.?\s+(19|20)\d\d/u.test(t);
const stopsAddressee = (t: string) => /^(di\b|dengan hormat|sehubungan|bersama)/i.test(t) || /^[A-Z][\p{L} .]+,\s*\d/u.test(t);

function headOf(ocr: OcrResult): Head {
  const rows = rowsOf(ocr);
  const salutation = rows.findIndex((r) => /^dengan\s+hormat/i.test(textOf(r.words)));
  const end = salutation >= 0 ? salutation : rows.length;
  const labels = rows.slice(0, end).flatMap((_, r) => labelledAt(rows, r));
  return { rows, end, labels };
}

function firstLabel(head: Head, label: Label): Labelled | undefined {
  return head.labels.find((l) => l.label === label && l.value.length > 0);
}

/**
 * The words of a number: OCR sometimes breaks one at a slash or a digit ("045.2/1 156/SATPOLPP/…");
 * the pieces are joined while they look like parts of a number (digits, capitals, separators), up to
 * a word that does not ("Dumai,", a date on the same line).
 */
function numberText(words: Word[]): string {
  const parts: string[] = [];
  for (const w of words) {
    const t = w.text;
    const piece = /^[\p{Lu}\p{N}./()-]+$/u.test(t) && (/[\d/]/.test(t) || /^[A-Z.-]{2,}$/.test(t));
    if (parts.length > 0 && !piece) break;
    parts.push(t);
    if (parts.length === 1 && !/[\d/]/.test(t)) break;
  }
  return parts.join('');
}

function proposeNumber(head: Head, date: Proposal<string> | undefined): Proposal<string> | undefined {
  for (const item of head.labels.filter((l) => l.label === 'nomor')) {
    const [year, month] = (date?.value ?? '').split('-').map(Number);
    // A reading Tesseract was unsure of may carry a digit slip in its year.
    const hint = date === undefined ? undefined : { year: year!, month: month!, doubtful: Math.min(...item.value.map((w) => w.confidence)) < 70 };
    const { value, repaired } = cleanNumber(numberText(item.value), hint);
    // A letter number has digits and a separator; "Nomor 12" inside an address does not count.
    if (!/\d/.test(value) || !/[/.-]/.test(value) || value.length < 4) continue;
    return proposal(value, (value.includes('/') ? 0.97 : 0.75) * (repaired ? 0.85 : 1), item.value, `${item.labelWord.text} : ${textOf(item.value)}`);
  }
  return undefined;
}

function proposeDate(head: Head): Proposal<string> | undefined {
  // "Place, 12 Maret 2026" in the head: the letter's own date (a day name before the comma is a schedule).
  for (const row of head.rows.slice(0, head.end)) {
    for (const cell of cellsOf(row)) {
      const text = textOf(cell.words);
      const m = /([\p{L}.'-]+(?:\s+[\p{L}.'-]+){0,3})\s*,\s*(.+)$/u.exec(text);
      if (m === null || dayNames.test(m[1]!.trim().split(' ').pop() ?? '') || labelOf(m[1]!.trim().split(' ')[0]!) !== null) continue;
      const found = dateIn(m[2]!);
      if (found !== null && found.index <= 2) return proposal(found.iso, 0.95, cell.words, text);
    }
  }
  const labelled = firstLabel(head, 'tanggal');
  if (labelled !== undefined) {
    const found = dateIn(textOf(labelled.value));
    if (found !== null && found.index <= 2) return proposal(found.iso, 0.9, labelled.value, `${labelled.labelWord.text} : ${textOf(labelled.value)}`);
  }
  return undefined;
}

/** Words OCR glued with a stray mark for the space ("Dinas.Pendidikan") set apart again. */
const unglued = (text: string) => text.replace(/(\p{Ll}{2})[.,'](\p{Lu}\p{Ll})/gu, '$1 $2');

function valueWithContinuation(head: Head, item: Labelled, stop: (t: string) => boolean): { text: string; words: Word[] } {
  continuation(head.rows, item, stop);
  const words = item.rows.flat();
  return { text: item.rows.map((ws) => textOf(ws)).join(' ').replace(/\s+/g, ' ').trim(), words };
}

function proposeSubject(head: Head): Proposal<string> | undefined {
  const item = firstLabel(head, 'hal');
  if (item === undefined) return undefined;
  const { text, words } = valueWithContinuation(head, item, stopsSubject);
  const value = unglued(text).replace(/^[^\p{L}\p{N}]+/u, '').replace(/[\s.,;:-]+$/, '');
  if (value.replace(/[^\p{L}]/gu, '').length < 4) return undefined;
  return proposal(value, item.rows.length > 1 ? 0.9 : 0.95, words, `${item.labelWord.text} : ${text}`);
}

/**
 * A name misread past use (a stamp over it): a word with capitals after small letters
 * ("KepalaBIEBIMimum"), or one in small letters that is no joining word — names and titles are
 * capitalised. Proposing that would be worse than proposing nothing.
 */
function garbled(name: string): boolean {
  return name.split(' ').some((w) => /\p{Ll}\p{Lu}/u.test(w) || (/^\p{Ll}/u.test(w) && !smallWords.has(w) && !/^(se-|s\.d\.)/.test(w)));
}

function proposeAddressee(head: Head): Proposal<string> | undefined {
  const items = head.labels.filter((l) => l.label === 'kepada');
  // "Kepada : Yth. X" (nota dinas), "Yth. X" and "Kepada" over "Yth. X": the name after Yth.
  const yth = items.find((l) => /^yth/i.test(l.labelWord.text) && l.value.length > 0)
    ?? items.find((l) => l.value.length > 0 && /^yth/i.test(l.value[0]!.text));
  if (yth === undefined) return undefined;
  if (!/^yth/i.test(yth.labelWord.text)) {
    // "Kepada : Yth. Name": a wrapped line starts under "Yth." or under the name.
    yth.value = yth.value.slice(1);
    if (yth.value.length === 0) return undefined;
    yth.anchors = [yth.valueX, yth.value[0]!.x0];
    yth.valueX = yth.value[0]!.x0;
    yth.rows = [yth.value];
  }
  const { text, words } = valueWithContinuation(head, yth, stopsAddressee);
  const value = unglued(text).replace(/^[^\p{L}]+/u, '').replace(/\s+di\s*[-–].*$/i, '').replace(/[\s.,;:-]+$/, '');
  if (value.replace(/[^\p{L}]/gu, '').length < 4 || /^\(?\s*daftar\s+terlampir|^terlampir/i.test(value) || garbled(value)) return undefined;
  return proposal(value, 0.9, words, `Yth. ${text}`);
}

function proposeSifat(head: Head): Pick<LetterProposals, 'urgency' | 'security'> {
  const item = firstLabel(head, 'sifat');
  if (item === undefined) return {};
  const text = textOf(item.value);
  const sifat = sifatOf(text);
  if (sifat === null) return {};
  const evidence = `${item.labelWord.text} : ${text}`;
  return {
    ...(sifat.urgency === undefined ? {} : { urgency: proposal(sifat.urgency, 0.95, item.value, evidence) }),
    ...(sifat.security === undefined ? {} : { security: proposal(sifat.security, 0.95, item.value, evidence) }),
  };
}

function proposeAttachments(head: Head): Proposal<number> | undefined {
  const item = head.labels.find((l) => l.label === 'lampiran');
  if (item === undefined) return undefined;
  // "Lampiran :" with nothing after it: nothing attached (a lone dash is small, and OCR loses it often).
  if (item.value.length === 0) return proposal(0, 0.6, [item.labelWord], `${item.labelWord.text} :`);
  // A value far right of the number's value column is the column beside (the addressee), the dash lost.
  const number = head.labels.find((l) => l.label === 'nomor' && l.leftmost);
  const h = head.rows[item.row]!.h;
  const beside = item.leftmost && number !== undefined && item.valueX - number.valueX > h * 6;
  if (beside && attachmentCountOf(textOf(item.value)) === null) return proposal(0, 0.6, [item.labelWord], `${item.labelWord.text} :`);
  // A count wrapped in a narrow column ("25 (dua puluh" over "lima) lembar") is read with its next line.
  const { text, words } = /\([^)]*$/.test(textOf(item.value)) ? valueWithContinuation(head, item, stopsSubject) : { text: textOf(item.value), words: item.value };
  const count = attachmentCountOf(text);
  if (count === null || count > 999) return undefined;
  return proposal(count, 0.9, words, `${item.labelWord.text} : ${text}`);
}

/** The archive code the number starts with, or its nearest parent, when the office's list has it. */
function proposeClassification(number: Proposal<string> | undefined, isOfficeCode: ((code: string) => boolean) | undefined): Proposal<string> | undefined {
  if (number === undefined || isOfficeCode === undefined) return undefined;
  const first = number.value.split('/')[0]!;
  if (!/^\d{3}(\.\d+)*$/.test(first)) return undefined;
  const parts = first.split('.');
  for (let n = parts.length; n > 0; n--) {
    const code = parts.slice(0, n).join('.');
    if (isOfficeCode(code)) return { status: 'proposed', value: code, confidence: round2(number.confidence * (n === parts.length ? 1 : 0.8)), evidence: number.evidence };
  }
  return undefined;
}

/** Proposals for the agenda form from the head of page 1; a field with nothing credible is left out. */
export function proposeLetterFields(ocr: OcrResult, options: PrefillOptions = {}): LetterProposals {
  const head = headOf(ocr);
  const date = proposeDate(head);
  const number = proposeNumber(head, date);
  const result: LetterProposals = {
    ...(number === undefined ? {} : { number }),
    date,
    subject: proposeSubject(head),
    sender: proposeSender(head.rows, head.end),
    addressee: proposeAddressee(head),
    ...proposeSifat(head),
    attachmentCount: proposeAttachments(head),
    classificationCode: proposeClassification(number, options.isOfficeCode),
  };
  return Object.fromEntries(Object.entries(result).filter(([, p]) => p !== undefined)) as LetterProposals;
}
