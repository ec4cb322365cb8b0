// The office's time zone a signature's stamp shows its time in (WIB, WITA or WIT), as the signing desk
// sends it, so the public verification page says the same time as the stamp. Signatures recorded
// before desks sent it stay null: those desks stamped in WIB.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter_signatures').addColumn('time_zone', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter_signatures').dropColumn('time_zone').execute();
}
