// IPC handlers of desk sign-in (Masuk): the current session, login (online, or offline on a desk the
// person used before), logout. A login wakes the sync engine: work waiting in the outbox goes now.
import type { Handlers } from '../ipc/router.ts';
import type { AuthService } from './service.ts';
import type { SessionState } from './session.ts';

export function authHandlers(deps: { auth: AuthService; session: SessionState; afterLogin: () => void }): Pick<Handlers, 'auth.session' | 'auth.login' | 'auth.logout'> {
  return {
    'auth.session': () => deps.session.current(),
    'auth.login': async ({ username, password }) => {
      const session = await deps.auth.login(username, password);
      deps.afterLogin();
      return session;
    },
    'auth.logout': async () => {
      await deps.auth.logout();
      return null;
    },
  };
}
