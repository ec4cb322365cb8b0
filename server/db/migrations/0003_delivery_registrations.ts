// Which letter of the receiving office recorded a delivered letter in its agenda: so every desk of
// that office stops offering it once one desk has registered it, and a second registration of the
// same delivery (two desks offline at once) is refused instead of doubling the agenda.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('registered_letter_id', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('registered_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('registered_at').execute();
  await db.schema.alterTable('deliveries').dropColumn('registered_letter_id').execute();
}
