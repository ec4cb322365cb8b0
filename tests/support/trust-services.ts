// The agency's trust services for the signing tests, run with OpenSSL's own implementations on
// loopback: a timestamp authority (`openssl ts -reply` behind a tiny node:http wrapper, its
// certificate issued by the test CA with extendedKeyUsage timeStamping, critical) and an OCSP
// responder (`openssl ocsp -index … -port …`, answering as the CA itself).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestCa } from './test-ca.ts';

export interface TimestampAuthority {
  url: string;
  /** Requests answered so far. */
  requests(): number;
  /** Refuse connections from now on (the TSA "goes offline"), or serve again. */
  setReachable(reachable: boolean): void;
  certificateDer: Uint8Array;
  stop(): Promise<void>;
}

export async function startTimestampAuthority(ca: TestCa, dir: string): Promise<TimestampAuthority> {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, 'tsa.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath], { stdio: 'ignore' });
  const publicKeyDer = new Uint8Array(execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']));
  const cert = ca.issue({ publicKeyDer, subject: '/C=ID/O=Loket Test/CN=Loket Test TSA', days: 30, keyUsage: 'critical,digitalSignature,nonRepudiation', extendedKeyUsage: 'critical,timeStamping', name: 'tsa' });
  const config = join(dir, 'tsa.cnf');
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  writeFileSync(config, [
    '[tsa]', 'default_tsa = tsa_config', '[tsa_config]', `serial = ${join(dir, 'tsaserial')}`, 'crypto_device = builtin',
    `signer_cert = ${cert.pemPath}`, `certs = ${ca.certPath}`, `signer_key = ${keyPath}`, 'signer_digest = sha256',
    'default_policy = 1.3.6.1.4.1.99999.1', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes',
    'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256',
  ].join('\n') + '\n');
  let count = 0;
  let reachable = true;
  const server: Server = createServer((req, res) => {
    if (!reachable) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count++;
      const query = join(dir, `q${count}.tsq`);
      const reply = join(dir, `r${count}.tsr`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        execFileSync('openssl', ['ts', '-reply', '-config', config, '-queryfile', query, '-out', reply], { stdio: 'ignore' });
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(reply));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  server.on('connection', (socket) => { if (!reachable) socket.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`,
    requests: () => count,
    setReachable: (value) => {
      reachable = value;
      // Kept-alive connections would otherwise still reach a TSA that is "offline".
      if (!value) server.closeAllConnections();
    },
    certificateDer: cert.der,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface OcspResponder {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Waits for the responder's "waiting for OCSP client connections" line. (Probing the port instead
 * would hang it: `openssl ocsp` serves one connection at a time and waits on a silent one.)
 */
function waitUntilListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('waiting for OCSP client connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited with ${code}: ${output}`)));
  });
}

/** The CA's OCSP responder; `revoked` certificates are answered as revoked, the other listed ones as good. */
export async function startOcspResponder(ca: TestCa, dir: string, certificates: { der: Uint8Array; revoked?: boolean }[]): Promise<OcspResponder> {
  mkdirSync(dir, { recursive: true });
  const asn1Time = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const index = certificates.map(({ der, revoked }) => {
    const x = new X509Certificate(der);
    const dn = `/${x.subject.split('\n').join('/')}`;
    return [revoked ? 'R' : 'V', asn1Time(new Date(x.validTo)), revoked ? asn1Time(new Date(Date.now() - 3_600_000)) : '', x.serialNumber, 'unknown', dn].join('\t');
  });
  const indexPath = join(dir, 'index.txt');
  writeFileSync(indexPath, index.join('\n') + '\n');
  const port = await freePort();
  const child = spawn('openssl', ['ocsp', '-index', indexPath, '-port', String(port), '-rsigner', ca.certPath, '-rkey', ca.keyPath, '-CA', ca.certPath, '-ndays', '1', '-ignore_err'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitUntilListening(child);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
