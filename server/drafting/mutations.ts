// The drafting capability's sync mutation: a draft of an outgoing letter as its author saved it at a
// desk. Kept per office for its author; a save is applied once (by its mutation id) and only a higher
// version than the one kept changes the row, so saves arriving again or out of order never bring back
// older text. No other desk reads drafts yet, so they write no feed rows.
import { Rejection } from '../http/errors.ts';
import { officeOf, type Applier } from '../feed/writes.ts';
import { blobsUsableBy } from '../blobs/access.ts';

export const saveDraft: Applier<'draft.save'> = async (trx, _writes, user, p, at) => {
  const officeId = officeOf(user);
  const kept = await trx.selectFrom('drafts').select(['office_id', 'author_id', 'version']).where('id', '=', p.draftId).executeTakeFirst();
  if (kept && (kept.office_id !== officeId || kept.author_id !== user.id)) throw new Rejection('DRAFT_NOT_YOURS');
  const attachments = [...new Set(p.attachments)];
  if (attachments.length > 0) {
    // Only blobs the office holds or was sent, as for letters: another office's, known by its hash, is missing here.
    if ((await blobsUsableBy(trx, officeId, attachments)).size !== attachments.length) throw new Rejection('BLOB_MISSING');
  }
  const row = {
    type: p.type, subject: p.content.hal, content: JSON.stringify(p.content), attachments: JSON.stringify(p.attachments), status: p.status,
    letter_id: p.letterId, version: p.version, saved_at: p.savedAt, received_at: at,
  };
  if (!kept) await trx.insertInto('drafts').values({ id: p.draftId, office_id: officeId, author_id: user.id, ...row }).execute();
  else if (p.version > kept.version) await trx.updateTable('drafts').set(row).where('id', '=', p.draftId).execute();
  return { target: p.draftId, details: { version: p.version, status: p.status, kept: kept === undefined || p.version > kept.version } };
};
