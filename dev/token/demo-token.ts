// The demo token of `npm start`: on a desk with no real token driver, Loket offers a SoftHSM2 token
// kept under the data directory (its own SOFTHSM2_CONF), with an RSA key generated on the token and
// a certificate from a local demo CA — clearly labelled as a demo, trusted by nobody, so the whole
// signing flow can be tried without hardware. Never offered once a real token driver is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalCa } from './local-ca.ts';
import type { DemoTokens } from '../../main/sign/handlers.ts';
import { addKeyWithCertificate, initSoftToken, softhsmModulePath } from './softhsm.ts';

export const demoTokenLabel = 'Token Demo Loket';
/** Shown on screen next to the demo token: it protects nothing. */
export const demoTokenPin = '123456';

const demoDir = (dataDir: string) => join(dataDir, 'demo-token');
const demoConf = (dataDir: string) => join(demoDir(dataDir), 'softhsm2.conf');

/** The device worker's environment for the demo token: its private SoftHSM2 configuration. */
export function demoTokenEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // A SOFTHSM2_CONF given from outside (a developer's own SoftHSM, the tests) wins.
  return env.SOFTHSM2_CONF ? {} : { SOFTHSM2_CONF: demoConf(dataDir) };
}

export function demoTokenExists(dataDir: string): boolean {
  const tokens = join(demoDir(dataDir), 'tokens');
  return existsSync(demoConf(dataDir)) && existsSync(tokens) && readdirSync(tokens).length > 0;
}

function onPath(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // Present but unhappy with --version still counts; only a missing binary does not.
    return (err as { code?: unknown }).code !== 'ENOENT';
  }
}

/** SoftHSM2, OpenSC's pkcs11-tool and openssl are installed, so a demo token can be made here. */
export function demoTokenPossible(): boolean {
  return softhsmModulePath() !== null && ['softhsm2-util', 'pkcs11-tool', 'openssl'].every(onPath);
}

/** Makes the demo token (a few seconds: the RSA key is generated on the token). */
export function createDemoToken(dataDir: string, holder: { name: string; nip: string }): void {
  const module = softhsmModulePath();
  if (module === null) throw new Error('SoftHSM2 is not installed');
  const dir = demoDir(dataDir);
  const token = initSoftToken(dir, { module, label: demoTokenLabel, pin: demoTokenPin, soPin: '87654321' });
  const ca = createLocalCa(join(dir, 'ca'), 'Loket Demo CA (tidak untuk dinas)');
  // openssl -subj takes "/" and "=" as separators; a name keeps only what cannot break it.
  const safe = (text: string) => text.replace(/[/=\\+,]/g, ' ').trim() || 'Pejabat Demo';
  addKeyWithCertificate(token, ca, {
    id: '01', label: 'demo-rsa', keyType: 'rsa:2048', days: 365, keyUsage: 'critical,digitalSignature,nonRepudiation',
    subject: `/C=ID/O=Loket (demo)/CN=${safe(holder.name)}/serialNumber=${safe(holder.nip)}`,
  });
}

/** The demo token as the signing screen's seam takes it. */
export const demoTokens: DemoTokens = {
  pin: demoTokenPin,
  modulePath: () => softhsmModulePath(),
  possible: demoTokenPossible,
  exists: demoTokenExists,
  create: createDemoToken,
};
