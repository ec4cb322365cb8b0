// Server-load benchmark: how many desks one server instance holds. Not part of `npm test`:
//   node bench/server-load/run.ts [--db sqlite,postgres] [--steps 250,500,1000,2000] [--seconds 60]
//        [--warmup 15] [--floor-seconds 20] [--pull-every 10] [--action-every 100] [--lease-count 20]
//        [--password-checks 5] [--cpu-prof <dir>] [--keep-going] [--real-password-cost]
// One real server (server/main.ts, its own process, TLS on 127.0.0.1, logging at `info` to a file as
// in production) per database, over a region the bench seeds (organisation.ts: offices of eight
// desks). N simulated desks in a second process (desks.ts) sign in as their people and then, every
// 10 s, pull the change feed from their cursor and now and then act (register a letter with a scan,
// dispose, read, report, lease numbers) through the HTTP API with the protocol's schemas. N grows
// step by step; each step is measured for --seconds after --warmup, and then the same desks send the
// same mix to the floor (floor.ts: Fastify answering at once, no database) for --floor-seconds, so
// each route's p95 is printed beside the transport floor's. Prints per step and route p50/p95/p99,
// errors, the server's CPU and RSS (PostgreSQL's backends' CPU too), the desks' own CPU and the load
// average; then the largest N whose every route kept p95 ≤ 100 ms. Stops stepping after the first
// step over that bar unless --keep-going. The people's password hashes are cheap (organisation.ts)
// unless --real-password-cost; the production sign-in's scrypt is timed here on its own instead,
// beside the floor of one HMAC-signed token. --cpu-prof keeps the server's profile and the work folder.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDevCertificates } from '../../dev/server-ca.ts';
import { openDatabase, migrateToLatest } from '../../server/db/database.ts';
import type { ServerConfigInput } from '../../server/config.ts';
import { startPostgres, type TestPostgres } from '../../tests/support/postgres.ts';
import { hashPassword, verifyPassword } from '../../common/passwords.ts';
import { signAccessToken, verifyAccessToken } from '../../server/http/tokens.ts';
import { benchPassword, desksPerOffice, seedOrganisation } from './organisation.ts';
import type { FromDesks, Samples, ToDesks } from './desks.ts';

const { values: args } = parseArgs({ options: {
  db: { type: 'string', default: 'sqlite,postgres' },
  steps: { type: 'string', default: '250,500,1000,2000' },
  seconds: { type: 'string', default: '60' },
  warmup: { type: 'string', default: '15' },
  'floor-seconds': { type: 'string', default: '20' },
  'pull-every': { type: 'string', default: '10' },
  'action-every': { type: 'string', default: '100' },
  'password-checks': { type: 'string', default: '5' },
  'lease-count': { type: 'string', default: '20' },
  'cpu-prof': { type: 'string' },
  'keep-going': { type: 'boolean', default: false },
  'real-password-cost': { type: 'boolean', default: false },
} });
const backends = args.db.split(',').map((b) => b.trim()).filter((b): b is 'sqlite' | 'postgres' => {
  if (b !== 'sqlite' && b !== 'postgres') throw new Error(`--db: unknown database ${b} (sqlite, postgres)`);
  return true;
});
const steps = args.steps.split(',').map(Number);
if (steps.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--steps: whole numbers of desks, e.g. 250,500,1000`);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const floorSeconds = Number(args['floor-seconds']);
if ([seconds, warmup, floorSeconds, Number(args['pull-every']), Number(args['action-every']), Number(args['password-checks'])].some((v) => !(v >= 0))) throw new Error('--seconds, --warmup, --floor-seconds, --pull-every, --action-every, --password-checks: numbers ≥ 0');
const bar = { p95Ms: 100, errorRate: 0.01 };

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'loket-bench-load-'));
const certs = createDevCertificates(join(work, 'tls'), { hosts: ['127.0.0.1'] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving `database` (their command line names it), which do the queries' work. */
function backendPids(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith(`postgres: loket ${database} `)) pids.push(Number(entry));
    } catch { /* ended meanwhile */ }
  }
  return pids;
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The processes this run started: ended with it, however it ends (a test's timeout sends SIGTERM). */
const children = new Set<ChildProcess>();
process.once('exit', () => { for (const c of children) c.kill('SIGTERM'); });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));

/** Starts a process that prints a JSON line with "url" when ready (its output goes to `logFile`). */
async function startListening(name: string, argv: string[], logFile: string): Promise<{ child: ChildProcess; url: string }> {
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', out, out] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let exited: number | null | undefined;
  child.on('exit', (code) => { exited = code; });
  for (let waited = 0; waited < 120_000; waited += 100) {
    await sleep(100);
    const m = /"url":"(https:\/\/[^"]+)"/.exec(readFileSync(logFile, 'utf8'));
    if (m) return { child, url: m[1]! };
    if (exited !== undefined) break;
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start (exit ${exited}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface DeskProcess { child: ChildProcess; ask(message: ToDesks): Promise<FromDesks>; tell(message: ToDesks): void }

function startDesks(url: string, floorUrl: string): DeskProcess {
  const child = fork(join(import.meta.dirname, 'desks.ts'), [], {
    cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOKET_BENCH_DESKS: JSON.stringify({ url, floorUrl, caFile: certs.caCert, pullEverySeconds: Number(args['pull-every']), actionEverySeconds: Number(args['action-every']), leaseCount: Number(args['lease-count']) }) },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const waiting: ((m: FromDesks) => void)[] = [];
  child.on('message', (m: FromDesks) => waiting.shift()?.(m));
  return {
    child,
    tell: (message) => { child.send(message); },
    ask(message) {
      return new Promise((resolve, reject) => {
        waiting.push((m) => (m.kind === 'fatal' ? reject(new Error(m.message)) : resolve(m)));
        child.send(message);
      });
    },
  };
}

interface RouteFigures { route: string; count: number; p50: number; p95: number; p99: number; errors: number; floorP95: number }
interface StepFigures {
  backend: string; desks: number; routes: RouteFigures[]; requests: number; errors: number; rejected: Record<string, number>; errorCodes: Record<string, number>;
  actions: Record<string, number>; serverCpu: number; serverRss: number; dbCpu: number; desksCpu: number; load: string; worstP95: number; worstRoute: string;
}

function summarise(s: Samples, floor: Samples | undefined): Omit<StepFigures, 'backend' | 'desks' | 'serverCpu' | 'serverRss' | 'dbCpu' | 'desksCpu' | 'load'> {
  const routes = Object.entries(s.latencies).map(([route, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const floorSorted = [...(floor?.latencies[route] ?? [])].sort((a, b) => a - b);
    return { route, count: ms.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), errors: s.errors[route] ?? 0, floorP95: percentile(floorSorted, 95) };
  }).sort((a, b) => b.count - a.count);
  const worst = routes.reduce<RouteFigures | undefined>((w, r) => (!w || r.p95 > w.p95 ? r : w), undefined);
  return {
    routes, requests: routes.reduce((n, r) => n + r.count, 0), errors: routes.reduce((n, r) => n + r.errors, 0),
    rejected: s.rejected, errorCodes: s.errorCodes, actions: s.actions, worstP95: worst?.p95 ?? NaN, worstRoute: worst?.route ?? '–',
  };
}

function printStep(f: StepFigures): void {
  const rate = f.requests / seconds;
  console.log(`\n[${f.backend}] N=${f.desks} desks (${Math.ceil(f.desks / desksPerOffice)} offices): ${fmt(rate, 1)} requests/s over ${seconds} s, errors ${f.errors} (${fmt((100 * f.errors) / Math.max(1, f.requests), 2)} %), load average ${f.load}`);
  console.log(`    server CPU ${fmt(f.serverCpu * 100)} % of one core, RSS ${fmt(f.serverRss)} MB${f.backend === 'postgres' ? `, PostgreSQL backends CPU ${fmt(f.dbCpu * 100)} %` : ''}; desks process CPU ${fmt(f.desksCpu * 100)} %`);
  console.log(`    ${'route'.padEnd(28)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'floor p95'.padStart(10)} ${'p95/floor'.padStart(10)}`);
  for (const r of f.routes) {
    console.log(`    ${r.route.padEnd(28)} ${String(r.count).padStart(7)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p95, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(r.errors).padStart(7)} ${fmt(r.floorP95, 1).padStart(10)} ${fmt(r.p95 / r.floorP95, 1).padStart(10)}`);
  }
  const actions = Object.entries(f.actions).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`    actions: ${actions || 'none'}`);
  if (Object.keys(f.rejected).length > 0) console.log(`    rejected mutations: ${Object.entries(f.rejected).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  if (Object.keys(f.errorCodes).length > 0) console.log(`    errors: ${Object.entries(f.errorCodes).slice(0, 8).map(([k, v]) => `${k} ×${v}`).join('; ')}`);
}

async function runBackend(backend: 'sqlite' | 'postgres', floorUrl: string, pg: () => Promise<TestPostgres>): Promise<StepFigures[]> {
  const dir = join(work, backend);
  const maxDesks = Math.max(...steps);
  const databaseName = `loket_bench_load_${process.pid}`;
  const database: ServerConfigInput['database'] = backend === 'sqlite'
    ? { kind: 'sqlite', file: join(dir, 'server.sqlite') }
    : { kind: 'postgres', connectionString: await (await pg()).createDatabase(databaseName), poolSize: 10 };
  const db = openDatabase(database as Parameters<typeof openDatabase>[0]);
  await migrateToLatest(db);
  await seedOrganisation(db, Math.ceil(maxDesks / desksPerOffice), { realPasswordCost: args['real-password-cost'] });
  await db.destroy();
  const configFile = join(work, `${backend}.json`);
  writeFileSync(configFile, JSON.stringify({
    host: '127.0.0.1', port: 0, tls: { certFile: certs.serverCert, keyFile: certs.serverKey }, database, blobDir: join(dir, 'blobs'), logLevel: 'info',
  }));
  const prof = args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(args['cpu-prof'], backend)] : [];
  const server = await startListening(`the ${backend} server`, [...prof, join(root, 'server/main.ts'), '--config', configFile], join(work, `${backend}-server.log`));
  const desks = startDesks(server.url, floorUrl);
  const figures: StepFigures[] = [];
  try {
    for (const n of steps) {
      const grown = await desks.ask({ kind: 'grow', desks: n }) as Extract<FromDesks, { kind: 'grown' }>;
      const logins = [...grown.loginMs].sort((a, b) => a - b);
      console.log(`\n[${backend}] ${grown.desks} desks signed in (${logins.length} now: sign-in p50 ${fmt(percentile(logins, 50))} ms, p95 ${fmt(percentile(logins, 95))} ms${grown.failed ? `; ${grown.failed} FAILED: ${grown.firstError}` : ''})`);
      desks.tell({ kind: 'target', target: 'server' });
      await sleep(warmup * 1000);
      await desks.ask({ kind: 'collect' });
      // Backends the pool opens during the step start from zero; those it closes take their share along.
      const dbCpu = () => new Map(backend === 'postgres' ? backendPids(databaseName).map((p) => [p, cpuSeconds(p)]) : []);
      const db0 = dbCpu();
      const cpu0 = { server: cpuSeconds(server.child.pid!), desks: cpuSeconds(desks.child.pid!) };
      let rss = 0;
      for (let t = 0; t < seconds; t++) { await sleep(1000); rss = Math.max(rss, rssMb(server.child.pid!)); }
      const measured = await desks.ask({ kind: 'collect' }) as Extract<FromDesks, { kind: 'samples' }>;
      const load = loadAverage();
      const db1 = dbCpu();
      const cpu = { server: cpuSeconds(server.child.pid!) - cpu0.server, db: [...db1].reduce((s, [p, c]) => s + c - (db0.get(p) ?? 0), 0), desks: cpuSeconds(desks.child.pid!) - cpu0.desks };
      let floor: Samples | undefined;
      if (floorSeconds > 0) {
        desks.tell({ kind: 'target', target: 'floor' });
        // A whole pull round first: each desk's floor connection has to be (re)opened, and that TLS handshake is not the floor.
        await sleep(Math.max(warmup, Number(args['pull-every']) + 1) * 1000);
        await desks.ask({ kind: 'collect' });
        await sleep(floorSeconds * 1000);
        floor = (await desks.ask({ kind: 'collect' }) as Extract<FromDesks, { kind: 'samples' }>).samples;
        desks.tell({ kind: 'target', target: 'server' });
      }
      const step: StepFigures = { backend, desks: n, ...summarise(measured.samples, floor), serverCpu: cpu.server / seconds, serverRss: rss, dbCpu: cpu.db / seconds, desksCpu: cpu.desks / seconds, load };
      figures.push(step);
      printStep(step);
      if (!held(step) && !args['keep-going']) break;
    }
  } finally {
    desks.tell({ kind: 'stop' });
    await new Promise((resolve) => { if (desks.child.exitCode !== null) resolve(undefined); else desks.child.once('exit', resolve); });
    await stop(server.child);
  }
  return figures;
}

const held = (f: StepFigures) => f.worstP95 <= bar.p95Ms && f.errors / Math.max(1, f.requests) <= bar.errorRate;

// What a sign-in costs the server at production parameters: one scrypt (verifyPassword) on libuv's pool.
{
  const stored = await hashPassword(benchPassword);
  const t0 = performance.now();
  const checks = Number(args['password-checks']);
  for (let i = 0; i < checks; i++) await verifyPassword(benchPassword, stored);
  const scryptMs = (performance.now() - t0) / checks;
  const t1 = performance.now();
  for (let i = 0; i < 1000; i++) verifyAccessToken(signAccessToken({ sub: 'u', officeId: 'o', role: 'staff', deviceId: 'd', sid: 's', iat: 0, exp: 2 ** 31 }, 'k'.repeat(32)), 'k'.repeat(32), 1);
  const tokenMs = (performance.now() - t1) / 1000;
  console.log(`Sign-in password check at production cost (scrypt N=2^15): ${fmt(scryptMs)} ms each (load average ${loadAverage()}); an access token signed and checked: ${fmt(tokenMs * 1000)} µs (ratio ${fmt(scryptMs / tokenMs)}).`);
}

const floor = await startListening('the floor server', [join(import.meta.dirname, 'floor.ts'), certs.serverCert, certs.serverKey], join(work, 'floor.log'));
let postgres: TestPostgres | undefined;
process.once('exit', () => postgres?.stop());
const all: StepFigures[] = [];
try {
  for (const backend of backends) all.push(...await runBackend(backend, floor.url, async () => (postgres ??= await startPostgres())));
} finally {
  await stop(floor.child);
  postgres?.stop();
  postgres = undefined;
  if (!args['cpu-prof']) rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}

console.log(`\nSummary (worst route's p95; bar: every route p95 ≤ ${bar.p95Ms} ms, errors ≤ ${bar.errorRate * 100} %; ${seconds} s per step after ${warmup} s warm-up, an action per desk every ${args['action-every']} s on average):`);
console.log(`    ${'database'.padEnd(9)} ${'N'.padStart(5)} ${'req/s'.padStart(7)} ${'worst p95'.padStart(10)} ${'route'.padEnd(28)} ${'errors'.padStart(7)} ${'srv CPU'.padStart(8)} ${'srv RSS'.padStart(8)} ${'db CPU'.padStart(7)} ${'desks CPU'.padStart(10)}  load average`);
for (const f of all) {
  console.log(`    ${f.backend.padEnd(9)} ${String(f.desks).padStart(5)} ${fmt(f.requests / seconds, 1).padStart(7)} ${fmt(f.worstP95, 1).padStart(10)} ${f.worstRoute.padEnd(28)} ${fmt((100 * f.errors) / Math.max(1, f.requests), 2).padStart(6)}% ${fmt(f.serverCpu * 100).padStart(7)}% ${fmt(f.serverRss).padStart(6)}MB ${fmt(f.dbCpu * 100).padStart(6)}% ${fmt(f.desksCpu * 100).padStart(9)}%  ${f.load}`);
}
for (const backend of backends) {
  const ok = all.filter((f) => f.backend === backend && held(f)).map((f) => f.desks);
  console.log(`    ${backend}: largest N held = ${ok.length > 0 ? Math.max(...ok) : 'none of the steps'}`);
}
