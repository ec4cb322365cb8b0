// A sync test desk's Surat Keluar and Tanda Tangan channels, as core.ts wires them, with the demo
// token (SoftHSM, key generated on it) under the desk's data directory: the front office imports an
// outgoing letter for the head of office, who signs it with the token as a person would.
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { demoTokenEnv, demoTokens } from '../../dev/token/demo-token.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { outgoingHandlers } from '../../main/letters/outgoing/outgoing.ts';
import { signingOfficials } from '../../main/letters/outgoing/officials.ts';
import { signingHandlers } from '../../main/sign/handlers.ts';
import { createTransfers, transferHandlers } from '../../main/documents/transfers.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import type { TestDesk } from './sync-desk.ts';
import { sendBytes } from './transfers.ts';

const ctx = { origin: 'test' as const };

export interface SigningDesk {
  router: Router;
  /** The device worker holding the demo token; stop it when the test ends. */
  host: DeviceWorkerHost;
}

/** The desk's Surat Keluar and Tanda Tangan channels, the demo token under its data directory. */
export async function signingDesk(d: TestDesk): Promise<SigningDesk> {
  const log = createLogger({ level: 'error' });
  const host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...demoTokenEnv(d.dir, {}), LOKET_LOG_LEVEL: 'warn' } });
  await host.start();
  const env = { ...process.env };
  delete env.LOKET_TOKEN_MODULE;
  delete env.LOKET_TSA_URL;
  delete env.LOKET_VERIFY_URL;
  const user = () => d.sync.session.user();
  const transfers = createTransfers(join(d.dir, 'transfers'), log);
  const officials = signingOfficials({
    store: d.store, log, server: { url: () => d.sync.serverUrl(), client: d.sync.client, online: () => true, accessToken: () => d.sync.auth.accessToken(), user },
  });
  const handlers = {
    ...signingHandlers({ store: d.store, devices: host, bus: createEventBus(log), dataDir: d.dir, user, server: () => d.sync.serverUrl(), actor: () => user()!.id, log, env, demoTokens, transfers, officials }),
    ...outgoingHandlers({ store: d.store, officials }),
    ...transferHandlers(transfers),
  };
  return { router: createRouter(handlers as Handlers, log), host };
}

export async function ok<C extends Channel>(router: Router, channel: C, payload: RequestOf<C>) {
  const result: InvokeResult<C> = await router.call(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** An outgoing letter as a PDF: its subject, and the line its number will be written on. */
export async function outgoingPdf(subject: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  return doc.save();
}

/** What the front office of Dinas Kesehatan sends to import a letter for its head of office (the PDF sent first, in pieces). */
export async function importRequest(router: Router, subject: string, more: Pick<RequestOf<'sign.outgoing.import'>, 'classificationCode' | 'security'> = {}): Promise<RequestOf<'sign.outgoing.import'>> {
  const uploadId = await sendBytes((channel, payload) => router.call(channel, payload, ctx), await outgoingPdf(subject));
  return { uploadId, fileName: 'surat-keluar.pdf', subject, addressee: 'Kepala Dinas Pendidikan dan Kebudayaan', signer: 'user-penandatangan-dinkes', ...more };
}

/** Imports a letter for the head of Dinas Kesehatan (as its front office) and signs it as the head, with the demo token. */
export async function importAndSign(d: TestDesk, router: Router, subject: string, more: Pick<RequestOf<'sign.outgoing.import'>, 'classificationCode' | 'security'> = {}) {
  await d.sync.auth.login('operator.dinkes', demoPassword);
  const imported = await ok(router, 'sign.outgoing.import', await importRequest(router, subject, more));
  await d.sync.auth.login('penandatangan.dinkes', demoPassword);
  const { tokens } = await ok(router, 'sign.demo.create', {});
  const session = await ok(router, 'sign.login', { serial: tokens[0]!.serial, pin: demoTokens.pin });
  const { results } = await ok(router, 'sign.batch', { sessionId: session.sessionId, certificateId: session.certificates[0]!.id, letterIds: [imported.id] });
  await ok(router, 'sign.logout', { sessionId: session.sessionId });
  return { id: imported.id, result: results[0]! };
}
