// Addressees outside the system on the server: a letter's sending office marks a company (by email)
// and a citizen (on paper); every desk of that office pulls the same to-do, no other office sees a
// trace of it; one is marked sent by a colleague, marking it again changes nothing, a replayed push is
// a duplicate; a bad email, an empty send, a role that may not send and another office's letter are
// refused with their codes, before anything is written.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { Change } from '../../common/protocol/index.ts';
import type { MutationResult, PullReply } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const year = 2026;

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let clerk: Session;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 10 } } });
    clerk = await srv.login('operator.dinkes', 'desk-dinkes-31');
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  const push = async (session: Session, mutations: unknown[]) => {
    const reply = await srv.call('POST', '/sync/push', { token: session.accessToken, json: { mutations } });
    expect(reply.status, reply.body.toString()).toBe(200);
    return (reply.json as { results: MutationResult[] }).results;
  };
  const pullAll = async (session: Session) => {
    const changes: Change[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await srv.call('GET', `/sync/pull?cursor=${cursor}&limit=500`, { token: session.accessToken })).json as PullReply;
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return changes;
    }
  };
  /** An outgoing letter of `session`'s office, registered with a number leased to it. */
  async function outgoingLetter(session: Session) {
    const lease = (await srv.call('POST', '/numbering/lease', { token: session.accessToken, json: { book: 'out', year, count: 1 } })).json as { first: number };
    const letterId = uuidv7();
    const [result] = await push(session, [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId, direction: 'out', year, agendaNumber: lease.first, receivedAt: null, letterNumber: `${lease.first}/UMUM/2026`, letterDate: '2026-11-23',
      sender: 'Dinas Kesehatan', addressee: 'Yth. para undangan', subject: 'Undangan rapat koordinasi', summary: '', urgency: 'biasa', security: 'biasa', classification: '', attachments: [],
    } }]);
    expect(result!.status).toBe('applied');
    return letterId;
  }
  const deliver = (letterId: string, external: unknown[], toOfficeIds: string[] = []) => ({ id: uuidv7(), kind: 'letter.deliver', payload: { letterId, toOfficeIds, external } });
  const externalRows = (changes: Change[], letterId: string) => changes.filter((c) => c.entity === 'external_delivery' && (c.data as { letterId: string }).letterId === letterId);

  it('every desk of the sending office sees the same to-do, marked sent once; no other office sees it', async () => {
    const letterId = await outgoingLetter(clerk);
    const company = { id: uuidv7(), name: 'PT Sehat Sentosa', channel: 'email', email: 'sekretariat@sehat-sentosa.co.id' };
    const citizen = { id: uuidv7(), name: 'Bapak Sutrisno, Jl. Melati 4', channel: 'print' };
    const send = deliver(letterId, [company, citizen], ['office-disdik']);
    expect(await push(clerk, [send])).toEqual([{ id: send.id, status: 'applied' }]);

    const colleague = await srv.login('admin.dinkes', 'desk-dinkes-32');
    const seen = externalRows(await pullAll(colleague), letterId);
    expect(seen.map((c) => c.data)).toEqual([
      { id: company.id, letterId, position: 0, name: company.name, channel: 'email', email: company.email, markedBy: 'user-operator-dinkes', markedAt: expect.any(String), sentAt: null, sentBy: null },
      { id: citizen.id, letterId, position: 1, name: citizen.name, channel: 'print', email: null, markedBy: 'user-operator-dinkes', markedAt: expect.any(String), sentAt: null, sentBy: null },
    ]);
    // Dinas Pendidikan gets the letter, but nothing of who else it went to outside the system.
    const disdik = await srv.login('operator.disdik', 'desk-disdik-33');
    const disdikFeed = await pullAll(disdik);
    expect(disdikFeed.some((c) => c.entity === 'delivery' && c.entityId === letterId)).toBe(true);
    expect(JSON.stringify(disdikFeed)).not.toMatch(/Sehat Sentosa|Sutrisno/);
    expect(externalRows(disdikFeed, letterId)).toEqual([]);

    const marked = { id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId, externalId: company.id } };
    expect(await push(colleague, [marked])).toEqual([{ id: marked.id, status: 'applied' }]);
    expect(await push(colleague, [marked])).toEqual([{ id: marked.id, status: 'duplicate' }]);
    // Marked again by another desk (both did it offline): applied, and the first mark stays.
    const again = { id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId, externalId: company.id } };
    expect(await push(clerk, [again])).toEqual([{ id: again.id, status: 'applied' }]);
    const after = externalRows(await pullAll(clerk), letterId).filter((c) => c.entityId === company.id);
    expect(after.map((c) => (c.data as { sentBy: string | null }).sentBy)).toEqual([null, 'user-admin-dinkes']);
    const row = await srv.server.db.selectFrom('external_deliveries').select(['sent_by', 'sent_at']).where('id', '=', company.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ sent_by: 'user-admin-dinkes', sent_at: expect.any(String) });
    expect(externalRows(await pullAll(disdik), letterId)).toEqual([]);
  });

  it('refuses a bad email, an empty send, a role that may not send and another office\'s letter, writing nothing', async () => {
    const letterId = await outgoingLetter(clerk);
    const count = async () => Number((await srv.server.db.selectFrom('external_deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const badEmail = deliver(letterId, [{ id: uuidv7(), name: 'PT Contoh', channel: 'email', email: 'bukan-email' }]);
    const noEmail = deliver(letterId, [{ id: uuidv7(), name: 'PT Contoh', channel: 'email' }]);
    const nameless = deliver(letterId, [{ id: uuidv7(), name: '  ', channel: 'print' }]);
    const empty = deliver(letterId, []);
    for (const m of [badEmail, noEmail, nameless, empty]) expect((await push(clerk, [m]))[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });

    const staff = await srv.login('staf.dinkes', 'desk-dinkes-34');
    expect((await push(staff, [deliver(letterId, [{ id: uuidv7(), name: 'PT Contoh', channel: 'print' }])]))[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    const setda = await srv.login('operator.setda', 'desk-setda-35');
    expect((await push(setda, [deliver(letterId, [{ id: uuidv7(), name: 'PT Contoh', channel: 'print' }])]))[0]).toMatchObject({ status: 'rejected', code: 'LETTER_NOT_FOUND' });
    expect(await count()).toBe(before);

    const unknown = { id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId, externalId: uuidv7() } };
    expect((await push(clerk, [unknown]))[0]).toMatchObject({ status: 'rejected', code: 'EXTERNAL_NOT_FOUND' });
    const print = { id: uuidv7(), name: 'Ibu Rahmawati', channel: 'print' };
    expect((await push(clerk, [deliver(letterId, [print])]))[0]!.status).toBe('applied');
    for (const [session, code] of [[staff, 'FORBIDDEN'], [setda, 'LETTER_NOT_FOUND']] as const) {
      expect((await push(session, [{ id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId, externalId: print.id } }]))[0]).toMatchObject({ status: 'rejected', code });
    }
  });
});
