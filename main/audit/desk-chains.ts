// Pengaturan's "Rantai log meja" for the admin kantor: the office's desks as the server holds their
// activity logs (GET /admin/audit/desks), broken chains first. Only the server knows this, so it is
// asked each time; a desk without a server, or a person who is not an administrator, is told why.
import { AppError } from '../../common/errors.ts';
import { DeskChainsReply } from '../../common/protocol/audit.ts';
import type { Handlers } from '../ipc/router.ts';
import { fromServerError } from '../remote/errors.ts';
import { ServerError } from '../remote/client.ts';
import type { Capability, Desk } from '../app/desk.ts';

/** The roles the server lets read the desks' chains (server/audit/routes.ts). */
const adminRoles: readonly string[] = ['admin_kantor', 'super_admin'];

export function deskChainHandlers(desk: Pick<Desk, 'sync'>): Pick<Handlers, 'audit.desks'> {
  return {
    async 'audit.desks'() {
      try {
        const client = desk.sync.client();
        if (!client) throw new AppError('AUTH_NO_SERVER');
        const user = desk.sync.session.user();
        if (!user) throw new AppError('AUTH_REQUIRED');
        if (!user.roles.some((r) => adminRoles.includes(r))) throw new AppError('AUDIT_ADMIN_ONLY');
        const reply = await client.json('GET', '/admin/audit/desks', DeskChainsReply, { token: await desk.sync.auth.accessToken(), timeoutMs: 10_000 });
        return { desks: reply.desks.map(({ deviceId, deviceName, lastSeq, lastAt, broken }) => ({ deviceId, deskName: deviceName, lastSeq, lastAt, broken })) };
      } catch (err) {
        throw err instanceof ServerError ? fromServerError(err) : err;
      }
    },
  };
}

export function auditCapability(desk: Desk): Capability {
  return { handlers: deskChainHandlers(desk) };
}
