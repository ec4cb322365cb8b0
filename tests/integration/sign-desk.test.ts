// The Tanda Tangan screen's channels on a desk where no token driver sees a token: Loket offers the
// demo token (SoftHSM under the data directory, key generated on it, demo CA), the official logs in
// with its PIN through the real device worker, signs a letter imported in Surat Keluar, and Periksa
// reports the result intact but not trusted — nobody trusts the demo CA. Only a signer may sign.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../main/auth/session.ts';
import { createEventBus } from '../../main/app/events.ts';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { demoTokenEnv, demoTokens } from '../../dev/token/demo-token.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { signingHandlers } from '../../main/sign/handlers.ts';
import { createTransfers, transferHandlers, type Transfers } from '../../main/documents/transfers.ts';
import { receiveBytes, sendBytes } from '../support/transfers.ts';
import { openStore, type Store } from '../../main/store/store.ts';

const ctx = { origin: 'test' } as const;
let dir: string;
let store: Store;
let host: DeviceWorkerHost;
let router: Router;
let transfers: Transfers;
let user: SessionUser | null = null;
const log = collectingLogger();

async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>> {
  return router.call(channel, payload, ctx);
}
async function ok<C extends Channel>(channel: C, payload: RequestOf<C>) {
  const result = await call(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A one-page letter sent to the core the way the screen sends a picked file; answers its uploadId. */
async function letterUpload(subject: string): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  return sendBytes(call, await doc.save());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loket-sign-desk-'));
  store = openStore(join(dir, 'loket.db'), { log });
  host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...demoTokenEnv(dir, {}), LOKET_LOG_LEVEL: 'warn' } });
  await host.start();
  const env = { ...process.env };
  delete env.LOKET_TOKEN_MODULE;
  delete env.LOKET_TSA_URL;
  transfers = createTransfers(join(dir, 'transfers'), log);
  const handlers = signingHandlers({ store, devices: host, bus: createEventBus(log), dataDir: dir, user: () => user, actor: () => user?.id ?? 'meja:uji', log, env, demoTokens, transfers });
  router = createRouter({ ...handlers, ...transferHandlers(transfers) } as Handlers, log);
});

afterAll(async () => {
  await transfers?.close();
  await host?.stop();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the demo token on a desk where no token is to be seen', () => {
  it('is offered when no driver sees a token, and once made is listed as a demo with its PIN', async () => {
    const before = await ok('sign.tokens', {});
    // No driver here sees a token (OpenSC may be installed, with no card in a reader).
    expect(before).toMatchObject({ tokens: [], demo: { possible: true, active: false } });
    if (before.modulePath === null) expect(before.problem).toMatchObject({ code: 'TOKEN_MODULE_MISSING' });

    const after = await ok('sign.demo.create', {});
    expect(after).toMatchObject({ problem: null, demo: { possible: false, active: true, pin: '123456' } });
    expect(after.tokens.map((t) => t.label)).toEqual(['Token Demo Loket']);
  });

  it('refuses a wrong PIN with the reason, and the PIN appears in no log line', async () => {
    const [token] = (await ok('sign.tokens', {})).tokens;
    const wrong = await call('sign.login', { serial: token!.serial, pin: '999999' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'PIN_INCORRECT', message: expect.stringMatching(/^PIN salah/) } });
    expect(JSON.stringify(log.lines)).not.toContain('999999');
  });

  it('signs a letter imported for the official, and Periksa finds it intact but not trusted (demo CA)', async () => {
    const [token] = (await ok('sign.tokens', {})).tokens;
    const login = await ok('sign.login', { serial: token!.serial, pin: '123456' });
    expect(login.certificates).toEqual([expect.objectContaining({ commonName: 'Pejabat Demo', issuerCommonName: 'Loket Demo CA (tidak untuk dinas)', refusal: null })]);
    const letter = await ok('sign.outgoing.import', { uploadId: await letterUpload('Uji tanda tangan demo'), fileName: 'uji.pdf', subject: 'Uji tanda tangan demo', addressee: 'Arsip', signer: 'demo' });
    expect((await ok('sign.letters', {})).map((l) => l.id)).toEqual([letter.id]);

    const { results } = await ok('sign.batch', { sessionId: login.sessionId, certificateId: login.certificates[0]!.id, letterIds: [letter.id] });
    expect(results).toEqual([expect.objectContaining({ outcome: 'signed', level: 'B-B', error: null })]);
    expect(await ok('sign.letters', {})).toEqual([]);

    const signed = store.letters.get(letter.id)!;
    const pdf = await createBlobStore(join(dir, 'documents')).read(signed.documentHash!);
    const report = await ok('sign.validate', { uploadId: await sendBytes(call, pdf), fileName: 'uji-ttd.pdf' });
    // The demo CA is not in the agency's trust list: intact but cannot be confirmed, never green.
    expect(report).toMatchObject({ valid: false, verdict: 'indeterminate', signatures: [{ integrity: 'intact', coverage: 'whole', trust: 'untrusted', verdict: 'indeterminate', signer: { commonName: 'Pejabat Demo' } }] });
    // Any file is answered through the same channel: a truncated copy and a file that is no PDF at all.
    const truncated = await ok('sign.validate', { uploadId: await sendBytes(call, pdf.subarray(0, pdf.length - 100)), fileName: 'terpotong.pdf' });
    expect(truncated).toMatchObject({ valid: false, document: { state: 'truncated', problem: expect.stringContaining('terpotong') } });
    const notPdf = await ok('sign.validate', { uploadId: await sendBytes(call, Buffer.from('bukan pdf')), fileName: 'catatan.pdf' });
    expect(notPdf).toMatchObject({ verdict: 'unreadable', document: { state: 'not-pdf' }, signatures: [] });
    const saved = await ok('sign.report.pdf', { report });
    expect((await receiveBytes(call, saved)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(saved.fileName).toBe('laporan-periksa-uji-ttd.pdf');
    await ok('sign.logout', { sessionId: login.sessionId });
  });

  it('lets only a signing official sign once the desk has accounts', async () => {
    const [token] = (await ok('sign.tokens', {})).tokens;
    const login = await ok('sign.login', { serial: token!.serial, pin: '123456' });
    const letter = await ok('sign.outgoing.import', { uploadId: await letterUpload('Surat berakun'), fileName: 'akun.pdf', subject: 'Surat berakun', addressee: 'Arsip', signer: 'staf' });
    store.settings.update({ serverUrl: 'https://eoffice.contoh.go.id' }, 'meja:uji');
    try {
      expect(await call('sign.batch', { sessionId: login.sessionId, certificateId: login.certificates[0]!.id, letterIds: [letter.id] }))
        .toMatchObject({ ok: false, error: { code: 'SIGNER_ROLE_REQUIRED' } });
      user = { id: 'u-staf', username: 'staf', name: 'Staf Umum', nip: null, position: 'Pengadministrasi', roles: ['staff'], officeId: null, officeName: null };
      expect((await ok('sign.identity', {})).refusal).toMatchObject({ code: 'SIGNER_ROLE_REQUIRED' });
      expect(await call('sign.batch', { sessionId: login.sessionId, certificateId: login.certificates[0]!.id, letterIds: [letter.id] }))
        .toMatchObject({ ok: false, error: { code: 'SIGNER_ROLE_REQUIRED' } });
      expect(store.letters.get(letter.id)!.status).toBe('ready_to_sign');
    } finally {
      user = null;
      store.settings.update({ serverUrl: '' }, 'meja:uji');
    }
  });
});

describe('what the token says about its PIN reaches the screen', () => {
  // SoftHSM never counts wrong PINs; the fault-injecting wrapper makes the token report its flags.
  async function withFaults<T>(faults: object, run: (call: <C extends Channel>(c: C, p: RequestOf<C>) => Promise<InvokeResult<C>>) => Promise<T>): Promise<T> {
    const faulty = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...demoTokenEnv(dir, {}), LOKET_LOG_LEVEL: 'warn', LOKET_TOKEN_FAULTS: JSON.stringify(faults) } });
    await faulty.start();
    try {
      const handlers = signingHandlers({ store, devices: faulty, bus: createEventBus(log), dataDir: dir, user: () => null, actor: () => 'meja:uji', log, env: {}, demoTokens, transfers });
      const faultyRouter = createRouter(handlers as Handlers, log);
      return await run((c, p) => faultyRouter.call(c, p, ctx));
    } finally {
      await faulty.stop();
    }
  }

  it('warns before the final try, and a wrong PIN then says one more locks the token', async () => {
    await withFaults({ addTokenFlags: ['CKF_USER_PIN_COUNT_LOW', 'CKF_USER_PIN_FINAL_TRY'] }, async (call) => {
      const state = await call('sign.tokens', {});
      expect(state).toMatchObject({ ok: true, value: { tokens: [{ flags: { pinCountLow: true, pinFinalTry: true, pinLocked: false } }] } });
      const serial = state.ok ? state.value.tokens[0]!.serial : '';
      expect(await call('sign.login', { serial, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'PIN_INCORRECT', message: expect.stringContaining('tinggal satu kali lagi') } });
    });
  });

  it('a wrong PIN on a token that only reports "few tries left" says so, and that the exact count cannot be known', async () => {
    await withFaults({ addTokenFlags: ['CKF_USER_PIN_COUNT_LOW'] }, async (call) => {
      const state = await call('sign.tokens', {});
      const serial = state.ok ? state.value.tokens[0]!.serial : '';
      const result = await call('sign.login', { serial, pin: '000000' });
      expect(result).toMatchObject({ ok: false, error: { code: 'PIN_INCORRECT', details: { triesLeft: 'few' } } });
      const message = result.ok ? '' : result.error.message;
      expect(message).toContain('sisa percobaan PIN sudah sedikit');
      expect(message).toContain('tidak memberitahukan jumlah pastinya');
      expect(message).not.toContain('satu kali');
    });
  });

  it('says a locked token is locked, without trying the PIN', async () => {
    await withFaults({ addTokenFlags: ['CKF_USER_PIN_LOCKED'] }, async (call) => {
      const state = await call('sign.tokens', {});
      const serial = state.ok ? state.value.tokens[0]!.serial : '';
      expect(state).toMatchObject({ ok: true, value: { tokens: [{ flags: { pinLocked: true } }] } });
      expect(await call('sign.login', { serial, pin: '123456' })).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    });
  });
});
