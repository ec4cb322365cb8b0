// The letterhead and templates of each office (kop dan templat naskah dinas), one row per saved version.
// Rows are never changed: a draft names the version it was written with and keeps rendering with it.
// An office with no row uses the shipped defaults.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('naskah_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** JSON: the letterhead's lines and its logo's SHA-256. */
    .addColumn('letterhead', 'text', (c) => c.notNull())
    /** JSON: the templates, one per document type. */
    .addColumn('templates', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('naskah_versions_office_version', ['office_id', 'version']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('naskah_versions').execute();
}
