// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for the test signing
// services: the code an official reads from their authenticator app, computed from a shared secret.
import { createHmac } from 'node:crypto';

export function totp(secret: Buffer, at: number = Date.now(), step = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000) + step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** The code is accepted in its own step and the one before (a code typed as the step turned). */
export function totpMatches(secret: Buffer, code: string, at: number = Date.now()): boolean {
  return code === totp(secret, at) || code === totp(secret, at, -1);
}
