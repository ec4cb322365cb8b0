// Tamper evidence for the audit log, as pure functions (no SQL: main/store/audit.ts stores the
// entries, this module judges them). Each entry's hash covers its own fields and the previous
// entry's hash, so an entry edited, deleted or moved behind the app's back breaks the chain at
// that place, and the verifier names the place and the kind of damage.
//
// What a chain cannot do on its own: notice that its newest entries were cut off (the shorter log
// is still a valid chain), or notice an attacker who rewrites every hash from the damage onward.
// The first is covered by the head anchor (the last seq and hash, kept beside the log and passed to
// verifyChain as `head`); the second needs an anchor outside this database (the server, once audit entries
// sync), because anyone who can write the file can also rewrite the anchor.
import { createHash } from 'node:crypto';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers. details is the canonical JSON text exactly as stored. */
export interface AuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details: string;
  prevHash: string;
}

export interface AuditEntry extends AuditFields {
  hash: string;
}

/** The newest entry as recorded when it was appended; lets the verifier see a truncated tail. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  /** The newest entry as recorded at append time; without it a cut-off tail goes unnoticed. */
  head?: ChainHead;
  /** An entry already verified that `entries` continue from (default: the genesis). */
  after?: ChainHead;
}

export type ChainFault = 'edited' | 'deleted' | 'reordered' | 'broken-link';

export interface ChainReport {
  ok: boolean;
  entries: number;
  firstBad?: { seq: number; reason: ChainFault };
}

/** JSON with object keys sorted at every depth, so equal details always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function hashEntry(fields: AuditFields): string {
  // A JSON array is an unambiguous encoding: no field can bleed into its neighbour.
  const encoded = JSON.stringify(['loket-audit/1', fields.seq, fields.at, fields.actor, fields.action, fields.entity, fields.entityId, fields.details, fields.prevHash]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/**
 * Checks entries in stored (seq) order. Stops at the first fault: everything after a fault is
 * suspect anyway, and the person investigating needs the earliest place to look.
 */
export function verifyChain(entries: readonly AuditEntry[], options: VerifyOptions = {}): ChainReport {
  const bad = (seq: number, reason: ChainFault): ChainReport => ({ ok: false, entries: entries.length, firstBad: { seq, reason } });
  const positionOfHash = new Map<string, number>();
  entries.forEach((entry, i) => positionOfHash.set(entry.hash, i));

  let prevSeq = options.after?.seq ?? 0;
  let prevHash = options.after?.hash ?? GENESIS_HASH;
  for (const [i, entry] of entries.entries()) {
    if (entry.prevHash !== prevHash) {
      // Linking to an entry that sits later in the log means the two were moved past each other.
      const linked = positionOfHash.get(entry.prevHash);
      if (linked !== undefined && linked > i) return bad(entry.seq, 'reordered');
      if (entry.seq > prevSeq + 1) return bad(prevSeq + 1, 'deleted');
      return bad(entry.seq, 'broken-link');
    }
    if (hashEntry(entry) !== entry.hash) return bad(entry.seq, 'edited');
    prevSeq = entry.seq;
    prevHash = entry.hash;
  }

  const { head } = options;
  if (head) {
    if (head.seq > prevSeq) return bad(prevSeq + 1, 'deleted');
    if (head.seq < prevSeq) return bad(head.seq + 1, 'broken-link');
    if (head.hash !== prevHash) return bad(prevSeq, 'edited');
  }
  return { ok: true, entries: entries.length };
}
