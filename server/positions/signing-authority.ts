// The server's one answer to "may this person sign this position's letters at this time, and as
// what": as the position's definitive holder, as its Plh/Plt while a delegation is in effect, or on
// behalf of it from one level below (a.n., atas nama) or two levels below (u.b., untuk beliau), per
// Permendagri 1/2023. A Plh/Plt may not sign the document types the office marks strategic (UU
// 30/2014 art. 14). Signing asks it for every signature it records; anything that routes a letter to
// its signer asks it too, so the rule is written once.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HoldingCapacity } from '../../common/protocol/org.ts';
import { delegationOutsideReason, strategicRefusalReason, type SigningClaim, type SigningMode } from '../../common/protocol/delegation.ts';
import { Rejection } from '../http/errors.ts';
import { heldPositions } from './holdings.ts';
import { officeTimeZone } from '../office/time-zone.ts';
import { formatMoment, startOfDay } from '../../common/dates.ts';
import type { OfficeTimeZone } from '../../common/ipc/app.ts';

type Db = Kysely<Database>;

export interface SigningAuthority {
  mode: SigningMode;
  /** How the signer holds the position they sign from (the claimed one for `self`, the one below for a.n./u.b.). */
  capacity: HoldingCapacity;
  signerPositionId: string;
}

/** How many levels below the claimed position the signer's position must report (self: the position itself). */
const levelsBelow: Record<SigningMode, number> = { self: 0, an: 1, ub: 2 };

/**
 * Checks that `claim.signerUserId`, a person of `officeId`, could sign for `claim.positionId` at `at`
 * (an ISO time) and answers how; refuses with SIGNING_NOT_AUTHORIZED or SIGNING_STRATEGIC_REFUSED
 * and a reason a clerk understands.
 */
export async function signingAuthority(db: Db, officeId: string, claim: SigningClaim, at: string): Promise<SigningAuthority> {
  const when = new Date(at).toISOString();
  const position = await db.selectFrom('positions').select(['id', 'title', 'parent_position_id'])
    .where('id', '=', claim.positionId).where('office_id', '=', officeId).where('active', '=', 1).executeTakeFirst();
  if (!position) throw new Rejection('SIGNING_NOT_AUTHORIZED', 'Jabatan yang disebut pada blok tanda tangan bukan jabatan aktif di kantor Anda, sehingga server tidak menerima tanda tangannya.');
  const signer = await db.selectFrom('users').select(['full_name', 'office_id', 'active']).where('id', '=', claim.signerUserId).executeTakeFirst();
  if (!signer || signer.office_id !== officeId) throw new Rejection('SIGNING_NOT_AUTHORIZED', 'Penanda tangan bukan pegawai kantor Anda, sehingga server tidak menerima tanda tangannya.');

  const held = await heldPositions(db, claim.signerUserId, when);
  let found: { positionId: string; capacity: HoldingCapacity } | undefined;
  for (const h of held) {
    if (await isBelow(db, h.positionId, claim.positionId, levelsBelow[claim.mode])) { found = h; break; }
  }
  if (!found) throw new Rejection('SIGNING_NOT_AUTHORIZED', await notAuthorizedReason(db, claim, signer.full_name, position.title, when, await officeTimeZone(db, officeId)));

  if (found.capacity !== 'definitive' && claim.documentType !== null) {
    const strategic = await db.selectFrom('strategic_document_types').select('document_type')
      .where('office_id', '=', officeId).where('document_type', '=', claim.documentType).executeTakeFirst();
    if (strategic) {
      throw new Rejection('SIGNING_STRATEGIC_REFUSED', strategicRefusalReason({ documentType: claim.documentType, signerName: signer.full_name, kind: found.capacity }));
    }
  }
  return { mode: claim.mode, capacity: found.capacity, signerPositionId: found.positionId };
}

/** Whether `positionId` reports to `ancestorId` exactly `levels` steps up the structure (0: it is that position). */
async function isBelow(db: Db, positionId: string, ancestorId: string, levels: number): Promise<boolean> {
  let current: string | null = positionId;
  for (let i = 0; i < levels && current !== null; i++) {
    const row: { parent_position_id: string | null } | undefined = await db.selectFrom('positions').select('parent_position_id').where('id', '=', current).executeTakeFirst();
    current = row?.parent_position_id ?? null;
  }
  return current === ancestorId;
}

/** Why the claim fails, naming a delegation of the position to the signer that is over or not yet begun; times in the office's zone. */
async function notAuthorizedReason(db: Db, claim: SigningClaim, signerName: string, title: string, when: string, zone: OfficeTimeZone): Promise<string> {
  const delegation = claim.mode !== 'self' ? undefined : await db.selectFrom('delegations').select(['kind', 'starts_at', 'ends_at'])
    .where('position_id', '=', claim.positionId).where('delegate_user_id', '=', claim.signerUserId).orderBy('starts_at', 'desc').executeTakeFirst();
  if (delegation) {
    return `${delegationOutsideReason({
      signerName, mode: claim.mode, positionTitle: title, when, zone, delegation: { kind: delegation.kind, startsAt: delegation.starts_at, endsAt: delegation.ends_at },
    })} Tanda tangan tidak diterima server.`;
  }
  const as = claim.mode === 'an' ? ` atas nama (a.n.) ${title}` : claim.mode === 'ub' ? ` untuk beliau (u.b.) ${title}` : ` sebagai ${title}`;
  return `${signerName} tidak berwenang menandatangani${as} pada ${formatMoment(when, zone, 'id', 'long')}: tidak memegang jabatan itu${claim.mode === 'self' ? ' (sebagai pejabat definitif, Plh atau Plt)' : ' atau jabatan di bawahnya yang berwenang'}. Tanda tangan tidak diterima server.`;
}

/**
 * Whether `userId` may sign the office's letters at all at `at`: a signing official by role, or a
 * person holding some position as its Plh/Plt then (their desk numbers and records what they sign).
 */
export async function actsAsSigner(db: Db, user: { id: string; role: string }, at: string): Promise<boolean> {
  if (user.role === 'signer') return true;
  return (await heldPositions(db, user.id, new Date(at).toISOString())).some((h) => h.capacity !== 'definitive');
}

/**
 * Whether `user` may register an outgoing letter dated `letterDate` (the office's day it was signed):
 * a signing official by role, or a person who was some position's Plh/Plt on that day. A letter signed
 * offline during the period may arrive after it: its number was taken then, so its registration
 * stands, and whether its signature does is decided by the signature's own authority check
 * (signature.record). A former Plh/Plt numbering letters dated after their period is refused.
 */
export async function mayRegisterSigned(db: Db, user: { id: string; role: string }, officeId: string, letterDate: string): Promise<boolean> {
  if (user.role === 'signer') return true;
  const dayStart = startOfDay(letterDate, await officeTimeZone(db, officeId));
  if (Number.isNaN(dayStart.getTime())) return false;
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  // An early end moves ends_at to the moment it ended.
  const delegation = await db.selectFrom('delegations').select('id').where('delegate_user_id', '=', user.id)
    .where('starts_at', '<', dayEnd.toISOString()).where('ends_at', '>', dayStart.toISOString())
    .executeTakeFirst();
  return delegation !== undefined;
}

/**
 * Whether `userId` may sign, at `at`, a drafted letter whose chosen signer is the official
 * `officialId`: the official themself (active, with the signer role), or the Plh/Plt then in effect
 * of a position the official holds — refused, as any Plh/Plt signature, for a strategic type.
 */
export async function maySignFor(db: Db, officeId: string, userId: string, officialId: string, documentType: SigningClaim['documentType'], at: string): Promise<boolean> {
  const when = new Date(at).toISOString();
  if (userId === officialId) {
    const user = await db.selectFrom('users').select(['role', 'active']).where('id', '=', userId).executeTakeFirst();
    return user !== undefined && user.active === 1 && user.role === 'signer';
  }
  const officials = new Set((await heldPositions(db, officialId, when)).filter((h) => h.capacity === 'definitive').map((h) => h.positionId));
  const delegated = (await heldPositions(db, userId, when)).find((h) => h.capacity !== 'definitive' && officials.has(h.positionId));
  if (!delegated) return false;
  await signingAuthority(db, officeId, { signerUserId: userId, positionId: delegated.positionId, mode: 'self', documentType }, when);
  return true;
}
