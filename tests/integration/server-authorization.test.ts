// Who may do what on the central server: every role against every protected endpoint, in their own
// office and in another one, written down as one table so a change of policy is a visible change here.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';

let tls: TestTls;
const databases = new Databases('sqlite');
let srv: TestServer;
beforeAll(async () => {
  tls = createTestTls();
  srv = await startTestServer({ databases, tls });
});
afterAll(async () => {
  await srv?.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

const people = ['superadmin', 'admin.dinkes', 'operator.dinkes', 'verifikator.dinkes', 'penandatangan.dinkes', 'staf.dinkes'] as const;
type Person = (typeof people)[number];

/** 'ok', or the error / rejection code the server answered with. */
async function outcome(reply: Promise<{ status: number; json: unknown }>): Promise<string> {
  const { status, json } = await reply;
  if (status >= 400) return (json as { error: { code: string } }).error.code;
  const results = (json as { results?: MutationResult[] } | undefined)?.results;
  const first = results?.[0];
  if (first) return first.status === 'rejected' ? first.code : 'ok';
  return 'ok';
}

/** Each person's position in the demo office, and one directly below it (a leaf's "below" is a position above, refused). */
const positionOf: Record<Person, string> = {
  superadmin: 'position-dinkes-penandatangan', 'admin.dinkes': 'position-dinkes-admin', 'operator.dinkes': 'position-dinkes-operator',
  'verifikator.dinkes': 'position-dinkes-verifikator', 'penandatangan.dinkes': 'position-dinkes-penandatangan', 'staf.dinkes': 'position-dinkes-staf',
};
const belowOf: Record<Person, string> = {
  superadmin: 'position-dinkes-kabid-kesmas', 'admin.dinkes': 'position-dinkes-staf', 'operator.dinkes': 'position-dinkes-staf',
  'verifikator.dinkes': 'position-dinkes-kasubbag', 'penandatangan.dinkes': 'position-dinkes-kabid-kesmas', 'staf.dinkes': 'position-dinkes-kasi-kesmas',
};

function disposition(letterId: string, fromPositionId: string, to: string[], cc: string[] = []) {
  return { dispositionId: uuidv7(), letterId, parentId: null, fromPositionId, to, cc, instructions: ['Tindak lanjuti'], note: 'Proses.', urgency: 'biasa', dueDate: null };
}

function letter(agendaNumber: number) {
  return { id: uuidv7(), kind: 'letter.register', payload: {
    letterId: uuidv7(), direction: 'in', year: 2026, agendaNumber, receivedAt: null, letterNumber: `005/${agendaNumber}/2026`, letterDate: '2026-03-01',
    sender: 'Kecamatan Selatan', addressee: 'Kepala Dinas', subject: 'Undangan', summary: '', urgency: 'biasa', security: 'biasa', classification: '005', attachments: [] } };
}

describe('authorization matrix', () => {
  it('every role meets exactly the doors the policy opens for it, in its own office and another', async () => {
    const sessions = Object.fromEntries(await Promise.all(people.map(async (p, i) => [p, await srv.login(p, `desk-matrix-${i}0`)] as const))) as Record<Person, Session>;
    const operator = sessions['operator.dinkes'];
    const block = (await srv.call('POST', '/numbering/lease', { token: operator.accessToken, json: { book: 'in', year: 2026 } })).json as { first: number };
    const own = letter(block.first);
    await srv.call('POST', '/sync/push', { token: operator.accessToken, json: { mutations: [own] } });
    // One letter of the office per person, for each to try voiding.
    const spare = people.map((_p, i) => letter(block.first + 20 + i));
    await srv.call('POST', '/sync/push', { token: operator.accessToken, json: { mutations: spare } });
    const disdikLetter = letter(1);
    const disdik = await srv.login('operator.disdik', 'desk-matrix-disdik');
    await srv.call('POST', '/numbering/lease', { token: disdik.accessToken, json: { book: 'in', year: 2026 } });
    await srv.call('POST', '/sync/push', { token: disdik.accessToken, json: { mutations: [disdikLetter] } });
    // An addressee outside the system on each office's letter, to be marked sent.
    const external = (letterId: string) => ({ id: uuidv7(), kind: 'letter.deliver', payload: { letterId, toOfficeIds: [], external: [{ id: uuidv7(), name: 'PT Contoh', channel: 'print' }] } });
    const ownExternal = external(own.payload.letterId);
    const disdikExternal = external(disdikLetter.payload.letterId);
    await srv.call('POST', '/sync/push', { token: operator.accessToken, json: { mutations: [ownExternal] } });
    await srv.call('POST', '/sync/push', { token: disdik.accessToken, json: { mutations: [disdikExternal] } });
    const markSent = (s: Session, m: typeof ownExternal) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
      { id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId: m.payload.letterId, externalId: m.payload.external[0]!.id } }] } }));

    // A signature recorded on each office's letter, to be upgraded.
    const signature = (letterId: string) => ({ id: uuidv7(), kind: 'signature.record', payload: {
      signatureId: uuidv7(), letterId, documentHash: 'c'.repeat(64), signedAt: '2026-03-02T09:00:00Z', level: 'B-B', signer: { name: 'Dr. Ahmad Fauzi', position: 'Kepala Dinas' } } });
    const ownSignature = signature(own.payload.letterId);
    const disdikSignature = signature(disdikLetter.payload.letterId);
    await srv.call('POST', '/sync/push', { token: operator.accessToken, json: { mutations: [ownSignature] } });
    await srv.call('POST', '/sync/push', { token: disdik.accessToken, json: { mutations: [disdikSignature] } });
    const upgrade = (s: Session, m: typeof ownSignature, i: number) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
      { id: uuidv7(), kind: 'signature.upgrade', payload: { signatureId: m.payload.signatureId, documentHash: String(i).padStart(64, 'd'), level: 'B-T' } }] } }));

    const personOf = (s: Session) => people.find((p) => sessions[p] === s)!;
    const push = (s: Session, kind: string, payload: unknown) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [{ id: uuidv7(), kind, payload }] } }));
    const head = sessions['penandatangan.dinkes'];
    const secretary = sessions['verifikator.dinkes'];
    /** A fresh disposition addressed to the person's own position: from the head, or for the head a tembusan from the Sekretaris. */
    const toMe = async (who: Person) => {
      const p = who === 'superadmin' ? 'staf.dinkes' : who;
      const d = p === 'penandatangan.dinkes'
        ? disposition(own.payload.letterId, 'position-dinkes-verifikator', ['position-dinkes-kasubbag'], ['position-dinkes-penandatangan'])
        : disposition(own.payload.letterId, 'position-dinkes-penandatangan', [positionOf[p]]);
      expect(await push(p === 'penandatangan.dinkes' ? secretary : head, 'disposition.create', d)).toBe('ok');
      return d.dispositionId;
    };
    // Drafts of outgoing letters: one of a drafter of this office (staf.dinkes), one of the other office.
    const draft = (draftId: string, version: number) => ({ id: uuidv7(), kind: 'draft.save', payload: {
      draftId, version, type: 'nota_dinas', attachments: [], status: 'draft', letterId: null, savedAt: '2026-03-02T09:00:00Z',
      content: { type: 'nota_dinas', sifat: 'Biasa', lampiran: '', hal: 'Rapat', addressees: ['Kepala Dinas'], addresseePlace: 'Tempat', from: 'Sekretaris', tembusan: [],
        body: [{ kind: 'paragraph', runs: [{ text: 'Isi.' }] }], signer: { position: 'Sekretaris', name: 'Dewi', rank: '', nip: '' } } } });
    const staffDraft = draft(uuidv7(), 1);
    const disdikDraft = draft(uuidv7(), 1);
    await srv.call('POST', '/sync/push', { token: (await srv.login('staf.dinkes', 'desk-matrix-drafter')).accessToken, json: { mutations: [staffDraft] } });
    await srv.call('POST', '/sync/push', { token: disdik.accessToken, json: { mutations: [disdikDraft] } });
    const pushDraft = (s: Session, m: ReturnType<typeof draft>) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [m] } }));
    // The paraf chain: a fresh draft of staf.dinkes sent to the Sekretaris (verifikator.dinkes), one of
    // the other office's sent to its Sekretaris, and for signing one sent with no verifier to the head,
    // with the outgoing letter its signing registers.
    const drafter = await srv.login('staf.dinkes', 'desk-matrix-drafter');
    const sentToChain = async (author: Session, verifiers: string[], signerId: string) => {
      const d = draft(uuidv7(), 1);
      await pushDraft(author, d);
      expect(await push(author, 'draft.submit', { draftId: d.payload.draftId, version: 1, verifiers, signerId, classificationCode: null, submittedAt: '2026-03-02T09:05:00Z' })).toBe('ok');
      return d.payload.draftId;
    };
    // Not staf.disdik: a row below resets that account's password, which ends its sessions.
    const disdikDrafter = await srv.login('kasi.sd.disdik', 'desk-matrix-disdik-drafter');
    const decide = (s: Session, draftId: string) => push(s, 'paraf.decide', { decisionId: uuidv7(), draftId, version: 1, verdict: 'approve', note: '', decidedAt: '2026-03-02T09:10:00Z' });
    const outBlock = (await srv.call('POST', '/numbering/lease', { token: head.accessToken, json: { book: 'out', year: 2026 } })).json as { first: number };
    const signable = async (i: number) => {
      const draftId = await sentToChain(drafter, [], 'user-penandatangan-dinkes');
      const registered = { ...letter(outBlock.first + i), payload: { ...letter(outBlock.first + i).payload, direction: 'out' } };
      expect(await outcome(srv.call('POST', '/sync/push', { token: head.accessToken, json: { mutations: [registered] } }))).toBe('ok');
      return { draftId, version: 1, letterId: registered.payload.letterId, signedAt: '2026-03-02T09:20:00Z' };
    };

    // The structure: a position per person to add, and one each to retire (made by the super admin), and
    // the offices' routes and instructions as they are (each person sets them again, unchanged).
    const newPosition = (office: string, i: number) => ({ officeId: `office-${office}`, unitId: `unit-${office}-umum`, parentId: `position-${office}-kasubbag`, title: `Pengadministrasi ${i}`, level: 'pelaksana' });
    const spareOf = async (office: string, i: number) => ((await srv.call('POST', '/admin/positions', { token: sessions.superadmin.accessToken, json: newPosition(office, i) })).json as { id: string }).id;
    const routesOf = async (s: Session) => ((await srv.call('GET', '/org', { token: s.accessToken })).json as { routes: unknown[] }).routes;
    const [ownRoutes, disdikRoutes] = [await routesOf(sessions['admin.dinkes']), await routesOf(disdik)];
    const { logo: _logo, ...kopLines } = shippedLetterhead();
    const naskah = { letterhead: { ...kopLines, logoSha256: null }, templates: shippedTemplates(), basedOn: null };
    const shipped = ['Untuk diketahui', 'Tindak lanjuti', 'Hadiri', 'Siapkan bahan', 'Koordinasikan', 'Arsipkan'];
    // Delegations: one of this office for each person to try to end, one of the other office.
    const approval = { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: '2026-03-01', reference: '800/1/2026' };
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
    const delegation = (positionId: string, delegateUserId: string, from: number) => ({
      delegationId: uuidv7(), positionId, delegateUserId, kind: 'plh', startsAt: inDays(from), endsAt: inDays(from + 1), approval, reason: 'Cuti' });
    const ownDelegations = people.map((_, i) => delegation('position-dinkes-kabid-p2p', 'user-kasi-p2p-dinkes', 10 + 2 * i));
    for (const d of ownDelegations) expect(await push(sessions['admin.dinkes'], 'delegation.create', d)).toBe('ok');
    const disdikDelegation = delegation('position-disdik-kabid-sd', 'user-kasi-sd-disdik', 1);
    expect(await push(await srv.login('admin.disdik', 'desk-matrix-disdik-admin'), 'delegation.create', disdikDelegation)).toBe('ok');
    const userIdOf = (p: Person) => (p === 'superadmin' ? 'user-superadmin' : `user-${positionOf[p].replace('position-dinkes-', '')}-dinkes`);
    const onBehalf = (s: Session, letterId: string) => ({ ...signature(letterId).payload,
      authority: { signerUserId: userIdOf(personOf(s)), positionId: 'position-dinkes-penandatangan', mode: 'an', documentType: 'surat_dinas' }, signedAt: new Date().toISOString() });

    const newUser = (officeId: string, i: number) => ({ username: `baru.${officeId}.${i}`, fullName: 'Pegawai Baru', role: 'staff', officeId, password: 'Sandi-Awal-2026' });
    const operations: Record<string, (s: Session, i: number) => Promise<string>> = {
      'list own office users': (s) => outcome(srv.call('GET', '/admin/users?officeId=office-dinkes', { token: s.accessToken })),
      'list other office users': (s) => outcome(srv.call('GET', '/admin/users?officeId=office-disdik', { token: s.accessToken })),
      'create user in own office': (s, i) => outcome(srv.call('POST', '/admin/users', { token: s.accessToken, json: newUser('office-dinkes', i) })),
      'create user in other office': (s, i) => outcome(srv.call('POST', '/admin/users', { token: s.accessToken, json: newUser('office-disdik', i) })),
      'rename own office user': (s) => outcome(srv.call('PATCH', '/admin/users/user-staf-dinkes', { token: s.accessToken, json: { fullName: 'Dewi Lestari' } })),
      'rename other office user': (s) => outcome(srv.call('PATCH', '/admin/users/user-staf-disdik', { token: s.accessToken, json: { fullName: 'Dewi Lestari' } })),
      'reset other office password': (s) => outcome(srv.call('POST', '/admin/users/user-staf-disdik/password', { token: s.accessToken, json: { newPassword: 'Sandi-Baru-2026' } })),
      'lease agenda numbers': (s) => outcome(srv.call('POST', '/numbering/lease', { token: s.accessToken, json: { book: 'in', year: 2026, count: 1 } })),
      'register a letter': (s, i) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [letter(block.first + 1 + i)] } })),
      'send own office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.deliver', payload: { letterId: own.payload.letterId, toOfficeIds: ['office-setda'] } }] } })),
      'send other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.deliver', payload: { letterId: disdikLetter.payload.letterId, toOfficeIds: ['office-setda'] } }] } })),
      'mark own office letter for email or print': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [external(own.payload.letterId)] } })),
      'mark other office letter for email or print': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [external(disdikLetter.payload.letterId)] } })),
      'mark own office letter sent outside the system': (s) => markSent(s, ownExternal),
      'mark other office letter sent outside the system': (s) => markSent(s, disdikExternal),
      'dispose own office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'disposition.create', payload: disposition(own.payload.letterId, positionOf[personOf(s)], [belowOf[personOf(s)]]) }] } })),
      'dispose other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'disposition.create', payload: disposition(disdikLetter.payload.letterId, positionOf[personOf(s)], [belowOf[personOf(s)]]) }] } })),
      'dispose from a position one does not hold': (s) => push(s, 'disposition.create', disposition(own.payload.letterId, 'position-dinkes-penandatangan', ['position-dinkes-kabid-kesmas'])),
      'read a disposition to one\'s own position': async (s) => push(s, 'disposition.read', { dispositionId: await toMe(personOf(s)), positionId: positionOf[personOf(s)] }),
      'read a disposition to another position': async (s) => push(s, 'disposition.read', { dispositionId: await toMe('staf.dinkes'), positionId: 'position-dinkes-staf' }),
      'report a disposition to one\'s own position done': async (s) => push(s, 'disposition.report', { dispositionId: await toMe(personOf(s)), positionId: positionOf[personOf(s)], note: 'Selesai.', attachment: null }),
      'cancel the head\'s unread disposition': async (s) => push(s, 'disposition.cancel', { dispositionId: await toMe('staf.dinkes') }),
      'correct own office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.update', payload: { letterId: own.payload.letterId, changes: { summary: 'Koreksi' } } }] } })),
      'correct other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.update', payload: { letterId: disdikLetter.payload.letterId, changes: { summary: 'Koreksi' } } }] } })),
      'void other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.void', payload: { letterId: disdikLetter.payload.letterId, reason: 'Salah catat' } }] } })),
      'void own office letter': (s, i) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'letter.void', payload: { letterId: spare[i]!.payload.letterId, reason: 'Salah catat' } }] } })),
      'record a signature of own office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [signature(own.payload.letterId)] } })),
      'record a signature of other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [signature(disdikLetter.payload.letterId)] } })),
      'upgrade own office signature': (s, i) => upgrade(s, ownSignature, i),
      'upgrade other office signature': (s, i) => upgrade(s, disdikSignature, i),
      'save a new draft': (s) => pushDraft(s, draft(uuidv7(), 1)),
      'change a draft of a colleague (staf.dinkes)': (s, i) => pushDraft(s, draft(staffDraft.payload.draftId, 2 + i)),
      'change a draft of other office': (s, i) => pushDraft(s, draft(disdikDraft.payload.draftId, 2 + i)),
      'send own draft to the paraf chain': async (s) => {
        const d = draft(uuidv7(), 1);
        const saved = await pushDraft(s, d);
        if (saved !== 'ok') return saved;
        return push(s, 'draft.submit', { draftId: d.payload.draftId, version: 1, verifiers: ['position-dinkes-kabid-kesmas'], signerId: 'user-penandatangan-dinkes', classificationCode: null, submittedAt: '2026-03-02T09:05:00Z' });
      },
      'paraf a draft waiting for the Sekretaris': async (s) => decide(s, await sentToChain(drafter, ['position-dinkes-verifikator'], 'user-penandatangan-dinkes')),
      'paraf a draft of other office': async (s) => decide(s, await sentToChain(disdikDrafter, ['position-disdik-verifikator'], 'user-penandatangan-disdik')),
      'sign a fully initialled draft addressed to the head': async (s, i) => push(s, 'draft.sign', await signable(i)),
      'set the office\'s paraf restart policy': (s) => push(s, 'paraf.policy', { restart: 'from_start' }),
      'delegate a position of own office': (s, i) => push(s, 'delegation.create', delegation('position-dinkes-kabid-kesmas', 'user-kasi-kesmas-dinkes', 40 + 2 * i)),
      'delegate to a person of other office': (s, i) => push(s, 'delegation.create', delegation('position-dinkes-kabid-kesmas', 'user-staf-disdik', 60 + 2 * i)),
      'end a delegation of own office': (s, i) => push(s, 'delegation.end', { delegationId: ownDelegations[i]!.delegationId, reason: 'Kembali bertugas' }),
      'end a delegation of other office': (s) => push(s, 'delegation.end', { delegationId: disdikDelegation.delegationId, reason: 'Kembali bertugas' }),
      'mark strategic document types': (s) => push(s, 'delegation.strategic_types', { documentTypes: ['surat_perintah'] }),
      'sign a.n. the head of own office': (s) => push(s, 'signature.record', onBehalf(s, own.payload.letterId)),
      'upload a scan': (s, i) => outcome(srv.call('POST', '/blobs', { token: s.accessToken, json: { sha256: String(i).padStart(64, 'a'), size: 10 } })),
      'add a position to own office': (s, i) => outcome(srv.call('POST', '/admin/positions', { token: s.accessToken, json: newPosition('dinkes', i) })),
      'add a position to other office': (s, i) => outcome(srv.call('POST', '/admin/positions', { token: s.accessToken, json: newPosition('disdik', i) })),
      'rename own office position': (s) => outcome(srv.call('PATCH', '/admin/positions/position-dinkes-staf', { token: s.accessToken, json: { title: 'Pelaksana' } })),
      'move own office position under one of other office': (s) => outcome(srv.call('PATCH', '/admin/positions/position-dinkes-staf', { token: s.accessToken, json: { parentId: 'position-disdik-penandatangan' } })),
      'rename other office position': (s) => outcome(srv.call('PATCH', '/admin/positions/position-disdik-staf', { token: s.accessToken, json: { title: 'Pelaksana' } })),
      'assign the holder of own office position': (s) => outcome(srv.call('PUT', '/admin/positions/position-dinkes-staf/holder', { token: s.accessToken, json: { userId: 'user-staf-dinkes' } })),
      'assign other office person to own office position': (s) => outcome(srv.call('PUT', '/admin/positions/position-dinkes-staf/holder', { token: s.accessToken, json: { userId: 'user-staf-disdik' } })),
      'assign the holder of other office position': (s) => outcome(srv.call('PUT', '/admin/positions/position-disdik-staf/holder', { token: s.accessToken, json: { userId: 'user-staf-disdik' } })),
      'retire an own office position': async (s, i) => outcome(srv.call('POST', `/admin/positions/${await spareOf('dinkes', 100 + i)}/retire`, { token: s.accessToken, json: {} })),
      'retire an own office position with one below it': (s) => outcome(srv.call('POST', '/admin/positions/position-dinkes-kabid-kesmas/retire', { token: s.accessToken, json: {} })),
      'retire other office position': async (s, i) => outcome(srv.call('POST', `/admin/positions/${await spareOf('disdik', 200 + i)}/retire`, { token: s.accessToken, json: {} })),
      'set own office disposition routes': (s) => outcome(srv.call('PUT', '/admin/offices/office-dinkes/disposition-routes', { token: s.accessToken, json: { routes: ownRoutes } })),
      'set own office routes to other office positions': (s) => outcome(srv.call('PUT', '/admin/offices/office-dinkes/disposition-routes', { token: s.accessToken, json: {
        routes: [{ fromPositionId: 'position-dinkes-verifikator', toPositionId: 'position-disdik-staf' }] } })),
      'set other office disposition routes': (s) => outcome(srv.call('PUT', '/admin/offices/office-disdik/disposition-routes', { token: s.accessToken, json: { routes: disdikRoutes } })),
      'set own office disposition instructions': (s) => outcome(srv.call('PUT', '/admin/offices/office-dinkes/disposition-instructions', { token: s.accessToken, json: { instructions: shipped } })),
      'set other office disposition instructions': (s) => outcome(srv.call('PUT', '/admin/offices/office-disdik/disposition-instructions', { token: s.accessToken, json: { instructions: shipped } })),
      'read own office kop and templates': (s) => outcome(srv.call('GET', '/offices/office-dinkes/naskah', { token: s.accessToken })),
      'read other office kop and templates': (s) => outcome(srv.call('GET', '/offices/office-disdik/naskah', { token: s.accessToken })),
      'save own office kop and templates': (s) => outcome(srv.call('PUT', '/admin/offices/office-dinkes/naskah', { token: s.accessToken, json: naskah })),
      'save other office kop and templates': (s) => outcome(srv.call('PUT', '/admin/offices/office-disdik/naskah', { token: s.accessToken, json: naskah })),
    };

    const matrix: Record<string, Record<Person, string>> = {};
    for (const [name, run] of Object.entries(operations)) {
      matrix[name] = {} as Record<Person, string>;
      for (const [i, person] of people.entries()) matrix[name][person] = await run(sessions[person], i);
    }

    const row = (superadmin: string, admin: string, operatorUtama: string, verifier: string, signer: string, staff: string) =>
      ({ superadmin, 'admin.dinkes': admin, 'operator.dinkes': operatorUtama, 'verifikator.dinkes': verifier, 'penandatangan.dinkes': signer, 'staf.dinkes': staff });
    const F = 'FORBIDDEN';
    expect(matrix).toEqual({
      'list own office users': row('ok', 'ok', F, F, F, F),
      'list other office users': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'create user in own office': row('ok', 'ok', F, F, F, F),
      'create user in other office': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'rename own office user': row('ok', 'ok', F, F, F, F),
      'rename other office user': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'reset other office password': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'lease agenda numbers': row(F, 'ok', 'ok', F, F, F),
      'register a letter': row(F, 'ok', 'ok', F, F, F),
      'send own office letter': row(F, 'ok', 'ok', F, 'ok', F),
      'send other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, 'LETTER_NOT_FOUND', F),
      'mark own office letter for email or print': row(F, 'ok', 'ok', F, 'ok', F),
      'mark other office letter for email or print': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, 'LETTER_NOT_FOUND', F),
      'mark own office letter sent outside the system': row(F, 'ok', 'ok', F, 'ok', F),
      'mark other office letter sent outside the system': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, 'LETTER_NOT_FOUND', F),
      'dispose own office letter': row(F, 'DISPOSITION_ROUTE_REFUSED', 'DISPOSITION_ROUTE_REFUSED', 'ok', 'ok', 'DISPOSITION_ROUTE_REFUSED'),
      'dispose from a position one does not hold': row(F, 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'ok', 'POSITION_NOT_HELD'),
      'read a disposition to one\'s own position': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
      'read a disposition to another position': row(F, 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'ok'),
      'report a disposition to one\'s own position done': row(F, 'ok', 'ok', 'ok', 'DISPOSITION_NOT_RECIPIENT', 'ok'),
      'cancel the head\'s unread disposition': row(F, 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'POSITION_NOT_HELD', 'ok', 'POSITION_NOT_HELD'),
      'dispose other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND'),
      'correct own office letter': row(F, 'ok', 'ok', F, F, F),
      'correct other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, F, F),
      'void other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, F, F),
      'void own office letter': row(F, 'ok', 'ok', F, F, F),
      'record a signature of own office letter': row(F, 'ok', 'ok', F, 'ok', F),
      'record a signature of other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, 'LETTER_NOT_FOUND', F),
      'upgrade own office signature': row(F, 'ok', 'ok', F, 'ok', F),
      'upgrade other office signature': row(F, 'SIGNATURE_NOT_FOUND', 'SIGNATURE_NOT_FOUND', F, 'SIGNATURE_NOT_FOUND', F),
      'save a new draft': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
      'change a draft of a colleague (staf.dinkes)': row(F, 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'ok'),
      'change a draft of other office': row(F, 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS', 'DRAFT_NOT_YOURS'),
      'send own draft to the paraf chain': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
      'paraf a draft waiting for the Sekretaris': row(F, 'PARAF_NOT_YOUR_TURN', 'PARAF_NOT_YOUR_TURN', 'ok', 'PARAF_NOT_YOUR_TURN', 'PARAF_NOT_YOUR_TURN'),
      'paraf a draft of other office': row(F, 'DRAFT_NOT_FOUND', 'DRAFT_NOT_FOUND', 'DRAFT_NOT_FOUND', 'DRAFT_NOT_FOUND', 'DRAFT_NOT_FOUND'),
      'sign a fully initialled draft addressed to the head': row(F, 'SIGNER_NOT_AUTHORIZED', 'SIGNER_NOT_AUTHORIZED', 'SIGNER_NOT_AUTHORIZED', 'ok', 'SIGNER_NOT_AUTHORIZED'),
      'set the office\'s paraf restart policy': row(F, 'ok', F, F, F, F),
      'delegate a position of own office': row(F, 'ok', F, F, F, F),
      'delegate to a person of other office': row(F, 'DELEGATE_OTHER_OFFICE', F, F, F, F),
      'end a delegation of own office': row(F, 'ok', F, F, F, F),
      'end a delegation of other office': row(F, 'DELEGATION_NOT_FOUND', F, F, F, F),
      'mark strategic document types': row(F, 'ok', F, F, F, F),
      'sign a.n. the head of own office': row(F, 'SIGNING_NOT_AUTHORIZED', 'SIGNING_NOT_AUTHORIZED', 'ok', 'SIGNING_NOT_AUTHORIZED', 'SIGNING_NOT_AUTHORIZED'),
      'upload a scan': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
      'add a position to own office': row('ok', 'ok', F, F, F, F),
      'add a position to other office': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'rename own office position': row('ok', 'ok', F, F, F, F),
      'move own office position under one of other office': row('VALIDATION', 'VALIDATION', F, F, F, F),
      'rename other office position': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'assign the holder of own office position': row('ok', 'ok', F, F, F, F),
      'assign other office person to own office position': row('VALIDATION', 'VALIDATION', F, F, F, F),
      'assign the holder of other office position': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'retire an own office position': row('ok', 'ok', F, F, F, F),
      'retire an own office position with one below it': row('POSITION_HAS_SUBORDINATES', 'POSITION_HAS_SUBORDINATES', F, F, F, F),
      'retire other office position': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'set own office disposition routes': row('ok', 'ok', F, F, F, F),
      'set own office routes to other office positions': row('VALIDATION', 'VALIDATION', F, F, F, F),
      'set other office disposition routes': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'set own office disposition instructions': row('ok', 'ok', F, F, F, F),
      'set other office disposition instructions': row('ok', 'FORBIDDEN_OFFICE', F, F, F, F),
      'read own office kop and templates': row('FORBIDDEN_OFFICE', 'ok', 'ok', 'ok', 'ok', 'ok'),
      'read other office kop and templates': row('FORBIDDEN_OFFICE', 'FORBIDDEN_OFFICE', 'FORBIDDEN_OFFICE', 'FORBIDDEN_OFFICE', 'FORBIDDEN_OFFICE', 'FORBIDDEN_OFFICE'),
      'save own office kop and templates': row(F, 'ok', F, F, F, F),
      'save other office kop and templates': row(F, 'FORBIDDEN_OFFICE', F, F, F, F),
    });
  });

  it('no documented endpoint but health and sign-in answers without a valid access token', async () => {
    const doc = (await srv.call('GET', '/openapi.json')).json as { paths: Record<string, Record<string, { security?: unknown }>> };
    const sha = 'a'.repeat(64);
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security) continue;
        const url = path.replace('{id}', 'user-staf-dinkes').replace('{sha256}', sha);
        for (const token of [undefined, 'bukan.token.sah']) {
          const reply = await srv.call(method.toUpperCase(), url, { json: method === 'get' || method === 'head' ? undefined : {}, ...(token ? { token } : {}) });
          expect(reply.status, `${method} ${url}`).toBe(401);
        }
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(14);
  });
});
