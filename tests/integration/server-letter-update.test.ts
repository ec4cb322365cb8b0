// Corrections to a registered letter (letter.update) and voids (letter.void): the office that
// registered it may correct its fields or void it with a reason, and either reaches the office's
// feed; staff and other offices are refused with a reason; an empty or malformed correction is
// refused and changes nothing; a void letter keeps its number and takes no more corrections.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import type { MutationResult, PullReply } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let clerk: Session;
  let letterId: string;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    clerk = await srv.login('operator.dinkes', 'desk-update-01');
    const lease = (await srv.call('POST', '/numbering/lease', { token: clerk.accessToken, json: { book: 'in', year: 2026, count: 1 } })).json as { first: number };
    letterId = uuidv7();
    const [result] = await push(clerk, [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: '2026-03-02T09:00:00+07:00', letterNumber: '800/1/PKM/2026',
      letterDate: '2026-02-27', sender: 'Puskesmas Utara', addressee: '', subject: 'Permohonan vaksin', summary: '', urgency: 'biasa', security: 'biasa',
      classification: '440', attachments: [],
    } }]);
    expect(result!.status).toBe('applied');
  });
  afterAll(async () => { await srv?.close(); databases.stop(); });

  async function push(session: Session, mutations: unknown[]): Promise<MutationResult[]> {
    const reply = await srv.call('POST', '/sync/push', { token: session.accessToken, json: { mutations } });
    expect(reply.status, reply.body.toString()).toBe(200);
    return (reply.json as { results: MutationResult[] }).results;
  }
  const update = (changes: Record<string, unknown>, id = letterId) => ({ id: uuidv7(), kind: 'letter.update', payload: { letterId: id, changes } });

  it('the registering office corrects a letter; the correction is in its feed and applied once', async () => {
    const mutation = update({ letterNumber: '800/1a/PKM/2026', subject: 'Permohonan tambahan vaksin' });
    expect((await push(clerk, [mutation]))[0]!.status).toBe('applied');
    expect((await push(clerk, [mutation]))[0]!.status).toBe('duplicate');
    const row = await srv.server.db.selectFrom('letters').select(['letter_number', 'subject', 'sender']).where('id', '=', letterId).executeTakeFirstOrThrow();
    expect(row).toEqual({ letter_number: '800/1a/PKM/2026', subject: 'Permohonan tambahan vaksin', sender: 'Puskesmas Utara' });
    const feed = (await srv.call('GET', '/sync/pull?cursor=0', { token: clerk.accessToken })).json as PullReply;
    expect(feed.changes.filter((c) => c.entityId === letterId).at(-1)!.data).toMatchObject({ letterNumber: '800/1a/PKM/2026', subject: 'Permohonan tambahan vaksin' });
  });

  it('staff, another office, an unknown letter and an empty or malformed correction are refused with a reason', async () => {
    const staff = await srv.login('staf.dinkes', 'desk-update-02');
    const other = await srv.login('operator.setda', 'desk-update-03');
    expect((await push(staff, [update({ subject: 'x' })]))[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    expect((await push(other, [update({ subject: 'x' })]))[0]).toMatchObject({ status: 'rejected', code: 'LETTER_NOT_FOUND' });
    expect((await push(clerk, [update({ subject: 'x' }, uuidv7())]))[0]).toMatchObject({ status: 'rejected', code: 'LETTER_NOT_FOUND' });
    expect((await push(clerk, [update({})]))[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect((await push(clerk, [update({ agendaNumber: 999 })]))[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect((await push(clerk, [update({ attachments: ['f'.repeat(64)] })]))[0]).toMatchObject({ status: 'rejected', code: 'BLOB_MISSING' });
    const row = await srv.server.db.selectFrom('letters').select(['subject']).where('id', '=', letterId).executeTakeFirstOrThrow();
    expect(row.subject).toBe('Permohonan tambahan vaksin');
  });

  it('the registering office voids a letter with a reason: the row and its number stay, the feed says void, no correction follows', async () => {
    const lease = (await srv.call('POST', '/numbering/lease', { token: clerk.accessToken, json: { book: 'in', year: 2026, count: 1 } })).json as { first: number };
    const voidId = uuidv7();
    const [registered] = await push(clerk, [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId: voidId, direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: '2026-03-03T09:00:00+07:00', letterNumber: '800/2/PKM/2026',
      letterDate: '2026-02-28', sender: 'Puskesmas Utara', addressee: '', subject: 'Tercatat ganda', summary: '', urgency: 'biasa', security: 'biasa',
      classification: '440', attachments: [],
    } }]);
    expect(registered!.status).toBe('applied');
    const voiding = { id: uuidv7(), kind: 'letter.void', payload: { letterId: voidId, reason: 'Tercatat ganda dengan agenda sebelumnya' } };
    const staff = await srv.login('staf.dinkes', 'desk-update-04');
    const other = await srv.login('operator.setda', 'desk-update-05');
    expect((await push(staff, [{ ...voiding, id: uuidv7() }]))[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    expect((await push(other, [{ ...voiding, id: uuidv7() }]))[0]).toMatchObject({ status: 'rejected', code: 'LETTER_NOT_FOUND' });
    expect((await push(clerk, [{ ...voiding, id: uuidv7(), payload: { letterId: voidId, reason: '' } }]))[0]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect((await push(clerk, [voiding]))[0]!.status).toBe('applied');
    expect((await push(clerk, [voiding]))[0]!.status).toBe('duplicate');
    const row = await srv.server.db.selectFrom('letters').select(['agenda_number', 'subject', 'void_reason']).where('id', '=', voidId).executeTakeFirstOrThrow();
    expect(row).toEqual({ agenda_number: lease.first, subject: 'Tercatat ganda', void_reason: 'Tercatat ganda dengan agenda sebelumnya' });
    const feed = (await srv.call('GET', '/sync/pull?cursor=0', { token: clerk.accessToken })).json as PullReply;
    expect(feed.changes.filter((c) => c.entityId === voidId).at(-1)!.data).toMatchObject({ voidReason: 'Tercatat ganda dengan agenda sebelumnya', voidedAt: expect.any(String) });
    expect((await push(clerk, [update({ subject: 'x' }, voidId)]))[0]).toMatchObject({ status: 'rejected', code: 'LETTER_VOIDED' });
    // The void number is not free again: another letter on it is refused.
    const [reuse] = await push(clerk, [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId: uuidv7(), direction: 'in', year: 2026, agendaNumber: lease.first, receivedAt: null, letterNumber: '800/3/PKM/2026',
      letterDate: '2026-02-28', sender: 'Puskesmas Utara', addressee: '', subject: 'Lain', summary: '', urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    } }]);
    expect(reuse).toMatchObject({ status: 'rejected', code: 'AGENDA_NUMBER_TAKEN' });
  });
});
