// A desk that signs through a remote signing service (CSC or BSrE-style) for integration tests: the
// demo CA's token in SoftHSM (the services keep their keys there), TLS for the service, OpenSSL's
// TSA, real SQLite and blob store, the device worker, and the desk's signing channels behind the
// router — everything the remote-signing tests share, with the service under test started in it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { collectingLogger } from '../../common/logger.ts';
import { createEventBus } from '../../main/app/events.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createBlobStore, type BlobStore } from '../../main/documents/blob-store.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { createRouter, type Handlers } from '../../main/ipc/router.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { signingHandlers } from '../../main/sign/handlers.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { createNssTrustStore } from './pdfsig.ts';
import { createTestToken, type TestToken } from './softhsm.ts';
import { createTestTls, type TestTls } from './tls.ts';
import { startTimestampAuthority, type TimestampAuthority } from './trust-services.ts';

type Settings = Parameters<Store['settings']['update']>[0];

export interface RemoteSigningDesk<Service> {
  token: TestToken;
  tls: TestTls;
  tsa: TimestampAuthority;
  service: Service;
  /** What the desk logged: secrets must never appear in it. */
  log: ReturnType<typeof collectingLogger>;
  store: Store;
  blobs: BlobStore;
  /** A folder for the validators' scratch files. */
  work: string;
  /** An NSS database trusting the demo CA, for pdfsig. */
  nssDir: string;
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
  /** The reply's value; throws with the code and message when the channel refused. */
  ok<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Extract<InvokeResult<C>, { ok: true }>['value']>;
  /**
   * `count` one-page outgoing letters ready to sign, subjects `${prefix} 1…`; those whose index has
   * the parity `anchorOn` carry the template's signature anchor, the others get the default place.
   */
  readyLetters(prefix: string, count: number, options: { addressee: string; anchorOn: 'even' | 'odd' }): Promise<string[]>;
  statuses(ids: readonly string[]): string[];
  stop(): Promise<void>;
}

export interface RemoteSigningDeskOptions<Service extends { stop(): Promise<void> }> {
  startService(token: TestToken, tls: TestTls): Promise<Service>;
  /** The desk's settings naming the service and the TSA. */
  settings(service: Service, tsa: TimestampAuthority): Settings;
  /** The signing capability's environment beyond the CA that signs the services' TLS certificates. */
  env?: (token: TestToken) => NodeJS.ProcessEnv;
  /** The device worker's environment beyond its log level. */
  workerEnv?: (token: TestToken) => NodeJS.ProcessEnv;
}

export async function openRemoteSigningDesk<Service extends { stop(): Promise<void> }>(options: RemoteSigningDeskOptions<Service>): Promise<RemoteSigningDesk<Service>> {
  const log = collectingLogger();
  const token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  const tls = createTestTls();
  const work = join(token.dir, 'work');
  mkdirSync(work);
  const nssDir = createNssTrustStore(join(token.dir, 'nss'), token.ca.certPath);
  const service = await options.startService(token, tls);
  const tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
  const store = openStore(join(token.dir, 'loket.db'), { log });
  const blobs = createBlobStore(join(token.dir, 'documents'));
  const host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...options.workerEnv?.(token), LOKET_LOG_LEVEL: 'warn' } });
  await host.start();
  const env: NodeJS.ProcessEnv = { LOKET_SIGNING_CA: tls.trusted.caCert, ...options.env?.(token) };
  const router = createRouter(signingHandlers({
    store, devices: host, bus: createEventBus(log), dataDir: token.dir, user: () => null, actor: () => 'meja:uji', log, env,
    transfers: createTransfers(join(token.dir, 'transfers'), log),
  }) as Handlers, log);
  store.settings.update(options.settings(service, tsa), 'meja:uji');

  const call: RemoteSigningDesk<Service>['call'] = (channel, payload) => router.call(channel, payload, { origin: 'test' });
  return {
    token, tls, tsa, service, log, store, blobs, work, nssDir, call,
    async ok(channel, payload) {
      const result = await call(channel, payload);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
    async readyLetters(prefix, count, { addressee, anchorOn }) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const doc = await PDFDocument.create();
        const font = await doc.embedFont(StandardFonts.Helvetica);
        const page = doc.addPage([595, 842]);
        page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
        page.drawText(`Hal: ${prefix} ${i + 1}`, { x: 60, y: 720, size: 11, font });
        if (i % 2 === (anchorOn === 'even' ? 0 : 1)) page.drawText('${ttd_pengirim}', { x: 320, y: 200, size: 10, font });
        const subject = `${prefix} ${i + 1}`;
        ids.push((await importOutgoingForSigning(store, blobs, { bytes: await doc.save(), fileName: `${subject}.pdf`, subject, addressee, signer: 'budi' }, 'meja:umum')).id);
      }
      return ids;
    },
    statuses: (ids) => ids.map((id) => store.letters.get(id)!.status),
    async stop() {
      await host.stop();
      store.close();
      await service.stop();
      await tsa.stop();
      token.cleanup();
    },
  };
}
