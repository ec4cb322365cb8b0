// Each desk's activity log is a hash chain on the desk; the server holds the newest entry it took from
// each desk and checks that every pushed entry continues it (next seq, previous hash). A desk whose log
// was cut back, wiped or rewritten cannot continue the chain the server holds, so the break shows at
// its next sync even when the desk itself was made to look whole. The entries are still taken — they
// are the desk's activity from then on, and refusing them would only lose it — and the first break
// is kept for the admin kantor, with an entry in the server's own log for every break.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Trx } from '../feed/writes.ts';
import type { AuditEntry } from './log.ts';
import type { DeskAuditEntry, DeskChainBreak, DeskChainFault } from '../../common/protocol/audit.ts';
import { serializeWrites } from '../db/dialect.ts';

const genesis = '0'.repeat(64);

export interface HeldEntry { seq: number; hash: string }

type ChainRow = Database['desk_audit_chains'];

/**
 * The newest entry held from this desk: its chain row, else the last of its entries taken before the
 * server checked chains (their seq and hash are in the entry's details), else the genesis.
 */
async function held(db: Kysely<Database>, deviceId: string, officeId: string | null): Promise<{ row?: ChainRow; entry: HeldEntry }> {
  const row = await db.selectFrom('desk_audit_chains').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
  if (row) return { row, entry: { seq: row.last_seq, hash: row.last_hash } };
  let q = db.selectFrom('audit_log').select('details').where('source', '=', 'desk').where('device_id', '=', deviceId).orderBy('seq', 'desc').limit(1);
  if (officeId) q = q.where('office_id', '=', officeId);
  const last = await q.executeTakeFirst();
  if (last) {
    const details = JSON.parse(last.details) as { deskSeq?: unknown; deskHash?: unknown };
    if (typeof details.deskSeq === 'number' && typeof details.deskHash === 'string') return { entry: { seq: details.deskSeq, hash: details.deskHash } };
  }
  return { entry: { seq: 0, hash: genesis } };
}

function faultOf(entry: { seq: number; prevHash: string }, last: HeldEntry): DeskChainFault | undefined {
  if (entry.seq === last.seq + 1 && entry.prevHash === last.hash) return undefined;
  if (entry.seq <= last.seq) return 'rewound';
  return entry.seq > last.seq + 1 ? 'gap' : 'fork';
}

/**
 * Moves the desk's chain on over `entries` (in the order the desk sent them) inside the push's
 * transaction, and returns the server's own audit entries for each break found. Entries of desks that
 * do not send their place in the chain (earlier versions) are taken unchecked.
 */
export async function continueDeskChain(trx: Trx, device: { deviceId: string; officeId: string | null; userId: string }, entries: readonly DeskAuditEntry[], at: string): Promise<AuditEntry[]> {
  const placed = entries.filter((e): e is DeskAuditEntry & { seq: number; prevHash: string; hash: string } => e.seq !== undefined && e.prevHash !== undefined && e.hash !== undefined);
  if (placed.length === 0) return [];
  // One desk's pushes follow each other; the lock keeps two at once from both continuing the same entry.
  await serializeWrites(trx);
  const start = await held(trx, device.deviceId, device.officeId);
  let last = start.entry;
  let firstBreak: DeskChainBreak | null = start.row?.break_kind
    ? { kind: start.row.break_kind, seq: start.row.break_seq!, heldSeq: start.row.break_held_seq!, detectedAt: start.row.break_detected_at! }
    : null;
  const breaks: AuditEntry[] = [];
  for (const entry of placed) {
    const kind = faultOf(entry, last);
    if (kind) {
      firstBreak ??= { kind, seq: entry.seq, heldSeq: last.seq, detectedAt: at };
      breaks.push({
        officeId: device.officeId, userId: device.userId, deviceId: device.deviceId, action: 'audit.desk-chain-broken', target: `device:${device.deviceId}`,
        details: { kind, deskSeq: entry.seq, heldSeq: last.seq, heldHash: last.hash, prevHash: entry.prevHash },
      });
    }
    last = { seq: entry.seq, hash: entry.hash };
  }
  const row: ChainRow = {
    device_id: device.deviceId, office_id: device.officeId, last_seq: last.seq, last_hash: last.hash, last_at: at,
    break_kind: firstBreak?.kind ?? null, break_seq: firstBreak?.seq ?? null, break_held_seq: firstBreak?.heldSeq ?? null, break_detected_at: firstBreak?.detectedAt ?? null,
  };
  if (start.row) {
    const { device_id: _id, ...changes } = row;
    await trx.updateTable('desk_audit_chains').set(changes).where('device_id', '=', device.deviceId).execute();
  } else {
    await trx.insertInto('desk_audit_chains').values(row).execute();
  }
  return breaks;
}

function breakOf(row: ChainRow): DeskChainBreak | null {
  return row.break_kind ? { kind: row.break_kind, seq: row.break_seq!, heldSeq: row.break_held_seq!, detectedAt: row.break_detected_at! } : null;
}

/** What the server holds of one desk's chain: the newest entry, and the first break if any. */
export async function deskAnchor(db: Kysely<Database>, deviceId: string, officeId: string | null): Promise<HeldEntry & { broken: DeskChainBreak | null }> {
  const { row, entry } = await held(db, deviceId, officeId);
  return { ...entry, broken: row ? breakOf(row) : null };
}

/** Every desk chain of an office (all offices when undefined), broken ones first. */
export async function deskChains(db: Kysely<Database>, officeId: string | undefined) {
  let q = db.selectFrom('desk_audit_chains').leftJoin('devices', 'devices.id', 'desk_audit_chains.device_id')
    .selectAll('desk_audit_chains').select('devices.name as device_name');
  if (officeId) q = q.where('desk_audit_chains.office_id', '=', officeId);
  const rows = await q.execute();
  return rows
    .map((r) => ({ deviceId: r.device_id, deviceName: r.device_name, officeId: r.office_id, lastSeq: r.last_seq, lastAt: r.last_at, broken: breakOf(r) }))
    .sort((a, b) => Number(b.broken !== null) - Number(a.broken !== null) || (a.deviceName ?? a.deviceId).localeCompare(b.deviceName ?? b.deviceId));
}
