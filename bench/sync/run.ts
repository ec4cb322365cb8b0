// Sync benchmark, our engine beside a baseline in one run. Not part of `npm test`:
//   node bench/sync/run.ts            (LOKET_BENCH_LETTERS=10000 by default)
//   node bench/sync/run.ts loopback   (only part (a); `slow-link` runs only part (b))
// (a) a backlog of letters draining from a desk to the server on loopback (server in its own
//     process, SQLite, TLS): letters/s metadata-only and with a 30 KB PDF each, our engine (outbox →
//     plan → blobs → push → mark done → pull) vs raw HTTPS POSTs of the same payloads in the same
//     batches (no outbox, no bookkeeping);
// (b) over an emulated slow link: a network namespace behind a veth pair shaped to 2 Mbit/s each way
//     by the kernel (tc tbf), 1 % of packets dropped at random each way (a classic-BPF classifier on
//     the clsact hook), and 50 ms added each way (100 ms RTT) by a relay in this process — this
//     kernel has no sch_netem (and no netfilter) module, so neither comes from tc netem; the delay
//     sits above TCP, so TCP recovers a lost segment over the veth's own short round trip. Needs
//     root and iproute2. Upload goodput of our resumable upload (median of three rounds, taking turns with
//     the baseline) as a ratio of the link rate and of
//     one plain HTTPS POST of the same bytes, and the bytes sent twice when the connection is cut in
//     the middle of an upload.
// Prints the figures and ratios; exits non-zero when one misses the bar.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { createBlobStore, sha256Hex } from '../../main/documents/blob-store.ts';
import { uuidv7 } from '../../common/ids.ts';
import { openStore } from '../../main/store/store.ts';
import type { Letter } from '../../main/store/letters.ts';
import { uploadBlob } from '../../main/remote/blob-upload.ts';
import { createDeskSync } from '../../main/sync/desk-sync.ts';
import { registerPayload } from '../../main/letters/incoming/outbox.ts';
import { createServerClient, type ServerClient } from '../../main/remote/client.ts';
import { createDevCertificates } from '../../dev/server-ca.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { chunkContentType, DeclaredUploadReply, UploadStateReply } from '../../common/protocol/blobs.ts';
import { LoginReply } from '../../common/protocol/auth.ts';
import { LeaseReply } from '../../common/protocol/numbering.ts';
import { PushReply } from '../../common/protocol/sync.ts';

const bars = { metadataLettersPerSecond: 500, linkGoodputRatio: 0.9 };
const letters = Number(process.env.LOKET_BENCH_LETTERS ?? 10_000);
const parts = process.argv.slice(2);
if (parts.some((p) => p !== 'loopback' && p !== 'slow-link')) throw new Error(`unknown part ${parts.join(' ')}: loopback, slow-link or none (both)`);
const runs = (part: string) => parts.length === 0 || parts.includes(part);
const pdfBytes = 30 * 1024;
const batch = 200;
const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'loket-bench-sync-'));
const log = createLogger({ level: 'error' });
const failures: string[] = [];
const rate = (n: number, ms: number) => n / (ms / 1000);
const fmt = (v: number, digits = 0) => v.toFixed(digits);

interface RunningServer { child: ChildProcess; url: string; caFile: string }

function startServer(options: { dir: string; host: string; netns?: string; blockSize: number }): Promise<RunningServer> {
  const certs = createDevCertificates(join(options.dir, 'tls'), { hosts: [options.host, '127.0.0.1'] });
  const config = join(options.dir, 'server.json');
  writeFileSync(config, JSON.stringify({
    host: options.host, port: 0, tls: { certFile: certs.serverCert, keyFile: certs.serverKey },
    database: { kind: 'sqlite', file: join(options.dir, 'server.sqlite') }, blobDir: join(options.dir, 'blobs'), logLevel: 'info',
    numbering: { blockSize: options.blockSize }, limits: { jsonBodyBytes: 8 * 1024 * 1024, chunkBytes: 8 * 1024 * 1024, pushMutations: 500 },
  }));
  const node = [process.execPath, join(root, 'server/main.ts'), '--config', config, '--demo'];
  const [cmd, ...args] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    // Kept until the server is ready: its log of a 10 000-letter run, searched again per chunk, cost
    // this process (and so both measured sides) seconds of CPU. Read on after that, so the pipe never fills.
    let out: string | undefined = '';
    const keep = (d: Buffer) => { if (out !== undefined) out += d.toString(); };
    child.stderr!.on('data', keep);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      const m = out === undefined ? null : /"url":"(https:\/\/[^"]+)"/.exec(out);
      if (m) {
        out = undefined;
        resolve({ child, url: m[1]!, caFile: certs.caCert });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
}

function stopServer(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

async function login(client: ServerClient, username: string): Promise<string> {
  const reply = await client.json('POST', '/auth/login', LoginReply, { json: { username, password: demoPassword, deviceId: `bench-${username.replace(/\W/g, '-')}-${Date.now()}`, deviceName: 'Bench baseline' } });
  return reply.accessToken;
}

async function lease(client: ServerClient, token: string, year: number, count: number): Promise<number> {
  return (await client.json('POST', '/numbering/lease', LeaseReply, { token, json: { book: 'in', year, count } })).first;
}

/** The same letters the desk registers, for the baseline: in memory, no store. */
function letterRow(year: number, agendaNumber: number, documentHash: string | null): Letter {
  const at = new Date().toISOString();
  return {
    id: uuidv7(), direction: 'incoming', status: 'registered', agendaNumber, agendaYear: year, agendaLabel: null, receivedDate: '2026-03-02',
    letterNumber: `800/${agendaNumber}/BENCH/${year}`, letterDate: '2026-02-27', sender: 'Puskesmas Kecamatan Utara', addressee: 'Kepala Dinas',
    subject: `Permohonan tambahan vaksin nomor ${agendaNumber}`, summary: 'Stok vaksin menipis menjelang program imunisasi; mohon tambahan 200 dosis.',
    urgency: 'segera', security: 'biasa', classificationCode: '440', documentType: null, attachmentCount: documentHash ? 1 : 0, documentHash,
    ocrText: null, signerUserId: null, createdAt: at, updatedAt: at,
  } as Letter;
}

function pdf(seed: string): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${seed}\n`);
  return Buffer.concat([head, randomBytes(pdfBytes - head.length)]);
}

async function loopback(): Promise<void> {
  const dir = join(work, 'loopback');
  const server = await startServer({ dir, host: '127.0.0.1', blockSize: letters });
  const deskDir = join(dir, 'desk');
  mkdirSync(deskDir, { recursive: true });
  const store = openStore(join(deskDir, 'loket.db'), { log });
  store.settings.update({ serverUrl: server.url }, 'bench');
  const blobs = createBlobStore(join(deskDir, 'documents'), { log });
  const sync = createDeskSync({ dataDir: deskDir, store, bus: createEventBus(log), log, settings: () => store.settings.get(), serverCaFile: server.caFile, allowPlainLoopback: false });
  const client = createServerClient({ url: server.url, caFile: server.caFile });
  try {
    await sync.auth.login('operator.setda', demoPassword);

    // The desk's backlog: written while "offline" (before the first sync), 1000 letters per transaction.
    const register = async (year: number, withBlobs: boolean) => {
      const first = (await sync.numberBlocks.lease('in', year, letters)).first;
      for (let start = 0; start < letters; start += 1000) {
        const docs = withBlobs ? await Promise.all(Array.from({ length: Math.min(1000, letters - start) }, async (_, i) => (await blobs.put(pdf(`${year}-${start + i}`))).hash)) : [];
        store.transaction(() => {
          for (let i = 0; i < Math.min(1000, letters - start); i++) {
            const row = letterRow(year, first + start + i, docs[i] ?? null);
            if (docs[i]) store.documents.upsert({ hash: docs[i]!, mediaType: 'application/pdf', byteSize: pdfBytes });
            const { id: _id, createdAt: _c, updatedAt: _u, ...input } = row;
            store.letters.create(input, 'bench');
          }
        });
      }
    };
    const drain = async () => {
      const t0 = performance.now();
      const status = await sync.engine.syncNow();
      const ms = performance.now() - t0;
      if (status.counts.pending + status.counts.in_progress + status.counts.failed + status.counts.rejected > 0) throw new Error(`backlog not drained: ${JSON.stringify(status)}`);
      return ms;
    };
    const baseline = async (year: number, withBlobs: boolean) => {
      // A fresh sign-in per run: a long run outlives one access token (15 minutes).
      const baselineToken = await login(client, 'admin.setda');
      const first = await lease(client, baselineToken, year, letters);
      const rows = Array.from({ length: letters }, (_, i) => ({ row: letterRow(year, first + i, null), bytes: withBlobs ? pdf(`baseline-${year}-${i}`) : undefined }));
      for (const r of rows) if (r.bytes) r.row.documentHash = sha256Hex(r.bytes);
      const t0 = performance.now();
      for (let start = 0; start < rows.length; start += batch) {
        const slice = rows.slice(start, start + batch);
        for (const { row, bytes } of slice) {
          if (!bytes) continue;
          await client.json('POST', '/blobs', DeclaredUploadReply, { token: baselineToken, json: { sha256: row.documentHash, size: bytes.length } });
          await client.json('PATCH', `/blobs/${row.documentHash}/upload`, UploadStateReply, { token: baselineToken, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
        }
        await client.json('POST', '/sync/push', PushReply, { token: baselineToken, json: { mutations: slice.map(({ row }) => ({ id: uuidv7(), kind: 'letter.register', payload: registerPayload(row) })) } });
      }
      return performance.now() - t0;
    };

    await register(2026, false);
    const engineMeta = await drain();
    const baseMeta = await baseline(2027, false);
    await register(2028, true);
    const engineBlobs = await drain();
    const baseBlobs = await baseline(2029, true);

    const lines = [
      ['metadata only', engineMeta, baseMeta],
      [`with a ${pdfBytes / 1024} KB PDF each`, engineBlobs, baseBlobs],
    ] as const;
    console.log(`(a) ${letters} letters draining to a loopback server (TLS, SQLite, server in its own process):`);
    for (const [what, ours, base] of lines) {
      console.log(`    ${what.padEnd(24)} engine ${fmt(rate(letters, ours))} letters/s (${fmt(ours / 1000, 1)} s)   raw POSTs ${fmt(rate(letters, base))} letters/s   engine/raw ${fmt(base / ours, 2)}`);
    }
    if (rate(letters, engineMeta) < bars.metadataLettersPerSecond) failures.push(`metadata-only drain ${fmt(rate(letters, engineMeta))} letters/s < ${bars.metadataLettersPerSecond}`);
  } finally {
    client.close();
    await sync.close();
    store.close();
    await stopServer(server);
  }
}

/**
 * A TCP relay from 127.0.0.1 to the server in the namespace that holds every byte `delayMs` in each
 * direction, order kept. It reads from one side only as fast as the other side takes the bytes (at
 * most `inFlightBytes` held), as a network path does, instead of swallowing a whole upload at once.
 */
async function delayingRelay(targetPort: number, delayMs: number, inFlightBytes = 64 * 1024) {
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(targetPort, '10.77.0.2');
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      let held = 0;
      const relieve = () => { if (held <= inFlightBytes / 2 && to.writableLength <= inFlightBytes && from.isPaused()) from.resume(); };
      to.on('drain', relieve);
      from.on('data', (d: Buffer) => {
        held += d.length;
        if (held > inFlightBytes) from.pause();
        setTimeout(() => {
          held -= d.length;
          if (!to.destroyed && !to.write(d)) from.pause();
          relieve();
        }, delayMs);
      });
      from.on('end', () => setTimeout(() => to.end(), delayMs));
      from.on('error', () => to.destroy());
      from.on('close', () => { sockets.delete(from); setTimeout(() => to.destroy(), delayMs); });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Bytes that left the host towards the server's namespace over the link (IP headers and TCP retransmissions included). */
function linkBytesOut(ifName: string): number {
  return Number(readFileSync(`/sys/class/net/${ifName}/statistics/tx_bytes`, 'utf8'));
}

function sh(args: string[]): void {
  execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function slowLink(): Promise<void> {
  const ns = `loket-bench-${process.pid}`;
  const [hostIf, nsIf] = [`lkb${process.pid % 10000}a`, `lkb${process.pid % 10000}b`];
  try {
    sh(['ip', 'netns', 'add', ns]);
  } catch {
    console.log('(b) slow link: SKIPPED — network namespaces need root and iproute2 (ip, tc).');
    failures.push('slow-link benchmark could not run (no network namespace)');
    return;
  }
  let server: RunningServer | undefined;
  let relay: Awaited<ReturnType<typeof delayingRelay>> | undefined;
  try {
    sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    sh(['ip', 'link', 'set', nsIf, 'netns', ns]);
    sh(['ip', 'addr', 'add', '10.77.0.1/30', 'dev', hostIf]);
    sh(['ip', 'link', 'set', hostIf, 'up']);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', '10.77.0.2/30', 'dev', nsIf]);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up']);
    sh(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    // 2 Mbit/s each way, shaped by the kernel.
    sh(['tc', 'qdisc', 'add', 'dev', hostIf, 'root', 'tbf', 'rate', '2mbit', 'burst', '16kb', 'latency', '500ms']);
    sh(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', nsIf, 'root', 'tbf', 'rate', '2mbit', 'burst', '16kb', 'latency', '500ms']);
    // 1 % loss each way: the classifier loads a random number (SKF_AD_RANDOM) and shoots the packet
    // when it falls below 1 % of 2^32 (TC_ACT_SHOT = 2), else lets it pass (TC_ACT_OK = 0).
    const randomDrop = ['bpf', 'da', 'bytecode', `4,32 0 0 ${2 ** 32 - 0x1000 + 56},53 1 0 ${Math.round(0.01 * 2 ** 32)},6 0 0 2,6 0 0 0`];
    sh(['tc', 'qdisc', 'add', 'dev', hostIf, 'clsact']);
    sh(['tc', 'filter', 'add', 'dev', hostIf, 'egress', ...randomDrop]);
    sh(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', nsIf, 'clsact']);
    sh(['ip', 'netns', 'exec', ns, 'tc', 'filter', 'add', 'dev', nsIf, 'egress', ...randomDrop]);
    server = await startServer({ dir: join(work, 'slow-link'), host: '10.77.0.2', netns: ns, blockSize: 50 });
    relay = await delayingRelay(Number(new URL(server.url).port), 50);
    const url = `https://127.0.0.1:${relay.port}`;
    const client = createServerClient({ url, caFile: server.caFile });
    try {
      const token = await login(client, 'operator.dinkes');
      const size = 3 * 1024 * 1024;
      // The "one chunk" for the re-sent bytes: 1 MiB, the chunk the desk used to send per request
      // (it now sends a scan in as few requests as the server allows, and the server keeps bytes as they come).
      const chunkBytes = 1024 * 1024;
      const linkBytesPerSecond = 2_000_000 / 8;

      // Three rounds, ours and the baseline taking turns to go first: one upload's goodput swings by a few
      // per cent with where the random losses fall.
      const oursMs: number[] = [];
      const plainMs: number[] = [];
      let cleanWire = 0;
      const uploadOurs = async () => {
        const bytes = randomBytes(size);
        const wire0 = linkBytesOut(hostIf);
        const t0 = performance.now();
        await uploadBlob({ client, token, sha256: sha256Hex(bytes), bytes });
        oursMs.push(performance.now() - t0);
        cleanWire = linkBytesOut(hostIf) - wire0;
      };
      // Baseline: the same bytes as one HTTPS request (declare + a single PATCH), no resumption.
      const uploadPlain = async () => {
        const bytes = randomBytes(size);
        const t1 = performance.now();
        await client.json('POST', '/blobs', DeclaredUploadReply, { token, json: { sha256: sha256Hex(bytes), size } });
        await client.json('PATCH', `/blobs/${sha256Hex(bytes)}/upload`, UploadStateReply, { token, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
        plainMs.push(performance.now() - t1);
      };
      for (let round = 0; round < 3; round++) {
        if (round % 2 === 0) { await uploadOurs(); await uploadPlain(); } else { await uploadPlain(); await uploadOurs(); }
      }

      // A forced disconnect mid-upload: every socket of the client is destroyed 2 s after the first
      // MiB went out, then a fresh client resumes from the offset the server reports. Bytes sent twice =
      // what left over the link (the veth's transmit counter) minus what the same upload cost uncut (TLS, HTTP,
      // TCP/IP headers and retransmissions included, so a few tens of KB either way are the losses' luck).
      const cut = randomBytes(size);
      const sha = sha256Hex(cut);
      const wire1 = linkBytesOut(hostIf);
      let scheduled = false;
      await uploadBlob({ client, token, sha256: sha, bytes: cut, onProgress: (sent) => {
        if (sent >= chunkBytes && !scheduled) { scheduled = true; setTimeout(() => client.close(), 2_000); }
      } }).catch(() => undefined);
      const again = createServerClient({ url, caFile: server.caFile });
      await uploadBlob({ client: again, token, sha256: sha, bytes: cut });
      again.close();
      const resent = Math.max(0, linkBytesOut(hostIf) - wire1 - cleanWire);
      const ratios = (ms: number[]) => ms.map((m) => rate(size, m) / linkBytesPerSecond);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const goodput = median(ratios(oursMs));
      console.log(`(b) slow link (veth shaped by tc tbf to 2 Mbit/s, 1 % random loss each way, +100 ms RTT by relay), ${size / 1024 / 1024} MiB upload, up to 8 MiB per request, 3 rounds:`);
      console.log(`    resumable upload ${ratios(oursMs).map((r) => fmt(r, 2)).join(', ')} of the link rate (median ${fmt(goodput, 2)} = ${fmt(goodput * linkBytesPerSecond / 1000, 1)} kB/s)   one plain POST ${ratios(plainMs).map((r) => fmt(r, 2)).join(', ')} (median ${fmt(median(ratios(plainMs)), 2)})   ours/plain ${fmt(median(plainMs) / median(oursMs), 2)}`);
      console.log(`    connection cut mid-upload: ${resent} bytes sent twice, reconnection included (bar: one chunk = ${chunkBytes})`);
      if (goodput < bars.linkGoodputRatio) failures.push(`median goodput ${fmt(goodput, 2)} of the link rate < ${bars.linkGoodputRatio}`);
      // The new connection's TLS handshake and request headers (a few KiB) are counted too.
      const reconnectOverhead = 16 * 1024;
      if (resent > chunkBytes + reconnectOverhead) failures.push(`${resent} bytes re-sent after a disconnect > one chunk (${chunkBytes}) + reconnection`);
    } finally {
      client.close();
    }
  } finally {
    await relay?.close();
    if (server) await stopServer(server);
    try { sh(['ip', 'link', 'del', hostIf]); } catch { /* gone with the namespace */ }
    sh(['ip', 'netns', 'del', ns]);
  }
}

try {
  if (runs('loopback')) await loopback();
  if (runs('slow-link')) await slowLink();
} catch (err) {
  console.error(err);
  failures.push(`the benchmark stopped: ${(err as Error).message}`);
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}
if (failures.length > 0) {
  console.log(`\nBelow the bar: ${failures.join('; ')}`);
  process.exit(1);
}
