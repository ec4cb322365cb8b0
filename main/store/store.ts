// The desk's local store: one SQLite database (better-sqlite3) holding letters, documents, the
// outbox, settings and the audit log, behind typed repositories. The only place with SQL.
//
// Durability: WAL with synchronous=FULL. A desk commits a few times a minute, so an fsync per
// commit costs nothing a person notices, while NORMAL could lose the last commits on a power cut —
// a letter the clerk already saw saved and wrote its agenda number on, or the audit entry and outbox
// mutation that went with it. FULL applies to the whole connection; SQLite has no per-table setting.
import Database from 'better-sqlite3';
import type { Dashboard } from '../../common/ipc/app.ts';
import { AppError, fromSystemError } from '../../common/errors.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { migrate, type Migration } from './migrate.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import { agendaRepository, type AgendaRepository } from './agenda.ts';
import { auditRepository, type AuditRepository } from './audit.ts';
import { deliveriesRepository, type DeliveriesRepository } from './deliveries.ts';
import { documentsRepository, type DocumentsRepository } from './documents.ts';
import { externalDeliveriesRepository, type ExternalDeliveriesRepository } from './external-deliveries.ts';
import { lettersRepository, type LettersRepository } from './letters.ts';
import { outboxRepository, type OutboxRepository } from './outbox.ts';
import { scanProfilesRepository, type ScanProfilesRepository } from './scan-profiles.ts';
import { settingsRepository, type SettingsRepository } from './settings.ts';
import { signaturesRepository, type SignaturesRepository } from './signatures.ts';
import { syncRepository, type SyncRepository } from './sync.ts';

/** What every repository is built from. */
export interface StoreContext {
  readonly db: Database.Database;
  readonly log: Logger;
  now(): Date;
}

export interface StoreOptions {
  log?: Logger;
  /** The clock for timestamps (created_at, audit entries, UUIDv7 ids). */
  now?: () => Date;
  /** The migrations to apply, in order; defaults to all of them. Upgrade tests pass a prefix. */
  migrations?: readonly Migration[];
}

export interface Store {
  readonly schemaVersion: number;
  readonly settings: SettingsRepository;
  readonly letters: LettersRepository;
  readonly documents: DocumentsRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  /** Signatures made at this desk and B-B ones waiting for their timestamp (main/sign). */
  readonly signatures: SignaturesRepository;
  /** The desk's named scan profiles and the last one used (main/scan). */
  readonly scanProfiles: ScanProfilesRepository;
  /** The outbox's progress, the pulled change feed and desk sign-in data (main/sync, main/auth). */
  readonly sync: SyncRepository;
  /** The incoming agenda's documents, classification list, number blocks, duplicates and search. */
  readonly agenda: AgendaRepository;
  /** Letters sent to other offices from this desk and letters delivered to this office (main/letters/deliveries.ts). */
  readonly deliveries: DeliveriesRepository;
  /** Addressees outside the system of this office's letters, by email or on paper (main/letters/external.ts). */
  readonly externalDeliveries: ExternalDeliveriesRepository;
  /**
   * Runs fn in one SQLite transaction (a savepoint when nested): every repository write inside
   * commits together or not at all. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  /** The Beranda's figures; `today` is the office's local date, YYYY-MM-DD. */
  dashboard(today: string): Dashboard;
  close(): void;
}

export function openStore(file: string, options: StoreOptions = {}): Store {
  const log = (options.log ?? createLogger()).child({ part: 'store' });
  const now = options.now ?? (() => new Date());
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 5000 });
  } catch (err) {
    throw translate(log, err);
  }
  try {
    const journal = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (journal !== 'wal' && file !== ':memory:') log.warn('store: WAL mode unavailable', { journal });
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache instead of 2: a search over a register of a million letters looks up
    // thousands of rows by seq, and SQLite's default cache keeps re-reading them from the OS.
    db.pragma('cache_size = -65536');
    const { from, to } = migrate(db, options.migrations ?? allMigrations, log, now);
    log.info('store: opened', { file, schemaVersion: to, migratedFrom: from === to ? undefined : from });

    const ctx: StoreContext = { db, log, now };
    const audit = auditRepository(ctx);
    const outbox = outboxRepository(ctx);
    const letters = lettersRepository(ctx, outbox, audit);
    const settings = settingsRepository(ctx, audit);
    const documents = documentsRepository(ctx);
    const signatures = signaturesRepository(ctx);
    const scanProfiles = scanProfilesRepository(ctx, audit);
    const sync = syncRepository(ctx, audit);
    const agenda = agendaRepository(ctx, audit);
    const deliveries = deliveriesRepository(ctx, outbox, audit);
    const externalDeliveries = externalDeliveriesRepository(ctx, outbox, audit);

    return {
      schemaVersion: to,
      settings: guardAll(log, settings),
      letters: guardAll(log, letters),
      documents: guardAll(log, documents),
      signatures: guardAll(log, signatures),
      outbox: guardAll(log, outbox),
      audit: guardAll(log, audit),
      scanProfiles: guardAll(log, scanProfiles),
      sync: guardAll(log, sync),
      agenda: guardAll(log, agenda),
      deliveries: guardAll(log, deliveries),
      externalDeliveries: guardAll(log, externalDeliveries),
      transaction: <T>(fn: () => T): T => guard(log, () => db.transaction(fn).immediate())(),
      dashboard: guard(log, (today: string): Dashboard => {
        const chain = audit.verify();
        return { ...letters.counts(today), outboxPending: outbox.countPending(), auditChainIntact: chain.ok, auditEntries: chain.entries };
      }),
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw translate(log, err);
  }
}

// A full disk or a failing drive is something the clerk can act on: it leaves the store as an
// AppError (STORAGE_FULL / STORAGE_FAILED, Bahasa Indonesia message) for every caller, not only
// the IPC router. SQLite has already rolled the transaction back, so nothing committed is lost.
function translate(log: Logger, err: unknown): unknown {
  if (err instanceof AppError) return err;
  const known = fromSystemError(err);
  if (!known) return err;
  log.error('store: write failed', { code: known.code, err });
  return known;
}

function guard<A extends unknown[], R>(log: Logger, fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (err) {
      throw translate(log, err);
    }
  };
}

function guardAll<T extends object>(log: Logger, repository: T): T {
  return Object.fromEntries(
    Object.entries(repository).map(([name, value]) => [name, typeof value === 'function' ? guard(log, value as (...args: unknown[]) => unknown) : value]),
  ) as T;
}
