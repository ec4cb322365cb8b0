// The incoming agenda's queries beyond plain letter rows: documents' PDFs and OCR text, the archival
// classification list, the desk's blocks of agenda numbers, duplicate look-ups, filtered full-text
// search, sender suggestions and the rows of the agenda book. Letter writes stay in letters.ts.
import type { Letter, LetterStatus, Security, Urgency } from './letters.ts';
import { letterColumns } from './letters.ts';
import { agendaLabelHolds, agendaNumberProbe, startsWords, wordQuery } from './search-words.ts';
import type { RepositoryContext } from './store.ts';

export interface Classification {
  code: string;
  name: string;
}

export interface AgendaConfig {
  template: string;
  unitCode: string;
}

/** A standalone desk numbers 0001/UMUM/2026 until the admin (or, later, the server) says otherwise. */
export const defaultAgendaConfig: Readonly<AgendaConfig> = Object.freeze({ template: '{urut:4}/{kode_unit}/{tahun}', unitCode: 'UMUM' });
/**
 * Outgoing letters have a book of their own, with a format of its own: by default the month in Roman
 * numerals as well, so an outgoing number (0001/UMUM/III/2026) never reads as an incoming one.
 */
export const defaultOutgoingConfig: Readonly<AgendaConfig> = Object.freeze({ template: '{urut:4}/{kode_unit}/{bulan_romawi}/{tahun}', unitCode: 'UMUM' });
const configKeys = {
  in: { template: 'agenda.template', unitCode: 'agenda.unitCode' },
  out: { template: 'outgoing.template', unitCode: 'outgoing.unitCode' },
} as const satisfies Record<'in' | 'out', Record<keyof AgendaConfig, string>>;
const configDefaults = { in: defaultAgendaConfig, out: defaultOutgoingConfig } as const;

/** The agenda book a block numbers: incoming ('in') or outgoing ('out') letters, as the server names them. */
export type AgendaBook = 'in' | 'out';

export interface AgendaBlock {
  book: AgendaBook;
  year: number;
  first: number;
  /** null: unbounded. */
  last: number | null;
  /** The server's lease this block came from; null for a block not leased. */
  leaseId: string | null;
  /** When the numbers of this block the desk never gave were reported to the server; null until then. */
  unusedReportedAt: string | null;
}

/** A letter in the agenda list: everything but the (long) OCR text. */
export type LetterSummary = Omit<Letter, 'ocrText'>;

export interface IncomingFilters {
  /** Words typed by the clerk; every word must match (as a word prefix). */
  text?: string;
  /** Received date range, inclusive, YYYY-MM-DD. */
  receivedFrom?: string;
  receivedTo?: string;
  urgency?: Urgency;
  security?: Security;
  /** A code and everything under it (000 matches 000.1 and 000.1.2). */
  classification?: string;
  status?: LetterStatus;
  limit?: number;
}

export interface AgendaRepository {
  /** Records an imported original and the PDF made from it (the same hash when it was a PDF). */
  recordImport(original: { hash: string; mediaType: string; byteSize: number; pageCount: number; originalName: string }, pdf: { hash: string; byteSize: number }): void;
  /** The PDF of a document id (an import's original or a scan's PDF); undefined for an unknown id. */
  pdfOf(documentId: string): string | undefined;
  /** The OCR text of a document, also for a letter already registered with it (search and duplicates read it there). */
  setDocumentText(documentId: string, text: string): void;
  documentText(documentId: string): string | null;

  classificationCount(): number;
  /** Adds the codes not known yet; never overwrites what the admin edited. */
  seedClassifications(list: readonly Classification[]): number;
  searchClassifications(query: string, limit?: number): Classification[];
  classification(code: string): Classification | undefined;
  saveClassification(entry: Classification, actor: string): Classification;

  blocks(): AgendaBlock[];
  /** Keeps a block of agenda numbers leased from the server (audited); of the incoming book unless `book` says otherwise. */
  addLeasedBlock(block: { leaseId: string; book?: AgendaBook; year: number; first: number; last: number }, actor: string): void;
  /** The agenda numbers of a year's book (default incoming) given within [first, last]. */
  givenNumbers(year: number, first: number, last: number, book?: AgendaBook): number[];
  /** Records that a leased block's numbers never given were reported to the server (audited). */
  markUnusedReported(leaseId: string, count: number, actor: string): void;
  /** The highest agenda sequence number of a year's book (default incoming; what the allocator continues from); 0 when none. */
  lastIssued(year: number, book?: AgendaBook): number;
  /** The agency's agenda number template and unit code (kept in the settings table, audited). */
  agendaConfig(): AgendaConfig;
  saveAgendaConfig(config: AgendaConfig, actor: string): AgendaConfig;
  /** The number format of the outgoing book (its own template and unit code; kept and audited the same way). */
  outgoingConfig(): AgendaConfig;
  saveOutgoingConfig(config: AgendaConfig, actor: string): AgendaConfig;

  /** The incoming letter whose document is exactly this PDF, if any. */
  letterWithDocument(pdfHash: string): LetterSummary | undefined;
  lettersWithNumber(sender: string, letterNumber: string): LetterSummary[];
  /** Incoming letters whose OCR text shares the given words, best first, with their text. */
  textCandidates(words: readonly string[], limit: number): Array<{ letter: LetterSummary; ocrText: string }>;

  /**
   * The agenda list: with words, the letters whose agenda number is what was typed ("2", "0002",
   * "0002/UMUM/2026") first, then those whose number, subject, sender, addressee or summary hold the
   * words, then those that only mention them in their scanned text, each newest first; without
   * words, newest received first.
   */
  search(filters: IncomingFilters): LetterSummary[];
  senders(prefix: string, limit?: number): string[];
  /** Incoming letters received in the range, in agenda order. */
  agendaBook(from: string, to: string): LetterSummary[];
}

const summaryColumns = (table: string) =>
  (Object.entries(letterColumns) as [keyof Letter, string][]).filter(([f]) => f !== 'ocrText').map(([f, c]) => `${table}.${c} AS ${f}`).join(', ');

/** A row of the worded search; the OCR text is read only when long words must be checked. */
type SearchRow = LetterSummary & { ocrText?: string | null };
const aboutTexts = (row: SearchRow) => [row.letterNumber, row.subject, row.sender, row.addressee, row.summary];

const bookDirection = { in: 'incoming', out: 'outgoing' } as const satisfies Record<AgendaBook, string>;

/** LIKE patterns treat % and _ as wildcards; a clerk's "50%" is plain text. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function agendaRepository(ctx: Omit<RepositoryContext, 'outbox'>): AgendaRepository {
  const { audit } = ctx;
  const { db } = ctx;
  const insertDocument = db.prepare(
    `INSERT INTO documents (hash, media_type, page_count, byte_size, original_name, created_at, pdf_hash)
     VALUES (@hash, @mediaType, @pageCount, @byteSize, @originalName, @createdAt, @pdfHash) ON CONFLICT (hash) DO NOTHING`,
  );
  const selectPdf = db.prepare('SELECT coalesce(pdf_hash, hash) FROM documents WHERE hash = ?').pluck();
  const updateText = db.prepare('UPDATE documents SET ocr_text = ? WHERE hash = ?');
  const updateLetterText = db.prepare("UPDATE letters SET ocr_text = ? WHERE document_hash = ? AND direction = 'incoming'");
  const selectText = db.prepare('SELECT ocr_text FROM documents WHERE hash = ?').pluck();

  const countClassifications = db.prepare('SELECT count(*) FROM classifications').pluck();
  const seedClassification = db.prepare('INSERT INTO classifications (code, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING');
  const upsertClassification = db.prepare('INSERT INTO classifications (code, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at');
  const selectClassification = db.prepare('SELECT code, name FROM classifications WHERE code = ?');
  // Codes sort as the archive does (000 < 000.1 < 000.1.1 < 001): by their dotted parts, which the
  // fixed-width prefix of the code already gives for the national scheme's 3-digit heads.
  const findClassifications = db.prepare(
    `SELECT code, name FROM classifications
     WHERE code LIKE @codePrefix ESCAPE '\\' OR name LIKE @nameInfix ESCAPE '\\'
     ORDER BY (code LIKE @codePrefix ESCAPE '\\') DESC, code LIMIT @limit`,
  );

  const selectBlocks = db.prepare('SELECT book, year, first, last, lease_id AS leaseId, unused_reported_at AS unusedReportedAt FROM agenda_blocks ORDER BY book, year, first');
  const selectGiven = db.prepare(
    'SELECT agenda_number FROM letters WHERE direction = ? AND agenda_year = ? AND agenda_number BETWEEN ? AND ? ORDER BY agenda_number',
  ).pluck();
  const updateUnusedReported = db.prepare('UPDATE agenda_blocks SET unused_reported_at = ? WHERE lease_id = ? AND unused_reported_at IS NULL');
  const insertBlock = db.prepare('INSERT INTO agenda_blocks (book, year, first, last, lease_id, leased_at) VALUES (@book, @year, @first, @last, @leaseId, @leasedAt)');
  // Served by the unique agenda index: one index seek, however long the register is.
  const selectLastIssued = db.prepare(
    'SELECT agenda_number FROM letters WHERE direction = ? AND agenda_year = ? AND agenda_number IS NOT NULL ORDER BY agenda_number DESC LIMIT 1',
  ).pluck();
  // These keys sit beside the desk's settings; the settings repository ignores keys it does not own.
  const selectConfig = db.prepare('SELECT key, value FROM settings WHERE key IN (?, ?)');
  const upsertConfig = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');

  // A void (batal) entry is no longer the letter's registration: the same letter may be registered again.
  const selectByDocument = db.prepare(`SELECT ${summaryColumns('l')} FROM letters AS l WHERE l.direction = 'incoming' AND l.status <> 'void' AND l.document_hash = ? ORDER BY l.seq LIMIT 1`);
  const selectByNumber = db.prepare(
    `SELECT ${summaryColumns('l')} FROM letters AS l
     WHERE l.direction = 'incoming' AND l.status <> 'void' AND l.letter_number = ? COLLATE NOCASE AND lower(trim(l.sender)) = lower(trim(?)) ORDER BY l.seq LIMIT 20`,
  );
  const selectTextCandidates = db.prepare(
    `SELECT ${summaryColumns('l')}, l.ocr_text AS ocrText FROM letters_fts JOIN letters AS l ON l.seq = letters_fts.rowid
     WHERE letters_fts MATCH ? AND l.direction = 'incoming' AND l.status <> 'void' ORDER BY rank LIMIT ?`,
  );
  const selectSenders = db.prepare(
    `SELECT sender FROM letters WHERE direction = 'incoming' AND sender LIKE ? ESCAPE '\\' COLLATE NOCASE
     GROUP BY sender COLLATE NOCASE ORDER BY count(*) DESC, sender LIMIT ?`,
  ).pluck();
  const selectBook = db.prepare(
    `SELECT ${summaryColumns('l')} FROM letters AS l
     WHERE l.direction = 'incoming' AND l.received_date BETWEEN ? AND ? ORDER BY l.agenda_year, l.agenda_number, l.received_date, l.seq`,
  );

  // The filtered search is assembled per combination of filters; statements are cached by shape.
  const searches = new Map<string, ReturnType<typeof db.prepare>>();
  function searchStatement(filters: IncomingFilters, words: 'none' | 'indexed' | 'checked' | 'agenda') {
    const where = ["l.direction = 'incoming'"];
    if (filters.receivedFrom !== undefined) where.push('l.received_date >= @receivedFrom');
    if (filters.receivedTo !== undefined) where.push('l.received_date <= @receivedTo');
    if (filters.urgency !== undefined) where.push('l.urgency = @urgency');
    if (filters.security !== undefined) where.push('l.security = @security');
    if (filters.status !== undefined) where.push('l.status = @status');
    if (filters.classification !== undefined) where.push("(l.classification_code = @classification OR l.classification_code LIKE @classificationChildren ESCAPE '\\')");
    const dated = filters.receivedFrom !== undefined || filters.receivedTo !== undefined;
    // FTS5 walks its matches newest first and the caller stops reading at the limit; the seq range
    // of the received dates (letters_received_days) lets it start at the range instead of walking
    // every newer match. The rows' own text comes along only when long words must be checked.
    const sql = words === 'agenda'
      // One seek in the agenda index per year and number typed.
      ? `SELECT ${summaryColumns('l')} FROM letters AS l INDEXED BY letters_incoming_agenda
         WHERE l.agenda_year = @year AND l.agenda_number = @number AND ${where.join(' AND ')}`
      : words !== 'none'
      ? `SELECT ${summaryColumns('l')}${words === 'checked' ? ', l.ocr_text AS ocrText' : ''} FROM letters_fts JOIN letters AS l ON l.seq = letters_fts.rowid
         WHERE letters_fts MATCH @match${dated ? ' AND letters_fts.rowid BETWEEN @firstSeq AND @lastSeq' : ''} AND ${where.join(' AND ')}
         ORDER BY letters_fts.rowid DESC`
      // (received_date, seq) is exactly the order of the received-date index (seq is its rowid), so the
      // newest letters come straight off the index; within a day seq is the order of registration.
      // Named, because without statistics SQLite prefers the (direction, status) index and sorts.
      : `SELECT ${summaryColumns('l')} FROM letters AS l INDEXED BY letters_incoming_received WHERE ${where.join(' AND ')}
         ORDER BY l.received_date DESC, l.seq DESC LIMIT @limit`;
    let statement = searches.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      searches.set(sql, statement);
    }
    return statement;
  }
  // Integers as BigInt: FTS5 uses a rowid range only when it is bound as an integer, and
  // better-sqlite3 binds a JavaScript number as a real.
  // The years of the agenda, newest first, one index seek each (a register spans a handful of years).
  const selectYearBefore = db.prepare(
    "SELECT max(agenda_year) FROM letters INDEXED BY letters_incoming_agenda WHERE direction = 'incoming' AND agenda_year < ?",
  ).pluck();
  function agendaYears(): number[] {
    const years: number[] = [];
    for (let y = selectYearBefore.get(10_000) as number | null; y !== null && years.length < 100; y = selectYearBefore.get(y) as number | null) years.push(y);
    return years;
  }

  /** Letters whose agenda number is the typed one, newest year first, within the filters. */
  function byAgendaNumber(text: string, params: Record<string, unknown>): LetterSummary[] {
    const probe = agendaNumberProbe(text);
    if (probe === undefined) return [];
    const statement = searchStatement(params as IncomingFilters, 'agenda');
    const years = probe.years.length > 0 ? [...probe.years].sort((a, b) => b - a) : agendaYears();
    const found: LetterSummary[] = [];
    for (const year of years) {
      for (const number of probe.numbers) {
        for (const letter of statement.all({ ...params, year, number }) as LetterSummary[]) {
          if (agendaLabelHolds(letter.agendaLabel, probe) && !found.some((f) => f.id === letter.id)) found.push(letter);
        }
      }
    }
    return found;
  }

  const selectSeqRange = db.prepare(
    'SELECT min(first_seq) AS first, max(last_seq) AS last FROM letters_received_days WHERE received_date >= @from AND received_date <= @to',
  ).safeIntegers(true);

  function bookConfig(book: AgendaBook): AgendaConfig {
    const keys = configKeys[book];
    const config: AgendaConfig = { ...configDefaults[book] };
    for (const { key, value } of selectConfig.all(keys.template, keys.unitCode) as { key: string; value: string }[]) {
      const parsed = JSON.parse(value) as unknown;
      if (typeof parsed !== 'string') continue;
      if (key === keys.template) config.template = parsed;
      else config.unitCode = parsed;
    }
    return config;
  }

  function saveBookConfig(book: AgendaBook, config: AgendaConfig, actor: string): AgendaConfig {
    return db.transaction(() => {
      const before = bookConfig(book);
      const at = ctx.now().toISOString();
      upsertConfig.run(configKeys[book].template, JSON.stringify(config.template), at);
      upsertConfig.run(configKeys[book].unitCode, JSON.stringify(config.unitCode), at);
      audit.append({ actor, action: book === 'in' ? 'agenda.config-updated' : 'outgoing.config-updated', entity: 'settings', details: { from: before, to: config } });
      return { ...config };
    }).immediate();
  }

  return {
    recordImport(original, pdf) {
      const createdAt = ctx.now().toISOString();
      db.transaction(() => {
        if (pdf.hash !== original.hash) {
          insertDocument.run({ hash: pdf.hash, mediaType: 'application/pdf', pageCount: original.pageCount, byteSize: pdf.byteSize, originalName: original.originalName, createdAt, pdfHash: null });
        }
        insertDocument.run({ ...original, createdAt, pdfHash: pdf.hash === original.hash ? null : pdf.hash });
      }).immediate();
    },
    pdfOf: (documentId) => selectPdf.get(documentId) as string | undefined,
    setDocumentText(documentId, text) {
      db.transaction(() => {
        updateText.run(text, documentId);
        updateLetterText.run(text, documentId);
      }).immediate();
    },
    documentText: (documentId) => (selectText.get(documentId) as string | null | undefined) ?? null,

    classificationCount: () => countClassifications.get() as number,
    seedClassifications(list) {
      const at = ctx.now().toISOString();
      return db.transaction(() => list.reduce((added, c) => added + seedClassification.run(c.code, c.name, at).changes, 0)).immediate();
    },
    searchClassifications(query, limit = 20) {
      const q = likeEscape(query.trim());
      return findClassifications.all({ codePrefix: `${q}%`, nameInfix: `%${q}%`, limit }) as Classification[];
    },
    classification: (code) => selectClassification.get(code) as Classification | undefined,
    saveClassification(entry, actor) {
      return db.transaction(() => {
        const before = selectClassification.get(entry.code) as Classification | undefined;
        upsertClassification.run(entry.code, entry.name, ctx.now().toISOString());
        audit.append({ actor, action: before ? 'classification.updated' : 'classification.added', entity: 'classification', entityId: entry.code, details: { from: before?.name ?? null, to: entry.name } });
        return { code: entry.code, name: entry.name };
      }).immediate();
    },

    blocks: () => selectBlocks.all() as AgendaBlock[],
    addLeasedBlock(block, actor) {
      db.transaction(() => {
        const book = block.book ?? 'in';
        insertBlock.run({ ...block, book, leasedAt: ctx.now().toISOString() });
        audit.append({ actor, action: 'agenda.block-leased', entity: 'agenda_block', entityId: block.leaseId, details: { book, year: block.year, first: block.first, last: block.last } });
      }).immediate();
    },
    givenNumbers: (year, first, last, book = 'in') => selectGiven.all(bookDirection[book], year, first, last) as number[],
    markUnusedReported(leaseId, count, actor) {
      db.transaction(() => {
        if (updateUnusedReported.run(ctx.now().toISOString(), leaseId).changes === 0) return;
        audit.append({ actor, action: 'agenda.unused-reported', entity: 'agenda_block', entityId: leaseId, details: { count } });
      }).immediate();
    },
    lastIssued: (year, book = 'in') => (selectLastIssued.get(bookDirection[book], year) as number | undefined) ?? 0,
    agendaConfig: () => bookConfig('in'),
    saveAgendaConfig: (config, actor) => saveBookConfig('in', config, actor),
    outgoingConfig: () => bookConfig('out'),
    saveOutgoingConfig: (config, actor) => saveBookConfig('out', config, actor),

    letterWithDocument: (pdfHash) => selectByDocument.get(pdfHash) as LetterSummary | undefined,
    lettersWithNumber: (sender, letterNumber) => selectByNumber.all(letterNumber.trim(), sender) as LetterSummary[],
    textCandidates(words, limit) {
      if (words.length === 0) return [];
      const match = `ocr_text : (${words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ')})`;
      return (selectTextCandidates.all(match, limit) as Array<LetterSummary & { ocrText: string | null }>).map(({ ocrText, ...letter }) => ({ letter, ocrText: ocrText ?? '' }));
    },

    search(filters) {
      const limit = filters.limit ?? 100;
      const params: Record<string, unknown> = { limit };
      for (const key of ['receivedFrom', 'receivedTo', 'urgency', 'security', 'status', 'classification'] as const) {
        if (filters[key] !== undefined) params[key] = filters[key];
      }
      if (filters.classification !== undefined) params.classificationChildren = `${likeEscape(filters.classification)}.%`;
      const query = wordQuery(filters.text ?? '');
      if (query === undefined) return searchStatement(filters, 'none').all(params) as LetterSummary[];
      const numbered = byAgendaNumber(filters.text ?? '', { ...filters, ...params }).slice(0, limit);
      if (filters.receivedFrom !== undefined || filters.receivedTo !== undefined) {
        const range = selectSeqRange.get({ from: filters.receivedFrom ?? '', to: filters.receivedTo ?? '9999-12-31' }) as { first: bigint | null; last: bigint | null };
        if (range.first === null) return numbered;
        params.firstSeq = range.first;
        params.lastSeq = range.last;
      }
      const statement = searchStatement(filters, query.unchecked.length > 0 ? 'checked' : 'indexed');
      const read = (match: string, texts: (row: SearchRow) => Array<string | null>, listed: ReadonlySet<string>, wanted: number) => {
        const found: LetterSummary[] = [];
        if (wanted <= 0) return found;
        for (const row of statement.iterate({ ...params, match }) as IterableIterator<SearchRow>) {
          if (listed.has(row.id) || !startsWords(query.unchecked, texts(row))) continue;
          const { ocrText: _text, ...letter } = row;
          if (found.push(letter) >= wanted) break;
        }
        return found;
      };
      // Letters whose number, subject, sender, addressee or summary hold the words come first, then
      // those that only mention them in their scanned text; each group newest first. FTS5 walks its
      // index in descending rowid order and the reading stops at the limit, so a word found in half
      // of a million letters costs no more than a rare one (a bm25 ORDER BY would score every match).
      const numberedIds = new Set(numbered.map((l) => l.id));
      const about = read(`{letter_number subject sender addressee summary} : (${query.match})`, aboutTexts, numberedIds, limit - numbered.length);
      const rest = read(query.match, (row) => [...aboutTexts(row), row.ocrText ?? null], new Set([...numberedIds, ...about.map((l) => l.id)]), limit - numbered.length - about.length);
      return [...numbered, ...about, ...rest];
    },
    senders: (prefix, limit = 10) => selectSenders.all(`${likeEscape(prefix.trim())}%`, limit) as string[],
    agendaBook: (from, to) => selectBook.all(from, to) as LetterSummary[],
  };
}
