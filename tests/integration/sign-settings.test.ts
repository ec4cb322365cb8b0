// Pengaturan's "Tanda tangan elektronik" settings reach the Tanda Tangan screen without a restart: a
// TSA address saved in settings makes the next signature B-T (OpenSSL's `openssl ts` on loopback),
// clearing it goes back to B-B, and a bad address or module path is refused with its field's message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/app/events.ts';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createDemoToken, demoTokenEnv, demoTokenPin, demoTokens } from '../../dev/token/demo-token.ts';
import type { Channel, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { signingHandlers } from '../../main/sign/handlers.ts';
import { createTransfers, transferHandlers, type Transfers } from '../../main/documents/transfers.ts';
import { sendBytes } from '../support/transfers.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { createTestCa } from '../support/test-ca.ts';
import { startTimestampAuthority, type TimestampAuthority } from '../support/trust-services.ts';

const ctx = { origin: 'test' } as const;
const log = collectingLogger();
let dir: string;
let store: Store;
let host: DeviceWorkerHost;
let router: Router;
let transfers: Transfers;
let tsa: TimestampAuthority;

async function ok<C extends Channel>(channel: C, payload: RequestOf<C>) {
  const result = await router.call(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function signOneLetter(subject: string) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  const uploadId = await sendBytes((c, p) => router.call(c, p, ctx), await doc.save());
  const letter = await ok('sign.outgoing.import', { uploadId, fileName: 'surat.pdf', subject, addressee: 'Arsip', signer: 'demo' });
  const [token] = (await ok('sign.tokens', {})).tokens;
  const login = await ok('sign.login', { serial: token!.serial, pin: demoTokenPin });
  try {
    const { results } = await ok('sign.batch', { sessionId: login.sessionId, certificateId: login.certificates[0]!.id, letterIds: [letter.id] });
    return results;
  } finally {
    await ok('sign.logout', { sessionId: login.sessionId });
  }
}

function refusal(patch: Parameters<Store['settings']['update']>[0]): unknown {
  try {
    store.settings.update(patch, 'meja:uji');
  } catch (err) {
    return err;
  }
  return null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loket-sign-settings-'));
  store = openStore(join(dir, 'loket.db'), { log });
  createDemoToken(dir, { name: 'Pejabat Demo', nip: '198001012006041001' });
  host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...demoTokenEnv(dir, {}), LOKET_LOG_LEVEL: 'warn' } });
  await host.start();
  tsa = await startTimestampAuthority(createTestCa(join(dir, 'ca')), join(dir, 'tsa'));
  // Nothing from the environment: what counts here is what Pengaturan says.
  const env = { ...process.env };
  for (const name of ['LOKET_TOKEN_MODULE', 'LOKET_TSA_URL', 'LOKET_OCSP_URL', 'LOKET_VERIFY_URL']) delete env[name];
  transfers = createTransfers(join(dir, 'transfers'), log);
  router = createRouter({
    ...signingHandlers({ store, devices: host, bus: createEventBus(log), dataDir: dir, user: () => null, actor: () => 'meja:uji', log, env, demoTokens, transfers }),
    ...transferHandlers(transfers),
  } as Handlers, log);
});

afterAll(async () => {
  await transfers?.close();
  await tsa?.stop();
  await host?.stop();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('signing settings saved in Pengaturan', () => {
  it('a TSA address saved in settings makes the next signature B-T; cleared, signatures are B-B again', async () => {
    store.settings.update({ tsaUrl: tsa.url }, 'meja:uji');
    expect(await signOneLetter('Dengan cap waktu')).toEqual([expect.objectContaining({ outcome: 'signed', level: 'B-T', error: null })]);
    expect(tsa.requests()).toBeGreaterThan(0);

    const answered = tsa.requests();
    store.settings.update({ tsaUrl: '' }, 'meja:uji');
    expect(await signOneLetter('Tanpa cap waktu')).toEqual([expect.objectContaining({ outcome: 'signed', level: 'B-B', error: null })]);
    expect(tsa.requests()).toBe(answered);
  });

  it('refuses a bad TSA address or a relative module path with the field\'s message, and keeps what was saved', () => {
    store.settings.update({ ocspUrl: 'http://ocsp.contoh.go.id' }, 'meja:uji');
    expect(refusal({ tsaUrl: 'tsa.contoh.go.id', ocspUrl: '' })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('Alamat layanan cap waktu (TSA) harus diawali http:// atau https://'),
      details: { issues: [{ path: ['tsaUrl'], message: expect.stringContaining('(TSA)') }] },
    });
    expect(refusal({ tokenModulePath: 'opensc-pkcs11.so' })).toMatchObject({
      details: { issues: [{ path: ['tokenModulePath'], message: expect.stringContaining('Path driver token harus path lengkap') }] },
    });
    expect(store.settings.get()).toMatchObject({ tsaUrl: '', ocspUrl: 'http://ocsp.contoh.go.id', tokenModulePath: '' });
  });
});
