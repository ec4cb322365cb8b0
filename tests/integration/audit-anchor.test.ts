// The desk's activity log anchored on the server: each pushed entry must continue the chain the server
// holds from that desk. The four rewrites of a desk's log — an entry edited and the later hashes
// recomputed, the tail cut and the head moved back, the log wiped, the whole log recomputed unkeyed
// with the key removed — are each seen by the desk or at the latest at its next sync; the Beranda says
// how far the log is safe, and the office's admin sees which desk's chain broke and how.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { GENESIS_HASH, hashEntry, type AuditEntry } from '../../main/audit/chain.ts';
import { fileKeychain } from '../../main/auth/keychain.ts';
import type { DeskChainsReply, AuditAnchorReply } from '../../common/protocol/audit.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { backendNames, type Session } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';
import type { TestDesk } from '../support/sync-desk.ts';

// The attacker holds the desk's database file (the sqlite3 tool, triggers dropped), not the server.
function tamper(file: string, change: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  db.transaction(() => change(db))();
  db.close();
}

/** Every hash from entry 1 recomputed with the unkeyed formula, and the head moved onto the last. */
function rehashUnkeyed(db: Database.Database): void {
  const entries = db.prepare('SELECT seq, at, actor, action, entity, entity_id AS entityId, details, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq').all() as AuditEntry[];
  let prev = GENESIS_HASH;
  for (const e of entries) {
    const h = hashEntry({ ...e, prevHash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, h, e.seq);
    prev = h;
  }
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(entries.at(-1)?.seq ?? 0, prev);
}

function cutAfter(db: Database.Database, seq: number): void {
  db.prepare('DELETE FROM audit_log WHERE seq > ?').run(seq);
  const head = (db.prepare('SELECT seq, hash FROM audit_log WHERE seq = ?').get(seq) as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(head.seq, head.hash);
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend);
  let admin: Session;
  beforeAll(async () => { admin = await env.srv.login('admin.dinkes', 'desk-admin-dinkes'); });

  const desk = (options: { keyed?: boolean; dir?: string } = {}): Promise<TestDesk> => env.desk('operator.dinkes', options);
  /** A clerk looking at letters: one activity entry each. */
  const work = (d: TestDesk, count: number) => {
    for (let i = 0; i < count; i++) d.store.audit.append({ actor: 'user-operator-dinkes', action: 'letter.viewed', entity: 'letter', entityId: uuidv7() });
  };
  const dashboard = (d: TestDesk) => d.store.dashboard('2026-03-02');
  async function chainOf(d: TestDesk) {
    const reply = await env.srv.call('GET', '/admin/audit/desks', { token: admin.accessToken });
    expect(reply.status, reply.body.toString()).toBe(200);
    return (reply.json as DeskChainsReply).desks.find((c) => c.deviceId === d.store.sync.deviceId());
  }
  const breaksLogged = (d: TestDesk) => env.srv.server.db.selectFrom('audit_log').select('details')
    .where('action', '=', 'audit.desk-chain-broken').where('device_id', '=', d.store.sync.deviceId()).execute();

  it('each entry continues the chain the server holds, and the Beranda says how far the log is safe', async () => {
    const d = await desk({ keyed: true });
    expect(dashboard(d).auditAnchor).toBeNull();
    work(d, 5);
    await d.sync.engine.syncNow();
    const head = d.store.audit.head().seq;
    expect(dashboard(d)).toMatchObject({ auditChainIntact: true, auditAnchor: { seq: head, broken: null } });
    work(d, 600); // more than one batch
    await d.sync.engine.syncNow();
    expect(dashboard(d).auditAnchor).toEqual({ seq: head + 600, broken: null });
    expect(await chainOf(d)).toMatchObject({ deviceName: expect.stringMatching(/^Meja uji/), lastSeq: head + 600, broken: null });
    expect(await breaksLogged(d)).toHaveLength(0);
  });

  it('an entry edited and the later hashes recomputed on a desk without a key: seen by the desk against the server’s copy, and by the server at the next sync', async () => {
    const d = await desk();
    work(d, 6);
    await d.sync.engine.syncNow();
    const held = d.store.audit.head().seq;
    tamper(join(d.dir, 'loket.db'), (db) => {
      db.prepare("UPDATE audit_log SET actor = 'admin' WHERE seq = 3").run();
      rehashUnkeyed(db);
    });
    // Without a key the log is a whole chain again; only the server's copy says otherwise.
    expect(d.store.audit.verify().ok).toBe(true);
    expect(dashboard(d).auditChainIntact).toBe(false);
    work(d, 1);
    await d.sync.engine.syncNow();
    expect(await chainOf(d)).toMatchObject({ lastSeq: held + 1, broken: { kind: 'rewound', seq: held, heldSeq: held } });
    expect(dashboard(d).auditAnchor).toEqual({ seq: held + 1, broken: { kind: 'rewound', seq: held } });
    expect(await breaksLogged(d)).toHaveLength(1);
    // The server kept what the desk first sent: the original actor of entry 3 is there.
    const third = await env.srv.server.db.selectFrom('audit_log').select('details').where('source', '=', 'desk').where('device_id', '=', d.store.sync.deviceId()).orderBy('seq').execute();
    expect(third.map((r) => JSON.parse(r.details) as { deskSeq: number; actor: string }).find((e) => e.deskSeq === 3)?.actor).toBe('user-operator-dinkes');
  });

  it('the tail cut and the head moved back: the server sees the desk start again below what it holds', async () => {
    const d = await desk();
    work(d, 10);
    await d.sync.engine.syncNow();
    const held = d.store.audit.head().seq;
    tamper(join(d.dir, 'loket.db'), (db) => cutAfter(db, held - 4));
    work(d, 2);
    expect(d.store.audit.verify().ok).toBe(true); // unkeyed: the shorter log is a whole chain
    expect(dashboard(d).auditChainIntact).toBe(false); // but it no longer holds the server's newest entry
    await d.sync.engine.syncNow();
    expect(await chainOf(d)).toMatchObject({ lastSeq: held - 2, broken: { kind: 'rewound', seq: 1, heldSeq: held } });
    expect(dashboard(d).auditAnchor?.broken).toEqual({ kind: 'rewound', seq: 1 });
  });

  it('the log wiped: the server sees it at the next sync', async () => {
    const d = await desk();
    work(d, 4);
    await d.sync.engine.syncNow();
    const held = d.store.audit.head().seq;
    tamper(join(d.dir, 'loket.db'), (db) => cutAfter(db, 0));
    work(d, 1);
    await d.sync.engine.syncNow();
    expect(await chainOf(d)).toMatchObject({ lastSeq: 1, broken: { kind: 'rewound', seq: 1, heldSeq: held } });
  });

  it('a keyed desk sees a cut tail itself before any sync; the server too at the next', async () => {
    const d = await desk({ keyed: true });
    work(d, 8);
    await d.sync.engine.syncNow();
    const held = d.store.audit.head().seq;
    tamper(join(d.dir, 'loket.db'), (db) => cutAfter(db, held - 3));
    expect(d.store.audit.verify()).toMatchObject({ ok: false, firstBad: { seq: held - 2, reason: 'deleted' } });
    work(d, 3);
    expect(dashboard(d).auditChainIntact).toBe(false);
    await d.sync.engine.syncNow();
    expect((await chainOf(d))?.broken).toMatchObject({ kind: 'rewound', heldSeq: held });
  });

  it('the whole log recomputed unkeyed and the key removed: the desk starts a new key on a whole-looking log, the server holds the truth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-desk-'));
    let d = await desk({ keyed: true, dir });
    work(d, 5);
    await d.sync.engine.syncNow();
    const held = d.store.audit.head().seq;
    await d.close();
    tamper(join(dir, 'loket.db'), (db) => {
      db.prepare("DELETE FROM audit_log WHERE action = 'audit.key-created'").run();
      db.prepare('UPDATE audit_log SET seq = seq - 1').run();
      rehashUnkeyed(db);
    });
    fileKeychain(join(dir, 'keychain.json')).delete('audit-key');
    d = await desk({ keyed: true, dir });
    // It looks like a desk keyed for the first time.
    expect(d.store.audit.list().filter((e) => e.action.startsWith('audit.key')).map((e) => e.action)).toEqual(['audit.key-created']);
    expect(d.store.audit.verify().ok).toBe(true);
    expect(dashboard(d).auditChainIntact).toBe(false); // the server's newest entry is not in this log
    await d.sync.engine.syncNow();
    expect((await chainOf(d))?.broken).toMatchObject({ kind: 'rewound', heldSeq: held });
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the server’s check, entry by entry', () => {
    const entry = (seq: number, prevHash: string, hash: string, extra: Record<string, unknown> = {}) => ({
      id: uuidv7(), at: '2026-03-02T09:20:00.000Z', action: 'letter.viewed', target: null, details: { deskSeq: seq }, hash, seq, prevHash, ...extra,
    });
    const h = (n: number) => n.toString(16).padStart(64, 'a');
    async function push(session: Session, entries: unknown[]) {
      const reply = await env.srv.call('POST', '/sync/push', { token: session.accessToken, json: { mutations: [{ id: uuidv7(), kind: 'audit.record', payload: { entries } }] } });
      expect(reply.status, reply.body.toString()).toBe(200);
      return (reply.json as { results: MutationResult[] }).results[0];
    }
    const anchor = async (session: Session) => (await env.srv.call('GET', '/sync/audit-anchor', { token: session.accessToken })).json as AuditAnchorReply;

    it('a desk of an earlier version (entries without their place) continues, once upgraded, from the last entry it sent', async () => {
      const old = await env.srv.login('operator.dinkes', 'desk-dinkes-old');
      expect(await anchor(old)).toEqual({ seq: 0, hash: GENESIS_HASH, broken: null });
      const earlier = [1, 2, 3].map((n) => { const { seq: _s, prevHash: _p, ...e } = entry(n, h(n - 1), h(n)); return e; });
      expect(await push(old, earlier)).toMatchObject({ status: 'applied' });
      expect(await anchor(old)).toEqual({ seq: 3, hash: h(3), broken: null });
      expect(await push(old, [entry(4, h(3), h(4)), entry(5, h(4), h(5))])).toMatchObject({ status: 'applied' });
      expect(await anchor(old)).toEqual({ seq: 5, hash: h(5), broken: null });
    });

    it('entries missing in between are a gap, a next entry on another hash a fork; the first break is kept, each is logged', async () => {
      const s = await env.srv.login('operator.dinkes', 'desk-dinkes-gap');
      await push(s, [entry(1, GENESIS_HASH, h(1)), entry(2, h(1), h(2))]);
      await push(s, [entry(5, h(4), h(5))]);
      await push(s, [entry(6, h(99), h(6))]);
      expect((await anchor(s)).broken).toMatchObject({ kind: 'gap', seq: 5, heldSeq: 2 });
      const logged = await env.srv.server.db.selectFrom('audit_log').select('details').where('action', '=', 'audit.desk-chain-broken').where('device_id', '=', 'desk-dinkes-gap').orderBy('seq').execute();
      expect(logged.map((r) => JSON.parse(r.details) as { kind: string; deskSeq: number })).toMatchObject([{ kind: 'gap', deskSeq: 5 }, { kind: 'fork', deskSeq: 6 }]);
      // The server's own chain stays whole.
      const superadmin = await env.srv.login('superadmin', 'desk-kabupaten-01');
      expect((await env.srv.call('GET', '/admin/audit/verify', { token: superadmin.accessToken })).json).toMatchObject({ ok: true });
    });

    it('only administrators see the desks’ chains, an admin kantor those of their own office', async () => {
      const operator = await env.srv.login('operator.dinkes', 'desk-dinkes-op');
      expect((await env.srv.call('GET', '/admin/audit/desks', { token: operator.accessToken })).status).toBe(403);
      const other = await env.srv.login('admin.disdik', 'desk-disdik-admin');
      expect((await env.srv.call('GET', '/admin/audit/desks?officeId=office-dinkes', { token: other.accessToken })).status).toBe(403);
      const own = (await env.srv.call('GET', '/admin/audit/desks', { token: other.accessToken })).json as DeskChainsReply;
      expect(own.desks.every((c) => c.officeId === 'office-disdik')).toBe(true);
      const dinkes = (await env.srv.call('GET', '/admin/audit/desks', { token: admin.accessToken })).json as DeskChainsReply;
      expect(dinkes.desks.map((c) => c.deviceId)).toContain('desk-dinkes-gap');
      // Broken chains first.
      const firstOk = dinkes.desks.findIndex((c) => c.broken === null);
      expect(dinkes.desks.slice(firstOk).every((c) => c.broken === null)).toBe(true);
    });
  });
});
