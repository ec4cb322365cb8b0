// The words a clerk types into the agenda search, turned into an FTS5 query that the index of
// letters_fts answers directly (migration 6), and the check for what the index cannot decide; and
// the agenda number in the forms people type it, looked up by the agenda index rather than FTS.
//
// Every typed word must start a word of the letter. FTS5 answers "word"* from a prefix index when
// the word's length is one of the indexed prefix lengths (2 to 8 characters), newest first and
// stopping at the limit; a longer word is asked for by its first 8 characters and the rows that come
// back are checked here against the whole word. A single character is too little to start a word
// (its prefix query would merge the doclists of a whole letter of the alphabet): it is matched as a
// word of its own, as in "Lampiran B" or "No. 5".

/** The longest prefix letters_fts indexes; keep equal to the `prefix` option of migration 6. */
const longestIndexedPrefix = 8;

/**
 * The words of a text as FTS5's unicode61 tokenizer with remove_diacritics 2 sees them: runs of
 * letters and digits, lower case, without diacritics (é → e).
 */
export function searchWords(text: string): string[] {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
}

export interface WordQuery {
  /** The FTS5 MATCH expression; every word is one quoted token, so nothing typed is FTS5 syntax. */
  match: string;
  /** Words longer than the index's prefixes: rows must be checked with `startsWords`. */
  unchecked: string[];
}

export function wordQuery(text: string): WordQuery | undefined {
  const words = [...new Set(searchWords(text))];
  if (words.length === 0) return undefined;
  const match = words.map((w) => (w.length === 1 ? `"${w}"` : `"${[...w].slice(0, longestIndexedPrefix).join('')}"*`)).join(' ');
  return { match, unchecked: words.filter((w) => [...w].length > longestIndexedPrefix) };
}

/** Whether every one of `words` starts some word of the texts. */
export function startsWords(words: readonly string[], texts: ReadonlyArray<string | null>): boolean {
  if (words.length === 0) return true;
  const own = searchWords(texts.filter((t) => t !== null).join(' '));
  return words.every((w) => own.some((o) => o.startsWith(w)));
}

/**
 * What a typed agenda number can be: "2", "0002", "0002/UMUM/2026", "0002/umum". Its digit runs are
 * the candidate sequence numbers (urut) and, when 4 digits between 1900 and 2100, years; the letters
 * found by them are kept when their printed label holds what was typed (`agendaLabelHolds`).
 * Undefined for text that is not one such token (words, or more than a few numbers).
 */
export interface AgendaNumberProbe {
  numbers: number[];
  years: number[];
  /** The typed form with leading zeros dropped, lower case ("2/umum/2026"); null for bare digits. */
  form: string | null;
}

const withoutLeadingZeros = (s: string) => s.toLowerCase().replace(/\d+/g, (d) => String(Number(d)));

export function agendaNumberProbe(text: string): AgendaNumberProbe | undefined {
  const typed = text.trim();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}/.-]*$/u.test(typed) || typed.length > 60) return undefined;
  const runs = typed.match(/\d+/g) ?? [];
  if (runs.length === 0 || runs.length > 4 || runs.some((r) => r.length > 9)) return undefined;
  const values = runs.map(Number);
  const years = values.filter((v, i) => runs[i]!.length === 4 && v >= 1900 && v <= 2100);
  const numbers = [...new Set(values.filter((v) => v >= 1))];
  if (numbers.length === 0) return undefined;
  return { numbers, years: [...new Set(years)], form: /^\d+$/.test(typed) ? null : withoutLeadingZeros(typed) };
}

/** Whether an agenda label ("0002/UMUM/2026") holds the typed form, leading zeros aside. */
export function agendaLabelHolds(label: string | null, probe: AgendaNumberProbe): boolean {
  if (probe.form === null) return true;
  return label !== null && withoutLeadingZeros(label).includes(probe.form);
}
