// The disposition capability's sync mutation: a disposition of a letter the office may act on (its
// own, or one delivered to it) to active people of the same office, in the office's feed.
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type Trx } from '../feed/writes.ts';

/** A letter this office may act on: its own, or one delivered to it. */
async function visibleLetter(trx: Trx, officeId: string, letterId: string): Promise<boolean> {
  const own = await trx.selectFrom('letters').select('id').where('id', '=', letterId).where('office_id', '=', officeId).executeTakeFirst();
  if (own) return true;
  return (await trx.selectFrom('deliveries').select('letter_id').where('letter_id', '=', letterId).where('to_office_id', '=', officeId).executeTakeFirst()) !== undefined;
}

export const createDisposition: Applier<'disposition.create'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  if (!(await visibleLetter(trx, officeId, p.letterId))) throw new Rejection('LETTER_NOT_FOUND');
  if (await trx.selectFrom('dispositions').select('id').where('id', '=', p.dispositionId).executeTakeFirst()) throw new Rejection('DISPOSITION_EXISTS');
  const recipients = [...new Set(p.recipientUserIds)];
  const valid = await trx.selectFrom('users').select('id').where('id', 'in', recipients).where('office_id', '=', officeId).where('active', '=', 1).execute();
  if (valid.length !== recipients.length) throw new Rejection('RECIPIENT_INVALID');
  await trx.insertInto('dispositions').values({ id: p.dispositionId, letter_id: p.letterId, office_id: officeId, from_user_id: user.id, instruction: p.instruction, due_date: p.dueDate, created_at: at }).execute();
  await trx.insertInto('disposition_recipients').values(recipients.map((user_id) => ({ disposition_id: p.dispositionId, user_id }))).execute();
  appendChange(writes, officeId, null, { entity: 'disposition', entityId: p.dispositionId, op: 'upsert', data: {
    id: p.dispositionId, letterId: p.letterId, fromUserId: user.id, recipientUserIds: recipients, instruction: p.instruction, dueDate: p.dueDate, createdAt: at,
  } }, at);
  return { target: p.dispositionId };
};
