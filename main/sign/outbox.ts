// What the desk's signature entries become at the server: the signature recorded with its letter
// (signature.record: the signed file's SHA-256, the signer as the stamp shows them, the time) and each
// later revision of the signed file (signature.upgrade, a timestamp added), which is what the
// letter's public verification page compares a visitor's file with; a letter drafted in Loket names the
// authority it was signed under, which the server checks. They go after the letter's own
// entry (its registration), so a refusal of either is shown with its reason.
import type { EntryOf, OutboxPlan } from '../store/outbox.ts';

export function planSignature(entry: EntryOf<'signature'>): OutboxPlan {
  if (entry.op === 'update') {
    const { id, documentHash, level } = entry.payload;
    return { kind: 'send', mutation: { id: entry.mutationId, kind: 'signature.upgrade', payload: { signatureId: id, documentHash, level } }, blobs: [] };
  }
  const s = entry.payload;
  return {
    kind: 'send',
    mutation: {
      id: entry.mutationId, kind: 'signature.record',
      payload: { signatureId: s.id, letterId: s.letterId, documentHash: s.documentHash, signedAt: s.signedAt, level: s.level, signer: { name: s.signerName, position: s.signerPosition ?? '' }, ...(s.timeZone ? { timeZone: s.timeZone } : {}), ...(s.authority ? { authority: s.authority } : {}) },
    },
    blobs: [],
  };
}
