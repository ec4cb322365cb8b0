// An official signs through a BSrE-style service: their NIK (saved in Pengaturan) names their
// certificate there, they type their passphrase — or a TOTP code — once, and the service builds the
// CMS for each letter's digest in one request; the desk checks every CMS before embedding it at the
// level the office chose. Real SQLite and blob store, the desk's signing channels behind the router,
// the BSrE-style test service on 127.0.0.1 over TLS with its keys in SoftHSM and its own CMS code,
// OpenSSL's TSA; pdfsig and MuPDF judge every PDF. Wrong secrets, a locked or expired certificate,
// an unknown NIK, rejected client credentials, an outage and a wrong CMS each give their message and
// leave the letters waiting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../main/documents/blob-store.ts';
import { validatePdf } from '../../main/sign/pades/validate.ts';
import type { Store } from '../../main/store/store.ts';
import { startBsreTestService, type BsreTestService } from '../support/bsre-service.ts';
import { mutoolVerify } from '../support/mutool.ts';
import { pdfsig } from '../support/pdfsig.ts';
import { openRemoteSigningDesk, type RemoteSigningDesk } from '../support/remote-signing-desk.ts';
import type { TestToken } from '../support/softhsm.ts';
import type { TimestampAuthority } from '../support/trust-services.ts';

let desk: RemoteSigningDesk<BsreTestService>;
let token: TestToken;
let bsre: BsreTestService;
let tsa: TimestampAuthority;
let store: Store;
let blobs: BlobStore;
let work: string;
let nssDir: string;
const call: RemoteSigningDesk<BsreTestService>['call'] = (channel, payload) => desk.call(channel, payload);
const ok: RemoteSigningDesk<BsreTestService>['ok'] = (channel, payload) => desk.ok(channel, payload);
const readyLetters = (prefix: string, count: number) => desk.readyLetters(prefix, count, { addressee: 'Kepala OPD', anchorOn: 'odd' });
const statuses = (ids: string[]) => desk.statuses(ids);

beforeAll(async () => {
  desk = await openRemoteSigningDesk({
    startService: startBsreTestService,
    settings: (service, tsa) => ({ bsreUrl: service.url, tsaUrl: tsa.url }),
  });
  ({ token, service: bsre, tsa, store, blobs, work, nssDir } = desk);
});

afterAll(async () => {
  await desk?.stop();
});

const useNik = (nik: string) => ok('sign.method.save', { method: 'bsre', nik });

async function expectValid(ids: string[], level: 'B-B' | 'B-T', name: string) {
  for (const [i, id] of ids.entries()) {
    const letter = store.letters.get(id)!;
    expect(letter.status).toBe('signed');
    const pdf = new Uint8Array(await blobs.read(letter.documentHash!));
    const poppler = pdfsig(pdf, { work, name: `${name}-${i}`, nssDir });
    expect(poppler.signatures, poppler.output).toEqual([{ field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true }]);
    const mupdf = mutoolVerify(pdf, { work, name: `${name}-mu-${i}` });
    expect(mupdf.signatures.map((s) => [s.digestOk, !s.edits, s.signer]), mupdf.output).toEqual([[true, true, expect.stringContaining('cn=Budi Santoso')]]);
    const report = validatePdf(pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    expect(report.signatures[0]!.timestamp === null).toBe(level === 'B-B');
  }
}

describe('BSrE in Pengaturan', () => {
  it('the official chooses BSrE with their NIK; a malformed NIK is refused; client credentials go to the secret store only', async () => {
    expect(await call('sign.method.save', { method: 'bsre', nik: '12345' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('NIK harus 16 angka') } });
    expect(await call('sign.method.save', { method: 'bsre' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('NIK wajib diisi') } });
    expect((await useNik(bsre.holders.budi.nik)).official).toEqual({ name: null, method: 'bsre', nik: bsre.holders.budi.nik });
    expect(await ok('sign.bsre.status', {})).toMatchObject({ refusal: { code: 'REMOTE_SERVICE_NOT_CONFIGURED' } });
    await ok('sign.services.client', { service: 'bsre', clientId: bsre.clientId, clientSecret: bsre.clientSecret });
    expect(readFileSync(join(token.dir, 'keychain.json'), 'utf8')).toContain(bsre.clientSecret);
    expect(JSON.stringify(store.settings.get()) + JSON.stringify(store.audit.list({ limit: 1000 }))).not.toContain(bsre.clientSecret);
  });

  it('shows whose certificate BSrE holds for the NIK before anything is signed', async () => {
    const status = await ok('sign.bsre.status', {});
    expect(status).toMatchObject({ nik: bsre.holders.budi.nik, refusal: null, certificate: { commonName: 'Budi Santoso', issuerCommonName: 'Loket Test Root CA', refusal: null } });
  });
});

describe('signing a batch through BSrE', () => {
  it('signs 20 letters with the passphrase typed once: one request carries their 20 digests, and every CMS the service built is valid for pdfsig and MuPDF at B-T', async () => {
    const ids = await readyLetters('Surat edaran', 20);
    bsre.received.length = 0;
    const before = bsre.signRequests().length;
    const { results } = await ok('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.budi.passphrase });
    expect(results.map((r) => [r.outcome, r.level, r.error])).toEqual(ids.map(() => ['signed', 'B-T', null]));
    expect(bsre.signRequests().slice(before)).toEqual([20]);
    expect(bsre.received.some((r) => r.body.includes('%PDF'))).toBe(false);
    expect(bsre.received.reduce((n, r) => n + r.body.length, 0) / 20).toBeLessThan(1024);
    await expectValid(ids, 'B-T', 'bsre');
  });

  it('signs with a TOTP code instead of the passphrase, at B-B when no TSA is configured', async () => {
    store.settings.update({ tsaUrl: '' }, 'meja:uji');
    try {
      const ids = await readyLetters('Nota dinas', 2);
      const { results } = await ok('sign.batch', { service: 'bsre', letterIds: ids, totp: bsre.totp() });
      expect(results.map((r) => [r.outcome, r.level])).toEqual([['signed', 'B-B'], ['signed', 'B-B']]);
      await expectValid(ids, 'B-B', 'bsre-totp');
    } finally {
      store.settings.update({ tsaUrl: tsa.url }, 'meja:uji');
    }
  });

  it('a wrong passphrase and a wrong TOTP code each give their message; nothing is written; the passphrase is in no log line', async () => {
    const ids = await readyLetters('Salah passphrase', 2);
    expect(await call('sign.batch', { service: 'bsre', letterIds: ids, passphrase: 'Bukan#Passphrase1' }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_PASSPHRASE_INCORRECT', message: expect.stringMatching(/^Passphrase tanda tangan elektronik salah/) } });
    expect(await call('sign.batch', { service: 'bsre', letterIds: ids, totp: '000000' }))
      .toMatchObject({ ok: false, error: { code: 'REMOTE_OTP_INCORRECT' } });
    expect(statuses(ids)).toEqual(['ready_to_sign', 'ready_to_sign']);
    expect(JSON.stringify(desk.log.lines)).not.toContain('Bukan#Passphrase1');
    expect(JSON.stringify(desk.log.lines)).not.toContain(bsre.holders.budi.passphrase);
    // Two wrong tries so far: the third would lock the account; the right passphrase resets the count.
    const { results } = await ok('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.budi.passphrase });
    expect(results.map((r) => r.outcome)).toEqual(['signed', 'signed']);
  });

  it('a locked account is refused with its message, both in the status shown and when signing', async () => {
    const ids = await readyLetters('Akun terkunci', 1);
    for (let i = 0; i < 3; i++) await call('sign.batch', { service: 'bsre', letterIds: ids, passphrase: 'Salah#Lagi123' });
    expect(await ok('sign.bsre.status', {})).toMatchObject({ refusal: { code: 'REMOTE_CREDENTIAL_LOCKED', message: expect.stringContaining('dibekukan') } });
    expect(await call('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.budi.passphrase })).toMatchObject({ ok: false, error: { code: 'REMOTE_CREDENTIAL_LOCKED' } });
    expect(statuses(ids)).toEqual(['ready_to_sign']);
    bsre.unlock(bsre.holders.budi.nik);
  });

  it('an expired certificate is refused before anything is sent to be signed', async () => {
    await useNik(bsre.holders.expired.nik);
    try {
      const ids = await readyLetters('Sertifikat kedaluwarsa', 1);
      expect(await ok('sign.bsre.status', {})).toMatchObject({ refusal: { code: 'CERTIFICATE_EXPIRED', message: expect.stringContaining('sudah kedaluwarsa') } });
      const requests = bsre.signRequests().length;
      expect(await call('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.expired.passphrase })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_EXPIRED' } });
      expect(bsre.signRequests()).toHaveLength(requests);
      expect(statuses(ids)).toEqual(['ready_to_sign']);
    } finally {
      await useNik(bsre.holders.budi.nik);
    }
  });

  it('an NIK BSrE does not know is named as such', async () => {
    await useNik(bsre.unknownNik);
    try {
      expect(await ok('sign.bsre.status', {})).toMatchObject({ certificate: null, refusal: { code: 'REMOTE_SIGNER_UNKNOWN', message: expect.stringContaining('tidak terdaftar') } });
    } finally {
      await useNik(bsre.holders.budi.nik);
    }
  });

  it('with the service down the official is told to sign with the token; nothing changes', async () => {
    const ids = await readyLetters('BSrE gangguan', 1);
    bsre.setReachable(false);
    try {
      expect(await ok('sign.bsre.status', {})).toMatchObject({ refusal: { code: 'REMOTE_SERVICE_UNREACHABLE' } });
      expect(await call('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.budi.passphrase }))
        .toMatchObject({ ok: false, error: { code: 'REMOTE_SERVICE_UNREACHABLE', message: expect.stringContaining('token USB') } });
    } finally {
      bsre.setReachable(true);
    }
    expect(statuses(ids)).toEqual(['ready_to_sign']);
  });

  it('a CMS the service made for another document, or none, is not embedded: the letters fail with the reason and stay waiting', async () => {
    const [earlier] = await readyLetters('Surat lain', 1);
    await ok('sign.batch', { service: 'bsre', letterIds: [earlier!], passphrase: bsre.holders.budi.passphrase });
    const otherPdf = await blobs.read(store.letters.get(earlier!)!.documentHash!);
    const range = /\/ByteRange \[0 (\d+) (\d+)/.exec(otherPdf.toString('latin1'))!;
    const otherCms = Buffer.from(otherPdf.subarray(Number(range[1]) + 1, Number(range[2]) - 1).toString('latin1').replace(/(00)+$/, ''), 'hex').toString('base64');

    const ids = await readyLetters('CMS tertukar', 2);
    bsre.failNext('/api/entity/sign/hash/pdf', { json: { data: { cmsSignedDataHashMap: { 0: otherCms, 1: null } } } });
    const { results } = await ok('sign.batch', { service: 'bsre', letterIds: ids, passphrase: bsre.holders.budi.passphrase });
    expect(results.map((r) => [r.outcome, r.error?.code])).toEqual([['failed', 'REMOTE_SIGNATURE_INVALID'], ['failed', 'REMOTE_SIGNATURE_INVALID']]);
    expect(statuses(ids)).toEqual(['ready_to_sign', 'ready_to_sign']);
  });

  it('rejected client credentials are named as such, for the admin to fix in Pengaturan', async () => {
    await ok('sign.services.client', { service: 'bsre', clientId: bsre.clientId, clientSecret: 'bukan-rahasia-yang-benar' });
    try {
      expect(await ok('sign.bsre.status', {})).toMatchObject({ refusal: { code: 'REMOTE_CLIENT_REJECTED' } });
    } finally {
      await ok('sign.services.client', { service: 'bsre', clientId: bsre.clientId, clientSecret: bsre.clientSecret });
    }
  });
});
