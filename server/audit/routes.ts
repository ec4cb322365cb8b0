// Export of the server's audit log for administrators: a super admin reads (and verifies) the whole
// chain, an admin kantor reads the entries of their own office and sees which of its desks pushed a
// chain that does not continue the one the server holds. A desk asks where its own chain stands.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/errors.ts';
import { authenticate, parse, requireRole, type Context } from '../http/context.ts';
import { AuditQuery, DeskChainsQuery, type AuditAnchorReply, type AuditExportReply, type ChainCheckReply, type DeskChainsReply } from '../../common/protocol/audit.ts';
import { verifyAuditChain } from './log.ts';
import { deskAnchor, deskChains } from './desk-chains.ts';

export function registerAuditRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/admin/audit', async (req): Promise<AuditExportReply> => {
    const me = await authenticate(ctx, req);
    requireRole(me, ['super_admin', 'admin_kantor']);
    const query = parse(AuditQuery, req.query);
    const officeId = me.role === 'super_admin' ? query.officeId : (query.officeId ?? me.officeId);
    if (me.role === 'admin_kantor' && officeId !== me.officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE');
    let q = ctx.db.selectFrom('audit_log').selectAll().where('seq', '>', query.cursor).orderBy('seq').limit(query.limit + 1);
    if (officeId) q = q.where('office_id', '=', officeId);
    const rows = await q.execute();
    const page = rows.slice(0, query.limit);
    return {
      entries: page.map((r) => ({
        seq: r.seq, at: r.at, source: r.source, officeId: r.office_id, userId: r.user_id, deviceId: r.device_id,
        action: r.action, target: r.target, details: JSON.parse(r.details) as unknown, prevHash: r.prev_hash, hash: r.hash,
      })),
      cursor: page.at(-1)?.seq ?? query.cursor,
      hasMore: rows.length > query.limit,
    };
  });

  app.get('/admin/audit/verify', async (req): Promise<ChainCheckReply> => {
    const me = await authenticate(ctx, req);
    requireRole(me, ['super_admin']);
    return verifyAuditChain(ctx.db);
  });

  app.get('/admin/audit/desks', async (req): Promise<DeskChainsReply> => {
    const me = await authenticate(ctx, req);
    requireRole(me, ['super_admin', 'admin_kantor']);
    const query = parse(DeskChainsQuery, req.query);
    const officeId = me.role === 'super_admin' ? query.officeId : (query.officeId ?? me.officeId ?? undefined);
    if (me.role === 'admin_kantor' && officeId !== me.officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE');
    return { desks: await deskChains(ctx.db, officeId) };
  });

  app.get('/sync/audit-anchor', async (req): Promise<AuditAnchorReply> => {
    const me = await authenticate(ctx, req);
    return deskAnchor(ctx.db, me.deviceId, me.officeId);
  });
}
