// Letters: the incoming and outgoing agenda. Every write goes with its outbox mutation and its
// audit entry in one transaction (DESIGN.md's transactional outbox), so callers cannot forget
// either. Full-text search runs over the letters_fts index that triggers keep in step.
import { AppError } from '../../common/errors.ts';
import { uuidv7 } from '../../common/ids.ts';
import { letterStatuses } from '../../common/letters.ts';
import type { RepositoryContext } from './store.ts';

export type Direction = 'incoming' | 'outgoing';

/**
 * The workflow states per direction (common/letters.ts), checked here rather than by a CHECK
 * constraint so that a new state is a code change, not a table rebuild.
 */
export type LetterStatus = (typeof letterStatuses)[Direction][number];

/** sifat: urgency and security, as the regulations name them. */
export type Urgency = 'biasa' | 'segera' | 'sangat_segera';
export type Security = 'biasa' | 'terbatas' | 'rahasia';

export interface Letter {
  id: string;
  direction: Direction;
  status: LetterStatus;
  agendaNumber: number | null;
  agendaYear: number | null;
  /** The agenda number as the agency's template printed it (e.g. 0042/UMUM/2026); frozen at registration. */
  agendaLabel: string | null;
  /** YYYY-MM-DD, the office's local date (tanggal terima); required for incoming letters. */
  receivedDate: string | null;
  letterNumber: string | null;
  letterDate: string | null;
  sender: string;
  addressee: string;
  /** perihal */
  subject: string;
  /** ringkasan */
  summary: string;
  urgency: Urgency;
  security: Security;
  classificationCode: string | null;
  documentType: string | null;
  attachmentCount: number;
  documentHash: string | null;
  ocrText: string | null;
  signerUserId: string | null;
  /** Why the letter was voided (batal); null while it stands. */
  voidReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a person or the workflow may change after the letter exists. */
export type LetterChanges = Partial<Omit<Letter, 'id' | 'direction' | 'createdAt' | 'updatedAt'>>;
export type NewLetter = Pick<Letter, 'direction' | 'status' | 'subject'> & Omit<LetterChanges, 'status' | 'subject'>;

export interface DashboardCounts {
  incomingToday: number;
  incomingTotal: number;
  outgoingTotal: number;
  awaitingSignature: number;
}

export interface LettersRepository {
  /** Registers (incoming) or drafts (outgoing) a letter, with its outbox mutation and audit entry. */
  create(letter: NewLetter, actor: string): Letter;
  /** Changes the given fields; writes nothing when nothing differs. NOT_FOUND for an unknown id. */
  update(id: string, changes: LetterChanges, actor: string): Letter;
  /** Voids (batal) a letter of either book with the reason given: it keeps its row and agenda number; outboxed and audited as 'letter.voided'. */
  voidLetter(id: string, reason: string, actor: string): Letter;
  get(id: string): Letter | undefined;
  /** The letters of these ids this desk registered or drafted, in one read (unknown ids are left out). */
  getMany(ids: readonly string[]): Letter[];
  /** Letters matching every word typed (each as a word prefix), best match first. */
  search(text: string, limit?: number): Letter[];
  counts(today: string): DashboardCounts;
  /** Outgoing letters, newest first. */
  outgoing(limit?: number): Letter[];
}

const columns = {
  id: 'id',
  direction: 'direction',
  status: 'status',
  agendaNumber: 'agenda_number',
  agendaYear: 'agenda_year',
  agendaLabel: 'agenda_label',
  receivedDate: 'received_date',
  letterNumber: 'letter_number',
  letterDate: 'letter_date',
  sender: 'sender',
  addressee: 'addressee',
  subject: 'subject',
  summary: 'summary',
  urgency: 'urgency',
  security: 'security',
  classificationCode: 'classification_code',
  documentType: 'document_type',
  attachmentCount: 'attachment_count',
  documentHash: 'document_hash',
  ocrText: 'ocr_text',
  signerUserId: 'signer_user_id',
  voidReason: 'void_reason',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof Letter, string>;
/** Letter field → column, for the agenda's own queries (agenda.ts). */
export const letterColumns: Readonly<Record<keyof Letter, string>> = columns;
const fields = Object.keys(columns) as (keyof Letter)[];
const selectList = (table: string) => fields.map((f) => `${table}.${columns[f]} AS ${f}`).join(', ');
const changeable = new Set<keyof Letter>(fields.filter((f) => !['id', 'direction', 'createdAt', 'updatedAt'].includes(f)));

// bm25 weights in letters_fts column order: a hit in the letter number or subject says more than
// one somewhere in the OCR text of page 7.
const rankWeights = 'bm25(letters_fts, 10.0, 5.0, 3.0, 3.0, 2.0, 1.0)';

/**
 * Turns what a clerk typed into an FTS5 query that cannot be a syntax error: each word is quoted
 * (so `"`, `-`, `:` or `AND` are plain text) and matched as a prefix, because Indonesian adds
 * suffixes (undang → undangan) and people search while typing.
 */
export function toMatchQuery(text: string): string | undefined {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
}

function checkStatus(direction: Direction, status: string): void {
  if (!(letterStatuses[direction] as readonly string[]).includes(status)) {
    throw new Error(`store: '${status}' is not a status of an ${direction} letter`);
  }
}

export function lettersRepository(ctx: RepositoryContext): LettersRepository {
  const { outbox, audit } = ctx;
  const { db } = ctx;
  const insert = db.prepare(`INSERT INTO letters (${fields.map((f) => columns[f]).join(', ')}) VALUES (${fields.map((f) => `@${f}`).join(', ')})`);
  const selectById = db.prepare(`SELECT ${selectList('letters')} FROM letters WHERE id = ?`);
  const selectByIds = db.prepare(`SELECT ${selectList('letters')} FROM letters WHERE id IN (SELECT value FROM json_each(?))`);
  const selectMatches = db.prepare(
    `SELECT ${selectList('l')} FROM letters_fts JOIN letters AS l ON l.seq = letters_fts.rowid
     WHERE letters_fts MATCH ? ORDER BY ${rankWeights} LIMIT ?`,
  );
  const selectCounts = db.prepare(`
    SELECT count(*) FILTER (WHERE direction = 'incoming' AND status <> 'void' AND received_date = @today) AS incomingToday,
           count(*) FILTER (WHERE direction = 'incoming' AND status <> 'void') AS incomingTotal,
           count(*) FILTER (WHERE direction = 'outgoing') AS outgoingTotal,
           count(*) FILTER (WHERE direction = 'outgoing' AND status = 'ready_to_sign') AS awaitingSignature
    FROM letters`);
  const selectOutgoing = db.prepare(`SELECT ${selectList('letters')} FROM letters WHERE direction = 'outgoing' ORDER BY created_at DESC, id DESC LIMIT ?`);
  // One UPDATE per set of changed columns, so that a status change does not re-index the OCR text.
  const updates = new Map<string, ReturnType<typeof db.prepare>>();
  const updateFor = (changed: readonly (keyof Letter)[]) => {
    const key = [...changed].sort().join(',');
    let statement = updates.get(key);
    if (!statement) {
      statement = db.prepare(`UPDATE letters SET ${[...changed, 'updatedAt' as const].map((f) => `${columns[f]} = @${f}`).join(', ')} WHERE id = @id`);
      updates.set(key, statement);
    }
    return statement;
  };
  const get = (id: string) => selectById.get(id) as Letter | undefined;

  const create = db.transaction((input: NewLetter, actor: string): Letter => {
    checkStatus(input.direction, input.status);
    const now = ctx.now();
    const at = now.toISOString();
    const letter: Letter = {
      id: uuidv7(now.getTime()),
      direction: input.direction,
      status: input.status,
      agendaNumber: input.agendaNumber ?? null,
      agendaYear: input.agendaYear ?? null,
      agendaLabel: input.agendaLabel ?? null,
      receivedDate: input.receivedDate ?? null,
      letterNumber: input.letterNumber ?? null,
      letterDate: input.letterDate ?? null,
      sender: input.sender ?? '',
      addressee: input.addressee ?? '',
      subject: input.subject,
      summary: input.summary ?? '',
      urgency: input.urgency ?? 'biasa',
      security: input.security ?? 'biasa',
      classificationCode: input.classificationCode ?? null,
      documentType: input.documentType ?? null,
      attachmentCount: input.attachmentCount ?? 0,
      documentHash: input.documentHash ?? null,
      ocrText: input.ocrText ?? null,
      signerUserId: input.signerUserId ?? null,
      voidReason: input.voidReason ?? null,
      createdAt: at,
      updatedAt: at,
    };
    insert.run(letter);
    outbox.append({ entity: 'letter', entityId: letter.id, op: 'create', payload: letter });
    audit.append({
      actor,
      action: letter.direction === 'incoming' ? 'letter.registered' : 'letter.drafted',
      entity: 'letter',
      entityId: letter.id,
      details: { direction: letter.direction, status: letter.status, agendaNumber: letter.agendaNumber, agendaYear: letter.agendaYear },
    });
    return letter;
  });

  /** Writes the changed fields with their outbox entry; the caller adds the audit entry. */
  const writeChanges = (id: string, changes: LetterChanges): { current: Letter; next: Letter; changed: (keyof Letter)[] } => {
    const current = get(id);
    if (!current) throw new AppError('NOT_FOUND', 'Surat ini tidak ditemukan di meja ini. Muat ulang daftar surat lalu coba lagi.', { id });
    const changed = (Object.keys(changes) as (keyof LetterChanges)[]).filter((f) => changeable.has(f) && changes[f] !== undefined && changes[f] !== current[f]);
    if (changed.length === 0) return { current, next: current, changed };
    if (changes.status !== undefined) checkStatus(current.direction, changes.status);
    const next: Letter = { ...current, ...Object.fromEntries(changed.map((f) => [f, changes[f]])), updatedAt: ctx.now().toISOString() };
    updateFor(changed).run(next);
    outbox.append({ entity: 'letter', entityId: id, op: 'update', payload: { id, changes: Object.fromEntries(changed.map((f) => [f, next[f]])), updatedAt: next.updatedAt } });
    return { current, next, changed };
  };

  const update = db.transaction((id: string, changes: LetterChanges, actor: string): Letter => {
    const { next, changed } = writeChanges(id, changes);
    // Field names, not values: the OCR text can be long, and a rahasia letter's content does not belong in the log.
    if (changed.length > 0) audit.append({ actor, action: 'letter.updated', entity: 'letter', entityId: id, details: { fields: changed } });
    return next;
  });

  const voidLetter = db.transaction((id: string, reason: string, actor: string): Letter => {
    const { current, next, changed } = writeChanges(id, { status: 'void', voidReason: reason });
    if (changed.length > 0) {
      audit.append({ actor, action: 'letter.voided', entity: 'letter', entityId: id, details: { agendaLabel: current.agendaLabel, previousStatus: current.status, reason } });
    }
    return next;
  });

  return {
    create: (letter, actor) => create.immediate(letter, actor),
    update: (id, changes, actor) => update.immediate(id, changes, actor),
    voidLetter: (id, reason, actor) => voidLetter.immediate(id, reason, actor),
    get,
    getMany: (ids) => (ids.length === 0 ? [] : selectByIds.all(JSON.stringify(ids)) as Letter[]),
    search(text, limit = 50) {
      const query = toMatchQuery(text);
      return query === undefined ? [] : (selectMatches.all(query, limit) as Letter[]);
    },
    counts: (today) => selectCounts.get({ today }) as DashboardCounts,
    outgoing: (limit = 500) => selectOutgoing.all(limit) as Letter[],
  };
}
