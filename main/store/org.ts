// The office's structure kept on the desk (positions, holdings, extra disposition routes, the list of
// disposition instructions) as last
// fetched from the server, and the desk's answer to "which position(s) does this user hold now".
import type { OrgHolding, OrgPosition, OrgRoute, PositionLevel } from '../../common/protocol/org.ts';
import { dispositionInstructions } from '../../common/protocol/disposition.ts';
import type { RepositoryContext } from './store.ts';

/** The office's structure as one snapshot. */
export interface OrgSnapshot {
  positions: OrgPosition[];
  holdings: OrgHolding[];
  routes: OrgRoute[];
  /** The office's disposition instructions, in its order (absent from an older server). */
  instructions?: string[] | undefined;
}

/** A position with the person holding it now (null: vacant). */
export interface StaffedPosition extends OrgPosition {
  holderId: string | null;
  holderName: string | null;
}

export interface OrgRepository {
  /** Replaces the kept structure with the office's part of a fresh GET /org. */
  replace(officeId: string, snapshot: OrgSnapshot): void;
  /** The office's positions in the structure's order, each with its holder at `at`. */
  positions(at: string): StaffedPosition[];
  /** The positions `userId` holds at `at` (ISO time): the one place the desk answers it. */
  heldPositions(userId: string, at: string): StaffedPosition[];
  /** Extra routes the office allows besides down the reporting line. */
  routes(): OrgRoute[];
  /** The office's list of disposition instructions as last fetched; the shipped list when none was. */
  instructions(): string[];
  /** Whether a structure was ever kept on this desk. */
  known(): boolean;
}

interface PositionRow { id: string; officeId: string; unitId: string; parentId: string | null; title: string; level: PositionLevel; order: number }

export function orgRepository(ctx: RepositoryContext): OrgRepository {
  const { db } = ctx;
  const selectPositions = db.prepare(`SELECT id, office_id AS officeId, unit_id AS unitId, parent_id AS parentId, title, level, sort_order AS "order"
    FROM org_positions ORDER BY sort_order, title`);
  const selectHolders = db.prepare(`SELECT position_id AS positionId, user_id AS userId, full_name AS fullName FROM org_holdings
    WHERE starts_at <= ? AND (ends_at IS NULL OR ends_at > ?) ORDER BY capacity, starts_at`);
  const selectHeld = db.prepare(`SELECT position_id FROM org_holdings WHERE user_id = ? AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)`).pluck();
  const selectRoutes = db.prepare('SELECT from_position_id AS fromPositionId, to_position_id AS toPositionId FROM org_routes');
  const countPositions = db.prepare('SELECT count(*) FROM org_positions').pluck();
  const insertPosition = db.prepare('INSERT INTO org_positions (id, office_id, unit_id, parent_id, title, level, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertHolding = db.prepare('INSERT INTO org_holdings (id, position_id, user_id, full_name, capacity, starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertRoute = db.prepare('INSERT OR IGNORE INTO org_routes (from_position_id, to_position_id) VALUES (?, ?)');
  // One list per office, kept beside the sync cursor rather than in a table of its own.
  const setInstructions = db.prepare("INSERT INTO sync_meta (key, value) VALUES ('orgInstructions', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const selectInstructions = db.prepare("SELECT value FROM sync_meta WHERE key = 'orgInstructions'").pluck();

  const replace = db.transaction((officeId: string, s: OrgSnapshot) => {
    db.exec('DELETE FROM org_positions; DELETE FROM org_holdings; DELETE FROM org_routes;');
    for (const p of s.positions) if (p.officeId === officeId) insertPosition.run(p.id, p.officeId, p.unitId, p.parentId, p.title, p.level, p.order);
    for (const h of s.holdings) insertHolding.run(h.id, h.positionId, h.userId, h.fullName, h.capacity, h.startsAt, h.endsAt);
    for (const r of s.routes) insertRoute.run(r.fromPositionId, r.toPositionId);
    if (s.instructions) setInstructions.run(JSON.stringify(s.instructions));
  });

  function positions(at: string): StaffedPosition[] {
    const holders = new Map<string, { userId: string; fullName: string }>();
    for (const h of selectHolders.all(at, at) as { positionId: string; userId: string; fullName: string }[]) if (!holders.has(h.positionId)) holders.set(h.positionId, h);
    return (selectPositions.all() as PositionRow[]).map((p) => {
      const holder = holders.get(p.id);
      return { ...p, isHead: p.level === 'kepala', holderId: holder?.userId ?? null, holderName: holder?.fullName ?? null };
    });
  }

  return {
    replace: (officeId, snapshot) => replace.immediate(officeId, snapshot),
    positions,
    heldPositions(userId, at) {
      const held = new Set(selectHeld.all(userId, at, at) as string[]);
      return positions(at).filter((p) => held.has(p.id));
    },
    routes: () => selectRoutes.all() as OrgRoute[],
    instructions() {
      const kept = selectInstructions.get() as string | undefined;
      const list: unknown = kept === undefined ? undefined : JSON.parse(kept);
      return Array.isArray(list) && list.length > 0 && list.every((i) => typeof i === 'string') ? list as string[] : [...dispositionInstructions];
    },
    known: () => (countPositions.get() as number) > 0,
  };
}
