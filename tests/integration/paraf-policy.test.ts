// The office's paraf policy set from Pengaturan (SQLite and PostgreSQL servers): the admin kantor
// chooses that a chain restarts from the verifier who returned it; the choice waits on the desk until
// the sync, then the server keeps it for the office and every desk of the office shows it — a verifier's
// desk and the admin's other desk alike, offline too; another office keeps the default; anyone else is
// refused with the reason and nothing is queued. An office that chose before the feed carried the policy
// gets it to its desks with the server's upgrade.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger, createLogger } from '../../common/logger.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { parafHandlers } from '../../main/letters/paraf/paraf.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { up as feedChosenPolicies } from '../../server/db/migrations/0019_paraf_policy_feed.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const ctx = { origin: 'test' as const };

describe.each(backendNames())('the paraf policy in Pengaturan, on %s', (backend) => {
  const databases = new Databases(backend);
  let tls: TestTls;
  let srv: TestServer;
  let spool: string;
  const desks: TestDesk[] = [];

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    spool = mkdtempSync(join(tmpdir(), 'loket-paraf-policy-'));
  });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
    for (const dir of [tls.dir, spool]) rmSync(dir, { recursive: true, force: true });
  });

  async function desk(username: string) {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    await d.sync.auth.login(username, demoPassword);
    const user = () => d.sync.session.user();
    const paraf = parafHandlers({
      store: d.store, hasServer: () => true, blobs: d.blobs, renderer: draftRenderer(d.blobs), transfers: createTransfers(join(spool, username), createLogger({ level: 'error' })),
      user, actor: () => user()?.id ?? 'desk', changed: () => undefined, log: collectingLogger(),
    });
    return { d, paraf };
  }

  it('the admin kantor\'s choice waits on the desk, then the server keeps it and every desk of the office shows it', async () => {
    const admin = await desk('admin.dinkes');
    const verifier = await desk('verifikator.dinkes');
    const otherAdminDesk = await desk('admin.dinkes');
    const sync = async (d: { d: { sync: { engine: { syncNow(): Promise<{ lastError: unknown }> } } } }) => expect((await d.d.sync.engine.syncNow()).lastError).toBeNull();
    for (const d of [admin, verifier, otherAdminDesk]) await sync(d);
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'default', canManage: true, server: true });
    expect(await verifier.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'default' });

    expect(await admin.paraf['paraf.setPolicy']({ restart: 'from_returner' }, ctx)).toMatchObject({ restart: 'from_returner', state: 'waiting', refused: null });
    // Not on the server yet: the other desks still show the office's default.
    await sync(verifier);
    expect(await verifier.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'default' });

    await sync(admin);
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_returner', state: 'office', updatedAt: expect.any(String) });
    const kept = await srv.server.db.selectFrom('paraf_policies').selectAll().where('office_id', '=', 'office-dinkes').executeTakeFirst();
    expect(kept).toMatchObject({ restart: 'from_returner', set_by: 'user-admin-dinkes' });

    // The verifier's desk and the admin's other desk get it with their next sync, and keep it offline.
    for (const d of [verifier, otherAdminDesk]) {
      await sync(d);
      d.d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
      expect(await d.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_returner', state: 'office', refused: null });
      d.d.store.settings.update({ serverUrl: srv.url }, 'test');
    }
    expect(await verifier.paraf['paraf.policy']({}, ctx)).toMatchObject({ canManage: false });

    // The admin's other desk changes it back; the first desk follows.
    await otherAdminDesk.paraf['paraf.setPolicy']({ restart: 'from_start' }, ctx);
    await sync(otherAdminDesk);
    await sync(admin);
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'office' });

    // Another office keeps its own (the default).
    const disdik = await desk('admin.disdik');
    await sync(disdik);
    expect(await disdik.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'default' });
  });

  it('a verifier may read it but not change it', async () => {
    const verifier = await desk('verifikator.dinkes');
    expect(await verifier.paraf['paraf.policy']({}, ctx)).toMatchObject({ canManage: false });
    await expect(Promise.resolve().then(() => verifier.paraf['paraf.setPolicy']({ restart: 'from_start' }, ctx))).rejects.toMatchObject({ code: 'PARAF_POLICY_ADMIN_ONLY' });
    expect(verifier.d.store.sync.queue().filter((e) => e.entity === 'paraf_policy')).toEqual([]);
  });

  it('an office that chose before the feed carried the policy: its desks show it after the server\'s upgrade', async () => {
    const admin = await desk('admin.disdik');
    expect((await admin.d.sync.engine.syncNow()).lastError).toBeNull();
    // As a server of the earlier version kept it: the row, and nothing in the feed.
    await srv.server.db.insertInto('paraf_policies').values({ office_id: 'office-disdik', restart: 'from_returner', set_by: 'user-admin-disdik', set_at: '2026-03-02T01:00:00.000Z' }).execute();
    expect((await admin.d.sync.engine.syncNow()).lastError).toBeNull();
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', state: 'default' });

    await feedChosenPolicies(srv.server.db);
    expect((await admin.d.sync.engine.syncNow()).lastError).toBeNull();
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_returner', state: 'office', updatedAt: '2026-03-02T01:00:00.000Z' });
  });
});
