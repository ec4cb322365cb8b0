// The desk's side of the central server, put together: which server (Pengaturan, else the embedded
// default of `npm start`), one HTTPS client per server, sign-in, the sync engine, and their IPC
// handlers and events. core.ts builds this once and spreads `handlers`.
import { join } from 'node:path';
import type { EventBus } from '../app/events.ts';
import type { Logger } from '../../common/logger.ts';
import type { Settings } from '../../common/ipc/app.ts';
import type { ServerCa } from '../../common/ipc/sync.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Store } from '../store/store.ts';
import { createBlobStore } from '../documents/blob-store.ts';
import { authHandlers } from '../auth/handlers.ts';
import { fileKeychain, type Keychain } from '../auth/keychain.ts';
import { createAuthService, type AuthService } from '../auth/service.ts';
import { createSessionState, type SessionState } from '../auth/session.ts';
import { createSyncEngine, type SyncEngine } from './engine.ts';
import { syncHandlers } from './handlers.ts';
import { serverNumberBlocks, type NumberBlockSource } from '../letters/numbering/number-blocks.ts';
import { createServerClient, type ServerClient, type ServerEndpoint } from '../remote/client.ts';
import { createServerCaStore, type ServerCaStore } from './server-ca.ts';
import type { Capability, Desk } from '../app/desk.ts';

export type { ServerEndpoint };

export interface DeskSyncOptions {
  dataDir: string;
  store: Store;
  bus: EventBus;
  log: Logger;
  settings: () => Settings;
  defaultServer?: ServerEndpoint;
  serverCaFile?: string;
  allowPlainLoopback: boolean;
  /** Electron passes one sealed by safeStorage; otherwise a 0600 file in the data folder. */
  keychain?: Keychain;
  /** After each sync round (see SyncEngineOptions.onRound). */
  onRound?: (reachedServer: boolean) => void;
}

export interface DeskSync {
  readonly session: SessionState;
  readonly auth: AuthService;
  readonly engine: SyncEngine;
  /** The configured server's client (see client() below), for capabilities that call the server themselves. */
  readonly client: () => ServerClient | undefined;
  /** For the letters capability: new blocks of agenda numbers from the server. */
  readonly numberBlocks: NumberBlockSource;
  readonly handlers: Pick<Handlers, 'auth.session' | 'auth.login' | 'auth.logout' | 'sync.status' | 'sync.now' | 'sync.queue' | 'sync.retry' | 'sync.discard' | 'sync.edit' | 'sync.serverCa' | 'sync.serverCa.set' | 'sync.serverCa.clear'>;
  readonly serverCa: ServerCaStore;
  /** The server in use, '' when none. */
  serverUrl(): string;
  /** Whether the server answers /health (for the connectivity monitor; TLS is checked as for any call). */
  probe(url: string): Promise<boolean>;
  close(): Promise<void>;
}

export function createDeskSync(o: DeskSyncOptions): DeskSync {
  const log = o.log.child({ part: 'sync' });
  const session = createSessionState();
  const keychain = o.keychain ?? fileKeychain(join(o.dataDir, 'keychain.json'));
  const serverCa = createServerCaStore({ dataDir: o.dataDir, optionFile: o.serverCaFile });
  let cached: { key: string; client: ServerClient } | undefined;

  function endpoint(): ServerEndpoint | undefined {
    const url = o.settings().serverUrl;
    if (url !== '') return { url, caFile: serverCa.file() };
    return o.defaultServer;
  }

  /** The configured server's client; undefined when none is configured; throws ServerError when it is not usable (http://, CA unreadable). */
  function client(): ServerClient | undefined {
    const e = endpoint();
    const key = e ? `${e.url}\u0000${e.caFile ?? ''}\u0000${serverCa.version()}` : '';
    if (cached?.key === key) return cached.client;
    cached?.client.close();
    cached = undefined;
    if (!e) return undefined;
    cached = { key, client: createServerClient(e, { allowPlainLoopback: o.allowPlainLoopback }) };
    return cached.client;
  }

  const auth = createAuthService({ store: o.store, session, keychain, client, deskName: () => o.settings().deskName, log });
  const engine = createSyncEngine({
    store: o.store,
    blobs: createBlobStore(join(o.dataDir, 'documents'), { log }),
    downloadsDir: join(o.dataDir, 'downloads'),
    auth, session, client, log,
    onStatus: (status) => o.bus.emit('sync.changed', status),
    onSettingsChanged: () => o.bus.emit('settings.changed', o.store.settings.get()),
    onRound: (reached) => {
      // A round changes what the Beranda shows: changes sent, and how far the activity log is stored on the server.
      o.bus.emit('dashboard.changed', {});
      o.onRound?.(reached);
    },
  });
  session.onChange((s) => {
    o.bus.emit('auth.changed', s);
    o.bus.emit('sync.changed', engine.status());
  });
  const actor = () => session.user()?.id ?? `meja:${o.settings().deskName}`;
  /** A new CA is tried at once: the round's outcome (and the header's Daring/Luring after it) says whether the server is trusted now. */
  function caChanged(change: 'set' | 'cleared', described: ServerCa): ServerCa {
    o.store.audit.append({ actor: actor(), action: `settings.server_ca_${change}`, entity: 'settings', entityId: 'serverCa', details: { fingerprints: described.certificates.map((c) => c.fingerprint) } });
    void engine.syncNow();
    return described;
  }

  return {
    session,
    auth,
    engine,
    client,
    numberBlocks: serverNumberBlocks({ client, auth }),
    handlers: {
      ...authHandlers({ auth, session, afterLogin: () => void engine.syncNow() }),
      ...syncHandlers({ store: o.store, engine, actor, changed: () => { o.bus.emit('sync.changed', engine.status()); o.bus.emit('dashboard.changed', {}); } }),
      'sync.serverCa': () => serverCa.describe(),
      'sync.serverCa.set': ({ contentBase64 }) => caChanged('set', serverCa.set(Buffer.from(contentBase64, 'base64'))),
      'sync.serverCa.clear': () => caChanged('cleared', serverCa.clear()),
    },
    serverCa,
    serverUrl: () => endpoint()?.url ?? '',
    async probe() {
      try {
        const c = client();
        if (!c) return false;
        const reply = await c.raw('GET', '/health', { timeoutMs: 3_000 });
        return reply.status === 200;
      } catch {
        return false;
      }
    },
    async close() {
      await engine.stop();
      cached?.client.close();
    },
  };
}

/** Sign-in and Antrian Sinkron; the desk's sync itself is built by the composition root, as others need it. */
export function syncCapability(desk: Desk): Capability {
  return { handlers: desk.sync.handlers };
}
