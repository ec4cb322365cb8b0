// The desk's sync engine: pushes the outbox in order (blobs before the rows that name them), applies
// the server's answer per mutation (applied / duplicate → done, rejected → needs a person, with the
// server's reason), sends the desk's activity log, pulls the change feed by cursor into the local
// store, fetches the files the feed names (kop logos, the lampiran of drafts sent to this desk's
// people), and on any failure to reach the server waits with exponential backoff and jitter. One
// round at a time; each step is safe to repeat after a crash, because mutation ids make a resent push
// a `duplicate` and uploads resume.
import { adoptOfficeRecord } from '../office/record.ts';
import type { BlobStore } from '../documents/blob-store.ts';
import type { Logger } from '../../common/logger.ts';
import type { SyncStatus } from '../../common/ipc/sync.ts';
import { AppError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';
import { DeskPullReply, PushReply, type MutationResult } from '../../common/protocol/sync.ts';
import type { AuthService } from '../auth/service.ts';
import type { SessionState } from '../auth/session.ts';
import { createBackoff, type Backoff } from './backoff.ts';
import { pushDeskAudit } from './audit-push.ts';
import { uploadBlob } from '../remote/blob-upload.ts';
import type { OutboxPlan } from '../store/outbox.ts';
import { planEntry, readableReason } from './planners.ts';
import { ServerError, type ServerClient } from '../remote/client.ts';
import { organisationRefresher } from '../org/refresh.ts';
import { keepNaskahVersions } from '../letters/drafting/naskah.ts';
import { keepChainAttachments } from '../letters/paraf/attachments.ts';

export interface SyncEngineOptions {
  store: Store;
  blobs: BlobStore;
  /** Where partial downloads wait between rounds (the lampiran of drafts sent to this desk's people). */
  downloadsDir: string;
  auth: AuthService;
  session: SessionState;
  /** The configured server's client, or undefined for a standalone desk; throws ServerError when configured but unusable. */
  client: () => ServerClient | undefined;
  log: Logger;
  onStatus?: (status: SyncStatus) => void;
  /** The desk's settings changed by what the server sent (the office's time zone). */
  onSettingsChanged?: () => void;
  /** After each round: whether the server answered it (the connectivity shown in the header follows). */
  onRound?: (reachedServer: boolean) => void;
  /** Mutations per push request. */
  batchSize?: number;
  /** How often an idle desk looks for new outbox entries and new changes. */
  intervalMs?: number;
  backoff?: Backoff;
  now?: () => number;
}

export interface SyncEngine {
  status(): SyncStatus;
  /** Runs a round now (or joins the one running) and resolves with the status after it. */
  syncNow(): Promise<SyncStatus>;
  /** Upload progress of a blob being sent, if any. */
  upload(sha256: string): { sent: number; total: number } | undefined;
  stop(): Promise<void>;
}

type Counts = SyncStatus['counts'];

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store, blobs, auth, session, log } = options;
  const batchSize = options.batchSize ?? 200;
  /** Scans upload side by side (the client keeps up to four connections), each in as few requests as the server allows. */
  const uploadConcurrency = 4;
  const intervalMs = options.intervalMs ?? 5_000;
  const backoff = options.backoff ?? createBackoff();
  const now = options.now ?? Date.now;
  const uploads = new Map<string, { sent: number; total: number }>();
  /** The office's structure, kept for disposing and the personal to-do offline. */
  const organisation = organisationRefresher(store, log);
  /** Blobs the server confirmed complete during this run: no need to ask again. */
  const serverHas = new Set<string>();

  let state: SyncStatus['state'] = 'idle';
  let lastSyncAt: string | null = null;
  let nextAttemptAt: number | null = null;
  let lastError: SyncStatus['lastError'] = null;
  let running: Promise<SyncStatus> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function counts(): Counts { return store.sync.counts(); }

  function currentClient(): ServerClient | undefined {
    try {
      return options.client();
    } catch (err) {
      // Configured but unusable (http://, an unreadable CA file): shown as the round's error.
      if (err instanceof ServerError) lastError = { code: err.code, message: err.message };
      return undefined;
    }
  }

  function status(): SyncStatus {
    const client = currentClient();
    return {
      state: client ? (session.current() ? state : 'signed-out') : 'unconfigured',
      server: client?.endpoint.url ?? null,
      counts: counts(),
      uploads: [...uploads.entries()].map(([sha256, p]) => ({ sha256, ...p })),
      lastSyncAt,
      nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
      lastError,
    };
  }
  const emit = () => options.onStatus?.(status());
  // Upload progress is reported at most every 200 ms: each status counts the outbox, and a backlog of
  // small scans would otherwise report several times per scan, many times a second.
  let progressTimer: NodeJS.Timeout | undefined;
  function emitProgress(): void {
    progressTimer ??= setTimeout(() => { progressTimer = undefined; emit(); }, 200);
    progressTimer.unref();
  }

  async function ensureBlob(client: ServerClient, token: string, sha256: string): Promise<void> {
    if (serverHas.has(sha256)) return;
    const bytes = await blobs.read(sha256);
    uploads.set(sha256, { sent: 0, total: bytes.length });
    emitProgress();
    try {
      await uploadBlob({ client, token, sha256, bytes, onProgress: (sent, total) => { uploads.set(sha256, { sent, total }); emitProgress(); } });
      serverHas.add(sha256);
    } finally {
      uploads.delete(sha256);
    }
  }

  function settle(seq: number, plan: Extract<OutboxPlan, { kind: 'send' }>, result: MutationResult | undefined): void {
    if (!result) return; // not answered: stays pending, resent next round (a duplicate if it was applied)
    if (result.status === 'rejected') {
      if (result.code === 'BLOB_MISSING') {
        store.sync.markFailed(seq, { code: result.code, message: result.reason });
        return;
      }
      store.sync.markRejected(seq, { code: result.code, message: readableReason(result.reason) });
      log.warn('sync: mutation rejected', { seq, code: result.code });
      return;
    }
    store.sync.markDone(seq, plan.registers);
  }

  /** Pushes one batch; returns how many entries it took off the queue's head. */
  async function pushBatch(client: ServerClient, token: string): Promise<number> {
    const entries = store.outbox.listPending(batchSize);
    if (entries.length === 0) return 0;
    const sends: { seq: number; plan: Extract<OutboxPlan, { kind: 'send' }> }[] = [];
    // One transaction per batch, not per entry: with synchronous=FULL every commit is an fsync.
    store.transaction(() => {
      for (const entry of entries) {
        const plan = planEntry(entry, store);
        if (plan.kind === 'local') store.sync.markDone(entry.seq);
        else if (plan.kind === 'unsupported') store.sync.markRejected(entry.seq, { code: 'UNSUPPORTED', message: plan.message });
        else sends.push({ seq: entry.seq, plan });
      }
      if (sends.length > 0) store.sync.markInProgress(sends.map((s) => s.seq));
    });
    if (sends.length === 0) return entries.length;
    emit();
    // Blobs before the rows that name them: all of the batch's scans are on the server before its push.
    const needed = [...new Set(sends.flatMap((x) => x.plan.blobs))];
    let next = 0;
    const uploader = async () => {
      while (next < needed.length) {
        const sha256 = needed[next++]!;
        try {
          await ensureBlob(client, token, sha256);
        } catch (err) {
          // A blob missing or corrupt on this desk cannot be sent by waiting: the row goes and the server says why.
          if (err instanceof AppError) { log.error('sync: local blob unreadable', { sha256, code: err.code }); continue; }
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(uploadConcurrency, needed.length) }, uploader));
    const reply = await client.json('POST', '/sync/push', PushReply, { token, json: { mutations: sends.map((s) => s.plan.mutation) } });
    const byId = new Map(reply.results.map((r) => [r.id, r]));
    store.transaction(() => { for (const { seq, plan } of sends) settle(seq, plan, byId.get(plan.mutation.id)); });
    // No status here: a change the server just applied has left the outbox but its feed row comes with
    // the pull that follows, and a screen re-read in between shows it undone for a moment (a disposed
    // letter back to "Tercatat"). The next batch, or the end of the round, reports.
    return entries.length;
  }

  async function pull(client: ServerClient, token: string): Promise<void> {
    for (;;) {
      const cursor = store.sync.pullCursor();
      const page = await client.json('GET', `/sync/pull?cursor=${cursor}&limit=500`, DeskPullReply, { token });
      if (page.changes.length > 0 || page.cursor !== cursor) store.sync.applyChanges(page.changes, page.cursor);
      if (!page.hasMore) break;
    }
    const officeId = session.user()?.officeId;
    if (officeId && adoptOfficeRecord(store, officeId)) options.onSettingsChanged?.();
  }

  async function round(): Promise<SyncStatus> {
    const client = currentClient();
    if (!client || !session.current()) return status();
    state = 'syncing';
    emit();
    try {
      // The token is asked for per batch: a long backlog may outlive one access token.
      while ((await pushBatch(client, await auth.accessToken())) > 0 && !stopped) { /* next batch */ }
      await pushDeskAudit(store, client, () => auth.accessToken(), log);
      await pull(client, await auth.accessToken());
      await keepNaskahVersions(store, client, await auth.accessToken(), log);
      await keepChainAttachments({ store, blobs, client, token: () => auth.accessToken(), partialDir: options.downloadsDir, log });
      const officeId = session.user()?.officeId;
      if (officeId) await organisation.refresh(client, await auth.accessToken(), officeId);
      backoff.reset();
      state = 'idle';
      nextAttemptAt = null;
      lastError = null;
      lastSyncAt = new Date(now()).toISOString();
    } catch (err) {
      // Whatever was in flight stays in the outbox (pending/in progress) and is resent next time.
      const known = err instanceof ServerError || err instanceof AppError;
      if (!known) log.error('sync: round failed', { err });
      lastError = { code: known ? err.code : 'INTERNAL', message: known ? err.message : 'Sinkronisasi gagal karena kesalahan di aplikasi. Data tetap tersimpan; dicoba lagi otomatis.' };
      if (err instanceof AppError && (err.code === 'AUTH_REQUIRED' || err.code === 'AUTH_SERVER_SIGN_IN')) {
        // The person is signed in at this desk; it is the server that wants them to sign in again.
        const demand = new AppError('AUTH_SERVER_SIGN_IN');
        lastError = { code: demand.code, message: demand.message };
        state = 'sign-in-needed';
        nextAttemptAt = null;
      } else {
        const wait = backoff.next();
        state = 'waiting';
        nextAttemptAt = now() + wait;
        schedule(wait);
      }
    }
    const result = status();
    options.onStatus?.(result);
    options.onRound?.(result.state === 'idle' && lastError === null);
    return result;
  }

  function syncNow(): Promise<SyncStatus> {
    if (stopped) return Promise.resolve(status());
    running ??= round().finally(() => { running = undefined; });
    return running;
  }

  function schedule(waitMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, waitMs);
    timer.unref();
  }

  function tick(): void {
    const due = nextAttemptAt === null || nextAttemptAt <= now();
    const work = due ? syncNow() : Promise.resolve(status());
    void work.finally(() => { if (nextAttemptAt === null) schedule(intervalMs); });
  }

  schedule(0);

  return {
    status,
    syncNow() {
      // A person asked: skip the remaining backoff wait.
      nextAttemptAt = null;
      return syncNow();
    },
    upload: (sha256) => uploads.get(sha256),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(progressTimer);
      await running;
    },
  };
}
