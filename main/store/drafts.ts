// Drafts of outgoing letters written at this desk (main/letters/drafting). A draft just created is
// version 0, its template untouched, and stays on this desk: the first save — the first text someone
// wrote — is version 1, the first the server keeps and a chain's history shows. Every save is one
// transaction with its outbox entry, so a draft typed offline reaches the server as it was last
// saved; creating and submitting a draft are in the activity log (a save as you type is not: the
// log would hold a line per pause in the typing).
import { uuidv7 } from '../../common/ids.ts';
import { AppError } from '../../common/errors.ts';
import { DraftContentSchema, type DocumentType, type DraftContent } from '../../common/ipc/drafting.ts';
import type { RepositoryContext } from './store.ts';

export type DraftStatus = 'draft' | 'submitted';

export interface Draft {
  id: string;
  type: DocumentType;
  content: DraftContent;
  /** SHA-256 of the PDFs appended as lampiran, in order. */
  attachments: string[];
  status: DraftStatus;
  letterId: string | null;
  author: string;
  /** 0 while it is its template untouched (never sent); each save adds one. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DraftsRepository {
  create(content: DraftContent, actor: string): Draft;
  get(id: string): Draft | undefined;
  /** A person's drafts, the last saved first. */
  ofAuthor(author: string): Draft[];
  /** The draft submitted (without a paraf chain) as the outgoing letter `letterId`. */
  ofLetter(letterId: string): Draft | undefined;
  /** The draft's new fields and attachments; its version grows by one. */
  save(id: string, change: { content?: DraftContent; attachments?: string[] }, actor: string): Draft;
  /**
   * The version its chain returned (a verifier may have edited it), taken as the draft's text without
   * an outbox entry: the server has it already.
   */
  adopt(id: string, version: number, content: DraftContent, attachments: string[]): Draft;
  /** Submitted for signature as the outgoing letter `letterId`; must run in the transaction that creates the letter. */
  submitted(id: string, letterId: string, actor: string): Draft;
}

interface DraftRow extends Omit<Draft, 'content' | 'attachments'> { content: string; attachments: string }

const select = `SELECT id, type, content, attachments, status, letter_id AS letterId, author, version, created_at AS createdAt, updated_at AS updatedAt FROM drafts`;

function fromRow(row: DraftRow): Draft {
  return { ...row, content: DraftContentSchema.parse(JSON.parse(row.content)), attachments: JSON.parse(row.attachments) as string[] };
}

export function draftsRepository(ctx: RepositoryContext): DraftsRepository {
  const { db, outbox, audit } = ctx;
  const insert = db.prepare(`INSERT INTO drafts (id, type, subject, content, attachments, status, letter_id, author, version, created_at, updated_at)
    VALUES (@id, @type, @subject, @content, @attachments, @status, @letterId, @author, @version, @createdAt, @updatedAt)`);
  const byId = db.prepare(`${select} WHERE id = ?`);
  const byAuthor = db.prepare(`${select} WHERE author = ? ORDER BY updated_at DESC, id DESC`);
  const byLetter = db.prepare(`${select} WHERE letter_id = ?`);
  const write = db.prepare(`UPDATE drafts SET subject = @subject, content = @content, attachments = @attachments, status = @status, letter_id = @letterId,
    version = @version, updated_at = @updatedAt WHERE id = @id`);

  const get = (id: string) => {
    const row = byId.get(id) as DraftRow | undefined;
    return row && fromRow(row);
  };
  const mustGet = (id: string) => {
    const draft = get(id);
    if (draft === undefined) throw new AppError('NOT_FOUND', 'Konsep surat ini tidak ditemukan di meja ini. Muat ulang daftar konsep lalu coba lagi.', { id });
    return draft;
  };
  const queue = (d: Draft) => outbox.append({
    entity: 'draft', entityId: d.id, op: 'save',
    payload: { id: d.id, version: d.version, type: d.type, content: d.content, attachments: d.attachments, status: d.status, letterId: d.letterId, updatedAt: d.updatedAt },
  });
  const store = (d: Draft, stmt: typeof insert) => stmt.run({ ...d, subject: d.content.hal, content: JSON.stringify(d.content), attachments: JSON.stringify(d.attachments) });

  return {
    get,
    ofAuthor: (author) => (byAuthor.all(author) as DraftRow[]).map(fromRow),
    ofLetter(letterId) {
      const row = byLetter.get(letterId) as DraftRow | undefined;
      return row && fromRow(row);
    },
    create: db.transaction((content: DraftContent, actor: string): Draft => {
      const at = ctx.now();
      const draft: Draft = {
        id: uuidv7(at.getTime()), type: content.type, content: DraftContentSchema.parse(content), attachments: [], status: 'draft', letterId: null,
        author: actor, version: 0, createdAt: at.toISOString(), updatedAt: at.toISOString(),
      };
      store(draft, insert);
      audit.append({ actor, action: 'draft.created', entity: 'draft', entityId: draft.id, details: { type: draft.type } });
      return draft;
    }),
    save: db.transaction((id: string, change: { content?: DraftContent; attachments?: string[] }, _actor: string): Draft => {
      const current = mustGet(id);
      if (current.status !== 'draft') {
        throw new AppError('VALIDATION', 'Konsep ini sudah diajukan untuk ditandatangani, sehingga tidak dapat diubah lagi. Buat konsep baru bila suratnya perlu diubah.', { id });
      }
      const content = change.content === undefined ? current.content : DraftContentSchema.parse(change.content);
      if (content.type !== current.type) throw new AppError('VALIDATION', 'Jenis naskah sebuah konsep tidak dapat diganti. Buat konsep baru dengan jenis naskah yang lain.', { id });
      const next: Draft = { ...current, content, attachments: change.attachments ?? current.attachments, version: current.version + 1, updatedAt: ctx.now().toISOString() };
      store(next, write);
      queue(next);
      return next;
    }),
    adopt: db.transaction((id: string, version: number, content: DraftContent, attachments: string[]): Draft => {
      const current = mustGet(id);
      if (version <= current.version) return current;
      const next: Draft = { ...current, content: DraftContentSchema.parse(content), attachments, version, updatedAt: ctx.now().toISOString() };
      store(next, write);
      return next;
    }),
    submitted(id, letterId, actor) {
      if (!db.inTransaction) throw new Error('store: drafts.submitted must run inside the transaction that creates the letter');
      const current = mustGet(id);
      const next: Draft = { ...current, status: 'submitted', letterId, version: current.version + 1, updatedAt: ctx.now().toISOString() };
      store(next, write);
      queue(next);
      audit.append({ actor, action: 'draft.submitted', entity: 'draft', entityId: id, details: { letterId, version: next.version } });
      return next;
    },
  };
}
