// Crash injection: desk processes killed with SIGKILL at random moments of register → upload →
// push (200 runs over four desks in parallel), and the server killed in the middle of an upload.
// Afterwards every letter each desk registered is on the server exactly once, with its scan
// intact, and each desk's database passes PRAGMA integrity_check. The counts are printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTestTls, httpsRequest, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk } from '../support/sync-desk.ts';

const root = join(import.meta.dirname, '..', '..');
const runsPerDesk = Number(process.env.LOKET_CRASH_RUNS ?? 50);
const lanes = ['operator.setda', 'admin.setda', 'operator.dinkes', 'admin.dinkes'] as const;

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

/** Deterministic randomness, so a failing run can be repeated (LOKET_CRASH_SEED). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function runDesk(args: string[], killAfterReadyMs: number | null): Promise<{ killed: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(root, 'tests/support/crash-desk.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOKET_LOG_LEVEL: 'error' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAfterReadyMs !== null && stdout.includes('ready\n') && !killed) {
        setTimeout(() => { killed = child.kill('SIGKILL'); }, killAfterReadyMs);
        killAfterReadyMs = null;
      }
    });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', stdout });
      else reject(new Error(`crash desk exited with ${code}: ${stderr}`));
    });
  });
}

describe('crash injection', () => {
  const databases = new Databases('sqlite');
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 5000 } } });
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  // Each run is a fresh Node process (about a second to start on a loaded machine): allow minutes, not the default two.
  it(`desks killed at random points of register → upload → push (${runsPerDesk * lanes.length} runs): every letter arrives exactly once, scans intact`, { timeout: 900_000 }, async () => {
    const seed = Number(process.env.LOKET_CRASH_SEED ?? Date.now() % 100_000);
    const rand = random(seed);
    const desks = await Promise.all(lanes.map(async (username, i) => {
      const session = await srv.login(username, `crash-lease-${i}`);
      const reply = await srv.call('POST', '/numbering/lease', { token: session.accessToken, json: { book: 'in', year: 2026, count: 2000 } });
      const lease = reply.json as { first: number; last: number };
      return { username, dir: mkdtempSync(join(tmpdir(), 'loket-crash-')), lease, token: session.accessToken };
    }));
    const plan = desks.map(() => Array.from({ length: runsPerDesk }, () => Math.floor(rand() * 500)));
    let killed = 0;
    await Promise.all(desks.map(async (d, lane) => {
      for (const delay of plan[lane]!) {
        const run = await runDesk([d.dir, srv.url, tls.trusted.caCert, d.username, String(d.lease.first), String(d.lease.last), '3'], delay);
        if (run.killed) killed++;
      }
    }));
    // Each desk once more, left alone: it resumes and drains what the crashes left.
    for (const d of desks) {
      const drained = await runDesk([d.dir, srv.url, tls.trusted.caCert, d.username, String(d.lease.first), String(d.lease.last), '0', '--drain'], null);
      expect(JSON.parse(drained.stdout.trim().split('\n').at(-1)!)).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    }

    let letters = 0;
    for (const d of desks) {
      const db = new Database(join(d.dir, 'loket.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const local = db.prepare('SELECT id, agenda_number AS n, document_hash AS hash FROM letters').all() as { id: string; n: number; hash: string }[];
      db.close();
      letters += local.length;
      const onServer = await srv.server.db.selectFrom('letters').innerJoin('letter_attachments', 'letter_attachments.letter_id', 'letters.id')
        .select(['letters.id', 'letters.agenda_number', 'letter_attachments.sha256']).where('letters.id', 'in', local.map((l) => l.id)).execute();
      expect(onServer).toHaveLength(local.length);
      const byId = new Map(onServer.map((r) => [r.id, r]));
      for (const l of local) expect(byId.get(l.id)).toMatchObject({ agenda_number: l.n, sha256: l.hash });
      for (const l of local.filter((_, i) => i % 10 === 0)) {
        const blob = await httpsRequest(`${srv.url}/blobs/${l.hash}`, { caFile: tls.trusted.caCert, headers: { authorization: `Bearer ${d.token}` } });
        expect(createHash('sha256').update(blob.body).digest('hex')).toBe(l.hash);
      }
    }
    const total = Number((await srv.server.db.selectFrom('letters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(total).toBe(letters);
    const incomplete = await srv.server.db.selectFrom('blobs').innerJoin('letter_attachments', 'letter_attachments.sha256', 'blobs.sha256').select('blobs.sha256').where('blobs.complete', '=', 0).execute();
    expect(incomplete).toEqual([]);
    console.info(`[crash injection] seed ${seed}: ${lanes.length * runsPerDesk} runs, ${killed} killed mid-way, ${letters} letters registered, all on the server exactly once with intact scans; desk databases integrity_check ok`);
    for (const d of desks) rmSync(d.dir, { recursive: true, force: true });
  });

  it('the server killed in the middle of an upload: after its restart the upload resumes and the letter arrives once, scan intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-crash-server-'));
    const configFile = join(dir, 'server.json');
    writeFileSync(configFile, JSON.stringify({
      host: '127.0.0.1', port: 0, tls: { certFile: tls.trusted.serverCert, keyFile: tls.trusted.serverKey },
      database: { kind: 'sqlite', file: join(dir, 'server.sqlite') }, blobDir: join(dir, 'blobs'), logLevel: 'info',
    }));
    const startServer = (port: number) => new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'server/main.ts'), '--config', configFile, '--demo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOKET_SERVER_PORT: String(port) } });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"url":"(https:\/\/[^"]+)"/.exec(out);
        if (m) resolve({ child, url: m[1]! });
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    let server = await startServer(0);
    const port = Number(new URL(server.url).port);
    const desk = await startTestDesk({ serverUrl: server.url, caFile: tls.trusted.caCert });
    try {
      await desk.sync.auth.login('operator.disdik', demoPassword);
      const block = await desk.sync.numberBlocks.lease('in', 2026, 5);
      const letter = await desk.register(block.first, { pdfBytes: 24 * 1024 * 1024 });
      // Kill the server in the middle of a request, a third of the scan sent.
      const killedMidUpload = new Promise<number>((resolve) => {
        const timer = setInterval(() => {
          const progress = desk.sync.engine.upload(letter.documentHash!);
          if (progress && progress.sent >= progress.total / 3 && progress.sent < progress.total) {
            clearInterval(timer);
            server.child.kill('SIGKILL');
            resolve(progress.sent);
          }
        }, 1);
      });
      const first = desk.sync.engine.syncNow();
      const sentBeforeKill = await killedMidUpload;
      expect((await first).state).toBe('waiting');
      server = await startServer(port);
      // What reached the server before it died was kept: the upload resumes from there, not from the request's start.
      const kept = await httpsRequest(`${server.url}/blobs/${letter.documentHash}/upload`, { caFile: tls.trusted.caCert, headers: { authorization: `Bearer ${await desk.sync.auth.accessToken()}` } });
      const keptBytes = (JSON.parse(kept.body.toString()) as { offset: number }).offset;
      expect(keptBytes).toBeGreaterThan(64 * 1024); // more than the first, small request: part of the interrupted one
      const second = await desk.sync.engine.syncNow();
      expect(second.counts).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
      const token = await desk.sync.auth.accessToken();
      const blob = await httpsRequest(`${server.url}/blobs/${letter.documentHash}`, { caFile: tls.trusted.caCert, headers: { authorization: `Bearer ${token}` } });
      expect(blob.status).toBe(200);
      expect(createHash('sha256').update(blob.body).digest('hex')).toBe(letter.documentHash);
      console.info(`[crash injection] server killed after ${sentBeforeKill} of ${blob.body.length} bytes had gone out, ${keptBytes} of them kept; upload resumed from there, letter and scan intact`);
    } finally {
      await desk.close();
      server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
