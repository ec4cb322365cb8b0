// One desk per data folder: two Lokets on one folder would write one SQLite file, one outbox and one
// device identity from two processes (Electron's single-instance lock covers only its own profile;
// the browser host and LOKET_DATA_DIR have none). The lock is a file naming the process that holds
// it; a lock whose process is gone (a crash, a power cut) is taken over.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';

interface Holder { pid: number; host: string; token: string; since: string }

export interface DataFolderLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as { code?: string }).code === 'EPERM';
  }
}

function read(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

export function lockDataFolder(dataDir: string, log: Logger): DataFolderLock {
  const file = join(dataDir, 'loket.lock');
  const me: Holder = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      // Another desk taking over the same stale lock at the same moment may have replaced ours.
      if (read(file)?.token !== me.token) continue;
      return {
        release() {
          if (read(file)?.token === me.token) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    const holder = read(file);
    // A lock from another computer (a data folder on a network drive) cannot be checked from here: it
    // holds. So does one still being written (unreadable, and only moments old).
    const beingWritten = holder === undefined && Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 10_000;
    if (beingWritten || (holder && (holder.host !== me.host || alive(holder.pid)))) {
      log.warn('desk: data folder in use', { dataDir, holder });
      throw new AppError('DATA_FOLDER_IN_USE', undefined, holder ? { pid: holder.pid, since: holder.since } : { dataDir });
    }
    log.warn('desk: taking over a stale data folder lock', { dataDir, holder });
    // Moved aside rather than deleted: of two desks taking it over at once, only one move succeeds.
    try {
      renameSync(file, `${file}.stale-${me.token}`);
      rmSync(`${file}.stale-${me.token}`, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
  }
  throw new AppError('DATA_FOLDER_IN_USE', undefined, { dataDir });
}
