// The office's paraf policy set from Pengaturan (SQLite server): the admin kantor chooses that a chain
// restarts from the verifier who returned it; the choice waits on the desk until the sync, then the
// server keeps it for the office; anyone else is refused with the reason and nothing is queued.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger, createLogger } from '../../common/logger.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { parafHandlers } from '../../main/letters/paraf/paraf.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const ctx = { origin: 'test' as const };

describe('the paraf policy in Pengaturan', () => {
  const databases = new Databases('sqlite');
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

  it('the admin kantor\'s choice waits on the desk, then the server keeps it for the office', async () => {
    const admin = await desk('admin.dinkes');
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_start', chosenHere: false, canManage: true, server: true });
    expect(await admin.paraf['paraf.setPolicy']({ restart: 'from_returner' }, ctx)).toMatchObject({ restart: 'from_returner', chosenHere: true, sent: false, refused: null });
    expect((await admin.d.sync.engine.syncNow()).lastError).toBeNull();
    expect(await admin.paraf['paraf.policy']({}, ctx)).toMatchObject({ restart: 'from_returner', sent: true });
    const kept = await srv.server.db.selectFrom('paraf_policies').selectAll().where('office_id', '=', 'office-dinkes').executeTakeFirst();
    expect(kept).toMatchObject({ restart: 'from_returner', set_by: 'user-admin-dinkes' });
  });

  it('a verifier may read it but not change it', async () => {
    const verifier = await desk('verifikator.dinkes');
    expect(await verifier.paraf['paraf.policy']({}, ctx)).toMatchObject({ canManage: false });
    await expect(Promise.resolve().then(() => verifier.paraf['paraf.setPolicy']({ restart: 'from_start' }, ctx))).rejects.toMatchObject({ code: 'PARAF_POLICY_ADMIN_ONLY' });
    expect(verifier.d.store.paraf.policy()).toBeUndefined();
  });
});
