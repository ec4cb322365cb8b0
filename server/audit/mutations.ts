// The activity log's sync mutation: a desk's own audit entries merged into the server's chain, with
// the desk's id, time and hash kept in their details.
import type { Applier } from '../feed/writes.ts';

export const recordDeskAudit: Applier<'audit.record'> = async (_trx, writes, user, p) => {
  writes.audit.push(...p.entries.map((e) => ({
    source: 'desk' as const, officeId: user.officeId, userId: user.id, deviceId: user.deviceId, action: e.action, target: e.target,
    details: { ...e.details, deskEntryId: e.id, deskAt: e.at, ...(e.hash ? { deskHash: e.hash } : {}) },
  })));
  return undefined;
};
