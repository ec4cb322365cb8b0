// Who an outgoing letter may wait for: the front office of Dinas Kesehatan chooses the signing
// official from its office's officials as the real server lists them (over TLS; names and positions,
// never another office's people or other roles); a misspelt or unknown signer is refused in Bahasa
// Indonesia and nothing is imported; the list is kept on the desk, so with the server gone it still
// shows and still checks; Surat Keluar and Tanda Tangan name the official, not an id.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { OfficialsReply } from '../../common/protocol/org.ts';
import type { DeviceWorkerHost } from '../../main/devices/host.ts';
import type { Router } from '../../main/ipc/router.ts';
import { signingOfficials } from '../../main/letters/outgoing/officials.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { importRequest, ok, signingDesk } from '../support/signing-desk.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const ctx = { origin: 'test' as const };
const head = { id: 'user-penandatangan-dinkes', name: 'Dr. Ahmad Fauzi', nip: null, position: 'Kepala Dinas Kesehatan' };

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let desk: TestDesk;
  let host: DeviceWorkerHost;
  let router: Router;

  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    desk = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    ({ router, host } = await signingDesk(desk));
    await desk.sync.auth.login('operator.dinkes', demoPassword);
  });
  afterAll(async () => {
    await host?.stop();
    await desk?.close();
    await srv?.close();
    databases.stop();
  });

  it('the server names the officials of the caller\'s own office only: active users with the signer role, with their position', async () => {
    const admin = await srv.login('admin.dinkes', 'officials-admin');
    const created = await srv.call('POST', '/admin/users', {
      token: admin.accessToken,
      json: { username: 'wakil.dinkes', fullName: 'Ir. Siti Rahma', role: 'signer', officeId: 'office-dinkes', positionId: null, password: 'rahasia-panjang-sekali' },
    });
    expect(created.status).toBe(201);
    const retired = await srv.call('POST', '/admin/users', {
      token: admin.accessToken,
      json: { username: 'pensiun.dinkes', fullName: 'Drs. Purnomo', role: 'signer', officeId: 'office-dinkes', positionId: null, password: 'rahasia-panjang-sekali' },
    });
    const retiredId = (JSON.parse(retired.body.toString()) as { id: string }).id;
    expect((await srv.call('PATCH', `/admin/users/${retiredId}`, { token: admin.accessToken, json: { active: false } })).status).toBe(200);

    const staff = await srv.login('staf.dinkes', 'officials-staff');
    const reply = await srv.call('GET', '/org/officials', { token: staff.accessToken });
    expect(reply.status).toBe(200);
    const { officials } = OfficialsReply.parse(JSON.parse(reply.body.toString()));
    expect(officials).toEqual([head, { id: expect.any(String), name: 'Ir. Siti Rahma', nip: null, position: null }]);
    expect((await srv.call('GET', '/org/officials')).status).toBe(401);
  });

  it('the front office chooses the head of office from the list, and the letter names them in Surat Keluar and Tanda Tangan', async () => {
    const view = await ok(router, 'outgoing.officials', {});
    expect(view.accounts).toBe(true);
    expect(view.officials.map((o) => o.name)).toEqual(['Dr. Ahmad Fauzi', 'Ir. Siti Rahma']);
    const letter = await ok(router, 'sign.outgoing.import', await importRequest(router, 'Undangan rapat gizi'));
    expect(letter.signerName).toBe('Dr. Ahmad Fauzi');
    const listed = (await ok(router, 'outgoing.list', {})).find((l) => l.id === letter.id);
    expect(listed?.signerName).toBe('Dr. Ahmad Fauzi');
    await desk.sync.auth.login('penandatangan.dinkes', demoPassword);
    expect((await ok(router, 'sign.letters', {})).map((l) => [l.subject, l.signerName])).toEqual([['Undangan rapat gizi', 'Dr. Ahmad Fauzi']]);
    await desk.sync.auth.login('operator.dinkes', demoPassword);
  });

  it('a misspelt signer is refused with a clear message and nothing is imported', async () => {
    const before = (await ok(router, 'outgoing.list', {})).length;
    const request = { ...(await importRequest(router, 'Surat salah alamat')), signer: 'user-penandatangan-dinkess' };
    const result = await router.call('sign.outgoing.import', request, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('SIGNER_UNKNOWN');
    expect(result.error.message).toContain('tidak ada di daftar pejabat kantor');
    expect((await ok(router, 'outgoing.list', {})).length).toBe(before);
  });

  it('with the server gone, the list kept on the desk still shows and still checks the signer', async () => {
    const offline = signingOfficials({
      store: desk.store, log: collectingLogger(),
      server: { url: () => srv.url, client: desk.sync.client, online: () => false, accessToken: () => desk.sync.auth.accessToken(), user: () => desk.sync.session.user() },
    });
    const view = await offline.list();
    expect(view.officials[0]).toEqual(head);
    expect(view.fetchedAt).not.toBeNull();
    expect(await offline.resolve(head.id)).toBe(head.id);
    await expect(offline.resolve('budi')).rejects.toMatchObject({ code: 'SIGNER_UNKNOWN' });
  });

  it('a desk that never reached the server says the list must be fetched first', async () => {
    const fresh = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    try {
      const never = signingOfficials({
        store: fresh.store, log: collectingLogger(),
        server: { url: () => srv.url, client: fresh.sync.client, online: () => false, accessToken: () => fresh.sync.auth.accessToken(), user: () => null },
      });
      expect(await never.list()).toEqual({ accounts: true, officials: [], fetchedAt: null });
      await expect(never.resolve(head.id)).rejects.toMatchObject({ code: 'SIGNER_UNKNOWN', message: expect.stringContaining('belum pernah diambil dari server') });
    } finally {
      await fresh.close();
    }
  });
});
