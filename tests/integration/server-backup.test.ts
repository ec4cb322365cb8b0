// The agency's nightly backup: taken while desks keep syncing, then the server is wiped and restored,
// and every letter, scan, account and feed entry is back exactly as it was.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { backup, restore } from '../../server/backup.ts';
import type { Db } from '../../server/db/database.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

async function snapshot(db: Db) {
  return {
    letters: await db.selectFrom('letters').selectAll().orderBy('id').execute(),
    users: await db.selectFrom('users').select(['id', 'password_hash', 'active']).orderBy('id').execute(),
    changes: await db.selectFrom('changes').selectAll().orderBy('seq').execute(),
    leases: await db.selectFrom('number_leases').selectAll().orderBy('id').execute(),
  };
}

async function recreatePostgresDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  afterAll(() => databases.stop());

  it('backup while the desks push, wipe, restore: the same letters, scans, accounts and feed', async () => {
    const original = await startTestServer({ databases, tls });
    const clerk = await original.login('operator.dinkes', 'desk-backup-01');
    const scan = randomBytes(50_000);
    const sha = createHash('sha256').update(scan).digest('hex');
    await original.call('POST', '/blobs', { token: clerk.accessToken, json: { sha256: sha, size: scan.length } });
    await original.call('PATCH', `/blobs/${sha}/upload`, { token: clerk.accessToken, body: scan, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } });
    const block = (await original.call('POST', '/numbering/lease', { token: clerk.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    const register = (n: number, attachments: string[] = []) => ({ id: uuidv7(), kind: 'letter.register', payload: {
      letterId: uuidv7(), direction: 'in', year: 2026, agendaNumber: n, receivedAt: null, letterNumber: `090/${n}/2026`, letterDate: '2026-03-01',
      sender: 'BPKAD', addressee: 'Kepala Dinas', subject: `Surat ${n}`, summary: 'Ringkasan', urgency: 'biasa', security: 'terbatas', classification: '090', attachments } });
    await original.call('POST', '/sync/push', { token: clerk.accessToken, json: { mutations: [register(block.first, [sha]), register(block.first + 1)] } });

    const out = join(mkdtempSync(join(tmpdir(), 'loket-backup-')), 'nightly');
    // Another desk keeps pushing while the backup runs; the backup is consistent either way.
    const [manifest] = await Promise.all([
      backup(original.config, out),
      original.call('POST', '/sync/push', { token: clerk.accessToken, json: { mutations: [register(block.first + 2)] } }),
    ]);
    expect(manifest).toMatchObject({ database: backend, blobs: 1 });
    const before = await snapshot(original.server.db);
    await original.close(); // removes the SQLite file and the blob directory with it
    if (backend === 'postgres' && original.config.database.kind === 'postgres') await recreatePostgresDatabase(original.config.database.connectionString);

    restore(original.config, out);
    const restored = await startTestServer({ databases, tls, seed: false, config: { database: original.config.database, blobDir: original.config.blobDir } });
    try {
      const after = await snapshot(restored.server.db);
      // The push racing the backup may or may not be in it; everything that was, is back unchanged.
      expect(after.letters).toEqual(before.letters.slice(0, after.letters.length));
      expect(after.letters.length).toBeGreaterThanOrEqual(2);
      expect(after.users).toEqual(before.users);
      expect(after.leases).toEqual(before.leases);
      expect(after.changes).toEqual(before.changes.slice(0, after.changes.length));
      const again = await restored.login('operator.dinkes', 'desk-backup-01');
      const download = await restored.call('GET', `/blobs/${sha}`, { token: again.accessToken });
      expect(download.body.equals(scan)).toBe(true);
      if (backend === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(restored.server.db);
        expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
      }
      const next = (await restored.call('POST', '/numbering/lease', { token: again.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
      expect(next.first).toBeGreaterThan(block.first + 9); // the counter came back too: no number is handed out twice
    } finally {
      await restored.close();
      rmSync(dirname(out), { recursive: true, force: true });
      rmSync(dirname(original.config.blobDir), { recursive: true, force: true });
    }
  });
});
