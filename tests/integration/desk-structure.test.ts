// Struktur Organisasi at the admin kantor's desk, against the real server (SQLite and PostgreSQL): she
// adds a position under a Kepala Seksi, renames it and gives it a holder (the previous holder's time
// stays in the history); moving a position under one of its own subordinates and removing one that
// still has subordinates are refused with the server's reason; the extra routes and the list of
// instructions are saved and reach the structure the desk disposes with. With the server away the
// screen still shows the structure last read, and a change is refused as needing the server.
import { describe, expect, it } from 'vitest';
import { structureHandlers } from '../../main/org/structure.ts';
import { AppError } from '../../common/errors.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';

const ctx = { origin: 'test' as const };
const P = (key: string) => `position-dinkes-${key}`;

/** The refusal a handler threw: its code and the message a person reads. */
async function refusal(p: unknown): Promise<{ code: string; message: string }> {
  const err = await Promise.resolve(p).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return { code: (err as AppError).code, message: (err as AppError).message };
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend);

  async function desk(username: string) {
    const d = await env.desk(username);
    const state = { online: true, changes: 0 };
    const h = structureHandlers({
      store: d.store, user: () => d.sync.session.user(), client: () => d.sync.client(), accessToken: () => d.sync.auth.accessToken(),
      online: () => state.online, changed: () => { state.changes++; },
    });
    return { d, h, state };
  }

  it('the admin kantor adds, renames, staffs and moves positions; what the server refuses comes back with its reason', async () => {
    const { d, h, state } = await desk('admin.dinkes');
    const first = await h['structure.refresh']({}, ctx);
    expect(first.canManage).toBe(true);
    expect(first.fetchedAt).not.toBeNull();
    const kasi = first.positions.find((p) => p.id === P('kasi-kesmas'))!;
    expect(kasi.holder).toMatchObject({ name: 'Agus Prasetyo, S.Sos.' });
    expect(first.people.map((p) => p.name)).toEqual(expect.arrayContaining(['Dewi Lestari', 'Rina Wulandari']));

    const added = await h['structure.position.create']({ title: 'Pengelola Data Imunisasi', level: 'pelaksana', parentId: kasi.id, unitId: kasi.unitId }, ctx);
    const position = added.positions.find((p) => p.title === 'Pengelola Data Imunisasi')!;
    expect(position).toMatchObject({ parentId: kasi.id, holder: null, history: [] });
    // Disposing on this desk knows the new position at once.
    expect(d.store.org.positions(new Date().toISOString()).map((p) => p.title)).toContain('Pengelola Data Imunisasi');
    expect(state.changes).toBe(1);

    const renamed = await h['structure.position.update']({ positionId: position.id, title: 'Pengelola Data Imunisasi dan Surveilans' }, ctx);
    expect(renamed.positions.find((p) => p.id === position.id)?.title).toBe('Pengelola Data Imunisasi dan Surveilans');

    // Dewi moves from Staf Pelaksana to the new position: she holds it now; Staf Pelaksana is vacant and remembers her.
    const dewi = first.people.find((p) => p.name === 'Dewi Lestari')!;
    const staffed = await h['structure.holder.assign']({ positionId: position.id, userId: dewi.userId }, ctx);
    expect(staffed.positions.find((p) => p.id === position.id)?.holder).toEqual({ userId: dewi.userId, name: 'Dewi Lestari' });
    const staf = staffed.positions.find((p) => p.id === P('staf'))!;
    expect(staf.holder).toBeNull();
    expect(staf.history).toMatchObject([{ name: 'Dewi Lestari', capacity: 'definitive', endsAt: expect.any(String) }]);

    // A loop in the reporting line and a removal that would orphan subordinates are refused, in Indonesian.
    const loop = await refusal(h['structure.position.update']({ positionId: P('kabid-kesmas'), parentId: position.id }, ctx));
    expect(loop).toEqual({ code: 'SERVER_REFUSED', message: 'Atasan yang dipilih berada di bawah jabatan ini; garis atasan tidak boleh melingkar.' });
    const orphan = await refusal(h['structure.position.retire']({ positionId: kasi.id }, ctx));
    expect(orphan.code).toBe('SERVER_REFUSED');
    expect(orphan.message).toMatch(/masih di bawah jabatan ini: pindahkan atau pensiunkan jabatan di bawahnya lebih dulu/);
    expect((await h['structure.view']({}, ctx)).positions.find((p) => p.id === kasi.id)).toBeDefined();

    // Moved under the Kepala Bidang, then removed: its holder stops holding it, the history stays on the server.
    const moved = await h['structure.position.update']({ positionId: position.id, parentId: P('kabid-kesmas') }, ctx);
    expect(moved.positions.find((p) => p.id === position.id)?.parentId).toBe(P('kabid-kesmas'));
    const retired = await h['structure.position.retire']({ positionId: position.id }, ctx);
    expect(retired.positions.some((p) => p.id === position.id)).toBe(false);
  });

  it('extra routes and the list of instructions reach the structure the desk disposes with', async () => {
    const { d, h } = await desk('admin.dinkes');
    await h['structure.refresh']({}, ctx);
    const routes = await h['structure.routes.save']({ routes: [{ fromPositionId: P('verifikator'), toPositionId: P('kabid-kesmas') }] }, ctx);
    expect(routes.routes).toEqual([{ fromPositionId: P('verifikator'), toPositionId: P('kabid-kesmas') }]);
    expect(d.store.org.routes()).toEqual([{ fromPositionId: P('verifikator'), toPositionId: P('kabid-kesmas') }]);

    const list = ['Segera tindak lanjuti', 'Untuk diketahui', 'Hadiri dan laporkan'];
    expect((await h['structure.instructions.save']({ instructions: list }, ctx)).instructions).toEqual(list);
    expect(d.store.org.instructions()).toEqual(list);
    // Back to the shipped list.
    const shipped = (await h['structure.view']({}, ctx)).shippedInstructions;
    expect((await h['structure.instructions.save']({ instructions: shipped }, ctx)).instructions).toEqual(shipped);
  });

  it('with the server away the kept structure still shows, and a change is refused as needing the server', async () => {
    const { d, h, state } = await desk('admin.dinkes');
    const before = await h['structure.refresh']({}, ctx);
    d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
    // The desk did not notice yet: the attempt itself finds the server away.
    const away = await refusal(h['structure.position.create']({ title: 'Jabatan Baru', level: 'pelaksana', parentId: P('kasi-kesmas'), unitId: before.positions[0]!.unitId }, ctx));
    expect(away.code).toBe('STRUCTURE_OFFLINE');
    expect(away.message).toMatch(/Server kantor sedang tidak terjangkau.*isian Anda tetap di layar/);
    state.online = false;
    const kept = await h['structure.refresh']({}, ctx);
    expect(kept).toMatchObject({ online: false, fetchedAt: before.fetchedAt });
    expect(kept.positions).toEqual(before.positions);
    expect((await refusal(h['structure.instructions.save']({ instructions: ['Hadiri'] }, ctx))).code).toBe('STRUCTURE_OFFLINE');
  });

  it('a person who is not the admin kantor sees the structure but may not change it', async () => {
    const { h } = await desk('operator.dinkes');
    const view = await h['structure.refresh']({}, ctx);
    expect(view.canManage).toBe(false);
    expect(view.positions.length).toBeGreaterThan(5);
    expect((await refusal(h['structure.position.retire']({ positionId: P('staf') }, ctx))).code).toBe('STRUCTURE_ADMIN_ONLY');
  });
});
