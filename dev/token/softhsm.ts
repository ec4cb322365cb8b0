// SoftHSM2 tokens made on this machine, with a private SOFTHSM2_CONF and token directory (nothing in
// /etc touched): initialised with softhsm2-util, key pairs generated ON the token with OpenSC's
// pkcs11-tool, and a certificate for the exported public key written back under the same CKA_ID —
// the way a CA's enrolment leaves a USB token. Used by the desk's demo token and by the tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedCertificate, LocalCa } from './local-ca.ts';
import { knownModules } from '../../main/devices/token/modules.ts';

/** The SoftHSM2 PKCS#11 module installed here, if any. */
export function softhsmModulePath(platform: NodeJS.Platform = process.platform): string | null {
  const softhsm = knownModules.find((m) => m.name.startsWith('SoftHSM2'));
  return softhsm?.paths[platform]?.find((p) => existsSync(p)) ?? null;
}

export interface SoftToken {
  dir: string;
  /** Point SOFTHSM2_CONF here before the first C_Initialize of the process that uses the token. */
  conf: string;
  tokenDir: string;
  module: string;
  label: string;
  serial: string;
  pin: string;
}

function run(cmd: string, args: string[], conf: string): string {
  return execFileSync(cmd, args, { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh, initialised token in `dir` (created if missing). */
export function initSoftToken(dir: string, options: { module: string; label: string; pin: string; soPin: string }): SoftToken {
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n`);
  run('softhsm2-util', ['--init-token', '--free', '--label', options.label, '--pin', options.pin, '--so-pin', options.soPin], conf);
  const serial = /Serial number:\s*(\S+)/.exec(run('softhsm2-util', ['--show-slots'], conf))?.[1] ?? '';
  return { dir, conf, tokenDir, module: options.module, label: options.label, serial, pin: options.pin };
}

export interface KeyOnToken {
  /** CKA_ID as hex, shared by the private key, public key and certificate. */
  id: string;
  label: string;
  /** e.g. 'rsa:2048' or 'EC:prime256v1' (pkcs11-tool --key-type). */
  keyType: string;
  subject: string;
  days: number;
  keyUsage: string;
  /** Extra pkcs11-tool arguments for the key pair, e.g. ['--always-auth']. */
  keyOptions?: string[];
}

/** Generates the key pair on the token, has `ca` certify its public key, and writes the certificate onto the token. */
export function addKeyWithCertificate(token: SoftToken, ca: LocalCa, key: KeyOnToken): IssuedCertificate {
  const tool = (args: string[]) => run('pkcs11-tool', ['--module', token.module, '--token-label', token.label, ...args], token.conf);
  tool(['--login', '--pin', token.pin, '--keypairgen', '--key-type', key.keyType, '--id', key.id, '--label', key.label, '--usage-sign', ...(key.keyOptions ?? [])]);
  const pubPath = join(token.dir, `${key.label}.pub.der`);
  tool(['--read-object', '--type', 'pubkey', '--id', key.id, '--output-file', pubPath]);
  const certificate = ca.issue({ publicKeyDer: new Uint8Array(readFileSync(pubPath)), name: key.label, subject: key.subject, days: key.days, keyUsage: key.keyUsage });
  tool(['--login', '--pin', token.pin, '--write-object', certificate.derPath, '--type', 'cert', '--id', key.id, '--label', key.label]);
  return certificate;
}
