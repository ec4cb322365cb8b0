// Keeps the desk's data file trustworthy and says so: the state the Beranda and the recovery screen
// show (storage.status), the full integrity check run in the background once the desk is up, a copy of
// the file each day it passes, and the reasons, in Bahasa Indonesia, when it cannot be trusted. The
// recovery itself (setting the file aside and starting again) is the composition root's (core.ts).
import { join } from 'node:path';
import type { StorageStatus } from '../../common/ipc/storage.ts';
import type { Logger } from '../../common/logger.ts';
import { fullCheck, listBackups, takeBackup, type BackupInfo } from '../store/health.ts';
import type { Store } from '../store/store.ts';
import type { EventBus } from './events.ts';

export type DamageReason = { kind: 'empty' } | { kind: 'quick-check'; problems: readonly string[] } | { kind: 'full-check'; problems: readonly string[] };

/** SQLite's own words for the first problems, for support; nothing when the file could not even be read. */
function found(problems: readonly string[]): string {
  return problems.length === 0 ? '' : ` (${problems.slice(0, 2).join('; ')})`;
}

export function describeDamage(reason: DamageReason): string {
  switch (reason.kind) {
    case 'empty':
      return 'Berkas data Loket di komputer ini kosong (0 byte), padahal meja ini sudah pernah dipakai: isinya hilang, mungkin karena disk bermasalah atau listrik padam saat menyimpan. Loket tidak dibuka sebagai meja kosong agar tidak ada yang tertimpa.';
    case 'quick-check':
      return `Pemeriksaan saat Loket dibuka menemukan kerusakan pada berkas data${found(reason.problems)}. Loket belum dipakai agar kerusakan tidak bertambah.`;
    case 'full-check':
      return `Pemeriksaan menyeluruh menemukan kerusakan pada berkas data${found(reason.problems)}. Pekerjaan masih dapat dilanjutkan, tetapi sebaiknya admin kantor segera memulihkan data.`;
  }
}

export interface StorageKeeper {
  status(): StorageStatus;
  /** The desk could not start on its file; it waits for the admin. */
  damagedAtStart(reason: DamageReason): Promise<void>;
  /** The desk runs on `store`: the full check starts in the background, a copy follows when it passes. */
  running(store: Store): Promise<void>;
  /** The desk is closing or being recovered: nothing more is done with the store it ran on. */
  stopped(): void;
  /** Waits for the background check and copy under way, if any (tests, close). */
  idle(): Promise<void>;
}

export function createStorageKeeper(o: { dataFile: string; backupsDir: string; bus: EventBus; log: Logger; /** A server is known: to resync from, and its accounts make the recovery the admin kantor's. */ canResync(): boolean; now?: () => Date }): StorageKeeper {
  const now = o.now ?? (() => new Date());
  let state: StorageStatus['state'] = 'checking';
  let deskRunning = false;
  let problem: string | null = null;
  let checkedAt: string | null = null;
  let backups: BackupInfo[] = [];
  /** Bumped whenever the store changes, so a check of an earlier store reports nothing. */
  let generation = 0;
  let work: Promise<void> = Promise.resolve();

  const status = (): StorageStatus => ({ state, deskRunning, problem, checkedAt, backups, canResync: o.canResync(), adminOnly: o.canResync() });
  const changed = () => o.bus.emit('storage.changed', status());

  async function checkAndKeep(store: Store, mine: number): Promise<void> {
    let problems: string[];
    try {
      problems = await fullCheck(o.dataFile);
    } catch (err) {
      o.log.warn('storage: full check could not run', { err });
      if (mine === generation) { state = 'ok'; changed(); }
      return;
    }
    if (mine !== generation) return;
    if (problems.length > 0) {
      o.log.error('storage: full check found damage', { problems });
      state = 'damaged';
      problem = describeDamage({ kind: 'full-check', problems });
      changed();
      return;
    }
    state = 'ok';
    checkedAt = now().toISOString();
    changed();
    // One copy a day, of a file that has just passed the full check.
    const today = checkedAt.slice(0, 10);
    if (backups[0]?.takenAt.slice(0, 10) === today) return;
    try {
      await takeBackup(store, o.backupsDir, now());
      if (mine !== generation) return;
      backups = await listBackups(o.backupsDir);
      changed();
    } catch (err) {
      o.log.warn('storage: daily copy of the data file failed', { err });
    }
  }

  return {
    status,
    async damagedAtStart(reason) {
      generation++;
      deskRunning = false;
      state = 'damaged';
      problem = describeDamage(reason);
      backups = await listBackups(o.backupsDir);
      changed();
    },
    async running(store) {
      const mine = ++generation;
      deskRunning = true;
      state = 'checking';
      problem = null;
      backups = await listBackups(o.backupsDir);
      changed();
      work = checkAndKeep(store, mine);
    },
    stopped() {
      generation++;
    },
    idle: () => work,
  };
}

/** Where the daily copies live. */
export function backupsDirOf(dataDir: string): string {
  return join(dataDir, 'backups');
}
