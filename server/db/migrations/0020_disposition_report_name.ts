// The original name of a report's file (laporan tindak lanjut), carried with its hash so that every
// desk of the office shows which file was reported, not only the reporter's. Reports from before
// have none: null.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('disposition_recipients').addColumn('report_name', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('disposition_recipients').dropColumn('report_name').execute();
}
