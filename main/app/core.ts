// The composition root: opens the local store, starts the device worker, the server connection and
// the connectivity monitor, hands these to every capability (capabilities.ts) and routes the IPC
// contract to what they contribute. Both shells (Electron and the browser host) call createCore and
// differ only in how calls and events reach the renderer.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../common/ipc/app.ts';
import type { EventName } from '../../common/ipc/index.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { createRouter, type Router } from '../ipc/router.ts';
import { openStore, type Store } from '../store/store.ts';
import { DeviceWorkerHost, forkSpawner, type WorkerSpawner } from '../devices/host.ts';
import { createConnectivityMonitor } from '../sync/connectivity.ts';
import { createDeskSync, type ServerEndpoint } from '../sync/desk-sync.ts';
import { fileKeychain, type Keychain } from '../auth/keychain.ts';
import { keychainAuditKeys } from '../audit/key.ts';
import { createOcrService } from '../documents/ocr/ocr.ts';
import { createTransfers } from '../documents/transfers.ts';
import { capabilities } from './capabilities.ts';
import { assembleHandlers, type Desk, type DevelopmentAids } from './desk.ts';
import { createEventBus, type EventListener } from './events.ts';

export interface CoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  spawnWorker?: WorkerSpawner;
  log?: Logger;
  /** The server used while Pengaturan names none (the embedded server of `npm start`). */
  defaultServer?: ServerEndpoint;
  /** The agency's CA bundle for a server named in Pengaturan (PEM); absent → the system's roots. */
  serverCaFile?: string;
  /** Development only: allow http:// to a loopback server. */
  allowPlainLoopback?: boolean;
  /** Where refresh tokens, signing services' client credentials and the audit key are kept (Electron: safeStorage); default a 0600 file in dataDir. */
  keychain?: Keychain;
  aids?: DevelopmentAids;
}

export interface Core {
  readonly router: Router;
  readonly store: Store;
  /** The server the desk works with (Pengaturan's, else the embedded default); '' when standalone. */
  serverUrl(): string;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? createLogger();
  mkdirSync(options.dataDir, { recursive: true });
  const keychain = options.keychain ?? fileKeychain(join(options.dataDir, 'keychain.json'));
  // The audit key is sealed by the same keychain as the refresh tokens, apart from the database.
  const store = openStore(join(options.dataDir, 'loket.db'), { log, auditKeys: keychainAuditKeys(keychain) });
  const bus = createEventBus(log);

  const devices = new DeviceWorkerHost({ spawner: options.spawnWorker ?? forkSpawner, log: log.child({ part: 'devices' }), env: options.aids?.deviceEnv(options.dataDir) ?? {} });
  devices.onStatus((status) => bus.emit('devices.changed', status));
  await devices.start();

  const sync = createDeskSync({
    dataDir: options.dataDir, store, bus, log, settings: () => store.settings.get(), keychain, ...pickServerOptions(options),
    // A sync round is the freshest word on the server: the header's Daring/Luring follows it.
    onRound: () => void connectivity.checkNow(),
  });
  const connectivity = createConnectivityMonitor({
    serverUrl: () => sync.serverUrl(),
    probe: sync.probe,
    onChange: (state) => {
      bus.emit('connectivity.changed', state);
      // Either way a round now: it sends what waits, or puts Antrian Sinkron in step with the header.
      if (state.state !== 'unconfigured') void sync.engine.syncNow();
    },
  });

  const desk: Desk = {
    app: { version: options.version, shell: options.shell },
    dataDir: options.dataDir,
    documentsDir: join(options.dataDir, 'documents'),
    store, bus, log, devices, sync, connectivity,
    ocr: createOcrService({ log: log.child({ part: 'ocr' }) }),
    transfers: createTransfers(join(options.dataDir, 'transfers'), log.child({ part: 'transfers' })),
    aids: options.aids,
    keychain: options.keychain,
    actor: () => sync.session.user()?.id ?? `meja:${store.settings.get().deskName}`,
    online: () => connectivity.current().state === 'online',
    syncSoon: () => void sync.engine.syncNow(),
  };
  const parts = capabilities.map((capability) => capability(desk));

  return {
    router: createRouter(assembleHandlers(parts), log.child({ part: 'ipc' })),
    store,
    serverUrl: () => sync.serverUrl(),
    onEvent: (listener: EventListener) => bus.subscribe(listener),
    async close() {
      connectivity.stop();
      await sync.close();
      await desk.ocr.close();
      for (const part of [...parts].reverse()) await part.close?.();
      await desk.transfers.close();
      await devices.stop();
      store.close();
    },
  };
}

function pickServerOptions(o: CoreOptions) {
  return {
    ...(o.defaultServer ? { defaultServer: o.defaultServer } : {}),
    ...(o.serverCaFile ? { serverCaFile: o.serverCaFile } : {}),
    allowPlainLoopback: o.allowPlainLoopback ?? false,
  };
}
