// Desk sign-in. Online: the server checks the password, and the desk keeps what it needs to let the
// same person in while the server is away — their profile and a scrypt verifier of the password
// (never the password) — plus the rotating refresh token in the keychain. Offline (the server does
// not answer): the verifier decides. A wrong password the server refused is never retried offline.
// An offline session turns into an online one by itself as soon as the server answers: with the
// refresh token when the desk still holds one, else with the password typed at the offline sign-in,
// which stays in this process's memory only (never on disk) until that first answer.
import type { Store } from '../store/store.ts';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { hashPassword, verifyPassword } from '../../common/passwords.ts';
import { LoginReply, MeReply, SessionReply } from '../../common/protocol/auth.ts';
import { SessionUserSchema } from '../../common/ipc/auth.ts';
import { ServerError, type ServerClient } from '../remote/client.ts';
import { fromServerError } from '../remote/errors.ts';
import type { Keychain } from './keychain.ts';
import type { DeskSession, SessionState, SessionUser } from './session.ts';

export interface AuthService {
  login(username: string, password: string): Promise<DeskSession>;
  logout(): Promise<void>;
  /** A valid access token for the signed-in person, refreshed when due; AUTH_REQUIRED when there is none. */
  accessToken(): Promise<string>;
}

export interface AuthOptions {
  store: Store;
  session: SessionState;
  keychain: Keychain;
  /** The configured server's client, or undefined for a standalone desk; throws ServerError when configured but unusable. */
  client: () => ServerClient | undefined;
  deskName: () => string;
  log: Logger;
  now?: () => number;
}

const refreshKey = (username: string) => `refresh:${username}`;
/** Renew the access token this long before it runs out, so a push never starts with a dying token. */
const renewMarginMs = 30_000;

/** The person the server's /auth/me describes, as the desk's session holds them. */
export function toUser(me: MeReply): SessionUser {
  return {
    id: me.id, username: me.username, name: me.fullName, nip: me.nip, position: me.position?.title ?? null,
    roles: [me.role], officeId: me.office?.id ?? null, officeName: me.office?.name ?? null,
  };
}

export function createAuthService(options: AuthOptions): AuthService {
  const { store, session, keychain, log } = options;
  const now = options.now ?? Date.now;
  let access: { token: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;
  /** The offline sign-in's password, until the server has seen it once; cleared at sign-out and on any answer. */
  let awaitingServer: { username: string; password: string } | undefined;

  function actorOf(user: SessionUser): string { return user.id; }

  function begin(user: SessionUser, mode: DeskSession['mode']): DeskSession {
    const next: DeskSession = { user, mode, since: new Date(now()).toISOString() };
    store.audit.append({ actor: actorOf(user), action: mode === 'online' ? 'auth.login' : 'auth.login_offline', entity: 'user', entityId: user.id, details: { username: user.username } });
    session.set(next);
    return next;
  }

  async function signInOnline(client: ServerClient, username: string, password: string): Promise<SessionUser> {
    const reply = await client.json('POST', '/auth/login', LoginReply, {
      json: { username, password, deviceId: store.sync.deviceId(), deviceName: options.deskName() },
    });
    const me = await client.json('GET', '/auth/me', MeReply, { token: reply.accessToken });
    const user = toUser(me);
    keychain.set(refreshKey(user.username), reply.refreshToken);
    access = { token: reply.accessToken, expiresAt: Date.parse(reply.accessTokenExpiresAt) };
    awaitingServer = undefined;
    store.sync.rememberAccount({ username: user.username, profile: user, verifier: await hashPassword(password), lastLoginAt: new Date(now()).toISOString() });
    return user;
  }

  /** The server answers again: the offline session's person signs in there with the password they typed offline. */
  async function goOnline(client: ServerClient, pending: { username: string; password: string }): Promise<string> {
    try {
      const user = await signInOnline(client, pending.username, pending.password);
      const current = session.current();
      if (current?.user.username === pending.username) {
        store.audit.append({ actor: actorOf(user), action: 'auth.online', entity: 'user', entityId: user.id, details: { username: user.username } });
        session.set({ ...current, user, mode: 'online' });
      }
      return access!.token;
    } catch (err) {
      if (!(err instanceof ServerError) || err.transient || err.code === 'SERVER_REPLY_INVALID') throw err;
      // The server knows this person otherwise now (password changed, account disabled): only a new sign-in helps.
      awaitingServer = undefined;
      if (err.code === 'ACCOUNT_DISABLED') store.sync.forgetAccount(pending.username);
      throw new AppError('AUTH_SERVER_SIGN_IN', undefined, { server: err.message });
    }
  }

  async function loginOffline(username: string, password: string, cause: ServerError): Promise<DeskSession> {
    const account = store.sync.account(username);
    // A profile this version cannot read counts as unknown: the person signs in online once more.
    const profile = SessionUserSchema.safeParse(account?.profile);
    if (!account || !profile.success) throw new AppError('AUTH_OFFLINE_UNKNOWN', undefined, { server: cause.message });
    if (!(await verifyPassword(password, account.verifier))) throw new AppError('AUTH_INVALID_CREDENTIALS');
    access = undefined;
    awaitingServer = { username, password };
    log.info('auth: offline login', { username, cause: cause.code });
    return begin(profile.data, 'offline');
  }

  /** A fresh access token: by the refresh token, else (after an offline sign-in) by the password held for it. */
  async function renew(client: ServerClient, user: SessionUser): Promise<string> {
    const pending = awaitingServer?.username === user.username ? awaitingServer : undefined;
    if (!keychain.get(refreshKey(user.username))) {
      if (pending) return goOnline(client, pending);
      throw new AppError('AUTH_REQUIRED');
    }
    try {
      return await refresh(client, user);
    } catch (err) {
      // The server ended the stored session (a sign-out it never heard of, a revocation): the password still opens a new one.
      if (pending && err instanceof AppError && err.code === 'AUTH_REQUIRED') return goOnline(client, pending);
      throw err;
    }
  }

  async function refresh(client: ServerClient, user: SessionUser): Promise<string> {
    const token = keychain.get(refreshKey(user.username));
    if (!token) throw new AppError('AUTH_REQUIRED');
    try {
      const reply = await client.json('POST', '/auth/refresh', SessionReply, { json: { refreshToken: token, deviceId: store.sync.deviceId() } });
      keychain.set(refreshKey(user.username), reply.refreshToken);
      access = { token: reply.accessToken, expiresAt: Date.parse(reply.accessTokenExpiresAt) };
      awaitingServer = undefined;
      const current = session.current();
      if (current?.mode === 'offline' && current.user.username === user.username) session.set({ ...current, mode: 'online' });
      return reply.accessToken;
    } catch (err) {
      // An answer this desk cannot read ended nothing: the refresh token is kept and tried again.
      if (err instanceof ServerError && !err.transient && err.code !== 'SERVER_REPLY_INVALID') {
        // The server ended this desk's session (expired, revoked, reused): a person must sign in again.
        keychain.delete(refreshKey(user.username));
        throw new AppError('AUTH_REQUIRED', err.message);
      }
      throw err;
    }
  }

  return {
    async login(rawUsername, password) {
      const username = rawUsername.trim().toLowerCase();
      try {
        const client = options.client();
        if (!client) throw new AppError('AUTH_NO_SERVER');
        return begin(await signInOnline(client, username, password), 'online');
      } catch (err) {
        if (err instanceof ServerError && err.transient) return loginOffline(username, password, err);
        if (err instanceof ServerError && err.code === 'ACCOUNT_DISABLED') store.sync.forgetAccount(username);
        throw err instanceof ServerError ? fromServerError(err) : err;
      }
    },
    async logout() {
      const current = session.current();
      if (!current) return;
      const token = keychain.get(refreshKey(current.user.username));
      keychain.delete(refreshKey(current.user.username));
      access = undefined;
      awaitingServer = undefined;
      let client: ServerClient | undefined;
      try { client = options.client(); } catch { client = undefined; }
      if (token && client) {
        // Best effort: an offline desk cannot tell the server; the token then simply expires there.
        await client.raw('POST', '/auth/logout', { json: { refreshToken: token } }).catch((err: unknown) => log.warn('auth: logout not delivered to the server', { err }));
      }
      store.audit.append({ actor: actorOf(current.user), action: 'auth.logout', entity: 'user', entityId: current.user.id, details: {} });
      session.set(null);
    },
    async accessToken() {
      const user = session.user();
      if (!user) throw new AppError('AUTH_REQUIRED');
      if (access && access.expiresAt - renewMarginMs > now()) return access.token;
      const client = options.client();
      if (!client) throw new AppError('AUTH_NO_SERVER');
      // One refresh at a time: refresh tokens rotate, and a second use of the old one revokes them all.
      refreshing ??= renew(client, user).finally(() => { refreshing = undefined; });
      return refreshing;
    },
  };
}
