// Who holds which position: the one place the server answers "which position(s) does this user hold
// now" (disposition, drafting, paraf and delegation ask it) and the one way a holding changes. A
// holding is never edited or deleted: a transfer ends it (ends_at) and starts another, so history stays.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HoldingCapacity } from '../../common/protocol/org.ts';

type Db = Kysely<Database>;

/** A position a user holds at `at`, and in what capacity. */
export interface HeldPosition {
  positionId: string;
  officeId: string;
  capacity: HoldingCapacity;
}

/** The positions `userId` holds at `at` (an ISO time): started at or before it and not ended by then. */
export async function heldPositions(db: Db, userId: string, at: string): Promise<HeldPosition[]> {
  const rows = await db.selectFrom('position_holdings').innerJoin('positions', 'positions.id', 'position_holdings.position_id')
    .select(['position_holdings.position_id', 'positions.office_id', 'position_holdings.capacity'])
    .where('position_holdings.user_id', '=', userId).where('position_holdings.starts_at', '<=', at)
    .where((eb) => eb.or([eb('position_holdings.ends_at', 'is', null), eb('position_holdings.ends_at', '>', at)]))
    .orderBy('position_holdings.starts_at').execute();
  return rows.map((r) => ({ positionId: r.position_id, officeId: r.office_id ?? '', capacity: r.capacity }));
}

/** Whether `userId` holds `positionId` at `at`. */
export async function holds(db: Db, userId: string, positionId: string, at: string): Promise<boolean> {
  return (await heldPositions(db, userId, at)).some((h) => h.positionId === positionId);
}

/** The users holding `positionId` at `at`. */
export async function holdersOf(db: Db, positionId: string, at: string): Promise<string[]> {
  const rows = await db.selectFrom('position_holdings').select('user_id')
    .where('position_id', '=', positionId).where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)])).execute();
  return rows.map((r) => r.user_id);
}

/**
 * Makes `userId` the definitive holder of `positionId` from `at` (null: the position becomes vacant).
 * The position's current definitive holding ends, and so does the user's definitive holding of any
 * other position (a person holds one definitive position; a transfer moves them).
 */
export async function assignHolder(db: Db, positionId: string, userId: string | null, at: string): Promise<void> {
  await db.updateTable('position_holdings').set({ ends_at: at }).where('position_id', '=', positionId).where('capacity', '=', 'definitive').where('ends_at', 'is', null).execute();
  if (userId === null) return;
  await db.updateTable('position_holdings').set({ ends_at: at }).where('user_id', '=', userId).where('capacity', '=', 'definitive').where('ends_at', 'is', null).execute();
  await db.insertInto('position_holdings').values({ id: randomUUID(), position_id: positionId, user_id: userId, capacity: 'definitive', starts_at: at, ends_at: null }).execute();
}

/** The definitive position each user of the office holds now, by user id. */
export async function currentPositions(db: Db, userIds: readonly string[], at: string): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('position_holdings').select(['user_id', 'position_id'])
    .where('user_id', 'in', [...userIds]).where('capacity', '=', 'definitive').where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)])).execute();
  return new Map(rows.map((r) => [r.user_id, r.position_id]));
}
