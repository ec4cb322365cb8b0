// The simulated desks of the server-load bench, in a process of their own (forked by run.ts, driven by
// messages). Each desk signs in as its person (bench/server-load/organisation.ts) with the desk's own
// HTTPS client (main/remote/client.ts: keep-alive, replies read through common/protocol's schemas),
// and every 10 s (--pull-every) pulls the change feed from its cursor until nothing more waits, as main/sync does.
// Now and then (on average every `actionEverySeconds`) it acts as its person would:
//   operators  register an incoming letter with a 20–80 KB scan (lease a block of agenda numbers when
//              theirs is used up, declare and upload the blob, push letter.register)
//   the head   disposes a letter the feed brought that no one disposed yet, to the secretary and a
//              head of division (disposition.create)
//   recipients read a disposition addressed to them, then report it done (disposition.read/.report);
//              the first head of division passes one on to the staff member below
//   anyone     with nothing to do opens a letter's scan (GET /blobs/:sha256)
// Against the floor (floor.ts) the same desks send requests of the same kinds and sizes on the same
// schedule, to a server that does nothing with them.
import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '../../common/ids.ts';
import { createServerClient, ServerError, type ServerClient } from '../../main/remote/client.ts';
import { LoginReply, SessionReply } from '../../common/protocol/auth.ts';
import { PullReply, PushReply } from '../../common/protocol/sync.ts';
import { LeaseReply } from '../../common/protocol/numbering.ts';
import { chunkContentType, DeclaredUploadReply, UploadStateReply } from '../../common/protocol/blobs.ts';
import type { DispositionData } from '../../common/protocol/disposition.ts';
import type { LetterData } from '../../common/protocol/letters.ts';
import { benchPassword, deskAt, positionId, type Desk } from './organisation.ts';

export type Target = 'server' | 'floor';
export type ToDesks =
  | { kind: 'grow'; desks: number }
  | { kind: 'target'; target: Target }
  | { kind: 'collect' }
  | { kind: 'stop' };
export interface Samples { latencies: Record<string, number[]>; errors: Record<string, number>; errorCodes: Record<string, number>; rejected: Record<string, number>; actions: Record<string, number> }
export type FromDesks =
  | { kind: 'grown'; desks: number; loginMs: number[]; failed: number; firstError?: string }
  | { kind: 'samples'; samples: Samples }
  | { kind: 'fatal'; message: string };

const year = 2026;
const { url, floorUrl, caFile, pullEverySeconds, actionEverySeconds, leaseCount } = JSON.parse(process.env.LOKET_BENCH_DESKS!) as
  { url: string; floorUrl: string; caFile: string; pullEverySeconds: number; actionEverySeconds: number; leaseCount: number };
const pullEveryMs = pullEverySeconds * 1000;
const actionChance = Math.min(1, pullEverySeconds / actionEverySeconds);

let target: Target = 'server';
let samples: Samples = fresh();
function fresh(): Samples { return { latencies: {}, errors: {}, errorCodes: {}, rejected: {}, actions: {} }; }
const count = (table: Record<string, number>, key: string) => { table[key] = (table[key] ?? 0) + 1; };

interface SimDesk extends Desk {
  client: ServerClient;
  floor: ServerClient;
  deviceId: string;
  token: string;
  refreshToken: string;
  tokenExpiresAt: number;
  cursor: number;
  lease: { next: number; last: number } | undefined;
  /** Letters of the office the feed brought, newest last (a few hundred at most). */
  letters: { id: string; attachments: string[] }[];
  disposed: Set<string>;
  /** Dispositions addressed to this desk's position and not yet done. */
  mine: Map<string, DispositionData>;
  timer: NodeJS.Timeout | undefined;
  busy: boolean;
}

const desks: SimDesk[] = [];

/** One request, timed under its route's name; a failure counts as that route's error and is thrown on. */
async function timed<T>(route: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    const result = await run();
    (samples.latencies[route] ??= []).push(performance.now() - t0);
    return result;
  } catch (err) {
    (samples.latencies[route] ??= []).push(performance.now() - t0);
    count(samples.errors, route);
    count(samples.errorCodes, `${route} ${err instanceof ServerError ? `${err.status} ${err.code}` : String(err)}`);
    throw err;
  }
}

function scan(seed: string): Buffer {
  const size = 20_000 + Math.floor(Math.random() * 60_000);
  const head = Buffer.from(`%PDF-1.7\n% ${seed}\n`);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

async function signIn(d: SimDesk): Promise<void> {
  const reply = await d.client.json('POST', '/auth/login', LoginReply, { json: { username: d.username, password: benchPassword, deviceId: d.deviceId, deviceName: `Meja ${d.username}` } });
  d.token = reply.accessToken;
  d.refreshToken = reply.refreshToken;
  d.tokenExpiresAt = Date.parse(reply.accessTokenExpiresAt);
}

/** As the desk does: a fresh access token a minute before the old one ends. */
async function freshToken(d: SimDesk): Promise<string> {
  // A desk whose sign-in failed (the server was too busy to answer) signs in again first.
  if (d.refreshToken === '') await timed('POST /auth/login', () => signIn(d));
  else if (Date.now() > d.tokenExpiresAt - 60_000) {
    const reply = await timed('POST /auth/refresh', () => d.client.json('POST', '/auth/refresh', SessionReply, { json: { refreshToken: d.refreshToken, deviceId: d.deviceId } }));
    d.token = reply.accessToken;
    d.refreshToken = reply.refreshToken;
    d.tokenExpiresAt = Date.parse(reply.accessTokenExpiresAt);
  }
  return d.token;
}

async function pull(d: SimDesk): Promise<void> {
  for (;;) {
    const token = await freshToken(d);
    const page = await timed('GET /sync/pull', () => d.client.json('GET', `/sync/pull?cursor=${d.cursor}&limit=500`, PullReply, { token }));
    for (const change of page.changes) {
      if (change.entity === 'letter') {
        const letter = change.data as LetterData;
        if (!d.letters.some((l) => l.id === letter.id)) d.letters.push({ id: letter.id, attachments: letter.attachments });
        if (d.letters.length > 300) d.letters.shift();
      } else if (change.entity === 'disposition') {
        const disposition = change.data as DispositionData;
        if (disposition.parentId === null) d.disposed.add(disposition.letterId);
        const me = disposition.recipients.find((r) => r.positionId === d.positionId && r.kind === 'to');
        if (me && me.doneAt === null && disposition.cancelledAt === null) d.mine.set(disposition.id, disposition);
        else d.mine.delete(disposition.id);
      }
    }
    d.cursor = page.cursor;
    if (!page.hasMore) return;
  }
}

async function push(d: SimDesk, kind: string, payload: unknown): Promise<void> {
  const token = await freshToken(d);
  const reply = await timed('POST /sync/push', () => d.client.json('POST', '/sync/push', PushReply, { token, json: { mutations: [{ id: uuidv7(), kind, payload }] } }));
  count(samples.actions, kind);
  for (const r of reply.results) if (r.status === 'rejected') count(samples.rejected, `${kind} ${r.code}`);
}

async function upload(d: SimDesk, bytes: Buffer, client: ServerClient, token: string): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const declared = await timed('POST /blobs', () => client.json('POST', '/blobs', DeclaredUploadReply, { token, json: { sha256, size: bytes.length } }));
  if (!declared.complete) {
    await timed('PATCH /blobs/:sha256/upload', () => client.json('PATCH', `/blobs/${sha256}/upload`, UploadStateReply, {
      token, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': '0' }, retryStaleConnection: false,
    }));
  }
  return sha256;
}

async function register(d: SimDesk): Promise<void> {
  const token = await freshToken(d);
  if (!d.lease || d.lease.next > d.lease.last) {
    const lease = await timed('POST /numbering/lease', () => d.client.json('POST', '/numbering/lease', LeaseReply, { token, json: { book: 'in', year, count: leaseCount } }));
    d.lease = { next: lease.first, last: lease.last };
  }
  const agendaNumber = d.lease.next++;
  const sha256 = await upload(d, scan(`${d.username}-${agendaNumber}`), d.client, token);
  await push(d, 'letter.register', {
    letterId: uuidv7(), direction: 'in', year, agendaNumber, receivedAt: new Date().toISOString(), letterNumber: `800/${agendaNumber}/${d.office + 1}/${year}`,
    letterDate: '2026-03-02', sender: 'Puskesmas Kecamatan Utara', addressee: 'Kepala Dinas', subject: `Permohonan tambahan vaksin nomor ${agendaNumber}`,
    summary: 'Stok vaksin menipis menjelang program imunisasi; mohon tambahan 200 dosis untuk tiga desa.', urgency: 'segera', security: 'biasa',
    classification: '440', attachments: [sha256],
  });
}

async function readScan(d: SimDesk): Promise<void> {
  const letter = d.letters.filter((l) => l.attachments.length > 0).at(-1 - Math.floor(Math.random() * Math.min(20, d.letters.length)));
  if (!letter) return;
  const token = await freshToken(d);
  await timed('GET /blobs/:sha256', async () => {
    const reply = await d.client.raw('GET', `/blobs/${letter.attachments[0]}`, { token });
    if (reply.status !== 200) throw new ServerError('INTERNAL', `GET blob ${reply.status}`, reply.status);
  });
  count(samples.actions, 'read');
}

const disposition = (d: SimDesk, letterId: string, parentId: string | null, to: string[]) => ({
  dispositionId: uuidv7(), letterId, parentId, fromPositionId: d.positionId, to, cc: [], instructions: ['Tindak lanjuti'],
  note: 'Mohon ditindaklanjuti sesuai ketentuan.', urgency: 'biasa', dueDate: null,
});

async function act(d: SimDesk): Promise<void> {
  if (d.key === 'operator-1' || d.key === 'operator-2') {
    if (Math.random() < 0.8) return register(d);
    return readScan(d);
  }
  if (d.key === 'kepala') {
    const letter = d.letters.find((l) => !d.disposed.has(l.id));
    if (!letter) return readScan(d);
    d.disposed.add(letter.id);
    const kabid = positionId(d.office, `kabid-${1 + Math.floor(Math.random() * 3)}` as 'kabid-1');
    return push(d, 'disposition.create', disposition(d, letter.id, null, [positionId(d.office, 'sekretaris'), kabid]));
  }
  const open = [...d.mine.values()][0];
  if (!open) return readScan(d);
  const mine = open.recipients.find((r) => r.positionId === d.positionId)!;
  if (mine.readAt === null) {
    mine.readAt = new Date().toISOString();
    return push(d, 'disposition.read', { dispositionId: open.id, positionId: d.positionId });
  }
  d.mine.delete(open.id);
  if (d.key === 'kabid-1' && Math.random() < 0.5) return push(d, 'disposition.create', disposition(d, open.letterId, open.id, [positionId(d.office, 'staf')]));
  return push(d, 'disposition.report', { dispositionId: open.id, positionId: d.positionId, note: 'Sudah ditindaklanjuti.', attachment: null });
}

/** The same kinds and sizes of request as `act` and `pull`, sent to the floor, which answers each at once. */
async function actOnFloor(d: SimDesk): Promise<void> {
  const token = 'floor';
  const pushed = (kind: string, payload: unknown) => timed('POST /sync/push', () => d.floor.json('POST', '/sync/push', PushReply, { token, json: { mutations: [{ id: uuidv7(), kind, payload }] } }));
  const roll = Math.random();
  if (d.key.startsWith('operator') && roll < 0.8) {
    if (Math.random() < 1 / leaseCount) await timed('POST /numbering/lease', () => d.floor.json('POST', '/numbering/lease', LeaseReply, { token, json: { book: 'in', year, count: leaseCount } }));
    await upload(d, scan(d.username), d.floor, token);
    await pushed('letter.register', { letterId: uuidv7(), subject: 'Permohonan tambahan vaksin', summary: 'Stok vaksin menipis menjelang program imunisasi; mohon tambahan 200 dosis untuk tiga desa.', sender: 'Puskesmas Kecamatan Utara', attachments: ['0'.repeat(64)] });
  } else if (!d.key.startsWith('operator') && roll < 0.7) {
    await pushed('disposition.read', disposition(d, uuidv7(), null, [positionId(d.office, 'staf')]));
  } else {
    await timed('GET /blobs/:sha256', async () => { await d.floor.raw('GET', `/blobs/${'0'.repeat(64)}`, { token }); });
  }
}

async function tick(d: SimDesk): Promise<void> {
  if (d.busy) return; // a desk does not start its next round before the last one ended
  d.busy = true;
  try {
    if (target === 'server') {
      await pull(d);
      if (Math.random() < actionChance) await act(d);
    } else {
      await timed('GET /sync/pull', () => d.floor.json('GET', `/sync/pull?cursor=${d.cursor}&limit=500`, PullReply, { token: 'floor' }));
      if (Math.random() < actionChance) await actOnFloor(d);
    }
  } catch {
    // Counted under its route by timed(); the desk tries again at its next round, as a desk does.
  } finally {
    d.busy = false;
  }
}

async function grow(n: number): Promise<FromDesks> {
  const loginMs: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const added: SimDesk[] = [];
  for (let i = desks.length; i < n; i++) {
    added.push({
      ...deskAt(i), client: createServerClient({ url, caFile }), floor: createServerClient({ url: floorUrl, caFile }), deviceId: `bench-desk-${i}`,
      token: '', refreshToken: '', tokenExpiresAt: 0, cursor: 0, lease: undefined, letters: [], disposed: new Set(), mine: new Map(), timer: undefined, busy: false,
    });
  }
  // Sign-ins a few at a time (each is an scrypt on the server's thread pool), then each desk's first pull.
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < added.length) {
      const d = added[next++]!;
      const t0 = performance.now();
      try {
        await signIn(d);
        loginMs.push(performance.now() - t0);
        await pull(d);
      } catch (err) {
        failed++;
        firstError ??= String(err);
      }
    }
  }));
  for (const d of added) {
    desks.push(d);
    d.timer = setTimeout(function again() { d.timer = setTimeout(again, pullEveryMs); void tick(d); }, Math.random() * pullEveryMs);
  }
  samples = fresh();
  return { kind: 'grown', desks: desks.length, loginMs, failed, ...(firstError ? { firstError } : {}) };
}

process.on('message', (message: ToDesks) => {
  const reply = (m: FromDesks) => process.send!(m);
  switch (message.kind) {
    case 'grow': grow(message.desks).then(reply, (err: unknown) => reply({ kind: 'fatal', message: String(err) })); break;
    case 'target': target = message.target; break;
    case 'collect': reply({ kind: 'samples', samples }); samples = fresh(); break;
    case 'stop':
      for (const d of desks) { clearTimeout(d.timer); d.client.close(); d.floor.close(); }
      process.disconnect();
      break;
  }
});
