// What every request handler gets: the database, the configuration, the blob store and the clock.
// Handlers keep nothing in memory between requests, so several instances can share one database.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { BlobStore } from '../blobs/store.ts';
import type { Role } from '../db/schema.ts';
import { verifyAccessToken } from './tokens.ts';
import { ApiError } from './errors.ts';

export interface Context {
  db: Db;
  config: ServerConfig;
  blobs: BlobStore;
  tokenSecret: string;
  /** Milliseconds since the epoch; tests move it to cross lockout windows without sleeping. */
  now(): number;
}

export interface CurrentUser {
  id: string;
  officeId: string | null;
  role: Role;
  deviceId: string;
  username: string;
}

/** The signed-in user of this request, re-read from the database so a disabled account, a moved position or a logout applies at once. */
export async function authenticate(ctx: Context, req: FastifyRequest): Promise<CurrentUser> {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const claims = token ? verifyAccessToken(token, ctx.tokenSecret, Math.floor(ctx.now() / 1000)) : undefined;
  if (!claims) throw new ApiError(401, 'UNAUTHENTICATED');
  // The sign-in must still stand: logout, a replayed refresh token, a password change or reset and a
  // deactivation revoke it, and every access token issued under it with it.
  const user = await ctx.db.selectFrom('users').select(['id', 'office_id', 'role', 'username', 'active'])
    .where('id', '=', claims.sub)
    .where((eb) => eb.exists(eb.selectFrom('refresh_tokens').select('refresh_tokens.id')
      .where('refresh_tokens.family_id', '=', claims.sid).where('refresh_tokens.user_id', '=', claims.sub).where('refresh_tokens.revoked_at', 'is', null)))
    .executeTakeFirst();
  if (!user || user.active !== 1) throw new ApiError(401, 'UNAUTHENTICATED');
  return { id: user.id, officeId: user.office_id, role: user.role, deviceId: claims.deviceId, username: user.username };
}

export function requireRole(user: CurrentUser, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) throw new ApiError(403, 'FORBIDDEN');
}

/** Validates a body or query against its schema; a mismatch is a 400 VALIDATION naming the fields. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'VALIDATION', undefined, { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return result.data;
}

export function isoNow(ctx: Context): string {
  return new Date(ctx.now()).toISOString();
}
