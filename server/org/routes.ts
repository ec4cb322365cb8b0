// The organisation (regional government → offices → units → positions) and its people. A super
// admin manages every office; an admin kantor manages only the users of their own office.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, requireRole, type Context, type CurrentUser } from '../http/context.ts';
import { hashPassword } from '../../common/passwords.ts';
import { revokeAllSessions } from '../auth/routes.ts';
import { unlockAccount } from '../auth/throttle.ts';
import { audit } from '../audit/log.ts';
import { CreateUserBody, IdParams, ResetPasswordBody, UpdateUserBody, UserListQuery, type OrgReply, type UserReply } from '../../common/protocol/org.ts';
import { isUniqueViolation } from '../db/dialect.ts';

/** The office an administrator may act on; an admin kantor is confined to their own. */
function manageableOffice(me: CurrentUser, officeId: string): void {
  requireRole(me, ['super_admin', 'admin_kantor']);
  if (me.role === 'admin_kantor' && me.officeId !== officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE');
}

async function checkPosition(ctx: Context, positionId: string | null, officeId: string): Promise<void> {
  if (positionId === null) return;
  const position = await ctx.db.selectFrom('positions').innerJoin('units', 'units.id', 'positions.unit_id')
    .select('units.office_id').where('positions.id', '=', positionId).executeTakeFirst();
  if (position?.office_id !== officeId) throw new ApiError(400, 'VALIDATION', 'Jabatan yang dipilih bukan jabatan di kantor ini.');
}

function publicUser(u: { id: string; username: string; full_name: string; nip: string | null; role: Role; office_id: string | null; position_id: string | null; active: number }): UserReply {
  return { id: u.id, username: u.username, fullName: u.full_name, nip: u.nip, role: u.role, officeId: u.office_id, positionId: u.position_id, active: u.active === 1 };
}

export function registerOrgRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/org', async (req): Promise<OrgReply> => {
    await authenticate(ctx, req);
    const [regions, offices, units, positions] = await Promise.all([
      ctx.db.selectFrom('regions').selectAll().execute(),
      ctx.db.selectFrom('offices').selectAll().orderBy('code').execute(),
      ctx.db.selectFrom('units').selectAll().orderBy('name').execute(),
      ctx.db.selectFrom('positions').selectAll().orderBy('title').execute(),
    ]);
    return {
      regions: regions.map((r) => ({ id: r.id, name: r.name })),
      offices: offices.map((o) => ({ id: o.id, regionId: o.region_id, code: o.code, name: o.name })),
      units: units.map((u) => ({ id: u.id, officeId: u.office_id, parentUnitId: u.parent_unit_id, name: u.name })),
      positions: positions.map((p) => ({ id: p.id, unitId: p.unit_id, title: p.title, isHead: p.is_head === 1 })),
    };
  });

  app.get('/admin/users', async (req) => {
    const me = await authenticate(ctx, req);
    const query = parse(UserListQuery, req.query);
    const officeId = query.officeId ?? me.officeId;
    requireRole(me, ['super_admin', 'admin_kantor']);
    let q = ctx.db.selectFrom('users').select(['id', 'username', 'full_name', 'nip', 'role', 'office_id', 'position_id', 'active']).orderBy('username');
    if (officeId) {
      manageableOffice(me, officeId);
      q = q.where('office_id', '=', officeId);
    } else if (me.role !== 'super_admin') {
      throw new ApiError(403, 'FORBIDDEN_OFFICE');
    }
    return { users: (await q.execute()).map(publicUser) };
  });

  app.post('/admin/users', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const body = parse(CreateUserBody, req.body);
    manageableOffice(me, body.officeId);
    const office = await ctx.db.selectFrom('offices').select('id').where('id', '=', body.officeId).executeTakeFirst();
    if (!office) throw new ApiError(404, 'OFFICE_NOT_FOUND');
    await checkPosition(ctx, body.positionId, body.officeId);
    const row = {
      id: randomUUID(), office_id: body.officeId, position_id: body.positionId, username: body.username, full_name: body.fullName, nip: body.nip,
      role: body.role, password_hash: await hashPassword(body.password), password_changed_at: isoNow(ctx), active: 1, created_at: isoNow(ctx),
    };
    try {
      await ctx.db.insertInto('users').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError(409, 'USERNAME_TAKEN');
      throw err;
    }
    await audit(ctx.db, { officeId: row.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.created', target: row.id, details: { username: row.username, role: row.role } }, isoNow(ctx));
    req.log.info({ by: me.id, userId: row.id, officeId: row.office_id, role: row.role }, 'user created');
    return reply.code(201).send(publicUser(row));
  });

  app.patch('/admin/users/:id', async (req) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    const body = parse(UpdateUserBody, req.body);
    const target = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!target || target.office_id === null) throw new ApiError(404, 'NOT_FOUND');
    manageableOffice(me, target.office_id);
    if (body.positionId !== undefined) await checkPosition(ctx, body.positionId, target.office_id);
    const changes = {
      ...(body.fullName !== undefined ? { full_name: body.fullName } : {}),
      ...(body.role !== undefined ? { role: body.role } : {}),
      ...(body.positionId !== undefined ? { position_id: body.positionId } : {}),
      ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
    };
    if (Object.keys(changes).length > 0) await ctx.db.updateTable('users').set(changes).where('id', '=', id).execute();
    if (body.active === false) await revokeAllSessions(ctx, id);
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.updated', target: id, details: changes }, isoNow(ctx));
    req.log.info({ by: me.id, userId: id, changes: Object.keys(changes) }, 'user updated');
    return publicUser({ ...target, ...changes });
  });

  // A clerk locked out (by her own typos, or by someone else's guesses from anywhere) signs in again at once.
  app.post('/admin/users/:id/unlock', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    const target = await ctx.db.selectFrom('users').select(['id', 'office_id', 'username']).where('id', '=', id).executeTakeFirst();
    if (!target) throw new ApiError(404, 'NOT_FOUND');
    if (target.office_id === null) requireRole(me, ['super_admin']);
    else manageableOffice(me, target.office_id);
    const cleared = await unlockAccount(ctx, target.username);
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.unlocked', target: id, details: { cleared } }, isoNow(ctx));
    req.log.info({ by: me.id, userId: id }, 'sign-in lock lifted by administrator');
    return reply.code(204).send();
  });

  app.post('/admin/users/:id/password', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    const body = parse(ResetPasswordBody, req.body);
    const target = await ctx.db.selectFrom('users').select(['id', 'office_id']).where('id', '=', id).executeTakeFirst();
    if (!target || target.office_id === null) throw new ApiError(404, 'NOT_FOUND');
    manageableOffice(me, target.office_id);
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: isoNow(ctx) }).where('id', '=', id).execute();
    await revokeAllSessions(ctx, id);
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.password_reset', target: id }, isoNow(ctx));
    req.log.info({ by: me.id, userId: id }, 'password reset by administrator');
    return reply.code(204).send();
  });
}
