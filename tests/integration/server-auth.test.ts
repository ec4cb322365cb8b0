// Signing in to the central server: the right password opens a session bound to the desk, wrong
// guesses slow down and then lock the account, refresh tokens rotate and a copied one ends the whole
// session family, and an admin kantor manages only the people of their own office.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, manualClock, startTestServer, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

type ErrorReply = { error: { code: string; message: string; details?: { retryAfterSeconds?: number } } };
const code = (json: unknown) => (json as ErrorReply).error.code;

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  const clock = manualClock();
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, now: clock.now, config: { auth: { throttleAfter: 3, throttleBaseMs: 1000, lockAfter: 5, lockMinutes: 15 } } });
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  const attempt = (username: string, password: string, deviceId = 'desk-auth-0001') =>
    srv.call('POST', '/auth/login', { json: { username, password, deviceId, deviceName: 'Meja depan' } });

  it('a clerk signs in with the right password and the server knows her office and position', async () => {
    const session = await srv.login('operator.dinkes', 'desk-dinkes-01');
    expect(session.user).toMatchObject({ id: 'user-operator-dinkes', officeId: 'office-dinkes', role: 'operator_utama' });
    const me = await srv.call('GET', '/auth/me', { token: session.accessToken });
    expect(me.json).toMatchObject({ office: { name: 'Dinas Kesehatan' }, position: { title: 'Pengadministrasi Umum', unit: 'Subbagian Umum dan Kepegawaian' } });
  });

  it('a wrong password and an unknown name get the same answer, so names cannot be guessed', async () => {
    const wrong = await attempt('staf.setda', 'salah-sandi');
    const unknown = await attempt('tidak.ada', 'salah-sandi');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect([code(wrong.json), code(unknown.json)]).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
  });

  it('after three wrong guesses even the right password must wait, and works once the wait is over', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('verifikator.setda', 'tebakan-' + i)).status).toBe(401);
    const throttled = await attempt('verifikator.setda', demoPassword);
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject({ error: { code: 'LOGIN_THROTTLED', details: { retryAfterSeconds: 1 } } });
    clock.advance(1000);
    expect((await attempt('verifikator.setda', demoPassword)).status).toBe(200);
    // A successful sign-in clears the count: the next typo is an ordinary mistake again.
    expect(code((await attempt('verifikator.setda', 'typo')).json)).toBe('INVALID_CREDENTIALS');
  });

  it('five wrong guesses lock the account for fifteen minutes, then the owner gets in', async () => {
    for (let i = 0; i < 4; i++) {
      expect(code((await attempt('penandatangan.setda', 'tebakan-' + i)).json)).toBe('INVALID_CREDENTIALS');
      clock.advance(10_000);
    }
    const fifth = await attempt('penandatangan.setda', 'tebakan-5');
    expect(fifth.status).toBe(423);
    expect(code(fifth.json)).toBe('ACCOUNT_LOCKED');
    clock.advance(14 * 60_000);
    const stillLocked = await attempt('penandatangan.setda', demoPassword);
    expect(stillLocked.status).toBe(423);
    expect((stillLocked.json as ErrorReply).error.details?.retryAfterSeconds).toBe(60);
    clock.advance(60_000);
    expect((await attempt('penandatangan.setda', demoPassword)).status).toBe(200);
  });

  it('a refresh token works once: the desk gets a new pair, and a replayed old one revokes the whole family', async () => {
    const session = await srv.login('admin.setda', 'desk-setda-01');
    const first = await srv.call('POST', '/auth/refresh', { json: { refreshToken: session.refreshToken, deviceId: 'desk-setda-01' } });
    expect(first.status).toBe(200);
    const rotated = first.json as { accessToken: string; refreshToken: string };
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect((await srv.call('GET', '/auth/me', { token: rotated.accessToken })).status).toBe(200);

    const replay = await srv.call('POST', '/auth/refresh', { json: { refreshToken: session.refreshToken, deviceId: 'desk-setda-01' } });
    expect(replay.status).toBe(401);
    expect(code(replay.json)).toBe('REFRESH_REUSED');
    const afterTheft = await srv.call('POST', '/auth/refresh', { json: { refreshToken: rotated.refreshToken, deviceId: 'desk-setda-01' } });
    expect(code(afterTheft.json)).toBe('REFRESH_INVALID');
  });

  it('a refresh token copied to another desk is refused there and ends the session', async () => {
    const session = await srv.login('staf.dinkes', 'desk-dinkes-02');
    const elsewhere = await srv.call('POST', '/auth/refresh', { json: { refreshToken: session.refreshToken, deviceId: 'desk-pencuri-1' } });
    expect(code(elsewhere.json)).toBe('DEVICE_MISMATCH');
    const home = await srv.call('POST', '/auth/refresh', { json: { refreshToken: session.refreshToken, deviceId: 'desk-dinkes-02' } });
    expect(code(home.json)).toBe('REFRESH_INVALID');
  });

  it('after logout the refresh token no longer opens a session, and an expired access token is refused', async () => {
    const session = await srv.login('verifikator.dinkes', 'desk-dinkes-03');
    expect((await srv.call('POST', '/auth/logout', { json: { refreshToken: session.refreshToken } })).status).toBe(204);
    const refreshed = await srv.call('POST', '/auth/refresh', { json: { refreshToken: session.refreshToken, deviceId: 'desk-dinkes-03' } });
    expect(code(refreshed.json)).toBe('REFRESH_INVALID');
    clock.advance(901_000);
    const expired = await srv.call('GET', '/auth/me', { token: session.accessToken });
    expect(expired.status).toBe(401);
    expect(code(expired.json)).toBe('UNAUTHENTICATED');
  });

  it('logout ends the access token at once, not when it expires; so does a replayed refresh token', async () => {
    const session = await srv.login('verifikator.setda', 'desk-setda-04');
    expect((await srv.call('GET', '/auth/me', { token: session.accessToken })).status).toBe(200);
    expect((await srv.call('POST', '/auth/logout', { json: { refreshToken: session.refreshToken } })).status).toBe(204);
    const afterLogout = await srv.call('GET', '/auth/me', { token: session.accessToken });
    expect(afterLogout.status).toBe(401);
    expect(code(afterLogout.json)).toBe('UNAUTHENTICATED');
    expect((await srv.call('GET', '/sync/pull?cursor=0', { token: session.accessToken })).status).toBe(401);

    const stolen = await srv.login('verifikator.setda', 'desk-setda-05');
    const rotated = (await srv.call('POST', '/auth/refresh', { json: { refreshToken: stolen.refreshToken, deviceId: 'desk-setda-05' } })).json as { accessToken: string };
    expect((await srv.call('GET', '/auth/me', { token: rotated.accessToken })).status).toBe(200);
    await srv.call('POST', '/auth/refresh', { json: { refreshToken: stolen.refreshToken, deviceId: 'desk-setda-05' } });
    expect((await srv.call('GET', '/auth/me', { token: rotated.accessToken })).status).toBe(401);
  });

  it('changing the password needs the current one, ends sessions on other desks and keeps this one', async () => {
    const here = await srv.login('penandatangan.disdik', 'desk-disdik-01');
    const other = await srv.login('penandatangan.disdik', 'desk-disdik-02');
    const wrong = await srv.call('POST', '/auth/password', { token: here.accessToken, json: { currentPassword: 'bukan', newPassword: 'Sandi-Baru-2026' } });
    expect(code(wrong.json)).toBe('INVALID_CREDENTIALS');
    const weak = await srv.call('POST', '/auth/password', { token: here.accessToken, json: { currentPassword: demoPassword, newPassword: 'pendek' } });
    expect(code(weak.json)).toBe('PASSWORD_TOO_WEAK');
    const ok = await srv.call('POST', '/auth/password', { token: here.accessToken, json: { currentPassword: demoPassword, newPassword: 'Sandi-Baru-2026' } });
    expect(ok.status).toBe(204);
    expect((await srv.call('POST', '/auth/refresh', { json: { refreshToken: other.refreshToken, deviceId: 'desk-disdik-02' } })).status).toBe(401);
    expect((await srv.call('POST', '/auth/refresh', { json: { refreshToken: here.refreshToken, deviceId: 'desk-disdik-01' } })).status).toBe(200);
    expect((await attempt('penandatangan.disdik', demoPassword)).status).toBe(401);
    expect((await attempt('penandatangan.disdik', 'Sandi-Baru-2026')).status).toBe(200);
  });

  describe('people management', () => {
    const newUser = (officeId: string, username: string) => ({
      username, fullName: 'Pegawai Baru', nip: '198001012005011001', role: 'staff', officeId, positionId: null, password: 'Sandi-Awal-2026',
    });

    it('an admin kantor adds a colleague to their own office, who can then sign in', async () => {
      const admin = await srv.login('admin.dinkes', 'desk-dinkes-04');
      const created = await srv.call('POST', '/admin/users', { token: admin.accessToken, json: newUser('office-dinkes', 'pegawai.baru') });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ officeId: 'office-dinkes', role: 'staff', active: true });
      expect((await attempt('pegawai.baru', 'Sandi-Awal-2026')).status).toBe(200);
      const list = await srv.call('GET', '/admin/users', { token: admin.accessToken });
      const usernames = (list.json as { users: { username: string }[] }).users.map((u) => u.username);
      expect(usernames).toContain('pegawai.baru');
      expect(usernames.every((u) => u.endsWith('.dinkes') || u === 'pegawai.baru')).toBe(true);
    });

    it('an admin kantor cannot create, change, reset or even list the users of another office', async () => {
      const admin = await srv.login('admin.dinkes', 'desk-dinkes-04');
      const token = admin.accessToken;
      const replies = await Promise.all([
        srv.call('POST', '/admin/users', { token, json: newUser('office-disdik', 'penyusup') }),
        srv.call('PATCH', '/admin/users/user-staf-disdik', { token, json: { role: 'signer' } }),
        srv.call('PATCH', '/admin/users/user-admin-disdik', { token, json: { active: false } }),
        srv.call('POST', '/admin/users/user-staf-disdik/password', { token, json: { newPassword: 'Diambil-Alih-2026' } }),
        srv.call('GET', '/admin/users?officeId=office-disdik', { token }),
      ]);
      expect(replies.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
      expect(replies.map((r) => code(r.json))).toEqual(Array(5).fill('FORBIDDEN_OFFICE'));
      expect((await attempt('staf.disdik', demoPassword)).status).toBe(200);
      const target = await srv.server.db.selectFrom('users').select(['role', 'active']).where('id', '=', 'user-staf-disdik').executeTakeFirstOrThrow();
      expect(target).toEqual({ role: 'staff', active: 1 });
    });

    it('staff cannot manage users at all, and a super admin manages every office', async () => {
      const staff = await srv.login('staf.setda', 'desk-setda-02');
      expect(code((await srv.call('POST', '/admin/users', { token: staff.accessToken, json: newUser('office-setda', 'x.setda') })).json)).toBe('FORBIDDEN');
      const root = await srv.login('superadmin', 'desk-kabupaten');
      expect((await srv.call('POST', '/admin/users', { token: root.accessToken, json: newUser('office-disdik', 'guru.disdik') })).status).toBe(201);
      expect(code((await srv.call('POST', '/admin/users', { token: root.accessToken, json: newUser('office-disdik', 'guru.disdik') })).json)).toBe('USERNAME_TAKEN');
    });

    it('a deactivated account is shut out at once, even with an access token still unexpired', async () => {
      const admin = await srv.login('admin.setda', 'desk-setda-03');
      const staff = await srv.login('operator.setda', 'desk-setda-04');
      expect((await srv.call('PATCH', '/admin/users/user-operator-setda', { token: admin.accessToken, json: { active: false } })).status).toBe(200);
      expect((await srv.call('GET', '/auth/me', { token: staff.accessToken })).status).toBe(401);
      expect(code((await srv.call('POST', '/auth/refresh', { json: { refreshToken: staff.refreshToken, deviceId: 'desk-setda-04' } })).json)).toBe('REFRESH_INVALID');
      expect(code((await attempt('operator.setda', demoPassword)).json)).toBe('ACCOUNT_DISABLED');
    });
  });
});
