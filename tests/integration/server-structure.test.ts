// The admin kantor keeps the office's structure on the server: a position added under another and
// retired (its holder stops holding it, the history stays), the office's extra disposition routes (a
// route allowed is a disposition the server accepts; a route taken away is refused again), and the
// office's own list of instructions, which every desk of the office receives with the structure.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { OrgReply } from '../../common/protocol/org.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const P = (key: string) => `position-dinkes-${key}`;

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const s: Record<string, Session> = {};
  let letterId: string;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    for (const [who, username] of Object.entries({ admin: 'admin.dinkes', clerk: 'operator.dinkes', head: 'penandatangan.dinkes', kasi: 'kasi.kesmas.dinkes', other: 'admin.disdik' })) {
      s[who] = await srv.login(username, `desk-structure-${who}`);
    }
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.clerk!.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    letterId = uuidv7();
    await push(s.clerk!, 'letter.register', {
      letterId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: '440/3/PKM/2026', letterDate: '2026-03-01',
      sender: 'Puskesmas', addressee: 'Kepala Dinas', subject: 'Laporan', summary: '', urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    });
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
    databases.stop();
  });

  async function push(who: Session, kind: string, payload: unknown): Promise<MutationResult> {
    const reply = await srv.call('POST', '/sync/push', { token: who.accessToken, json: { mutations: [{ id: uuidv7(), kind, payload }] } });
    return (reply.json as { results: MutationResult[] }).results[0]!;
  }
  const org = async (who: Session) => (await srv.call('GET', '/org', { token: who.accessToken })).json as OrgReply;
  const dispose = (from: string, to: string) => push(s.head!, 'disposition.create', {
    dispositionId: uuidv7(), letterId, parentId: null, fromPositionId: from, to: [to], cc: [], instructions: ['Hadiri'], note: '', urgency: 'biasa', dueDate: null,
  });

  it('gives every desk of the office its own list of instructions, the shipped one until the admin sets one', async () => {
    expect((await org(s.clerk!)).instructions).toEqual(['Untuk diketahui', 'Tindak lanjuti', 'Hadiri', 'Siapkan bahan', 'Koordinasikan', 'Pelajari dan laporkan', 'Siapkan jawaban', 'Arsipkan']);
    const set = await srv.call('PUT', '/admin/offices/office-dinkes/disposition-instructions', { token: s.admin!.accessToken, json: { instructions: [' Hadiri ', 'Wakili', 'Arsipkan'] } });
    expect(set.status).toBe(200);
    expect((await org(s.clerk!)).instructions).toEqual(['Hadiri', 'Wakili', 'Arsipkan']);
    // Another office keeps its own.
    expect((await org(s.other!)).instructions).toContain('Untuk diketahui');
    const twice = await srv.call('PUT', '/admin/offices/office-dinkes/disposition-instructions', { token: s.admin!.accessToken, json: { instructions: ['Hadiri', 'hadiri'] } });
    expect([twice.status, (twice.json as { error: { code: string } }).error.code, JSON.stringify(twice.json)]).toEqual([400, 'VALIDATION', expect.stringContaining('dua kali')]);
    expect((await org(s.clerk!)).instructions).toEqual(['Hadiri', 'Wakili', 'Arsipkan']);
  });

  it('lets the head dispose along a route the office allows, and refuses it again once the route is taken away', async () => {
    expect(await dispose(P('penandatangan'), P('penandatangan'))).toMatchObject({ status: 'rejected' });
    const before = (await org(s.admin!)).routes;
    // The head's own line runs down; a route to a position of another office is refused whole.
    const foreign = await srv.call('PUT', '/admin/offices/office-dinkes/disposition-routes', { token: s.admin!.accessToken, json: {
      routes: [...before, { fromPositionId: P('kasi-kesmas'), toPositionId: 'position-disdik-staf' }] } });
    expect(foreign.status).toBe(400);
    expect((await org(s.admin!)).routes).toEqual(before);
    // A Kepala Seksi may, by the office's leave, dispose to the Kepala Subbagian (not below it).
    const kasiToKasubbag = { fromPositionId: P('kasi-kesmas'), toPositionId: P('kasubbag') };
    const allowed = await srv.call('PUT', '/admin/offices/office-dinkes/disposition-routes', { token: s.admin!.accessToken, json: { routes: [...before, kasiToKasubbag] } });
    expect(allowed.status).toBe(200);
    expect((await org(s.kasi!)).routes).toContainEqual(kasiToKasubbag);
    const passed = await push(s.head!, 'disposition.create', {
      dispositionId: uuidv7(), letterId, parentId: null, fromPositionId: P('penandatangan'), to: [P('kasi-kesmas')], cc: [], instructions: ['Hadiri'], note: '', urgency: 'biasa', dueDate: null,
    });
    expect(passed.status).toBe('applied');
    const fromKasi = (parentId: string) => push(s.kasi!, 'disposition.create', {
      dispositionId: uuidv7(), letterId, parentId, fromPositionId: P('kasi-kesmas'), to: [P('kasubbag')], cc: [], instructions: ['Hadiri'], note: '', urgency: 'biasa', dueDate: null,
    });
    const parentId = ((await srv.call('GET', '/sync/pull?cursor=0&limit=500', { token: s.kasi!.accessToken })).json as { changes: { entity: string; entityId: string; data: { fromPositionId?: string; recipients?: { positionId: string }[] } }[] })
      .changes.filter((c) => c.entity === 'disposition' && c.data.recipients?.some((r) => r.positionId === P('kasi-kesmas'))).at(-1)!.entityId;
    expect(await fromKasi(parentId)).toMatchObject({ status: 'applied' });
    await srv.call('PUT', '/admin/offices/office-dinkes/disposition-routes', { token: s.admin!.accessToken, json: { routes: before } });
    expect(await fromKasi(parentId)).toMatchObject({ status: 'rejected', code: 'DISPOSITION_ROUTE_REFUSED' });
  });

  it('adds a position under another and retires it: its holder stops holding it, the history stays', async () => {
    const created = await srv.call('POST', '/admin/positions', { token: s.admin!.accessToken, json: {
      officeId: 'office-dinkes', unitId: 'unit-dinkes-umum', parentId: P('kasubbag'), title: 'Pengelola Arsip', level: 'pelaksana' } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    expect((await srv.call('PUT', `/admin/positions/${id}/holder`, { token: s.admin!.accessToken, json: { userId: 'user-staf-dinkes' } })).status).toBe(204);
    let structure = await org(s.admin!);
    expect(structure.positions.find((p) => p.id === id)).toMatchObject({ title: 'Pengelola Arsip', parentId: P('kasubbag') });
    expect(structure.holdings.filter((h) => h.positionId === id && h.endsAt === null).map((h) => h.userId)).toEqual(['user-staf-dinkes']);
    // A position with one below it stays until that one has moved.
    expect((await srv.call('POST', `/admin/positions/${P('kasubbag')}/retire`, { token: s.admin!.accessToken, json: {} })).json).toMatchObject({ error: { code: 'POSITION_HAS_SUBORDINATES' } });
    expect((await srv.call('POST', `/admin/positions/${id}/retire`, { token: s.admin!.accessToken, json: {} })).status).toBe(204);
    structure = await org(s.admin!);
    expect(structure.positions.some((p) => p.id === id)).toBe(false);
    const held = structure.holdings.filter((h) => h.positionId === id);
    expect(held.map((h) => [h.userId, h.endsAt !== null])).toEqual([['user-staf-dinkes', true]]);
  });
});
