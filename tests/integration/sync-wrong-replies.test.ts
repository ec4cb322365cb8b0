// Answers of the wrong shape reach the desk — a proxy or captive portal answering in HTML, a server
// of another version, an answer altered on the way. A TLS proxy in front of the real server rewrites
// chosen answers: the desk says so in Bahasa Indonesia (SERVER_REPLY_INVALID), takes nothing of the
// answer (no letter marked sent, no feed row stored, no number block, no account), and once the
// server answers properly everything arrives, exactly once. Rows of a feed entity a later server
// version writes are not "wrong": the desk keeps them unread and goes on.
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { defaultMessages } from '../../common/errors.ts';
import { createTestTls, httpsRequest, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

interface Answer { status: number; body: string }
type Rewrite = (request: { method: string; path: string }, answer: Answer) => Answer | undefined;

/** An HTTPS proxy with the test CA's server certificate that passes requests to `target` and lets the test rewrite answers. */
async function startRewritingProxy(tls: TestTls, target: string) {
  let rewrite: Rewrite | undefined;
  const server: Server = createServer({ cert: readFileSync(tls.trusted.serverCert), key: readFileSync(tls.trusted.serverKey) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection'].includes(k))) as Record<string, string>;
      httpsRequest(`${target}${req.url}`, { caFile: tls.trusted.caCert, method: req.method ?? 'GET', headers, body: Buffer.concat(chunks) }).then((upstream) => {
        const answer = { status: upstream.status, body: upstream.body.toString('utf8') };
        const changed = rewrite?.({ method: req.method ?? 'GET', path: (req.url ?? '').replace(/\?.*$/, '') }, answer);
        const out = changed ?? answer;
        res.writeHead(out.status, { 'content-type': out.body.trimStart().startsWith('<') ? 'text/html' : 'application/json' }).end(out.body);
      }, () => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    set rewrite(fn: Rewrite | undefined) { rewrite = fn; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

describe('answers of the wrong shape', () => {
  const databases = new Databases('sqlite');
  let srv: TestServer;
  let proxy: Awaited<ReturnType<typeof startRewritingProxy>>;
  const desks: TestDesk[] = [];
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 100 } } });
    proxy = await startRewritingProxy(tls, srv.url);
  });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await proxy?.close();
    await srv?.close();
    databases.stop();
  });

  async function desk(username: string): Promise<TestDesk> {
    const d = await startTestDesk({ serverUrl: proxy.url, caFile: tls.trusted.caCert });
    desks.push(d);
    await d.sync.auth.login(username, demoPassword);
    return d;
  }
  const serverCopies = async (letterId: string) => (await srv.server.db.selectFrom('letters').select('id').where('id', '=', letterId).execute()).length;
  const invalid = { code: 'SERVER_REPLY_INVALID', message: defaultMessages.SERVER_REPLY_INVALID };

  it.each([
    ['a list where the results should be', () => JSON.stringify({ results: 'diterima' })],
    ['a sign-in page of a Wi-Fi portal', () => '<html><body>Masuk ke Wi-Fi Kantor</body></html>'],
    ['a result of a status this desk does not know', (body: string) => JSON.stringify({ results: (JSON.parse(body) as { results: { id: string }[] }).results.map((r) => ({ id: r.id, status: 'diproses' })) })],
  ])('a push answered with %s: the clerk reads why, the letters wait, and the next round sends each once', async (_what, answer) => {
    expect(invalid.message).toMatch(/^Jawaban server tidak sesuai .*Tidak ada yang hilang/);
    const d = await desk('operator.dinkes');
    const block = await d.sync.numberBlocks.lease('in', 2026, 3);
    const letters = [await d.register(block.first), await d.register(block.first + 1), await d.register(block.first + 2)];
    proxy.rewrite = ({ path }, upstream) => (path === '/sync/push' ? { status: 200, body: answer(upstream.body) } : undefined);
    try {
      const status = await d.sync.engine.syncNow();
      expect(status.lastError).toEqual(invalid);
      expect(status.state).toBe('waiting');
      // Nothing refused, nothing dropped: the three entries still wait to be sent.
      expect(status.counts).toMatchObject({ failed: 0, rejected: 0 });
      expect(status.counts.pending + status.counts.in_progress).toBe(3);
      expect(d.store.sync.queue().map((e) => e.entityId)).toEqual(letters.map((l) => l.id));
    } finally {
      proxy.rewrite = undefined;
    }
    const after = await d.sync.engine.syncNow();
    expect(after).toMatchObject({ state: 'idle', lastError: null, counts: { pending: 0, in_progress: 0, failed: 0, rejected: 0 } });
    for (const letter of letters) expect(await serverCopies(letter.id)).toBe(1);
  });

  it('a change-feed page that does not match is not stored: the cursor stays, and the page is read once the server answers properly', async () => {
    const sender = await desk('operator.dinkes');
    const block = await sender.sync.numberBlocks.lease('in', 2026, 1);
    const letter = await sender.register(block.first, { subject: 'Undangan rapat koordinasi' });
    expect((await sender.sync.engine.syncNow()).lastError).toBeNull();

    const other = await desk('admin.dinkes');
    proxy.rewrite = ({ path }, upstream) => {
      if (path !== '/sync/pull') return undefined;
      const page = JSON.parse(upstream.body) as { changes: { entity: string; data: Record<string, unknown> }[] };
      for (const c of page.changes) if (c.entity === 'letter') c.data.urgency = 'penting';
      return { status: 200, body: JSON.stringify(page) };
    };
    try {
      const status = await other.sync.engine.syncNow();
      expect(status.lastError).toEqual(invalid);
      expect(other.store.sync.pullCursor()).toBe(0);
      expect(other.store.sync.remote('letter', letter.id)).toBeUndefined();
    } finally {
      proxy.rewrite = undefined;
    }
    expect((await other.sync.engine.syncNow()).lastError).toBeNull();
    expect(other.store.sync.pullCursor()).toBeGreaterThan(0);
    expect(other.store.sync.remote('letter', letter.id)).toMatchObject({ subject: 'Undangan rapat koordinasi', urgency: 'biasa', agendaNumber: block.first });
  });

  it('a server of a later version sends rows of an entity this desk does not know: the pull goes on, the known rows are read and the new one is kept for a later version', async () => {
    const sender = await desk('operator.dinkes');
    const block = await sender.sync.numberBlocks.lease('in', 2026, 1);
    const letter = await sender.register(block.first, { subject: 'Rapat evaluasi arsip' });
    expect((await sender.sync.engine.syncNow()).lastError).toBeNull();

    const other = await desk('admin.dinkes');
    proxy.rewrite = ({ path }, upstream) => {
      if (path !== '/sync/pull') return undefined;
      const page = JSON.parse(upstream.body) as { changes: { seq: number }[]; cursor: number };
      if (page.changes.length === 0) return undefined;
      page.changes.unshift({ seq: page.changes[0]!.seq, entity: 'arsip_inaktif', entityId: 'berkas-7', op: 'upsert', data: { jadwalRetensi: '5 tahun' } } as never);
      return { status: 200, body: JSON.stringify(page) };
    };
    try {
      const status = await other.sync.engine.syncNow();
      expect(status.lastError).toBeNull();
      expect(other.store.sync.pullCursor()).toBeGreaterThan(0);
      expect(other.store.sync.remote('letter', letter.id)).toMatchObject({ subject: 'Rapat evaluasi arsip' });
      const file = new Database(join(other.dir, 'loket.db'), { readonly: true });
      try {
        const kept = file.prepare("SELECT data FROM remote_entities WHERE entity = 'arsip_inaktif' AND entity_id = 'berkas-7'").pluck().get() as string;
        expect(JSON.parse(kept)).toEqual({ jadwalRetensi: '5 tahun' });
      } finally {
        file.close();
      }
    } finally {
      proxy.rewrite = undefined;
    }
  });

  it('a block of agenda numbers that runs backwards is refused in Bahasa Indonesia instead of being handed to the numbering', async () => {
    const d = await desk('operator.dinkes');
    proxy.rewrite = ({ path }) => (path === '/numbering/lease' ? { status: 201, body: JSON.stringify({ leaseId: 'blok-1', book: 'in', year: 2026, first: 40, last: 31 }) } : undefined);
    try {
      await expect(d.sync.numberBlocks.lease('in', 2026, 10)).rejects.toMatchObject(invalid);
    } finally {
      proxy.rewrite = undefined;
    }
    expect(await d.sync.numberBlocks.lease('in', 2026, 10)).toMatchObject({ book: 'in', year: 2026, last: expect.any(Number) });
  });

  it('a sign-in answered without its tokens is refused in Bahasa Indonesia, and nothing of the person is kept on the desk', async () => {
    const d = await startTestDesk({ serverUrl: proxy.url, caFile: tls.trusted.caCert });
    desks.push(d);
    proxy.rewrite = ({ path }) => (path === '/auth/login' ? { status: 200, body: JSON.stringify({ accessToken: 'token' }) } : undefined);
    try {
      await expect(d.sync.auth.login('operator.dinkes', demoPassword)).rejects.toMatchObject(invalid);
    } finally {
      proxy.rewrite = undefined;
    }
    expect(d.sync.session.current()).toBeNull();
    expect(d.store.sync.account('operator.dinkes')).toBeUndefined();
    expect((await d.sync.auth.login('operator.dinkes', demoPassword)).mode).toBe('online');
  });
});
