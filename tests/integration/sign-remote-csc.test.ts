// An official signs through a Cloud Signature Consortium service instead of a USB token: signs in
// to the service in the browser (OAuth 2.0 code + PKCE, redirect to the desk's loopback address),
// picks a credential, types the PIN and OTP once, and twenty letters are signed under ONE
// credentials/authorize bound to their hashes. Real SQLite and blob store, the desk's signing
// channels behind the router, a CSC v2 test service on 127.0.0.1 over TLS with its keys in SoftHSM,
// OpenSSL's TSA; pdfsig and MuPDF judge every PDF. A wrong PIN or OTP, a locked credential, an
// expired certificate, a refused consent and a service outage each give their message, and lose
// nothing: the letters stay ready to sign, and a token can sign them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../main/documents/blob-store.ts';
import { validatePdf } from '../../main/sign/pades/validate.ts';
import type { Store } from '../../main/store/store.ts';
import { answerInBrowser, startCscTestService, type CscTestService } from '../support/csc-service.ts';
import { mutoolVerify } from '../support/mutool.ts';
import { pdfsig } from '../support/pdfsig.ts';
import { openRemoteSigningDesk, type RemoteSigningDesk } from '../support/remote-signing-desk.ts';
import type { TestToken } from '../support/softhsm.ts';
import type { TestTls } from '../support/tls.ts';
import type { TimestampAuthority } from '../support/trust-services.ts';

let desk: RemoteSigningDesk<CscTestService>;
let token: TestToken;
let tls: TestTls;
let csc: CscTestService;
let tsa: TimestampAuthority;
let store: Store;
let blobs: BlobStore;
let work: string;
let nssDir: string;
const call: RemoteSigningDesk<CscTestService>['call'] = (channel, payload) => desk.call(channel, payload);
const ok: RemoteSigningDesk<CscTestService>['ok'] = (channel, payload) => desk.ok(channel, payload);
const readyLetters = (prefix: string, count: number) => desk.readyLetters(prefix, count, { addressee: 'Para Camat', anchorOn: 'even' });
const statuses = (ids: string[]) => desk.statuses(ids);

beforeAll(async () => {
  desk = await openRemoteSigningDesk({
    startService: startCscTestService,
    settings: (service, tsa) => ({ cscUrl: service.url, tsaUrl: tsa.url }),
    env: (t) => ({ LOKET_TOKEN_MODULE: t.module }),
    workerEnv: (t) => ({ SOFTHSM2_CONF: t.conf }),
  });
  ({ token, tls, service: csc, tsa, store, blobs, work, nssDir } = desk);
});

afterAll(async () => {
  await desk?.stop();
});

async function signIn(decision: 'allow' | 'deny' = 'allow') {
  const login = await ok('sign.csc.login', {});
  const session = call('sign.csc.session', { loginId: login.loginId });
  const page = await answerInBrowser(login.authorizationUrl, { caFile: tls.trusted.caCert, ...csc.user, decision });
  return { login, page, session: await session };
}

describe('the CSC service in Pengaturan', () => {
  it('is not usable before its client credentials are saved, and the secret goes to the secret store only', async () => {
    expect(await call('sign.csc.login', {})).toMatchObject({ ok: false, error: { code: 'REMOTE_SERVICE_NOT_CONFIGURED' } });
    const state = await ok('sign.services.client', { service: 'csc', clientId: csc.clientId, clientSecret: csc.clientSecret });
    expect(state.csc).toEqual({ url: csc.url, clientId: csc.clientId, secretSaved: true, fromEnvironment: false });
    expect(readFileSync(join(token.dir, 'keychain.json'), 'utf8')).toContain(csc.clientSecret);
    const settingsRows = JSON.stringify(store.settings.get()) + JSON.stringify(store.audit.list({ limit: 1000 }));
    expect(settingsRows).not.toContain(csc.clientSecret);
    expect(settingsRows).toContain('settings.signing_client_updated');
  });
});

describe('signing in to the CSC service in the browser', () => {
  it('comes back to the desk through the loopback redirect, with the official\'s credentials and what each asks for', async () => {
    const { login, page, session } = await signIn();
    expect(new URL(login.authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(login.authorizationUrl).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    expect(page).toContain('Berhasil masuk');
    expect(session).toMatchObject({ ok: true, value: { serviceName: 'Layanan TTE Uji (CSC)' } });
    const credentials = session.ok ? session.value.credentials : [];
    expect(credentials.map((c) => [c.id, c.commonName, c.asks, c.refusal?.code ?? null])).toEqual([
      [csc.credentials.rsa.id, 'Budi Santoso', { pin: true, otp: true }, null],
      [csc.credentials.ec.id, 'Siti Rahmawati', { pin: true, otp: false }, null],
      [csc.credentials.expired.id, 'Pejabat Lama', { pin: true, otp: false }, 'CERTIFICATE_EXPIRED'],
    ]);
  });

  it('a refused consent says so, and no session is opened', async () => {
    const { page, session } = await signIn('deny');
    expect(page).toContain('Izin ditolak');
    expect(session).toMatchObject({ ok: false, error: { code: 'REMOTE_CONSENT_REFUSED', message: expect.stringMatching(/^Izin untuk Loket ditolak/) } });
  });
});

describe('signing a batch through the CSC service', () => {
  let sessionId: string;
  beforeAll(async () => {
    const { session } = await signIn();
    if (!session.ok) throw new Error(session.error.message);
    sessionId = session.value.sessionId;
  });

  it('signs 20 letters with ONE authorization bound to their 20 hashes; every PDF is valid for pdfsig and MuPDF at B-T', async () => {
    const ids = await readyLetters('Undangan rapat', 20);
    const before = csc.authorizations().length;
    csc.received.length = 0;
    const { results } = await ok('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() });
    expect(results.map((r) => [r.outcome, r.level, r.error])).toEqual(ids.map(() => ['signed', 'B-T', null]));
    expect(csc.authorizations().length - before).toBe(1);
    expect(csc.authorizations().at(-1)!.hashes).toHaveLength(20);
    // Hash-only: nothing like a PDF reached the service, and each letter cost it well under a kilobyte.
    expect(csc.received.some((r) => r.body.includes('%PDF'))).toBe(false);
    expect(csc.received.reduce((n, r) => n + r.body.length, 0) / 20).toBeLessThan(1024);
    for (const [i, id] of ids.entries()) {
      const letter = store.letters.get(id)!;
      expect(letter.status).toBe('signed');
      const pdf = new Uint8Array(await blobs.read(letter.documentHash!));
      const poppler = pdfsig(pdf, { work, name: `csc-${i}`, nssDir });
      expect(poppler.signatures, poppler.output).toEqual([{ field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true }]);
      const mupdf = mutoolVerify(pdf, { work, name: `csc-mu-${i}` });
      expect(mupdf.signatures.map((s) => [s.digestOk, !s.edits, s.signer]), mupdf.output).toEqual([[true, true, expect.stringContaining('cn=Budi Santoso')]]);
      expect(validatePdf(pdf, { trustAnchors: [token.ca.certDer] })).toMatchObject({ valid: true, signatures: [{ timestamp: { intact: true } }] });
      expect(store.signatures.forLetter(id)[0]).toMatchObject({ level: 'B-T' });
    }
  });

  it('signs with an EC credential that asks for the PIN only, at B-B when no TSA is configured', async () => {
    store.settings.update({ tsaUrl: '' }, 'meja:uji');
    try {
      const ids = await readyLetters('Nota dinas', 2);
      const { results } = await ok('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.ec.id, letterIds: ids, pin: csc.credentials.ec.pin });
      expect(results.map((r) => [r.outcome, r.level])).toEqual([['signed', 'B-B'], ['signed', 'B-B']]);
      for (const [i, id] of ids.entries()) {
        const pdf = new Uint8Array(await blobs.read(store.letters.get(id)!.documentHash!));
        expect(pdfsig(pdf, { work, name: `csc-ec-${i}`, nssDir }).signatures.map((s) => [s.signature, s.certificate])).toEqual([['Signature is Valid.', 'Certificate is Trusted.']]);
        expect(mutoolVerify(pdf, { work, name: `csc-ec-mu-${i}` }).signatures.map((s) => [s.digestOk, !s.edits])).toEqual([[true, true]]);
      }
    } finally {
      store.settings.update({ tsaUrl: tsa.url }, 'meja:uji');
    }
  });

  it('a service answering ECDSA as raw r||s instead of DER is understood: the PDF is valid for pdfsig', async () => {
    csc.answerRawEcdsa(true);
    try {
      const ids = await readyLetters('ECDSA mentah', 1);
      const { results } = await ok('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.ec.id, letterIds: ids, pin: csc.credentials.ec.pin });
      expect(results.map((r) => r.outcome)).toEqual(['signed']);
      const pdf = new Uint8Array(await blobs.read(store.letters.get(ids[0]!)!.documentHash!));
      expect(pdfsig(pdf, { work, name: 'csc-raw-ecdsa', nssDir }).signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);
    } finally {
      csc.answerRawEcdsa(false);
    }
  });

  it('a batch larger than the service allows under one authorization signs what it may; the rest wait with the reason', async () => {
    csc.setMultisign(2);
    try {
      const { session } = await signIn();
      if (!session.ok) throw new Error(session.error.message);
      expect(session.value.credentials.find((c) => c.id === csc.credentials.rsa.id)?.limit).toBe(2);
      const ids = await readyLetters('Batas layanan', 3);
      const { results } = await ok('sign.batch', { service: 'csc', sessionId: session.value.sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() });
      expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([['signed', null], ['signed', null], ['waiting', 'REMOTE_BATCH_LIMIT']]);
      expect(results[2]!.error!.message).toContain('paling banyak 2 surat dalam satu otorisasi');
      expect(statuses(ids)).toEqual(['signed', 'signed', 'ready_to_sign']);
    } finally {
      csc.setMultisign(50);
    }
  });

  it('a wrong PIN and a wrong OTP each give their message; the letters stay ready and nothing is written; the PIN is in no log line', async () => {
    const ids = await readyLetters('Salah PIN', 2);
    const signaturesBefore = store.audit.list({ limit: 100_000 }).filter((e) => e.action === 'letter.signed').length;
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: '999999', otp: csc.otp() }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_PIN_INCORRECT', message: expect.stringMatching(/^PIN sertifikat di layanan tanda tangan salah/) } });
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: '000000' }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_OTP_INCORRECT', message: expect.stringMatching(/^Kode OTP salah/) } });
    expect(statuses(ids)).toEqual(['ready_to_sign', 'ready_to_sign']);
    expect(store.audit.list({ limit: 100_000 }).filter((e) => e.action === 'letter.signed')).toHaveLength(signaturesBefore);
    expect(JSON.stringify(desk.log.lines)).not.toContain('999999');
    expect(JSON.stringify(desk.log.lines)).not.toContain(csc.credentials.rsa.pin);
  });

  it('three wrong PINs lock the credential at the service; the official is told it is locked, and it shows as locked when listed again', async () => {
    const ids = await readyLetters('Terkunci', 1);
    const credentialId = csc.credentials.ec.id;
    for (let i = 0; i < 3; i++) {
      expect(await call('sign.batch', { service: 'csc', sessionId, credentialId, letterIds: ids, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'REMOTE_PIN_INCORRECT' } });
    }
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId, letterIds: ids, pin: csc.credentials.ec.pin }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_CREDENTIAL_LOCKED', message: expect.stringContaining('terkunci') } });
    const { session } = await signIn();
    expect(session.ok && session.value.credentials.find((c) => c.id === credentialId)?.refusal?.code).toBe('REMOTE_CREDENTIAL_LOCKED');
    expect(statuses(ids)).toEqual(['ready_to_sign']);
    csc.unlock(credentialId);
  });

  it('an expired certificate is refused before anything is sent to the service', async () => {
    const ids = await readyLetters('Sertifikat lama', 1);
    const authorizations = csc.authorizations().length;
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.expired.id, letterIds: ids, pin: csc.credentials.expired.pin }))
      .toMatchObject({ ok: false, error: { code: 'CERTIFICATE_EXPIRED', message: expect.stringContaining('kedaluwarsa') } });
    expect(csc.authorizations()).toHaveLength(authorizations);
    expect(statuses(ids)).toEqual(['ready_to_sign']);
  });

  it('with the service down the official is told so and nothing changes; the same letters are then signed with the USB token', async () => {
    const ids = await readyLetters('Layanan mati', 2);
    csc.setReachable(false);
    try {
      expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() }))
        .toMatchObject({ ok: false, error: { code: 'REMOTE_SERVICE_UNREACHABLE', message: expect.stringContaining('tanda tangani dengan token USB') } });
    } finally {
      csc.setReachable(true);
    }
    expect(statuses(ids)).toEqual(['ready_to_sign', 'ready_to_sign']);

    const [present] = (await ok('sign.tokens', {})).tokens;
    const login = await ok('sign.login', { serial: present!.serial, pin: token.pin });
    const { results } = await ok('sign.batch', { sessionId: login.sessionId, certificateId: token.keys.rsa.id, letterIds: ids });
    expect(results.map((r) => [r.outcome, r.level])).toEqual([['signed', 'B-T'], ['signed', 'B-T']]);
    await ok('sign.logout', { sessionId: login.sessionId });
  });

  it('a service answering with an error it had no reason for (500) counts as down: nothing changes', async () => {
    const ids = await readyLetters('Galat server', 1);
    csc.failNext('/csc/v2/signatures/signHash', { status: 500, json: { error: 'server_error' } });
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_SERVICE_UNREACHABLE' } });
    expect(statuses(ids)).toEqual(['ready_to_sign']);
  });

  it('a signature value that does not verify is not embedded: the letter fails with the reason and stays waiting', async () => {
    const ids = await readyLetters('Tanda tangan palsu', 2);
    const bogus = Buffer.alloc(256, 7).toString('base64');
    csc.failNext('/csc/v2/signatures/signHash', { json: { signatures: [bogus, bogus] } });
    const { results } = await ok('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() });
    expect(results.map((r) => [r.outcome, r.error?.code])).toEqual([['failed', 'REMOTE_SIGNATURE_INVALID'], ['failed', 'REMOTE_SIGNATURE_INVALID']]);
    expect(statuses(ids)).toEqual(['ready_to_sign', 'ready_to_sign']);
  });

  it('a session the official ended cannot sign any more', async () => {
    const ids = await readyLetters('Sesi berakhir', 1);
    await ok('sign.csc.logout', { sessionId });
    expect(await call('sign.batch', { service: 'csc', sessionId, credentialId: csc.credentials.rsa.id, letterIds: ids, pin: csc.credentials.rsa.pin, otp: csc.otp() }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_SESSION_EXPIRED' } });
  });
});
