// The activity log's sync mutation: a desk's own audit entries merged into the server's chain, with
// the desk's id, time and hash kept in their details, after checking that they continue the chain
// the server holds from that desk (server/audit/desk-chains.ts).
import type { Applier } from '../feed/writes.ts';
import { continueDeskChain } from './desk-chains.ts';

export const recordDeskAudit: Applier<'audit.record'> = async (trx, writes, user, p, at) => {
  const breaks = await continueDeskChain(trx, { deviceId: user.deviceId, officeId: user.officeId, userId: user.id }, p.entries, at);
  writes.audit.push(...p.entries.map((e) => ({
    source: 'desk' as const, officeId: user.officeId, userId: user.id, deviceId: user.deviceId, action: e.action, target: e.target,
    details: { ...e.details, deskEntryId: e.id, deskAt: e.at, ...(e.hash ? { deskHash: e.hash } : {}) },
  })));
  writes.audit.push(...breaks);
  return undefined;
};
