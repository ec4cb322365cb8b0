import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy, isExpectedHost, isExpectedOrigin, isLoopbackAddress, readCookie, secretsMatch, sessionCookie,
} from '../../main/host/security.ts';

describe('browser host gatekeeping', () => {
  it('accepts only loopback peers', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.5', '192.168.1.10', '::ffff:10.0.0.5', 'fe80::1', '', undefined, '127.0.0.1.evil']) expect(isLoopbackAddress(a)).toBe(false);
  });

  it('refuses a DNS-rebound Host header and a foreign Origin', () => {
    expect(isExpectedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isExpectedHost('evil.example:4000', 4000)).toBe(false);
    expect(isExpectedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isExpectedOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(isExpectedOrigin('http://evil.example', 4000)).toBe(false);
    expect(isExpectedOrigin(undefined, 4000)).toBe(false);
  });

  it('compares the launch secret exactly', () => {
    expect(secretsMatch('abc', 'abc')).toBe(true);
    expect(secretsMatch('abd', 'abc')).toBe(false);
    expect(secretsMatch('ab', 'abc')).toBe(false);
    expect(secretsMatch(undefined, 'abc')).toBe(false);
  });

  it('keeps the secret in an HttpOnly SameSite cookie and reads it back', () => {
    const cookie = sessionCookie('s3cret');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(readCookie('a=1; loket_session=s3cret; b=2', 'loket_session')).toBe('s3cret');
    expect(readCookie('a=1', 'loket_session')).toBeUndefined();
  });

  it('allows scripts only from the app itself and sockets only to its own port', () => {
    const csp = contentSecurityPolicy(4000);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:4000/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });
});
