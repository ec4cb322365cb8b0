// The transactional outbox (DESIGN.md): every local change that must reach the server is appended
// here in the same SQLite transaction as the change itself, in the order the desk made them.
// The sync engine reads it; nothing is "remembered to sync later". Each entry's payload is typed by
// its entity and op (common/protocol, OutboxChange) when written and read through the same schema.
import { uuidv7 } from '../../common/ids.ts';
import { OutboxChange, type Mutation, type NewOutboxChange, type OutboxEntity } from '../../common/protocol/index.ts';
import type { StoreContext } from './store.ts';

export type OutboxState = 'pending' | 'in_progress' | 'failed' | 'rejected' | 'done';

/** Where an entry stands in the outbox. */
export interface OutboxPosition {
  seq: number;
  /** UUIDv7; the server applies a mutation at most once, keyed by this id. */
  mutationId: string;
  entityId: string;
  createdAt: string;
  state: OutboxState;
  attempts: number;
}

/**
 * What an entry carries: its change read through the outbox schema, or — for a kind this version
 * does not know, or a payload it cannot read — only its entity and op, so that it is shown to a
 * person instead of being dropped.
 */
export type OutboxContent =
  | ({ readable: true } & OutboxChange)
  | { readable: false; entity: string; op: string; knownKind: boolean };

export type OutboxEntry = OutboxPosition & { lastError: string | null } & OutboxContent;

/** A readable entry of one entity, as that entity's planner receives it. */
export type EntryOf<E extends OutboxEntity> = OutboxPosition & { readable: true } & Extract<OutboxChange, { entity: E }>;

/** What becomes of an entry at the next push. */
export type OutboxPlan =
  /** Send to the server; `blobs` must be uploaded first; `registers` is the letter the server gets. */
  | { kind: 'send'; mutation: Mutation; blobs: string[]; registers?: string }
  /** Nothing the server keeps: done on this desk without a request. */
  | { kind: 'local' }
  /** No server mutation exists for this change, or it cannot be read: needs a person. */
  | { kind: 'unsupported'; message: string };

/** A change to append: its entity's id, and its entity, op and payload as common/protocol types them. */
export type NewMutation = { entityId: string } & NewOutboxChange;

export interface OutboxRepository {
  /** Must run inside the transaction that makes the change (Store.transaction or a repository write). */
  append(mutation: NewMutation): OutboxEntry;
  /** Mutations the server has not yet applied (pending, in progress, or failed and due a retry), oldest first. */
  listPending(limit?: number): OutboxEntry[];
  countPending(): number;
}

const knownKinds = new Set(OutboxChange.options.map((o) => `${o.shape.entity.value}/${o.shape.op.value}`));

/** An entry's stored entity, op and payload (JSON) read through the outbox schema. */
export function readOutboxContent(entity: string, op: string, payload: string): OutboxContent {
  let value: unknown;
  try { value = JSON.parse(payload); } catch { value = undefined; }
  const parsed = OutboxChange.safeParse({ entity, op, payload: value });
  return parsed.success ? { readable: true, ...parsed.data } : { readable: false, entity, op, knownKind: knownKinds.has(`${entity}/${op}`) };
}

/** The columns of an entry as its readers select them. */
export const outboxColumns = 'seq, mutation_id AS mutationId, entity, entity_id AS entityId, op, payload, created_at AS createdAt, state, attempts, last_error AS lastError';
export interface OutboxRow extends OutboxPosition { entity: string; op: string; payload: string; lastError: string | null }

export function entryOf(row: OutboxRow): OutboxEntry {
  const { entity, op, payload, ...position } = row;
  return { ...position, ...readOutboxContent(entity, op, payload) };
}

const notYetApplied = "state IN ('pending', 'in_progress', 'failed')";

export function outboxRepository(ctx: StoreContext): OutboxRepository {
  const { db } = ctx;
  const insert = db.prepare(
    'INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq',
  ).pluck();
  const selectPending = db.prepare(`SELECT ${outboxColumns} FROM outbox WHERE ${notYetApplied} ORDER BY seq LIMIT ?`);
  const selectCount = db.prepare(`SELECT count(*) FROM outbox WHERE ${notYetApplied}`).pluck();

  return {
    append(mutation) {
      // An outbox row without its change (or the change without its row) is exactly the bug the
      // transactional outbox exists to prevent, so a call outside a transaction is refused.
      if (!db.inTransaction) throw new Error('store: outbox.append must run inside the transaction of the change it carries');
      const at = ctx.now();
      const mutationId = uuidv7(at.getTime());
      const createdAt = at.toISOString();
      const payload = JSON.stringify(mutation.payload);
      const seq = insert.get(mutationId, mutation.entity, mutation.entityId, mutation.op, payload, createdAt) as number;
      return entryOf({ seq, mutationId, entity: mutation.entity, entityId: mutation.entityId, op: mutation.op, payload, createdAt, state: 'pending', attempts: 0, lastError: null });
    },
    listPending: (limit = 100) => (selectPending.all(limit) as OutboxRow[]).map(entryOf),
    countPending: () => selectCount.get() as number,
  };
}
