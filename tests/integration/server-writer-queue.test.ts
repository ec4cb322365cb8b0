// Write transactions queued behind the writer lock (serializeWrites) on PostgreSQL must not hold every
// connection of the server's pool: sign-in checks and feed pulls, which only read, go on while
// writers wait, and the writers still commit one after the other in the order they came.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { serializeWrites } from '../../server/db/dialect.ts';
import { backendNames, Databases } from '../support/server.ts';

const postgres = backendNames().includes('postgres');

describe.runIf(postgres)('writers waiting for the writer lock on PostgreSQL', () => {
  const databases = new Databases('postgres');
  const dir = mkdtempSync(join(tmpdir(), 'loket-writers-'));
  afterAll(() => {
    databases.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leave the pool to reads, and commit in turn once the lock is free', async () => {
    const database = await databases.next(dir);
    if (database.kind !== 'postgres') throw new Error('expected PostgreSQL');
    // A pool of two: before, the lock's holder and one waiting writer took both connections.
    const db = openDatabase({ ...database, poolSize: 2 });
    let holder: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>> | undefined;
    try {
      await migrateToLatest(db);
      await db.insertInto('server_settings').values({ key: 'counter', value: '0' }).execute();
      holder = await db.startTransaction().execute();
      await serializeWrites(holder);
      const committed: number[] = [];
      const writers = [1, 2, 3, 4].map((n) => db.transaction().execute(async (trx) => {
        await serializeWrites(trx);
        await trx.updateTable('server_settings').set({ value: String(n) }).where('key', '=', 'counter').execute();
        committed.push(n);
      }));
      await sleep(200); // the writers are queued by now
      // Reads answer while four writers wait: a starved pool would never answer before the holder commits.
      const read = await Promise.race([
        Promise.all([1, 2, 3].map(() => db.selectFrom('server_settings').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow())),
        sleep(10_000).then(() => 'starved' as const),
      ]);
      expect(read).not.toBe('starved');
      expect(committed).toEqual([]);
      expect((read as { value: string }[]).map((r) => r.value)).toEqual(['0', '0', '0']);
      await holder.commit().execute();
      holder = undefined;
      await Promise.all(writers);
      expect([...committed].sort()).toEqual([1, 2, 3, 4]);
      const last = await db.selectFrom('server_settings').select('value').where('key', '=', 'counter').executeTakeFirstOrThrow();
      expect(last.value).toBe(String(committed.at(-1)));
    } finally {
      await holder?.rollback().execute();
      await db.destroy();
    }
  });
});
