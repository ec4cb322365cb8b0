// A letter's disposition down the structure of the Dinas Kesehatan against the real server (SQLite and
// PostgreSQL): the head disposes to a Kepala Bidang with a tembusan to the Sekretaris, the Kepala Bidang
// passes it on to a Kepala Seksi and on to the staff, each reports done and the letter is done; the head
// cancels one while it is unread; a route up the structure is refused; a transfer moves what a person
// may act on; another office sees none of it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { letterDispositionState, type DispositionData } from '../../common/protocol/disposition.ts';
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
    for (const [who, username] of Object.entries({
      clerk: 'operator.dinkes', head: 'penandatangan.dinkes', secretary: 'verifikator.dinkes', kabid: 'kabid.kesmas.dinkes', kabid2: 'kabid.p2p.dinkes',
      kasi: 'kasi.kesmas.dinkes', staff: 'staf.dinkes', stranger: 'penandatangan.disdik', admin: 'admin.dinkes',
    })) s[who] = await srv.login(username, `desk-${username.replaceAll(".", "-")}`);
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.clerk!.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    letterId = uuidv7();
    const results = await push(s.clerk!, 'letter.register', {
      letterId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: '2026-03-02T09:15:00+07:00', letterNumber: '440/17/PKM/2026',
      letterDate: '2026-02-27', sender: 'Puskesmas Kecamatan Utara', addressee: 'Kepala Dinas Kesehatan', subject: 'Permohonan tambahan vaksin',
      summary: '', urgency: 'segera', security: 'biasa', classification: '440', attachments: [],
    });
    expect(results).toBe('applied');
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  /** Pushes one mutation and answers 'applied', 'duplicate' or the refusal's code. */
  async function push(session: Session, kind: string, payload: unknown, id = uuidv7()): Promise<string> {
    const r = await srv.pushOne(session, kind, payload, id);
    return r.status === 'rejected' ? r.code : r.status;
  }
  const feed = (session: Session) => srv.feed(session);
  /** The office's dispositions of the letter as a desk of the office holds them after pulling: the latest row of each. */
  async function dispositions(session: Session): Promise<Map<string, DispositionData>> {
    const latest = new Map<string, DispositionData>();
    for (const c of await feed(session)) if (c.entity === 'disposition' && c.data.letterId === letterId) latest.set(c.entityId, c.data);
    return latest;
  }
  const dispose = (fromPositionId: string, to: string[], extra: Partial<{ cc: string[]; parentId: string | null; note: string; dueDate: string | null }> = {}) => ({
    dispositionId: uuidv7(), letterId, parentId: null, fromPositionId, to, cc: [], instructions: ['Tindak lanjuti'], note: '', urgency: 'segera', dueDate: '2026-03-09', ...extra,
  });

  it('goes down three levels with a tembusan, every branch reports done, and the letter is done', async () => {
    const top = dispose(P('penandatangan'), [P('kabid-kesmas')], { cc: [P('verifikator')], note: 'Koordinasikan dengan puskesmas.' });
    expect(await push(s.head!, 'disposition.create', top)).toBe('applied');
    // Sent twice (a lost answer): applied once.
    const retryId = uuidv7();
    const read = { dispositionId: top.dispositionId, positionId: P('kabid-kesmas') };
    expect(await push(s.kabid!, 'disposition.read', read, retryId)).toBe('applied');
    expect(await push(s.kabid!, 'disposition.read', read, retryId)).toBe('duplicate');
    expect(letterDispositionState([...(await dispositions(s.staff!)).values()])).toBe('in_disposition');

    // The Kepala Bidang passes it on to the Kepala Seksi, who passes it on to the staff.
    const toKasi = dispose(P('kabid-kesmas'), [P('kasi-kesmas')], { parentId: top.dispositionId, note: 'Siapkan data stok.' });
    expect(await push(s.kabid!, 'disposition.create', toKasi)).toBe('applied');
    const toStaff = dispose(P('kasi-kesmas'), [P('staf')], { parentId: toKasi.dispositionId, dueDate: '2026-03-05' });
    expect(await push(s.kasi!, 'disposition.create', toStaff)).toBe('applied');
    // The tembusan informs; it cannot be reported done.
    expect(await push(s.secretary!, 'disposition.report', { dispositionId: top.dispositionId, positionId: P('verifikator'), note: 'Sudah.', attachment: null })).toBe('DISPOSITION_NOT_RECIPIENT');

    const report = (session: Session, d: { dispositionId: string }, position: string, note: string) =>
      push(session, 'disposition.report', { dispositionId: d.dispositionId, positionId: position, note, attachment: null });
    expect(await report(s.staff!, toStaff, P('staf'), 'Data stok vaksin terlampir dalam laporan.')).toBe('applied');
    expect(await report(s.staff!, toStaff, P('staf'), 'Lagi.')).toBe('DISPOSITION_ALREADY_DONE');
    expect(await report(s.kasi!, toKasi, P('kasi-kesmas'), 'Data dikirim ke Kabid.')).toBe('applied');
    expect(letterDispositionState([...(await dispositions(s.head!)).values()])).toBe('in_disposition');
    expect(await report(s.kabid!, top, P('kabid-kesmas'), 'Tambahan vaksin diajukan ke provinsi.')).toBe('applied');

    const trail = await dispositions(s.clerk!);
    expect(letterDispositionState([...trail.values()])).toBe('done');
    expect(trail.get(toStaff.dispositionId)).toMatchObject({ parentId: toKasi.dispositionId, fromUserId: 'user-kasi-kesmas-dinkes',
      recipients: [{ positionId: P('staf'), kind: 'to', readBy: 'user-staf-dinkes', doneBy: 'user-staf-dinkes', reportNote: 'Data stok vaksin terlampir dalam laporan.' }] });
    expect(trail.get(top.dispositionId)?.recipients).toEqual([
      expect.objectContaining({ positionId: P('kabid-kesmas'), kind: 'to', readBy: 'user-kabid-kesmas-dinkes', doneBy: 'user-kabid-kesmas-dinkes' }),
      expect.objectContaining({ positionId: P('verifikator'), kind: 'cc', doneAt: null }),
    ]);
    // Once every branch is done the letter is not disposed again.
    expect(await push(s.head!, 'disposition.create', dispose(P('penandatangan'), [P('kabid-p2p')]))).toBe('LETTER_DONE');
  });

  it('its sender cancels one while unread, not once it is read; a route up or sideways is refused', async () => {
    const other = uuidv7();
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.clerk!.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    await push(s.clerk!, 'letter.register', {
      letterId: other, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: '005/3/2026', letterDate: '2026-03-01',
      sender: 'Bappeda', addressee: 'Kepala Dinas', subject: 'Undangan rapat', summary: '', urgency: 'biasa', security: 'biasa', classification: '005', attachments: [],
    });
    const unread = { ...dispose(P('penandatangan'), [P('kabid-p2p')]), letterId: other };
    const read = { ...dispose(P('penandatangan'), [P('kabid-kesmas')]), letterId: other };
    expect(await push(s.head!, 'disposition.create', unread)).toBe('applied');
    expect(await push(s.head!, 'disposition.create', read)).toBe('applied');
    expect(await push(s.kabid!, 'disposition.read', { dispositionId: read.dispositionId, positionId: P('kabid-kesmas') })).toBe('applied');
    expect(await push(s.kabid2!, 'disposition.cancel', { dispositionId: unread.dispositionId })).toBe('POSITION_NOT_HELD');
    expect(await push(s.head!, 'disposition.cancel', { dispositionId: unread.dispositionId })).toBe('applied');
    expect(await push(s.head!, 'disposition.cancel', { dispositionId: read.dispositionId })).toBe('DISPOSITION_ALREADY_READ');
    // A cancelled disposition cannot be acted on.
    expect(await push(s.kabid2!, 'disposition.report', { dispositionId: unread.dispositionId, positionId: P('kabid-p2p'), note: 'x', attachment: null })).toBe('DISPOSITION_CANCELLED');

    // Up the structure, sideways, to another office, from a position not held: refused, with its reason.
    expect(await push(s.staff!, 'disposition.create', { ...dispose(P('staf'), [P('kasi-kesmas')]), letterId: other })).toBe('DISPOSITION_ROUTE_REFUSED');
    expect(await push(s.kabid!, 'disposition.create', { ...dispose(P('kabid-kesmas'), [P('kasi-p2p')]), letterId: other })).toBe('DISPOSITION_ROUTE_REFUSED');
    expect(await push(s.head!, 'disposition.create', { ...dispose(P('penandatangan'), ['position-disdik-staf']), letterId: other })).toBe('RECIPIENT_INVALID');
    expect(await push(s.kabid!, 'disposition.create', { ...dispose(P('penandatangan'), [P('kabid-p2p')]), letterId: other })).toBe('POSITION_NOT_HELD');
    // The office allows its Sekretaris to dispose to every Kepala Bidang, outside the reporting line.
    expect(await push(s.secretary!, 'disposition.create', { ...dispose(P('verifikator'), [P('kabid-p2p')]), letterId: other })).toBe('applied');
    const state = [...(await feed(s.head!))].filter((c) => c.entity === 'disposition' && c.entityId === unread.dispositionId).at(-1);
    expect(state?.data).toMatchObject({ cancelledAt: expect.any(String) });
  });

  it('a transfer moves what a person may act on to the new holder, and the history stays', async () => {
    const d = dispose(P('penandatangan'), [P('kabid-p2p')]);
    // The earlier test may have finished the first letter; dispose a fresh one.
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.clerk!.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    const fresh = uuidv7();
    await push(s.clerk!, 'letter.register', {
      letterId: fresh, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: '440/9/2026', letterDate: '2026-03-01',
      sender: 'RSUD', addressee: 'Kepala Dinas', subject: 'Laporan kasus', summary: '', urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    });
    expect(await push(s.head!, 'disposition.create', { ...d, letterId: fresh })).toBe('applied');
    // The admin moves the Kepala Bidang P2P's holder out and the Kepala Seksi in.
    const moved = await srv.call('PUT', `/admin/positions/${P('kabid-p2p')}/holder`, { token: s.admin!.accessToken, json: { userId: 'user-kasi-kesmas-dinkes' } });
    expect(moved.status, moved.body.toString()).toBe(204);
    expect(await push(s.kabid2!, 'disposition.read', { dispositionId: d.dispositionId, positionId: P('kabid-p2p') })).toBe('POSITION_NOT_HELD');
    expect(await push(s.kasi!, 'disposition.read', { dispositionId: d.dispositionId, positionId: P('kabid-p2p') })).toBe('applied');
    const org = (await srv.call('GET', '/org', { token: s.admin!.accessToken })).json as { holdings: { positionId: string; userId: string; endsAt: string | null }[] };
    expect(org.holdings.filter((h) => h.positionId === P('kabid-p2p')).map((h) => [h.userId, h.endsAt === null])).toEqual([
      ['user-kabid-p2p-dinkes', false], ['user-kasi-kesmas-dinkes', true],
    ]);
    const me = (await srv.call('GET', '/auth/me', { token: s.kasi!.accessToken })).json as { position: { id: string } };
    expect(me.position.id).toBe(P('kabid-p2p'));
  });

  it('a person of another office pulls none of it and cannot act on it', async () => {
    const theirs = await feed(s.stranger!);
    expect(theirs.filter((c) => c.entity === 'disposition' || c.entityId === letterId)).toEqual([]);
    const mine = await dispositions(s.head!);
    const any = [...mine.keys()][0]!;
    expect(await push(s.stranger!, 'disposition.read', { dispositionId: any, positionId: 'position-disdik-penandatangan' })).toBe('DISPOSITION_NOT_FOUND');
    expect(await push(s.stranger!, 'disposition.create', dispose('position-disdik-penandatangan', ['position-disdik-staf']))).toBe('LETTER_NOT_FOUND');
  });
});
