// The transactional outbox (DESIGN.md): every local change that must reach the server is appended
// here in the same SQLite transaction as the change itself, in the order the desk made them.
// The sync engine reads it; nothing is "remembered to sync later".
import { uuidv7 } from '../../common/ids.ts';
import type { StoreContext } from './store.ts';

export type OutboxState = 'pending' | 'in_progress' | 'failed' | 'rejected' | 'done';

export interface OutboxEntry {
  seq: number;
  /** UUIDv7; the server applies a mutation at most once, keyed by this id. */
  mutationId: string;
  entity: string;
  entityId: string;
  op: string;
  payload: unknown;
  createdAt: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
}

export interface NewMutation {
  entity: string;
  entityId: string;
  op: string;
  payload: unknown;
}

export interface OutboxRepository {
  /** Must run inside the transaction that makes the change (Store.transaction or a repository write). */
  append(mutation: NewMutation): OutboxEntry;
  /** Mutations the server has not yet applied (pending, in progress, or failed and due a retry), oldest first. */
  listPending(limit?: number): OutboxEntry[];
  countPending(): number;
}

const notYetApplied = "state IN ('pending', 'in_progress', 'failed')";

export function outboxRepository(ctx: StoreContext): OutboxRepository {
  const { db } = ctx;
  const insert = db.prepare(
    'INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq',
  ).pluck();
  const selectPending = db.prepare(
    `SELECT seq, mutation_id AS mutationId, entity, entity_id AS entityId, op, payload, created_at AS createdAt, state, attempts, last_error AS lastError
     FROM outbox WHERE ${notYetApplied} ORDER BY seq LIMIT ?`,
  );
  const selectCount = db.prepare(`SELECT count(*) FROM outbox WHERE ${notYetApplied}`).pluck();

  return {
    append(mutation) {
      // An outbox row without its change (or the change without its row) is exactly the bug the
      // transactional outbox exists to prevent, so a call outside a transaction is refused.
      if (!db.inTransaction) throw new Error('store: outbox.append must run inside the transaction of the change it carries');
      const at = ctx.now();
      const entry = {
        mutationId: uuidv7(at.getTime()),
        entity: mutation.entity,
        entityId: mutation.entityId,
        op: mutation.op,
        payload: mutation.payload,
        createdAt: at.toISOString(),
      };
      const seq = insert.get(entry.mutationId, entry.entity, entry.entityId, entry.op, JSON.stringify(mutation.payload ?? null), entry.createdAt) as number;
      return { seq, ...entry, state: 'pending', attempts: 0, lastError: null };
    },
    listPending(limit = 100) {
      const rows = selectPending.all(limit) as (Omit<OutboxEntry, 'payload'> & { payload: string })[];
      return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
    },
    countPending: () => selectCount.get() as number,
  };
}
