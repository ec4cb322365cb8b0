// Who may do what on the central server: every role against every protected endpoint, in their own
// office and in another one, written down as one table so a change of policy is a visible change here.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

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
        { id: uuidv7(), kind: 'disposition.create', payload: { dispositionId: uuidv7(), letterId: own.payload.letterId, recipientUserIds: ['user-staf-dinkes'], instruction: 'Proses.', dueDate: null } }] } })),
      'dispose other office letter': (s) => outcome(srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [
        { id: uuidv7(), kind: 'disposition.create', payload: { dispositionId: uuidv7(), letterId: disdikLetter.payload.letterId, recipientUserIds: ['user-staf-dinkes'], instruction: 'Proses.', dueDate: null } }] } })),
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
      'upload a scan': (s, i) => outcome(srv.call('POST', '/blobs', { token: s.accessToken, json: { sha256: String(i).padStart(64, 'a'), size: 10 } })),
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
      'dispose own office letter': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
      'dispose other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND'),
      'correct own office letter': row(F, 'ok', 'ok', F, F, F),
      'correct other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, F, F),
      'void other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, F, F),
      'void own office letter': row(F, 'ok', 'ok', F, F, F),
      'record a signature of own office letter': row(F, 'ok', 'ok', F, 'ok', F),
      'record a signature of other office letter': row(F, 'LETTER_NOT_FOUND', 'LETTER_NOT_FOUND', F, 'LETTER_NOT_FOUND', F),
      'upgrade own office signature': row(F, 'ok', 'ok', F, 'ok', F),
      'upgrade other office signature': row(F, 'SIGNATURE_NOT_FOUND', 'SIGNATURE_NOT_FOUND', F, 'SIGNATURE_NOT_FOUND', F),
      'upload a scan': row(F, 'ok', 'ok', 'ok', 'ok', 'ok'),
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
