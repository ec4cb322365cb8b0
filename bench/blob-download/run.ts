// Ranged download benchmark (letters delivered between offices), ours beside a baseline in one run.
// Not part of `npm test`:   node bench/blob-download/run.ts   (LOKET_BENCH_MB=32 by default)
// A blob of LOKET_BENCH_MB random bytes on the server (its own process, SQLite, TLS on loopback) is
// fetched into a fresh desk blob store, taking turns, five rounds each:
//   ours      main/sync/blob-download.ts: ranges of 256 KiB, 1 MiB (the default) and 4 MiB, each
//             appended and fsynced to a partial file (what makes a cut download resumable), the whole
//             SHA-256-checked and put into the blob store;
//   baseline  one plain GET of the whole blob, SHA-256-checked and put into the same blob store.
// Prints MB/s (median) and ours / baseline; exits non-zero when the default range size is below the bar.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore, sha256Hex } from '../../main/documents/blob-store.ts';
import { downloadBlob } from '../../main/remote/blob-download.ts';
import { uploadBlob } from '../../main/remote/blob-upload.ts';
import { createServerClient } from '../../main/remote/client.ts';
import { LoginReply } from '../../common/protocol/auth.ts';
import { createDevCertificates } from '../../dev/server-ca.ts';
import { demoPassword } from '../../server/demo/seed.ts';

/** Resumability may cost something, not much: the default range size keeps at least this share of the baseline's speed. */
const bar = 0.7;
const megabytes = Number(process.env.LOKET_BENCH_MB ?? 32);
const rounds = 5;
const rangeSizes = [256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
const defaultRange = 1024 * 1024;
const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'loket-bench-download-'));

function startServer(dir: string): Promise<{ child: ChildProcess; url: string; caFile: string }> {
  const certs = createDevCertificates(join(dir, 'tls'), { hosts: ['127.0.0.1'] });
  const config = join(dir, 'server.json');
  writeFileSync(config, JSON.stringify({
    host: '127.0.0.1', port: 0, tls: { certFile: certs.serverCert, keyFile: certs.serverKey },
    database: { kind: 'sqlite', file: join(dir, 'server.sqlite') }, blobDir: join(dir, 'blobs'), logLevel: 'info',
    limits: { jsonBodyBytes: 1024 * 1024, chunkBytes: 8 * 1024 * 1024, pushMutations: 500 },
  }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'server/main.ts'), '--config', config, '--demo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out: string | undefined = '';
    const keep = (d: Buffer) => { if (out !== undefined) out += d.toString(); };
    child.stderr!.on('data', keep);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      const m = out === undefined ? null : /"url":"(https:\/\/[^"]+)"/.exec(out);
      if (m) { out = undefined; resolve({ child, url: m[1]!, caFile: certs.caCert }); }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  const server = await startServer(join(work, 'server'));
  const client = createServerClient({ url: server.url, caFile: server.caFile });
  try {
    const { accessToken: token } = await client.json('POST', '/auth/login', LoginReply, { json: { username: 'operator.dinkes', password: demoPassword, deviceId: `bench-download-${Date.now()}`, deviceName: 'Bench download' } });
    const bytes = randomBytes(megabytes * 1024 * 1024);
    const sha256 = sha256Hex(bytes);
    await uploadBlob({ client, token, sha256, bytes, chunkBytes: 8 * 1024 * 1024 });

    let run = 0;
    const fresh = () => join(work, `desk-${++run}`);
    async function ours(rangeBytes: number): Promise<number> {
      const dir = fresh();
      const started = performance.now();
      const got = await downloadBlob({ client, token: async () => token, sha256, blobs: createBlobStore(join(dir, 'documents')), partialDir: join(dir, 'downloads'), chunkBytes: rangeBytes });
      const ms = performance.now() - started;
      if (!got.equals(bytes)) throw new Error('ours: downloaded bytes differ');
      return ms;
    }
    async function baseline(): Promise<number> {
      const dir = fresh();
      const started = performance.now();
      const reply = await client.raw('GET', `/blobs/${sha256}`, { token });
      if (reply.status !== 200 || sha256Hex(reply.body) !== sha256) throw new Error(`baseline: ${reply.status}, or the bytes differ`);
      await createBlobStore(join(dir, 'documents')).put(reply.body);
      const ms = performance.now() - started;
      return ms;
    }

    // One warm-up each (TLS session, page cache, JIT), then turns.
    await baseline();
    await ours(defaultRange);
    const times = new Map<string, number[]>([['baseline', []], ...rangeSizes.map((r) => [`ours ${r / 1024} KiB`, []] as [string, number[]])]);
    for (let i = 0; i < rounds; i++) {
      times.get('baseline')!.push(await baseline());
      for (const r of rangeSizes) times.get(`ours ${r / 1024} KiB`)!.push(await ours(r));
    }
    const mbps = (ms: number) => megabytes / (ms / 1000);
    const base = median(times.get('baseline')!);
    console.log(`blob of ${megabytes} MiB, TLS on loopback, median of ${rounds} rounds`);
    console.log(`  baseline (one GET, hash, put)   ${mbps(base).toFixed(0).padStart(5)} MB/s`);
    let failed = false;
    for (const r of rangeSizes) {
      const key = `ours ${r / 1024} KiB`;
      const ratio = base / median(times.get(key)!);
      console.log(`  ${`ours, ranges of ${r / 1024} KiB`.padEnd(31)} ${mbps(median(times.get(key)!)).toFixed(0).padStart(5)} MB/s   ${ratio.toFixed(2)} × baseline${r === defaultRange ? '  (default)' : ''}`);
      if (r === defaultRange && ratio < bar) failed = true;
    }
    if (failed) console.log(`BELOW BAR: the default range size keeps less than ${bar} of the baseline's speed`);
    return failed ? 1 : 0;
  } finally {
    client.close();
    server.child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

// Never left hanging while it holds the shared benchmark lock: a run that has not ended in 5 minutes stops.
const guard = setTimeout(() => { console.error('blob-download benchmark: no result after 5 minutes, stopped'); process.exit(2); }, 5 * 60_000);
process.exitCode = await main();
clearTimeout(guard);
