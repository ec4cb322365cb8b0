// What the desk's draft entries become at the server: draft.save with the draft as it was saved, its
// attachments uploaded first (a lampiran named before it is on the server is refused).
import type { EntryOf, OutboxPlan } from '../../store/outbox.ts';
import { DraftContentSchema } from '../../../common/ipc/drafting.ts';

export function planDraft(entry: EntryOf<'draft'>): OutboxPlan {
  const d = entry.payload;
  return {
    kind: 'send',
    mutation: {
      id: entry.mutationId, kind: 'draft.save',
      payload: { draftId: d.id, version: d.version, type: d.type, content: DraftContentSchema.parse(d.content), attachments: d.attachments, status: d.status, letterId: d.letterId, savedAt: d.updatedAt },
    },
    blobs: d.attachments,
  };
}
