// Searching the incoming agenda on a register of 100 000 letters: every filter, alone and combined
// with words typed, returns exactly the letters a person would pick out by hand, in the list's order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { IncomingFilters } from '../../main/store/agenda.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { generateAgenda, insertAgenda, rareWords, tokens, type GeneratedLetter } from '../support/generated-agenda.ts';

const total = 100_000;
let dir: string;
let store: Store;
let letters: GeneratedLetter[];
const searchable = new Map<string, string[]>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-search-'));
  const file = join(dir, 'loket.db');
  openStore(file, { log: collectingLogger() }).close();
  letters = generateAgenda(total, 7);
  insertAgenda(file, letters);
  store = openStore(file, { log: collectingLogger() });
  for (const l of letters) searchable.set(l.id, tokens([l.letterNumber, l.subject, l.sender, l.addressee, l.summary, l.ocrText].join(' ')));
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Whether the typed text is the letter's agenda number as people type it: the number alone (with or
 * without its zeros), or the label as printed (0042/UMUM/2025), whole or its start, any case.
 */
function isAgendaNumber(l: GeneratedLetter, text: string): boolean {
  const typed = text.trim().toLowerCase();
  if (/^\d+$/.test(typed)) return l.agendaNumber === Number(typed);
  const label = `${String(l.agendaNumber).padStart(4, '0')}/umum/${l.agendaYear}`;
  return /\d/.test(typed) && (label.startsWith(typed) || label.replace(/^0+/, '').startsWith(typed));
}

/** The answer worked out by hand: every filter holds and every typed word starts a word of the letter, or the text is its agenda number. */
function expected(filters: IncomingFilters): Set<string> {
  const words = tokens(filters.text ?? '');
  return new Set(letters.filter((l) =>
    (filters.receivedFrom === undefined || l.receivedDate >= filters.receivedFrom)
    && (filters.receivedTo === undefined || l.receivedDate <= filters.receivedTo)
    && (filters.urgency === undefined || l.urgency === filters.urgency)
    && (filters.security === undefined || l.security === filters.security)
    && (filters.status === undefined || l.status === filters.status)
    && (filters.classification === undefined || l.classificationCode === filters.classification || l.classificationCode.startsWith(`${filters.classification}.`))
    && (words.every((w) => searchable.get(l.id)!.some((t) => t.startsWith(w))) || (filters.text !== undefined && isAgendaNumber(l, filters.text))),
  ).map((l) => l.id));
}

function found(filters: IncomingFilters): string[] {
  return store.agenda.search({ ...filters, limit: total }).map((l) => l.id);
}

describe('searching 100 000 agenda entries', () => {
  const cases: Array<[string, IncomingFilters]> = [
    ['a word from the body of a letter', { text: rareWords[0] }],
    ['two words typed, the last one still being typed', { text: 'dermaga pelab' }],
    ['a date range', { receivedFrom: '2025-03-01', receivedTo: '2025-03-31' }],
    ['urgency', { urgency: 'sangat_segera', receivedFrom: '2026-06-01' }],
    ['security class', { security: 'rahasia', receivedFrom: '2026-01-01' }],
    ['a classification code and the codes under it', { classification: '188', receivedFrom: '2026-09-01' }],
    ['a classification code that is only a head (800 is not 821)', { classification: '800', receivedFrom: '2026-10-01' }],
    ['status', { status: 'done', receivedFrom: '2026-11-01' }],
    ['words and every filter at once', { text: 'undangan', receivedFrom: '2025-01-01', receivedTo: '2025-12-31', urgency: 'segera', security: 'biasa', classification: '005', status: 'registered' }],
    ['a sender and a month', { text: 'kecamatan bukit', receivedFrom: '2024-05-01', receivedTo: '2024-05-31' }],
    ['part of a letter number', { text: '188', receivedFrom: '2026-12-01' }],
    ['an agenda number with its zeros', { text: '0042' }],
    ['an agenda number without them, within a date range', { text: '42', receivedFrom: '2025-01-01', receivedTo: '2025-12-31' }],
    ['an agenda number as printed', { text: '0042/UMUM/2025' }],
    ['an agenda number as printed, in lower case and without zeros', { text: '42/umum/2026' }],
    ['the start of an agenda number as printed', { text: '0042/umum' }],
  ];

  it.each(cases)('%s returns exactly the matching letters', (_name, filters) => {
    const want = expected(filters);
    const got = found(filters);
    expect(want.size).toBeGreaterThan(0);
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(want);
  });

  it('without words, the newest received letters come first, in agenda order within a day', () => {
    const list = store.agenda.search({ urgency: 'segera', limit: 200 });
    expect(list).toHaveLength(200);
    const keys = list.map((l) => `${l.receivedDate}#${String(l.agendaNumber).padStart(7, '0')}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(list[0]!.receivedDate).toBe(letters.filter((l) => l.urgency === 'segera').at(-1)!.receivedDate);
  });

  it('with words, letters about them come first and the newest first, then those that only mention them in their scanned text', () => {
    const list = store.agenda.search({ text: 'jembatan', limit: 50 });
    expect(list.length).toBe(50);
    expect(list.every((l) => tokens(l.subject).includes('jembatan'))).toBe(true);
    const days = list.map((l) => l.receivedDate!);
    expect(days).toEqual([...days].sort().reverse());
    // A word only in the scanned text of some letters: those come after the ones about it.
    const mixed = store.agenda.search({ text: 'kegiatan', receivedFrom: '2026-12-20', limit: 200 });
    const aboutIt = mixed.map((l) => tokens(`${l.subject} ${l.summary}`).includes('kegiatan'));
    expect(aboutIt).toContain(true);
    expect(aboutIt).toContain(false);
    expect(aboutIt.lastIndexOf(true)).toBeLessThan(aboutIt.indexOf(false));
  });

  it('what a clerk types is never an error, and the list stops at the asked length', () => {
    for (const text of ['"', 'AND', '-', '*', 'NEAR(', '', '   ', 'a:b']) expect(() => store.agenda.search({ text, limit: 20 })).not.toThrow();
    expect(store.agenda.search({ limit: 20 })).toHaveLength(20);
  });
});

describe('what the search index cannot decide alone', () => {
  let small: Store;
  let smallDir: string;
  const add = (subject: string, receivedDate: string, ocrText: string | null = null) =>
    small.letters.create({ direction: 'incoming', status: 'registered', subject, receivedDate, sender: 'Dinas Sosial Kota Dumai', ocrText }, 'meja:uji');
  const subjects = (filters: IncomingFilters) => small.agenda.search(filters).map((l) => l.subject);

  beforeAll(() => {
    smallDir = mkdtempSync(join(tmpdir(), 'loket-search-small-'));
    small = openStore(join(smallDir, 'loket.db'), { log: collectingLogger() });
  });
  afterAll(() => {
    small?.close();
    rmSync(smallDir, { recursive: true, force: true });
  });

  it('a long word is matched whole, not by the first letters the index keeps', () => {
    add('Pemberitahuan jadwal vaksinasi', '2026-03-02');
    add('Pemberitaan media tentang banjir', '2026-03-03');
    add('Rapat', '2026-03-04', 'PERIHAL: pemberitahuanku tentang libur');
    expect(subjects({ text: 'pemberitahuan' })).toEqual(['Pemberitahuan jadwal vaksinasi', 'Rapat']);
    expect(subjects({ text: 'Pemberitaan' })).toEqual(['Pemberitaan media tentang banjir']);
    expect(subjects({ text: 'pemberit' })).toEqual(['Pemberitaan media tentang banjir', 'Pemberitahuan jadwal vaksinasi', 'Rapat']);
    expect(subjects({ text: 'pémberitahuan vaksin' })).toEqual(['Pemberitahuan jadwal vaksinasi']);
  });

  it('a single letter or digit is a word of its own', () => {
    add('Undangan rapat sesi B', '2026-04-01');
    add('Laporan Bappeda triwulan', '2026-04-02');
    expect(subjects({ text: 'b' })).toEqual(['Undangan rapat sesi B']);
  });

  it('an agenda number typed in any of its forms finds its letter first, then letters that mention it', () => {
    const numbered = (n: number, year: number, subject: string, letterNumber: string) => small.letters.create({
      direction: 'incoming', status: 'registered', subject, receivedDate: `${year}-02-0${n}`, sender: 'Dinas Sosial Kota Dumai', letterNumber,
      agendaNumber: n, agendaYear: year, agendaLabel: `${String(n).padStart(4, '0')}/UMUM/${year}`,
    }, 'meja:uji');
    numbered(2, 2026, 'Undangan musyawarah', '005/0002/DINSOS/2026');
    numbered(3, 2026, 'Laporan bulanan', '400/17/DINSOS/2026');
    numbered(2, 2025, 'Permohonan data', '470/9/DINSOS/2025');
    expect(subjects({ text: '0002' })).toEqual(['Undangan musyawarah', 'Permohonan data']);
    expect(subjects({ text: '2' })).toEqual(['Undangan musyawarah', 'Permohonan data']);
    expect(subjects({ text: '0002/UMUM/2026' })).toEqual(['Undangan musyawarah']);
    expect(subjects({ text: '2/umum/2025' })).toEqual(['Permohonan data']);
    expect(subjects({ text: '0003/UMUM' })).toEqual(['Laporan bulanan']);
    expect(subjects({ text: '0002/UMUM/2024' })).toEqual([]);
    // Filters hold for a number too.
    expect(subjects({ text: '0002', receivedFrom: '2026-01-01' })).toEqual(['Undangan musyawarah']);
    // The letter number still finds by its words: 17 is a word of 400/17/DINSOS/2026.
    expect(subjects({ text: '17' })).toEqual(['Laporan bulanan']);
  });

  it('a letter registered late for an earlier day, or whose date was corrected, is found in its date range', () => {
    add('Telaah staf anggaran', '2026-05-20');
    add('Telaah staf kepegawaian', '2026-01-15');
    const corrected = add('Telaah staf perjalanan', '2026-06-30');
    small.letters.update(corrected.id, { receivedDate: '2026-01-16' }, 'meja:uji');
    expect(subjects({ text: 'telaah', receivedFrom: '2026-01-01', receivedTo: '2026-01-31' })).toEqual(['Telaah staf perjalanan', 'Telaah staf kepegawaian']);
    expect(subjects({ text: 'telaah', receivedFrom: '2026-06-01' })).toEqual([]);
    expect(subjects({ text: 'telaah', receivedTo: '2025-12-31' })).toEqual([]);
  });
});
