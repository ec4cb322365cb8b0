// The central server as a desk first meets it: over TLS on loopback, with its schema migrated on
// SQLite and PostgreSQL alike, refusing a server its CA does not vouch for, and answering bad input
// with a 4xx and a code instead of a crash.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createServer } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { createTestTls, httpsRequest, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ databases, tls }); });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  it('a desk checking the server gets a healthy answer over HTTPS from the right database', async () => {
    const reply = await srv.call('GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok', database: backend });
  });

  it('the schema is migrated once, and a second start finds nothing left to migrate', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(srv.server.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    const second = await createServer(parseConfig({ port: 0, database: await databaseOf(srv), blobDir: `${srv.dir}/blobs`, logLevel: 'silent' }));
    const again = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(second.db);
    expect(again.rows).toEqual(applied.rows);
    const tables = await second.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'letters', 'changes', 'number_leases', 'blobs', 'applied_mutations']));
    await second.close();
  });

  it('a clerk who forgot a brace in a request gets MALFORMED_JSON, not a server error', async () => {
    const reply = await srv.call('POST', '/auth/login', { body: '{"username": "admin.dinkes",', headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
  });

  it('an oversized request is refused with PAYLOAD_TOO_LARGE and the server keeps serving', async () => {
    const session = await srv.login('operator.dinkes', 'desk-big-0001');
    const huge = { mutations: [{ id: '0190a5c4-5e1a-7b3c-8d2e-1f2a3b4c5d6e', kind: 'letter.register', payload: { summary: 'x'.repeat(2 * 1024 * 1024) } }] };
    const reply = await srv.call('POST', '/sync/push', { token: session.accessToken, json: huge });
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect((await srv.call('GET', '/health')).status).toBe(200);
  });

  it('every endpoint fed garbage answers 4xx with a code and a Bahasa Indonesia message', async () => {
    const session = await srv.login('admin.dinkes', 'desk-junk-0001');
    const endpoints: [string, string][] = [
      ['POST', '/auth/login'], ['POST', '/auth/refresh'], ['POST', '/auth/logout'], ['POST', '/auth/password'],
      ['POST', '/admin/users'], ['PATCH', '/admin/users/user-staf-dinkes'], ['POST', '/admin/users/user-staf-dinkes/password'],
      ['POST', '/sync/push'], ['POST', '/numbering/lease'], ['POST', '/numbering/unused'], ['POST', '/blobs'],
    ];
    const garbage = ['null', '[]', '"teks"', '42', '{"unexpected":true}', '{"__proto__":{"role":"super_admin"}}', '{"constructor":{"prototype":{"x":1}}}'];
    for (const [method, path] of endpoints) {
      for (const body of garbage) {
        const reply = await srv.call(method, path, { token: session.accessToken, body, headers: { 'content-type': 'application/json' } });
        expect(reply.status, `${method} ${path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(reply.status, `${method} ${path} ${body}`).toBeLessThan(500);
        const error = (reply.json as { error: { code: string; message: string } }).error;
        expect(error.code).toMatch(/^[A-Z_]+$/);
        expect(error.message.length).toBeGreaterThan(10);
      }
    }
    const badQuery = await srv.call('GET', '/sync/pull?cursor=minus-satu', { token: session.accessToken });
    expect(badQuery.status).toBe(400);
    expect(badQuery.json).toMatchObject({ error: { code: 'VALIDATION' } });
    const unknown = await srv.call('GET', '/tidak-ada');
    expect(unknown.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

async function databaseOf(srv: TestServer) {
  // The same database the running server uses, reopened by a second instance as a second server would.
  const { isPostgres } = await import('../../server/db/dialect.ts');
  if (!isPostgres(srv.server.db)) return { kind: 'sqlite' as const, file: `${srv.dir}/server.sqlite` };
  const row = await sql<{ db: string; port: number }>`select current_database() as db, inet_server_port() as port`.execute(srv.server.db);
  const { db, port } = row.rows[0]!;
  return { kind: 'postgres' as const, connectionString: `postgresql://loket@127.0.0.1:${port}/${db}` };
}

describe('TLS', () => {
  const databases = new Databases('sqlite');
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ databases, tls, seed: false }); });
  afterAll(async () => { await srv?.close(); });

  it('a desk that trusts only the agency CA connects', async () => {
    const reply = await httpsRequest(`${srv.url}/health`, { caFile: tls.trusted.caCert });
    expect(reply.status).toBe(200);
  });

  it('a desk that trusts another CA refuses the server instead of talking to it', async () => {
    await expect(httpsRequest(`${srv.url}/health`, { caFile: tls.other.caCert })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('the server will not start on a public address without a certificate', () => {
    expect(() => parseConfig({ host: '0.0.0.0', database: { kind: 'sqlite', file: ':memory:' }, blobDir: '/tmp/x' })).toThrow(/loopback only/);
  });
});
