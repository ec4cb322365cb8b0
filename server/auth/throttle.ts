// How many sign-in attempts an account and an address get. Each attempt is counted before its
// password is checked, in one atomic upsert, so a burst of parallel guesses gets no more checks than
// the limit allows. Three counters (login_throttle):
//   (account, address): back-off after throttleAfter failures, locked after lockAfter — a stranger's
//                       guesses lock the account for the stranger's address, not for its owner;
//   (account, '')     : every address together; over accountCeiling the account is locked everywhere;
//   ('', address)     : every name from one address; over sourceLimit the address waits, before any
//                       password is hashed (a spray of unknown names costs no scrypt and no rows).
// An attempt refused by the back-off, and one whose password was right, is taken off the counts again.
// The admin kantor can lift a lock (unlockAccount).
import { sql } from 'kysely';
import { ApiError } from '../http/errors.ts';
import { isoNow, type Context } from '../http/context.ts';

const everyAddress = '';
const everyName = '';

interface Counter { username: string; source: string }
interface Counted { failures: number; last_failure_at: string; locked_until: string | null }

/** Counts one more attempt; a counter whose lock has run out, or idle for lockMinutes when unlocked, starts again at 1. */
async function bump(ctx: Context, key: Counter, now: string): Promise<Counted> {
  const idleSince = new Date(ctx.now() - ctx.config.auth.lockMinutes * 60_000).toISOString();
  // The (account, address) counter keeps the time of its last real failure for the back-off; the others only count.
  const keepsFailureTime = key.username !== everyName && key.source !== everyAddress;
  const fresh = sql<boolean>`(login_throttle.locked_until is not null and login_throttle.locked_until <= ${now})
    or (login_throttle.locked_until is null and ${keepsFailureTime ? sql`false` : sql`login_throttle.last_failure_at <= ${idleSince}`})`;
  return ctx.db.insertInto('login_throttle').values({ ...key, failures: 1, last_failure_at: now, locked_until: null })
    .onConflict((oc) => oc.columns(['username', 'source']).doUpdateSet({
      failures: sql<number>`case when ${fresh} then 1 else login_throttle.failures + 1 end`,
      locked_until: sql<string | null>`case when ${fresh} then null else login_throttle.locked_until end`,
      last_failure_at: keepsFailureTime ? sql<string>`login_throttle.last_failure_at` : now,
    }))
    .returning(['failures', 'last_failure_at', 'locked_until']).executeTakeFirstOrThrow();
}

async function takeBack(ctx: Context, keys: Counter[]): Promise<void> {
  for (const key of keys) {
    await ctx.db.updateTable('login_throttle').set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
      .where('username', '=', key.username).where('source', '=', key.source).execute();
  }
}

async function lock(ctx: Context, key: Counter): Promise<never> {
  const minutes = ctx.config.auth.lockMinutes;
  await ctx.db.updateTable('login_throttle').set({ locked_until: new Date(ctx.now() + minutes * 60_000).toISOString() })
    .where('username', '=', key.username).where('source', '=', key.source).execute();
  throw new ApiError(423, 'ACCOUNT_LOCKED', undefined, { retryAfterSeconds: minutes * 60 });
}

function stillLocked(ctx: Context, row: Counted): void {
  const until = row.locked_until === null ? 0 : Date.parse(row.locked_until);
  if (until > ctx.now()) throw new ApiError(423, 'ACCOUNT_LOCKED', undefined, { retryAfterSeconds: Math.ceil((until - ctx.now()) / 1000) });
}

export interface Attempt {
  /** The password was right: the attempt comes off the counts and the (account, address) counter is cleared. */
  succeeded(): Promise<void>;
  /** The password was wrong: answers 423 once this was the lockAfter-th failure in a row from the address. */
  failed(): Promise<{ failures: number; locked: boolean }>;
}

/**
 * Counts a sign-in attempt and refuses it, before its password is checked, when the address or the
 * account has had too many. `known`: the name is an account (an unknown name is counted only against the address).
 */
export async function admitAttempt(ctx: Context, username: string, source: string, known: boolean): Promise<Attempt> {
  const now = isoNow(ctx);
  const { sourceLimit, accountCeiling, lockAfter, throttleAfter, throttleBaseMs, lockMinutes } = ctx.config.auth;
  const fromAddress: Counter = { username: everyName, source };
  const address = await bump(ctx, fromAddress, now);
  if (address.failures > sourceLimit) throw new ApiError(429, 'LOGIN_THROTTLED', undefined, { retryAfterSeconds: lockMinutes * 60 });
  if (!known) {
    return { succeeded: () => Promise.resolve(), failed: () => Promise.resolve({ failures: address.failures, locked: false }) };
  }
  // The address's own counter first: guesses refused there never reach the account's ceiling.
  const pair: Counter = { username, source };
  const here = await bump(ctx, pair, now);
  stillLocked(ctx, here);
  if (here.failures > lockAfter) await lock(ctx, pair);
  // The back-off counts the failures before this attempt (attempts in flight count as failures).
  const before = here.failures - 1;
  if (before >= throttleAfter) {
    const waitUntil = Date.parse(here.last_failure_at) + throttleBaseMs * 2 ** (before - throttleAfter);
    if (waitUntil > ctx.now()) {
      await takeBack(ctx, [fromAddress, pair]);
      throw new ApiError(429, 'LOGIN_THROTTLED', undefined, { retryAfterSeconds: Math.ceil((waitUntil - ctx.now()) / 1000) });
    }
  }
  const account: Counter = { username, source: everyAddress };
  const everywhere = await bump(ctx, account, now);
  try {
    stillLocked(ctx, everywhere);
    if (everywhere.failures > accountCeiling) await lock(ctx, account);
  } catch (err) {
    // Locked everywhere: this address's own count is not what refused it.
    await takeBack(ctx, [pair]);
    throw err;
  }
  return {
    async succeeded() {
      await takeBack(ctx, [fromAddress, account]);
      await ctx.db.deleteFrom('login_throttle').where('username', '=', username).where('source', '=', source).execute();
    },
    async failed() {
      await ctx.db.updateTable('login_throttle').set({ last_failure_at: isoNow(ctx) }).where('username', '=', username).where('source', '=', source).execute();
      if (here.failures < lockAfter) return { failures: here.failures, locked: false };
      await lock(ctx, pair).catch(() => undefined);
      return { failures: here.failures, locked: true };
    },
  };
}

/** Lifts every lock and count of the account (the admin kantor, for a clerk locked out by someone else's guesses). */
export async function unlockAccount(ctx: Context, username: string): Promise<number> {
  const removed = await ctx.db.deleteFrom('login_throttle').where('username', '=', username).executeTakeFirst();
  return Number(removed.numDeletedRows);
}
