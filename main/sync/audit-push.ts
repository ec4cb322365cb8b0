// The desk's activity log merged into the server's (DESIGN.md: a log of every user action): entries
// after the last one the server took go as `audit.record` mutations of up to 500, in order. The batch
// being sent is remembered with its mutation id before it is sent, so a resend after a lost answer or
// a crash is the same mutation — answered `duplicate`, never recorded twice on the server.
import type { AuditEntry } from '../audit/chain.ts';
import type { Logger } from '../../common/logger.ts';
import type { Store } from '../store/store.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { Mutation } from '../../common/protocol/index.ts';
import { PushReply } from '../../common/protocol/sync.ts';
import type { ServerClient } from '../remote/client.ts';

interface PendingBatch { mutationId: string; afterSeq: number; lastSeq: number }

const batchSize = 500;

type DeskAuditEntry = Extract<Mutation, { kind: 'audit.record' }>['payload']['entries'][number];

/** A stable UUIDv7 for a desk entry: its time in the timestamp bits, its hash in the rest. */
function entryId(entry: AuditEntry): string {
  const bytes = Buffer.from(entry.hash.slice(0, 32), 'hex');
  bytes.writeUIntBE(Math.max(0, Date.parse(entry.at)), 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toDesk(entry: AuditEntry): DeskAuditEntry {
  let details: Record<string, unknown>;
  try { details = JSON.parse(entry.details) as Record<string, unknown>; } catch { details = { raw: entry.details }; }
  return {
    id: entryId(entry), at: entry.at, action: entry.action.slice(0, 100),
    target: `${entry.entity}${entry.entityId ? `:${entry.entityId}` : ''}`.slice(0, 200),
    details: { ...details, actor: entry.actor, deskSeq: entry.seq }, hash: entry.hash,
  };
}

/** Sends every desk audit entry the server does not have yet. Throws on transport failures (retried next round). */
export async function pushDeskAudit(store: Store, client: ServerClient, token: () => Promise<string>, log: Logger): Promise<void> {
  for (;;) {
    let pending = store.sync.getMeta<PendingBatch>('auditPush');
    if (!pending) {
      const after = store.sync.getMeta<number>('auditCursor') ?? 0;
      const next = store.audit.list({ afterSeq: after, limit: batchSize });
      if (next.length === 0) return;
      pending = { mutationId: uuidv7(), afterSeq: after, lastSeq: next.at(-1)!.seq };
      store.sync.setMeta('auditPush', pending);
    }
    const entries = store.audit.list({ afterSeq: pending.afterSeq, limit: pending.lastSeq - pending.afterSeq });
    const reply = await client.json('POST', '/sync/push', PushReply, {
      token: await token(), json: { mutations: [{ id: pending.mutationId, kind: 'audit.record', payload: { entries: entries.map(toDesk) } }] },
    });
    const result = reply.results[0];
    // Refused entries stay in this desk's own log (the record of truth for the desk); waiting would not change the answer.
    if (result?.status === 'rejected') log.error('sync: server refused desk audit entries', { from: pending.afterSeq + 1, to: pending.lastSeq, code: result.code });
    const done = pending;
    store.transaction(() => {
      store.sync.setMeta('auditCursor', done.lastSeq);
      store.sync.setMeta('auditPush', null);
    });
  }
}
