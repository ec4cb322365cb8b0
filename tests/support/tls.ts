// TLS for tests: a throw-away development CA with a server certificate for 127.0.0.1 (made by the
// same openssl script the embedded default uses), a second unrelated CA, and an HTTPS client that
// trusts exactly one CA — the way a desk configured with the agency's CA bundle connects.
import { request } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevCertificates, type DevCertificates } from '../../dev/server-ca.ts';

export interface TestTls {
  dir: string;
  /** The CA that signed the server certificate. */
  trusted: DevCertificates;
  /** Another CA that signed nothing the server presents. */
  other: DevCertificates;
}

export function createTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'loket-tls-'));
  return {
    dir,
    trusted: createDevCertificates(join(dir, 'trusted'), { name: 'Loket Test CA', days: 2 }),
    other: createDevCertificates(join(dir, 'other'), { name: 'Some Other CA', days: 2 }),
  };
}

export interface HttpsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body parsed as JSON (undefined when it is empty or not JSON). */
  json: unknown;
}

/** One HTTPS request trusting only `caFile`; rejects with the TLS error when the server's chain does not lead to it. */
export function httpsRequest(url: string, options: { caFile: string; method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<HttpsReply> {
  const ca = readFileSync(options.caFile);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let json: unknown;
        try { json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
