// The signing capability's sync mutations: a letter of the office signed at a desk (the signer as the
// stamp names them, the time, the signed file's SHA-256) and a later revision of a signed file (its
// signature timestamped). Kept for the letter's public verification page; no desk reads them back,
// so they write no feed rows.
import { Rejection } from '../http/errors.ts';
import { officeOf, type Applier } from '../feed/writes.ts';

/** Whoever may push the desk's outgoing letters may push their signatures: the official's desk, or the front office's after it. */
const signingRoles: readonly string[] = ['admin_kantor', 'operator_utama', 'signer'];

export const recordSignature: Applier<'signature.record'> = async (trx, _writes, user, p, at) => {
  if (!signingRoles.includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  await trx.insertInto('letter_signatures').values({
    id: p.signatureId, letter_id: p.letterId, office_id: officeId, signer_name: p.signer.name, signer_position: p.signer.position,
    signed_at: p.signedAt, time_zone: p.timeZone ?? null, recorded_by: user.id, recorded_at: at,
  }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await trx.insertInto('signed_files').values({ letter_id: p.letterId, sha256: p.documentHash, signature_id: p.signatureId, level: p.level, recorded_at: at })
    .onConflict((oc) => oc.columns(['letter_id', 'sha256']).doNothing()).execute();
  return { target: p.letterId, details: { signatureId: p.signatureId, documentHash: p.documentHash, level: p.level } };
};

export const upgradeSignature: Applier<'signature.upgrade'> = async (trx, _writes, user, p, at) => {
  if (!signingRoles.includes(user.role)) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const signature = await trx.selectFrom('letter_signatures').select(['letter_id', 'office_id']).where('id', '=', p.signatureId).executeTakeFirst();
  if (!signature || signature.office_id !== officeId) throw new Rejection('SIGNATURE_NOT_FOUND');
  await trx.insertInto('signed_files').values({ letter_id: signature.letter_id, sha256: p.documentHash, signature_id: p.signatureId, level: p.level, recorded_at: at })
    .onConflict((oc) => oc.columns(['letter_id', 'sha256']).doNothing()).execute();
  return { target: signature.letter_id, details: { signatureId: p.signatureId, documentHash: p.documentHash, level: p.level } };
};
