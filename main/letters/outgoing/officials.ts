// The signing officials (pejabat penandatangan) an outgoing letter may be addressed to: the office's
// users with the signer role as the server lists them (GET /org/officials), kept on the desk so the
// list shows, and an import is checked, while the server cannot be reached. A desk without a server
// has no accounts: there the official is named as typed and whoever holds the token signs.
// Everything that needs "who may sign this office's letters" asks this module only, so the source can
// become the organisation's positions without touching its callers.
import { z } from 'zod';
import { AppError } from '../../../common/errors.ts';
import type { Logger } from '../../../common/logger.ts';
import type { OfficialsView, SigningOfficial } from '../../../common/ipc/outgoing.ts';
import { OfficialsReply } from '../../../common/protocol/org.ts';
import type { Store } from '../../store/store.ts';
import type { SessionUser } from '../../auth/session.ts';
import type { ServerClient } from '../../remote/client.ts';

const officialsKey = 'org.officials';
const KeptOfficials = z.object({ officials: OfficialsReply.shape.officials, fetchedAt: z.string() });
type KeptOfficials = z.infer<typeof KeptOfficials>;

export interface OfficialsServer {
  /** The server in use; '' for a desk without one. */
  url(): string;
  /** Its client; undefined when none is configured; may throw when configured but unusable. */
  client(): ServerClient | undefined;
  /** The connectivity monitor last found the server reachable (no waiting on a dead network). */
  online(): boolean;
  accessToken(): Promise<string>;
  user(): SessionUser | null;
}

export interface SigningOfficials {
  /** The office's officials, refreshed from the server when it answers, else as kept on this desk. */
  list(): Promise<OfficialsView>;
  /**
   * The signer to write on a letter: the official's id, checked against the list; on a desk without
   * a server, the name as typed. Throws SIGNER_UNKNOWN for anyone else, so no letter waits for nobody.
   */
  resolve(signer: string): Promise<string>;
  /** The official's name for a signer written on a letter (the value itself when it is not an id in the list). */
  nameOf(signer: string | null): string | null;
}

/** A desk with no server behind it: no list to keep, the official is named as typed. */
export const standaloneServer: OfficialsServer = {
  url: () => '', client: () => undefined, online: () => false, accessToken: () => Promise.reject(new AppError('AUTH_NO_SERVER')), user: () => null,
};

export function signingOfficials(deps: { store: Store; server: OfficialsServer; log: Logger; now?: () => Date }): SigningOfficials {
  const { store, server, log } = deps;
  const now = deps.now ?? (() => new Date());

  function kept(): KeptOfficials | undefined {
    const value = KeptOfficials.safeParse(store.sync.getMeta<unknown>(officialsKey));
    return value.success ? value.data : undefined;
  }

  async function fresh(): Promise<KeptOfficials | undefined> {
    let client;
    try { client = server.client(); } catch { client = undefined; }
    if (client === undefined || server.user() === null || !server.online()) return kept();
    try {
      const reply = await client.json('GET', '/org/officials', OfficialsReply, { token: await server.accessToken(), timeoutMs: 5_000 });
      const value = { officials: reply.officials, fetchedAt: now().toISOString() };
      store.sync.setMeta(officialsKey, value);
      return value;
    } catch (err) {
      log.info('officials: list not refreshed, using the one kept on this desk', { code: (err as { code?: unknown }).code });
      return kept();
    }
  }

  const list: SigningOfficials['list'] = async () => {
    if (server.url() === '') return { accounts: false, officials: [], fetchedAt: null };
    const value = await fresh();
    return { accounts: true, officials: value?.officials ?? [], fetchedAt: value?.fetchedAt ?? null };
  };

  return {
    list,
    async resolve(signer) {
      const view = await list();
      if (!view.accounts) return signer.trim();
      const found: SigningOfficial | undefined = view.officials.find((o) => o.id === signer);
      if (found !== undefined) return found.id;
      if (view.fetchedAt === null) {
        throw new AppError('SIGNER_UNKNOWN', 'Daftar pejabat penandatangan kantor ini belum pernah diambil dari server, jadi surat belum dapat ditujukan kepada pejabat. Sambungkan meja ke server lalu coba lagi; tidak ada yang berubah.', { signer });
      }
      throw new AppError('SIGNER_UNKNOWN', undefined, { signer });
    },
    nameOf(signer) {
      if (signer === null) return null;
      return kept()?.officials.find((o) => o.id === signer)?.name ?? signer;
    },
  };
}
