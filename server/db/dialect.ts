// The few places where SQLite and PostgreSQL differ, named once so migrations and queries stay shared.
/* eslint-disable @typescript-eslint/no-explicit-any -- these helpers serve every schema, including a migration's */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer key the database numbers itself, in commit order on SQLite and by sequence on PostgreSQL. */
export function autoIncrementKey(db: Kysely<any>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return isPostgres(db)
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/** A unique or primary-key constraint refused the row (another desk or request got there first). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Serializes the transactions that write the change feed or check agenda numbers. On PostgreSQL a
 * sequence value is taken before commit, so two concurrent writers could commit seq 8 before seq 7
 * and a puller at cursor 8 would miss 7 forever; a transaction-scoped advisory lock keeps commit
 * order equal to seq order across every server instance. SQLite already has a single writer.
 */
export async function serializeWrites(trx: Kysely<any>): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(7301)`.execute(trx);
}
