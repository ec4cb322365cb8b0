// The organisation (regional government → offices → units → positions) and its people. A super
// admin manages every office; an admin kantor manages only the users and positions of their own
// office. Who holds a position is changed through server/org/holdings.ts, so its history stays.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, requireRole, type Context, type CurrentUser } from '../http/context.ts';
import { hashPassword } from '../../common/passwords.ts';
import { revokeAllSessions } from '../auth/routes.ts';
import { unlockAccount } from '../auth/throttle.ts';
import { audit } from '../audit/log.ts';
import {
  AssignHolderBody, CreatePositionBody, DispositionInstructionsBody, DispositionRoutesBody, RetirePositionBody, CreateUserBody, IdParams, ResetPasswordBody, UpdatePositionBody, UpdateUserBody, UserListQuery,
  type DispositionInstructionsReply, type DispositionRoutesReply, type OfficialsReply, type OrgPosition, type OrgReply, type UserReply,
} from '../../common/protocol/org.ts';
import { assignHolder, currentPositions } from '../positions/holdings.ts';
import type { Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/dialect.ts';
import { dispositionInstructions } from '../../common/protocol/disposition.ts';
import type { z } from 'zod';

/** The office an administrator may act on; an admin kantor is confined to their own. */
function manageableOffice(me: CurrentUser, officeId: string): void {
  requireRole(me, ['super_admin', 'admin_kantor']);
  if (me.role === 'admin_kantor' && me.officeId !== officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE');
}

async function checkPosition(ctx: Context, positionId: string | null, officeId: string): Promise<void> {
  if (positionId === null) return;
  const position = await ctx.db.selectFrom('positions').select('office_id').where('id', '=', positionId).executeTakeFirst();
  if (position?.office_id !== officeId) throw new ApiError(400, 'VALIDATION', 'Jabatan yang dipilih bukan jabatan di kantor ini.');
}

async function checkUnit(ctx: Context, unitId: string, officeId: string): Promise<void> {
  const unit = await ctx.db.selectFrom('units').select('office_id').where('id', '=', unitId).executeTakeFirst();
  if (unit?.office_id !== officeId) throw new ApiError(400, 'VALIDATION', 'Unit kerja yang dipilih bukan unit di kantor ini.');
}

/** A parent must be a position of the same office, and not the position itself or one below it (no loop in the reporting line). */
async function checkParent(ctx: Context, positionId: string | null, parentId: string | null, officeId: string): Promise<void> {
  if (parentId === null) return;
  await checkPosition(ctx, parentId, officeId);
  const parents = new Map((await ctx.db.selectFrom('positions').select(['id', 'parent_position_id']).where('office_id', '=', officeId).execute())
    .map((p) => [p.id, p.parent_position_id]));
  for (let at: string | null = parentId, steps = 0; at !== null && steps <= parents.size; at = parents.get(at) ?? null, steps++) {
    if (at === positionId) throw new ApiError(400, 'VALIDATION', 'Atasan yang dipilih berada di bawah jabatan ini; garis atasan tidak boleh melingkar.');
  }
}

function publicUser(u: { id: string; username: string; full_name: string; nip: string | null; role: Role; office_id: string | null; active: number }, positionId: string | null): UserReply {
  return { id: u.id, username: u.username, fullName: u.full_name, nip: u.nip, role: u.role, officeId: u.office_id, positionId, active: u.active === 1 };
}

function publicPosition(p: Selectable<Database['positions']>): OrgPosition {
  return { id: p.id, officeId: p.office_id ?? '', unitId: p.unit_id, parentId: p.parent_position_id, title: p.title, level: p.level, isHead: p.is_head === 1, order: p.sort_order };
}

export function registerOrgRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/org', async (req): Promise<OrgReply> => {
    const me = await authenticate(ctx, req);
    const own = me.officeId ?? '';
    const [regions, offices, units, positions, holdings, routes] = await Promise.all([
      ctx.db.selectFrom('regions').selectAll().execute(),
      ctx.db.selectFrom('offices').selectAll().orderBy('code').execute(),
      ctx.db.selectFrom('units').selectAll().orderBy('name').execute(),
      ctx.db.selectFrom('positions').selectAll().where('active', '=', 1).orderBy('office_id').orderBy('sort_order').orderBy('title').execute(),
      ctx.db.selectFrom('position_holdings').innerJoin('positions', 'positions.id', 'position_holdings.position_id')
        .innerJoin('users', 'users.id', 'position_holdings.user_id')
        .select(['position_holdings.id', 'position_holdings.position_id', 'position_holdings.user_id', 'users.full_name', 'position_holdings.capacity',
          'position_holdings.starts_at', 'position_holdings.ends_at'])
        .where('positions.office_id', '=', own).orderBy('position_holdings.starts_at').execute(),
      ctx.db.selectFrom('disposition_routes').select(['from_position_id', 'to_position_id']).where('office_id', '=', own).execute(),
    ]);
    const instructions = await officeInstructions(ctx, own);
    return {
      regions: regions.map((r) => ({ id: r.id, name: r.name })),
      offices: offices.map((o) => ({ id: o.id, regionId: o.region_id, code: o.code, name: o.name })),
      units: units.map((u) => ({ id: u.id, officeId: u.office_id, parentUnitId: u.parent_unit_id, name: u.name })),
      positions: positions.map(publicPosition),
      holdings: holdings.map((h) => ({ id: h.id, positionId: h.position_id, userId: h.user_id, fullName: h.full_name, capacity: h.capacity, startsAt: h.starts_at, endsAt: h.ends_at })),
      routes: routes.map((r) => ({ fromPositionId: r.from_position_id, toPositionId: r.to_position_id })),
      instructions,
    };
  });

  // Every user of an office addresses letters to its officials, so this is not an administration route;
  // it names people only (no username, no role), and only those of the caller's own office.
  app.get('/org/officials', async (req): Promise<OfficialsReply> => {
    const me = await authenticate(ctx, req);
    if (me.officeId === null) return { officials: [] };
    const rows = await ctx.db.selectFrom('users').select(['id', 'full_name', 'nip'])
      .where('office_id', '=', me.officeId).where('role', '=', 'signer').where('active', '=', 1)
      .orderBy('full_name').execute();
    // The position each holds now (holdings keep the history; users.position_id is no longer read).
    const held = await currentPositions(ctx.db, rows.map((r) => r.id), isoNow(ctx));
    const positionIds = [...new Set(held.values())];
    const titles = new Map(positionIds.length === 0 ? [] : (await ctx.db.selectFrom('positions').select(['id', 'title']).where('id', 'in', positionIds).execute()).map((p) => [p.id, p.title]));
    return { officials: rows.map((r) => ({ id: r.id, name: r.full_name, nip: r.nip, position: titles.get(held.get(r.id) ?? '') ?? null })) };
  });

  app.get('/admin/users', async (req) => {
    const me = await authenticate(ctx, req);
    const query = parse(UserListQuery, req.query);
    const officeId = query.officeId ?? me.officeId;
    requireRole(me, ['super_admin', 'admin_kantor']);
    let q = ctx.db.selectFrom('users').select(['id', 'username', 'full_name', 'nip', 'role', 'office_id', 'active']).orderBy('username');
    if (officeId) {
      manageableOffice(me, officeId);
      q = q.where('office_id', '=', officeId);
    } else if (me.role !== 'super_admin') {
      throw new ApiError(403, 'FORBIDDEN_OFFICE');
    }
    const users = await q.execute();
    const positions = await currentPositions(ctx.db, users.map((u) => u.id), isoNow(ctx));
    return { users: users.map((u) => publicUser(u, positions.get(u.id) ?? null)) };
  });

  app.post('/admin/users', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const body = parse(CreateUserBody, req.body);
    manageableOffice(me, body.officeId);
    const office = await ctx.db.selectFrom('offices').select('id').where('id', '=', body.officeId).executeTakeFirst();
    if (!office) throw new ApiError(404, 'OFFICE_NOT_FOUND');
    await checkPosition(ctx, body.positionId, body.officeId);
    const row = {
      id: randomUUID(), office_id: body.officeId, position_id: null, username: body.username, full_name: body.fullName, nip: body.nip,
      role: body.role, password_hash: await hashPassword(body.password), password_changed_at: isoNow(ctx), active: 1, created_at: isoNow(ctx),
    };
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        if (body.positionId) await assignHolder(trx, body.positionId, row.id, row.created_at);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError(409, 'USERNAME_TAKEN');
      throw err;
    }
    await audit(ctx.db, { officeId: row.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.created', target: row.id, details: { username: row.username, role: row.role } }, isoNow(ctx));
    req.log.info({ by: me.id, userId: row.id, officeId: row.office_id, role: row.role }, 'user created');
    return reply.code(201).send(publicUser(row, body.positionId));
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
      ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
    };
    const at = isoNow(ctx);
    const before = (await currentPositions(ctx.db, [id], at)).get(id) ?? null;
    await ctx.db.transaction().execute(async (trx) => {
      if (Object.keys(changes).length > 0) await trx.updateTable('users').set(changes).where('id', '=', id).execute();
      if (body.positionId !== undefined && body.positionId !== before) {
        if (body.positionId === null) await trx.updateTable('position_holdings').set({ ends_at: at }).where('user_id', '=', id).where('capacity', '=', 'definitive').where('ends_at', 'is', null).execute();
        else await assignHolder(trx, body.positionId, id, at);
      }
    });
    if (body.active === false) await revokeAllSessions(ctx, id);
    const positionId = body.positionId !== undefined ? body.positionId : before;
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'user.updated', target: id,
      details: { ...changes, ...(positionId !== before ? { positionId } : {}) } }, at);
    req.log.info({ by: me.id, userId: id, changes: Object.keys(changes) }, 'user updated');
    return publicUser({ ...target, ...changes }, positionId);
  });

  app.post('/admin/positions', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const body = parse(CreatePositionBody, req.body);
    manageableOffice(me, body.officeId);
    await checkUnit(ctx, body.unitId, body.officeId);
    await checkParent(ctx, null, body.parentId, body.officeId);
    const order = await ctx.db.selectFrom('positions').select((eb) => eb.fn.max('sort_order').as('max')).where('office_id', '=', body.officeId).executeTakeFirst();
    const row = {
      id: randomUUID(), unit_id: body.unitId, office_id: body.officeId, parent_position_id: body.parentId, title: body.title, level: body.level,
      is_head: body.level === 'kepala' ? 1 : 0, sort_order: Number(order?.max ?? 0) + 1, active: 1,
    };
    await ctx.db.insertInto('positions').values(row).execute();
    await audit(ctx.db, { officeId: body.officeId, userId: me.id, deviceId: me.deviceId, action: 'position.created', target: row.id, details: { title: row.title, level: row.level } }, isoNow(ctx));
    return reply.code(201).send(publicPosition(row));
  });

  app.patch('/admin/positions/:id', async (req) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    const body = parse(UpdatePositionBody, req.body);
    const target = await ctx.db.selectFrom('positions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!target?.office_id) throw new ApiError(404, 'NOT_FOUND');
    manageableOffice(me, target.office_id);
    if (body.unitId !== undefined) await checkUnit(ctx, body.unitId, target.office_id);
    if (body.parentId !== undefined) await checkParent(ctx, id, body.parentId, target.office_id);
    const changes = {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.parentId !== undefined ? { parent_position_id: body.parentId } : {}),
      ...(body.level !== undefined ? { level: body.level, is_head: body.level === 'kepala' ? 1 : 0 } : {}),
      ...(body.unitId !== undefined ? { unit_id: body.unitId } : {}),
    };
    if (Object.keys(changes).length > 0) await ctx.db.updateTable('positions').set(changes).where('id', '=', id).execute();
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'position.updated', target: id, details: changes }, isoNow(ctx));
    return publicPosition({ ...target, ...changes });
  });

  app.put('/admin/positions/:id/holder', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    const body = parse(AssignHolderBody, req.body);
    const target = await ctx.db.selectFrom('positions').select(['id', 'office_id']).where('id', '=', id).executeTakeFirst();
    if (!target?.office_id) throw new ApiError(404, 'NOT_FOUND');
    manageableOffice(me, target.office_id);
    if (body.userId !== null) {
      const user = await ctx.db.selectFrom('users').select('office_id').where('id', '=', body.userId).executeTakeFirst();
      if (user?.office_id !== target.office_id) throw new ApiError(400, 'VALIDATION', 'Pegawai yang dipilih bukan pegawai kantor ini.');
    }
    const at = isoNow(ctx);
    await ctx.db.transaction().execute((trx) => assignHolder(trx, id, body.userId, at));
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'position.holder_assigned', target: id, details: { userId: body.userId } }, at);
    return reply.code(204).send();
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

/** The office's disposition instructions in its order; the shipped list while its admin kantor has set none. */
async function officeInstructions(ctx: Context, officeId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('office_disposition_instructions').select('text').where('office_id', '=', officeId).orderBy('sort_order').execute();
  return rows.length > 0 ? rows.map((r) => r.text) : [...dispositionInstructions];
}

/**
 * The admin kantor's side of the structure besides positions and holders: retiring a position, the
 * office's extra disposition routes, and its list of instructions. Each acts on one office, named by
 * the path, and only its admin kantor (or a super admin) may; positions of another office are refused.
 */
export function registerStructureRoutes(app: FastifyInstance, ctx: Context): void {
  async function office(me: CurrentUser, officeId: string): Promise<void> {
    manageableOffice(me, officeId);
    const found = await ctx.db.selectFrom('offices').select('id').where('id', '=', officeId).executeTakeFirst();
    if (!found) throw new ApiError(404, 'NOT_FOUND');
  }

  app.post('/admin/positions/:id/retire', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { id } = parse(IdParams, req.params);
    parse(RetirePositionBody, req.body ?? {});
    const target = await ctx.db.selectFrom('positions').select(['id', 'office_id', 'title', 'active']).where('id', '=', id).executeTakeFirst();
    if (!target?.office_id) throw new ApiError(404, 'NOT_FOUND');
    manageableOffice(me, target.office_id);
    const below = await ctx.db.selectFrom('positions').select('title').where('parent_position_id', '=', id).where('active', '=', 1).executeTakeFirst();
    if (below) throw new ApiError(409, 'POSITION_HAS_SUBORDINATES', `Jabatan "${below.title}" masih di bawah jabatan ini: pindahkan atau pensiunkan jabatan di bawahnya lebih dulu.`);
    const at = isoNow(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('positions').set({ active: 0 }).where('id', '=', id).execute();
      // Whoever holds it (or acts in it) stops holding it now; the holdings stay as history.
      await trx.updateTable('position_holdings').set({ ends_at: at }).where('position_id', '=', id).where('ends_at', 'is', null).execute();
      await trx.deleteFrom('disposition_routes').where((eb) => eb.or([eb('from_position_id', '=', id), eb('to_position_id', '=', id)])).execute();
    });
    await audit(ctx.db, { officeId: target.office_id, userId: me.id, deviceId: me.deviceId, action: 'position.retired', target: id, details: { title: target.title } }, at);
    return reply.code(204).send();
  });

  app.put('/admin/offices/:id/disposition-routes', async (req): Promise<z.infer<typeof DispositionRoutesReply>> => {
    const me = await authenticate(ctx, req);
    const { id: officeId } = parse(IdParams, req.params);
    const body = parse(DispositionRoutesBody, req.body);
    await office(me, officeId);
    const named = [...new Set(body.routes.flatMap((r) => [r.fromPositionId, r.toPositionId]))];
    const own = new Set(named.length === 0 ? [] : (await ctx.db.selectFrom('positions').select('id')
      .where('id', 'in', named).where('office_id', '=', officeId).where('active', '=', 1).execute()).map((p) => p.id));
    if (named.some((p) => !own.has(p))) throw new ApiError(400, 'VALIDATION', 'Jalur disposisi hanya antara jabatan aktif di kantor ini.');
    const routes = [...new Map(body.routes.map((r) => [`${r.fromPositionId} ${r.toPositionId}`, r])).values()];
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('disposition_routes').where('office_id', '=', officeId).execute();
      if (routes.length > 0) {
        await trx.insertInto('disposition_routes').values(routes.map((r) => ({ office_id: officeId, from_position_id: r.fromPositionId, to_position_id: r.toPositionId }))).execute();
      }
    });
    await audit(ctx.db, { officeId, userId: me.id, deviceId: me.deviceId, action: 'office.disposition_routes_set', target: officeId, details: { routes: routes.length } }, isoNow(ctx));
    return { routes };
  });

  app.put('/admin/offices/:id/disposition-instructions', async (req): Promise<z.infer<typeof DispositionInstructionsReply>> => {
    const me = await authenticate(ctx, req);
    const { id: officeId } = parse(IdParams, req.params);
    const body = parse(DispositionInstructionsBody, req.body);
    await office(me, officeId);
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('office_disposition_instructions').where('office_id', '=', officeId).execute();
      await trx.insertInto('office_disposition_instructions').values(body.instructions.map((text, i) => ({ office_id: officeId, sort_order: i + 1, text }))).execute();
    });
    await audit(ctx.db, { officeId, userId: me.id, deviceId: me.deviceId, action: 'office.disposition_instructions_set', target: officeId, details: { instructions: body.instructions } }, isoNow(ctx));
    return { instructions: body.instructions };
  });
}
