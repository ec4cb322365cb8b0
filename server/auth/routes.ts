// Sign-in for desks: username + password → a short-lived access token and a refresh token bound to
// the desk (device) it was issued to. Refresh tokens rotate on every use; presenting a used one
// means it was copied, so the whole family is revoked. Throttling and lockout live in the database (throttle.ts).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, type Context } from '../http/context.ts';
import { hashPassword, unknownUserHash, verifyPassword } from '../../common/passwords.ts';
import { hashToken, newRefreshToken, signAccessToken } from '../http/tokens.ts';
import { currentPositions } from '../positions/holdings.ts';
import { audit } from '../audit/log.ts';
import { admitAttempt } from './throttle.ts';
import { LoginBody, LogoutBody, PasswordBody, RefreshBody, minPasswordLength, type LoginReply, type MeReply, type SessionReply } from '../../common/protocol/auth.ts';

type UserRow = Database['users'];

async function issueSession(ctx: Context, db: Db, user: Pick<UserRow, 'id' | 'office_id' | 'role'>, deviceId: string, familyId: string): Promise<SessionReply> {
  const now = ctx.now();
  const accessExp = Math.floor(now / 1000) + ctx.config.auth.accessTokenSeconds;
  const refreshToken = newRefreshToken();
  const refreshExpiresAt = new Date(now + ctx.config.auth.refreshTokenDays * 86_400_000).toISOString();
  await db.insertInto('refresh_tokens').values({
    id: randomUUID(), family_id: familyId, user_id: user.id, device_id: deviceId, token_hash: hashToken(refreshToken),
    issued_at: new Date(now).toISOString(), expires_at: refreshExpiresAt, used_at: null, revoked_at: null,
  }).execute();
  return {
    accessToken: signAccessToken({ sub: user.id, officeId: user.office_id, role: user.role, deviceId, sid: familyId, iat: Math.floor(now / 1000), exp: accessExp }, ctx.tokenSecret),
    accessTokenExpiresAt: new Date(accessExp * 1000).toISOString(),
    refreshToken,
    refreshTokenExpiresAt: refreshExpiresAt,
  };
}

async function revokeFamily(ctx: Context, familyId: string): Promise<void> {
  await ctx.db.updateTable('refresh_tokens').set({ revoked_at: isoNow(ctx) }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

async function officeOfUser(ctx: Context, userId: string): Promise<string | null> {
  return (await ctx.db.selectFrom('users').select('office_id').where('id', '=', userId).executeTakeFirst())?.office_id ?? null;
}

export function registerAuthRoutes(app: FastifyInstance, ctx: Context): void {
  app.post('/auth/login', async (req): Promise<LoginReply> => {
    const body = parse(LoginBody, req.body);
    const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', body.username).executeTakeFirst();
    // Counted before the password is hashed: parallel guesses cannot outrun the count.
    const attempt = await admitAttempt(ctx, body.username, req.ip, user !== undefined);
    const ok = await verifyPassword(body.password, user?.password_hash ?? unknownUserHash);
    if (!ok || !user) {
      const { failures, locked } = await attempt.failed();
      const who = { officeId: user?.office_id ?? null, userId: user?.id ?? null, deviceId: body.deviceId, target: body.username };
      const at = isoNow(ctx);
      await audit(ctx.db, { ...who, action: 'auth.login_failed', details: { failures, source: req.ip } }, at);
      req.log.info({ username: body.username, source: req.ip }, 'login failed');
      if (locked) {
        await audit(ctx.db, { ...who, action: 'auth.locked', details: { source: req.ip, minutes: ctx.config.auth.lockMinutes } }, at);
        throw new ApiError(423, 'ACCOUNT_LOCKED', undefined, { retryAfterSeconds: ctx.config.auth.lockMinutes * 60 });
      }
      throw new ApiError(401, 'INVALID_CREDENTIALS');
    }
    await attempt.succeeded();
    if (user.active !== 1) throw new ApiError(403, 'ACCOUNT_DISABLED');
    const now = isoNow(ctx);
    await ctx.db.insertInto('devices').values({ id: body.deviceId, office_id: user.office_id, name: body.deviceName, registered_at: now, last_seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: now, name: body.deviceName })).execute();
    const session = await issueSession(ctx, ctx.db, user, body.deviceId, randomUUID());
    await audit(ctx.db, { officeId: user.office_id, userId: user.id, deviceId: body.deviceId, action: 'auth.login', details: { deviceName: body.deviceName } }, now);
    req.log.info({ userId: user.id, deviceId: body.deviceId }, 'login');
    const positionId = (await currentPositions(ctx.db, [user.id], now)).get(user.id) ?? null;
    return { ...session, user: { id: user.id, username: user.username, fullName: user.full_name, role: user.role, officeId: user.office_id, positionId } };
  });

  app.post('/auth/refresh', async (req): Promise<SessionReply> => {
    const body = parse(RefreshBody, req.body);
    const row = await ctx.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashToken(body.refreshToken)).executeTakeFirst();
    if (!row || row.revoked_at !== null || Date.parse(row.expires_at) <= ctx.now()) throw new ApiError(401, 'REFRESH_INVALID');
    if (row.device_id !== body.deviceId) {
      await revokeFamily(ctx, row.family_id);
      await audit(ctx.db, { officeId: await officeOfUser(ctx, row.user_id), userId: row.user_id, deviceId: body.deviceId, action: 'auth.refresh_wrong_device', details: { registeredDevice: row.device_id } }, isoNow(ctx));
      req.log.warn({ familyId: row.family_id, deviceId: body.deviceId }, 'refresh token presented by another device; family revoked');
      throw new ApiError(401, 'DEVICE_MISMATCH');
    }
    // Marking it used is the race: of two requests with the same token only one updates the row.
    const marked = await ctx.db.updateTable('refresh_tokens').set({ used_at: isoNow(ctx) }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (row.used_at !== null || marked.numUpdatedRows === 0n) {
      await revokeFamily(ctx, row.family_id);
      await audit(ctx.db, { officeId: await officeOfUser(ctx, row.user_id), userId: row.user_id, deviceId: body.deviceId, action: 'auth.refresh_reused' }, isoNow(ctx));
      req.log.warn({ familyId: row.family_id, userId: row.user_id }, 'refresh token reused; family revoked');
      throw new ApiError(401, 'REFRESH_REUSED');
    }
    const user = await ctx.db.selectFrom('users').select(['id', 'office_id', 'role', 'active']).where('id', '=', row.user_id).executeTakeFirstOrThrow();
    if (user.active !== 1) throw new ApiError(403, 'ACCOUNT_DISABLED');
    await ctx.db.updateTable('devices').set({ last_seen_at: isoNow(ctx) }).where('id', '=', row.device_id).execute();
    return issueSession(ctx, ctx.db, user, row.device_id, row.family_id);
  });

  app.post('/auth/logout', async (req, reply) => {
    const body = parse(LogoutBody, req.body);
    const row = await ctx.db.selectFrom('refresh_tokens').select(['family_id', 'user_id', 'device_id']).where('token_hash', '=', hashToken(body.refreshToken)).executeTakeFirst();
    if (row) {
      await revokeFamily(ctx, row.family_id);
      await audit(ctx.db, { officeId: await officeOfUser(ctx, row.user_id), userId: row.user_id, deviceId: row.device_id, action: 'auth.logout' }, isoNow(ctx));
    }
    return reply.code(204).send();
  });

  app.post('/auth/password', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const body = parse(PasswordBody, req.body);
    const user = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', me.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(body.currentPassword, user.password_hash))) throw new ApiError(403, 'INVALID_CREDENTIALS');
    if (body.newPassword.length < minPasswordLength) throw new ApiError(400, 'PASSWORD_TOO_WEAK');
    await ctx.db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword), password_changed_at: isoNow(ctx) }).where('id', '=', me.id).execute();
    // Sessions on other desks may belong to whoever learned the old password.
    await ctx.db.updateTable('refresh_tokens').set({ revoked_at: isoNow(ctx) })
      .where('user_id', '=', me.id).where('device_id', '!=', me.deviceId).where('revoked_at', 'is', null).execute();
    await audit(ctx.db, { officeId: me.officeId, userId: me.id, deviceId: me.deviceId, action: 'auth.password_changed' }, isoNow(ctx));
    req.log.info({ userId: me.id }, 'password changed');
    return reply.code(204).send();
  });

  app.get('/auth/me', async (req): Promise<MeReply> => {
    const me = await authenticate(ctx, req);
    const user = await ctx.db.selectFrom('users')
      .leftJoin('offices', 'offices.id', 'users.office_id')
      .select(['users.id', 'users.username', 'users.full_name', 'users.nip', 'users.role', 'users.office_id', 'offices.name as office_name'])
      .where('users.id', '=', me.id).executeTakeFirstOrThrow();
    const positionId = (await currentPositions(ctx.db, [me.id], isoNow(ctx))).get(me.id);
    const position = positionId ? await ctx.db.selectFrom('positions').innerJoin('units', 'units.id', 'positions.unit_id')
      .select(['positions.id', 'positions.title', 'units.name as unit']).where('positions.id', '=', positionId).executeTakeFirst() : undefined;
    return {
      id: user.id, username: user.username, fullName: user.full_name, nip: user.nip, role: user.role,
      office: user.office_id ? { id: user.office_id, name: user.office_name } : null,
      position: position ?? null,
    };
  });
}

/** Ends every session of a user, e.g. after an administrator resets the password. */
export async function revokeAllSessions(ctx: Context, userId: string): Promise<void> {
  await ctx.db.updateTable('refresh_tokens').set({ revoked_at: isoNow(ctx) }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}
