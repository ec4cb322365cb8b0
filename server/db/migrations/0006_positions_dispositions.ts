// The organisation as a structure of positions, and dispositions addressed to positions.
// A position now belongs to an office, reports to a parent position (the line a disposition goes
// down) and has a level; who holds it, from when to when and in what capacity is its own table
// (position_holdings), so a transfer ends one holding and starts another while the history stays,
// and a delegate (Plh/Plt) is one more capacity later. users.position_id is carried over into
// holdings and no longer read. The early per-user dispositions sketch held no data any desk could
// write through a screen; it is replaced by dispositions from a position to positions, in a tree
// (parent_id: the disposition received that was passed on), with each recipient's read/done state.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.alterTable('positions').addColumn('office_id', 'text').execute();
  await s.alterTable('positions').addColumn('parent_position_id', 'text').execute();
  await s.alterTable('positions').addColumn('level', 'text', (c) => c.notNull().defaultTo('pelaksana')).execute();
  await s.alterTable('positions').addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await s.alterTable('positions').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  const units = await db.selectFrom('units').select(['id', 'office_id']).execute();
  for (const u of units) await db.updateTable('positions').set({ office_id: u.office_id }).where('unit_id', '=', u.id).execute();
  await db.updateTable('positions').set({ level: 'kepala' }).where('is_head', '=', 1).execute();
  await s.createIndex('positions_office').on('positions').column('office_id').execute();

  await s.createTable('position_holdings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('capacity', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text').execute();
  await s.createIndex('position_holdings_user').on('position_holdings').columns(['user_id', 'ends_at']).execute();
  await s.createIndex('position_holdings_position').on('position_holdings').columns(['position_id', 'ends_at']).execute();
  const held = await db.selectFrom('users').select(['id', 'position_id', 'created_at']).where('position_id', 'is not', null).execute();
  for (const u of held) {
    await db.insertInto('position_holdings').values({ id: `holding-${u.id}`, position_id: u.position_id, user_id: u.id, capacity: 'definitive', starts_at: u.created_at, ends_at: null }).execute();
  }

  await s.createTable('disposition_routes')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('from_position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addColumn('to_position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addPrimaryKeyConstraint('disposition_routes_pk', ['from_position_id', 'to_position_id']).execute();

  await s.dropTable('disposition_recipients').execute();
  await s.dropTable('dispositions').execute();
  await s.createTable('dispositions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('parent_id', 'text', (c) => c.references('dispositions.id'))
    .addColumn('from_position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addColumn('from_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('instructions', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text').execute();
  await s.createIndex('dispositions_letter').on('dispositions').columns(['letter_id', 'created_at']).execute();
  await s.createTable('disposition_recipients')
    .addColumn('disposition_id', 'text', (c) => c.notNull().references('dispositions.id'))
    .addColumn('position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('read_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addColumn('report_note', 'text')
    .addColumn('report_sha256', 'text')
    .addPrimaryKeyConstraint('disposition_recipients_pk', ['disposition_id', 'position_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.dropTable('disposition_recipients').execute();
  await s.dropTable('dispositions').execute();
  await s.dropTable('disposition_routes').execute();
  await s.dropTable('position_holdings').execute();
  await s.dropIndex('positions_office').execute();
  for (const column of ['active', 'sort_order', 'level', 'parent_position_id', 'office_id']) await s.alterTable('positions').dropColumn(column).execute();
  await s.createTable('dispositions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('from_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('instruction', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await s.createTable('disposition_recipients')
    .addColumn('disposition_id', 'text', (c) => c.notNull().references('dispositions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('disposition_recipients_pk', ['disposition_id', 'user_id']).execute();
}
