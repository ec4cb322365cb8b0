// Which offices hold a blob: an office holds the bytes it uploaded itself (or, from before this table,
// that it declared or that its letters already carry). Knowing a blob's SHA-256 is not holding it:
// an office claims an existing blob only by uploading the bytes, and a blob is readable by the offices
// holding it and those sent a letter carrying it. Blobs still being uploaded keep their row here; their
// partial bytes start again from 0 (they now live per office).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('blob_holders')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('blob_holders_pk', ['sha256', 'office_id'])
    .execute();
  await sql`INSERT INTO blob_holders (sha256, office_id, size, uploaded_by, complete, created_at, completed_at)
    SELECT sha256, office_id, size, uploaded_by, complete, created_at, completed_at FROM blobs WHERE office_id IS NOT NULL`.execute(db);
  await sql`INSERT INTO blob_holders (sha256, office_id, size, uploaded_by, complete, created_at, completed_at)
    SELECT DISTINCT b.sha256, l.office_id, b.size, b.uploaded_by, 1, b.created_at, b.completed_at
    FROM letter_attachments la JOIN letters l ON l.id = la.letter_id JOIN blobs b ON b.sha256 = la.sha256
    WHERE NOT EXISTS (SELECT 1 FROM blob_holders h WHERE h.sha256 = la.sha256 AND h.office_id = l.office_id)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blob_holders').execute();
}
