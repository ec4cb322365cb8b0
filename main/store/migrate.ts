// Numbered schema migrations. Each migration runs in its own transaction and is recorded in
// schema_migrations, so a crash or a full disk mid-upgrade leaves the database at the previous
// version, whole. A migration that has landed is never edited; a change is a new number.
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../common/logger.ts';
import { AppError } from '../../common/errors.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: BetterSqlite3.Database): void;
}

export interface MigrationResult {
  from: number;
  to: number;
}

function schemaVersion(db: BetterSqlite3.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[], log: Logger, now: () => Date): MigrationResult {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`store: migration list must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');

  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) {
    // An older Loket must not write into a schema it does not understand; leave the file untouched.
    log.error('store: database is newer than this build', { databaseVersion: from, knownVersion: latest });
    throw new AppError('STORAGE_TOO_NEW', undefined, { databaseVersion: from, knownVersion: latest });
  }
  if (from === latest) return { from, to: from };

  // Foreign keys are switched off while migrating (a table rebuild would otherwise cascade or fail
  // half-way) and checked before each commit instead, as SQLite's ALTER TABLE guide prescribes.
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of migrations.slice(from)) {
      db.transaction(() => {
        m.up(db);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) throw new Error(`store: migration ${m.version} (${m.name}) leaves ${violations.length} foreign key violation(s)`);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now().toISOString());
      }).immediate();
      log.info('store: migration applied', { version: m.version, name: m.name });
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return { from, to: latest };
}
