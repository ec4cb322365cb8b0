// The audit log's storage: append an entry (hash-chained onto the head), list, count, verify.
// The chain rules themselves are in main/audit/chain.ts; this module only reads and writes rows.
import { canonicalJson, hashEntry, verifyChain, type AuditEntry, type AuditFields, type ChainHead, type ChainReport } from '../audit/chain.ts';
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
  /** Walks the whole chain against the head anchor. */
  verify(): ChainReport;
}

const entryColumns = 'seq, at, actor, action, entity, entity_id AS entityId, details, prev_hash AS prevHash, hash';

export function auditRepository(ctx: StoreContext): AuditRepository {
  const { db } = ctx;
  const selectHead = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @entity, @entityId, @details, @prevHash, @hash)',
  );
  const updateHead = db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1');
  const selectPage = db.prepare(`SELECT ${entryColumns} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
  const selectAfter = db.prepare(`SELECT ${entryColumns} FROM audit_log WHERE seq > ? ORDER BY seq`);
  const selectCount = db.prepare('SELECT count(*) FROM audit_log').pluck();

  // Verifying hashes every entry, and the Beranda asks on every refresh. A verified answer stays
  // true until another connection commits (SQLite's data_version changes — e.g. someone editing the
  // file with the sqlite3 tool), which forces a full walk. This connection can only append (the
  // triggers refuse updates and deletes), so after its own appends only the new tail is walked.
  let appends = 0;
  let verified: { appends: number; dataVersion: number; report: ChainReport; head: ChainHead } | undefined;

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
    const stored: AuditEntry = { ...fields, hash: hashEntry(fields) };
    insert.run(stored);
    updateHead.run(stored.seq, stored.hash);
    appends++;
    return stored;
  });

  return {
    append: (entry) => append.immediate(entry),
    list: (options = {}) => selectPage.all(options.afterSeq ?? 0, options.limit ?? 200) as AuditEntry[],
    count: () => selectCount.get() as number,
    verify() {
      const dataVersion = db.pragma('data_version', { simple: true }) as number;
      if (verified?.dataVersion === dataVersion && verified.appends === appends) return verified.report;
      // A missing head row is itself damage: verify against an impossible anchor so it shows.
      const head = (selectHead.get() as ChainHead | undefined) ?? { seq: 0, hash: '' };
      const intactBefore = verified?.dataVersion === dataVersion && verified.report.ok ? verified : undefined;
      let report: ChainReport;
      if (intactBefore) {
        const tail = verifyChain(selectAfter.all(intactBefore.head.seq) as AuditEntry[], { after: intactBefore.head, head });
        report = { ...tail, entries: intactBefore.report.entries + tail.entries };
      } else {
        report = verifyChain(selectAfter.all(0) as AuditEntry[], { head });
      }
      if (!report.ok) ctx.log.warn('store: audit chain is damaged', { entries: report.entries, firstBad: report.firstBad });
      // Inside a transaction the answer may include entries that are about to be rolled back.
      if (!db.inTransaction) verified = { appends, dataVersion, report, head };
      return report;
    },
  };
}
