// A real full disk: the store runs in a child process whose data directory is a 4 MiB tmpfs,
// mounted in a private mount namespace (unshare), so SQLite meets a genuine ENOSPC — in the WAL,
// the database and the FTS index alike — without touching the machine's own disks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const namespace = ['--user', '--map-root-user', '--mount'];
const unshareWorks = spawnSync('unshare', [...namespace, 'true']).status === 0;
// Some CI sandboxes forbid user namespaces; say why the suite is skipped rather than pass silently.
if (!unshareWorks) console.warn('store-disk-full: skipped — this machine refuses `unshare --user --mount`, so no private tmpfs can be filled');

// Runs inside the namespace. Registers letters until the disk is full, then checks what a clerk
// would: everything saved before is still there, the refused letter left nothing half-written, and
// after space is freed the desk simply carries on — also after a restart.
const desk = `
import { openStore } from ${JSON.stringify(join(root, 'main/store/store.ts'))};
import { createLogger } from ${JSON.stringify(join(root, 'common/logger.ts'))};
import { rmSync, writeFileSync } from 'node:fs';
const dir = process.env.LOKET_FULL_DIR;
writeFileSync(dir + '/spare-room', Buffer.alloc(512 * 1024, 1));
const log = createLogger({ level: 'warn' });
const letter = (n) => ({
  direction: 'incoming', status: 'registered', subject: 'Surat masuk nomor ' + n, sender: 'Kecamatan ' + n,
  receivedDate: '2026-11-23', agendaNumber: n, agendaYear: 2026,
  ocrText: Array.from({ length: 300 }, (_, i) => 'kata' + ((n * 7919 + i * 104729) % 100003)).join(' '),
});
let store = openStore(dir + '/loket.db', { log });
const saved = [];
let refused;
for (let n = 1; n <= 5000 && !refused; n++) {
  try { saved.push(store.letters.create(letter(n), 'meja:Meja Agenda').id); }
  catch (err) { refused = { name: err.name, code: err.code, message: err.message, n }; }
}
const afterFull = store.dashboard('2026-11-23');
const firstStillFound = store.letters.search('Surat masuk nomor 1').some((l) => l.id === saved[0]);
rmSync(dir + '/spare-room');
const retried = store.letters.create(letter(refused.n), 'meja:Meja Agenda');
store.close();
store = openStore(dir + '/loket.db', { log });
const afterRestart = store.dashboard('2026-11-23');
const retriedAfterRestart = store.letters.get(retried.id)?.agendaNumber;
store.close();
console.log(JSON.stringify({ saved: saved.length, refused, afterFull, firstStillFound, afterRestart, retriedAfterRestart }));
`;

interface DeskOutcome {
  saved: number;
  refused: { name: string; code: string; message: string; n: number };
  afterFull: Record<string, number | boolean>;
  firstStillFound: boolean;
  afterRestart: Record<string, number | boolean>;
  retriedAfterRestart: number;
}

describe.skipIf(!unshareWorks)('a full disk at the desk (real ENOSPC on a private tmpfs)', () => {
  let dir: string;
  let outcome: DeskOutcome;
  let stderr: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loket-full-'));
    const run = spawnSync('unshare', [...namespace, 'sh', '-c', 'mount -t tmpfs -o size=4m loket-full "$LOKET_FULL_DIR" && exec "$0" --input-type=module -e "$1"', process.execPath, desk], {
      env: { ...process.env, LOKET_FULL_DIR: dir },
      encoding: 'utf8',
    });
    stderr = run.stderr;
    if (run.status !== 0) throw new Error(`the desk process failed (${run.status}):\n${run.stderr}`);
    outcome = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as DeskOutcome;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells the clerk the disk is full, in Bahasa Indonesia, and that nothing was lost', () => {
    expect(outcome.saved).toBeGreaterThan(10);
    expect(outcome.refused).toMatchObject({ name: 'AppError', code: 'STORAGE_FULL' });
    expect(outcome.refused.message).toMatch(/Disk penuh.*tidak ada data yang hilang/);
    expect(stderr).toMatch(/"msg":"store: write failed".*"code":"STORAGE_FULL"/);
  });

  it('keeps every letter saved before the disk filled, with its sync mutation and an intact audit trail', () => {
    expect(outcome.afterFull).toMatchObject({ incomingTotal: outcome.saved, outboxPending: outcome.saved, auditEntries: outcome.saved, auditChainIntact: true });
    expect(outcome.firstStillFound).toBe(true);
  });

  it('once space is freed the refused letter can be saved again, and all of it survives a restart', () => {
    expect(outcome.afterRestart).toMatchObject({ incomingTotal: outcome.saved + 1, outboxPending: outcome.saved + 1, auditEntries: outcome.saved + 1, auditChainIntact: true });
    expect(outcome.retriedAfterRestart).toBe(outcome.refused.n);
  });
});
