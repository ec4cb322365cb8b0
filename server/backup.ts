// Backup and restore of a server: the database (SQLite online backup, or pg_dump/pg_restore) plus
// the finished blobs, into one directory with a manifest. Backing up works while the server runs;
// restoring expects it stopped and the target database empty (a fresh PostgreSQL database, or no
// SQLite file yet).
//   node server/backup.ts backup  --config server.json --out /backups/2026-03-02
//   node server/backup.ts restore --config server.json --from /backups/2026-03-02
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { loadConfig, type ServerConfig } from './config.ts';

interface Manifest { format: 1; database: 'sqlite' | 'postgres'; createdAt: string; blobs: number }

/** Copies every finished blob (two-level fan-out dirs), never the unfinished uploads in partial/. */
function copyBlobs(from: string, to: string): number {
  let count = 0;
  if (!existsSync(from)) return 0;
  for (const fan of readdirSync(from)) {
    if (fan === 'partial' || !/^[0-9a-f]{2}$/.test(fan)) continue;
    cpSync(join(from, fan), join(to, fan), { recursive: true, force: false, errorOnExist: false });
    count += readdirSync(join(from, fan)).length;
  }
  return count;
}

export async function backup(config: ServerConfig, out: string): Promise<Manifest> {
  if (existsSync(join(out, 'manifest.json'))) throw new Error(`${out} already holds a backup; choose a new directory`);
  mkdirSync(out, { recursive: true });
  const db = config.database;
  if (db.kind === 'sqlite') {
    // SQLite's online backup API: a consistent copy while the server keeps writing.
    const source = new SqliteDatabase(db.file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(join(out, 'database.sqlite'));
    } finally {
      source.close();
    }
  } else {
    execFileSync('pg_dump', ['--format=custom', '--no-owner', '--file', join(out, 'database.pgdump'), db.connectionString], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  // Blobs after the database: every blob a backed-up row refers to was finished before that row committed.
  const manifest: Manifest = { format: 1, database: db.kind, createdAt: new Date().toISOString(), blobs: copyBlobs(config.blobDir, join(out, 'blobs')) };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

export function restore(config: ServerConfig, from: string): Manifest {
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as Manifest;
  const db = config.database;
  if (manifest.database !== db.kind) throw new Error(`backup holds a ${manifest.database} database but the server is configured for ${db.kind}`);
  if (db.kind === 'sqlite') {
    if (existsSync(db.file)) throw new Error(`${db.file} exists; move it away before restoring (nothing was changed)`);
    mkdirSync(dirname(db.file), { recursive: true });
    copyFileSync(join(from, 'database.sqlite'), db.file);
  } else {
    execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', db.connectionString, join(from, 'database.pgdump')], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  mkdirSync(config.blobDir, { recursive: true });
  copyBlobs(join(from, 'blobs'), config.blobDir);
  return manifest;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { config: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' } } });
  const config = loadConfig(values.config ? { file: values.config } : {});
  const command = positionals[0];
  if (command === 'backup' && values.out) console.log(JSON.stringify(await backup(config, values.out)));
  else if (command === 'restore' && values.from) console.log(JSON.stringify(restore(config, values.from)));
  else {
    console.error('usage: node server/backup.ts backup --out DIR | restore --from DIR  [--config FILE]');
    process.exit(2);
  }
}
