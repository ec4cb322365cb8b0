// The composition root: opens the local store, starts the device worker and the connectivity
// monitor, and wires the IPC handlers. Both shells (Electron and the browser host) call createCore
// and differ only in how calls and events reach the renderer.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../common/ipc/app.ts';
import type { EventName } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../ipc/router.ts';
import { openStore, type Store } from '../store/store.ts';
import { DeviceWorkerHost, forkSpawner, type WorkerSpawner } from '../devices/host.ts';
import { createConnectivityMonitor } from '../sync/connectivity.ts';
import { createDeskSync, type ServerEndpoint } from '../sync/desk-sync.ts';
import type { Keychain } from '../auth/keychain.ts';
import { createScanning } from '../scan/scanning.ts';
import { createOcrService } from '../documents/ocr/ocr.ts';
import { letterHandlers } from '../letters/incoming/handlers.ts';
import { mayChangeAgendaSettings } from '../letters/numbering/agenda-settings.ts';
import { outgoingHandlers } from '../letters/outgoing/outgoing.ts';
import { externalHandlers } from '../letters/delivery/external.ts';
import { deliveryHandlers } from '../letters/delivery/deliveries.ts';
import { createBlobStore } from '../documents/blob-store.ts';
import { signingHandlers, type DemoTokens } from '../sign/handlers.ts';
import { createEventBus, type EventListener } from './events.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { localDate } from '../../common/dates.ts';

/**
 * What `npm start` adds so Loket can be tried without hardware (dev/desk-aids.ts): SANE's test
 * backend as "Pemindai uji (demo)" and the SoftHSM demo token. A release is started without them.
 */
export interface DevelopmentAids {
  /** The device worker's environment: the private SANE and SoftHSM2 configurations under the data folder. */
  deviceEnv(dataDir: string): NodeJS.ProcessEnv;
  demoTokens: DemoTokens;
}

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
  /** Where refresh tokens are kept (Electron: safeStorage); default a 0600 file in dataDir. */
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
  const store = openStore(join(options.dataDir, 'loket.db'), { log });
  const bus = createEventBus(log);

  const devices = new DeviceWorkerHost({ spawner: options.spawnWorker ?? forkSpawner, log: log.child({ part: 'devices' }), env: options.aids?.deviceEnv(options.dataDir) ?? {} });
  devices.onStatus((status) => bus.emit('devices.changed', status));
  await devices.start();

  const sync = createDeskSync({
    dataDir: options.dataDir, store, bus, log, settings: () => store.settings.get(), ...pickServerOptions(options),
    // A sync round is the freshest word on the server: the header's Daring/Luring follows it.
    onRound: () => void connectivity.checkNow(),
  });
  const connectivity = createConnectivityMonitor({
    serverUrl: () => sync.serverUrl(),
    probe: sync.probe,
    onChange: (state) => {
      bus.emit('connectivity.changed', state);
      if (state.state === 'online') void sync.engine.syncNow();
    },
  });

  // The signed-in person acts; on a standalone desk (no server, no accounts) the desk itself does.
  const actor = () => sync.session.user()?.id ?? `meja:${store.settings.get().deskName}`;

  // Surat masuk: OCR runs in its own worker thread, started on first use.
  const ocr = createOcrService({ log: log.child({ part: 'ocr' }) });
  const letterServer = { url: () => sync.serverUrl(), online: () => connectivity.current().state === 'online', user: () => sync.session.user(), numberBlocks: sync.numberBlocks };
  const letters = letterHandlers({ store, documentsDir: join(options.dataDir, 'documents'), ocr, bus, actor, log: log.child({ part: 'letters' }), server: letterServer });
  const deliveries = deliveryHandlers({
    store, blobs: createBlobStore(join(options.dataDir, 'documents'), { log }), partialDir: join(options.dataDir, 'downloads'),
    server: { url: () => sync.serverUrl(), client: sync.client, online: () => connectivity.current().state === 'online', accessToken: () => sync.auth.accessToken(), user: () => sync.session.user() },
    bus, actor, log: log.child({ part: 'deliveries' }), syncSoon: () => void sync.engine.syncNow(),
  });
  const signing = signingHandlers({ store, devices, bus, dataDir: options.dataDir, user: () => sync.session.user(), server: () => sync.serverUrl(), actor, log: log.child({ part: 'sign' }), ...(options.aids ? { demoTokens: options.aids.demoTokens } : {}) });

  // The office admin's settings (agenda format, network scanners) are the admin's on a desk with a server.
  const scanning = createScanning({ dataDir: options.dataDir, documentsDir: join(options.dataDir, 'documents'), devices, store, bus, actor, mayAdminister: () => mayChangeAgendaSettings(letterServer), log: log.child({ part: 'scan' }) });

  const handlers: Handlers = {
    'app.info': () => ({ version: options.version, shell: options.shell, dataDir: options.dataDir }),
    'dashboard.get': () => store.dashboard(localDate(new Date())),
    'settings.get': () => store.settings.get(),
    'settings.update': (patch) => {
      const settings = store.settings.update(patch, actor());
      bus.emit('settings.changed', settings);
      bus.emit('dashboard.changed', {});
      if (patch.serverUrl !== undefined) void connectivity.checkNow();
      return settings;
    },
    'connectivity.get': () => connectivity.current(),
    'devices.status': () => devices.status(),
    ...scanning.handlers,
    ...sync.handlers,
    ...letters,
    ...deliveries,
    ...outgoingHandlers({ store }),
    ...externalHandlers({ store, bus, actor, syncSoon: () => void sync.engine.syncNow() }),
    ...signing,
  };

  return {
    router: createRouter(handlers, log.child({ part: 'ipc' })),
    store,
    serverUrl: () => sync.serverUrl(),
    onEvent: (listener: EventListener) => bus.subscribe(listener),
    async close() {
      connectivity.stop();
      await sync.close();
      await ocr.close();
      await scanning.close();
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
    ...(o.keychain ? { keychain: o.keychain } : {}),
  };
}
