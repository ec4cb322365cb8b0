// What the server keeps of a letter signed at a desk, for the letter's public verification page: who
// signed it (as the stamp names them) and when, and the SHA-256 of the signed file and of each later
// revision the desk made of it (a timestamp added) — a visitor's file is the signed letter when its
// hash is one of these. And the counters that rate-limit that public page, per visitor address and
// minute, kept in the database so every server instance counts alike.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('letter_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_position', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('letter_signatures_letter').on('letter_signatures').columns(['letter_id', 'signed_at']).execute();
  await db.schema.createTable('signed_files')
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'text', (c) => c.notNull().references('letter_signatures.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('signed_files_pk', ['letter_id', 'sha256'])
    .execute();
  await db.schema.createTable('request_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('minute', 'integer', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_throttle_minute').on('request_throttle').column('minute').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('request_throttle').execute();
  await db.schema.dropTable('signed_files').execute();
  await db.schema.dropTable('letter_signatures').execute();
}
