// Opens the server database (embedded SQLite by default, PostgreSQL in production) behind one Kysely
// interface and brings its schema up to date with the one migration set.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqlite } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import pg from 'pg';
import type { ServerConfig } from '../config.ts';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

export type Db = Kysely<Database>;

/** Connections of an instance's write transactions on PostgreSQL: one holding the writer lock, one ready behind it. */
const writerConnections = 2;

/**
 * PostgreSQL: transactions run on a pool of their own (`writerConnections`), statements outside a
 * transaction on the main pool (`poolSize`). Nearly every transaction writes the change feed or the
 * audit chain, so it waits in serializeWrites (dialect.ts) for the one writer lock, and it waits
 * holding its connection: on a shared pool, a few writers queued behind the lock took every
 * connection and each sign-in check and feed pull waited for them (at 1 000 desks on a loaded machine,
 * pulls took 4 s). On their own pool the writers queue in this process instead, and reads go on.
 */
class PostgresDb extends Kysely<Database> {
  readonly #writers: Kysely<Database>;

  constructor(config: Extract<ServerConfig['database'], { kind: 'postgres' }>) {
    super({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.connectionString, max: config.poolSize }) }) });
    this.#writers = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.connectionString, max: writerConnections }) }) });
  }

  override transaction() {
    return this.#writers.transaction();
  }

  override startTransaction() {
    return this.#writers.startTransaction();
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.#writers.destroy(), super.destroy()]);
  }
}

export function openDatabase(config: ServerConfig['database']): Db {
  if (config.kind === 'postgres') return new PostgresDb(config);
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
  const sqlite = new SqliteDatabase(config.file);
  // WAL lets readers (backups, a second process) in while a push commits; the busy timeout covers
  // another process holding the write lock briefly instead of failing the request.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL on each prepare; a push
 * runs about ten statements per mutation, so compiling them took longer than running them. The
 * compiled statements are kept by their SQL text (the same text always has the same plan; SQLite
 * re-prepares a kept statement itself after a schema change). Bounded: `in (?, ?, …)` lists vary.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, capacity = 500): KyselySqlite {
  const kept = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      let statement = kept.get(text);
      if (statement) {
        kept.delete(text); // re-inserted below: the Map's order is the least recently used first
      } else {
        statement = sqlite.prepare(text);
        if (kept.size >= capacity) kept.delete(kept.keys().next().value!);
      }
      kept.set(text, statement);
      return statement;
    },
  };
}

/** Applies every pending migration; throws with the failing migration's name. Safe to run from several instances at once. */
export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed`, { cause: error });
  }
  return results ?? [];
}
