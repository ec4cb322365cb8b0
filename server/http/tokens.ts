// Short-lived access tokens (compact JWT, HS256 over node:crypto) and opaque refresh tokens, of
// which the database keeps only a SHA-256 so a leaked backup cannot be replayed.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../db/schema.ts';

export interface AccessClaims {
  sub: string;
  officeId: string | null;
  role: Role;
  deviceId: string;
  /** The sign-in (refresh token family) the token was issued under: ended by logout or revocation, it ends the token too. */
  sid: string;
  iat: number;
  exp: number;
}

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

/** The claims of a token this server signed that has not expired at `nowSeconds`; otherwise undefined. */
export function verifyAccessToken(token: string, secret: string, nowSeconds: number): AccessClaims | undefined {
  const [h, body, signature] = token.split('.');
  if (h !== header || !body || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${h}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return undefined;
  }
  return typeof claims.exp === 'number' && claims.exp > nowSeconds && typeof claims.sid === 'string' ? claims : undefined;
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
