import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/store/store.ts';
import { fileKeychain, type Keychain } from '../../main/auth/keychain.ts';
import { keychainAuditKeys } from '../../main/audit/key.ts';
import { GENESIS_HASH, hashEntry, hashEntryKeyed, type AuditEntry } from '../../main/audit/chain.ts';
import { collectingLogger } from '../../common/logger.ts';

// The attacker holds the database file (the sqlite3 tool, triggers dropped) but not the OS keychain.
function tamper(file: string, change: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.transaction(() => change(db))();
  db.close();
}

const rows = (db: Database.Database, fromSeq = 1) =>
  db.prepare('SELECT seq, at, actor, action, entity, entity_id AS entityId, details, prev_hash AS prevHash, hash FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as AuditEntry[];

/** Rewrites every hash from `fromSeq` on with `hash` (the unkeyed formula, or a key of the attacker's), and moves the head. */
function rehash(db: Database.Database, fromSeq: number, hash: (e: Omit<AuditEntry, 'hash'>) => string): void {
  let prev = fromSeq === 1 ? GENESIS_HASH : (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(fromSeq - 1) as string);
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  let last = fromSeq - 1;
  for (const entry of rows(db, fromSeq)) {
    const h = hash({ ...entry, prevHash: prev });
    update.run(prev, h, entry.seq);
    prev = h;
    last = entry.seq;
  }
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(last, prev);
}

let dir: string;
let file: string;
let keychain: Keychain;
let store: Store;

const register = (s: Store, n: number) => s.letters.create(
  { direction: 'incoming', status: 'registered', subject: `Surat nomor ${n}`, sender: 'Dinas Kesehatan', receivedDate: '2026-11-23', agendaNumber: n, agendaYear: 2026 },
  'meja:Meja Agenda',
);
const open = () => openStore(file, { log: collectingLogger(), auditKeys: keychainAuditKeys(keychain) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-audit-key-'));
  file = join(dir, 'loket.db');
  keychain = fileKeychain(join(dir, 'keychain.json'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a keyed activity log on a new desk', () => {
  beforeEach(() => {
    store = open();
    for (let n = 1; n <= 8; n++) register(store, n);
  });

  it('starts with the key made, chains every entry under it, and verifies', () => {
    const [first, second] = store.audit.list();
    expect(first).toMatchObject({ seq: 1, actor: 'system:audit', action: 'audit.key-created' });
    expect(JSON.parse(first!.details)).toEqual({ since: 1 });
    // Not the unkeyed formula: nobody without the key can compute these hashes.
    expect(second!.hash).not.toBe(hashEntry(second!));
    expect(store.audit.verify()).toEqual({ ok: true, entries: 9 });
  });

  it('keeps its key over a restart: no second key, the chain still verifies', () => {
    store.close();
    store = open();
    register(store, 9);
    expect(store.audit.list().filter((e) => e.action.startsWith('audit.key'))).toHaveLength(1);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 10 });
  });

  it('an entry edited and every later hash recomputed with the unkeyed formula is named', () => {
    tamper(file, (db) => {
      db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = 4").run();
      rehash(db, 4, hashEntry);
    });
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBad: { seq: 4, reason: 'edited' } });
    expect(store.dashboard('2026-11-23').auditChainIntact).toBe(false);
  });

  it('an entry edited and rehashed under a key of the attacker’s is named', () => {
    const forgedKey = new Uint8Array(32).fill(7);
    tamper(file, (db) => {
      db.prepare("UPDATE audit_log SET details = json_set(details, '$.agendaNumber', 99) WHERE seq = 6").run();
      rehash(db, 6, (e) => hashEntryKeyed(e, forgedKey));
    });
    expect(store.audit.verify().firstBad).toEqual({ seq: 6, reason: 'edited' });
  });

  it('the whole log recomputed unkeyed, as if the desk never had a key, is named at its first entry', () => {
    tamper(file, (db) => rehash(db, 1, hashEntry));
    expect(store.audit.verify().firstBad).toEqual({ seq: 1, reason: 'edited' });
  });

  it('a tail cut off with the head moved back is seen once the desk had seen it whole', () => {
    expect(store.audit.verify().ok).toBe(true); // the Beranda looked: the desk has seen entry 9
    tamper(file, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > 6').run();
      const head = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = 6').get() as { seq: number; hash: string };
      db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(head.seq, head.hash);
    });
    expect(store.audit.verify()).toEqual({ ok: false, entries: 6, firstBad: { seq: 7, reason: 'deleted' } });
    // Work written on after the cut makes the log a whole chain again; the desk still knows better.
    for (let n = 20; n <= 25; n++) register(store, n);
    expect(store.audit.verify()).toEqual({ ok: false, entries: 12, firstBad: { seq: 9, reason: 'rewound' } });
    store.close();
    store = open();
    expect(store.dashboard('2026-11-23').auditChainIntact).toBe(false);
  });

  it('a wiped log is seen, also after new work and a restart', () => {
    expect(store.audit.verify().ok).toBe(true);
    tamper(file, (db) => {
      db.prepare('DELETE FROM audit_log').run();
      db.prepare('UPDATE audit_head SET seq = 0, hash = ? WHERE id = 1').run(GENESIS_HASH);
    });
    expect(store.audit.verify()).toEqual({ ok: false, entries: 0, firstBad: { seq: 1, reason: 'deleted' } });
    store.close();
    store = open();
    for (let n = 30; n <= 41; n++) register(store, n);
    expect(store.audit.verify()).toMatchObject({ ok: false, firstBad: { seq: 9, reason: 'rewound' } });
  });

  it('a lost key is said in the log: the entries it covered are checked only for their links', () => {
    store.close();
    keychain.delete('audit-key');
    store = open();
    const lost = store.audit.list().at(-1)!;
    expect(lost).toMatchObject({ seq: 10, action: 'audit.key-lost' });
    expect(JSON.parse(lost.details)).toEqual({ since: 10, uncheckableFrom: 1, uncheckableTo: 9 });
    register(store, 9);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 11, uncheckable: { from: 1, to: 9 } });
    // Entries under the new key are checked as before.
    tamper(file, (db) => {
      db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = 11").run();
      rehash(db, 11, hashEntry);
    });
    expect(store.audit.verify().firstBad).toEqual({ seq: 11, reason: 'edited' });
  });

  it('a key sealed by another computer’s keychain cannot be opened here: it counts as lost', () => {
    store.close();
    const elsewhere = fileKeychain(join(dir, 'keychain.json'), { seal: (v) => v, open: () => { throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'); } });
    store = openStore(file, { log: collectingLogger(), auditKeys: keychainAuditKeys(elsewhere) });
    expect(store.audit.list().at(-1)).toMatchObject({ seq: 10, action: 'audit.key-lost' });
    expect(store.audit.verify()).toMatchObject({ ok: true, uncheckable: { from: 1, to: 9 } });
  });
});

describe('an existing desk’s unkeyed log, migrated forward', () => {
  beforeEach(() => {
    // Written before desks had a key: every entry unkeyed.
    const old = openStore(file, { log: collectingLogger() });
    old.settings.update({ deskName: 'Meja Agenda' }, 'meja:Meja Loket');
    for (let n = 1; n <= 8; n++) register(old, n);
    old.close();
    store = open();
  });

  it('keeps verifying: its entries keep their hashes, the key chains on from the next one', () => {
    const entries = store.audit.list();
    expect(entries.slice(0, 9).every((e) => e.hash === hashEntry(e))).toBe(true);
    expect(entries[9]).toMatchObject({ seq: 10, action: 'audit.key-created' });
    expect(JSON.parse(entries[9]!.details)).toEqual({ since: 10 });
    register(store, 9);
    expect(store.audit.verify()).toEqual({ ok: true, entries: 11 });
  });

  it('an old entry edited and the unkeyed part recomputed breaks at the first keyed entry', () => {
    tamper(file, (db) => {
      db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = 3").run();
      // The attacker can redo the unkeyed entries, not the keyed one that covers them.
      let prev = db.prepare('SELECT hash FROM audit_log WHERE seq = 2').pluck().get() as string;
      for (const e of rows(db, 3).filter((r) => r.seq < 10)) {
        const h = hashEntry({ ...e, prevHash: prev });
        db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, h, e.seq);
        prev = h;
      }
    });
    expect(store.audit.verify().firstBad).toEqual({ seq: 10, reason: 'broken-link' });
  });
});
