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
import { quickCheck } from './health.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import { agendaRepository } from './agenda.ts';
import { auditRepository, type AuditRepository } from './audit.ts';
import type { AuditKeyStore } from '../audit/key.ts';
import type { AuditAnchorReply } from '../../common/protocol/audit.ts';
import { deliveriesRepository } from './deliveries.ts';
import { documentsRepository } from './documents.ts';
import { draftsRepository } from './drafts.ts';
import { parafRepository } from './paraf.ts';
import { naskahRepository } from './naskah.ts';
import { externalDeliveriesRepository } from './external-deliveries.ts';
import { lettersRepository } from './letters.ts';
import { dispositionsRepository } from './dispositions.ts';
import { delegationsRepository } from './delegations.ts';
import { networkScannersRepository } from './network-scanners.ts';
import { orgRepository } from './org.ts';
import { outboxRepository, type OutboxRepository } from './outbox.ts';
import { scanProfilesRepository } from './scan-profiles.ts';
import { stampPlacesRepository } from './stamp-places.ts';
import { settingsRepository } from './settings.ts';
import { signaturesRepository } from './signatures.ts';
import { syncRepository } from './sync.ts';

/** What every repository is built from. */
export interface StoreContext {
  readonly db: Database.Database;
  readonly log: Logger;
  now(): Date;
}

/** A capability's repository is built from the connection and the two logs every change goes through. */
export interface RepositoryContext extends StoreContext {
  /** Changes that must reach the server, written in the same transaction as the change itself. */
  readonly outbox: OutboxRepository;
  /** The activity log (hash chain). */
  readonly audit: AuditRepository;
}

/**
 * The repositories of the desk's capabilities, each the only SQL of its capability. A capability
 * with tables of its own adds its repository file and one line here.
 */
const repositories = {
  settings: settingsRepository,
  letters: lettersRepository,
  documents: documentsRepository,
  /** Signatures made at this desk and B-B ones waiting for their timestamp (main/sign). */
  signatures: signaturesRepository,
  /** The desk's named scan profiles and the last one used (main/scan). */
  scanProfiles: scanProfilesRepository,
  /** Where officials placed the signature stamp, per letter and per layout (main/sign/stamp-place.ts). */
  stampPlaces: stampPlacesRepository,
  /** The network scanners the desk remembers, their pinned certificates, and the scanner used last (main/scan). */
  networkScanners: networkScannersRepository,
  /** The outbox's progress, the pulled change feed and desk sign-in data (main/sync, main/auth). */
  sync: syncRepository,
  /** The incoming agenda's documents, classification list, number blocks, duplicates and search. */
  agenda: agendaRepository,
  /** Letters sent to other offices from this desk and letters delivered to this office (main/letters/delivery). */
  deliveries: deliveriesRepository,
  /** Addressees outside the system of this office's letters, by email or on paper (main/letters/delivery). */
  externalDeliveries: externalDeliveriesRepository,
  /** The office's positions, who holds them and its disposition routes, as last fetched from the server (main/org). */
  org: orgRepository,
  /** Dispositions from the office's feed with this desk's changes on their way laid over them (main/letters/disposition). */
  dispositions: dispositionsRepository,
  /** Outgoing letters drafted at this desk (main/letters/drafting). */
  drafts: draftsRepository,
  /** Drafts in their paraf chain from the feed, with this desk's submissions and decisions on their way (main/letters/paraf). */
  paraf: parafRepository,
  /** Delegations (Plh/Plt) from the office's feed with this desk's changes on their way laid over them (main/org/delegations.ts). */
  delegations: delegationsRepository,
  /** The office's kop and templates, each version from the feed kept with its logo (main/letters/drafting/naskah.ts). */
  naskah: naskahRepository,
} satisfies Record<string, (ctx: RepositoryContext) => object>;

type Repositories = { readonly [K in keyof typeof repositories]: ReturnType<(typeof repositories)[K]> };

export interface StoreOptions {
  log?: Logger;
  /** The clock for timestamps (created_at, audit entries, UUIDv7 ids). */
  now?: () => Date;
  /** The migrations to apply, in order; defaults to all of them. Upgrade tests pass a prefix. */
  migrations?: readonly Migration[];
  /**
   * Where the desk's audit key is sealed (core.ts: the keychain). With it the activity log is a keyed
   * chain from the first entry after it was made; without it (tools, tests) entries stay unkeyed.
   */
  auditKeys?: AuditKeyStore;
}

export interface Store extends Repositories {
  readonly schemaVersion: number;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  /**
   * Runs fn in one SQLite transaction (a savepoint when nested): every repository write inside
   * commits together or not at all. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  /** The Beranda's figures; `today` is the office's local date, YYYY-MM-DD. */
  dashboard(today: string): Dashboard;
  /** A consistent copy of the whole database in `file` (SQLite's online backup), while the desk goes on working. */
  backupTo(file: string): Promise<void>;
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
    // A file with a damaged page opens like any other and fails later, on whatever reads that page:
    // refuse it now, before anything (a pragma, a migration, a sync) writes into it.
    const problems = file === ':memory:' ? [] : quickCheck(db);
    if (problems.length > 0) {
      log.error('store: quick check found damage', { file, problems });
      throw new AppError('STORAGE_CORRUPT', undefined, { check: problems.slice(0, 5) });
    }
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
    const audit = auditRepository(ctx, options.auditKeys);
    const outbox = outboxRepository(ctx);
    const base: RepositoryContext = { ...ctx, outbox, audit };
    const built = Object.fromEntries(Object.entries(repositories).map(([name, make]) => [name, guardAll(log, make(base))])) as Repositories;
    const letters = built.letters;

    return {
      ...built,
      schemaVersion: to,
      outbox: guardAll(log, outbox),
      audit: guardAll(log, audit),
      transaction: <T>(fn: () => T): T => guard(log, () => db.transaction(fn).immediate())(),
      dashboard: guard(log, (today: string): Dashboard => {
        const chain = audit.verify();
        const anchor = built.sync.getMeta<AuditAnchorReply | null>('auditAnchor') ?? null;
        // The log must still hold the entry the server holds, as the server has it.
        const anchored = !anchor || anchor.seq === 0 || audit.at(anchor.seq)?.hash === anchor.hash;
        return {
          ...letters.counts(today), outboxPending: outbox.countPending(), auditChainIntact: chain.ok && anchored, auditEntries: chain.entries,
          auditAnchor: anchor ? { seq: anchor.seq, broken: anchor.broken ? { kind: anchor.broken.kind, seq: anchor.broken.seq } : null } : null,
        };
      }),
      backupTo: async (target: string) => { await db.backup(target); },
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
