// Each office's own list of disposition instructions, in the order its admin kantor set. An office
// with no rows uses the shipped list (common/protocol/disposition.ts).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('office_disposition_instructions')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('office_disposition_instructions_pk', ['office_id', 'sort_order'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('office_disposition_instructions').execute();
}
