// Struktur Organisasi at the desk: the admin kantor's changes to the office's structure (positions,
// holders, extra disposition routes, the list of instructions), each sent at once to the server's
// /admin routes, and the structure read back after each so disposing on this desk follows it. The
// last structure read stays on the desk (with the office's units and people), so the screen shows
// offline; a change needs the server and is refused while it is away, with the reason.
import { z } from 'zod';
import { AppError } from '../../common/errors.ts';
import type { StructureView } from '../../common/ipc/structure.ts';
import { dispositionInstructions } from '../../common/protocol/disposition.ts';
import { OrgReply, PositionReply, UserListReply } from '../../common/protocol/org.ts';
import type { Capability, Desk } from '../app/desk.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Handlers } from '../ipc/router.ts';
import { refusalOf, ServerError, type ServerClient } from '../remote/client.ts';
import { fromServerError } from '../remote/errors.ts';
import type { Store } from '../store/store.ts';

type StructureChannels = 'structure.view' | 'structure.refresh' | 'structure.position.create' | 'structure.position.update' | 'structure.position.retire'
  | 'structure.holder.assign' | 'structure.routes.save' | 'structure.instructions.save';

/** What the desk keeps of the last read: the office's part of GET /org and its people (GET /admin/users). */
const Kept = z.object({
  officeId: z.string(),
  fetchedAt: z.string(),
  org: OrgReply,
  people: z.array(z.object({ userId: z.string(), name: z.string(), username: z.string() })),
});
type Kept = z.infer<typeof Kept>;
const keptKey = 'orgStructure';

export interface StructureDeps {
  store: Store;
  user(): SessionUser | null;
  client(): ServerClient | undefined;
  accessToken(): Promise<string>;
  online(): boolean;
  /** After a change: the screens that read the structure (Disposisi, Delegasi) read it again. */
  changed(): void;
  now?: () => Date;
}

export function structureHandlers(deps: StructureDeps): Pick<Handlers, StructureChannels> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  function kept(): Kept | undefined {
    const value = Kept.safeParse(store.sync.getMeta<unknown>(keptKey));
    return value.success ? value.data : undefined;
  }

  const isAdmin = (user: SessionUser | null) => user !== null && user.roles.includes('admin_kantor');

  function view(): StructureView {
    const user = deps.user();
    const k = kept();
    const base = { canManage: isAdmin(user), online: deps.online(), shippedInstructions: [...dispositionInstructions] };
    if (!k || (user?.officeId && k.officeId !== user.officeId)) {
      return { ...base, fetchedAt: null, positions: [], units: [], people: [], routes: store.org.routes(), instructions: store.org.instructions() };
    }
    const at = now().toISOString();
    const positions = k.org.positions.filter((p) => p.officeId === k.officeId).map((p) => {
      const history = k.org.holdings.filter((h) => h.positionId === p.id).sort((a, b) => a.startsAt.localeCompare(b.startsAt))
        .map((h) => ({ userId: h.userId, name: h.fullName, capacity: h.capacity, startsAt: h.startsAt, endsAt: h.endsAt }));
      const current = history.find((h) => h.capacity === 'definitive' && h.startsAt <= at && (h.endsAt === null || h.endsAt > at));
      return { id: p.id, title: p.title, level: p.level, parentId: p.parentId, unitId: p.unitId, holder: current ? { userId: current.userId, name: current.name } : null, history };
    });
    return {
      ...base, fetchedAt: k.fetchedAt, positions,
      units: k.org.units.filter((u) => u.officeId === k.officeId).map((u) => ({ id: u.id, name: u.name })),
      people: k.people, routes: k.org.routes, instructions: k.org.instructions ?? [...dispositionInstructions],
    };
  }

  /** The server's client and a token, or why there is none now. */
  async function server(): Promise<{ client: ServerClient; token: string; officeId: string; admin: boolean }> {
    const user = deps.user();
    if (!user?.officeId) throw new AppError('STRUCTURE_ADMIN_ONLY');
    let client: ServerClient | undefined;
    try { client = deps.client(); } catch (err) { throw err instanceof ServerError ? fromServerError(err) : err; }
    if (!client) throw new AppError('AUTH_NO_SERVER');
    if (!deps.online()) throw new AppError('STRUCTURE_OFFLINE');
    return { client, token: await deps.accessToken(), officeId: user.officeId, admin: isAdmin(user) };
  }

  /** A failure talking to the server: away → "needs the server, your input stays"; a refusal → the server's own reason. */
  function failure(err: unknown): never {
    if (err instanceof ServerError) throw err.transient ? new AppError('STRUCTURE_OFFLINE', undefined, { serverCode: err.code }) : fromServerError(err);
    throw err;
  }

  async function fetchAndKeep(): Promise<void> {
    const { client, token, officeId, admin } = await server();
    try {
      const [org, users] = await Promise.all([
        client.json('GET', '/org', OrgReply, { token, timeoutMs: 10_000 }),
        admin ? client.json('GET', `/admin/users?officeId=${encodeURIComponent(officeId)}`, UserListReply, { token, timeoutMs: 10_000 }) : Promise.resolve({ users: [] }),
      ]);
      const people = users.users.filter((u) => u.active).map((u) => ({ userId: u.id, name: u.fullName, username: u.username }))
        .sort((a, b) => a.name.localeCompare(b.name, 'id'));
      store.org.replace(officeId, org);
      store.sync.setMeta(keptKey, { officeId, fetchedAt: now().toISOString(), org, people } satisfies Kept);
    } catch (err) {
      failure(err);
    }
  }

  /** One change at the server by the admin kantor, then the structure read again. */
  async function change(send: (c: { client: ServerClient; token: string; officeId: string }) => Promise<unknown>): Promise<StructureView> {
    const s = await server();
    if (!s.admin) throw new AppError('STRUCTURE_ADMIN_ONLY');
    try {
      await send(s);
    } catch (err) {
      failure(err);
    }
    // The change is made; should reading it back fail, the next sync round or "Muat ulang" brings it.
    await fetchAndKeep().catch(() => undefined);
    deps.changed();
    return view();
  }

  /** A request answered with no body (204). */
  async function noContent(c: { client: ServerClient; token: string }, method: string, path: string, json: unknown): Promise<void> {
    const reply = await c.client.raw(method, path, { token: c.token, json, timeoutMs: 10_000 });
    if (reply.status >= 400) throw refusalOf(reply);
  }

  const known = (positionId: string) => {
    if (!view().positions.some((p) => p.id === positionId)) throw new AppError('VALIDATION', 'Jabatan ini tidak ada lagi dalam struktur; muat ulang layar lalu coba lagi.', { field: 'positionId' });
  };

  return {
    'structure.view': () => view(),
    'structure.refresh': async () => {
      try {
        await fetchAndKeep();
      } catch (err) {
        // Offline or refused: the screen shows what is kept, and says so through `online`.
        if (!(err instanceof AppError) || err.code !== 'STRUCTURE_OFFLINE') throw err;
      }
      return view();
    },
    'structure.position.create': (r) => change((c) => c.client.json('POST', '/admin/positions', PositionReply, {
      token: c.token, timeoutMs: 10_000, json: { officeId: c.officeId, unitId: r.unitId, parentId: r.parentId, title: r.title, level: r.level },
    })),
    'structure.position.update': async (r) => {
      known(r.positionId);
      const { positionId, ...changes } = r;
      return change((c) => c.client.json('PATCH', `/admin/positions/${encodeURIComponent(positionId)}`, PositionReply, { token: c.token, timeoutMs: 10_000, json: changes }));
    },
    'structure.position.retire': async ({ positionId }) => {
      known(positionId);
      return change((c) => noContent(c, 'POST', `/admin/positions/${encodeURIComponent(positionId)}/retire`, {}));
    },
    'structure.holder.assign': async ({ positionId, userId }) => {
      known(positionId);
      return change((c) => noContent(c, 'PUT', `/admin/positions/${encodeURIComponent(positionId)}/holder`, { userId }));
    },
    'structure.routes.save': ({ routes }) => change((c) => c.client.json('PUT', `/admin/offices/${encodeURIComponent(c.officeId)}/disposition-routes`, z.unknown(), {
      token: c.token, timeoutMs: 10_000, json: { routes },
    })),
    'structure.instructions.save': ({ instructions }) => change((c) => c.client.json('PUT', `/admin/offices/${encodeURIComponent(c.officeId)}/disposition-instructions`, z.unknown(), {
      token: c.token, timeoutMs: 10_000, json: { instructions: instructions.map((i) => i.trim()) },
    })),
  };
}

export function structureCapability(desk: Desk): Capability {
  return {
    handlers: structureHandlers({
      store: desk.store, user: () => desk.sync.session.user(), client: () => desk.sync.client(), accessToken: () => desk.sync.auth.accessToken(),
      online: () => desk.online(), changed: () => desk.bus.emit('sync.changed', desk.sync.engine.status()),
    }),
  };
}
