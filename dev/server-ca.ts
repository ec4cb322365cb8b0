// Creates a development certificate authority and a server certificate for 127.0.0.1/localhost with
// openssl, for the embedded default and the tests. Production uses the agency's own certificates.
//   node dev/server-ca.ts <dir>   → <dir>/ca.pem, ca.key, server.pem, server.key
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DevCertificates {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA named `name` and a server certificate it signed, valid for `hosts` (DNS names or IP addresses). */
export function createDevCertificates(dir: string, options: { name?: string; hosts?: string[]; days?: number } = {}): DevCertificates {
  const name = options.name ?? 'Loket Development CA';
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const days = String(options.days ?? 825);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', days, '-subj', `/O=Loket/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', `/O=Loket/CN=${hosts[0] ?? 'localhost'}`], dir);
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', days, '-extfile', 'server.ext'], dir);
  return { dir, caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca.key'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server.key') };
}

if (import.meta.main) {
  const dir = resolve(process.argv[2] ?? 'dev-certs');
  if (existsSync(join(dir, 'server.pem'))) {
    console.error(`${dir}/server.pem already exists; not overwriting it`);
    process.exit(1);
  }
  const certs = createDevCertificates(dir);
  console.log(`Development CA:      ${certs.caCert} (trust this on the desks)\nServer certificate:  ${certs.serverCert}\nServer key:          ${certs.serverKey}`);
}
