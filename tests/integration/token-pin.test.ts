// The signing official and the USB token: finding it, typing the PIN, choosing a certificate, and
// what they are told when something is wrong. A real SoftHSM2 token with keys generated on it; the
// lock and final-try states SoftHSM cannot reach come through the LOKET_TOKEN_FAULTS test seam.
import { X509Certificate, verify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { AppError } from '../../common/errors.ts';
import { openTokenModule, type TokenModule } from '../../main/devices/token/token.ts';
import { installedModules } from '../../main/devices/token/modules.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';

let token: TestToken;
let module: TokenModule;
const logger = collectingLogger();

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

beforeAll(() => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  // The fault seam is installed when the module is opened with the variable present.
  process.env.LOKET_TOKEN_FAULTS = '{}';
  module = openTokenModule(token.module, logger);
});
afterEach(() => { process.env.LOKET_TOKEN_FAULTS = '{}'; });
afterAll(() => token.cleanup());

describe('the signing official and the USB token', () => {
  it('sees the token by its label and serial, with no PIN warnings', () => {
    const tokens = module.listTokens();
    expect(tokens).toEqual([expect.objectContaining({ label: token.label, serial: token.serial })]);
    expect(tokens[0]!.flags).toMatchObject({ loginRequired: true, pinFinalTry: false, pinLocked: false });
  });

  it('is offered the SoftHSM module already installed on this desk', () => {
    expect(installedModules('linux')).toContainEqual(expect.objectContaining({ path: token.module }));
  });

  it('is told the driver is missing when the module path points nowhere', () => {
    const err = caught(() => openTokenModule('/opt/tidak-ada/libeTPkcs11.so', logger));
    expect(err.code).toBe('TOKEN_MODULE_MISSING');
    expect(err.message).toContain('/opt/tidak-ada/libeTPkcs11.so');
  });

  it('types a wrong PIN, is told so once, and the PIN appears in no log line', () => {
    const err = caught(() => module.login({ serial: token.serial }, '999999'));
    expect(err.code).toBe('PIN_INCORRECT');
    expect(err.message).toMatch(/^PIN salah/);
    expect(JSON.stringify(logger.lines)).not.toContain('999999');
    expect(JSON.stringify(logger.lines)).not.toContain(token.pin);
  });

  it('is warned that one more wrong PIN locks the token when the token reports its final try', () => {
    process.env.LOKET_TOKEN_FAULTS = JSON.stringify({ addTokenFlags: ['CKF_USER_PIN_FINAL_TRY'] });
    const err = caught(() => module.login({ serial: token.serial }, '111111'));
    expect(err.code).toBe('PIN_INCORRECT');
    expect(err.message).toBe('PIN salah. Kesempatan tinggal satu kali lagi: bila PIN salah sekali lagi, token terkunci. Periksa PIN dengan teliti sebelum mencoba lagi.');
    expect(err.details).toMatchObject({ triesLeft: 'one' });
  });

  it('is told a locked token is locked, without the PIN being tried again', () => {
    process.env.LOKET_TOKEN_FAULTS = JSON.stringify({ addTokenFlags: ['CKF_USER_PIN_LOCKED'], fail: { C_Login: 'CKR_GENERAL_ERROR' } });
    expect(module.listTokens()[0]!.flags.pinLocked).toBe(true);
    // C_Login would fail loudly if it were reached: the locked flag must stop us before.
    const err = caught(() => module.login({ serial: token.serial }, token.pin));
    expect(err.code).toBe('PIN_LOCKED');
  });

  it('is told the token is locked when the token refuses the PIN with CKR_PIN_LOCKED', () => {
    process.env.LOKET_TOKEN_FAULTS = JSON.stringify({ fail: { C_Login: 'CKR_PIN_LOCKED' } });
    expect(caught(() => module.login({ serial: token.serial }, token.pin)).code).toBe('PIN_LOCKED');
  });

  it('cannot open a second session with a wrong PIN while logged in: the token checks the PIN again', () => {
    const first = module.login({ serial: token.serial }, token.pin);
    try {
      expect(caught(() => module.login({ serial: token.serial }, '424242')).code).toBe('PIN_INCORRECT');
      // The earlier session ended with that login attempt; its owner is asked for the PIN again.
      expect(caught(() => first.listCertificates())).toMatchObject({ code: 'TOKEN_FAILED', message: expect.stringContaining('Masukkan PIN lagi') });
    } finally {
      first.close();
    }
  });

  it('logs in with the right PIN and sees each certificate with its owner, validity and key usage', () => {
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const certs = session.listCertificates();
      const budi = certs.find((c) => c.id === token.keys.rsa.id)!;
      expect(budi).toMatchObject({ hasPrivateKey: true, algorithm: 'rsa', alwaysAuthenticate: false });
      expect(budi.info).toMatchObject({ commonName: 'Budi Santoso', subjectSerialNumber: '198001012005011001', issuerCommonName: 'Loket Test Root CA', keyUsage: ['digitalSignature', 'nonRepudiation'] });
      expect(certs.find((c) => c.id === token.keys.ec.id)).toMatchObject({ algorithm: 'ecdsa-p256', alwaysAuthenticate: true });
    } finally {
      session.close();
    }
  });

  it('signs with an RSA key and an always-authenticate P-256 key, and the signatures verify with the certificates', async () => {
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const data = new TextEncoder().encode('atribut yang ditandatangani');
      for (const [id, options] of [[token.keys.rsa.id, {}], [token.keys.ec.id, { pin: token.pin }]] as const) {
        const signer = session.signer(id, options);
        const signature = await signer.sign(data);
        const cert = new X509Certificate(signer.certificateChain[0]!);
        expect(verify('sha256', data, { key: cert.publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
        expect(verify('sha256', new TextEncoder().encode('atribut lain'), { key: cert.publicKey, dsaEncoding: 'der' }, signature)).toBe(false);
      }
    } finally {
      session.close();
    }
  });

  it('signs with raw CKM_RSA_PKCS over a DigestInfo when the token lacks CKM_SHA256_RSA_PKCS', async () => {
    process.env.LOKET_TOKEN_FAULTS = JSON.stringify({ hideMechanisms: ['CKM_SHA256_RSA_PKCS'] });
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const signer = session.signer(token.keys.rsa.id);
      const data = new TextEncoder().encode('surat keluar');
      const signature = await signer.sign(data);
      expect(verify('sha256', data, new X509Certificate(signer.certificateChain[0]!).publicKey, signature)).toBe(true);
      expect(logger.lines.at(-1)).toMatchObject({ msg: 'signed on token', mechanism: 'CKM_RSA_PKCS' });
    } finally {
      session.close();
    }
  });

  it('is told a wrong PIN for an always-authenticate key, before anything is signed', async () => {
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const signer = session.signer(token.keys.ec.id, { pin: '000000' });
      await expect(signer.sign(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    } finally {
      session.close();
    }
  });

  it('cannot sign with an expired certificate, and is told since when it expired', () => {
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const err = caught(() => session.signer(token.keys.expired.id));
      expect(err.code).toBe('CERTIFICATE_EXPIRED');
      expect(err.message).toMatch(/^Sertifikat "Pejabat Lama" sudah kedaluwarsa sejak \d+ \w+ \d{4}/);
    } finally {
      session.close();
    }
  });

  it('cannot sign with a certificate issued only for key agreement', () => {
    const session = module.login({ serial: token.serial }, token.pin);
    try {
      const err = caught(() => session.signer(token.keys.noSigning.id));
      expect(err.code).toBe('CERTIFICATE_NOT_FOR_SIGNING');
      expect(err.message).toContain('kesepakatan kunci');
    } finally {
      session.close();
    }
  });
});

describe('the token pulled out', () => {
  it('stops the signature with "token dicabut", and the token is no longer listed', async () => {
    const session = module.login({ serial: token.serial }, token.pin);
    const signer = session.signer(token.keys.rsa.id);
    await signer.sign(new Uint8Array([1]));
    token.remove();
    await expect(signer.sign(new Uint8Array([2]))).rejects.toMatchObject({ code: 'TOKEN_REMOVED', message: expect.stringMatching(/^Token dicabut/) });
    expect(module.listTokens()).toEqual([]);
    expect(caught(() => module.login({ serial: token.serial }, token.pin)).code).toBe('TOKEN_NOT_FOUND');
  });
});
