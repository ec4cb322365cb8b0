// What the desk's delivery entries become at the server. "Kirim ke kantor lain" is its own entity
// ('delivery', keyed by the letter's id) rather than an op of 'letter': planLetter folds a letter's
// later entries into its registration while that is still open, which would complete a delivery
// locally without sending it. It goes after the registration (a later outbox entry; in one push the
// server applies the batch in order), and a refusal of either is shown with its reason. Addressees
// outside the system marked sent (main/store/external-deliveries.ts) go after the entry that added them.
import type { EntryOf, OutboxPlan } from '../../store/outbox.ts';
import type { Store } from '../../store/store.ts';

export function planDelivery(entry: EntryOf<'delivery'>, store: Store): OutboxPlan {
  if (entry.op === 'external_sent') {
    return { kind: 'send', mutation: { id: entry.mutationId, kind: 'delivery.external_sent', payload: { letterId: entry.entityId, externalId: entry.payload.externalId } }, blobs: [] };
  }
  const letter = store.letters.get(entry.entityId);
  if (!letter) return { kind: 'unsupported', message: 'Surat ini tidak ada lagi di meja ini, sehingga tidak dapat dikirim ke kantor lain.' };
  const { toOfficeIds, external } = entry.payload;
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.deliver', payload: { letterId: letter.id, toOfficeIds, ...(external ? { external } : {}) } }, blobs: [] };
}
