// The desk's data file when the disk lets it down: a page damaged mid-file, a file cut to 0 bytes, an
// index that no longer matches its table, a second Loket on the same folder. The desk (createCore, as
// both shells start it) notices at start or in its background check, tells the admin kantor, keeps
// the damaged file, and starts again on the last copy or afresh from the server.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import type { StorageStatus } from '../../common/ipc/storage.ts';
import { createCore, type Core } from '../../main/app/core.ts';
import { openStore } from '../../main/store/store.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { generateAgenda, insertAgenda } from '../support/generated-agenda.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const ctx = { origin: 'test' } as const;
const dirs: string[] = [];
const cores: Core[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loket-health-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, extra: Partial<Parameters<typeof createCore>[0]> = {}): Promise<Core> {
  const core = await createCore({ dataDir, shell: 'browser-host', version: 'uji', log: collectingLogger(), ...extra });
  cores.push(core);
  return core;
}

async function stop(core: Core): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.close();
}

function call<C extends Channel>(core: Core, channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>> {
  return core.router.call(channel, payload, ctx);
}

async function status(core: Core): Promise<StorageStatus> {
  const result = await core.router.call('storage.status' as Channel, {} as never, ctx);
  if (!result.ok) throw new Error(`storage.status: ${result.error.code}`);
  return result.value as StorageStatus;
}

/** A desk that has registered 600 letters and taken its day's copy after a clean full check. */
async function usedDesk(): Promise<string> {
  const dataDir = newDataDir();
  openStore(join(dataDir, 'loket.db'), { log: collectingLogger() }).close();
  insertAgenda(join(dataDir, 'loket.db'), generateAgenda(600));
  const core = await start(dataDir);
  await core.storageChecked();
  expect(await status(core)).toMatchObject({ state: 'ok', deskRunning: true, backups: [expect.objectContaining({ id: expect.stringMatching(/^loket-.*\.db$/) })] });
  await stop(core);
  return dataDir;
}

/**
 * Overwrites one page of the letters in the middle of the file, as a failing sector would: the letters
 * table's page nearest the middle (as dbstat lists them; a free page there holds nothing a check could
 * miss — migrations that rebuild tables leave many — and the desk's settings must stay readable for a
 * resync from the server).
 */
function damagePageMidFile(file: string): void {
  const pages = statSync(file).size / 4096;
  const db = new Database(file, { readonly: true });
  const used = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'letters'").all() as { pageno: number }[]).map((r) => r.pageno);
  db.close();
  const middle = pages / 2;
  const page = used.reduce((best, p) => (Math.abs(p - middle) < Math.abs(best - middle) ? p : best));
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, randomBytes(4096), 0, 4096, (page - 1) * 4096);
  } finally {
    closeSync(fd);
  }
}

/**
 * What a torn write can leave: the index says one thing, the table another. Only the full check
 * compares them; the quick check at start passes.
 */
function mismatchIndex(file: string): void {
  const db = new Database(file, { readonly: true });
  const index = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'letters' AND sql LIKE '%received_date%'").get() as { name: string; sql: string };
  db.close();
  // The sqlite3 tool, because better-sqlite3 keeps the schema table read-only (defensive mode).
  const changed = index.sql.replace(/received_date/, 'sender').replace(/'/g, "''");
  execFileSync('sqlite3', [file, `PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = '${changed}' WHERE name = '${index.name}';`]);
}

describe('the data file checked when the desk starts', () => {
  it('a page damaged mid-file: the desk says so, answers nothing else, and the admin restores the last copy', async () => {
    const dataDir = await usedDesk();
    damagePageMidFile(join(dataDir, 'loket.db'));

    const core = await start(dataDir);
    const damaged = await status(core);
    expect(damaged).toMatchObject({ state: 'damaged', deskRunning: false, problem: expect.stringContaining('kerusakan'), backups: [expect.anything()] });
    expect(await call(core, 'letters.search', {})).toMatchObject({ ok: false, error: { code: 'STORAGE_CORRUPT', message: expect.stringContaining('admin kantor') } });
    expect(await call(core, 'app.info', {})).toMatchObject({ ok: true });

    const restored = await core.router.call('storage.recover' as Channel, { action: 'restore', backupId: damaged.backups[0]!.id } as never, ctx);
    expect(restored).toMatchObject({ ok: true, value: { deskRunning: true } });
    const letters = await call(core, 'letters.search', {});
    expect(letters.ok && letters.value.length).toBeGreaterThan(0);
    // The damaged file is kept for support, not deleted.
    const setAside = readdirSync(join(dataDir, 'rusak'));
    expect(setAside).toHaveLength(1);
    expect(existsSync(join(dataDir, 'rusak', setAside[0]!, 'loket.db'))).toBe(true);
  });

  it('a data file cut to 0 bytes is not opened as an empty desk', async () => {
    const dataDir = await usedDesk();
    truncateSync(join(dataDir, 'loket.db'), 0);
    const core = await start(dataDir);
    expect(await status(core)).toMatchObject({ state: 'damaged', deskRunning: false, problem: expect.stringContaining('kosong (0 byte)') });
    expect(await call(core, 'dashboard.get', {})).toMatchObject({ ok: false, error: { code: 'STORAGE_CORRUPT' } });
  });

  it('a sound file cannot be "recovered" over', async () => {
    const dataDir = await usedDesk();
    const core = await start(dataDir);
    const backupId = (await status(core)).backups[0]!.id;
    expect(await core.router.call('storage.recover' as Channel, { action: 'restore', backupId } as never, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('the full check in the background', () => {
  it('an index that no longer matches its table is found while the desk works on, and the admin is told', async () => {
    const dataDir = newDataDir();
    openStore(join(dataDir, 'loket.db'), { log: collectingLogger() }).close();
    insertAgenda(join(dataDir, 'loket.db'), generateAgenda(300));
    mismatchIndex(join(dataDir, 'loket.db'));

    const seen: StorageStatus[] = [];
    const core = await start(dataDir);
    core.onEvent((name, payload) => { if (name === 'storage.changed') seen.push(payload as StorageStatus); });
    await core.storageChecked();
    expect(await status(core)).toMatchObject({ state: 'damaged', deskRunning: true, problem: expect.stringContaining('Pemeriksaan menyeluruh') });
    expect(seen.at(-1)).toMatchObject({ state: 'damaged' });
    // No copy is taken of a damaged file.
    expect((await status(core)).backups).toEqual([]);
    expect(await call(core, 'dashboard.get', {})).toMatchObject({ ok: true });
  });
});

describe('one desk per data folder', () => {
  it('a second desk on the same folder is refused while the first runs, and may open once it has closed', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    await expect(start(dataDir)).rejects.toMatchObject({ code: 'DATA_FOLDER_IN_USE', message: expect.stringContaining('sedang dipakai') });
    await stop(first);
    const second = await start(dataDir);
    expect(await call(second, 'app.info', {})).toMatchObject({ ok: true });
  });

  it('the lock of a desk that crashed is taken over', async () => {
    const dataDir = newDataDir();
    writeFileSync(join(dataDir, 'loket.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), token: 'x', since: '2026-01-01T00:00:00Z' }));
    const core = await start(dataDir);
    expect(await call(core, 'app.info', {})).toMatchObject({ ok: true });
  });
});

describe('starting afresh from the server', () => {
  let tls: TestTls;
  const databases = new Databases('sqlite');
  let srv: TestServer;
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
  });
  afterAll(async () => {
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('keeps the desk\'s settings and identity, and pulls what was sent to the office again', async () => {
    const dataDir = newDataDir();
    const options = { serverCaFile: tls.trusted.caCert };
    let core = await start(dataDir, options);
    expect(await call(core, 'settings.update', { serverUrl: srv.url, deskName: 'Meja Agenda 3' })).toMatchObject({ ok: true });
    expect(await call(core, 'auth.login', { username: 'operator.dinkes', password: demoPassword })).toMatchObject({ ok: true });
    // Another office sends this office a letter through the system; this desk pulls it.
    const other = await srv.login('operator.disdik', 'desk-disdik-0001');
    const block = (await srv.call('POST', '/numbering/lease', { token: other.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    const letterId = '0190f000-0000-7000-8000-000000000abc';
    await srv.call('POST', '/sync/push', { token: other.accessToken, json: { mutations: [{ id: '0190f000-0000-7000-8000-000000000abd', kind: 'letter.register', payload: {
      letterId, direction: 'in', year: 2026, agendaNumber: block.first, receivedAt: null, letterNumber: '005/1/2026', letterDate: '2026-03-01',
      sender: 'Kecamatan Selatan', addressee: 'Kepala Dinas', subject: 'Undangan koordinasi', summary: '', urgency: 'biasa', security: 'biasa', classification: '005', attachments: [] } },
    { id: '0190f000-0000-7000-8000-000000000abe', kind: 'letter.deliver', payload: { letterId, toOfficeIds: ['office-dinkes'] } }] } });
    await call(core, 'sync.now', {});
    await expect.poll(async () => { const r = await call(core, 'deliveries.received', {}); return r.ok ? r.value.map((l) => l.subject) : []; }, { timeout: 20_000 }).toContain('Undangan koordinasi');
    await stop(core);

    damagePageMidFile(join(dataDir, 'loket.db'));
    core = await start(dataDir, options);
    expect(await status(core)).toMatchObject({ state: 'damaged', canResync: true, adminOnly: true });
    // Nobody can sign in on a desk that could not start: the admin kantor's sign-in comes with the request, checked by the server.
    expect(await call(core, 'storage.recover', { action: 'resync' })).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    expect(await call(core, 'storage.recover', { action: 'resync', admin: { username: 'operator.dinkes', password: demoPassword } }))
      .toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    expect(await call(core, 'storage.recover', { action: 'resync', admin: { username: 'admin.dinkes', password: 'Salah-Sandi-2026' } }))
      .toMatchObject({ ok: false, error: { code: 'AUTH_INVALID_CREDENTIALS' } });
    expect(await status(core)).toMatchObject({ state: 'damaged', deskRunning: false });
    expect(await call(core, 'storage.recover', { action: 'resync', admin: { username: 'admin.dinkes', password: demoPassword } })).toMatchObject({ ok: true, value: { deskRunning: true } });
    expect(await call(core, 'settings.get', {})).toMatchObject({ ok: true, value: { serverUrl: srv.url, deskName: 'Meja Agenda 3' } });
    expect(await call(core, 'auth.login', { username: 'operator.dinkes', password: demoPassword })).toMatchObject({ ok: true });
    await call(core, 'sync.now', {});
    await expect.poll(async () => { const r = await call(core, 'deliveries.received', {}); return r.ok ? r.value.map((l) => l.subject) : []; }, { timeout: 20_000 }).toContain('Undangan koordinasi');
    // The same desk to the server, not a new one: its sign-ins and leased numbers stay its own.
    const devices = await srv.server.db.selectFrom('devices').select('id').execute();
    expect(devices).toHaveLength(2);
  });
});

describe('only the admin kantor recovers a desk that has a server', () => {
  let tls: TestTls;
  const databases = new Databases('sqlite');
  let srv: TestServer;
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
  });
  afterAll(async () => {
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  /** A desk of the Dinas Kesehatan on `server` with 300 letters, `signedIn` having signed in on it once each. */
  async function serverDesk(server: TestServer, signedIn: string[]): Promise<{ dataDir: string; options: Partial<Parameters<typeof createCore>[0]> }> {
    const dataDir = newDataDir();
    openStore(join(dataDir, 'loket.db'), { log: collectingLogger() }).close();
    insertAgenda(join(dataDir, 'loket.db'), generateAgenda(300));
    const options = { serverCaFile: tls.trusted.caCert };
    const core = await start(dataDir, options);
    await core.storageChecked();
    expect(await call(core, 'settings.update', { serverUrl: server.url, deskName: 'Meja Agenda 1' })).toMatchObject({ ok: true });
    for (const username of signedIn) {
      expect(await call(core, 'auth.login', { username, password: demoPassword })).toMatchObject({ ok: true });
      expect(await call(core, 'auth.logout', {})).toMatchObject({ ok: true });
    }
    await stop(core);
    return { dataDir, options };
  }

  it('while the desk runs: refused to a signed-in operator, done for the signed-in admin kantor', async () => {
    const { dataDir, options } = await serverDesk(srv, []);
    mismatchIndex(join(dataDir, 'loket.db'));
    const core = await start(dataDir, options);
    await core.storageChecked();
    const damaged = await status(core);
    expect(damaged).toMatchObject({ state: 'damaged', deskRunning: true, adminOnly: true });
    const restore = { action: 'restore' as const, backupId: damaged.backups[0]!.id };

    expect(await call(core, 'storage.recover', restore)).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED', message: expect.stringContaining('admin kantor') } });
    expect(await call(core, 'auth.login', { username: 'operator.dinkes', password: demoPassword })).toMatchObject({ ok: true });
    expect(await call(core, 'storage.recover', restore)).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    // A password typed into the request does not stand in for the person signed in.
    expect(await call(core, 'storage.recover', { ...restore, admin: { username: 'admin.dinkes', password: demoPassword } })).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    expect(await status(core)).toMatchObject({ state: 'damaged', deskRunning: true });
    expect(readdirSync(dataDir)).not.toContain('rusak');

    await call(core, 'auth.logout', {});
    expect(await call(core, 'auth.login', { username: 'admin.dinkes', password: demoPassword })).toMatchObject({ ok: true });
    expect(await call(core, 'storage.recover', restore)).toMatchObject({ ok: true, value: { state: 'checking', deskRunning: true } });
    expect(readdirSync(join(dataDir, 'rusak'))).toHaveLength(1);
  });

  it('a desk that could not start and cannot reach its server: the admin kantor who signed in here before is checked by this desk\'s own record', async () => {
    const ownDatabases = new Databases('sqlite');
    const gone = await startTestServer({ databases: ownDatabases, tls });
    const { dataDir, options } = await serverDesk(gone, ['admin.dinkes', 'operator.dinkes']);
    damagePageMidFile(join(dataDir, 'loket.db'));
    await gone.close();
    ownDatabases.stop();
    const core = await start(dataDir, options);
    const damaged = await status(core);
    expect(damaged).toMatchObject({ state: 'damaged', deskRunning: false, adminOnly: true });
    const restore = (admin?: { username: string; password: string }) => call(core, 'storage.recover', { action: 'restore', backupId: damaged.backups[0]!.id, ...(admin ? { admin } : {}) });

    expect(await restore()).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    expect(await restore({ username: 'operator.dinkes', password: demoPassword })).toMatchObject({ ok: false, error: { code: 'STORAGE_ADMIN_REQUIRED' } });
    expect(await restore({ username: 'admin.dinkes', password: 'Salah-Sandi-2026' })).toMatchObject({ ok: false, error: { code: 'AUTH_INVALID_CREDENTIALS' } });
    expect(await restore({ username: 'admin.disdik', password: demoPassword })).toMatchObject({ ok: false, error: { code: 'AUTH_OFFLINE_UNKNOWN' } });
    expect(await status(core)).toMatchObject({ state: 'damaged', deskRunning: false });
    expect(await restore({ username: 'Admin.Dinkes ', password: demoPassword })).toMatchObject({ ok: true, value: { deskRunning: true } });
    const letters = await call(core, 'letters.search', {});
    expect(letters.ok && letters.value.length).toBeGreaterThan(0);
  });
});
