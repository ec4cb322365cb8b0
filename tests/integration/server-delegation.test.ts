// Delegation (Plh/Plt) against the real server on SQLite and PostgreSQL, on a clock the test moves:
// the admin kantor of the Dinas Kesehatan makes the Sekretaris Plh of the Kepala Dinas while he is on
// leave; she numbers and signs the Kepala's letters during the period, and her signature is refused
// once it is over (by itself, or ended early); a Plt of a vacant position cannot sign the document
// types the office marks strategic; a delegate or position of another office is refused; a.n. and u.b.
// sign one and two levels down; every desk of the office keeps the delegations, another office sees none.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { DelegationData } from '../../common/protocol/delegation.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, manualClock, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const P = (key: string) => `position-dinkes-${key}`;
const hour = 3_600_000;
const day = 24 * hour;
const approval = { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: '2026-03-01', reference: '800/41/Dinkes/2026' };

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  const clock = manualClock();
  let srv: TestServer;
  beforeAll(async () => { srv = await startTestServer({ databases, tls, now: clock.now }); });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();
  /** Signs in afresh (the clock moves past access tokens' lifetime). */
  const login = (username: string) => srv.login(username, `desk-${username.replaceAll('.', '-')}`);

  /** Pushes one mutation and answers 'applied', 'duplicate' or the refusal's code and message. */
  async function push(session: Session, kind: string, payload: unknown): Promise<{ outcome: string; message?: string }> {
    const r = await srv.pushOne(session, kind, payload);
    return r.status === 'rejected' ? { outcome: r.code, message: r.reason } : { outcome: r.status };
  }
  const outcome = async (session: Session, kind: string, payload: unknown) => (await push(session, kind, payload)).outcome;
  const feed = (session: Session) => srv.feed(session);
  const delegation = (positionId: string, delegateUserId: string, kind: 'plh' | 'plt', from: number, to: number) => ({
    delegationId: uuidv7(), positionId, delegateUserId, kind, startsAt: iso(from), endsAt: iso(to), approval, reason: 'Cuti tahunan',
  });
  /** One outgoing number leased to `session`'s desk. */
  async function leaseOne(session: Session): Promise<number> {
    const lease = await srv.call('POST', '/numbering/lease', { token: session.accessToken, json: { book: 'out', year: 2026, count: 1 } });
    expect(lease.status, lease.body.toString()).toBe(201);
    return (lease.json as { first: number }).first;
  }
  /** Registers an outgoing letter with that number, dated today by the server's clock; answers the outcome. */
  const register = (session: Session, letterId: string, agendaNumber: number) => outcome(session, 'letter.register', {
    letterId, direction: 'out', year: 2026, agendaNumber, receivedAt: null, letterNumber: '440/12/Dinkes/2026',
    letterDate: iso().slice(0, 10), sender: 'Dinas Kesehatan', addressee: 'Kepala Puskesmas', subject: 'Pemberitahuan jadwal imunisasi', summary: '',
    urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
  });
  /** An outgoing letter of the office, numbered by `session` (its desk leases the number). */
  async function outgoingLetter(session: Session): Promise<string> {
    const letterId = uuidv7();
    expect(await register(session, letterId, await leaseOne(session))).toBe('applied');
    return letterId;
  }
  const signature = (letterId: string, signerUserId: string, positionId: string, signedAt: string, extra: Partial<{ mode: string; documentType: string | null; name: string; position: string }> = {}) => ({
    signatureId: uuidv7(), letterId, documentHash: uuidv7().replaceAll('-', '').padEnd(64, '0'), signedAt, level: 'B-B',
    signer: { name: extra.name ?? 'Sri Handayani', position: extra.position ?? 'Plh. Kepala Dinas Kesehatan' },
    authority: { signerUserId, positionId, mode: extra.mode ?? 'self', documentType: extra.documentType === undefined ? 'surat_dinas' : extra.documentType },
  });

  it('a Plh signs the Kepala\'s letters during the period and is refused after it; a signature made offline in the period is kept', async () => {
    const admin = await login('admin.dinkes');
    let sekretaris = await login('verifikator.dinkes');
    // Before any delegation the Sekretaris is no signer: she may not number outgoing letters.
    expect((await srv.call('POST', '/numbering/lease', { token: sekretaris.accessToken, json: { book: 'out', year: 2026, count: 1 } })).status).toBe(403);

    const plh = delegation(P('penandatangan'), 'user-verifikator-dinkes', 'plh', 0, 3 * day);
    expect(await outcome(admin, 'delegation.create', plh)).toBe('applied');
    // One delegate per position at a time.
    const overlap = await push(admin, 'delegation.create', delegation(P('penandatangan'), 'user-kabid-kesmas-dinkes', 'plh', 2 * day, 5 * day));
    expect(overlap.outcome).toBe('DELEGATION_OVERLAP');
    expect(overlap.message).toContain('Sri Handayani');
    // Plt is for a vacant position; the Kepala is only away.
    expect(await outcome(admin, 'delegation.create', delegation(P('penandatangan'), 'user-kabid-kesmas-dinkes', 'plt', 4 * day, 5 * day))).toBe('DELEGATION_KIND_MISMATCH');
    // Only the admin kantor delegates.
    expect(await outcome(await login('operator.dinkes'), 'delegation.create', delegation(P('kabid-p2p'), 'user-kasi-p2p-dinkes', 'plh', 0, day))).toBe('FORBIDDEN');

    // During the period she numbers and signs the Kepala's letter, and disposes from his position.
    clock.advance(hour);
    sekretaris = await login('verifikator.dinkes');
    const letterId = await outgoingLetter(sekretaris);
    const during = signature(letterId, 'user-verifikator-dinkes', P('penandatangan'), iso());
    expect(await outcome(sekretaris, 'signature.record', during)).toBe('applied');
    // And sends it to another office, as the Kepala would.
    expect(await outcome(sekretaris, 'letter.deliver', { letterId, toOfficeIds: ['office-disdik'] })).toBe('applied');
    const incoming = await outgoingLetter(sekretaris);
    expect(await outcome(sekretaris, 'disposition.create', {
      dispositionId: uuidv7(), letterId: incoming, parentId: null, fromPositionId: P('penandatangan'), to: [P('kabid-kesmas')], cc: [],
      instructions: ['Tindak lanjuti'], note: '', urgency: 'biasa', dueDate: null,
    })).toBe('applied');
    // Signed offline on the last day, pushed after the end: signed within the period, kept.
    clock.advance(2 * day);
    sekretaris = await login('verifikator.dinkes');
    const offlineLetter = await outgoingLetter(sekretaris);
    const offline = signature(offlineLetter, 'user-verifikator-dinkes', P('penandatangan'), iso());
    const spareNumber = await leaseOne(sekretaris);

    clock.advance(day);
    sekretaris = await login('verifikator.dinkes');
    expect(await outcome(sekretaris, 'signature.record', offline)).toBe('applied');
    // After the period: refused, with the end in the reason; no more numbers for her.
    const after = await push(sekretaris, 'signature.record', signature(letterId, 'user-verifikator-dinkes', P('penandatangan'), iso()));
    expect(after.outcome).toBe('SIGNING_NOT_AUTHORIZED');
    expect(after.message).toMatch(/masa Plh\. Kepala Dinas Kesehatan sudah berakhir pada \d+ Maret 2026/);
    expect((await srv.call('POST', '/numbering/lease', { token: sekretaris.accessToken, json: { book: 'out', year: 2026, count: 1 } })).status).toBe(403);
    // A number her desk kept from the period does not let her number a letter dated a day after it.
    clock.advance(day);
    sekretaris = await login('verifikator.dinkes');
    expect(await register(sekretaris, uuidv7(), spareNumber)).toBe('FORBIDDEN');
    expect(await outcome(sekretaris, 'letter.deliver', { letterId, toOfficeIds: ['office-disdik'] })).toBe('FORBIDDEN');
    // The Kepala himself signs as always.
    const kepala = await login('penandatangan.dinkes');
    expect(await outcome(kepala, 'signature.record', signature(letterId, 'user-penandatangan-dinkes', P('penandatangan'), iso(), { name: 'Dr. Ahmad Fauzi', position: 'Kepala Dinas Kesehatan' }))).toBe('applied');
    // A signing time ahead of the server's clock cannot stretch the period.
    expect(await outcome(kepala, 'signature.record', signature(letterId, 'user-penandatangan-dinkes', P('penandatangan'), iso(day)))).toBe('SIGNING_NOT_AUTHORIZED');

    // Every desk of the office keeps the delegation with its approval; another office's desks never see it.
    const kept = (await feed(await login('staf.dinkes'))).filter((c) => c.entity === 'delegation').map((c) => c.data as DelegationData);
    expect(kept).toEqual([expect.objectContaining({ id: plh.delegationId, kind: 'plh', positionTitle: 'Kepala Dinas Kesehatan', delegateName: 'Sri Handayani', approval, endedEarly: null })]);
    expect((await feed(await login('admin.disdik'))).filter((c) => c.entity === 'delegation')).toEqual([]);
    // The activity log names the delegation, with the approval.
    const log = await srv.server.db.selectFrom('audit_log').select(['action', 'details']).where('target', '=', plh.delegationId).execute();
    expect(log.map((e) => e.action)).toEqual(['sync.delegation.create']);
    expect(JSON.parse(log[0]!.details)).toMatchObject({ approval: { by: 'Dr. Ahmad Fauzi', reference: '800/41/Dinkes/2026' } });
  });

  it('a delegation ended early stops the delegate\'s signatures from that moment; an upcoming one withdrawn never starts', async () => {
    let admin = await login('admin.dinkes');
    const plh = delegation(P('verifikator'), 'user-kabid-p2p-dinkes', 'plh', 0, 5 * day);
    expect(await outcome(admin, 'delegation.create', plh)).toBe('applied');
    const letterId = await outgoingLetter(await login('operator.dinkes'));
    clock.advance(hour);
    admin = await login('admin.dinkes');
    const kabid = await login('kabid.p2p.dinkes');
    expect(await outcome(kabid, 'signature.record', signature(letterId, 'user-kabid-p2p-dinkes', P('verifikator'), iso()))).toBe('applied');
    expect(await outcome(admin, 'delegation.end', { delegationId: plh.delegationId, reason: 'Sekretaris kembali lebih awal' })).toBe('applied');
    expect(await outcome(admin, 'delegation.end', { delegationId: plh.delegationId, reason: 'Lagi' })).toBe('DELEGATION_ALREADY_ENDED');
    clock.advance(1000);
    expect(await outcome(kabid, 'signature.record', signature(letterId, 'user-kabid-p2p-dinkes', P('verifikator'), iso()))).toBe('SIGNING_NOT_AUTHORIZED');
    // The position is free again for a new delegation.
    const later = delegation(P('verifikator'), 'user-kabid-kesmas-dinkes', 'plh', day, 2 * day);
    expect(await outcome(admin, 'delegation.create', later)).toBe('applied');
    expect(await outcome(admin, 'delegation.end', { delegationId: later.delegationId, reason: 'Dibatalkan' })).toBe('applied');
    clock.advance(day + hour);
    admin = await login('admin.dinkes');
    expect(await outcome(await login('kabid.kesmas.dinkes'), 'signature.record', signature(letterId, 'user-kabid-kesmas-dinkes', P('verifikator'), iso()))).toBe('SIGNING_NOT_AUTHORIZED');
    const rows = (await feed(admin)).filter((c) => c.entity === 'delegation' && c.entityId === plh.delegationId);
    expect(rows.at(-1)!.data).toMatchObject({ endedEarly: { by: 'user-admin-dinkes', reason: 'Sekretaris kembali lebih awal' } });
  });

  it('a Plt of a vacant position cannot sign a document type the office marks strategic', async () => {
    const admin = await login('admin.dinkes');
    expect((await srv.call('PUT', `/admin/positions/${P('kabid-yankes')}/holder`, { token: admin.accessToken, json: { userId: null } })).status).toBeLessThan(300);
    expect(await outcome(admin, 'delegation.strategic_types', { documentTypes: ['surat_perintah', 'surat_edaran'] })).toBe('applied');
    expect(await outcome(admin, 'delegation.create', delegation(P('kabid-yankes'), 'user-kasi-yankes-dinkes', 'plh', 0, 30 * day))).toBe('DELEGATION_KIND_MISMATCH');
    expect(await outcome(admin, 'delegation.create', delegation(P('kabid-yankes'), 'user-kasi-yankes-dinkes', 'plt', 0, 30 * day))).toBe('applied');
    clock.advance(hour);
    const plt = await login('kasi.yankes.dinkes');
    const kepala = await login('penandatangan.dinkes');
    const letterId = await outgoingLetter(plt);
    const strategic = await push(plt, 'signature.record', signature(letterId, 'user-kasi-yankes-dinkes', P('kabid-yankes'), iso(), { documentType: 'surat_perintah', position: 'Plt. Kepala Bidang Pelayanan Kesehatan' }));
    expect(strategic.outcome).toBe('SIGNING_STRATEGIC_REFUSED');
    expect(strategic.message).toContain('Plt.');
    expect(strategic.message).toContain('UU 30/2014');
    expect(await outcome(plt, 'signature.record', signature(letterId, 'user-kasi-yankes-dinkes', P('kabid-yankes'), iso(), { documentType: 'surat_undangan' }))).toBe('applied');
    // A definitive official signs the strategic type as before.
    expect(await outcome(kepala, 'signature.record',
      signature(letterId, 'user-penandatangan-dinkes', P('penandatangan'), iso(), { documentType: 'surat_perintah' }))).toBe('applied');
    // The office's list reaches its desks.
    expect((await feed(plt)).filter((c) => c.entity === 'strategic_types').at(-1)?.data).toMatchObject({ documentTypes: ['surat_edaran', 'surat_perintah'] });
  });

  it('a delegation across offices is refused: the delegate and the position must be of the admin\'s own office', async () => {
    const admin = await login('admin.dinkes');
    expect(await outcome(admin, 'delegation.create', delegation(P('kabid-kesmas'), 'user-staf-disdik', 'plh', 0, day))).toBe('DELEGATE_OTHER_OFFICE');
    expect(await outcome(admin, 'delegation.create', delegation('position-disdik-kabid-sd', 'user-staf-dinkes', 'plh', 0, day))).toBe('DELEGATION_POSITION_INVALID');
    expect(await outcome(admin, 'delegation.create', delegation(P('kabid-kesmas'), 'user-kabid-kesmas-dinkes', 'plh', 0, day))).toBe('DELEGATE_IS_HOLDER');
    expect(await outcome(admin, 'delegation.create', delegation(P('kabid-kesmas'), 'user-staf-dinkes', 'plh', day, hour))).toBe('DELEGATION_PERIOD_INVALID');
    const other = await login('admin.disdik');
    const own = delegation('position-disdik-kabid-sd', 'user-kasi-sd-disdik', 'plh', 0, day);
    expect(await outcome(other, 'delegation.create', own)).toBe('applied');
    expect(await outcome(admin, 'delegation.end', { delegationId: own.delegationId, reason: 'x' })).toBe('DELEGATION_NOT_FOUND');
  });

  it('a.n. signs one level down and u.b. two, nobody further', async () => {
    const letterId = await outgoingLetter(await login('operator.dinkes'));
    const an = (user: string, session: Session, mode: string) => outcome(session, 'signature.record', signature(letterId, user, P('penandatangan'), iso(), { mode }));
    const sekretaris = await login('verifikator.dinkes');
    const kasubbag = await login('kasubbag.dinkes');
    const operator = await login('operator.dinkes');
    expect(await an('user-verifikator-dinkes', sekretaris, 'an')).toBe('applied');
    expect(await an('user-kasubbag-dinkes', operator, 'ub')).toBe('applied');
    expect(await an('user-kasubbag-dinkes', operator, 'an')).toBe('SIGNING_NOT_AUTHORIZED');
    expect(await an('user-staf-dinkes', operator, 'ub')).toBe('SIGNING_NOT_AUTHORIZED');
    // Claimed for another person by someone who is neither them nor the front office: not accepted.
    expect(await an('user-verifikator-dinkes', kasubbag, 'an')).toBe('FORBIDDEN');
  });
});
