// A mutation id is remembered per office: a push that reuses another office's id is neither answered
// `duplicate` (which told it the id existed, and dropped its own mutation) nor refused. Offices are
// taken from who applied each mutation; a user without an office (the super admin) keeps ''.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('applied_mutations_by_office')
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('applied_mutations_office_pk', ['office_id', 'id'])
    .execute();
  await sql`INSERT INTO applied_mutations_by_office (office_id, id, kind, user_id, device_id, applied_at)
    SELECT COALESCE(u.office_id, ''), m.id, m.kind, m.user_id, m.device_id, m.applied_at
    FROM applied_mutations m LEFT JOIN users u ON u.id = m.user_id`.execute(db);
  await db.schema.dropTable('applied_mutations').execute();
  await db.schema.alterTable('applied_mutations_by_office').renameTo('applied_mutations').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('applied_mutations_by_id')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull()).execute();
  await sql`INSERT INTO applied_mutations_by_id (id, kind, user_id, device_id, applied_at)
    SELECT id, MIN(kind), MIN(user_id), MIN(device_id), MIN(applied_at) FROM applied_mutations GROUP BY id`.execute(db);
  await db.schema.dropTable('applied_mutations').execute();
  await db.schema.alterTable('applied_mutations_by_id').renameTo('applied_mutations').execute();
}
