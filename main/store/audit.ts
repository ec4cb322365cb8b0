// The audit log's storage: append an entry (hash-chained onto the head), list, count, verify.
// The chain rules themselves are in main/audit/chain.ts; this module only reads and writes rows, and
// keeps the desk's audit key (main/audit/key.ts) in step: made at the first open with a key store
// (the entries before it keep their unkeyed hashes), replaced when it was lost (the entries it
// covered can then only be checked for their links, and the log says so), and told the log's length
// each time the chain verifies whole.
import { canonicalJson, expectedHash, verifyChain, type AuditEntry, type AuditFields, type ChainHead, type ChainReport } from '../audit/chain.ts';
import { newAuditKey, type AuditKeyStore, type SealedAuditKey } from '../audit/key.ts';
import type { StoreContext } from './store.ts';

export interface NewAuditEntry {
  /** Who did it: a user id, or `meja:<desk name>` / `system:<part>` for the desk itself. */
  actor: string;
  /** What happened, as `entity.verb-in-past-tense`, e.g. `letter.registered`. */
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRepository {
  /** Appends one entry; joins the caller's transaction when there is one. */
  append(entry: NewAuditEntry): AuditEntry;
  /** Entries in seq order, after `afterSeq`, at most `limit`. */
  list(options?: { afterSeq?: number; limit?: number }): AuditEntry[];
  count(): number;
  /** The entry at `seq`, if the log holds one. */
  at(seq: number): AuditEntry | undefined;
  /** The newest entry as recorded at append time. */
  head(): ChainHead;
  /** Walks the whole chain against the head anchor (and, with a key, the length last seen whole). */
  verify(): ChainReport;
}

const entryColumns = 'seq, at, actor, action, entity, entity_id AS entityId, details, prev_hash AS prevHash, hash';

/** Written by the desk itself, not by a person. */
const systemActor = 'system:audit';

export function auditRepository(ctx: StoreContext, keys?: AuditKeyStore): AuditRepository {
  const { db } = ctx;
  const selectHead = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @entity, @entityId, @details, @prevHash, @hash)',
  );
  const updateHead = db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1');
  const selectPage = db.prepare(`SELECT ${entryColumns} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
  const selectAfter = db.prepare(`SELECT ${entryColumns} FROM audit_log WHERE seq > ? ORDER BY seq`);
  const selectCount = db.prepare('SELECT count(*) FROM audit_log').pluck();
  const selectAt = db.prepare(`SELECT ${entryColumns} FROM audit_log WHERE seq = ?`);
  const selectFirstKeyed = db.prepare("SELECT min(seq) FROM audit_log WHERE action = 'audit.key-created'").pluck();

  // Verifying hashes every entry, and the Beranda asks on every refresh. A verified answer stays
  // true until another connection commits (SQLite's data_version changes — e.g. someone editing the
  // file with the sqlite3 tool), which forces a full walk. This connection can only append (the
  // triggers refuse updates and deletes), so after its own appends only the new tail is walked.
  let appends = 0;
  let verified: { appends: number; dataVersion: number; report: ChainReport; head: ChainHead } | undefined;
  let key: SealedAuditKey | undefined;

  // The head row, not the last row, is what the next entry chains onto: if the newest entries were
  // deleted, the next append leaves the gap visible instead of quietly healing the chain.
  const append = db.transaction((entry: NewAuditEntry): AuditEntry => {
    const head = selectHead.get() as ChainHead | undefined;
    if (!head) throw new Error('store: audit_head row is missing; the audit log cannot be extended');
    const fields: AuditFields = {
      seq: head.seq + 1,
      at: ctx.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      details: canonicalJson(entry.details ?? {}),
      prevHash: head.hash,
    };
    const stored: AuditEntry = { ...fields, hash: expectedHash(fields, key) };
    insert.run(stored);
    updateHead.run(stored.seq, stored.hash);
    appends++;
    return stored;
  });

  /**
   * The desk's key: the one kept, else a new one from the next entry on — recorded in the log as the
   * key made, or, when the log shows a key was made before, as the key lost (the entries that key
   * covered can then only be checked for their links). Saved before the entry is written, so no
   * entry is ever keyed under a key that was not kept.
   */
  function openKey(store: AuditKeyStore): SealedAuditKey | undefined {
    const kept = store.load();
    if (kept) return kept;
    const head = selectHead.get() as ChainHead;
    const firstKeyed = selectFirstKeyed.get() as number | null;
    const made = newAuditKey(head.seq + 1, head, firstKeyed === null ? undefined : { from: firstKeyed, to: head.seq });
    try {
      store.save(made);
    } catch (error) {
      // The desk still works and still chains, as an unkeyed chain that only the server anchors.
      ctx.log.error('store: the audit key cannot be kept; the activity log stays unkeyed', { error: String(error) });
      return undefined;
    }
    key = made;
    const details = firstKeyed === null ? { since: made.since } : { since: made.since, uncheckableFrom: firstKeyed, uncheckableTo: head.seq };
    append.immediate({ actor: systemActor, action: firstKeyed === null ? 'audit.key-created' : 'audit.key-lost', entity: 'audit', details });
    if (firstKeyed !== null) ctx.log.warn('store: the audit key was lost; a new one chains on', { uncheckableFrom: firstKeyed, uncheckableTo: head.seq });
    return made;
  }
  if (keys) key = openKey(keys);

  /**
   * The entry this desk last saw in a whole chain must still be there, unchanged: a log cut back (and
   * perhaps written on since, which would make it a whole chain again) is caught here on the desk.
   */
  function checkSeen(head: ChainHead, report: ChainReport): ChainReport {
    if (!key || !report.ok || key.seen.seq === 0) return report;
    if (head.seq < key.seen.seq) return { ok: false, entries: report.entries, firstBad: { seq: head.seq + 1, reason: 'deleted' } };
    const seen = selectAt.get(key.seen.seq) as AuditEntry | undefined;
    if (seen?.hash !== key.seen.hash) {
      return { ok: false, entries: report.entries, firstBad: { seq: key.seen.seq, reason: 'rewound' } };
    }
    return report;
  }

  return {
    append: (entry) => append.immediate(entry),
    list: (options = {}) => selectPage.all(options.afterSeq ?? 0, options.limit ?? 200) as AuditEntry[],
    count: () => selectCount.get() as number,
    at: (seq) => selectAt.get(seq) as AuditEntry | undefined,
    head: () => (selectHead.get() as ChainHead | undefined) ?? { seq: 0, hash: '' },
    verify() {
      const dataVersion = db.pragma('data_version', { simple: true }) as number;
      if (verified?.dataVersion === dataVersion && verified.appends === appends) return verified.report;
      // A missing head row is itself damage: verify against an impossible anchor so it shows.
      const head = (selectHead.get() as ChainHead | undefined) ?? { seq: 0, hash: '' };
      const intactBefore = verified?.dataVersion === dataVersion && verified.report.ok ? verified : undefined;
      const options = key ? { head, key } : { head };
      let report: ChainReport;
      if (intactBefore) {
        const tail = verifyChain(selectAfter.all(intactBefore.head.seq) as AuditEntry[], { ...options, after: intactBefore.head });
        report = { ...tail, entries: intactBefore.report.entries + tail.entries };
      } else {
        report = verifyChain(selectAfter.all(0) as AuditEntry[], options);
      }
      report = checkSeen(head, report);
      if (!report.ok) ctx.log.warn('store: audit chain is damaged', { entries: report.entries, firstBad: report.firstBad });
      // Inside a transaction the answer may include entries that are about to be rolled back.
      if (!db.inTransaction) {
        verified = { appends, dataVersion, report, head };
        if (key && keys && report.ok && head.seq > key.seen.seq) {
          key = { ...key, seen: head };
          try {
            keys.save(key);
          } catch (error) {
            ctx.log.warn('store: the audit key could not record the verified length', { error: String(error) });
          }
        }
      }
      return report;
    },
  };
}
