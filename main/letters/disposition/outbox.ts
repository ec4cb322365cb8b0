// What the desk's disposition entries become at the server: each op is its own mutation with the
// payload the desk stored. A report's file is uploaded before the report that refers to it.
import type { EntryOf, OutboxPlan } from '../../store/outbox.ts';

export function planDisposition(entry: EntryOf<'disposition'>): OutboxPlan {
  const id = entry.mutationId;
  switch (entry.op) {
    case 'create': return { kind: 'send', mutation: { id, kind: 'disposition.create', payload: entry.payload }, blobs: [] };
    case 'read': return { kind: 'send', mutation: { id, kind: 'disposition.read', payload: entry.payload }, blobs: [] };
    case 'report': return { kind: 'send', mutation: { id, kind: 'disposition.report', payload: entry.payload }, blobs: entry.payload.attachment ? [entry.payload.attachment] : [] };
    case 'cancel': return { kind: 'send', mutation: { id, kind: 'disposition.cancel', payload: entry.payload }, blobs: [] };
  }
}
