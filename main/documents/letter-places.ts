// Finds where an outgoing letter reserves the place for its number and its date: a template's
// `${nomor}` / `${tanggal}`, or a line left blank with dots ("Nomor : ......", "Tanggal : ......",
// "Bandung, ........ 2026"), in the PDF's text with its positions (pdf.js). Asked when the letter is
// imported (a letter with no place for its number is refused then) and when it is signed (the number
// is written there: main/sign/letter-number.ts).
import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';
import { openPdf } from './pdf.ts';

/** Where a value goes: the reserved text's left edge, right edge and baseline, in PDF points of its page. */
export interface ReservedPlace {
  /** 1-based page number. */
  page: number;
  x: number;
  /** Right edge of the reserved text (the cover reaches it). */
  xEnd: number;
  y: number;
  /** Font size of the reserved text; the value is written at the same size. */
  size: number;
  /** The family of the reserved text's font, so the value is written in a standard font like it. */
  family: FontFamily;
}

export type FontFamily = 'serif' | 'sans-serif' | 'monospace';

export interface LetterPlaces {
  number: ReservedPlace[];
  date: ReservedPlace[];
}

/** A line of text, with the left edge of each character and the right edge of the last. */
interface Line {
  page: number;
  y: number;
  size: number;
  text: string;
  edges: number[];
  /** The font family of each character. */
  families: FontFamily[];
}

/** One text run of pdf.js, upright, with the family of its font ('serif', 'sans-serif', 'monospace'). */
interface Run { x: number; y: number; size: number; width: number; str: string; family: FontFamily }

// pdf-lib's enum and the one its embedder is typed with are two declarations of the same names.
const standard = (name: StandardFonts) => StandardFontEmbedder.for(name as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
const helvetica = standard(StandardFonts.Helvetica);
const metrics: Record<FontFamily, StandardFontEmbedder> = {
  serif: standard(StandardFonts.TimesRoman),
  'sans-serif': helvetica,
  monospace: standard(StandardFonts.Courier),
};

/** Whether the standard fonts (WinAnsi) can show the character. */
function winAnsiHas(ch: string): boolean {
  try {
    helvetica.encodeText(ch);
    return true;
  } catch {
    return false;
  }
}

/** The text a standard font (WinAnsi) can show: a character it lacks (control characters included) becomes '?'. */
export function winAnsiShown(text: string): string {
  return [...text].map((ch) => (winAnsiHas(ch) ? ch : '?')).join('');
}

/** Text as a hex string in WinAnsi, for a standard font; a character it lacks becomes '?'. */
export function winAnsiText(text: string): string {
  return helvetica.encodeText(winAnsiShown(text)).toString();
}

/**
 * pdf.js gives one width per text run, not per character: the position of a character inside the run
 * is estimated from the widths of the standard font of the run's family (a proportional font's dots
 * are far narrower than its letters, so counting characters would put the cover over "Nomor :" itself).
 */
function runEdges(run: Run): number[] {
  const font = metrics[run.family];
  const widths = run.str.split('').map((ch) => font.widthOfTextAtSize(winAnsiHas(ch) ? ch : 'n', 1));
  const total = widths.reduce((a, b) => a + b, 0);
  const edges = [run.x];
  let at = 0;
  for (const [i, w] of widths.entries()) {
    at += w;
    edges.push(run.x + (total > 0 ? (run.width * at) / total : (run.width * (i + 1)) / widths.length));
  }
  return edges;
}

/** pdf.js's guess of a font's family: 'serif', 'monospace', else sans-serif. */
function familyOf(name: string | undefined): FontFamily {
  return name === 'serif' || name === 'monospace' ? name : 'sans-serif';
}

/** Marks a wide gap inside a line (a tab stop, a second column): a value never reaches across one. */
const columnGap = '\t';

/** The page's text runs grouped into lines in reading order; runs apart are joined by a space, or by a tab across a wide gap. */
function linesOf(page: number, runs: Run[]): Line[] {
  runs.sort((a, b) => b.y - a.y || a.x - b.x);
  const grouped: Run[][] = [];
  for (const run of runs) {
    const line = grouped.find((l) => Math.abs(l[0]!.y - run.y) <= 0.3 * Math.min(l[0]!.size, run.size));
    if (line) line.push(run);
    else grouped.push([run]);
  }
  return grouped.map((runsOfLine) => {
    runsOfLine.sort((a, b) => a.x - b.x);
    const line: Line = { page, y: runsOfLine[0]!.y, size: Math.max(...runsOfLine.map((r) => r.size)), text: '', edges: [], families: [] };
    let end: number | null = null;
    for (const run of runsOfLine) {
      if (end !== null) {
        const gap = run.x - end;
        if (gap > 2 * run.size) line.text += columnGap;
        else if (gap > 0.15 * run.size && !line.text.endsWith(' ') && !run.str.startsWith(' ')) line.text += ' ';
        // The separator's left edge is where the previous run ended (already the last entry).
      }
      // Each character's left edge; the right edge of the last character stays the last entry.
      line.edges = [...line.edges.slice(0, line.text.length), ...runEdges(run)];
      line.families.push(...new Array<FontFamily>(line.text.length + run.str.length - line.families.length).fill(run.family));
      line.text += run.str;
      end = run.x + run.width;
    }
    return line;
  });
}

const blank = /[.…_]{3,}|…/;
/** A label's value: what follows it up to a wide gap. */
const value = '([^\\t]*[^\\t\\s])';
const numberPatterns: RegExp[] = [/\$\{\s*nomor(?:_surat|_naskah)?\s*\}/gi, new RegExp(`\\bnomor\\s*:\\s*${value}`, 'gi')];
const datePatterns: RegExp[] = [
  /\$\{\s*tanggal(?:_surat|_naskah)?\s*\}/gi,
  new RegExp(`\\btanggal\\s*:\\s*${value}`, 'gi'),
  // "Bandung, ........ 2026": a place name, a comma and a blank, at the start of the line or of a column.
  new RegExp(`(?:^|\\t)\\s*[A-Z][A-Za-z'-]+(?: [A-Z][A-Za-z'-]+)*\\s*,\\s*([.…_]{3,}[^\\t]*[^\\t\\s])`, 'g'),
];

/** Every place in the line a pattern reserves: an anchor as a whole, or the blank value after a label. */
function placesIn(line: Line, patterns: RegExp[]): ReservedPlace[] {
  const places: ReservedPlace[] = [];
  for (const pattern of patterns) {
    for (const m of line.text.matchAll(pattern)) {
      const reserved = m[1];
      // A label is a place only while its value is still blank ("Nomor : 800/12/2026" is not).
      if (reserved !== undefined && !blank.test(reserved)) continue;
      const start = m.index + (reserved === undefined ? 0 : m[0].length - reserved.length);
      const end = start + (reserved ?? m[0]).length;
      places.push({ page: line.page, x: line.edges[start]!, xEnd: line.edges[end]!, y: line.y, size: line.size, family: line.families[start]! });
    }
  }
  return places;
}

/** The places the letter reserves for its number and its date, in reading order. */
export async function findLetterPlaces(pdf: Uint8Array): Promise<LetterPlaces> {
  const opened = await openPdf(pdf);
  const found: LetterPlaces = { number: [], date: [] };
  try {
    for (let page = 1; page <= opened.doc.numPages; page++) {
      const content = await (await opened.doc.getPage(page)).getTextContent();
      const runs: Run[] = [];
      for (const item of content.items) {
        // pdf.js adds runs of spaces for the gaps it sees; the gaps are measured here instead.
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
        // Upright text only: a rotated or mirrored line is no letterhead field.
        if (a <= 0 || d <= 0 || Math.abs(b) > 0.01 * a || Math.abs(c) > 0.01 * d) continue;
        runs.push({ x: e, y: f, size: d, width: item.width, str: item.str, family: familyOf(content.styles[item.fontName]?.fontFamily) });
      }
      for (const line of linesOf(page, runs)) {
        found.number.push(...placesIn(line, numberPatterns));
        found.date.push(...placesIn(line, datePatterns));
      }
    }
  } finally {
    await opened.close();
  }
  return found;
}
