// The delegation capability's sync mutations: the admin kantor gives an official's position to a
// delegate of the same office for a period (Plh while its holder is away, Plt while it is vacant),
// with the head's approval recorded; ends one early; sets the office's strategic document types.
// A delegation's hold on the position is a position_holdings row of its capacity, ending by itself
// at the period's end, so everything that asks "who holds this position" (disposition, signing)
// sees the delegate during the period and not after it. Every desk of the office gets the rows.
import { randomUUID } from 'node:crypto';
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type MutationWrites, type Trx } from '../feed/writes.ts';
import type { CurrentUser } from '../http/context.ts';
import type { DelegationData } from '../../common/protocol/delegation.ts';
import { formatMoment } from '../../common/dates.ts';
import { officeTimeZone } from '../office/time-zone.ts';
import { publishDraftsOfSigner } from '../drafting/mutations.ts';

const iso = (t: string) => new Date(t).toISOString();

/** A moment as the office's people read it, in the office's own zone ("12 Maret 2026 08.00 WITA"). */
async function officeMoments(trx: Trx, officeId: string): Promise<(t: string) => string> {
  const zone = await officeTimeZone(trx, officeId);
  return (t) => formatMoment(t, zone, 'id', 'long');
}

/** Only the office's admin kantor manages its delegations. */
function adminOffice(user: CurrentUser): string {
  if (user.role !== 'admin_kantor') throw new Rejection('FORBIDDEN');
  return officeOf(user);
}

export const createDelegation: Applier<'delegation.create'> = async (trx, writes, user, p, at) => {
  const officeId = adminOffice(user);
  const startsAt = iso(p.startsAt);
  const endsAt = iso(p.endsAt);
  if (await trx.selectFrom('delegations').select('id').where('id', '=', p.delegationId).executeTakeFirst()) throw new Rejection('DELEGATION_OVERLAP', 'Delegasi dengan pengenal ini sudah tercatat.');
  const position = await trx.selectFrom('positions').select(['id', 'title', 'office_id', 'active']).where('id', '=', p.positionId).executeTakeFirst();
  if (!position || position.office_id !== officeId || position.active !== 1) throw new Rejection('DELEGATION_POSITION_INVALID');
  const delegate = await trx.selectFrom('users').select(['id', 'full_name', 'nip', 'office_id', 'active']).where('id', '=', p.delegateUserId).executeTakeFirst();
  if (!delegate || delegate.office_id !== officeId || delegate.active !== 1) throw new Rejection('DELEGATE_OTHER_OFFICE');
  if (endsAt <= startsAt || endsAt <= at) throw new Rejection('DELEGATION_PERIOD_INVALID');

  // Plh while the position has its definitive holder (who is away), Plt while it has none.
  const holder = await trx.selectFrom('position_holdings').innerJoin('users', 'users.id', 'position_holdings.user_id')
    .select(['position_holdings.user_id', 'users.full_name']).where('position_holdings.position_id', '=', p.positionId)
    .where('position_holdings.capacity', '=', 'definitive').where('position_holdings.starts_at', '<=', startsAt)
    .where((eb) => eb.or([eb('position_holdings.ends_at', 'is', null), eb('position_holdings.ends_at', '>', startsAt)])).executeTakeFirst();
  if (holder?.user_id === p.delegateUserId) throw new Rejection('DELEGATE_IS_HOLDER');
  if (p.kind === 'plh' && !holder) throw new Rejection('DELEGATION_KIND_MISMATCH', `${position.title} kosong pada awal masa delegasi: tunjuk Plt (pelaksana tugas), bukan Plh.`);
  if (p.kind === 'plt' && holder) throw new Rejection('DELEGATION_KIND_MISMATCH', `${position.title} masih dijabat ${holder.full_name}: tunjuk Plh (pelaksana harian) selama beliau berhalangan, bukan Plt.`);

  // One delegate per position at a time: no other delegation of it whose period meets this one.
  const overlap = await trx.selectFrom('delegations').innerJoin('users', 'users.id', 'delegations.delegate_user_id')
    .select(['users.full_name', 'delegations.kind', 'delegations.starts_at', 'delegations.ends_at'])
    .where('delegations.position_id', '=', p.positionId).where('delegations.starts_at', '<', endsAt).where('delegations.ends_at', '>', startsAt)
    .executeTakeFirst();
  if (overlap) {
    const moment = await officeMoments(trx, officeId);
    throw new Rejection('DELEGATION_OVERLAP', `${position.title} sudah didelegasikan kepada ${overlap.full_name} (${overlap.kind === 'plh' ? 'Plh.' : 'Plt.'}) `
      + `dari ${moment(overlap.starts_at)} sampai ${moment(overlap.ends_at)}. Akhiri delegasi itu lebih dulu atau pilih masa lain.`);
  }

  const holdingId = randomUUID();
  await trx.insertInto('position_holdings').values({ id: holdingId, position_id: p.positionId, user_id: p.delegateUserId, capacity: p.kind, starts_at: startsAt, ends_at: endsAt }).execute();
  await trx.insertInto('delegations').values({
    id: p.delegationId, office_id: officeId, position_id: p.positionId, delegate_user_id: p.delegateUserId, holding_id: holdingId, kind: p.kind,
    starts_at: startsAt, ends_at: endsAt, ended_early_at: null, ended_early_by: null, end_reason: null,
    approver_name: p.approval.approverName, approver_position: p.approval.approverPosition, approved_on: p.approval.approvedOn,
    approval_reference: p.approval.reference, reason: p.reason, created_by: user.id, created_at: at,
  }).execute();
  await publish(trx, writes, p.delegationId, at);
  if (holder) await publishDraftsOfSigner(trx, writes, officeId, holder.user_id, at);
  return { target: p.delegationId, details: {
    positionId: p.positionId, delegateUserId: p.delegateUserId, kind: p.kind, startsAt, endsAt,
    approval: { by: p.approval.approverName, on: p.approval.approvedOn, reference: p.approval.reference },
  } };
};

export const endDelegation: Applier<'delegation.end'> = async (trx, writes, user, p, at) => {
  const officeId = adminOffice(user);
  const d = await trx.selectFrom('delegations').select(['office_id', 'holding_id', 'starts_at', 'ends_at']).where('id', '=', p.delegationId).executeTakeFirst();
  if (!d || d.office_id !== officeId) throw new Rejection('DELEGATION_NOT_FOUND');
  if (d.ends_at <= at) throw new Rejection('DELEGATION_ALREADY_ENDED', `Delegasi ini sudah berakhir pada ${(await officeMoments(trx, officeId))(d.ends_at)}.`);
  // An upcoming one is withdrawn: it ends where it would have begun, so it never held the position.
  const endsAt = at > d.starts_at ? at : d.starts_at;
  await trx.updateTable('delegations').set({ ends_at: endsAt, ended_early_at: at, ended_early_by: user.id, end_reason: p.reason }).where('id', '=', p.delegationId).execute();
  await trx.updateTable('position_holdings').set({ ends_at: endsAt }).where('id', '=', d.holding_id).execute();
  await publish(trx, writes, p.delegationId, at);
  return { target: p.delegationId, details: { plannedEnd: d.ends_at, endsAt, reason: p.reason } };
};

export const setStrategicTypes: Applier<'delegation.strategic_types'> = async (trx, writes, user, p, at) => {
  const officeId = adminOffice(user);
  const types = [...new Set(p.documentTypes)].sort();
  await trx.deleteFrom('strategic_document_types').where('office_id', '=', officeId).execute();
  if (types.length > 0) await trx.insertInto('strategic_document_types').values(types.map((t) => ({ office_id: officeId, document_type: t }))).execute();
  appendChange(writes, officeId, null, { entity: 'strategic_types', entityId: officeId, op: 'upsert', data: { documentTypes: types, updatedAt: at, updatedBy: user.id } }, at);
  return { target: officeId, details: { documentTypes: types } };
};

/** Writes the delegation's feed row, as every desk of the office keeps it. */
async function publish(trx: Trx, writes: MutationWrites, id: string, at: string): Promise<void> {
  const d = await trx.selectFrom('delegations')
    .innerJoin('positions', 'positions.id', 'delegations.position_id')
    .innerJoin('users', 'users.id', 'delegations.delegate_user_id')
    .selectAll('delegations').select(['positions.title', 'users.full_name', 'users.nip'])
    .where('delegations.id', '=', id).executeTakeFirstOrThrow();
  const data: DelegationData = {
    id: d.id, officeId: d.office_id, positionId: d.position_id, positionTitle: d.title, delegateUserId: d.delegate_user_id,
    delegateName: d.full_name, delegateNip: d.nip, kind: d.kind, startsAt: d.starts_at, endsAt: d.ends_at,
    endedEarly: d.ended_early_at === null ? null : { at: d.ended_early_at, by: d.ended_early_by ?? '', reason: d.end_reason ?? '' },
    approval: { approverName: d.approver_name, approverPosition: d.approver_position, approvedOn: d.approved_on, reference: d.approval_reference },
    reason: d.reason, createdBy: d.created_by, createdAt: d.created_at,
  };
  appendChange(writes, d.office_id, null, { entity: 'delegation', entityId: id, op: 'upsert', data }, at);
}
