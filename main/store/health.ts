// The desk's data file, checked and kept: SQLite's quick check when it is opened (openStore), its full
// integrity check off the main thread (integrity-worker.ts), copies of a file that passed it, a
// damaged file set aside for support, and what can still be read from one (the desk's settings and
// identity, to start afresh from the server; its kept sign-ins, to check who asks for the recovery).
import Database from 'better-sqlite3';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The problems SQLite's quick check finds (page structure, free lists, NOT NULL); none when the file is sound. */
export function quickCheck(db: Database.Database): string[] {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const found = rows.map((r) => r.quick_check);
  return found.length === 1 && found[0] === 'ok' ? [] : found;
}

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./integrity-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * SQLite's full integrity check (every index against its table as well), in a worker thread with its
 * own read-only connection: a large desk's check takes long, and the desk works meanwhile.
 */
export function fullCheck(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { file } });
    worker.unref();
    worker.once('message', (reply: { problems: string[] } | { error: string }) => {
      if ('problems' in reply) resolve(reply.problems);
      else resolve([reply.error]);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`integrity check worker exited with code ${code}`)));
  });
}

/** Folders and files only a desk that has been used leaves in its data folder. */
const deskTraces = ['documents', 'keychain.json', 'backups', 'scan-sessions'];

/**
 * An empty (0-byte) data file in a folder a desk has used: a truncated file, which SQLite would open
 * as a new, empty desk without a word.
 */
export function truncatedDataFile(file: string, dataDir: string): boolean {
  if (!existsSync(file) || statSync(file).size !== 0) return false;
  return deskTraces.some((name) => existsSync(join(dataDir, name)));
}

export interface BackupInfo { id: string; takenAt: string }

const backupName = /^loket-(\d{8}T\d{6}Z)\.db$/;

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function stampToIso(s: string): string {
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
}

/** The copies in `dir`, newest first. */
export async function listBackups(dir: string): Promise<BackupInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((id) => {
    const m = backupName.exec(id);
    return m ? [{ id, takenAt: stampToIso(m[1]!) }] : [];
  }).sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

/** A copy of the open store's file (SQLite's online backup: consistent while the desk works), keeping the newest `keep`. */
export async function takeBackup(store: { backupTo(file: string): Promise<void> }, dir: string, at: Date, keep = 7): Promise<BackupInfo> {
  await mkdir(dir, { recursive: true });
  const id = `loket-${stamp(at)}.db`;
  const partial = join(dir, `${id}.partial`);
  await store.backupTo(partial);
  await rename(partial, join(dir, id));
  for (const old of (await listBackups(dir)).slice(keep)) await rm(join(dir, old.id), { force: true });
  return { id, takenAt: stampToIso(stamp(at)) };
}

/** The data file and its WAL files moved into `<dataDir>/rusak/<time>/`, never deleted: support may still read them. */
export async function setAside(dataFile: string, dataDir: string, at: Date): Promise<string> {
  const target = join(dataDir, 'rusak', stamp(at));
  await mkdir(target, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    const from = `${dataFile}${suffix}`;
    if (await stat(from).then(() => true, () => false)) await rename(from, join(target, `loket.db${suffix}`));
  }
  return target;
}

/** Puts the copy `id` in place of the data file (which must have been set aside). */
export async function restoreBackup(dir: string, id: string, dataFile: string): Promise<void> {
  if (!(await listBackups(dir)).some((b) => b.id === id)) throw new Error(`no backup ${id}`);
  await copyFile(join(dir, id), dataFile);
}

/** A sign-in the desk kept (desk_accounts): the person's profile and the verifier of their password. */
export interface SavedAccount { username: string; profile: unknown; verifier: string }

export interface Salvage {
  /** Settings rows as stored (key → JSON text). */
  settings: Record<string, string>;
  /** The desk's identity towards the server (its sign-ins and leased numbers are bound to it). */
  deviceId: string | undefined;
  /** The sign-ins it kept, to check who asks for its recovery (main/auth/recovery-admin.ts). */
  accounts: SavedAccount[];
}

/** What can still be read from a damaged file; anything unreadable is left out. */
export function salvage(file: string): Salvage {
  const found: Salvage = { settings: {}, deviceId: undefined, accounts: [] };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) found.settings[row.key] = row.value;
    } catch {
      // The settings' pages are among the damaged ones.
    }
    try {
      const raw = db.prepare("SELECT value FROM sync_meta WHERE key = 'deviceId'").pluck().get() as string | undefined;
      const id = raw === undefined ? undefined : JSON.parse(raw) as unknown;
      if (typeof id === 'string') found.deviceId = id;
    } catch {
      // As above.
    }
    try {
      for (const row of db.prepare('SELECT username, profile, verifier FROM desk_accounts').all() as { username: string; profile: string; verifier: string }[]) {
        try {
          found.accounts.push({ username: row.username, profile: JSON.parse(row.profile) as unknown, verifier: row.verifier });
        } catch {
          // A profile that cannot be read: that person is not known here.
        }
      }
    } catch {
      // As above.
    }
  } catch {
    // Not even openable: nothing to carry over.
  } finally {
    db?.close();
  }
  return found;
}
