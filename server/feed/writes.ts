// What applying one sync mutation writes besides its own rows: the change feed rows others must see
// and the audit entries, handed back for the push to write for its whole batch. Every capability's
// applier (server/*/mutations.ts) has the same shape, so the registry (appliers.ts) lists them.
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CurrentUser } from '../http/context.ts';
import { Rejection } from '../http/errors.ts';
import type { AuditEntry } from '../audit/log.ts';
import { FeedRow, type MutationKind, type MutationPayload } from '../../common/protocol/index.ts';

export type Trx = Transaction<Database>;

/** What one applied mutation adds to the change feed and to the audit log, in order. */
export interface MutationWrites {
  changes: Insertable<Database['changes']>[];
  audit: AuditEntry[];
}

/** The mutation's own audit entry: what it acted on, and details beyond its id. */
export interface AppliedAs {
  target: string;
  details?: Record<string, unknown>;
}

/**
 * Applies one validated mutation of kind K inside the caller's transaction: checks who may do it and
 * the state it needs, writes its rows and its feed rows. A failed check throws Rejection, which rolls
 * the mutation back and is answered to the desk. Returns what its own audit entry records; undefined
 * when the mutation is itself audit entries (audit.record).
 */
export type Applier<K extends MutationKind> = (trx: Trx, writes: MutationWrites, user: CurrentUser, payload: MutationPayload<K>, at: string) => Promise<AppliedAs | undefined>;

/**
 * Adds a row to the office's change feed (`userId` set: that user's desks only). The row is checked
 * against the feed's schema, the one desks read it with: a row that does not match is a bug of this
 * server and fails the push instead of reaching desks that cannot read it.
 */
export function appendChange(writes: MutationWrites, officeId: string, userId: string | null, row: FeedRow, at: string): void {
  const checked = FeedRow.parse(row);
  writes.changes.push({ office_id: officeId, user_id: userId, entity: checked.entity, entity_id: checked.entityId, op: checked.op, data: JSON.stringify(checked.data), created_at: at });
}

/** The office a mutation acts for: the user's own; a user of no office may push nothing. */
export function officeOf(user: CurrentUser): string {
  if (!user.officeId) throw new Rejection('FORBIDDEN');
  return user.officeId;
}
