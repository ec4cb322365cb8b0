// Who may sign a letter addressed to an official: the one answer every signing check asks (the paraf
// chain's draft.sign today). Today only the official themself, while their account is active and
// holds the signer role; delegation (Plh/Plt) extends this function, not its callers.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Whether `userId` may sign, at `at` (ISO time), a letter whose signer is the official `officialId`. */
export async function maySignFor(db: Kysely<Database>, userId: string, officialId: string, _at: string): Promise<boolean> {
  if (userId !== officialId) return false;
  const user = await db.selectFrom('users').select(['role', 'active']).where('id', '=', userId).executeTakeFirst();
  return user !== undefined && user.active === 1 && user.role === 'signer';
}
