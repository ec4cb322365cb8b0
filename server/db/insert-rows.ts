// Many rows in a few statements: a push writes hundreds of bookkeeping rows (applied mutations, the
// change feed, audit entries), and one INSERT per row cost more than the work they record.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Far below SQLite's (32 766) and PostgreSQL's (65 535) bound-parameter limits for any of our tables. */
const rowsPerInsert = 100;

/** Inserts `rows` in order, 100 per statement; the rows of one INSERT are numbered in the order listed (SQLite and PostgreSQL alike). */
export async function insertRows<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await db.insertInto(table).values(rows.slice(start, start + rowsPerInsert)).execute();
  }
}
