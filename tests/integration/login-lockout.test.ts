// Sign-in limits under attack: a burst of parallel guesses gets no more password checks than the lock
// allows; a stranger's guesses lock the account for the stranger's address, not for its owner; many
// addresses together reach the account's ceiling; the admin kantor lifts a lock; a spray of unknown
// names from one address is turned away before any password is hashed. Addresses are told to the
// server as a reverse proxy would (X-Forwarded-For from a trusted proxy).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';

const code = (json: unknown) => (json as { error: { code: string } }).error.code;

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

describe.each(backendNames())('sign-in limits on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: {
      trustedProxies: ['127.0.0.1'],
      auth: { throttleAfter: 1000, throttleBaseMs: 1, lockAfter: 10, lockMinutes: 15, sourceLimit: 40, accountCeiling: 12 },
    } });
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  const attempt = (username: string, password: string, from: string) =>
    srv.call('POST', '/auth/login', { json: { username, password, deviceId: 'desk-lockout-1', deviceName: 'Meja depan' }, headers: { 'x-forwarded-for': from } });
  const failuresChecked = async (username: string) => (await srv.server.db.selectFrom('audit_log').select('seq')
    .where('action', '=', 'auth.login_failed').where('target', '=', username).execute()).length;

  it('200 parallel guesses get at most 10 password checks, and the right one among them does not get in', async () => {
    const guesses = Array.from({ length: 200 }, (_, i) => (i === 150 ? demoPassword : `tebakan-${i}`));
    const replies = await Promise.all(guesses.map((g) => attempt('verifikator.setda', g, '10.0.0.66')));
    expect(await failuresChecked('verifikator.setda')).toBeLessThanOrEqual(10);
    expect(replies[150]!.status).not.toBe(200);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(0);
    // Locked for this address (and the address itself has now spent its failures on every name).
    expect(['ACCOUNT_LOCKED', 'LOGIN_THROTTLED']).toContain(code((await attempt('verifikator.setda', demoPassword, '10.0.0.66')).json));
    const pair = await srv.server.db.selectFrom('login_throttle').select('locked_until').where('username', '=', 'verifikator.setda').where('source', '=', '10.0.0.66').executeTakeFirst();
    expect(pair?.locked_until).not.toBeNull();
  });

  it('a stranger\'s guesses lock the account for the stranger only; the owner signs in from her desk', async () => {
    for (let i = 0; i < 10; i++) await attempt('penandatangan.setda', `tebakan-${i}`, '10.0.0.77');
    expect(code((await attempt('penandatangan.setda', demoPassword, '10.0.0.77')).json)).toBe('ACCOUNT_LOCKED');
    expect((await attempt('penandatangan.setda', demoPassword, '10.1.1.5')).status).toBe(200);
  });

  it('guesses from many addresses together lock the account everywhere, and the admin kantor lifts the lock', async () => {
    for (let i = 0; i < 13; i++) await attempt('staf.setda', `tebakan-${i}`, `10.2.0.${i}`);
    expect(code((await attempt('staf.setda', demoPassword, '10.1.1.6')).json)).toBe('ACCOUNT_LOCKED');
    const admin = await srv.login('admin.setda', 'desk-lockout-admin');
    const other = await srv.login('admin.dinkes', 'desk-lockout-other');
    expect((await srv.call('POST', '/admin/users/user-staf-setda/unlock', { token: other.accessToken })).status).toBe(403);
    expect((await srv.call('POST', '/admin/users/user-staf-setda/unlock', { token: admin.accessToken })).status).toBe(204);
    expect((await attempt('staf.setda', demoPassword, '10.1.1.6')).status).toBe(200);
  });

  it('a spray of unknown names from one address is turned away before hashing, while another address signs in', async () => {
    const replies = await Promise.all(Array.from({ length: 120 }, (_, i) => attempt(`tidak.ada.${i}`, 'sandi', '10.9.9.9')));
    const throttled = replies.filter((r) => r.status === 429).length;
    expect(throttled).toBeGreaterThanOrEqual(120 - 40);
    expect(replies.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    // At most sourceLimit rows for the names (and one for the address), not two per name.
    const rows = await srv.server.db.selectFrom('login_throttle').select('username').where('source', '=', '10.9.9.9').execute();
    expect(rows.length).toBeLessThanOrEqual(1);
    expect((await attempt('operator.setda', demoPassword, '10.1.1.7')).status).toBe(200);
  });
});
