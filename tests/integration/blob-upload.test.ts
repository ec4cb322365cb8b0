// The desk's scan upload (main/sync/blob-upload.ts) against the real server over TLS: a connection
// that drops in the middle of a request costs only the bytes that were on the wire — the server
// keeps what arrived and the desk carries on from there, without repeating what the server has.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadBlob } from '../../main/remote/blob-upload.ts';
import { createServerClient } from '../../main/remote/client.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

/** A TCP hop between desk and server that counts the desk's bytes and can cut every connection once a number of them went through. */
async function cuttingHop(targetPort: number) {
  const sockets = new Set<Socket>();
  let forwarded = 0;
  let cuts = 0;
  let cutAfter = Infinity;
  const server: Server = createTcpServer((desk) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(desk).add(upstream);
    desk.on('data', (d: Buffer) => {
      forwarded += d.length;
      upstream.write(d);
      if (forwarded >= cutAfter) {
        cutAfter = Infinity;
        cuts++;
        for (const s of sockets) s.destroy();
      }
    });
    upstream.on('data', (d: Buffer) => desk.write(d));
    for (const [a, b] of [[desk, upstream], [upstream, desk]] as const) {
      a.on('close', () => { sockets.delete(a); b.destroy(); });
      a.on('error', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    get forwarded() { return forwarded; },
    get cuts() { return cuts; },
    cutWhenForwarded(bytes: number) { cutAfter = bytes; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

let tls: TestTls;
const databases = new Databases('sqlite');
let srv: TestServer;
let clerk: Session;
beforeAll(async () => {
  tls = createTestTls();
  srv = await startTestServer({ databases, tls });
  clerk = await srv.login('operator.dinkes', 'desk-upload-01');
});
afterAll(async () => {
  await srv?.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

describe('scan upload', () => {
  it('a connection dropped mid-upload costs only what was on the wire: the desk resumes where the server got to', async () => {
    const hop = await cuttingHop(Number(new URL(srv.url).port));
    const client = createServerClient({ url: `https://localhost:${hop.port}`, caFile: tls.trusted.caCert });
    try {
      const scan = randomBytes(3 * 1024 * 1024);
      const sha256 = createHash('sha256').update(scan).digest('hex');
      hop.cutWhenForwarded(1024 * 1024);
      const progress: number[] = [];
      await uploadBlob({ client, token: clerk.accessToken, sha256, bytes: scan, onProgress: (sent) => progress.push(sent) });

      expect(hop.cuts).toBe(1);
      const stored = await srv.call('GET', `/blobs/${sha256}`, { token: clerk.accessToken });
      expect(createHash('sha256').update(stored.body).digest('hex')).toBe(sha256);
      // One upload's worth plus TLS, HTTP and the probe after reconnecting; resending the
      // interrupted request (or a 1 MiB chunk) would add a megabyte.
      expect(hop.forwarded - scan.length).toBeLessThan(192 * 1024);
      expect(progress.at(-1)).toBe(scan.length);
      // The bar moves along with the bytes instead of jumping from nothing to everything.
      expect(progress.filter((p) => p > 0 && p < scan.length).length).toBeGreaterThan(10);
    } finally {
      client.close();
      await hop.close();
    }
  });

  it('a second upload of bytes the server already has sends nothing', async () => {
    const hop = await cuttingHop(Number(new URL(srv.url).port));
    const client = createServerClient({ url: `https://localhost:${hop.port}`, caFile: tls.trusted.caCert });
    try {
      const scan = randomBytes(512 * 1024);
      const sha256 = createHash('sha256').update(scan).digest('hex');
      await uploadBlob({ client, token: clerk.accessToken, sha256, bytes: scan });
      const before = hop.forwarded;
      await uploadBlob({ client, token: clerk.accessToken, sha256, bytes: scan });
      expect(hop.forwarded - before).toBeLessThan(4 * 1024);
    } finally {
      client.close();
      await hop.close();
    }
  });
});
