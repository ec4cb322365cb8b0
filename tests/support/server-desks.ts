// The real central server on one database backend with the desks that sync with it, for one describe
// block of integration tests (`describe.each(backendNames())`): its TLS CA and server start before the
// block's tests, and the server, every desk it opened and the CA are taken down after them.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import type { ServerConfigInput } from '../../server/config.ts';
import { Databases, startTestServer, type BackendName, type TestServer } from './server.ts';
import { startTestDesk, type TestDesk } from './sync-desk.ts';
import { createTestTls, type TestTls } from './tls.ts';

export interface ServerWithDesks {
  /** The running server; read it inside the block's tests and hooks, not while the block is declared. */
  readonly srv: TestServer;
  readonly tls: TestTls;
  /**
   * A desk syncing with the server (or with `serverUrl`, a proxy in front of it), signed in as
   * `username` when one is given; closed after the block.
   */
  desk(username?: string, options?: { serverUrl?: string; dir?: string; keyed?: boolean }): Promise<TestDesk>;
}

export function serverWithDesks(backend: BackendName, options: { config?: Partial<ServerConfigInput> } = {}): ServerWithDesks {
  const databases = new Databases(backend);
  let tls: TestTls | undefined;
  let srv: TestServer | undefined;
  const desks: TestDesk[] = [];
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls, ...(options.config ? { config: options.config } : {}) });
  });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test server is read before its block has started it');
    return value;
  };
  return {
    get srv() { return started(srv); },
    get tls() { return started(tls); },
    async desk(username, o = {}) {
      const d = await startTestDesk({ serverUrl: o.serverUrl ?? started(srv).url, caFile: started(tls).trusted.caCert, ...(o.dir ? { dir: o.dir } : {}), ...(o.keyed ? { keyed: true } : {}) });
      desks.push(d);
      if (username !== undefined) await d.sync.auth.login(username, demoPassword);
      return d;
    },
  };
}
