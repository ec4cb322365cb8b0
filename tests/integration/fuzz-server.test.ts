// Every HTTP route of the server, fed at least 10 000 generated malformed requests (tests/support/fuzz.ts):
// bodies and queries from the zod schemas of the server's OpenAPI description bent every way, path
// parameters odd or another office's, no token, a bad token or the token of people of each role.
// Routes come from the server's own table (a new route is fuzzed without editing this file). No
// answer may be a 5xx, nothing may reject unhandled, and the server still answers an honest request
// afterwards. The seed is fixed (LOKET_FUZZ_SEED to try another); a failure prints it with the request.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { chunkContentType } from '../../common/protocol/blobs.ts';
import { openApiDocument } from '../../server/http/openapi.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';
import { deepJson, fuzzSeed, payloadFor, TimeShares, type FuzzPools, type JsonSchema } from '../support/fuzz.ts';

const requests = 10_000;
/** What each route may take of the run (tests/support/fuzz.ts TimeShares). */
const shareMs = 1_500;

/** Percent-encodes every byte of the text's UTF-8 (lone surrogates included, as U+FFFD), unlike encodeURIComponent, which throws on them. */
const percent = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

interface Operation { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { name: string; required: boolean; schema: JsonSchema }[] }

describe('the server under generated malformed requests', () => {
  let tls: TestTls;
  const databases = new Databases('sqlite');
  let srv: TestServer;
  const tokens: string[] = [];
  let staff: Session;
  let pools: FuzzPools;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => { unhandled.push(reason); };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    const sessions = await Promise.all(['admin.dinkes', 'operator.dinkes', 'staf.dinkes', 'penandatangan.dinkes', 'superadmin'].map((u) => srv.login(u, `desk-fuzz-${u.replace('.', '-')}`)));
    tokens.push(...sessions.map((s) => s.accessToken));
    staff = sessions[2]!;
    // Another office's things, for requests that name them: a letter with its scan, a disposition, its people and positions.
    const disdik = await srv.login('operator.disdik', 'desk-fuzz-disdik');
    const scan = randomBytes(3_000);
    const sha = createHash('sha256').update(scan).digest('hex');
    await srv.call('POST', '/blobs', { token: disdik.accessToken, json: { sha256: sha, size: scan.length } });
    await srv.call('PATCH', `/blobs/${sha}/upload`, { token: disdik.accessToken, body: scan, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
    const lease = (await srv.call('POST', '/numbering/lease', { token: disdik.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    const letterId = uuidv7();
    const pushed = await srv.call('POST', '/sync/push', { token: disdik.accessToken, json: { mutations: [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: '005/9/2026', letterDate: '2026-03-01', sender: 'Kecamatan',
      addressee: 'Kepala Dinas', subject: 'Undangan', summary: '', urgency: 'biasa', security: 'rahasia', classification: '005', attachments: [sha] } }] } });
    expect(pushed.json).toMatchObject({ results: [{ status: 'applied' }] });
    pools = { ids: [letterId, sha, 'office-disdik', 'user-staf-disdik', 'user-admin-disdik', 'position-disdik-staf', 'position-disdik-penandatangan', disdik.user.id, uuidv7()] };
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it(`answers ${requests} of them without a 5xx, and an honest request afterwards`, async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
    const root = doc as unknown as JsonSchema;
    const routes = srv.server.routes.filter((r) => r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(20);
    const operationOf = (method: string, url: string): Operation | undefined => doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    // The push's body is a list of mutations, each described by the Mutation schema.
    const bodySchema = (url: string, op: Operation | undefined): JsonSchema | undefined => url === '/sync/push'
      ? { type: 'object', properties: { mutations: { type: 'array', items: { $ref: '#/components/schemas/Mutation' } } }, required: ['mutations'] }
      : op?.requestBody?.content['application/json']?.schema;
    const querySchema = (op: Operation | undefined): JsonSchema | undefined => op?.parameters && {
      type: 'object', properties: Object.fromEntries(op.parameters.map((p) => [p.name, p.schema])), required: op.parameters.filter((p) => p.required).map((p) => p.name),
    };
    const pathValue = fc.oneof(fc.constantFrom(...pools.ids), fc.constantFrom('%E0%A4%A', '%00', '..%2F..%2Fetc', 'x'.repeat(3000), '%F0%9F%98%80', '0'.repeat(64)), fc.string({ maxLength: 20 }).map(percent));
    const token = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...tokens).map((t) => `Bearer ${t}`) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, 'Bearer', 'Bearer x.y.z', `Bearer ${tokens[0]!.slice(0, -2)}AA`, 'Basic YWRtaW46YWRtaW4=', 'Bearer ' + 'a'.repeat(5000)) });
    const rawBody = fc.oneof(
      fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '1e999', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '['.repeat(100_000)),
      fc.tuple(fc.constantFrom(5_000, 50_000), fc.boolean(), fc.constantFrom('$', `{"mutations":[{"id":"${uuidv7()}","kind":"audit.record","payload":$}]}`, '{"username":$,"password":$}'))
        .map(([depth, arrays, wrapper]) => deepJson(depth, arrays, wrapper)),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );

    const request = fc.constantFrom(...routes).chain((route) => {
      const op = operationOf(route.method, route.url);
      const query = querySchema(op);
      return fc.record({
        route: fc.constant(route),
        params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
        query: query ? payloadFor(query, root, pools) : fc.constant(undefined),
        body: payloadFor(bodySchema(route.url, op), root, pools),
        raw: fc.option(rawBody, { freq: 8 }),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json', chunkContentType, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
        uploadOffset: fc.constantFrom('0', '-1', '1', 'abc', '9007199254740993', '1e3', ''),
        authorization: token,
      });
    });

    let sent = 0;
    const shares = new TimeShares(shareMs);
    const byStatus = new Map<number, number>();
    const started = Date.now();
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const target = `${r.route.method} ${r.route.url}`;
      fc.pre(shares.allows(target));
      let i = 0;
      const url = r.route.url.replace(/:(\w+)/g, () => r.params[i++] ?? 'x').replace(/\*$/, r.params[2] ?? '');
      const search = r.query && typeof r.query === 'object' && !Array.isArray(r.query)
        ? '?' + Object.entries(r.query as Record<string, unknown>).map(([k, v]) => `${percent(k)}=${percent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&')
        : '';
      const hasBody = !['GET', 'HEAD'].includes(r.route.method);
      let payload: string | Buffer | undefined;
      if (hasBody) {
        if (r.raw !== null) payload = r.raw;
        else if (r.contentType === chunkContentType) payload = randomBytes(r.params[0]!.length % 4096);
        else payload = JSON.stringify(r.body) ?? '';
      }
      const headers: Record<string, string> = { 'x-forwarded-for': '203.0.113.7' };
      if (r.authorization) headers.authorization = r.authorization;
      if (hasBody) { headers['content-type'] = r.contentType; headers['upload-offset'] = r.uploadOffset; }
      const t0 = Date.now();
      const reply = await srv.server.app.inject({ method: r.route.method as 'GET', url: url + search, headers, ...(payload !== undefined ? { payload } : {}) });
      shares.spent(target, Date.now() - t0);
      sent++;
      byStatus.set(reply.statusCode, (byStatus.get(reply.statusCode) ?? 0) + 1);
      if (reply.statusCode >= 500) {
        throw new Error(`${r.route.method} ${url + search} answered ${reply.statusCode}: ${reply.body.slice(0, 300)}\nbody: ${String(payload).slice(0, 500)}`);
      }
    }), { numRuns: requests, seed: fuzzSeed(), endOnFailure: true, maxSkipsPerRun: 1_000 });
    console.info(`[fuzz] server: ${sent} requests over ${routes.length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${fuzzSeed()}; `
      + `statuses ${JSON.stringify(Object.fromEntries(byStatus))}; used their ${shareMs} ms share: ${shares.exhausted().join(', ') || 'none'}`);
    expect(sent).toBeGreaterThanOrEqual(requests);
    expect(unhandled).toEqual([]);

    // Still itself: an honest request is answered as before.
    const me = await srv.call('GET', '/auth/me', { token: staff.accessToken });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ username: 'staf.dinkes' });
    const pull = await srv.call('GET', '/sync/pull?cursor=0&limit=10', { token: staff.accessToken });
    expect(pull.status).toBe(200);
    expect((await srv.call('GET', '/health')).json).toMatchObject({ status: 'ok' });
  }, 600_000);
});
