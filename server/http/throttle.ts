// A per-minute request budget for endpoints open to anyone (the public verification page): counted
// in the database, so every server instance behind a proxy counts the same visitor alike, and cheap
// (one upsert per request). Old minutes are cleared as new ones begin.
import { sql } from 'kysely';
import type { Context } from './context.ts';

export interface Budget {
  allowed: boolean;
  /** Seconds until the next minute, when the budget is spent. */
  retryAfter: number;
}

/** Counts one request of `key` in the current minute; allowed while at most `perMinute` were counted. */
export async function spend(ctx: Context, key: string, perMinute: number): Promise<Budget> {
  const now = ctx.now();
  const minute = Math.floor(now / 60_000);
  const row = await ctx.db.insertInto('request_throttle').values({ key, minute, hits: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      hits: sql`case when request_throttle.minute = ${minute} then request_throttle.hits + 1 else 1 end`,
      minute,
    }))
    .returning('hits').executeTakeFirstOrThrow();
  // The first request of a key in a new minute clears the minutes gone by (an index range, usually tiny).
  if (row.hits === 1) await ctx.db.deleteFrom('request_throttle').where('minute', '<', minute).execute();
  return { allowed: row.hits <= perMinute, retryAfter: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) };
}
