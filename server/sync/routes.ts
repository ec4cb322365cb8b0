// Sync endpoints. Push: mutations in outbox order, in one transaction that also records each applied
// mutation's id in applied_mutations, so a replay (a lost response, a retry) is answered `duplicate`
// and never applied twice. Ids are remembered per office: another office's ids say nothing here. Pull: the change feed after a cursor, limited to what this user and office may see.
import type { FastifyInstance } from 'fastify';
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { serializeWrites } from '../db/dialect.ts';
import { insertRows } from '../db/insert-rows.ts';
import { Rejection } from '../http/errors.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, type Context } from '../http/context.ts';
import { Change, Mutation } from '../../common/protocol/index.ts';
import { PullQuery, PushRequest, type MutationResult, type PullReply, type PushReply } from '../../common/protocol/sync.ts';
import { serverMessages } from '../../common/protocol/errors.ts';
import { applyMutation } from '../appliers.ts';
import type { MutationWrites } from '../feed/writes.ts';
import { appendAudit } from '../audit/log.ts';
import { feedForReader } from '../feed/classified.ts';

/** Which of these mutation ids an earlier push of the office applied (read in slices, however large the configured batch). */
async function appliedBefore(trx: Transaction<Database>, officeKey: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await trx.selectFrom('applied_mutations').select('id').where('office_id', '=', officeKey).where('id', 'in', ids.slice(start, start + 500)).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

export function registerSyncRoutes(app: FastifyInstance, ctx: Context): void {
  app.post('/sync/push', async (req): Promise<PushReply> => {
    const me = await authenticate(ctx, req);
    const body = parse(PushRequest, req.body);
    if (body.mutations.length > ctx.config.limits.pushMutations) {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `Paling banyak ${ctx.config.limits.pushMutations} perubahan per kiriman; sisanya dikirim berikutnya.`);
    }
    const results: MutationResult[] = [];
    // The whole push is one transaction (one commit, one fsync) and each mutation a savepoint in it:
    // a refused mutation rolls back alone, and a push cut off before the commit leaves nothing applied.
    const trx = await ctx.db.startTransaction().execute();
    try {
      await serializeWrites(trx);
      const at = isoNow(ctx);
      const valid = body.mutations.map((raw) => ({ raw, parsed: Mutation.safeParse(raw) }));
      // Applied before, by an earlier push: one read for the batch. Under the write lock, so no other
      // push can apply one of them before this one commits.
      const officeKey = me.officeId ?? '';
      const done = await appliedBefore(trx, officeKey, valid.flatMap((v) => (v.parsed.success ? [v.parsed.data.id] : [])));
      // Written once the batch is decided, in mutation order, a few statements for the whole push.
      const applied: Insertable<Database['applied_mutations']>[] = [];
      const feed: MutationWrites = { changes: [], audit: [] };
      for (const { raw, parsed } of valid) {
        if (!parsed.success) {
          const where = parsed.error.issues.map((i) => i.path.join('.')).filter(Boolean).join(', ');
          results.push({ id: raw.id, status: 'rejected', code: 'VALIDATION', reason: `${serverMessages.VALIDATION}${where ? ` (${where})` : ''}` });
          continue;
        }
        const mutation = parsed.data;
        if (done.has(mutation.id)) {
          results.push({ id: mutation.id, status: 'duplicate' });
          continue;
        }
        const sp = await trx.savepoint('mutation').execute();
        try {
          const writes = await applyMutation(sp, me, mutation, at);
          await sp.releaseSavepoint('mutation').execute();
          done.add(mutation.id);
          applied.push({ office_id: officeKey, id: mutation.id, kind: mutation.kind, user_id: me.id, device_id: me.deviceId, applied_at: at });
          feed.changes.push(...writes.changes);
          feed.audit.push(...writes.audit);
          results.push({ id: mutation.id, status: 'applied' });
        } catch (err) {
          await (await sp.rollbackToSavepoint('mutation').execute()).releaseSavepoint('mutation').execute();
          if (!(err instanceof Rejection)) throw err;
          results.push({ id: mutation.id, status: 'rejected', code: err.code, reason: err.message });
          feed.audit.push({ officeId: me.officeId, userId: me.id, deviceId: me.deviceId, action: 'sync.rejected', target: mutation.id, details: { kind: mutation.kind, code: err.code } });
        }
      }
      await insertRows(trx, 'applied_mutations', applied);
      await insertRows(trx, 'changes', feed.changes);
      await appendAudit(trx, feed.audit, at);
      await trx.commit().execute();
    } catch (err) {
      await trx.rollback().execute();
      throw err;
    }
    req.log.info({ userId: me.id, deviceId: me.deviceId, applied: results.filter((r) => r.status === 'applied').length,
      duplicate: results.filter((r) => r.status === 'duplicate').length, rejected: results.filter((r) => r.status === 'rejected').length }, 'push');
    return { results };
  });

  app.get('/sync/pull', async (req): Promise<PullReply> => {
    const me = await authenticate(ctx, req);
    const query = parse(PullQuery, req.query);
    if (!me.officeId) return { changes: [], cursor: query.cursor, hasMore: false };
    const rows = await ctx.db.selectFrom('changes').selectAll()
      .where('office_id', '=', me.officeId)
      .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', me.id)]))
      .where('seq', '>', query.cursor)
      .orderBy('seq').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    // Rows were checked against the feed's schema when written (sync/writes.ts); read through it again, not cast.
    const rowsRead = page.map((r) => Change.parse({ seq: r.seq, entity: r.entity, entityId: r.entity_id, op: r.op, data: JSON.parse(r.data) }));
    // A classified letter's details only to those entitled to them (feed/classified.ts).
    const changes = await feedForReader(ctx.db, me, rowsRead, isoNow(ctx));
    return { changes, cursor: page.at(-1)?.seq ?? query.cursor, hasMore: rows.length > query.limit };
  });
}
