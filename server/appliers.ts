// The registry of sync mutations: which capability applies each kind. A new mutation adds its
// applier in its capability's server/*/mutations.ts and one line here.
import type { CurrentUser } from './http/context.ts';
import type { Mutation, MutationKind, MutationPayload } from '../common/protocol/index.ts';
import type { Applier, MutationWrites, Trx } from './feed/writes.ts';
import { registerLetter, updateLetter, voidLetter } from './letters/mutations.ts';
import { cancelDisposition, createDisposition, readDisposition, reportDisposition } from './disposition/mutations.ts';
import { deliverLetter, markExternalSent } from './delivery/mutations.ts';
import { recordDeskAudit } from './audit/mutations.ts';
import { recordSignature, upgradeSignature } from './signing/mutations.ts';
import { decideParaf, saveDraft, setParafPolicy, signDraft, submitDraft } from './drafting/mutations.ts';
import { createDelegation, endDelegation, setStrategicTypes } from './delegation/mutations.ts';
import { setOfficeTimeZone } from './org/office-time-zone.ts';

const appliers: { [K in MutationKind]: Applier<K> } = {
  'letter.register': registerLetter,
  'letter.update': updateLetter,
  'letter.void': voidLetter,
  'disposition.create': createDisposition,
  'disposition.read': readDisposition,
  'disposition.report': reportDisposition,
  'disposition.cancel': cancelDisposition,
  'letter.deliver': deliverLetter,
  'delivery.external_sent': markExternalSent,
  'signature.record': recordSignature,
  'signature.upgrade': upgradeSignature,
  'audit.record': recordDeskAudit,
  'draft.save': saveDraft,
  'draft.submit': submitDraft,
  'paraf.decide': decideParaf,
  'draft.sign': signDraft,
  'paraf.policy': setParafPolicy,
  'delegation.create': createDelegation,
  'delegation.end': endDelegation,
  'delegation.strategic_types': setStrategicTypes,
  'office.time_zone': setOfficeTimeZone,
};

function applierOf<K extends MutationKind>(kind: K): Applier<K> {
  return appliers[kind];
}

async function apply<K extends MutationKind>(trx: Trx, writes: MutationWrites, user: CurrentUser, kind: K, payload: MutationPayload<K>, at: string) {
  return applierOf(kind)(trx, writes, user, payload, at);
}

/** Applies the mutation in `trx` and returns what it adds to the change feed and the audit log (its own entry included). */
export async function applyMutation(trx: Trx, user: CurrentUser, mutation: Mutation, at: string): Promise<MutationWrites> {
  const writes: MutationWrites = { changes: [], audit: [] };
  const applied = await apply(trx, writes, user, mutation.kind, mutation.payload, at);
  if (applied) {
    writes.audit.push({
      officeId: user.officeId, userId: user.id, deviceId: user.deviceId, action: `sync.${mutation.kind}`, target: applied.target,
      details: { mutationId: mutation.id, ...applied.details },
    });
  }
  return writes;
}
