// Delegations (Plh/Plt): who was given which position of the office for which period, on whose
// approval (name, position, date, the note's or SK's reference), and whether it was ended early. The
// delegate's hold on the position during the period is a position_holdings row of capacity 'plh' or
// 'plt' (the same table every "who holds this position" question reads); this table keeps the rest.
// And the document types each office marks strategic, which no Plh/Plt may sign.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('delegations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('position_id', 'text', (c) => c.notNull().references('positions.id'))
    .addColumn('delegate_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('holding_id', 'text', (c) => c.notNull().references('position_holdings.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('ended_early_at', 'text')
    .addColumn('ended_early_by', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('approver_name', 'text', (c) => c.notNull())
    .addColumn('approver_position', 'text', (c) => c.notNull())
    .addColumn('approved_on', 'text', (c) => c.notNull())
    .addColumn('approval_reference', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('delegations_position').on('delegations').columns(['position_id', 'ends_at']).execute();
  await db.schema.createIndex('delegations_office').on('delegations').columns(['office_id', 'starts_at']).execute();
  await db.schema.createTable('strategic_document_types')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('strategic_document_types_pk', ['office_id', 'document_type']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('strategic_document_types').execute();
  await db.schema.dropTable('delegations').execute();
}
