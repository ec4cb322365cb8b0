// The first schema: organisation, people, auth, sync bookkeeping, letters, numbering and blobs.
// Landed migrations are never edited; a change is a new numbered file.
import type { Kysely } from 'kysely';
import { autoIncrementKey } from '../dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.createTable('server_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull()).execute();

  await s.createTable('regions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull()).execute();
  await s.createTable('offices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull()).execute();
  await s.createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('parent_unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull()).execute();
  await s.createTable('positions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('is_head', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await s.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('position_id', 'text', (c) => c.references('positions.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('nip', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await s.createIndex('users_office').on('users').column('office_id').execute();

  await s.createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text').execute();
  await s.createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull()).execute();
  await s.createTable('refresh_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text').execute();
  await s.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  await s.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();

  await s.createTable('applied_mutations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull()).execute();

  await s.createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text').execute();

  await s.createTable('letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('agenda_number', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('letter_number', 'text', (c) => c.notNull())
    .addColumn('letter_date', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('addressee', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('security', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('letters_agenda_unique', ['office_id', 'direction', 'year', 'agenda_number']).execute();
  await s.createTable('letter_attachments')
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_attachments_pk', ['letter_id', 'sha256']).execute();
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
  await s.createTable('deliveries')
    .addColumn('letter_id', 'text', (c) => c.notNull().references('letters.id'))
    .addColumn('to_office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('delivered_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('delivered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deliveries_pk', ['letter_id', 'to_office_id']).execute();

  await s.createTable('changes')
    .addColumn('seq', 'integer', autoIncrementKey(db))
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await s.createIndex('changes_office_seq').on('changes').columns(['office_id', 'seq']).execute();

  await s.createTable('number_counters')
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('book', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('next_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('number_counters_pk', ['office_id', 'book', 'year']).execute();
  await s.createTable('number_leases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('book', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('first_number', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addColumn('leased_at', 'text', (c) => c.notNull()).execute();
  await s.createIndex('number_leases_book').on('number_leases').columns(['office_id', 'book', 'year', 'first_number']).execute();
  await s.createTable('unused_numbers')
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('book', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('lease_id', 'text', (c) => c.notNull().references('number_leases.id'))
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('unused_numbers_pk', ['office_id', 'book', 'year', 'number']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['unused_numbers', 'number_leases', 'number_counters', 'changes', 'deliveries', 'disposition_recipients',
    'dispositions', 'letter_attachments', 'letters', 'blobs', 'applied_mutations', 'refresh_tokens', 'devices', 'login_throttle', 'users',
    'positions', 'units', 'offices', 'regions', 'server_settings']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
