// What the sync engine and desk sign-in keep in the local store: the outbox's progress (done,
// failed for now, rejected by the server), letters the server has registered, the pulled change
// feed with its cursor, the desk's device id, and the password verifiers of people who signed in
// here. Every state change a person causes (retry, discard) is audited in the same transaction.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { feedData, type FeedData, type FeedEntity } from '../../common/protocol/index.ts';
import type { DeskPullReply } from '../../common/protocol/sync.ts';
import { outboxColumns, readOutboxContent, type OutboxContent, type OutboxPosition, type OutboxRow, type OutboxState } from './outbox.ts';
import type { RepositoryContext } from './store.ts';

/** Why an entry is not done: a transient failure (failed) or the server's refusal (rejected). */
export interface OutboxProblem {
  code: string;
  message: string;
  at: string;
}

/** An outbox entry as Antrian Sinkron shows it: where it stands, what it carries, and why it is not done. */
export type QueueEntry = OutboxPosition & { problem: OutboxProblem | null } & OutboxContent;

export interface DeskAccount {
  username: string;
  profile: unknown;
  verifier: string;
  lastLoginAt: string;
}

export interface SyncRepository {
  /** This desk's id at the server, made once. */
  deviceId(): string;
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;

  /** Entries not yet done, oldest first: pending, in progress, failed, rejected. */
  queue(limit?: number): QueueEntry[];
  entry(seq: number): QueueEntry | undefined;
  counts(): Record<Exclude<OutboxState, 'done'>, number>;
  markInProgress(seqs: readonly number[]): void;
  /** Done; `registeredLetterId` records that the server now has that letter. */
  markDone(seq: number, registeredLetterId?: string): void;
  markFailed(seq: number, problem: Omit<OutboxProblem, 'at'>): void;
  markRejected(seq: number, problem: Omit<OutboxProblem, 'at'>): void;
  /** A person sends a failed or rejected entry again. */
  retry(seq: number, actor: string): QueueEntry;
  /** A person gives up on a rejected entry: it leaves the queue, the letter stays on this desk. */
  discard(seq: number, actor: string): QueueEntry;
  isRegistered(letterId: string): boolean;
  /** An earlier entry of the same entity that is not done yet (its push will carry the entity's current row). */
  hasEarlierOpen(entity: string, entityId: string, seq: number): boolean;

  pullCursor(): number;
  /** Stores a page of the change feed and moves the cursor, in one transaction. */
  /** Keeps the page's rows as they came, those of entities this version does not know too (read once it does). */
  applyChanges(changes: DeskPullReply['changes'], cursor: number): void;
  /** The feed's latest row of an entity, read through its schema; undefined when there is none (or it cannot be read). */
  remote<E extends FeedEntity>(entity: E, entityId: string): FeedData<E> | undefined;

  account(username: string): DeskAccount | undefined;
  rememberAccount(account: DeskAccount): void;
  forgetAccount(username: string): void;
}

// Not done, named state by state: the outbox_state index then reads only the open entries, where
// `state <> 'done'` went through the desk's whole history of done ones (per planned entry, in sync).
const openStates = `state IN ('pending', 'in_progress', 'failed', 'rejected')`;

function toEntry(row: OutboxRow): QueueEntry {
  const { lastError, entity, op, payload, ...position } = row;
  return { ...position, problem: problemOf(lastError, row.createdAt), ...readOutboxContent(entity, op, payload) };
}

/** Each feed entity's schema, typed so that reading one entity gives that entity's data. */
const feedSchemas: { [E in FeedEntity]: z.ZodType<FeedData<E>> } = feedData;

/** Why an entry is not done, as the sync engine or a person recorded it. */
export function problemOf(lastError: string | null, at: string): OutboxProblem | null {
  if (!lastError) return null;
  try { return JSON.parse(lastError) as OutboxProblem; } catch { return { code: 'UNKNOWN', message: lastError, at }; }
}

export function syncRepository(ctx: Omit<RepositoryContext, 'outbox'>): SyncRepository {
  const { audit } = ctx;
  const { db } = ctx;
  const getMetaStmt = db.prepare('SELECT value FROM sync_meta WHERE key = ?').pluck();
  const setMetaStmt = db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const selectQueue = db.prepare(`SELECT ${outboxColumns} FROM outbox WHERE state <> 'done' ORDER BY seq LIMIT ?`);
  const selectEntry = db.prepare(`SELECT ${outboxColumns} FROM outbox WHERE seq = ?`);
  const selectCounts = db.prepare(`SELECT state, count(*) AS n FROM outbox WHERE ${openStates} GROUP BY state`);
  const setState = db.prepare('UPDATE outbox SET state = ?, last_error = ? WHERE seq = ?');
  const setFailed = db.prepare(`UPDATE outbox SET state = ?, last_error = ?, attempts = attempts + 1 WHERE seq = ?`);
  const insertRegistered = db.prepare('INSERT INTO server_letters (letter_id, registered_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const selectRegistered = db.prepare('SELECT 1 FROM server_letters WHERE letter_id = ?').pluck();
  const selectEarlier = db.prepare(`SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? AND seq < ? AND ${openStates} LIMIT 1`).pluck();
  const upsertRemote = db.prepare(`INSERT INTO remote_entities (entity, entity_id, seq, data, received_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, received_at = excluded.received_at WHERE excluded.seq > remote_entities.seq`);
  const selectRemote = db.prepare('SELECT data FROM remote_entities WHERE entity = ? AND entity_id = ?').pluck();
  const selectAccount = db.prepare('SELECT username, profile, verifier, last_login_at AS lastLoginAt FROM desk_accounts WHERE username = ?');
  const upsertAccount = db.prepare(`INSERT INTO desk_accounts (username, profile, verifier, last_login_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (username) DO UPDATE SET profile = excluded.profile, verifier = excluded.verifier, last_login_at = excluded.last_login_at`);
  const deleteAccount = db.prepare('DELETE FROM desk_accounts WHERE username = ?');

  const getMeta = <T>(key: string): T | undefined => {
    const value = getMetaStmt.get(key) as string | undefined;
    return value === undefined ? undefined : (JSON.parse(value) as T);
  };
  const setMeta = (key: string, value: unknown) => { setMetaStmt.run(key, JSON.stringify(value)); };
  const entry = (seq: number) => {
    const row = selectEntry.get(seq) as OutboxRow | undefined;
    return row ? toEntry(row) : undefined;
  };
  function remote<E extends FeedEntity>(entity: E, entityId: string): FeedData<E> | undefined {
    const data = selectRemote.get(entity, entityId) as string | undefined;
    if (data === undefined) return undefined;
    const parsed = feedSchemas[entity].safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  }
  const problemJson = (p: Omit<OutboxProblem, 'at'>) => JSON.stringify({ ...p, at: ctx.now().toISOString() });

  const personAction = (action: 'retried' | 'discarded', allowed: readonly OutboxState[], next: OutboxState) =>
    db.transaction((seq: number, actor: string): QueueEntry => {
      const current = entry(seq);
      if (!current || !allowed.includes(current.state)) throw new RangeError(`outbox entry ${seq} is not ${allowed.join(' or ')}`);
      setState.run(next, next === 'done' ? problemJson({ code: 'DISCARDED', message: `Dibuang oleh ${actor}; sebelumnya: ${current.problem?.message ?? '-'}` }) : null, seq);
      audit.append({ actor, action: `sync.${action}`, entity: current.entity, entityId: current.entityId,
        details: { mutationId: current.mutationId, op: current.op, problem: current.problem?.code ?? null } });
      return entry(seq)!;
    });
  const retry = personAction('retried', ['failed', 'rejected'], 'pending');
  const discard = personAction('discarded', ['rejected'], 'done');

  const applyChanges = db.transaction((changes: DeskPullReply['changes'], cursor: number) => {
    const at = ctx.now().toISOString();
    for (const c of changes) upsertRemote.run(c.entity, c.entityId, c.seq, JSON.stringify(c.data ?? null), at);
    setMeta('pullCursor', cursor);
  });
  const markDone = db.transaction((seq: number, registeredLetterId?: string) => {
    setState.run('done', null, seq);
    if (registeredLetterId) insertRegistered.run(registeredLetterId, ctx.now().toISOString());
  });

  return {
    deviceId() {
      const existing = getMeta<string>('deviceId');
      if (existing) return existing;
      const id = `meja-${randomUUID()}`;
      setMeta('deviceId', id);
      return id;
    },
    getMeta,
    setMeta,
    queue: (limit = 500) => (selectQueue.all(limit) as OutboxRow[]).map(toEntry),
    entry,
    counts() {
      const counts = { pending: 0, in_progress: 0, failed: 0, rejected: 0 };
      for (const { state, n } of selectCounts.all() as { state: keyof typeof counts; n: number }[]) counts[state] = n;
      return counts;
    },
    markInProgress: db.transaction((seqs: readonly number[]) => { for (const seq of seqs) setState.run('in_progress', null, seq); }),
    markDone: (seq, registeredLetterId) => markDone.immediate(seq, registeredLetterId),
    markFailed: (seq, problem) => { setFailed.run('failed', problemJson(problem), seq); },
    markRejected: db.transaction((seq: number, problem: Omit<OutboxProblem, 'at'>) => {
      setFailed.run('rejected', problemJson(problem), seq);
      const e = entry(seq)!;
      audit.append({ actor: 'system:sync', action: 'sync.rejected', entity: e.entity, entityId: e.entityId, details: { mutationId: e.mutationId, code: problem.code } });
    }),
    retry: (seq, actor) => retry.immediate(seq, actor),
    discard: (seq, actor) => discard.immediate(seq, actor),
    isRegistered: (letterId) => selectRegistered.get(letterId) !== undefined,
    hasEarlierOpen: (entity, entityId, seq) => selectEarlier.get(entity, entityId, seq) !== undefined,
    pullCursor: () => getMeta<number>('pullCursor') ?? 0,
    applyChanges: (changes, cursor) => applyChanges.immediate(changes, cursor),
    remote,
    account(username) {
      const row = selectAccount.get(username) as (Omit<DeskAccount, 'profile'> & { profile: string }) | undefined;
      return row ? { ...row, profile: JSON.parse(row.profile) as unknown } : undefined;
    },
    rememberAccount(a) { upsertAccount.run(a.username, JSON.stringify(a.profile), a.verifier, a.lastLoginAt); },
    forgetAccount(username) { deleteAccount.run(username); },
  };
}
