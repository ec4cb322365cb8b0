// The server's hash-chained activity log (who did what, from which desk), with the desks' own audit
// entries merged in. Appends are serialized (one writer on SQLite, an advisory lock on PostgreSQL) so
// the chain never forks, even with several server instances.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { serializeWrites } from '../db/dialect.ts';
import { insertRows } from '../db/insert-rows.ts';

export interface AuditEntry {
  source?: 'server' | 'desk';
  officeId: string | null;
  userId: string | null;
  deviceId: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

const genesis = '0'.repeat(64);

type Row = Omit<Database['audit_log'], 'seq'>;

function entryHash(row: Omit<Row, 'hash'>): string {
  // A fixed field order, so the hash is the same whichever database returns the row.
  const canonical = JSON.stringify([row.prev_hash, row.at, row.source, row.office_id, row.user_id, row.device_id, row.action, row.target, row.details]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends inside the caller's transaction, so the entries commit or roll back with the change they record. */
export async function appendAudit(trx: Transaction<Database>, entries: AuditEntry[], at: string): Promise<void> {
  if (entries.length === 0) return;
  await serializeWrites(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prev = last?.hash ?? genesis;
  const rows = entries.map((e): Row => {
    const row: Omit<Row, 'hash'> = {
      at, source: e.source ?? 'server', office_id: e.officeId, user_id: e.userId, device_id: e.deviceId,
      action: e.action, target: e.target ?? null, details: JSON.stringify(e.details ?? {}), prev_hash: prev,
    };
    prev = entryHash(row);
    return { ...row, hash: prev };
  });
  await insertRows(trx, 'audit_log', rows); // in order, so seq follows the chain
}

/** Appends in a transaction of its own, for actions that change nothing else (a failed sign-in). */
export async function audit(db: Db, entry: AuditEntry, at: string): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, [entry], at));
}

export interface ChainCheck { ok: boolean; checked: number; brokenAtSeq?: number }

/** Recomputes the whole chain; the first entry whose link or content does not match is reported. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainCheck> {
  let prev = genesis;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    for (const row of rows) {
      const { seq, hash, ...rest } = row;
      if (rest.prev_hash !== prev || entryHash(rest) !== hash) return { ok: false, checked, brokenAtSeq: seq };
      prev = hash;
      checked++;
      after = seq;
    }
    if (rows.length < 1000) return { ok: true, checked };
  }
}
