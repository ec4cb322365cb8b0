// The letters capability's sync mutations: a letter registered in the office's agenda (incoming, or
// outgoing as its official signs it), possibly recording a letter another office delivered, and a
// registered letter corrected or voided (batal). Each writes the letter's feed row for every desk of the office.
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type MutationWrites, type Trx } from '../feed/writes.ts';
import { blobsUsableBy } from '../blobs/access.ts';
import { mayRegisterSigned } from '../positions/signing-authority.ts';
import { letterView, readLetterView, type LetterRow } from './view.ts';

const registerRoles = ['admin_kantor', 'operator_utama'] as const;
/** An outgoing letter is registered (numbered) when its official signs it, at the official's own desk. */
const registerOutgoingRoles = [...registerRoles, 'signer'] as const;

export const registerLetter: Applier<'letter.register'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const mayRegister = ((p.direction === 'out' ? registerOutgoingRoles : registerRoles) as readonly string[]).includes(user.role)
    // A Plh/Plt numbers the letters they sign at their own desk during their period, as the official
    // would (one signed then may arrive after it; its signature's authority is checked on its own).
    || (p.direction === 'out' && await mayRegisterSigned(trx, user, officeId, p.letterDate));
  if (!mayRegister) throw new Rejection('FORBIDDEN');
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
    // Only blobs the office holds or was sent: another office's scan, known by its hash, is missing here.
    if ((await blobsUsableBy(trx, officeId, attachments)).size !== attachments.length) throw new Rejection('BLOB_MISSING');
  }
  const row: LetterRow = {
    id: p.letterId, office_id: officeId, direction: p.direction, year: p.year, agenda_number: p.agendaNumber, received_at: p.receivedAt,
    letter_number: p.letterNumber, letter_date: p.letterDate, sender: p.sender, addressee: p.addressee, subject: p.subject, summary: p.summary,
    urgency: p.urgency, security: p.security, classification: p.classification, created_by: user.id, created_at: at, updated_at: at,
    voided_at: null, void_reason: null,
  };
  await trx.insertInto('letters').values(row).execute();
  if (attachments.length > 0) {
    await trx.insertInto('letter_attachments').values(attachments.map((sha256, position) => ({ letter_id: p.letterId, sha256, position }))).execute();
  }
  // The feed gets what was just written, without reading it back.
  appendChange(writes, officeId, null, { entity: 'letter', entityId: p.letterId, op: 'upsert', data: letterView(row, attachments) }, at);
  if (p.deliveredLetterId) await recordDeliveryRegistration(trx, writes, officeId, p.deliveredLetterId, row, at);
  return { target: p.letterId };
};

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
  // A delivery refers to its letter (foreign key): the letter is there.
  const letter = await readLetterView(trx, deliveredLetterId);
  if (!letter) throw new Error(`delivered letter ${deliveredLetterId} is missing`);
  appendChange(writes, officeId, null, { entity: 'delivery', entityId: deliveredLetterId, op: 'upsert', data: {
    letter, fromOfficeId: letter.officeId, deliveredAt: delivery.delivered_at,
    registration: { letterId: row.id, agendaNumber: row.agenda_number, year: row.year, at },
  } }, at);
}

export const updateLetter: Applier<'letter.update'> = async (trx, writes, user, p, at) => {
  if (!(registerRoles as readonly string[]).includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select(['office_id', 'voided_at']).where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  if (letter.voided_at !== null) throw new Rejection('LETTER_VOIDED');
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
      if ((await blobsUsableBy(trx, officeOf(user), unique)).size !== unique.length) throw new Rejection('BLOB_MISSING');
    }
    await trx.deleteFrom('letter_attachments').where('letter_id', '=', p.letterId).execute();
    if (unique.length > 0) await trx.insertInto('letter_attachments').values(unique.map((sha256, position) => ({ letter_id: p.letterId, sha256, position }))).execute();
  }
  const updated = await readLetterView(trx, p.letterId);
  if (!updated) throw new Error(`letter ${p.letterId} vanished inside its own update`);
  appendChange(writes, officeId, null, { entity: 'letter', entityId: p.letterId, op: 'upsert', data: updated }, at);
  return { target: p.letterId, details: { fields: Object.keys(p.changes) } };
};

/**
 * Voids a registered letter of the office: the row and its agenda number stay (the number is never
 * given again), marked with when and why. The agenda's keepers void any; whoever registered an
 * outgoing letter (the official who signed it, or their Plh/Plt) voids their own, as when a draft was
 * signed twice. Voiding a void letter again changes nothing.
 */
export const voidLetter: Applier<'letter.void'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select(['office_id', 'voided_at', 'direction', 'created_by']).where('id', '=', p.letterId).executeTakeFirst();
  const keeper = (registerRoles as readonly string[]).includes(user.role);
  if (!keeper && !(letter?.direction === 'out' && letter.created_by === user.id)) throw new Rejection('FORBIDDEN');
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  if (letter.voided_at !== null) return { target: p.letterId, details: { alreadyVoided: true } };
  await trx.updateTable('letters').set({ voided_at: at, void_reason: p.reason, updated_at: at }).where('id', '=', p.letterId).execute();
  const updated = await readLetterView(trx, p.letterId);
  if (!updated) throw new Error(`letter ${p.letterId} vanished inside its own void`);
  appendChange(writes, officeId, null, { entity: 'letter', entityId: p.letterId, op: 'upsert', data: updated }, at);
  return { target: p.letterId, details: { reason: p.reason } };
};
