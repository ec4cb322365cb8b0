// Each desk's activity-log chain as the server holds it: the newest desk entry taken (its seq and
// hash), so the next push must continue from it, and the first break seen, for the admin kantor.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('desk_audit_chains')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text')
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('break_kind', 'text')
    .addColumn('break_seq', 'integer')
    .addColumn('break_held_seq', 'integer')
    .addColumn('break_detected_at', 'text')
    .execute();
  await db.schema.createIndex('desk_audit_chains_office').on('desk_audit_chains').column('office_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('desk_audit_chains').execute();
}
