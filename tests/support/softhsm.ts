// A real PKCS#11 token for the tests: SoftHSM2 in a temp dir, made by the same code as the desk's
// demo token (main/devices/token/softhsm.ts), with four keys generated ON the token and certified by
// the test CA: RSA and P-256 signing keys, an expired certificate and one not for signing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addKeyWithCertificate, initSoftToken } from '../../dev/token/softhsm.ts';
import { createTestCa, type IssuedCertificate, type TestCa } from './test-ca.ts';

export const softhsmModule = '/usr/lib/softhsm/libsofthsm2.so';

export interface TokenKeyFixture {
  /** CKA_ID as hex, shared by the private key, public key and certificate. */
  id: string;
  label: string;
  certificate: IssuedCertificate;
}

export interface TestToken {
  dir: string;
  /** Point SOFTHSM2_CONF here before the first C_Initialize of the process. */
  conf: string;
  module: string;
  label: string;
  serial: string;
  pin: string;
  soPin: string;
  ca: TestCa;
  keys: {
    /** RSA 2048, certificate for signing (digitalSignature, nonRepudiation). */
    rsa: TokenKeyFixture;
    /** EC P-256 with CKA_ALWAYS_AUTHENTICATE, certificate for signing. */
    ec: TokenKeyFixture;
    /** EC P-256 whose certificate expired yesterday. */
    expired: TokenKeyFixture;
    /** EC P-256 whose certificate is for key encipherment only. */
    noSigning: TokenKeyFixture;
  };
  /** Deletes the token's files, as if the person pulled the token out. */
  remove(): void;
  cleanup(): void;
}

const subjectBase = '/C=ID/O=Pemerintah Kabupaten Contoh/OU=Sekretariat Daerah';

export function createTestToken(options: { label?: string; pin?: string; soPin?: string } = {}): TestToken {
  const dir = mkdtempSync(join(tmpdir(), 'loket-softhsm-'));
  const label = options.label ?? 'Loket Uji';
  const pin = options.pin ?? '123456';
  const soPin = options.soPin ?? '87654321';
  const token = initSoftToken(dir, { module: softhsmModule, label, pin, soPin });
  const ca = createTestCa(join(dir, 'ca'));
  const makeKey = (id: string, keyLabel: string, keyType: string, cert: { subject: string; days: number; keyUsage: string }, keyOptions: string[] = []): TokenKeyFixture => (
    { id, label: keyLabel, certificate: addKeyWithCertificate(token, ca, { id, label: keyLabel, keyType, ...cert, keyOptions }) }
  );
  const signing = 'critical,digitalSignature,nonRepudiation';
  const keys = {
    rsa: makeKey('01', 'budi-rsa', 'rsa:2048', { subject: `${subjectBase}/CN=Budi Santoso/serialNumber=198001012005011001`, days: 30, keyUsage: signing }),
    ec: makeKey('02', 'siti-ec', 'EC:prime256v1', { subject: `${subjectBase}/CN=Siti Rahmawati/serialNumber=198502022010012002`, days: 30, keyUsage: signing }, ['--always-auth']),
    expired: makeKey('03', 'lama-expired', 'EC:prime256v1', { subject: `${subjectBase}/CN=Pejabat Lama`, days: -1, keyUsage: signing }),
    noSigning: makeKey('04', 'enkripsi-saja', 'EC:prime256v1', { subject: `${subjectBase}/CN=Kunci Enkripsi`, days: 30, keyUsage: 'critical,keyAgreement' }),
  };
  const { conf, tokenDir, serial } = token;

  return {
    dir, conf, module: softhsmModule, label, serial, pin, soPin, ca, keys,
    remove: () => rmSync(tokenDir, { recursive: true, force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
