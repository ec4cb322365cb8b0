// OCR pre-fill of the agenda form: from the text of a letter's first page, propose its number,
// date, subject and sender. These are proposals only — each carries its confidence and the line it
// came from, and the clerk confirms or edits them; nothing here is ever saved as a confirmed value.
import type { OcrResult } from './ocr/ocr.ts';

export interface Proposal<T> {
  status: 'proposed';
  value: T;
  /** 0–1: how sure the pattern is, times how sure Tesseract was of the line. */
  confidence: number;
  /** The OCR line the value was read from, to show beside the field. */
  evidence: string;
}

export interface LetterProposals {
  number?: Proposal<string>;
  /** ISO date, yyyy-mm-dd. */
  date?: Proposal<string>;
  subject?: Proposal<string>;
  sender?: Proposal<string>;
}

const months: Array<[RegExp, number]> = [
  [/^jan(uari)?$/, 1], [/^[fp]eb(r?uari)?$/, 2], [/^mar(et)?$/, 3], [/^apr(il)?$/, 4], [/^mei$/, 5], [/^jun(i)?$/, 6],
  [/^jul(i)?$/, 7], [/^(agustus|agus|agu?st?|agt|ags)$/, 8], [/^sep(t(ember)?)?$/, 9], [/^okt(ober)?$/, 10], [/^[nm]o[pv](ember)?$/, 11], [/^des(ember)?$/, 12],
];

function monthNumber(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  return months.find(([re]) => re.test(w))?.[1] ?? null;
}

function isoDate(day: number, month: number, year: number): string | null {
  if (year < 1945 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// "12 Maret 2026", "12 Mar. 2026", "12-Maret-2026"; OCR may read a leading 1 of the day as l or I.
const wordDate = /\b([0-3lI]?[0-9lI])\s*[-.]?\s*([A-Za-z]{3,9}\.?)\s*[-.]?\s*((?:19|20)\d\d)\b/g;
const placeDate = /([A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,3}),\s*([0-3]?\d)\s*[-.]?\s*([A-Za-z]{3,9}\.?)\s*[-.]?\s*((?:19|20)\d\d)\b/;
const numericDate = /\b([0-3]?\d)[-/.]([01]?\d)[-/.]((?:19|20)\d\d)\b/;

function digits(s: string): number {
  return Number(s.replace(/[lI]/g, '1'));
}

function findWordDate(text: string): { iso: string; index: number; length: number } | null {
  for (const m of text.matchAll(wordDate)) {
    const month = monthNumber(m[2]!);
    const iso = month === null ? null : isoDate(digits(m[1]!), month, Number(m[3]));
    if (iso !== null) return { iso, index: m.index, length: m[0].length };
  }
  return null;
}

interface TextLine { text: string; confidence: number }

/** OCR lines with blank lines kept (they separate paragraphs), each with Tesseract's line confidence. */
function linesOf(ocr: OcrResult): TextLine[] {
  const byText = new Map<string, number>();
  for (const l of ocr.lines) byText.set(normalise(l.text), l.confidence);
  return ocr.text.split('\n').map((raw) => {
    const text = normalise(raw);
    return { text, confidence: (byText.get(text) ?? ocr.confidence) / 100 };
  });
}

function normalise(line: string): string {
  return line.replace(/[\u2018\u2019]/g, "'").replace(/[|]/g, ' ').replace(/\s+/g, ' ').trim();
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function proposal<T>(value: T, patternConfidence: number, line: TextLine): Proposal<T> {
  return { status: 'proposed', value, confidence: round2(Math.max(0, Math.min(1, patternConfidence * line.confidence))), evidence: line.text };
}

/** "Nomor : x", "Nomor. : x", "No : x", OCR's "Nomor .: x"; the label starts the line. */
const labelSep = String.raw`\s*[.,;:_-]*\s*[:;.]\s*|\s+`;
const numberLabel = new RegExp(String.raw`^(?:nomor|nomer|no)(?:${labelSep})(.+)$`, 'i');
// OCR puts stray marks between the label and its colon ("Hal . :", "Perihal — :").
const subjectLabel = /^(?:perihal|hal)\s*[^\p{L}\p{N}:;]{0,3}\s*[:;]\s*(.+)$/iu;
/** OCR sometimes loses the colon; "Perihal" alone still starts the subject ("Hal" alone is too common in prose). */
const subjectLabelLoose = /^perihal\s+(.+)$/i;
const dateLabel = /^tanggal\s*[.,;_-]*\s*[:;]\s*(.+)$/i;
const anyLabel = /^[A-Za-z][A-Za-z .]{1,20}\s*[:;]/;
const notSubject = /^(yth\b|kepada\b|dengan hormat|di\s*-|sehubungan|bersama|menindaklanjuti|memperhatikan|berdasarkan)/i;

/**
 * Repairs what Tesseract typically gets wrong in agenda numbers: the Roman month before the year
 * read as digits ("111" for III, "V1" for VI), and stray brackets at a segment's edge.
 */
function cleanNumber(raw: string): { value: string; repaired: boolean } {
  const compact = raw.replace(/\s*([/.-])\s*/g, '$1').split(' ')[0] ?? '';
  let repaired = false;
  const segments = compact.split('/').map((seg) => {
    const trimmed = seg.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (trimmed !== seg) repaired = true;
    return trimmed;
  });
  const fixed = segments.map((seg, i) => {
    const beforeYear = /^(19|20)\d\d$/.test(segments[i + 1] ?? '');
    const mixedRoman = /^[IVXivx1l]{1,4}$/.test(seg) && /[VXvx]/.test(seg) && /[1l]/.test(seg);
    const onesAsMonth = beforeYear && /^[1lI]{1,3}$/.test(seg) && /[1l]/.test(seg);
    if (!mixedRoman && !onesAsMonth) return seg;
    const roman = seg.toUpperCase().replace(/[1L]/g, 'I');
    if (!/^(I{1,3}|IV|VI{0,3}|IX|XI{0,2})$/.test(roman)) return seg;
    repaired = true;
    return roman;
  });
  return { value: fixed.filter((s) => s !== '').join('/'), repaired };
}

function proposeNumber(lines: TextLine[]): Proposal<string> | undefined {
  for (const line of lines) {
    const m = numberLabel.exec(line.text);
    if (m === null) continue;
    let rest = m[1]!;
    // Some layouts print "Place, date" on the same line as the number, to the right.
    const sameLineDate = placeDate.exec(rest);
    if (sameLineDate !== null) rest = rest.slice(0, sameLineDate.index);
    const { value, repaired } = cleanNumber(rest.trim());
    // A letter number has digits and usually a slash; "Nomor 12" inside an address does not count.
    if (!/\d/.test(value) || value.length < 3) continue;
    return proposal(value, (value.includes('/') ? 0.95 : 0.7) * (repaired ? 0.85 : 1), line);
  }
  return undefined;
}

function proposeDate(lines: TextLine[], topEnd: number): Proposal<string> | undefined {
  for (const line of lines) {
    const m = placeDate.exec(line.text);
    if (m === null) continue;
    const month = monthNumber(m[3]!);
    const iso = month === null ? null : isoDate(Number(m[2]), month, Number(m[4]));
    if (iso !== null) return proposal(iso, 0.95, line);
  }
  for (const line of lines) {
    const m = dateLabel.exec(line.text);
    if (m === null) continue;
    const found = findWordDate(m[1]!);
    if (found !== null) return proposal(found.iso, 0.9, line);
    const n = numericDate.exec(m[1]!);
    const iso = n === null ? null : isoDate(Number(n[1]), Number(n[2]), Number(n[3]));
    if (iso !== null) return proposal(iso, 0.8, line);
  }
  // Last resort: the first date in the letter's head (dates in the body are meeting dates and the like).
  for (const line of lines.slice(0, topEnd)) {
    const found = findWordDate(line.text);
    if (found !== null) return proposal(found.iso, 0.5, line);
  }
  return undefined;
}

function proposeSubject(lines: TextLine[]): Proposal<string> | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const strict = subjectLabel.exec(line.text);
    const m = strict ?? subjectLabelLoose.exec(line.text);
    if (m === null) continue;
    const parts = [m[1]!.replace(/^[^\p{L}\p{N}]+/u, '').trim()];
    let confidence = line.confidence;
    // A long subject wraps onto the next lines (aligned under the first); a blank line, a new label or the salutation ends it.
    for (let j = i + 1; j < lines.length && j <= i + 3; j++) {
      const next = lines[j]!;
      const letters = next.text.replace(/[^\p{L}]/gu, '').length;
      if (next.text === '' && j === i + 1 && lines[j + 1] !== undefined && isContinuation(lines[j + 1]!.text, parts)) continue;
      if (next.text === '' || letters < 3 || anyLabel.test(next.text) || notSubject.test(next.text)) break;
      parts.push(next.text.replace(/^[^\p{L}\p{N}]+/u, ''));
      confidence = Math.min(confidence, next.confidence);
    }
    const value = parts.join(' ').replace(/\s+/g, ' ').replace(/[\s.,;:-]+$/, '').trim();
    if (value.replace(/[^\p{L}]/gu, '').length < 3) continue;
    return proposal(value, (parts.length > 1 ? 0.85 : 0.9) * (strict === null ? 0.8 : 1), { text: line.text, confidence });
  }
  return undefined;
}

/**
 * A line after one blank line still belongs to the subject when the subject ended mid-phrase
 * (Tesseract sometimes splits a wrapped subject into two paragraphs): it starts with a capital,
 * has no label, and is not the address block or the salutation.
 */
function isContinuation(text: string, parts: string[]): boolean {
  const last = parts[parts.length - 1] ?? '';
  return /^[A-Z][a-z]/.test(text) && !anyLabel.test(text) && !notSubject.test(text) && !/[.:;]$/.test(last) && text.length <= 80;
}

const lowerWords = new Set(['dan', 'di', 'ke', 'dari', 'serta', 'atau', 'yang', 'untuk', 'pada']);

function titleCase(upper: string): string {
  return upper.toLowerCase().split(' ').filter((w) => w !== '').map((w, i) => (i > 0 && lowerWords.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

function mostlyUpper(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 4 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length >= 0.85;
}

const addressLine = /^(jalan|jl\b|jln\b|telepon|telp|tel\.|fax|faks|laman|website|email|e-mail|pos-el|kode pos|alamat)/i;
const governmentLine = /^(?:[^\p{L}]*)PEMERINTAH\s+(KOTA|KABUPATEN|PROVINSI)\s+(.+)$/iu;

/** The letterhead: "PEMERINTAH KOTA X" then the agency's name in capitals, before the address line. */
function proposeSender(lines: TextLine[], headerEnd: number): Proposal<string> | undefined {
  const head = lines.slice(0, headerEnd).filter((l) => l.text !== '');
  const govIndex = head.findIndex((l) => governmentLine.test(l.text));
  const agency: TextLine[] = [];
  const start = govIndex >= 0 ? govIndex + 1 : 0;
  for (const line of head.slice(start)) {
    if (addressLine.test(line.text) || !mostlyUpper(line.text) || /^NOTA DINAS/i.test(line.text)) break;
    agency.push(line);
    if (agency.length === 3) break;
  }
  const clean = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}\p{N})]+$/gu, '');
  if (govIndex >= 0) {
    const gov = head[govIndex]!;
    const m = governmentLine.exec(gov.text)!;
    const region = titleCase(`${m[1]!} ${clean(m[2]!)}`);
    const name = titleCase(agency.map((l) => clean(l.text)).join(' '));
    const value = name === '' ? `Pemerintah ${region}` : name.toLowerCase().includes(region.toLowerCase()) ? name : `${name} ${region}`;
    const confidence = Math.min(gov.confidence, ...agency.map((l) => l.confidence));
    return proposal(value, agency.length > 0 ? 0.85 : 0.6, { text: [gov, ...agency].map((l) => l.text).join(' / '), confidence });
  }
  if (agency.length === 0) return undefined;
  // Not a government letterhead (a company, a bank): its name in capitals is still the best guess.
  return proposal(titleCase(agency.map((l) => clean(l.text)).join(' ')), 0.5, { text: agency.map((l) => l.text).join(' / '), confidence: Math.min(...agency.map((l) => l.confidence)) });
}

/** Proposals for the agenda form from page 1's OCR; a field with nothing credible is left out. */
export function proposeLetterFields(ocr: OcrResult): LetterProposals {
  const lines = linesOf(ocr);
  // The head of a letter ends where its body starts ("Dengan hormat"); without that, labelled fields
  // may be anywhere, but an unlabelled date is only trusted in the top part of the page.
  const salutation = lines.findIndex((l) => /^dengan hormat/i.test(l.text));
  const headerEnd = salutation >= 0 ? salutation : lines.length;
  const topEnd = salutation >= 0 ? salutation : Math.ceil(lines.length * 0.4);
  const result: LetterProposals = {};
  const number = proposeNumber(lines.slice(0, headerEnd));
  const date = proposeDate(lines.slice(0, headerEnd), topEnd);
  const subject = proposeSubject(lines.slice(0, headerEnd));
  const sender = proposeSender(lines, headerEnd);
  if (number !== undefined) result.number = number;
  if (date !== undefined) result.date = date;
  if (subject !== undefined) result.subject = subject;
  if (sender !== undefined) result.sender = sender;
  return result;
}
