// Who may recover a desk whose data file is damaged (Pemulihan data): the admin kantor only.
//   - While the desk still runs, the person signed in decides: an admin kantor, or no recovery.
//   - A desk that could not start has nobody signed in, and nobody can sign in the usual way (sign-in
//     needs the data file). Its recovery screen asks the admin kantor's username and password itself and
//     checks them as a sign-in would: by the server when it answers (its current word on the password and
//     the role, its lockout included; the session it opens is ended at once), else, only when the server
//     cannot be reached, by the password verifier this desk kept when that person last signed in here —
//     from the damaged file if that part is still readable, else from the desk's copies, newest first.
//     An admin kantor who never signed in on this desk, with the server unreachable, cannot be checked:
//     the screen says to connect the desk to the server first.
//   - A desk without any server has no accounts and no roles: whoever works at it recovers it, as they
//     do everything else there.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors.ts';
import { SessionUserSchema } from '../../common/ipc/auth.ts';
import type { RecoveryAdmin } from '../../common/ipc/storage.ts';
import { verifyPassword } from '../../common/passwords.ts';
import { LoginReply, MeReply } from '../../common/protocol/auth.ts';
import { createServerClient, ServerError, type ServerEndpoint } from '../remote/client.ts';
import { fromServerError } from '../remote/errors.ts';
import { toUser } from './service.ts';
import type { SessionUser } from './session.ts';
import type { SavedAccount } from '../store/health.ts';

const recoveryRole = 'admin_kantor';

/** Whether a signed-in person may recover the desk's data. */
export function mayRecover(user: Pick<SessionUser, 'roles'> | undefined): boolean {
  return user?.roles.includes(recoveryRole) ?? false;
}

export interface RecoveryAdminCheck {
  /** The server the damaged desk worked with. */
  endpoint: ServerEndpoint;
  allowPlainLoopback: boolean;
  /** The desk's identity towards the server, when it could be read. */
  deviceId: string | undefined;
  deskName: string;
  /** The sign-ins this desk kept, most trusted first (the damaged file, then its copies, newest first). */
  accounts(): Promise<SavedAccount[]>;
}

/** The admin kantor whose username and password these are, or the AppError a sign-in would give. */
export async function checkRecoveryAdmin(proof: RecoveryAdmin, o: RecoveryAdminCheck): Promise<SessionUser> {
  const username = proof.username.trim().toLowerCase();
  let user: SessionUser;
  try {
    user = await checkOnline(username, proof.password, o);
  } catch (err) {
    if (!(err instanceof ServerError)) throw err;
    if (!err.transient) throw fromServerError(err);
    user = await checkOffline(username, proof.password, await o.accounts());
  }
  if (!mayRecover(user)) throw new AppError('STORAGE_ADMIN_REQUIRED', undefined, { roles: user.roles });
  return user;
}

async function checkOnline(username: string, password: string, o: RecoveryAdminCheck): Promise<SessionUser> {
  const client = createServerClient(o.endpoint, { allowPlainLoopback: o.allowPlainLoopback });
  try {
    const reply = await client.json('POST', '/auth/login', LoginReply, {
      json: { username, password, deviceId: o.deviceId ?? `pemulihan-${randomUUID()}`, deviceName: o.deskName || 'Pemulihan data' },
    });
    const me = await client.json('GET', '/auth/me', MeReply, { token: reply.accessToken });
    // Only the check was needed: the session ends here (best effort; it expires on its own otherwise).
    await client.raw('POST', '/auth/logout', { json: { refreshToken: reply.refreshToken } }).catch(() => undefined);
    return toUser(me);
  } finally {
    client.close();
  }
}

async function checkOffline(username: string, password: string, accounts: SavedAccount[]): Promise<SessionUser> {
  const account = accounts.find((a) => a.username === username);
  const profile = SessionUserSchema.safeParse(account?.profile);
  if (!account || !profile.success) throw new AppError('AUTH_OFFLINE_UNKNOWN');
  if (!(await verifyPassword(password, account.verifier))) throw new AppError('AUTH_INVALID_CREDENTIALS');
  return profile.data;
}
