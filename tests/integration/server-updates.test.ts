// The desks' update feed (electron-updater generic provider): latest.yml and the installers served
// from the configured folder over the same TLS as the API, with ranges for differential downloads,
// and nothing outside that folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateFeedUrl } from '../../main/sync/update-feed.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';

describe('update feed', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let bare: TestServer;
  let dir: string;
  const installer = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));

  beforeAll(async () => {
    tls = createTestTls();
    dir = mkdtempSync(join(tmpdir(), 'loket-updates-'));
    mkdirSync(join(dir, 'feed'));
    writeFileSync(join(dir, 'feed', 'latest.yml'), 'version: 0.2.0\nfiles:\n  - url: Loket-Setup-0.2.0.exe\n    sha512: abc\n    size: 5000\npath: Loket-Setup-0.2.0.exe\n');
    writeFileSync(join(dir, 'feed', 'Loket-Setup-0.2.0.exe'), installer);
    writeFileSync(join(dir, 'secret.txt'), 'not part of the feed');
    srv = await startTestServer({ databases, tls, seed: false, config: { updates: { dir: join(dir, 'feed') } } });
    bare = await startTestServer({ databases, tls, seed: false });
  });
  afterAll(async () => {
    await srv?.close();
    await bare?.close();
    databases.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('serves latest.yml uncached and the installer whole or by range, without signing in', async () => {
    const yml = await srv.call('GET', '/updates/latest.yml');
    expect(yml.status).toBe(200);
    expect(yml.headers['content-type']).toContain('text/yaml');
    expect(yml.headers['cache-control']).toBe('no-cache');
    expect(yml.body.toString()).toContain('version: 0.2.0');
    const whole = await srv.call('GET', '/updates/Loket-Setup-0.2.0.exe');
    expect(whole.body.equals(installer)).toBe(true);
    const part = await srv.call('GET', '/updates/Loket-Setup-0.2.0.exe', { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 1000-1999/5000');
    expect(part.body.equals(installer.subarray(1000, 2000))).toBe(true);
    expect((await srv.call('GET', '/updates/Loket-Setup-0.2.0.exe', { headers: { range: 'bytes=9000-' } })).status).toBe(416);
  });

  it('is where a packaged desk looks: the feed URL of its server, with or without a trailing slash', async () => {
    for (const server of [srv.url, `${srv.url}/`]) {
      const feed = new URL(`${updateFeedUrl(server)}/latest.yml`);
      expect(feed.origin).toBe(new URL(srv.url).origin);
      const yml = await srv.call('GET', feed.pathname);
      expect(yml.status).toBe(200);
      expect(yml.body.toString()).toContain('path: Loket-Setup-0.2.0.exe');
    }
    expect(updateFeedUrl('')).toBeUndefined();
  });

  it('serves nothing outside the folder, and nothing when no feed is configured', async () => {
    for (const path of ['/updates/..%2Fsecret.txt', '/updates/.hidden', '/updates/%2E%2E']) {
      const reply = await srv.call('GET', path);
      expect(reply.status, path).toBeGreaterThanOrEqual(400);
      expect(reply.status, path).toBeLessThan(500);
      expect(reply.body.toString()).not.toContain('not part of the feed');
    }
    expect((await srv.call('GET', '/updates/missing.yml')).status).toBe(404);
    expect((await bare.call('GET', '/updates/latest.yml')).status).toBe(404);
  });
});
