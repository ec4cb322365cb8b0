// The office's time zone (WIB, WITA or WIT) on its record, set by its admin kantor: desks of the
// office show and print times in it, and the server words its own times (a refused signature, the
// verification page) in it. Offices never set stay null: WIB.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offices').addColumn('time_zone', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offices').dropColumn('time_zone').execute();
}
