// The paraf chain of a nota dinas against the real server (SQLite and PostgreSQL): a staff member of
// the Dinas Kesehatan drafts it and sends it to two verifiers in order (the Kepala Seksi, then the
// Sekretaris) and to the head as signer; each approves in turn, the head signs it as the letter that
// took its number. A verifier returns it with notes, the drafter revises, and the chain restarts —
// from the start by default, from the verifier who returned it when the office chose so. A verifier
// out of turn, a verifier of another office, a signer before the last paraf or another official, and
// any decision after signing are refused with their reason; every version stays, and the trail shows
// who did what, when, with which notes, to the people of the chain only. A draft naming a kop-and-
// templates version that is not its office's (another office's, or one the server never kept) is
// refused with its reason, from its author and from a verifier editing it alike.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { DraftChainData } from '../../common/protocol/drafting.ts';
import { sampleDraft } from '../support/drafts.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const nota = shippedTemplates().find((t) => t.type === 'nota_dinas')!;
const P = (key: string) => `position-dinkes-${key}`;
const kasi = P('kasi-kesmas');
const sekretaris = P('verifikator');
const head = 'user-penandatangan-dinkes';

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    for (const [who, username] of Object.entries({
      drafter: 'staf.dinkes', kasi: 'kasi.kesmas.dinkes', sekretaris: 'verifikator.dinkes', head: 'penandatangan.dinkes', admin: 'admin.dinkes',
      kabid: 'kabid.p2p.dinkes', stranger: 'verifikator.disdik', strangerHead: 'penandatangan.disdik', strangerAdmin: 'admin.disdik',
    })) s[who] = await srv.login(username, `desk-paraf-${username.replaceAll('.', '-')}`);
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  /** Pushes one mutation and answers 'applied', 'duplicate' or the refusal's code. */
  async function push(session: Session, kind: string, payload: unknown, id = uuidv7()): Promise<string> {
    const r = await srv.pushOne(session, kind, payload, id);
    return r.status === 'rejected' ? r.code : r.status;
  }
  const feed = (session: Session) => srv.feed(session);
  /** The draft as a desk of `session`'s user holds it after pulling: its latest row; undefined when none reached them. */
  async function seen(session: Session, draftId: string): Promise<DraftChainData | undefined> {
    return (await feed(session)).filter((c) => c.entity === 'draft' && c.entityId === draftId).at(-1)?.data as DraftChainData | undefined;
  }

  let clock = Date.parse('2026-03-02T02:00:00Z');
  const at = () => new Date(clock += 60_000).toISOString();
  /** A fresh draft saved by the drafter at version 1; returns a saver of later versions. */
  async function newDraft(hal: string) {
    const draftId = uuidv7();
    const content = { ...sampleDraft(nota), hal };
    const save = (who: Session, version: number, change: Partial<typeof content> = {}) => push(who, 'draft.save', {
      draftId, version, type: 'nota_dinas', content: { ...content, ...change }, attachments: [], status: 'draft', letterId: null, savedAt: at(),
    });
    expect(await save(s.drafter!, 1)).toBe('applied');
    return { draftId, save };
  }
  const submit = (draftId: string, version: number, verifiers = [kasi, sekretaris], signerId = head) =>
    push(s.drafter!, 'draft.submit', { draftId, version, verifiers, signerId, classificationCode: '440', submittedAt: at() });
  const decide = (who: Session, draftId: string, version: number, verdict: 'approve' | 'return', note = '') =>
    push(who, 'paraf.decide', { decisionId: uuidv7(), draftId, version, verdict, note, decidedAt: at() });
  /** The head's desk numbers the letter (outgoing book) and registers it, as signing does. */
  async function registerSigned(subject: string): Promise<string> {
    const lease = (await srv.call('POST', '/numbering/lease', { token: s.head!.accessToken, json: { book: 'out', year: 2026 } })).json as { first: number };
    const letterId = uuidv7();
    expect(await push(s.head!, 'letter.register', {
      letterId, direction: 'out', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: `440/${lease.first}/Dinkes/2026`, letterDate: '2026-03-02',
      sender: 'Dinas Kesehatan', addressee: 'Sekretaris Daerah', subject, summary: '', urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    })).toBe('applied');
    return letterId;
  }

  it('goes through two verifiers in order, then the head signs it as the numbered letter', async () => {
    const { draftId } = await newDraft('Laporan cakupan imunisasi Februari 2026');
    expect(await submit(draftId, 1)).toBe('applied');
    let draft = await seen(s.kasi!, draftId);
    expect(draft).toMatchObject({ state: 'in_review', step: 0, round: 1, signerName: 'Dr. Ahmad Fauzi', authorName: 'Dewi Lestari',
      verifiers: [{ positionId: kasi, title: 'Kepala Seksi Promosi Kesehatan' }, { positionId: sekretaris, title: 'Sekretaris Dinas Kesehatan' }] });
    // The Sekretaris is second: approving before the Kepala Seksi is refused, and so is the head signing.
    expect(await decide(s.sekretaris!, draftId, 1, 'approve')).toBe('PARAF_NOT_YOUR_TURN');
    const letterId = await registerSigned('Laporan cakupan imunisasi Februari 2026');
    expect(await push(s.head!, 'draft.sign', { draftId, version: 1, letterId, signedAt: at() })).toBe('PARAF_INCOMPLETE');

    // A decision sent twice (a lost answer) is applied once.
    const once = uuidv7();
    const approve = { decisionId: uuidv7(), draftId, version: 1, verdict: 'approve', note: 'Sudah sesuai data seksi.', decidedAt: at() };
    expect(await push(s.kasi!, 'paraf.decide', approve, once)).toBe('applied');
    expect(await push(s.kasi!, 'paraf.decide', approve, once)).toBe('duplicate');
    // The Kepala Seksi has decided; it is no longer their turn.
    expect(await decide(s.kasi!, draftId, 1, 'approve')).toBe('PARAF_NOT_YOUR_TURN');
    expect(await decide(s.sekretaris!, draftId, 1, 'approve', 'Paraf.')).toBe('applied');
    draft = await seen(s.head!, draftId);
    expect(draft).toMatchObject({ state: 'approved', step: 2 });

    // Another official may not sign it; the head does.
    expect(await push(s.strangerHead!, 'draft.sign', { draftId, version: 1, letterId, signedAt: at() })).toBe('DRAFT_NOT_FOUND');
    expect(await push(s.kabid!, 'draft.sign', { draftId, version: 1, letterId, signedAt: at() })).toBe('SIGNER_NOT_AUTHORIZED');
    expect(await push(s.head!, 'draft.sign', { draftId, version: 1, letterId, signedAt: at() })).toBe('applied');
    draft = await seen(s.drafter!, draftId);
    expect(draft).toMatchObject({ state: 'signed', letterId });
    expect(draft!.trail.map((t) => [t.action, t.userName, t.positionId, t.note])).toEqual([
      ['submit', 'Dewi Lestari', null, ''],
      ['approve', 'Agus Prasetyo, S.Sos.', kasi, 'Sudah sesuai data seksi.'],
      ['approve', 'Sri Handayani', sekretaris, 'Paraf.'],
      ['sign', 'Dr. Ahmad Fauzi', null, ''],
    ]);
    expect(draft!.trail.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true);

    // After signing nothing changes it any more.
    expect(await decide(s.sekretaris!, draftId, 1, 'return', 'Ubah.')).toBe('DRAFT_SIGNED');
    expect(await push(s.drafter!, 'draft.save', { draftId, version: 2, type: 'nota_dinas', content: sampleDraft(nota), attachments: [], status: 'draft', letterId: null, savedAt: at() })).toBe('DRAFT_SIGNED');
    expect(await submit(draftId, 1)).toBe('DRAFT_SIGNED');
    expect(await push(s.head!, 'draft.sign', { draftId, version: 1, letterId, signedAt: at() })).toBe('DRAFT_SIGNED');
  });

  it('a return with notes goes back to the drafter; revised and resubmitted, the chain restarts from the start by default', async () => {
    const { draftId, save } = await newDraft('Permohonan tambahan vaksin campak');
    expect(await submit(draftId, 1)).toBe('applied');
    expect(await decide(s.kasi!, draftId, 1, 'approve', '')).toBe('applied');
    // A return needs notes.
    expect(await decide(s.sekretaris!, draftId, 1, 'return', '')).toBe('VALIDATION');
    expect(await decide(s.sekretaris!, draftId, 1, 'return', 'Sebutkan jumlah dosis per puskesmas.')).toBe('applied');
    let draft = await seen(s.drafter!, draftId);
    expect(draft).toMatchObject({ state: 'returned' });
    expect(draft!.trail.at(-1)).toMatchObject({ action: 'return', userName: 'Sri Handayani', note: 'Sebutkan jumlah dosis per puskesmas.' });
    // Returned: no verifier decides until it is sent again.
    expect(await decide(s.kasi!, draftId, 1, 'approve')).toBe('PARAF_NOT_PENDING');

    expect(await save(s.drafter!, 2, { hal: 'Permohonan tambahan 1.200 dosis vaksin campak' })).toBe('applied');
    // A submission of a version the server has not got (or an older one) is refused.
    expect(await submit(draftId, 1)).toBe('DRAFT_VERSION_STALE');
    expect(await submit(draftId, 2)).toBe('applied');
    draft = await seen(s.kasi!, draftId);
    expect(draft).toMatchObject({ state: 'in_review', step: 0, round: 2, version: 2 });
    // Every version is kept, with who saved it.
    expect(draft!.versions.map((v) => [v.version, v.content.hal, v.savedBy])).toEqual([
      [1, 'Permohonan tambahan vaksin campak', 'user-staf-dinkes'], [2, 'Permohonan tambahan 1.200 dosis vaksin campak', 'user-staf-dinkes'],
    ]);
    // While it is with the verifiers its author cannot change it; the verifier whose turn it is edits it (a new version) and approves that.
    expect(await save(s.drafter!, 3)).toBe('DRAFT_IN_REVIEW');
    expect(await save(s.sekretaris!, 3)).toBe('DRAFT_NOT_YOURS');
    expect(await save(s.kasi!, 3, { hal: 'Permohonan tambahan 1.200 dosis vaksin campak untuk 12 puskesmas' })).toBe('applied');
    expect(await decide(s.kasi!, draftId, 2, 'approve')).toBe('DRAFT_VERSION_STALE');
    expect(await decide(s.kasi!, draftId, 3, 'approve')).toBe('applied');
    expect(await decide(s.sekretaris!, draftId, 3, 'approve')).toBe('applied');
    draft = await seen(s.head!, draftId);
    expect(draft).toMatchObject({ state: 'approved', version: 3 });
    expect(draft!.versions.at(-1)).toMatchObject({ version: 3, savedBy: 'user-kasi-kesmas-dinkes' });
    expect(draft!.trail.map((t) => `${t.round}:${t.action}`)).toEqual(['1:submit', '1:approve', '1:return', '2:submit', '2:approve', '2:approve']);
  });

  it('when the office chooses so, the chain restarts at the verifier who returned it', async () => {
    expect(await push(s.kasi!, 'paraf.policy', { restart: 'from_returner' })).toBe('FORBIDDEN');
    expect(await push(s.admin!, 'paraf.policy', { restart: 'from_returner' })).toBe('applied');
    try {
      const { draftId, save } = await newDraft('Jadwal posyandu Maret 2026');
      expect(await submit(draftId, 1)).toBe('applied');
      expect(await decide(s.kasi!, draftId, 1, 'approve')).toBe('applied');
      expect(await decide(s.sekretaris!, draftId, 1, 'return', 'Lampirkan jadwal per kelurahan.')).toBe('applied');
      expect(await save(s.drafter!, 2)).toBe('applied');
      expect(await submit(draftId, 2)).toBe('applied');
      const draft = await seen(s.sekretaris!, draftId);
      expect(draft).toMatchObject({ state: 'in_review', step: 1, round: 2 });
      // The Kepala Seksi, who approved already, is not asked again.
      expect(await decide(s.kasi!, draftId, 2, 'approve')).toBe('PARAF_NOT_YOUR_TURN');
      expect(await decide(s.sekretaris!, draftId, 2, 'approve')).toBe('applied');
      expect(await seen(s.head!, draftId)).toMatchObject({ state: 'approved' });
    } finally {
      expect(await push(s.admin!, 'paraf.policy', { restart: 'from_start' })).toBe('applied');
    }
  });

  it('another office sees none of it and may not decide; a chain of another office\'s people or a non-official signer is refused', async () => {
    const { draftId } = await newDraft('Undangan rapat koordinasi gizi');
    expect(await submit(draftId, 1, [kasi, 'position-disdik-verifikator'])).toBe('VERIFIER_INVALID');
    expect(await submit(draftId, 1, [P('staf')])).toBe('VERIFIER_INVALID');
    expect(await submit(draftId, 1, [kasi], 'user-verifikator-dinkes')).toBe('SIGNER_INVALID');
    expect(await submit(draftId, 1, [kasi], 'user-penandatangan-disdik')).toBe('SIGNER_INVALID');
    expect(await push(s.drafter!, 'draft.submit', { draftId, version: 1, verifiers: [kasi, kasi], signerId: head, classificationCode: null, submittedAt: at() })).toBe('VALIDATION');
    expect(await submit(draftId, 1, [kasi])).toBe('applied');
    expect(await submit(draftId, 1, [kasi])).toBe('DRAFT_IN_REVIEW');
    expect(await decide(s.stranger!, draftId, 1, 'approve')).toBe('DRAFT_NOT_FOUND');
    expect(await decide(s.stranger!, draftId, 1, 'return', 'Tidak.')).toBe('DRAFT_NOT_FOUND');
    expect(await seen(s.stranger!, draftId)).toBeUndefined();
    // Within the office, only the people of the chain get it.
    expect(await seen(s.kabid!, draftId)).toBeUndefined();
    expect(await seen(s.kasi!, draftId)).toMatchObject({ state: 'in_review' });
    expect(await seen(s.head!, draftId)).toMatchObject({ state: 'in_review' });
  });

  it('the Plh of the signer\'s position signs a fully initialled draft addressed to the signer while the delegation runs, but not a type the office marked strategic', async () => {
    const signable = async (hal: string) => {
      const { draftId } = await newDraft(hal);
      expect(await submit(draftId, 1, [kasi])).toBe('applied');
      expect(await decide(s.kasi!, draftId, 1, 'approve')).toBe('applied');
      return { draftId, letterId: await registerSigned(hal) };
    };
    const first = await signable('Undangan rapat koordinasi posyandu');
    const sign = (d: { draftId: string; letterId: string }) => push(s.sekretaris!, 'draft.sign', { draftId: d.draftId, version: 1, letterId: d.letterId, signedAt: new Date().toISOString() });
    // Not the signer, and not (yet) acting for them.
    expect(await sign(first)).toBe('SIGNER_NOT_AUTHORIZED');
    const now = Date.now();
    expect(await push(s.admin!, 'delegation.create', {
      delegationId: uuidv7(), positionId: P('penandatangan'), delegateUserId: 'user-verifikator-dinkes', kind: 'plh',
      startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(),
      approval: { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: '2026-03-01', reference: '800/7/Dinkes/2026' }, reason: 'Dinas luar',
    })).toBe('applied');
    expect(await sign(first)).toBe('applied');
    expect((await seen(s.drafter!, first.draftId))!.trail.at(-1)).toMatchObject({ action: 'sign', userName: 'Sri Handayani' });

    expect(await push(s.admin!, 'delegation.strategic_types', { documentTypes: ['nota_dinas'] })).toBe('applied');
    expect(await sign(await signable('Penetapan tim imunisasi'))).toBe('SIGNING_STRATEGIC_REFUSED');
  });

  it('a draft naming another office\'s kop and templates, or a version the server never kept, is refused with its reason; its own office\'s is kept', async () => {
    const naskahOf = async (admin: Session, officeId: string) => {
      const { logo: _shipped, ...lines } = shippedLetterhead();
      const r = await srv.call('PUT', `/admin/offices/${officeId}/naskah`, { token: admin.accessToken, json: { letterhead: { ...lines, logoSha256: null }, templates: shippedTemplates(), basedOn: null } });
      expect(r.status, r.body.toString()).toBe(200);
      return (r.json as { id: string }).id;
    };
    const own = await naskahOf(s.admin!, 'office-dinkes');
    const theirs = await naskahOf(s.strangerAdmin!, 'office-disdik');
    const draftId = uuidv7();
    const save = (who: Session, version: number, naskahVersion: string) => srv.pushOne(who, 'draft.save', {
      draftId, version, type: 'nota_dinas', content: { ...sampleDraft(nota), hal: 'Rencana kegiatan bulan imunisasi anak sekolah', naskahVersion },
      attachments: [], status: 'draft', letterId: null, savedAt: at(),
    });
    const refusal = { status: 'rejected', code: 'DRAFT_NASKAH_UNKNOWN', reason: expect.stringContaining('bukan milik kantor Anda') };
    expect(await save(s.drafter!, 1, theirs)).toMatchObject(refusal);
    expect(await save(s.drafter!, 1, uuidv7())).toMatchObject(refusal);
    expect(await srv.server.db.selectFrom('drafts').select('id').where('id', '=', draftId).executeTakeFirst()).toBeUndefined();
    expect(await save(s.drafter!, 1, own)).toMatchObject({ status: 'applied' });

    // A verifier's edit is a save too: refused the same, and the draft keeps what it had.
    expect(await submit(draftId, 1, [kasi])).toBe('applied');
    expect(await save(s.kasi!, 2, theirs)).toMatchObject(refusal);
    expect(await seen(s.drafter!, draftId)).toMatchObject({ version: 1, versions: [{ version: 1, content: { naskahVersion: own } }] });
    expect(await save(s.kasi!, 2, own)).toMatchObject({ status: 'applied' });
    expect(await seen(s.drafter!, draftId)).toMatchObject({ version: 2 });
  });
});
