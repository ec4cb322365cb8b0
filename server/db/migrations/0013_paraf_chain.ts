// The paraf chain of drafts: every version a draft had (its author's saves and its verifiers' edits),
// the chain it was sent to (verifiers' positions in order, the signer, whose turn it is), each step
// of its trail (submitted, approved, returned with notes, signed), and each office's choice of where
// the chain restarts after a return.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('draft_versions')
    .addColumn('draft_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('draft_versions_pk', ['draft_id', 'version'])
    .execute();
  await db.schema.createTable('draft_chains')
    .addColumn('draft_id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('signer_id', 'text', (c) => c.notNull())
    .addColumn('classification_code', 'text')
    .addColumn('verifiers', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('returned_by_position', 'text')
    .addColumn('letter_id', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('paraf_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('draft_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('position_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paraf_steps_draft').on('paraf_steps').columns(['draft_id', 'seq']).execute();
  await db.schema.createTable('paraf_policies')
    .addColumn('office_id', 'text', (c) => c.primaryKey())
    .addColumn('restart', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['paraf_policies', 'paraf_steps', 'draft_chains', 'draft_versions']) await db.schema.dropTable(table).execute();
}
