// Delegasi desk to desk through the real server (SQLite and PostgreSQL): the admin kantor of the
// Dinas Kesehatan makes the Sekretaris Plh of the Kepala Dinas with the head's approval; after sync
// the Sekretaris's desk keeps the delegation and holds the Kepala's position (offline too); the admin
// ends it early and every desk of the office sees it ended; another office's desk sees nothing. Two
// admin desks that delegated the same position offline: the second is refused and shows the reason.
import { describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import { AppError } from '../../common/errors.ts';
import { delegationHandlers } from '../../main/org/delegations.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';

const ctx = { origin: 'test' as const };
const P = (key: string) => `position-dinkes-${key}`;
const day = 86_400_000;
const today = () => localDate(new Date(), 'Asia/Jakarta');
const inDays = (n: number) => localDate(new Date(Date.now() + n * day), 'Asia/Jakarta');
const approval = { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: today(), reference: '800/41/Dinkes/2026' };

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend);

  async function desk(username: string) {
    const d = await env.desk(username);
    const h = delegationHandlers({ store: d.store, user: () => d.sync.session.user(), actor: () => d.sync.session.user()?.id ?? 'desk', syncSoon: () => undefined });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    await sync();
    return { d, h, sync };
  }
  const refusal = async (act: () => unknown) => {
    const e = await Promise.resolve().then(act).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    return { code: (e as AppError).code, message: (e as AppError).message };
  };

  it('the admin makes the Sekretaris Plh of the Kepala; her desk keeps it and holds the position offline; ended early, every desk sees it end', async () => {
    const admin = await desk('admin.dinkes');
    const plh = { positionId: P('penandatangan'), delegateUserId: 'user-verifikator-dinkes', kind: 'plh' as const, from: today(), until: inDays(2), ...approval, reason: 'Cuti tahunan' };
    // What the desk already knows the server would refuse, it refuses with the reason.
    expect(await refusal(() => admin.h['delegation.create']({ ...plh, kind: 'plt' }, ctx))).toMatchObject({ code: 'DELEGATION_REFUSED', message: expect.stringContaining('masih dijabat Dr. Ahmad Fauzi') });
    const listed = await admin.h['delegation.create'](plh, ctx);
    expect(listed.canManage).toBe(true);
    expect(listed.delegations).toMatchObject([{ positionTitle: 'Kepala Dinas Kesehatan', delegateName: 'Sri Handayani', kind: 'plh', phase: 'current', pending: true }]);
    expect(await refusal(() => admin.h['delegation.create']({ ...plh, delegateUserId: 'user-kabid-kesmas-dinkes', from: inDays(1), until: inDays(3) }, ctx)))
      .toMatchObject({ message: expect.stringContaining('bertumpang tindih') });
    await admin.sync();
    const id = listed.delegations[0]!.id;
    expect((await admin.h['delegation.list']({}, ctx)).delegations).toMatchObject([{ id, pending: false, refused: null, approval }]);
    // The activity log of the admin's desk names it.
    expect(admin.d.store.audit.list({ limit: 500 }).some((e) => e.action === 'delegation.created' && e.entityId === id)).toBe(true);

    const sekretaris = await desk('verifikator.dinkes');
    expect(await refusal(() => sekretaris.h['delegation.create'](plh, ctx))).toMatchObject({ code: 'DELEGATION_ADMIN_ONLY' });
    // The network goes: the delegation and the position she holds for it stay known.
    sekretaris.d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
    const kept = await sekretaris.h['delegation.list']({}, ctx);
    expect(kept.canManage).toBe(false);
    expect(kept.delegations).toMatchObject([{ id, delegateName: 'Sri Handayani', phase: 'current', approval: { reference: '800/41/Dinkes/2026' } }]);
    const now = new Date().toISOString();
    expect(sekretaris.d.store.org.heldPositions('user-verifikator-dinkes', now).map((p) => p.id)).toEqual(expect.arrayContaining([P('verifikator'), P('penandatangan')]));

    // The Kepala is back early.
    expect((await admin.h['delegation.end']({ delegationId: id, reason: 'Kepala Dinas kembali bertugas' }, ctx)).delegations[0]).toMatchObject({ phase: 'ended', pending: true });
    await admin.sync();
    sekretaris.d.store.settings.update({ serverUrl: env.srv.url }, 'test');
    await sekretaris.sync();
    expect((await sekretaris.h['delegation.list']({}, ctx)).delegations).toMatchObject([{ id, phase: 'ended', endedEarly: { reason: 'Kepala Dinas kembali bertugas' } }]);

    const disdik = await desk('admin.disdik');
    expect((await disdik.h['delegation.list']({}, ctx)).delegations).toEqual([]);
  });

  it('two admin desks delegate the same position offline: the one synced second is refused and shows why', async () => {
    const first = await desk('admin.dinkes');
    const second = await desk('admin.dinkes');
    for (const a of [first, second]) a.d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
    const base = { positionId: P('kabid-p2p'), kind: 'plh' as const, from: inDays(5), until: inDays(7), ...approval, reason: 'Diklat' };
    await first.h['delegation.create']({ ...base, delegateUserId: 'user-kasi-p2p-dinkes' }, ctx);
    await second.h['delegation.create']({ ...base, delegateUserId: 'user-fungsional-dinkes' }, ctx);
    for (const a of [first, second]) a.d.store.settings.update({ serverUrl: env.srv.url }, 'test');
    await first.sync();
    await second.d.sync.engine.syncNow();
    const mine = (await second.h['delegation.list']({}, ctx)).delegations.find((d) => d.delegateUserId === 'user-fungsional-dinkes');
    expect(mine).toMatchObject({ pending: true, refused: expect.stringContaining('sudah didelegasikan kepada Nur Aisyah') });
    expect(second.d.store.sync.queue().map((e) => [e.entity, e.state])).toEqual([['delegation', 'rejected']]);
  });

  it('the days are the office\'s (WIB): one from today starts as it is recorded, one from tomorrow at midnight WIB whatever the machine\'s zone; one ended early by mistake is followed the same day', async () => {
    const admin = await desk('admin.dinkes');
    const kasubbag = { positionId: P('kasubbag'), kind: 'plh' as const, from: today(), until: inDays(1), ...approval, reason: 'Cuti sakit' };
    const before = Date.now();
    admin.h['delegation.create']({ ...kasubbag, delegateUserId: 'user-operator-dinkes' }, ctx);
    const wrong = (await admin.h['delegation.list']({}, ctx)).delegations.find((d) => d.delegateUserId === 'user-operator-dinkes')!;
    expect(Date.parse(wrong.startsAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(wrong.startsAt)).toBeLessThanOrEqual(Date.now());
    expect(wrong.phase).toBe('current');
    await admin.sync();
    // The wrong person: ended at once, and the right one is appointed for the same day.
    admin.h['delegation.end']({ delegationId: wrong.id, reason: 'Salah pilih pegawai' }, ctx);
    await admin.sync();
    admin.h['delegation.create']({ ...kasubbag, delegateUserId: 'user-staf-dinkes' }, ctx);
    await admin.sync();
    const right = (await admin.h['delegation.list']({}, ctx)).delegations.find((d) => d.delegateUserId === 'user-staf-dinkes')!;
    expect(right).toMatchObject({ phase: 'current', pending: false, refused: null, endsAt: expect.stringMatching(/T17:00:00\.000Z$/) });

    admin.h['delegation.create']({ positionId: P('verifikator'), delegateUserId: 'user-kasubbag-dinkes', kind: 'plh', from: inDays(1), until: inDays(2), ...approval, reason: 'Diklat' }, ctx);
    await admin.sync();
    const tomorrow = (await admin.h['delegation.list']({}, ctx)).delegations.find((d) => d.delegateUserId === 'user-kasubbag-dinkes')!;
    expect(tomorrow).toMatchObject({ phase: 'upcoming', refused: null, startsAt: `${inDays(0)}T17:00:00.000Z`, endsAt: `${inDays(2)}T17:00:00.000Z` });
  });
});
