// Sync endpoints. Push: mutations in outbox order, each in its own transaction together with its
// row in applied_mutations, so a replay (a lost response, a retry) is answered `duplicate` and never
// applied twice. Pull: the change feed after a cursor, limited to what this user and office may see.
import type { FastifyInstance } from 'fastify';
import { serializeWrites } from '../db/dialect.ts';
import { Rejection } from '../http/errors.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, type Context } from '../http/context.ts';
import { Mutation, PullQuery, PushRequest, type Change, type MutationResult, type PullReply, type PushReply } from '../protocol/mutations.ts';
import { serverMessages } from '../protocol/errors.ts';
import { applyMutation } from './apply.ts';
import { openAuditChain } from '../audit/log.ts';

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
      let chain = await openAuditChain(trx);
      for (const raw of body.mutations) {
        const parsed = Mutation.safeParse(raw);
        if (!parsed.success) {
          const where = parsed.error.issues.map((i) => i.path.join('.')).filter(Boolean).join(', ');
          results.push({ id: raw.id, status: 'rejected', code: 'VALIDATION', reason: `${serverMessages.VALIDATION}${where ? ` (${where})` : ''}` });
          continue;
        }
        const mutation = parsed.data;
        const sp = await trx.savepoint('mutation').execute();
        try {
          const fresh = await sp.insertInto('applied_mutations').values({ id: mutation.id, kind: mutation.kind, user_id: me.id, device_id: me.deviceId, applied_at: at })
            .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
          if (fresh) await applyMutation(sp, chain, me, mutation, at);
          await sp.releaseSavepoint('mutation').execute();
          results.push({ id: mutation.id, status: fresh ? 'applied' : 'duplicate' });
        } catch (err) {
          await (await sp.rollbackToSavepoint('mutation').execute()).releaseSavepoint('mutation').execute();
          if (!(err instanceof Rejection)) throw err;
          results.push({ id: mutation.id, status: 'rejected', code: err.code, reason: err.message });
          chain = await openAuditChain(trx); // the rollback took back this mutation's entries
          await chain.append(trx, [{ officeId: me.officeId, userId: me.id, deviceId: me.deviceId, action: 'sync.rejected', target: mutation.id, details: { kind: mutation.kind, code: err.code } }], at);
        }
      }
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
    const changes = page.map((r): Change => ({ seq: r.seq, entity: r.entity as Change['entity'], entityId: r.entity_id, op: 'upsert', data: JSON.parse(r.data) as Record<string, unknown> }));
    return { changes, cursor: page.at(-1)?.seq ?? query.cursor, hasMore: rows.length > query.limit };
  });
}
