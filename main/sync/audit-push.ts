// The desk's activity log merged into the server's (DESIGN.md: a log of every user action): entries
// after the last one the server took go as `audit.record` mutations of up to 500, in order, each with
// its place in the desk's chain (seq, previous hash) for the server to check that it continues the
// chain it holds. The batch being sent is remembered with its mutation id before it is sent, so a
// resend after a lost answer or a crash is the same mutation — answered `duplicate`, never recorded
// twice on the server. After the push the desk asks where the server's copy of its chain stands, for
// the Beranda: "log aman sampai entri N (tersimpan di server)", or the break the server saw.
import type { AuditEntry } from '../audit/chain.ts';
import type { Logger } from '../../common/logger.ts';
import type { Store } from '../store/store.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { Mutation } from '../../common/protocol/index.ts';
import { PushReply } from '../../common/protocol/sync.ts';
import { AuditAnchorReply } from '../../common/protocol/audit.ts';
import { ServerError, type ServerClient } from '../remote/client.ts';

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
    details: { ...details, actor: entry.actor, deskSeq: entry.seq }, hash: entry.hash, seq: entry.seq, prevHash: entry.prevHash,
  };
}

/** Where the server's copy of this desk's chain stands; undefined from a server that does not say (an earlier version). */
async function serverAnchor(client: ServerClient, token: () => Promise<string>): Promise<AuditAnchorReply | undefined> {
  try {
    return await client.json('GET', '/sync/audit-anchor', AuditAnchorReply, { token: await token() });
  } catch (err) {
    if (err instanceof ServerError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * The entry after which to send. Normally the last one sent; but when this log no longer holds the
 * server's newest entry as the server has it (rewritten, cut back or wiped since), from that entry or,
 * when it is gone, from the start — so the server sees at once that the chain does not continue, and
 * still receives every entry this log now holds.
 */
function sendAfter(store: Store, anchor: AuditAnchorReply | undefined, log: Logger): number {
  const cursor = store.sync.getMeta<number>('auditCursor') ?? 0;
  if (!anchor || anchor.seq === 0) return anchor ? 0 : cursor;
  const mine = store.audit.at(anchor.seq);
  if (mine?.hash === anchor.hash) return Math.max(cursor, anchor.seq);
  log.warn('sync: this desk\'s audit log no longer holds the entry the server has', { seq: anchor.seq, present: mine !== undefined });
  return mine ? Math.min(cursor, anchor.seq - 1) : 0;
}

/** Sends every desk audit entry the server does not have yet. Throws on transport failures (retried next round). */
export async function pushDeskAudit(store: Store, client: ServerClient, token: () => Promise<string>, log: Logger): Promise<void> {
  // Verifying first lets the desk's key seal the newest entry it has seen whole (main/store/audit.ts).
  store.audit.verify();
  let anchor = await serverAnchor(client, token);
  let after = sendAfter(store, anchor, log);
  let sent = false;
  for (;;) {
    let pending = store.sync.getMeta<PendingBatch>('auditPush');
    if (!pending) {
      const next = store.audit.list({ afterSeq: after, limit: batchSize });
      if (next.length === 0) break;
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
    after = done.lastSeq;
    sent = true;
  }
  if (sent) anchor = await serverAnchor(client, token);
  if (anchor?.broken && !store.sync.getMeta<AuditAnchorReply | null>('auditAnchor')?.broken) log.warn('sync: the server holds a break in this desk\'s audit chain', { broken: anchor.broken });
  store.sync.setMeta('auditAnchor', anchor ?? null);
}
