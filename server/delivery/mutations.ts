// The delivery capability's sync mutations: a registered letter sent through the system to other
// offices (a 'delivery' row in each receiving office's feed), addressees outside the system added to
// the sending office's to-do, and one of them marked sent ('external_delivery' rows, that office's
// feed only: no other office sees them).
import type { Database } from '../db/schema.ts';
import type { CurrentUser } from '../http/context.ts';
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type MutationWrites, type Trx } from '../feed/writes.ts';
import { readLetterView } from '../letters/view.ts';
import type { ExternalDeliveryData } from '../../common/protocol/delivery.ts';
import type { MutationPayload } from '../../common/protocol/index.ts';
import { actsAsSigner } from '../positions/signing-authority.ts';

const deliverRoles = ['admin_kantor', 'operator_utama', 'signer'] as const;

/** The agenda's keepers and the signing officials send letters out; so does a Plh/Plt during the period, as its official would. */
async function mayDeliver(trx: Trx, user: CurrentUser, at: string): Promise<boolean> {
  return (deliverRoles as readonly string[]).includes(user.role) || await actsAsSigner(trx, user, at);
}

type ExternalRow = Database['external_deliveries'];

function externalView(e: ExternalRow): ExternalDeliveryData {
  return {
    id: e.id, letterId: e.letter_id, position: e.position, name: e.name, channel: e.channel, email: e.email,
    markedBy: e.marked_by, markedAt: e.marked_at, sentAt: e.sent_at, sentBy: e.sent_by,
  };
}

export const deliverLetter: Applier<'letter.deliver'> = async (trx, writes, user, p, at) => {
  if (!(await mayDeliver(trx, user, at))) throw new Rejection('FORBIDDEN');
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
    if (inserted) appendChange(writes, to, null, { entity: 'delivery', entityId: p.letterId, op: 'upsert', data: { letter, fromOfficeId: officeId, deliveredAt: at } }, at);
  }
  return {
    target: p.letterId,
    details: { toOfficeIds: p.toOfficeIds, ...(p.external ? { external: p.external.map((a) => ({ id: a.id, channel: a.channel })) } : {}) },
  };
};

/** Addressees outside the system join the sending office's to-do. An id already known is left as it is. */
async function markExternal(trx: Trx, writes: MutationWrites, user: CurrentUser, officeId: string, letterId: string, list: NonNullable<MutationPayload<'letter.deliver'>['external']>, at: string): Promise<void> {
  const before = await trx.selectFrom('external_deliveries').select(({ fn }) => fn.countAll<number | string>().as('n')).where('letter_id', '=', letterId).executeTakeFirstOrThrow();
  let position = Number(before.n);
  for (const a of list) {
    const row: ExternalRow = {
      id: a.id, letter_id: letterId, office_id: officeId, position: position++, name: a.name, channel: a.channel, email: a.channel === 'email' ? a.email ?? null : null,
      marked_by: user.id, marked_at: at, sent_at: null, sent_by: null,
    };
    const inserted = await trx.insertInto('external_deliveries').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (inserted) appendChange(writes, officeId, null, { entity: 'external_delivery', entityId: a.id, op: 'upsert', data: externalView(row) }, at);
  }
}

/** Marks one addressee outside the system sent; marking it again (another desk did it too) changes nothing. */
export const markExternalSent: Applier<'delivery.external_sent'> = async (trx, writes, user, p, at) => {
  if (!(await mayDeliver(trx, user, at))) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  const row = await trx.selectFrom('external_deliveries').selectAll().where('id', '=', p.externalId).where('letter_id', '=', p.letterId).executeTakeFirst();
  if (!row) throw new Rejection('EXTERNAL_NOT_FOUND');
  if (row.sent_at === null) {
    const sent: ExternalRow = { ...row, sent_at: at, sent_by: user.id };
    await trx.updateTable('external_deliveries').set({ sent_at: at, sent_by: user.id }).where('id', '=', p.externalId).execute();
    appendChange(writes, officeId, null, { entity: 'external_delivery', entityId: p.externalId, op: 'upsert', data: externalView(sent) }, at);
  }
  return { target: p.letterId, details: { externalId: p.externalId } };
};
