// Tamper evidence for the audit log, as pure functions (no SQL: main/store/audit.ts stores the
// entries, this module judges them). Each entry's hash covers its own fields and the previous
// entry's hash, so an entry edited, deleted or moved behind the app's back breaks the chain at
// that place, and the verifier names the place and the kind of damage.
//
// Two formats of hash, one chain: entries written before the desk had a key are unkeyed SHA-256
// ('loket-audit/1'); from the desk's first keyed entry on (`since`), each hash is an HMAC-SHA256 under
// a per-desk key sealed by the OS keychain ('loket-audit/2'). Without the key nobody can write an
// entry that verifies, so rewriting an entry and recomputing the hashes after it — with the unkeyed
// formula, or any key but the desk's — is seen on the desk itself, and so is an edit of an unkeyed
// entry, whose hash the first keyed entry covers.
//
// What a chain cannot do on its own: notice that its newest entries were cut off (the shorter log is
// still a valid chain). The head anchor beside the log and the newest entry last seen whole, sealed
// with the key, catch a cut on this desk as far as they reach; the server, which checks that each
// desk's pushed entries continue its chain, catches the rest at the next sync.
import { createHash, createHmac } from 'node:crypto';

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
  /** The desk's key: entries from its `since` on must carry its HMAC. */
  key?: ChainKey;
}

/** 'rewound': the entry this desk last saw at that place is gone or replaced (the log was cut back and written on). */
export type ChainFault = 'edited' | 'deleted' | 'reordered' | 'broken-link' | 'rewound';

export interface ChainReport {
  ok: boolean;
  entries: number;
  firstBad?: { seq: number; reason: ChainFault };
  /** Entries whose own hashes could not be checked (chained under a key since lost). */
  uncheckable?: { from: number; to: number };
}

/** JSON with object keys sorted at every depth, so equal details always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

// A JSON array is an unambiguous encoding: no field can bleed into its neighbour.
const encode = (format: string, f: AuditFields) => JSON.stringify([format, f.seq, f.at, f.actor, f.action, f.entity, f.entityId, f.details, f.prevHash]);

/** The unkeyed hash of the entries written before the desk had its key. */
export function hashEntry(fields: AuditFields): string {
  return createHash('sha256').update(encode('loket-audit/1', fields), 'utf8').digest('hex');
}

/** The keyed hash (HMAC-SHA256 under the desk's key) of every entry from the key's `since` on. */
export function hashEntryKeyed(fields: AuditFields, key: Uint8Array): string {
  return createHmac('sha256', key).update(encode('loket-audit/2', fields), 'utf8').digest('hex');
}

/** The desk's key and where the chain began to use it; entries before `since` keep their unkeyed hashes. */
export interface ChainKey {
  key: Uint8Array;
  since: number;
  /**
   * Entries chained under an earlier key that was lost (the keychain emptied, the data moved to
   * another computer): their own hashes cannot be checked any more, only that they link up.
   */
  uncheckable?: { from: number; to: number };
}

/** The hash an entry must carry under `key` (unkeyed before its `since`). */
export function expectedHash(fields: AuditFields, key: ChainKey | undefined): string {
  return key && fields.seq >= key.since ? hashEntryKeyed(fields, key.key) : hashEntry(fields);
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
  const uncheckable = options.key?.uncheckable;
  for (const [i, entry] of entries.entries()) {
    if (entry.prevHash !== prevHash) {
      // Linking to an entry that sits later in the log means the two were moved past each other.
      const linked = positionOfHash.get(entry.prevHash);
      if (linked !== undefined && linked > i) return bad(entry.seq, 'reordered');
      if (entry.seq > prevSeq + 1) return bad(prevSeq + 1, 'deleted');
      return bad(entry.seq, 'broken-link');
    }
    const checkable = !uncheckable || entry.seq < uncheckable.from || entry.seq > uncheckable.to;
    if (checkable && expectedHash(entry, options.key) !== entry.hash) return bad(entry.seq, 'edited');
    prevSeq = entry.seq;
    prevHash = entry.hash;
  }

  const { head } = options;
  if (head) {
    if (head.seq > prevSeq) return bad(prevSeq + 1, 'deleted');
    if (head.seq < prevSeq) return bad(head.seq + 1, 'broken-link');
    if (head.hash !== prevHash) return bad(prevSeq, 'edited');
  }
  return uncheckable ? { ok: true, entries: entries.length, uncheckable } : { ok: true, entries: entries.length };
}
