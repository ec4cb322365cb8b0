// The signing capability's sync mutations: a letter of the office signed at a desk (the signer as the
// stamp names them, the time, the signed file's SHA-256) and a later revision of a signed file (its
// signature timestamped). Kept for the letter's public verification page; no desk reads them back,
// so they write no feed rows. A signature that names its authority (the position signed for, and
// how) is accepted only if the signer held it at the signing time (server/positions/signing-authority.ts):
// a Plh/Plt during the delegation's period, never after it, and never for a strategic document type.
import { Rejection } from '../http/errors.ts';
import { officeOf, type Applier } from '../feed/writes.ts';
import { signingAuthority } from '../positions/signing-authority.ts';

/** Whoever may push the desk's outgoing letters may push their signatures: the official's desk, or the front office's after it. */
const signingRoles: readonly string[] = ['admin_kantor', 'operator_utama', 'signer'];
/** How far ahead of the server's clock a desk's signing time may be (clocks drift); later is a signature dated into a period it was not made in. */
const clockSkewMs = 5 * 60_000;

export const recordSignature: Applier<'signature.record'> = async (trx, _writes, user, p, at) => {
  // The signer pushes their own signature (whatever their role: a Plh, or a.n./u.b.); the authority check below decides.
  if (!signingRoles.includes(user.role) && p.authority?.signerUserId !== user.id) throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (!letter || letter.office_id !== officeId) throw new Rejection('LETTER_NOT_FOUND');
  let authority;
  if (p.authority) {
    if (Date.parse(p.signedAt) > Date.parse(at) + clockSkewMs) throw new Rejection('SIGNING_NOT_AUTHORIZED', 'Waktu tanda tangan lebih lambat dari waktu server. Periksa jam meja penanda tangan; tanda tangan tidak diterima server.');
    authority = await signingAuthority(trx, officeId, p.authority, p.signedAt);
  }
  await trx.insertInto('letter_signatures').values({
    id: p.signatureId, letter_id: p.letterId, office_id: officeId, signer_name: p.signer.name, signer_position: p.signer.position,
    signed_at: p.signedAt, time_zone: p.timeZone ?? null, recorded_by: user.id, recorded_at: at,
  }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await trx.insertInto('signed_files').values({ letter_id: p.letterId, sha256: p.documentHash, signature_id: p.signatureId, level: p.level, recorded_at: at })
    .onConflict((oc) => oc.columns(['letter_id', 'sha256']).doNothing()).execute();
  return { target: p.letterId, details: { signatureId: p.signatureId, documentHash: p.documentHash, level: p.level, ...(authority && p.authority ? {
    signerUserId: p.authority.signerUserId, positionId: p.authority.positionId, mode: authority.mode, capacity: authority.capacity, signerPositionId: authority.signerPositionId,
  } : {}) } };
};

export const upgradeSignature: Applier<'signature.upgrade'> = async (trx, _writes, user, p, at) => {
  const officeId = officeOf(user);
  const signature = await trx.selectFrom('letter_signatures').select(['letter_id', 'office_id', 'recorded_by']).where('id', '=', p.signatureId).executeTakeFirst();
  // A delegate's desk raises the signatures it recorded itself.
  if (!signingRoles.includes(user.role) && signature?.recorded_by !== user.id) throw new Rejection('FORBIDDEN');
  if (!signature || signature.office_id !== officeId) throw new Rejection('SIGNATURE_NOT_FOUND');
  await trx.insertInto('signed_files').values({ letter_id: signature.letter_id, sha256: p.documentHash, signature_id: p.signatureId, level: p.level, recorded_at: at })
    .onConflict((oc) => oc.columns(['letter_id', 'sha256']).doNothing()).execute();
  return { target: signature.letter_id, details: { signatureId: p.signatureId, documentHash: p.documentHash, level: p.level } };
};
