// Whatever a desk may push, the change feed the server writes for it is what desks can read. Mutations
// are generated here independently of the protocol's schemas (text with Unicode, stray whitespace and
// the odd NUL, at and past the length limits, dates with offsets, addressees with odd e-mail addresses); each is
// pushed to the real server and the feed pulled back through the desk's own client, which reads every
// answer through its schema. The server's verdict agrees with the protocol's schema (accepted →
// applied, refused by the schema → rejected VALIDATION), every feed row parses, and it carries what
// was sent (trimmed as the protocol trims).
import { randomBytes, createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { uuidv7 } from '../../common/ids.ts';
import { LoginReply } from '../../common/protocol/auth.ts';
import { LetterDeliver } from '../../common/protocol/delivery.ts';
import { DispositionCreate } from '../../common/protocol/disposition.ts';
import { Change, Mutation } from '../../common/protocol/index.ts';
import { LeaseReply } from '../../common/protocol/numbering.ts';
import { OrgReply } from '../../common/protocol/org.ts';
import { PullReply, PushReply } from '../../common/protocol/sync.ts';
import { uploadBlob } from '../../main/remote/blob-upload.ts';
import { createServerClient, type ServerClient } from '../../main/remote/client.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

/** Whitespace a person (or a paste) leaves around text; rarely a NUL, as text extracted from a PDF may carry. */
const pad = fc.oneof({ weight: 60, arbitrary: fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', ' \u3000') }, { weight: 1, arbitrary: fc.constant('\u0000') });
/** Text of `min` to `max` characters of any script, with stray whitespace around it; sometimes past the limit. */
const text = (min: number, max: number) =>
  fc.tuple(pad, fc.oneof({ weight: 30, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: max + 1, maxLength: max + 3 }) }), pad)
    .map(([a, b, c]) => a + b + c);
const two = (n: number) => String(n).padStart(2, '0');
const isoDate = fc.tuple(fc.integer({ min: 1995, max: 2105 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => `${y}-${two(m)}-${two(d)}`);
const isoDateTime = fc.tuple(isoDate, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('', '.5', '.123'), fc.constantFrom('Z', '+07:00', '+08:00', '-03:30', '+14:00'))
  .map(([d, h, m, frac, offset]) => `${d}T${two(h)}:${two(m)}:00${frac}${offset}`);
const sifat = { urgency: fc.constantFrom('biasa', 'segera', 'sangat_segera'), security: fc.constantFrom('biasa', 'terbatas', 'rahasia') };
const email = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.constantFrom('go.id', 'co.id', 'com', 'id'))
    .map(([local, host, tld]) => `${local}@${host}.${tld}`),
  fc.emailAddress(),
);

/** One scenario: a letter registered, perhaps corrected, disposed, sent to another office and to people outside the system. */
const scenario = fc.record({
  direction: fc.constantFrom('in', 'out'),
  letter: fc.record({
    receivedAt: fc.option(isoDateTime, { nil: null }), letterNumber: text(1, 200), letterDate: isoDate, sender: text(1, 500), addressee: text(0, 500),
    subject: text(1, 1000), summary: text(0, 5000), classification: text(0, 50), ...sifat, withScan: fc.boolean(),
  }),
  update: fc.option(fc.record({ subject: text(1, 1000), summary: text(0, 5000), letterDate: isoDate, ...sifat }, { requiredKeys: [] }), { nil: undefined }),
  disposition: fc.option(fc.record({
    instructions: fc.array(text(1, 100), { maxLength: 3 }), note: text(0, 2000), dueDate: fc.option(isoDate, { nil: null }), toStaff: fc.boolean(), urgency: sifat.urgency,
  }), { nil: undefined }),
  deliver: fc.option(fc.record({
    toOther: fc.boolean(),
    external: fc.array(fc.record({ name: text(1, 200), channel: fc.constantFrom('email', 'print'), email: fc.option(email, { nil: undefined }) }), { maxLength: 3 }),
    markFirstSent: fc.boolean(),
  }), { nil: undefined }),
});

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let client: ServerClient;
  let token: string;
  let receiverToken: string;
  let headToken: string;
  let scan: string;
  const next = { in: 0, out: 0 };
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 1000 } } });
    client = createServerClient({ url: srv.url, caFile: tls.trusted.caCert });
    const login = (username: string, device: string) => client.json('POST', '/auth/login', LoginReply, { json: { username, password: demoPassword, deviceId: device, deviceName: 'Meja uji umpan' } });
    token = (await login('admin.dinkes', 'meja-umpan-dinkes')).accessToken;
    receiverToken = (await login('admin.disdik', 'meja-umpan-disdik')).accessToken;
    headToken = (await login('penandatangan.dinkes', 'meja-umpan-kepala')).accessToken;
    for (const book of ['in', 'out'] as const) next[book] = (await client.json('POST', '/numbering/lease', LeaseReply, { token, json: { book, year: 2026 } })).first;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
    scan = createHash('sha256').update(bytes).digest('hex');
    await uploadBlob({ client, token, sha256: scan, bytes });
  });
  afterAll(async () => {
    client?.close();
    await srv?.close();
    databases.stop();
  });

  /** Pulls the whole feed after `cursor` through the desk's client (every answer read through its schema) and checks each raw row too. */
  async function pullAll(as: string, cursor: number): Promise<{ changes: Change[]; cursor: number }> {
    const raw = await client.raw('GET', `/sync/pull?cursor=${cursor}&limit=1000`, { token: as });
    for (const row of (JSON.parse(raw.body.toString('utf8')) as { changes: unknown[] }).changes) {
      const parsed = Change.safeParse(row);
      expect(parsed.success ? 'parses' : JSON.stringify({ row, issues: parsed.error.issues })).toBe('parses');
    }
    const page = await client.json('GET', `/sync/pull?cursor=${cursor}&limit=1000`, PullReply, { token: as });
    expect(page.hasMore).toBe(false);
    return page;
  }

  it('every feed row the server writes for any mutation a desk may push parses on the desk and carries what was sent', async () => {
    const org = await client.json('GET', '/org', OrgReply, { token });
    expect(org.offices.map((o) => o.id)).toContain('office-disdik');
    let cursor = (await pullAll(token, 0)).cursor;
    let receiverCursor = (await pullAll(receiverToken, 0)).cursor;
    let accepted = 0;

    await fc.assert(fc.asyncProperty(scenario, async (s) => {
      const letterId = uuidv7();
      const mutations: unknown[] = [];
      const { withScan, ...fields } = s.letter;
      // Each run takes a fresh number, whatever becomes of it (a run that fails and its shrinking go on from the next).
      const register = { letterId, direction: s.direction, year: 2026, agendaNumber: next[s.direction]++, ...fields, attachments: withScan ? [scan] : [] };
      mutations.push({ id: uuidv7(), kind: 'letter.register', payload: register });
      if (s.update) mutations.push({ id: uuidv7(), kind: 'letter.update', payload: { letterId, changes: s.update } });
      const external = s.deliver?.external.map((a) => ({ id: uuidv7(), ...a })) ?? [];
      if (s.deliver) {
        mutations.push({ id: uuidv7(), kind: 'letter.deliver', payload: { letterId, toOfficeIds: s.deliver.toOther ? ['office-disdik'] : [], external } });
        if (s.deliver.markFirstSent && external[0]) mutations.push({ id: uuidv7(), kind: 'delivery.external_sent', payload: { letterId, externalId: external[0].id } });
      }

      const reply = await client.json('POST', '/sync/push', PushReply, { token, json: { mutations } });
      expect(reply.results.map((r) => r.id)).toEqual(mutations.map((m) => (m as { id: string }).id));
      const verdicts = mutations.map((m) => Mutation.safeParse(m));
      const sent = verdicts[0]!.data;
      const registered = sent?.kind === 'letter.register';
      const deliverApplied = verdicts.some((v) => v.data?.kind === 'letter.deliver');
      reply.results.forEach((result, i) => {
        const verdict = verdicts[i]!;
        // The schema's verdict is the server's: what it refuses is VALIDATION; what it accepts is applied
        // once what it refers to is there (its letter registered, the addressee it marks sent added).
        if (!verdict.success) expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
        else if (!registered && verdict.data.kind !== 'letter.register') expect(result).toMatchObject({ status: 'rejected', code: 'LETTER_NOT_FOUND' });
        else if (verdict.data.kind === 'delivery.external_sent' && !deliverApplied) expect(result).toMatchObject({ status: 'rejected', code: 'EXTERNAL_NOT_FOUND' });
        else expect(result).toEqual({ id: result.id, status: 'applied' });
      });

      const page = await pullAll(token, cursor);
      cursor = page.cursor;
      const received = await pullAll(receiverToken, receiverCursor);
      receiverCursor = received.cursor;
      if (!registered) {
        expect(page.changes.filter((c) => c.entityId === letterId)).toEqual([]);
        return;
      }
      accepted++;
      const rows = page.changes.filter((c) => c.entity === 'letter' && c.entityId === letterId);
      const last = rows.at(-1);
      if (last?.entity !== 'letter') throw new Error('the registered letter is missing from its office\'s feed');
      const update = verdicts[1]?.data;
      const corrected = update?.kind === 'letter.update' ? update.payload.changes : {};
      expect(last.data).toMatchObject({
        id: letterId, officeId: 'office-dinkes', direction: s.direction, agendaNumber: sent.payload.agendaNumber, receivedAt: sent.payload.receivedAt,
        letterNumber: sent.payload.letterNumber, sender: sent.payload.sender, classification: sent.payload.classification, attachments: sent.payload.attachments,
        subject: sent.payload.subject, summary: sent.payload.summary, urgency: sent.payload.urgency, security: sent.payload.security, letterDate: sent.payload.letterDate,
        ...corrected,
      });
      if (s.disposition) {
        // The head of the office disposes the registered letter: what the schema accepts is applied and reaches the office's feed as sent.
        const { toStaff, ...fields } = s.disposition;
        const dispose = { id: uuidv7(), kind: 'disposition.create', payload: {
          dispositionId: uuidv7(), letterId, parentId: null, fromPositionId: 'position-dinkes-penandatangan',
          to: toStaff ? ['position-dinkes-staf', 'position-dinkes-kabid-kesmas'] : ['position-dinkes-verifikator'], cc: [], ...fields,
        } };
        const verdict = Mutation.safeParse(dispose);
        const [result] = (await client.json('POST', '/sync/push', PushReply, { token: headToken, json: { mutations: [dispose] } })).results;
        if (!verdict.success) expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
        else {
          expect(result).toEqual({ id: dispose.id, status: 'applied' });
          const sent = verdict.data.kind === 'disposition.create' ? verdict.data.payload : undefined;
          const after = await pullAll(token, cursor);
          cursor = after.cursor;
          expect(after.changes.find((c) => c.entity === 'disposition' && c.entityId === dispose.payload.dispositionId)?.data).toMatchObject({
            letterId, instructions: sent?.instructions, note: sent?.note, dueDate: sent?.dueDate, urgency: sent?.urgency, cancelledAt: null,
          });
        }
      }
      const delivered = received.changes.filter((c) => c.entity === 'delivery' && c.entityId === letterId);
      expect(delivered).toHaveLength(deliverApplied && s.deliver?.toOther ? 1 : 0);
      const externalRows = page.changes.filter((c) => c.entity === 'external_delivery' && external.some((a) => a.id === c.entityId));
      expect(new Set(externalRows.map((c) => c.entityId)).size).toBe(deliverApplied ? external.length : 0);
    }), { numRuns: 50 });
    // The generators are not allowed to have produced only refusals.
    expect(accepted).toBeGreaterThan(10);
  });

  it('the generators reach both sides of the protocol\'s limits (else the property above proves little)', () => {
    const samples = fc.sample(scenario, 200);
    const deliverable = samples.filter((s) => s.deliver && s.deliver.external.length > 0);
    const verdicts = deliverable.map((s) => LetterDeliver.safeParse({ letterId: uuidv7(), toOfficeIds: ['office-disdik'], external: s.deliver!.external.map((a) => ({ id: uuidv7(), ...a })) }).success);
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
    const dispositions = samples.filter((s) => s.disposition).map(({ disposition: { toStaff, ...fields } = {} as never }) => DispositionCreate.safeParse({
      dispositionId: uuidv7(), letterId: uuidv7(), parentId: null, fromPositionId: 'p', to: [toStaff ? 's' : 'v'], cc: [], ...fields }).success);
    expect(dispositions).toContain(true);
    expect(dispositions).toContain(false);
  });
});
