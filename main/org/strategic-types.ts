// The office's strategic document types at the desk: the types that decide strategic matters of
// organisation, staffing or budget, which no Plh/Plt may sign (UU 30/2014 art. 14). Every desk keeps
// the office's list from the change feed, so it is known offline (isStrategic, for a check before
// signing); the admin kantor replaces the list from Delegasi, through the outbox. Setting it needs the
// server to be reachable: the new list replaces the office's whole list, so it is chosen against the
// list the office has now, not one this desk may not have caught up with.
import { AppError } from '../../common/errors.ts';
import type { DocumentType } from '../../common/ipc/drafting.ts';
import type { StrategicTypes } from '../../common/ipc/delegation.ts';
import type { Capability, Desk } from '../app/desk.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Handlers } from '../ipc/router.ts';
import type { EntryOf, OutboxPlan } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';

export function planStrategicTypes(entry: EntryOf<'strategic_types'>): OutboxPlan {
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'delegation.strategic_types', payload: entry.payload }, blobs: [] };
}

/**
 * Whether the office marks `type` strategic, as this desk knows it now (offline too): the server's
 * list, or the admin kantor's change from this desk while it is on its way. A letter of no drafted
 * type (null) is never strategic. The server checks again when the signature reaches it.
 */
export function isStrategic(store: Store, officeId: string | null, type: DocumentType | null): boolean {
  return type !== null && store.delegations.strategicTypes(officeId).documentTypes.includes(type);
}

export interface StrategicTypesDeps {
  store: Store;
  user(): SessionUser | null;
  actor(): string;
  online(): boolean;
  syncSoon(): void;
}

export function strategicTypesHandlers(deps: StrategicTypesDeps): Pick<Handlers, 'delegation.strategicTypes' | 'delegation.setStrategicTypes'> {
  const { store } = deps;
  function read(): StrategicTypes {
    const user = deps.user();
    const officeId = user?.officeId ?? null;
    const kept = store.delegations.strategicTypes(officeId);
    return {
      documentTypes: kept.documentTypes, updatedAt: kept.updated?.at ?? null, pending: kept.pending, refused: kept.refused,
      canManage: user !== null && officeId !== null && user.roles.includes('admin_kantor'), online: deps.online(),
    };
  }
  return {
    'delegation.strategicTypes': () => read(),
    'delegation.setStrategicTypes': ({ documentTypes }) => {
      const user = deps.user();
      if (!user?.roles.includes('admin_kantor') || user.officeId === null) throw new AppError('DELEGATION_ADMIN_ONLY');
      if (!deps.online()) throw new AppError('STRATEGIC_TYPES_OFFLINE');
      store.delegations.setStrategicTypes(user.officeId, { documentTypes: [...new Set(documentTypes)].sort() }, deps.actor());
      deps.syncSoon();
      return read();
    },
  };
}

export function strategicTypesCapability(desk: Desk): Capability {
  return {
    handlers: strategicTypesHandlers({
      store: desk.store, user: () => desk.sync.session.user(), actor: desk.actor, online: desk.online, syncSoon: desk.syncSoon,
    }),
  };
}
