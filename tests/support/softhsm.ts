// A real PKCS#11 token for the tests: SoftHSM2 with a private SOFTHSM2_CONF and token directory in a
// temp dir (nothing in /etc touched). Key pairs are generated ON the token with OpenSC's pkcs11-tool;
// the test CA (test-ca.ts) certifies the exported public keys and the certificates are written back
// onto the token under the same CKA_ID, the way a CA's enrolment leaves a USB token.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const subjectBase = '/C=ID/O=Pemerintah Kabupaten Contoh/OU=Sekretariat Daerah';

export function createTestToken(options: { label?: string; pin?: string; soPin?: string } = {}): TestToken {
  const dir = mkdtempSync(join(tmpdir(), 'loket-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const label = options.label ?? 'Loket Uji';
  const pin = options.pin ?? '123456';
  const soPin = options.soPin ?? '87654321';
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], env);
  const tool = (args: string[]) => run('pkcs11-tool', ['--module', softhsmModule, '--token-label', label, ...args], env);
  const serial = /Serial number:\s*(\S+)/.exec(run('softhsm2-util', ['--show-slots'], env))?.[1] ?? '';

  const ca = createTestCa(join(dir, 'ca'));
  const makeKey = (id: string, keyLabel: string, keyType: string, cert: { subject: string; days: number; keyUsage: string }, extra: string[] = []): TokenKeyFixture => {
    tool(['--login', '--pin', pin, '--keypairgen', '--key-type', keyType, '--id', id, '--label', keyLabel, '--usage-sign', ...extra]);
    const pubPath = join(dir, `${keyLabel}.pub.der`);
    tool(['--read-object', '--type', 'pubkey', '--id', id, '--output-file', pubPath]);
    const certificate = ca.issue({ publicKeyDer: new Uint8Array(readFileSync(pubPath)), name: keyLabel, ...cert });
    tool(['--login', '--pin', pin, '--write-object', certificate.derPath, '--type', 'cert', '--id', id, '--label', keyLabel]);
    return { id, label: keyLabel, certificate };
  };
  const signing = 'critical,digitalSignature,nonRepudiation';
  const keys = {
    rsa: makeKey('01', 'budi-rsa', 'rsa:2048', { subject: `${subjectBase}/CN=Budi Santoso/serialNumber=198001012005011001`, days: 30, keyUsage: signing }),
    ec: makeKey('02', 'siti-ec', 'EC:prime256v1', { subject: `${subjectBase}/CN=Siti Rahmawati/serialNumber=198502022010012002`, days: 30, keyUsage: signing }, ['--always-auth']),
    expired: makeKey('03', 'lama-expired', 'EC:prime256v1', { subject: `${subjectBase}/CN=Pejabat Lama`, days: -1, keyUsage: signing }),
    noSigning: makeKey('04', 'enkripsi-saja', 'EC:prime256v1', { subject: `${subjectBase}/CN=Kunci Enkripsi`, days: 30, keyUsage: 'critical,keyAgreement' }),
  };

  return {
    dir, conf, module: softhsmModule, label, serial, pin, soPin, ca, keys,
    remove: () => rmSync(tokenDir, { recursive: true, force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
