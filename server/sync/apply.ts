// Applies one validated sync mutation inside the caller's transaction: checks who may do it and the
// state it needs and writes the rows; what others must see (the change feed) and the audit entries
// are handed back, for the push to write for its whole batch. A failed check throws Rejection, which
// rolls the mutation back and is answered to the desk.
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { Rejection } from '../http/errors.ts';
import type { CurrentUser } from '../http/context.ts';
import type { Mutation } from '../../common/protocol/mutations.ts';
import type { AuditEntry } from '../audit/log.ts';

type Trx = Transaction<Database>;
type LetterRow = Database['letters'];
type Payload<K extends Mutation['kind']> = Extract<Mutation, { kind: K }>['payload'];

const registerRoles = ['admin_kantor', 'operator_utama'] as const;
/** An outgoing letter is registered (numbered) when its official signs it, at the official's own desk. */
const registerOutgoingRoles = [...registerRoles, 'signer'] as const;
const deliverRoles = ['admin_kantor', 'operator_utama', 'signer'] as const;

/** What one applied mutation adds to the change feed and to the audit log, in order. */
export interface MutationWrites {
  changes: Insertable<Database['changes']>[];
  audit: AuditEntry[];
}

function appendChange(writes: MutationWrites, officeId: string, userId: string | null, entity: string, entityId: string, data: unknown, at: string): void {
  writes.changes.push({ office_id: officeId, user_id: userId, entity, entity_id: entityId, op: 'upsert', data: JSON.stringify(data), created_at: at });
}

function officeOf(user: CurrentUser): string {
  if (!user.officeId) throw new Rejection('FORBIDDEN');
  return user.officeId;
}

/** A letter as the change feed carries it: its row and its attachments in order. */
function letterView(l: LetterRow, attachments: readonly string[]): Record<string, unknown> {
  return {
    id: l.id, officeId: l.office_id, direction: l.direction, year: l.year, agendaNumber: l.agenda_number, receivedAt: l.received_at,
    letterNumber: l.letter_number, letterDate: l.letter_date, sender: l.sender, addressee: l.addressee, subject: l.subject,
    summary: l.summary, urgency: l.urgency, security: l.security, classification: l.classification,
    attachments, createdBy: l.created_by, createdAt: l.created_at,
  };
}

async function readLetterView(trx: Trx, letterId: string): Promise<Record<string, unknown> | undefined> {
  const l = await trx.selectFrom('letters').selectAll().where('id', '=', letterId).executeTakeFirst();
  if (!l) return undefined;
  const attachments = await trx.selectFrom('letter_attachments').select('sha256').where('letter_id', '=', letterId).orderBy('position').execute();
  return letterView(l, attachments.map((a) => a.sha256));
}

async function registerLetter(trx: Trx, writes: MutationWrites, user: CurrentUser, p: Payload<'letter.register'>, at: string): Promise<void> {
  if (!((p.direction === 'out' ? registerOutgoingRoles : registerRoles) as readonly string[]).includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  // Two indexed reads for the four checks (this id exists; the number leased, returned or taken);
  // the codes are still answered in that order.
  const clashes = await trx.selectFrom('letters').select('id')
    .where((eb) => eb.or([
      eb('id', '=', p.letterId),
      eb.and([eb('office_id', '=', officeId), eb('direction', '=', p.direction), eb('year', '=', p.year), eb('agenda_number', '=', p.agendaNumber)]),
    ])).execute();
  if (clashes.some((c) => c.id === p.letterId)) throw new Rejection('LETTER_EXISTS');
  // EXISTS rather than a LEFT JOIN: SQLite ran the join ten times slower than the two lookups it stands for.
  const lease = await trx.selectFrom('number_leases')
    .select((eb) => ['id', eb.exists(eb.selectFrom('unused_numbers').select('number')
      .where('unused_numbers.office_id', '=', officeId).where('unused_numbers.book', '=', p.direction).where('unused_numbers.year', '=', p.year)
      .where('unused_numbers.number', '=', p.agendaNumber)).as('returned')])
    .where('office_id', '=', officeId).where('book', '=', p.direction).where('year', '=', p.year)
    .where('first_number', '<=', p.agendaNumber).where('last_number', '>=', p.agendaNumber).executeTakeFirst();
  if (!lease) throw new Rejection('AGENDA_NUMBER_NOT_LEASED');
  if (lease.returned) throw new Rejection('AGENDA_NUMBER_RETURNED'); // 1 on SQLite, true on PostgreSQL
  if (clashes.length > 0) throw new Rejection('AGENDA_NUMBER_TAKEN');
  const attachments = [...new Set(p.attachments)];
  if (attachments.length > 0) {
    const present = await trx.selectFrom('blobs').select('sha256').where('sha256', 'in', attachments).where('complete', '=', 1).execute();
    if (present.length !== attachments.length) throw new Rejection('BLOB_MISSING');
  }
  const row: LetterRow = {
    id: p.letterId, office_id: officeId, direction: p.direction, year: p.year, agenda_number: p.agendaNumber, received_at: p.receivedAt,
    letter_number: p.letterNumber, letter_date: p.letterDate, sender: p.sender, addressee: p.addressee, subject: p.subject, summary: p.summary,
    urgency: p.urgency, security: p.security, classification: p.classification, created_by: user.id, created_at: at, updated_at: at,
  };
  await trx.insertInto('letters').values(row).execute();
  if (attachments.length > 0) {
    await trx.insertInto('letter_attachments').values(attachments.map((sha256, position) => ({ letter_id: p.letterId, sha256, position }))).execute();
  }
  // The feed gets what was just written, without reading it back.
  appendChange(writes, officeId, null, 'letter', p.letterId, letterView(row, attachments), at);
  if (p.deliveredLetterId) await recordDeliveryRegistration(trx, writes, officeId, p.deliveredLetterId, row, at);
}

/**
 * The registered letter records a letter another office delivered: the delivery is marked, and its
 * feed row goes out again with the registration, so every desk of the office stops offering it.
 * Only one registration per delivery and office: a second desk that registered it too is refused.
 */
async function recordDeliveryRegistration(trx: Trx, writes: MutationWrites, officeId: string, deliveredLetterId: string, row: LetterRow, at: string): Promise<void> {
  const delivery = await trx.selectFrom('deliveries').selectAll().where('letter_id', '=', deliveredLetterId).where('to_office_id', '=', officeId).executeTakeFirst();
  if (!delivery || row.direction !== 'in') throw new Rejection('DELIVERY_NOT_FOUND');
  if (delivery.registered_letter_id !== null) {
    const earlier = await trx.selectFrom('letters').select(['agenda_number', 'year']).where('id', '=', delivery.registered_letter_id).executeTakeFirst();
    throw new Rejection('DELIVERY_ALREADY_REGISTERED', earlier
      ? `Surat kiriman ini sudah dicatat di agenda kantor Anda oleh meja lain (nomor agenda ${earlier.agenda_number}/${earlier.year}). Catatan di meja ini tidak dikirim; buang di Antrian Sinkron bila memang ganda.`
      : undefined);
  }
  await trx.updateTable('deliveries').set({ registered_letter_id: row.id, registered_at: at })
    .where('letter_id', '=', deliveredLetterId).where('to_office_id', '=', officeId).execute();
  const from = await trx.selectFrom('letters').select('office_id').where('id', '=', deliveredLetterId).executeTakeFirstOrThrow();
  appendChange(writes, officeId, null, 'delivery', deliveredLetterId, {
    letter: await readLetterView(trx, deliveredLetterId), fromOfficeId: from.office_id, deliveredAt: delivery.delivered_at,
    registration: { letterId: row.id, agendaNumber: row.agenda_number, year: row.year, at },
  }, at);
}

async function updateLetter(trx: Trx, writes: MutationWrites, user: CurrentUser, p: Payload<'letter.update'>, at: string): Promise<void> {
  if (!(registerRoles as readonly string[]).includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  const { attachments, receivedAt, letterNumber, letterDate, ...text } = p.changes;
  const columns = {
    ...text,
    ...(receivedAt !== undefined ? { received_at: receivedAt } : {}),
    ...(letterNumber !== undefined ? { letter_number: letterNumber } : {}),
    ...(letterDate !== undefined ? { letter_date: letterDate } : {}),
  };
  await trx.updateTable('letters').set({ ...columns, updated_at: at }).where('id', '=', p.letterId).execute();
  if (attachments !== undefined) {
    const unique = [...new Set(attachments)];
    if (unique.length > 0) {
      const present = await trx.selectFrom('blobs').select('sha256').where('sha256', 'in', unique).where('complete', '=', 1).execute();
      if (present.length !== unique.length) throw new Rejection('BLOB_MISSING');
    }
    await trx.deleteFrom('letter_attachments').where('letter_id', '=', p.letterId).execute();
    if (unique.length > 0) await trx.insertInto('letter_attachments').values(unique.map((sha256, position) => ({ letter_id: p.letterId, sha256, position }))).execute();
  }
  appendChange(writes, officeId, null, 'letter', p.letterId, await readLetterView(trx, p.letterId), at);
}

/** A letter this office may act on: its own, or one delivered to it. */
async function visibleLetter(trx: Trx, officeId: string, letterId: string): Promise<boolean> {
  const own = await trx.selectFrom('letters').select('id').where('id', '=', letterId).where('office_id', '=', officeId).executeTakeFirst();
  if (own) return true;
  return (await trx.selectFrom('deliveries').select('letter_id').where('letter_id', '=', letterId).where('to_office_id', '=', officeId).executeTakeFirst()) !== undefined;
}

async function createDisposition(trx: Trx, writes: MutationWrites, user: CurrentUser, p: Payload<'disposition.create'>, at: string): Promise<void> {
  const officeId = officeOf(user);
  if (!(await visibleLetter(trx, officeId, p.letterId))) throw new Rejection('LETTER_NOT_FOUND');
  if (await trx.selectFrom('dispositions').select('id').where('id', '=', p.dispositionId).executeTakeFirst()) throw new Rejection('DISPOSITION_EXISTS');
  const recipients = [...new Set(p.recipientUserIds)];
  const valid = await trx.selectFrom('users').select('id').where('id', 'in', recipients).where('office_id', '=', officeId).where('active', '=', 1).execute();
  if (valid.length !== recipients.length) throw new Rejection('RECIPIENT_INVALID');
  await trx.insertInto('dispositions').values({ id: p.dispositionId, letter_id: p.letterId, office_id: officeId, from_user_id: user.id, instruction: p.instruction, due_date: p.dueDate, created_at: at }).execute();
  await trx.insertInto('disposition_recipients').values(recipients.map((user_id) => ({ disposition_id: p.dispositionId, user_id }))).execute();
  appendChange(writes, officeId, null, 'disposition', p.dispositionId,
    { id: p.dispositionId, letterId: p.letterId, fromUserId: user.id, recipientUserIds: recipients, instruction: p.instruction, dueDate: p.dueDate, createdAt: at }, at);
}

async function deliverLetter(trx: Trx, writes: MutationWrites, user: CurrentUser, p: Payload<'letter.deliver'>, at: string): Promise<void> {
  if (!(deliverRoles as readonly string[]).includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await readLetterView(trx, p.letterId);
  if (!letter || letter.officeId !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  const targets = [...new Set(p.toOfficeIds)].filter((id) => id !== officeId);
  const known = targets.length === 0 ? [] : await trx.selectFrom('offices').select('id').where('id', 'in', targets).execute();
  if ((p.toOfficeIds.length > 0 && targets.length === 0) || known.length !== targets.length) throw new Rejection('OFFICE_NOT_FOUND');
  if (p.external) await markExternal(trx, writes, user, officeId, p.letterId, p.external, at);
  for (const to of targets) {
    const inserted = await trx.insertInto('deliveries').values({ letter_id: p.letterId, to_office_id: to, delivered_by: user.id, delivered_at: at })
      .onConflict((oc) => oc.columns(['letter_id', 'to_office_id']).doNothing()).returning('letter_id').executeTakeFirst();
    if (inserted) appendChange(writes, to, null, 'delivery', p.letterId, { letter, fromOfficeId: officeId, deliveredAt: at }, at);
  }
}

type ExternalRow = Database['external_deliveries'];

/** An addressee outside the system as the sending office's change feed carries it. */
function externalView(e: ExternalRow): Record<string, unknown> {
  return {
    id: e.id, letterId: e.letter_id, position: e.position, name: e.name, channel: e.channel, email: e.email,
    markedBy: e.marked_by, markedAt: e.marked_at, sentAt: e.sent_at, sentBy: e.sent_by,
  };
}

/** Addressees outside the system join the sending office's to-do (its feed only: no other office sees them). An id already known is left as it is. */
async function markExternal(trx: Trx, writes: MutationWrites, user: CurrentUser, officeId: string, letterId: string, list: NonNullable<Payload<'letter.deliver'>['external']>, at: string): Promise<void> {
  const before = await trx.selectFrom('external_deliveries').select(({ fn }) => fn.countAll<number | string>().as('n')).where('letter_id', '=', letterId).executeTakeFirstOrThrow();
  let position = Number(before.n);
  for (const a of list) {
    const row: ExternalRow = {
      id: a.id, letter_id: letterId, office_id: officeId, position: position++, name: a.name, channel: a.channel, email: a.channel === 'email' ? a.email ?? null : null,
      marked_by: user.id, marked_at: at, sent_at: null, sent_by: null,
    };
    const inserted = await trx.insertInto('external_deliveries').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (inserted) appendChange(writes, officeId, null, 'external_delivery', a.id, externalView(row), at);
  }
}

/** Marks one addressee outside the system sent; marking it again (another desk did it too) changes nothing. */
async function markExternalSent(trx: Trx, writes: MutationWrites, user: CurrentUser, p: Payload<'delivery.external_sent'>, at: string): Promise<void> {
  if (!(deliverRoles as readonly string[]).includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  const row = await trx.selectFrom('external_deliveries').selectAll().where('id', '=', p.externalId).where('letter_id', '=', p.letterId).executeTakeFirst();
  if (!row) throw new Rejection('EXTERNAL_NOT_FOUND');
  if (row.sent_at !== null) return;
  const sent: ExternalRow = { ...row, sent_at: at, sent_by: user.id };
  await trx.updateTable('external_deliveries').set({ sent_at: at, sent_by: user.id }).where('id', '=', p.externalId).execute();
  appendChange(writes, officeId, null, 'external_delivery', p.externalId, externalView(sent), at);
}

function recordDeskAudit(writes: MutationWrites, user: CurrentUser, p: Payload<'audit.record'>): void {
  writes.audit.push(...p.entries.map((e) => ({
    source: 'desk' as const, officeId: user.officeId, userId: user.id, deviceId: user.deviceId, action: e.action, target: e.target,
    details: { ...e.details, deskEntryId: e.id, deskAt: e.at, ...(e.hash ? { deskHash: e.hash } : {}) },
  })));
}

/** Applies the mutation in `trx` and returns what it adds to the change feed and the audit log (its own entry included). */
export async function applyMutation(trx: Trx, user: CurrentUser, mutation: Mutation, at: string): Promise<MutationWrites> {
  const writes: MutationWrites = { changes: [], audit: [] };
  const who = { officeId: user.officeId, userId: user.id, deviceId: user.deviceId, action: `sync.${mutation.kind}`, details: { mutationId: mutation.id } };
  switch (mutation.kind) {
    case 'letter.register':
      await registerLetter(trx, writes, user, mutation.payload, at);
      writes.audit.push({ ...who, target: mutation.payload.letterId });
      break;
    case 'letter.update':
      await updateLetter(trx, writes, user, mutation.payload, at);
      writes.audit.push({ ...who, target: mutation.payload.letterId, details: { ...who.details, fields: Object.keys(mutation.payload.changes) } });
      break;
    case 'disposition.create':
      await createDisposition(trx, writes, user, mutation.payload, at);
      writes.audit.push({ ...who, target: mutation.payload.dispositionId });
      break;
    case 'letter.deliver':
      await deliverLetter(trx, writes, user, mutation.payload, at);
      writes.audit.push({ ...who, target: mutation.payload.letterId, details: { ...who.details, toOfficeIds: mutation.payload.toOfficeIds, ...(mutation.payload.external ? { external: mutation.payload.external.map((a) => ({ id: a.id, channel: a.channel })) } : {}) } });
      break;
    case 'delivery.external_sent':
      await markExternalSent(trx, writes, user, mutation.payload, at);
      writes.audit.push({ ...who, target: mutation.payload.letterId, details: { ...who.details, externalId: mutation.payload.externalId } });
      break;
    case 'audit.record':
      recordDeskAudit(writes, user, mutation.payload);
      break;
  }
  return writes;
}
