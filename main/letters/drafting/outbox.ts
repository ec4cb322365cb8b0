// What the desk's draft entries become at the server: draft.save with the draft as it was saved, its
// attachments uploaded first (a lampiran named before it is on the server is refused); a submission to
// the paraf chain, a verifier's decision, the signer's signature of the draft and the office's restart
// policy, each its own mutation with the payload the desk stored.
import type { EntryOf, OutboxPlan } from '../../store/outbox.ts';
import { DraftContentSchema } from '../../../common/ipc/drafting.ts';

export function planDraft(entry: EntryOf<'draft'>): OutboxPlan {
  const id = entry.mutationId;
  switch (entry.op) {
    case 'save': {
      const d = entry.payload;
      return {
        kind: 'send',
        mutation: {
          id, kind: 'draft.save',
          payload: { draftId: d.id, version: d.version, type: d.type, content: DraftContentSchema.parse(d.content), attachments: d.attachments, status: d.status, letterId: d.letterId, savedAt: d.updatedAt },
        },
        blobs: d.attachments,
      };
    }
    case 'submit': return { kind: 'send', mutation: { id, kind: 'draft.submit', payload: entry.payload }, blobs: [] };
    case 'decide': return { kind: 'send', mutation: { id, kind: 'paraf.decide', payload: entry.payload }, blobs: [] };
    case 'sign': return { kind: 'send', mutation: { id, kind: 'draft.sign', payload: entry.payload }, blobs: [] };
  }
}

export function planParafPolicy(entry: EntryOf<'paraf_policy'>): OutboxPlan {
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'paraf.policy', payload: entry.payload }, blobs: [] };
}
