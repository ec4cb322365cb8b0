import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/store/store.ts';
import { collectingLogger } from '../../common/logger.ts';

// The attacker's path: the sqlite3 tool (here: a second connection) on the desk's database file,
// with the append-only triggers dropped first.
function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.exec(sql);
  db.close();
}

let dir: string;
let file: string;
let store: Store;
let log: ReturnType<typeof collectingLogger>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-audit-'));
  file = join(dir, 'loket.db');
  log = collectingLogger();
  store = openStore(file, { log });
  // A morning at the desk: the desk is named, then eight letters are registered.
  store.settings.update({ deskName: 'Meja Agenda' }, 'meja:Meja Loket');
  for (let n = 1; n <= 8; n++) {
    store.letters.create(
      { direction: 'incoming', status: 'registered', subject: `Surat nomor ${n}`, sender: 'Dinas Kesehatan', receivedDate: '2026-11-23', agendaNumber: n, agendaYear: 2026 },
      'meja:Meja Agenda',
    );
  }
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log in the desk database', () => {
  it('a working morning leaves an intact chain on the Beranda', () => {
    expect(store.audit.verify()).toEqual({ ok: true, entries: 9 });
    expect(store.dashboard('2026-11-23')).toMatchObject({ auditChainIntact: true, auditEntries: 9 });
  });

  it('the app itself cannot rewrite or remove an entry', () => {
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = 3").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    db.close();
    expect(store.audit.verify().ok).toBe(true);
  });

  it('an actor edited behind the app’s back is named, and the open Beranda notices it', () => {
    expect(store.dashboard('2026-11-23').auditChainIntact).toBe(true);
    tamper(file, "UPDATE audit_log SET actor = 'admin' WHERE seq = 4");
    expect(store.audit.verify().firstBad).toEqual({ seq: 4, reason: 'edited' });
    expect(store.dashboard('2026-11-23').auditChainIntact).toBe(false);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'store: audit chain is damaged', firstBad: { seq: 4, reason: 'edited' } }));
  });

  it('details edited with valid JSON are still an edit', () => {
    tamper(file, `UPDATE audit_log SET details = json_set(details, '$.agendaNumber', 99) WHERE seq = 6`);
    expect(store.audit.verify().firstBad).toEqual({ seq: 6, reason: 'edited' });
  });

  it('an entry deleted from the middle is named by its number', () => {
    tamper(file, 'DELETE FROM audit_log WHERE seq = 5');
    expect(store.audit.verify()).toEqual({ ok: false, entries: 8, firstBad: { seq: 5, reason: 'deleted' } });
  });

  it('the newest entry deleted is seen through the head anchor, and new work does not paper over it', () => {
    tamper(file, 'DELETE FROM audit_log WHERE seq = 9');
    expect(store.audit.verify().firstBad).toEqual({ seq: 9, reason: 'deleted' });
    store.settings.update({ officeName: 'Dinas Kominfo' }, 'meja:Meja Agenda');
    expect(store.audit.verify().firstBad).toEqual({ seq: 9, reason: 'deleted' });
  });

  it('two entries swapped are named as reordered', () => {
    const before = store.audit.list();
    tamper(file, 'UPDATE audit_log SET seq = 1000 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = 1000;');
    const after = store.audit.list();
    expect([after[2]!.entityId, after[6]!.entityId]).toEqual([before[6]!.entityId, before[2]!.entityId]);
    expect(store.audit.verify().firstBad).toEqual({ seq: 3, reason: 'reordered' });
  });

  it('outlives a restart: a damaged chain is still reported after the app reopens the file', () => {
    tamper(file, "UPDATE audit_log SET at = '2026-01-01T00:00:00.000Z' WHERE seq = 2");
    store.close();
    store = openStore(file, { log: collectingLogger() });
    expect(store.dashboard('2026-11-23')).toMatchObject({ auditChainIntact: false, auditEntries: 9 });
  });
});

describe('audit log verification as the desk keeps working', () => {
  it('stays right across new entries, a rolled-back entry and tampering in between', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-audit-'));
    const file = join(dir, 'loket.db');
    const store = openStore(file, { log: collectingLogger() });
    const note = (n: number) => store.audit.append({ actor: 'meja:Meja Agenda', action: 'letter.viewed', entity: 'letter', entityId: `l${n}`, details: { n } });
    for (let n = 1; n <= 5; n++) note(n);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 5 });
    note(6);
    note(7);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 7 });
    expect(() => store.transaction(() => { note(8); throw new Error('cancelled'); })).toThrow('cancelled');
    expect(store.audit.verify()).toEqual({ ok: true, entries: 7 });
    note(8);
    tamper(file, "UPDATE audit_log SET details = '{\"n\":1}' WHERE seq = 2");
    note(9);
    expect(store.audit.verify()).toEqual({ ok: false, entries: 9, firstBad: { seq: 2, reason: 'edited' } });
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
