// The disposition capability's sync mutations. A disposition goes from a position the user holds to
// positions of the same office below it in the reporting line (or along a route the office allows);
// a recipient passes it on (a child disposition), reads it and reports it done; its sender cancels it
// while no recipient has read it. Every change re-sends the whole disposition in the office's feed.
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type Trx } from '../feed/writes.ts';
import { holds } from '../positions/holdings.ts';
import { isClassified } from '../feed/classified.ts';
import { readLetterView } from '../letters/view.ts';
import { blobsUsableBy } from '../blobs/access.ts';
import { letterDispositionState, type DispositionData } from '../../common/protocol/disposition.ts';

/** A letter this office may act on: its own, or one delivered to it. */
async function visibleLetter(trx: Trx, officeId: string, letterId: string): Promise<boolean> {
  const own = await trx.selectFrom('letters').select('id').where('id', '=', letterId).where('office_id', '=', officeId).executeTakeFirst();
  if (own) return true;
  return (await trx.selectFrom('deliveries').select('letter_id').where('letter_id', '=', letterId).where('to_office_id', '=', officeId).executeTakeFirst()) !== undefined;
}

/** The disposition as the feed carries it. */
async function dispositionData(trx: Trx, id: string): Promise<DispositionData | undefined> {
  const d = await trx.selectFrom('dispositions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) return undefined;
  const recipients = await trx.selectFrom('disposition_recipients').selectAll().where('disposition_id', '=', id).orderBy('kind', 'desc').orderBy('position_id').execute();
  return {
    id: d.id, letterId: d.letter_id, parentId: d.parent_id, fromPositionId: d.from_position_id, fromUserId: d.from_user_id,
    instructions: JSON.parse(d.instructions) as string[], note: d.note, urgency: d.urgency, dueDate: d.due_date, createdAt: d.created_at, cancelledAt: d.cancelled_at,
    recipients: recipients.map((r) => ({
      positionId: r.position_id, kind: r.kind, readAt: r.read_at, readBy: r.read_by, doneAt: r.done_at, doneBy: r.done_by, reportNote: r.report_note, reportAttachment: r.report_sha256, reportAttachmentName: r.report_name,
    })),
  };
}

async function publish(trx: Trx, writes: Parameters<Applier<'disposition.read'>>[1], officeId: string, id: string, at: string): Promise<void> {
  const data = await dispositionData(trx, id);
  if (data) appendChange(writes, officeId, null, { entity: 'disposition', entityId: id, op: 'upsert', data }, at);
}

/**
 * Sends a classified letter of the office again in its feed, for those the new disposition entitles
 * (feed/classified.ts): their desks hold its placeholder until then. A letter delivered to the office
 * and not registered yet is its front office's and head's; its registered copy is the one disposed.
 */
async function republishIfClassified(trx: Trx, writes: Parameters<Applier<'disposition.create'>>[1], officeId: string, letterId: string, at: string): Promise<void> {
  const row = await trx.selectFrom('letters').select(['office_id', 'security']).where('id', '=', letterId).executeTakeFirst();
  if (row?.office_id !== officeId || !isClassified(row)) return;
  const letter = await readLetterView(trx, letterId);
  if (letter) appendChange(writes, officeId, null, { entity: 'letter', entityId: letterId, op: 'upsert', data: letter }, at);
}

/** A disposition of the user's office, or DISPOSITION_NOT_FOUND. */
async function ownDisposition(trx: Trx, officeId: string, id: string) {
  const d = await trx.selectFrom('dispositions').selectAll().where('id', '=', id).where('office_id', '=', officeId).executeTakeFirst();
  if (!d) throw new Rejection('DISPOSITION_NOT_FOUND');
  return d;
}

/** The recipient row of `positionId`, held by the user now, or the refusal that says why not. */
async function heldRecipient(trx: Trx, userId: string, dispositionId: string, positionId: string, at: string) {
  if (!(await holds(trx, userId, positionId, at))) throw new Rejection('POSITION_NOT_HELD');
  const r = await trx.selectFrom('disposition_recipients').selectAll().where('disposition_id', '=', dispositionId).where('position_id', '=', positionId).executeTakeFirst();
  if (!r) throw new Rejection('DISPOSITION_NOT_RECIPIENT');
  return r;
}

/** Whether `to` is below `from` in the office's reporting line, or the office allows the route. */
async function routeAllowed(trx: Trx, officeId: string, from: string, to: string): Promise<boolean> {
  const route = await trx.selectFrom('disposition_routes').select('to_position_id').where('from_position_id', '=', from).where('to_position_id', '=', to).executeTakeFirst();
  if (route) return true;
  const parents = new Map((await trx.selectFrom('positions').select(['id', 'parent_position_id']).where('office_id', '=', officeId).execute()).map((p) => [p.id, p.parent_position_id]));
  for (let at = parents.get(to) ?? null, steps = 0; at !== null && steps <= parents.size; at = parents.get(at) ?? null, steps++) {
    if (at === from) return true;
  }
  return false;
}

export const createDisposition: Applier<'disposition.create'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  if (!(await visibleLetter(trx, officeId, p.letterId))) throw new Rejection('LETTER_NOT_FOUND');
  if (await trx.selectFrom('dispositions').select('id').where('id', '=', p.dispositionId).executeTakeFirst()) throw new Rejection('DISPOSITION_EXISTS');
  const from = await trx.selectFrom('positions').select('office_id').where('id', '=', p.fromPositionId).executeTakeFirst();
  if (from?.office_id !== officeId || !(await holds(trx, user.id, p.fromPositionId, at))) throw new Rejection('POSITION_NOT_HELD');
  if (p.parentId !== null) {
    const parent = await ownDisposition(trx, officeId, p.parentId);
    if (parent.letter_id !== p.letterId) throw new Rejection('DISPOSITION_NOT_FOUND');
    if (parent.cancelled_at !== null) throw new Rejection('DISPOSITION_CANCELLED');
    const mine = await heldRecipient(trx, user.id, p.parentId, p.fromPositionId, at);
    if (mine.kind !== 'to') throw new Rejection('DISPOSITION_NOT_RECIPIENT');
    if (mine.done_at !== null) throw new Rejection('DISPOSITION_ALREADY_DONE');
    if (mine.read_at === null) {
      await trx.updateTable('disposition_recipients').set({ read_at: at, read_by: user.id }).where('disposition_id', '=', p.parentId).where('position_id', '=', p.fromPositionId).execute();
    }
  } else {
    const existing = await trx.selectFrom('dispositions').select('id').where('letter_id', '=', p.letterId).where('office_id', '=', officeId).execute();
    const all = (await Promise.all(existing.map((d) => dispositionData(trx, d.id)))).filter((d) => d !== undefined);
    if (letterDispositionState(all) === 'done') throw new Rejection('LETTER_DONE');
  }
  const to = [...new Set(p.to)];
  const cc = [...new Set(p.cc)].filter((id) => !to.includes(id));
  const everyone = [...to, ...cc];
  if (everyone.includes(p.fromPositionId)) throw new Rejection('RECIPIENT_INVALID');
  const valid = await trx.selectFrom('positions').select('id').where('id', 'in', everyone).where('office_id', '=', officeId).where('active', '=', 1).execute();
  if (valid.length !== everyone.length) throw new Rejection('RECIPIENT_INVALID');
  for (const target of to) {
    if (!(await routeAllowed(trx, officeId, p.fromPositionId, target))) throw new Rejection('DISPOSITION_ROUTE_REFUSED');
  }
  await trx.insertInto('dispositions').values({
    id: p.dispositionId, office_id: officeId, letter_id: p.letterId, parent_id: p.parentId, from_position_id: p.fromPositionId, from_user_id: user.id,
    instructions: JSON.stringify(p.instructions), note: p.note, urgency: p.urgency, due_date: p.dueDate, created_at: at, cancelled_at: null, cancelled_by: null,
  }).execute();
  await trx.insertInto('disposition_recipients').values(everyone.map((position_id) => ({
    disposition_id: p.dispositionId, position_id, kind: to.includes(position_id) ? 'to' as const : 'cc' as const,
    read_at: null, read_by: null, done_at: null, done_by: null, report_note: null, report_sha256: null, report_name: null,
  }))).execute();
  await publish(trx, writes, officeId, p.dispositionId, at);
  if (p.parentId !== null) await publish(trx, writes, officeId, p.parentId, at);
  await republishIfClassified(trx, writes, officeId, p.letterId, at);
  return { target: p.dispositionId, details: { letterId: p.letterId, parentId: p.parentId, fromPositionId: p.fromPositionId, to, cc } };
};

export const readDisposition: Applier<'disposition.read'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const d = await ownDisposition(trx, officeId, p.dispositionId);
  const mine = await heldRecipient(trx, user.id, p.dispositionId, p.positionId, at);
  // Read after its sender cancelled it, or read again: nothing changes, and nothing to refuse.
  if (d.cancelled_at === null && mine.read_at === null) {
    await trx.updateTable('disposition_recipients').set({ read_at: at, read_by: user.id }).where('disposition_id', '=', p.dispositionId).where('position_id', '=', p.positionId).execute();
    await publish(trx, writes, officeId, p.dispositionId, at);
  }
  return { target: p.dispositionId, details: { letterId: d.letter_id, positionId: p.positionId } };
};

export const reportDisposition: Applier<'disposition.report'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const d = await ownDisposition(trx, officeId, p.dispositionId);
  const mine = await heldRecipient(trx, user.id, p.dispositionId, p.positionId, at);
  if (mine.kind !== 'to') throw new Rejection('DISPOSITION_NOT_RECIPIENT');
  if (d.cancelled_at !== null) throw new Rejection('DISPOSITION_CANCELLED');
  if (mine.done_at !== null) throw new Rejection('DISPOSITION_ALREADY_DONE');
  if (p.attachment !== null) {
    // Held by the office (or sent to it), as a letter's scans: another office's blob, known by its hash, is missing here.
    if (!(await blobsUsableBy(trx, officeId, [p.attachment])).has(p.attachment)) throw new Rejection('BLOB_MISSING');
  }
  await trx.updateTable('disposition_recipients').set({
    read_at: mine.read_at ?? at, read_by: mine.read_by ?? user.id, done_at: at, done_by: user.id, report_note: p.note, report_sha256: p.attachment, report_name: p.attachmentName ?? null,
  }).where('disposition_id', '=', p.dispositionId).where('position_id', '=', p.positionId).execute();
  await publish(trx, writes, officeId, p.dispositionId, at);
  return { target: p.dispositionId, details: { letterId: d.letter_id, positionId: p.positionId, attachment: p.attachment } };
};

export const cancelDisposition: Applier<'disposition.cancel'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const d = await ownDisposition(trx, officeId, p.dispositionId);
  if (d.from_user_id !== user.id && !(await holds(trx, user.id, d.from_position_id, at))) throw new Rejection('POSITION_NOT_HELD');
  if (d.cancelled_at === null) {
    const read = await trx.selectFrom('disposition_recipients').select('position_id').where('disposition_id', '=', p.dispositionId).where('read_at', 'is not', null).executeTakeFirst();
    if (read) throw new Rejection('DISPOSITION_ALREADY_READ');
    const child = await trx.selectFrom('dispositions').select('id').where('parent_id', '=', p.dispositionId).where('cancelled_at', 'is', null).executeTakeFirst();
    if (child) throw new Rejection('DISPOSITION_HAS_FOLLOW_UP');
    await trx.updateTable('dispositions').set({ cancelled_at: at, cancelled_by: user.id }).where('id', '=', p.dispositionId).execute();
    await publish(trx, writes, officeId, p.dispositionId, at);
  }
  return { target: p.dispositionId, details: { letterId: d.letter_id } };
};
