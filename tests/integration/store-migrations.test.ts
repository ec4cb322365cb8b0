import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store/store.ts';
import { migrations } from '../../main/store/migrations/index.ts';
import { migrate, type Migration } from '../../main/store/migrate.ts';
import { auditRepository } from '../../main/store/audit.ts';
import { settingsRepository } from '../../main/store/settings.ts';
import { AppError } from '../../common/errors.ts';
import { collectingLogger } from '../../common/logger.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-migrate-'));
  file = join(dir, 'loket.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => collectingLogger();
const appliedVersions = (path: string) => {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  db.close();
  return rows;
};
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('store migrations', () => {
  it('a new desk starts on the latest schema, every table in place', () => {
    const store = openStore(file, { log: quiet() });
    expect(store.schemaVersion).toBe(migrations.length);
    store.close();
    expect(appliedVersions(file)).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    const db = new Database(file, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'letters_fts_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['agenda_blocks', 'audit_head', 'audit_log', 'classifications', 'delivered_letter_registrations', 'desk_accounts', 'documents', 'drafts', 'letters', 'letters_fts', 'letters_received_days', 'naskah_versions', 'org_holdings', 'org_positions', 'org_routes', 'outbox', 'paraf_letters', 'remote_entities', 'schema_migrations', 'server_letters', 'settings', 'signatures', 'sqlite_sequence', 'sync_meta']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('a desk updated to a new Loket keeps the letters, settings and audit trail it already had', () => {
    // A desk as a v1 build left it. Today's repositories prepare statements for columns v1 does not
    // have, so the v1 rows are written by the v1 schema's own tables: settings and audit through
    // their (unchanged) repositories, the letter and its outbox mutation as plain SQL.
    const v1 = new Database(file);
    expect(migrate(v1, migrations.slice(0, 1), quiet(), () => new Date())).toEqual({ from: 0, to: 1 });
    const ctx = { db: v1, log: quiet(), now: () => new Date('2026-11-20T02:00:00Z') };
    const audit = auditRepository(ctx);
    settingsRepository({ ...ctx, audit }).update({ deskName: 'Meja Umum', officeName: 'Dinas Perhubungan' }, 'meja:Meja Loket');
    const letter = {
      id: '0193f0a0-0000-7000-8000-000000000041', direction: 'incoming', status: 'registered', agendaNumber: 41, agendaYear: 2026,
      receivedDate: '2026-11-20', letterNumber: null, letterDate: null, sender: 'PO Sumber Rejeki', addressee: '', subject: 'Permohonan izin trayek',
      summary: '', urgency: 'biasa', security: 'biasa', classificationCode: null, documentType: null, attachmentCount: 0, documentHash: null,
      ocrText: null, signerUserId: null, createdAt: '2026-11-20T02:00:00.000Z', updatedAt: '2026-11-20T02:00:00.000Z',
    };
    v1.prepare(`INSERT INTO letters (id, direction, status, agenda_number, agenda_year, received_date, sender, subject, created_at, updated_at)
      VALUES (@id, @direction, @status, @agendaNumber, @agendaYear, @receivedDate, @sender, @subject, @createdAt, @updatedAt)`).run(letter);
    v1.prepare("INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES ('0193f0a0-0000-7000-8000-0000000000aa', 'letter', ?, 'create', '{}', ?)").run(letter.id, letter.createdAt);
    audit.append({ actor: 'meja:Meja Umum', action: 'letter.registered', entity: 'letter', entityId: letter.id });
    v1.close();

    const latest = openStore(file, { log: quiet() });
    expect(latest.schemaVersion).toBe(migrations.length);
    expect(latest.letters.get(letter.id)).toEqual({ ...letter, agendaLabel: null, voidReason: null });
    expect(latest.letters.search('trayek').map((l) => l.id)).toEqual([letter.id]);
    expect(latest.settings.get()).toMatchObject({ deskName: 'Meja Umum', officeName: 'Dinas Perhubungan' });
    expect(latest.outbox.countPending()).toBe(1);
    expect(latest.audit.verify()).toEqual({ ok: true, entries: 2 });
    latest.close();
    expect(appliedVersions(file)).toHaveLength(migrations.length);
  });

  it('agenda book exports an earlier Loket queued for the server stop showing as refused or waiting; the letters in the queue stay', () => {
    const before = migrations.findIndex((m) => m.name === 'agenda_book_exports_local');
    const old = new Database(file);
    migrate(old, migrations.slice(0, before), quiet(), () => new Date());
    const insert = old.prepare('INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at, state, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const refused = JSON.stringify({ code: 'UNSUPPORTED', message: 'Perubahan jenis "agenda_book/export" belum dapat dikirim ke server oleh versi Loket ini.', at: '2026-11-20T02:00:00.000Z' });
    insert.run('0193f0a0-0000-7000-8000-0000000000b1', 'agenda_book', '2026-11-01..2026-11-30', 'export', '{"from":"2026-11-01","to":"2026-11-30","entries":3}', '2026-11-20T02:00:00.000Z', 'rejected', refused);
    insert.run('0193f0a0-0000-7000-8000-0000000000b2', 'agenda_book', '2026-12-01..2026-12-04', 'export', '{"from":"2026-12-01","to":"2026-12-04","entries":1}', '2026-12-04T02:00:00.000Z', 'pending', null);
    insert.run('0193f0a0-0000-7000-8000-0000000000b3', 'letter', '0193f0a0-0000-7000-8000-000000000041', 'create', '{}', '2026-12-04T02:01:00.000Z', 'pending', null);
    old.close();

    const latest = openStore(file, { log: quiet() });
    expect(latest.sync.counts()).toEqual({ pending: 1, in_progress: 0, failed: 0, rejected: 0 });
    expect(latest.sync.queue().map((e) => e.entity)).toEqual(['letter']);
    latest.close();
  });

  it('an upgrade that fails half-way leaves the desk on its previous version, whole', () => {
    const store = openStore(file, { log: quiet() });
    store.settings.update({ deskName: 'Meja Umum' }, 'meja:Meja Loket');
    store.close();

    const broken: Migration = {
      version: migrations.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x TEXT); DELETE FROM settings;');
        throw new Error('disk pulled out mid-migration');
      },
    };
    expect(() => openStore(file, { log: quiet(), migrations: [...migrations, broken] })).toThrow(/mid-migration/);

    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
    const reopened = openStore(file, { log: quiet() });
    expect(reopened.schemaVersion).toBe(migrations.length);
    expect(reopened.settings.get().deskName).toBe('Meja Umum');
    reopened.close();
  });

  it('an older Loket refuses a database from a newer one and leaves the file untouched', () => {
    const future: Migration = { version: migrations.length + 1, name: 'future', up: (db) => db.exec('CREATE TABLE dispositions (id TEXT PRIMARY KEY) STRICT') };
    openStore(file, { log: quiet(), migrations: [...migrations, future] }).close();
    const before = sha256(file);

    let error: unknown;
    try {
      openStore(file, { log: quiet() });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORAGE_TOO_NEW');
    expect((error as AppError).message).toMatch(/versi Loket yang lebih baru.*Data tidak diubah/);
    expect(sha256(file)).toBe(before);
  });

  it('a damaged database file is refused with a clear message and left exactly as it was', () => {
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    writeFileSync(file, garbage);
    const before = sha256(file);
    let error: unknown;
    try {
      openStore(file, { log: quiet() });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORAGE_CORRUPT');
    expect((error as AppError).message).toMatch(/rusak.*tidak diubah/);
    expect(sha256(file)).toBe(before);
  });
});
