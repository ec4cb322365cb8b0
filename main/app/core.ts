// The composition root: takes the data folder's lock, opens the local store, starts the device
// worker, the server connection and the connectivity monitor, hands these to every capability
// (capabilities.ts) and routes the IPC contract to what they contribute. Both shells (Electron and
// the browser host) call createCore and differ only in how calls and events reach the renderer.
// A data file found damaged at start is not used: the desk then answers only what the recovery
// screen needs until the admin restores the last copy or starts afresh from the server, and then
// starts again in place. Only the admin kantor may recover (main/auth/recovery-admin.ts says how a
// desk that could not start, where nobody can sign in, checks that).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../common/ipc/app.ts';
import { channels, type Channel, type EventName, type RequestOf } from '../../common/ipc/index.ts';
import { SettingsSchema } from '../../common/ipc/app.ts';
import type { StorageStatus } from '../../common/ipc/storage.ts';
import { AppError } from '../../common/errors.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { createRouter, type Handlers, type Router } from '../ipc/router.ts';
import { openStore } from '../store/store.ts';
import { listBackups, restoreBackup, salvage, setAside, truncatedDataFile, type Salvage } from '../store/health.ts';
import { DeviceWorkerHost, forkSpawner, type WorkerSpawner } from '../devices/host.ts';
import { createConnectivityMonitor } from '../sync/connectivity.ts';
import { createDeskSync, type ServerEndpoint } from '../sync/desk-sync.ts';
import { createServerCaStore } from '../sync/server-ca.ts';
import { checkRecoveryAdmin, mayRecover } from '../auth/recovery-admin.ts';
import type { SessionUser } from '../auth/session.ts';
import { fileKeychain, type Keychain } from '../auth/keychain.ts';
import { keychainAuditKeys } from '../audit/key.ts';
import { createOcrService } from '../documents/ocr/ocr.ts';
import { createTransfers } from '../documents/transfers.ts';
import { capabilities } from './capabilities.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { assembleHandlers, type Desk, type DevelopmentAids } from './desk.ts';
import { createEventBus, type EventBus, type EventListener } from './events.ts';
import { backupsDirOf, createStorageKeeper, type StorageKeeper } from './storage.ts';

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
  /** The server the desk works with (Pengaturan's, else the embedded default); '' when standalone or not running. */
  serverUrl(): string;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Resolves once the data file's background check (and the day's copy) is done; for tests. */
  storageChecked(): Promise<void>;
  close(): Promise<void>;
}

type StorageRecovery = RequestOf<'storage.recover'>;

/** One run of the desk on one data file; recovery closes it and starts another. */
interface RunningDesk {
  readonly router: Router;
  serverUrl(): string;
  signedIn(): SessionUser | undefined;
  close(): Promise<void>;
}

interface Shared {
  options: CoreOptions;
  log: Logger;
  bus: EventBus;
  dataFile: string;
  keeper: StorageKeeper;
  storage: Desk['storage'];
}

async function startDesk(shared: Shared, seed?: Salvage): Promise<RunningDesk> {
  const { options, log, bus, dataFile, keeper } = shared;
  if (truncatedDataFile(dataFile, options.dataDir)) {
    log.error('store: the data file is empty in a folder a desk has used', { dataFile });
    throw new AppError('STORAGE_CORRUPT', undefined, { reason: 'empty' });
  }
  const keychain = options.keychain ?? fileKeychain(join(options.dataDir, 'keychain.json'));
  // The audit key is sealed by the same keychain as the refresh tokens, apart from the database.
  const store = openStore(dataFile, { log, auditKeys: keychainAuditKeys(keychain) });
  if (seed) carryOver(store, seed, log);

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
    storage: shared.storage,
    aids: options.aids,
    keychain: options.keychain,
    actor: () => sync.session.user()?.id ?? `meja:${store.settings.get().deskName}`,
    online: () => connectivity.current().state === 'online',
    syncSoon: () => void sync.engine.syncNow(),
  };
  const parts = capabilities.map((capability) => capability(desk));
  await keeper.running(store);

  return {
    router: createRouter(assembleHandlers(parts), log.child({ part: 'ipc' })),
    serverUrl: () => sync.serverUrl(),
    signedIn: () => sync.session.user() ?? undefined,
    async close() {
      keeper.stopped();
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

/** A fresh store filled from the server keeps what could be read of the damaged one: its settings and its identity towards the server. */
function carryOver(store: ReturnType<typeof openStore>, seed: Salvage, log: Logger): void {
  const settings: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(seed.settings)) {
    if (!Object.hasOwn(SettingsSchema.shape, key)) continue;
    try {
      const parsed = SettingsSchema.shape[key as keyof typeof SettingsSchema.shape].safeParse(JSON.parse(raw));
      if (parsed.success) settings[key] = parsed.data;
    } catch {
      log.warn('storage: a setting of the damaged file could not be read', { key });
    }
  }
  store.transaction(() => {
    store.settings.update(settings, 'system:pemulihan');
    if (seed.deviceId) store.sync.setMeta('deviceId', seed.deviceId);
  });
}

/** What a desk waiting for recovery answers: its identity and the storage channels; every other channel says why it cannot. */
function recoveryHandlers(info: () => Pick<AppInfo, 'version' | 'shell' | 'dataDir'>, storage: Desk['storage']): Handlers {
  const refuse = () => { throw new AppError('STORAGE_CORRUPT'); };
  const handlers = Object.fromEntries(Object.keys(channels).map((c) => [c, refuse])) as unknown as Record<Channel, unknown>;
  handlers['app.info'] = info;
  handlers['storage.status'] = () => storage.status();
  handlers['storage.recover'] = (request: StorageRecovery) => storage.recover(request);
  return handlers as Handlers;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? createLogger();
  mkdirSync(options.dataDir, { recursive: true });
  const lock = lockDataFolder(options.dataDir, log);
  const bus = createEventBus(log);
  const dataFile = join(options.dataDir, 'loket.db');
  const backupsDir = backupsDirOf(options.dataDir);
  let running: RunningDesk | undefined;

  /** The server of a desk that could not start: the one the damaged file names, else the embedded default. */
  const serverOfDamagedFile = (seed: Salvage): ServerEndpoint | undefined => {
    const named = seed.settings.serverUrl;
    const url = named === undefined ? '' : (JSON.parse(named) as unknown);
    if (typeof url === 'string' && url !== '') return { url, caFile: createServerCaStore({ dataDir: options.dataDir, optionFile: options.serverCaFile }).file() };
    return options.defaultServer;
  };
  /** A server is known: to start afresh from, and the accounts and roles that make recovery the admin kantor's. */
  const hasServer = () => (running ? running.serverUrl() !== '' : serverOfDamagedFile(salvage(dataFile)) !== undefined);
  const keeper = createStorageKeeper({ dataFile, backupsDir, bus, log: log.child({ part: 'storage' }), canResync: hasServer });

  /** Who asks for the recovery, when it is theirs to ask: STORAGE_ADMIN_REQUIRED (or the sign-in's refusal) otherwise. */
  async function recoveringAdmin(request: StorageRecovery): Promise<string> {
    if (running) {
      const user = running.signedIn();
      if (running.serverUrl() === '' && !user) return `meja:${options.dataDir}`;
      if (!mayRecover(user)) throw new AppError('STORAGE_ADMIN_REQUIRED', undefined, { roles: user?.roles ?? [] });
      return user!.username;
    }
    const seed = salvage(dataFile);
    const endpoint = serverOfDamagedFile(seed);
    if (!endpoint) return `meja:${options.dataDir}`;
    if (!request.admin) throw new AppError('STORAGE_ADMIN_REQUIRED');
    const deskName = seed.settings.deskName === undefined ? '' : JSON.parse(seed.settings.deskName) as unknown;
    const user = await checkRecoveryAdmin(request.admin, {
      endpoint, allowPlainLoopback: options.allowPlainLoopback ?? false, deviceId: seed.deviceId, deskName: typeof deskName === 'string' ? deskName : '',
      // The damaged file's own sign-ins first (the freshest), then its copies', newest first.
      accounts: async () => [...seed.accounts, ...(await listBackups(backupsDir)).flatMap((b) => salvage(join(backupsDir, b.id)).accounts)],
    });
    return user.username;
  }

  /** Sets the damaged file aside and starts the desk again on the copy chosen, or afresh from the server. */
  async function replaceDataFile(request: StorageRecovery): Promise<StorageStatus> {
    try {
      const seed = request.action === 'resync' ? salvage(dataFile) : undefined;
      await running?.close();
      running = undefined;
      const at = new Date();
      const keptIn = await setAside(dataFile, options.dataDir, at);
      log.warn('storage: damaged data file set aside', { keptIn, action: request.action });
      if (request.action === 'restore') await restoreBackup(backupsDir, request.backupId, dataFile);
      running = await startDesk(shared, seed);
      return keeper.status();
    } catch (err) {
      log.error('storage: recovery failed', { err });
      if (!running) await keeper.damagedAtStart({ kind: 'quick-check', problems: [err instanceof Error ? err.message : String(err)] });
      throw new AppError('STORAGE_RECOVERY_FAILED', undefined, undefined, { cause: err });
    }
  }

  let recovering = false;
  async function recover(request: StorageRecovery): Promise<StorageStatus> {
    if (recovering) throw new AppError('VALIDATION', 'Pemulihan data sedang berjalan. Tunggu sampai selesai.');
    if (keeper.status().state !== 'damaged') throw new AppError('VALIDATION', 'Berkas data meja ini tidak rusak, jadi tidak ada yang dipulihkan.');
    recovering = true;
    try {
      const by = await recoveringAdmin(request);
      log.warn('storage: recovery asked', { by, action: request.action });
      return await replaceDataFile(request);
    } finally {
      recovering = false;
    }
  }

  const storage: Desk['storage'] = { status: () => keeper.status(), recover };
  const shared: Shared = { options, log, bus, dataFile, keeper, storage };
  try {
    running = await startDesk(shared);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'STORAGE_CORRUPT')) {
      lock.release();
      throw err;
    }
    log.error('desk: data file damaged; waiting for recovery', { details: err.details });
    await keeper.damagedAtStart(err.details?.reason === 'empty' ? { kind: 'empty' } : { kind: 'quick-check', problems: (err.details?.check as string[] | undefined) ?? [] });
  }
  const recovery = createRouter(recoveryHandlers(() => ({ version: options.version, shell: options.shell, dataDir: options.dataDir }), storage), log.child({ part: 'ipc' }));
  const current = () => running?.router ?? recovery;

  return {
    router: {
      dispatch: (channel, payload, ctx) => current().dispatch(channel, payload, ctx),
      call: (channel, payload, ctx) => current().call(channel, payload, ctx),
    },
    serverUrl: () => running?.serverUrl() ?? '',
    onEvent: (listener: EventListener) => bus.subscribe(listener),
    storageChecked: () => keeper.idle(),
    async close() {
      await running?.close();
      running = undefined;
      lock.release();
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
