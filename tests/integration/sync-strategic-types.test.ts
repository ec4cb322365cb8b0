// The office's strategic document types desk to desk through the real server (SQLite and PostgreSQL):
// the admin kantor of the Dinas Kesehatan marks the nota dinas and the surat edaran strategic; the
// change waits on the desk, the server keeps it, and after sync a verifier's desk knows it, offline
// too (isStrategic, the check before signing). Offline the admin's change is refused with the reason
// and nothing is queued; a verifier is refused; a change the server refuses shows its reason while the
// office's list stays as it was (until a later change from the desk goes through); another office's
// desk keeps its own list.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { isStrategic, strategicTypesHandlers } from '../../main/org/strategic-types.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';

const ctx = { origin: 'test' as const };

describe.each(backendNames())('on %s', (backend) => {
  const office = serverWithDesks(backend);

  async function desk(username: string) {
    const d = await office.desk(username);
    // What the desk's connectivity monitor answers; the test cuts the network by pointing the desk at a closed port as well.
    const link = { online: true };
    const h = strategicTypesHandlers({
      store: d.store, user: () => d.sync.session.user(), actor: () => d.sync.session.user()?.id ?? 'desk', online: () => link.online, syncSoon: () => undefined,
    });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    const offline = () => { link.online = false; d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test'); };
    const online = () => { link.online = true; d.store.settings.update({ serverUrl: office.srv.url }, 'test'); };
    await sync();
    return { d, h, sync, offline, online, office: () => d.sync.session.user()?.officeId ?? null };
  }
  const refusal = async (act: () => unknown) => {
    const e = await Promise.resolve().then(act).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    return { code: (e as AppError).code, message: (e as AppError).message };
  };

  it('the admin marks two types strategic; the server keeps them and a verifier\'s desk knows them, offline too', async () => {
    const admin = await desk('admin.dinkes');
    expect(await admin.h['delegation.strategicTypes']({}, ctx)).toEqual({ documentTypes: [], updatedAt: null, pending: false, refused: null, canManage: true, online: true });

    // Offline: refused with the reason, nothing goes into the outbox.
    admin.offline();
    expect(await refusal(() => admin.h['delegation.setStrategicTypes']({ documentTypes: ['surat_edaran'] }, ctx)))
      .toMatchObject({ code: 'STRATEGIC_TYPES_OFFLINE', message: expect.stringContaining('simpan lagi setelah tersambung') });
    expect(admin.d.store.sync.queue()).toEqual([]);
    admin.online();

    const set = await admin.h['delegation.setStrategicTypes']({ documentTypes: ['surat_edaran', 'nota_dinas', 'surat_edaran'] }, ctx);
    expect(set).toMatchObject({ documentTypes: ['nota_dinas', 'surat_edaran'], pending: true, updatedAt: null });
    expect(isStrategic(admin.d.store, admin.office(), 'surat_edaran')).toBe(true);
    await admin.sync();
    const kept = await office.srv.server.db.selectFrom('strategic_document_types').select('document_type').where('office_id', '=', 'office-dinkes').orderBy('document_type').execute();
    expect(kept.map((r) => r.document_type)).toEqual(['nota_dinas', 'surat_edaran']);
    expect(await admin.h['delegation.strategicTypes']({}, ctx)).toMatchObject({ documentTypes: ['nota_dinas', 'surat_edaran'], pending: false, updatedAt: expect.any(String) });
    // The desk's activity log names it, and the server's log took the entry in.
    expect(admin.d.store.audit.list({ limit: 500 }).some((e) => e.action === 'delegation.strategic_types_set')).toBe(true);
    const logged = await office.srv.server.db.selectFrom('audit_log').select('action').where('source', '=', 'desk').where('action', '=', 'delegation.strategic_types_set').execute();
    expect(logged).toHaveLength(1);

    const verifier = await desk('verifikator.dinkes');
    verifier.offline();
    expect(await verifier.h['delegation.strategicTypes']({}, ctx)).toMatchObject({ documentTypes: ['nota_dinas', 'surat_edaran'], canManage: false, online: false });
    expect(isStrategic(verifier.d.store, verifier.office(), 'nota_dinas')).toBe(true);
    expect(isStrategic(verifier.d.store, verifier.office(), 'surat_undangan')).toBe(false);
    expect(isStrategic(verifier.d.store, verifier.office(), null)).toBe(false);
    verifier.online();
    expect(await refusal(() => verifier.h['delegation.setStrategicTypes']({ documentTypes: [] }, ctx))).toMatchObject({ code: 'DELEGATION_ADMIN_ONLY' });

    // The admin clears one; the verifier's desk follows at its next sync.
    await admin.h['delegation.setStrategicTypes']({ documentTypes: ['surat_edaran'] }, ctx);
    await admin.sync();
    await verifier.sync();
    expect(isStrategic(verifier.d.store, verifier.office(), 'nota_dinas')).toBe(false);
    expect(isStrategic(verifier.d.store, verifier.office(), 'surat_edaran')).toBe(true);

    // Another office keeps its own list.
    const disdik = await desk('admin.disdik');
    expect(await disdik.h['delegation.strategicTypes']({}, ctx)).toMatchObject({ documentTypes: [], updatedAt: null });
  });

  it('a change the server refuses shows its reason, and the office\'s list stays as it was', async () => {
    // A desk that wrote the change for someone the server does not let set it (their role was taken
    // away after the desk last checked): the server refuses it at sync.
    const staff = await desk('staf.dinkes');
    staff.d.store.delegations.setStrategicTypes('office-dinkes', { documentTypes: ['telaah_staf'] }, 'user-staf-dinkes');
    await staff.d.sync.engine.syncNow();
    const shown = await staff.h['delegation.strategicTypes']({}, ctx);
    expect(shown.refused).toBeTruthy();
    expect(shown).toMatchObject({ documentTypes: ['surat_edaran'], pending: false });
    expect(staff.d.store.sync.queue().map((e) => [e.entity, e.state])).toEqual([['strategic_types', 'rejected']]);

    // The admin kantor signs in at the same desk and sets the list: once that went through, the earlier refusal no longer shows.
    await staff.d.sync.auth.logout();
    await staff.d.sync.auth.login('admin.dinkes', demoPassword);
    await staff.h['delegation.setStrategicTypes']({ documentTypes: ['surat_edaran', 'telaah_staf'] }, ctx);
    await staff.d.sync.engine.syncNow();
    expect(await staff.h['delegation.strategicTypes']({}, ctx)).toMatchObject({ documentTypes: ['surat_edaran', 'telaah_staf'], pending: false, refused: null });
  });
});
