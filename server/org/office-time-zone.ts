// The admin kantor sets the office's time zone (the `office.time_zone` mutation): kept on the
// office's record and sent down the change feed, from which every desk of the office takes it.
import { appendChange, officeOf, type Applier } from '../feed/writes.ts';
import { Rejection } from '../http/errors.ts';
import { officeTimeZone } from '../office/time-zone.ts';

export const setOfficeTimeZone: Applier<'office.time_zone'> = async (trx, writes, user, p, at) => {
  if (user.role !== 'admin_kantor') throw new Rejection('FORBIDDEN', 'Hanya admin kantor yang dapat mengubah zona waktu kantor.');
  const officeId = officeOf(user);
  const before = await officeTimeZone(trx, officeId);
  await trx.updateTable('offices').set({ time_zone: p.timeZone }).where('id', '=', officeId).execute();
  appendChange(writes, officeId, null, { entity: 'office', entityId: officeId, op: 'upsert', data: { timeZone: p.timeZone, updatedAt: at, updatedBy: user.id } }, at);
  return { target: officeId, details: { from: before, to: p.timeZone } };
};
