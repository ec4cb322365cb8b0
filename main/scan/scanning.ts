// Scanning as core wires it: the page pipeline (its own worker thread), the desk's scan session
// and the Pindai screen's IPC handlers, over the device worker and the document store.
import { join } from 'node:path';
import type { EventBus } from '../app/events.ts';
import type { Logger } from '../../common/logger.ts';
import type { DeviceWorkerHost } from '../devices/host.ts';
import { createBlobStore } from '../documents/blob-store.ts';
import type { Store } from '../store/store.ts';
import type { Transfers } from '../documents/transfers.ts';
import { scanHandlers, scannerListReply, type ScanHandlers } from './handlers.ts';
import { createNetworkScanners } from './network-scanners.ts';
import { createPagePipeline } from './pipeline/pipeline.ts';
import { createScannerList } from './scanner-list.ts';
import { createScanDesk } from './session.ts';
import { mayChangeAgendaSettings } from '../letters/numbering/agenda-settings.ts';
import type { Capability, Desk } from '../app/desk.ts';

export interface ScanningDeps {
  dataDir: string;
  /** The desk's document folder (content-addressed blobs), shared with Surat Masuk. */
  documentsDir: string;
  devices: DeviceWorkerHost;
  store: Store;
  transfers: Transfers;
  bus: EventBus;
  actor(): string;
  /** Whether the person here may manage network scanners (an office admin, or anyone on a desk without a server). */
  mayAdminister(): boolean;
  log: Logger;
}

export function createScanning(deps: ScanningDeps): { handlers: ScanHandlers; close(): Promise<void> } {
  const { log } = deps;
  const pipeline = createPagePipeline({ log: log.child({ part: 'scan-pipeline' }) });
  const network = createNetworkScanners({ store: deps.store, actor: deps.actor, mayAdminister: deps.mayAdminister });
  const desk = createScanDesk({
    network,
    devices: deps.devices,
    pipeline,
    blobs: createBlobStore(deps.documentsDir, { log }),
    store: deps.store,
    pagesDir: join(deps.dataDir, 'scan-sessions'),
    emit: (name, payload) => deps.bus.emit(name, payload),
    actor: deps.actor,
    log,
  });
  const scanners = createScannerList({
    list: () => desk.listDevices(),
    onEvent: (listener) => deps.devices.onEvent(listener),
    changed: (view) => deps.bus.emit('scan.scanners.changed', scannerListReply(view, deps.store.scanProfiles.lastScanner())),
    log,
  });
  return {
    handlers: scanHandlers({ desk, store: deps.store, network, scanners, transfers: deps.transfers, actor: deps.actor }),
    async close() {
      await desk.cancel().catch(() => undefined);
      await desk.idle();
      await pipeline.close();
    },
  };
}

export function scanCapability(desk: Desk): Capability {
  // The office admin's settings (network scanners, as the agenda format) are the admin's on a desk with a server.
  const server = { url: () => desk.sync.serverUrl(), user: () => desk.sync.session.user() };
  return createScanning({
    dataDir: desk.dataDir, documentsDir: desk.documentsDir, devices: desk.devices, store: desk.store, transfers: desk.transfers, bus: desk.bus, actor: desk.actor,
    mayAdminister: () => mayChangeAgendaSettings(server), log: desk.log.child({ part: 'scan' }),
  });
}
