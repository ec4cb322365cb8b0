// What the composition root hands every capability (the desk's shared services), and what a
// capability hands back (its IPC handlers and what to stop on close). A capability is a function
// from the one to the other, listed once in capabilities.ts.
import type { AppInfo } from '../../common/ipc/app.ts';
import type { Keychain } from '../auth/keychain.ts';
import type { StorageStatus } from '../../common/ipc/storage.ts';
import { channels, type Channel } from '../../common/ipc/index.ts';
import type { Logger } from '../../common/logger.ts';
import type { DeviceWorkerHost } from '../devices/host.ts';
import type { OcrService } from '../documents/ocr/ocr.ts';
import type { Transfers } from '../documents/transfers.ts';
import type { Handlers } from '../ipc/router.ts';
import type { DemoTokens } from '../sign/handlers.ts';
import type { Store } from '../store/store.ts';
import type { ConnectivityMonitor } from '../sync/connectivity.ts';
import type { DeskSync } from '../sync/desk-sync.ts';
import type { EventBus } from './events.ts';

/**
 * What `npm start` adds so Loket can be tried without hardware (dev/desk-aids.ts): SANE's test
 * backend as "Pemindai uji (demo)" and the SoftHSM demo token. A release is started without them.
 */
export interface DevelopmentAids {
  /** The device worker's environment: the private SANE and SoftHSM2 configurations under the data folder. */
  deviceEnv(dataDir: string): NodeJS.ProcessEnv;
  demoTokens: DemoTokens;
}

export interface Desk {
  readonly app: Pick<AppInfo, 'version' | 'shell'>;
  readonly dataDir: string;
  /** The content-addressed document store (scans, imports, signed PDFs). */
  readonly documentsDir: string;
  readonly store: Store;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly devices: DeviceWorkerHost;
  /** The central server: which one, sign-in, the sync engine. */
  readonly sync: DeskSync;
  readonly connectivity: ConnectivityMonitor;
  /** OCR in its own worker thread, started on first use. */
  readonly ocr: OcrService;
  /** Files to and from the renderer, in pieces (documents.upload / documents.read). */
  readonly transfers: Transfers;
  /** Whether the data file can be trusted, and its recovery (which starts the desk again). */
  readonly storage: {
    status(): StorageStatus;
    recover(request: { action: 'restore'; backupId: string } | { action: 'resync' }): Promise<StorageStatus>;
  };
  readonly aids: DevelopmentAids | undefined;
  /** Where secrets are kept (Electron: safeStorage); undefined: a 0600 file in the data folder. */
  readonly keychain: Keychain | undefined;
  /** Who acts: the signed-in person, or the desk itself on a standalone desk (no server, no accounts). */
  actor(): string;
  /** The server answered the last check. */
  online(): boolean;
  /** Starts a sync round now (work just went into the outbox). */
  syncSoon(): void;
}

export interface Capability {
  readonly handlers: Partial<Handlers>;
  close?(): Promise<void>;
}

export type CapabilityFactory = (desk: Desk) => Capability;

/** The router's handlers from every capability's: each channel of the contract exactly once. */
export function assembleHandlers(parts: readonly Capability[]): Handlers {
  const handlers: Partial<Record<Channel, unknown>> = {};
  for (const part of parts) {
    for (const [channel, handler] of Object.entries(part.handlers) as [Channel, unknown][]) {
      if (handlers[channel] !== undefined) throw new Error(`two capabilities handle ${channel}`);
      handlers[channel] = handler;
    }
  }
  const missing = Object.keys(channels).filter((c) => handlers[c as Channel] === undefined);
  if (missing.length > 0) throw new Error(`no capability handles ${missing.join(', ')}`);
  return handlers as Handlers;
}
