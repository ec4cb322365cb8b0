// A small local certificate authority run with the `openssl` binary: a self-signed root and
// end-entity certificates issued for public keys that live on a token (no CSR — the private key
// never leaves the token, so the CA places the exported public key itself with
// `x509 -new -force_pubkey`). It certifies the desk's demo token (demo.ts) and the tests' tokens;
// nothing it issues is trusted by anyone but a test or the demo.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalCa {
  dir: string;
  /** The root certificate (PEM file path and DER bytes), to trust in a test or the demo. */
  certPath: string;
  certDer: Uint8Array;
  /** The root's private key, for responders that answer as the CA itself (OCSP in tests). */
  keyPath: string;
  issue(options: IssueOptions): IssuedCertificate;
}

export interface IssueOptions {
  /** Public key of the subject, SubjectPublicKeyInfo DER (as `pkcs11-tool --read-object --type pubkey` prints it). */
  publicKeyDer: Uint8Array;
  /** e.g. '/C=ID/O=Pemerintah Kabupaten Contoh/CN=Budi Santoso' */
  subject: string;
  /** Days of validity from now; a negative value gives a certificate whose notAfter is already past. */
  days: number;
  /** The keyUsage extension value, e.g. 'critical,digitalSignature,nonRepudiation'. */
  keyUsage: string;
  /** File name stem inside the CA directory. */
  name: string;
  /** The extendedKeyUsage extension value, e.g. 'critical,timeStamping' for a TSA. */
  extendedKeyUsage?: string;
  /** An OCSP responder URL for the Authority Information Access extension. */
  ocspUrl?: string;
}

export interface IssuedCertificate {
  pemPath: string;
  derPath: string;
  der: Uint8Array;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function createLocalCa(dir: string, commonName = 'Loket Test Root CA'): LocalCa {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'ca.key');
  const certPath = join(dir, 'ca.pem');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[req]', 'distinguished_name = dn', 'x509_extensions = v3_ca', 'prompt = no',
    '[dn]', `CN = ${commonName}`, 'O = Loket Test', 'C = ID',
    '[v3_ca]', 'basicConstraints = critical,CA:true', 'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
  ].join('\n') + '\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '30', '-config', 'ca.cnf'], dir);
  const certDer = new Uint8Array(execFileSync('openssl', ['x509', '-in', certPath, '-outform', 'DER']));
  let serial = 0x1000;

  return {
    dir,
    certPath,
    certDer,
    keyPath,
    issue(options) {
      const pubDer = join(dir, `${options.name}.pub.der`);
      const pubPem = join(dir, `${options.name}.pub.pem`);
      writeFileSync(pubDer, options.publicKeyDer);
      openssl(['pkey', '-pubin', '-inform', 'DER', '-in', pubDer, '-out', pubPem], dir);
      const extPath = join(dir, `${options.name}.ext`);
      writeFileSync(extPath, [
        '[v3_ee]', 'basicConstraints = critical,CA:false', `keyUsage = ${options.keyUsage}`,
        'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
        ...(options.extendedKeyUsage ? [`extendedKeyUsage = ${options.extendedKeyUsage}`] : []),
        ...(options.ocspUrl ? [`authorityInfoAccess = OCSP;URI:${options.ocspUrl}`] : []),
      ].join('\n') + '\n');
      const pemPath = join(dir, `${options.name}.pem`);
      const derPath = join(dir, `${options.name}.der`);
      serial += 1;
      openssl(['x509', '-new', '-force_pubkey', pubPem, '-subj', options.subject, '-CA', certPath, '-CAkey', keyPath,
        '-set_serial', String(serial), '-days', String(options.days), '-sha256', '-extfile', extPath, '-extensions', 'v3_ee', '-out', pemPath], dir);
      openssl(['x509', '-in', pemPath, '-outform', 'DER', '-out', derPath], dir);
      return { pemPath, derPath, der: new Uint8Array(readFileSync(derPath)) };
    },
  };
}
