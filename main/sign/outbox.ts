// What the desk's signature entries become at the server: nothing of their own. A signature reaches
// the server through its letter — the signed PDF as the letter's attachment (the letter's own update
// entry) and the signing in the activity log (audit.record); the server keeps no signature rows.
import type { EntryOf, OutboxPlan } from '../store/outbox.ts';

export function planSignature(_entry: EntryOf<'signature'>): OutboxPlan {
  return { kind: 'local' };
}
