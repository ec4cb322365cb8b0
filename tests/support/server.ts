// Starts the real central server (server/app.ts) for integration tests: TLS with the test CA
// on 127.0.0.1 and a random port, SQLite or a database in the throw-away PostgreSQL cluster, the demo
// organisation seeded, and a small HTTPS client that trusts only the test CA.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type ServerConfig, type ServerConfigInput } from '../../server/config.ts';
import { createServer, type RunningServer } from '../../server/app.ts';
import { demoPassword, seedDemo } from '../../server/demo/seed.ts';
import { httpsRequest, type HttpsReply, type TestTls } from './tls.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { Change } from '../../common/protocol/index.ts';
import type { MutationResult, PullReply } from '../../common/protocol/sync.ts';

export type BackendName = 'sqlite' | 'postgres';

/** The databases every server test runs against; PostgreSQL is left out only when it cannot run here, and says so. */
export function backendNames(): BackendName[] {
  const reason = postgresUnavailable();
  if (reason) console.warn(`[server tests] PostgreSQL tests SKIPPED: ${reason}`);
  return reason ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** Gives each test server its own empty database. */
export class Databases {
  private pg: TestPostgres | undefined;
  private count = 0;
  readonly backend: BackendName;

  constructor(backend: BackendName) {
    this.backend = backend;
  }

  async next(dir: string): Promise<ServerConfigInput['database']> {
    this.count++;
    if (this.backend === 'sqlite') return { kind: 'sqlite', file: join(dir, 'server.sqlite') };
    this.pg ??= await startPostgres();
    return { kind: 'postgres', connectionString: await this.pg.createDatabase(`loket_test_${process.pid}_${this.count}`), poolSize: 8 };
  }

  stop(): void {
    this.pg?.stop();
    this.pg = undefined;
  }
}

/** A clock the test moves by hand, so lockouts and expiries are crossed without sleeping. */
export function manualClock(start = Date.parse('2026-03-02T08:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

export interface Session { accessToken: string; refreshToken: string; user: { id: string; officeId: string | null; role: string } }

export interface TestServer {
  server: RunningServer;
  config: ServerConfig;
  url: string;
  dir: string;
  call(method: string, path: string, options?: { token?: string; json?: unknown; body?: Buffer | string; headers?: Record<string, string> }): Promise<HttpsReply>;
  login(username: string, deviceId: string, password?: string): Promise<Session>;
  /** Pushes one mutation as `session` and answers its result (applied, duplicate, or the refusal). */
  pushOne(session: Session, kind: string, payload: unknown, id?: string): Promise<MutationResult>;
  /** The whole change feed `session` may pull, from the start. */
  feed(session: Session): Promise<Change[]>;
  close(): Promise<void>;
}

export async function startTestServer(options: {
  databases: Databases;
  tls: TestTls;
  config?: Partial<ServerConfigInput>;
  now?: () => number;
  seed?: boolean;
}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-server-'));
  const config = parseConfig({
    host: '127.0.0.1',
    port: 0,
    tls: { certFile: options.tls.trusted.serverCert, keyFile: options.tls.trusted.serverKey },
    database: options.config?.database ?? await options.databases.next(dir),
    blobDir: join(dir, 'blobs'),
    logLevel: 'warn',
    ...options.config,
  });
  const server = await createServer(config, options.now ? { now: options.now } : {});
  if (options.seed !== false) await seedDemo(server.db);
  const url = await server.listen();
  const call: TestServer['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body = o.body;
    if (o.json !== undefined) { headers['content-type'] ??= 'application/json'; body = JSON.stringify(o.json); }
    return httpsRequest(url + path, { caFile: options.tls.trusted.caCert, method, headers, body });
  };
  return {
    server,
    config,
    url,
    dir,
    call,
    async login(username, deviceId, password = demoPassword) {
      const reply = await call('POST', '/auth/login', { json: { username, password, deviceId, deviceName: `Meja ${deviceId}` } });
      if (reply.status !== 200) throw new Error(`login of ${username} failed: ${reply.status} ${reply.body.toString()}`);
      return reply.json as Session;
    },
    async pushOne(session, kind, payload, id = uuidv7()) {
      const reply = await call('POST', '/sync/push', { token: session.accessToken, json: { mutations: [{ id, kind, payload }] } });
      if (reply.status !== 200) throw new Error(`push of ${kind} answered ${reply.status}: ${reply.body.toString()}`);
      return (reply.json as { results: MutationResult[] }).results[0]!;
    },
    async feed(session) {
      const changes: Change[] = [];
      for (let cursor = 0; ;) {
        const page = (await call('GET', `/sync/pull?cursor=${cursor}&limit=500`, { token: session.accessToken })).json as PullReply;
        changes.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) return changes;
      }
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
