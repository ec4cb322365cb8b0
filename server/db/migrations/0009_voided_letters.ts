// A letter can be voided (batal): its row and agenda number stay, marked with when and why, so the
// number is never given again and the agenda book shows the entry as void.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letters').addColumn('voided_at', 'text').execute();
  await db.schema.alterTable('letters').addColumn('void_reason', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letters').dropColumn('void_reason').execute();
  await db.schema.alterTable('letters').dropColumn('voided_at').execute();
}
