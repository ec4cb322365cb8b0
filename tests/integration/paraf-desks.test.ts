// The paraf chain at three kinds of desk through the real server (SQLite and PostgreSQL): a staff
// member drafts a nota dinas and sends it to the Kepala Seksi, then the Sekretaris, with the head as
// signer (chosen from the officials kept on the desk). The Kepala Seksi approves at a desk that cannot
// reach the server; once it is back the Sekretaris sees it in her to-do, edits one word and returns it
// with notes; the drafter sees the notes and her edit, revises, compares versions and sends it again;
// both approve; the head's desk makes the letter from the last version, it waits in Tanda Tangan, the
// head signs it with a SoftHSM token: the letter takes the outgoing number, printed in it, and the
// chain hears it was signed. pdfsig accepts the signature.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger, createLogger } from '../../common/logger.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { draftingHandlers, draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { signingOfficials } from '../../main/letters/outgoing/officials.ts';
import { lettersReadyToSign } from '../../main/letters/outgoing/import.ts';
import { outgoingNumbers } from '../../main/letters/outgoing/outgoing.ts';
import { parafHandlers } from '../../main/letters/paraf/paraf.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { signBatch } from '../../main/sign/batch.ts';
import { sampleDraft } from '../support/drafts.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };
const P = (key: string) => `position-dinkes-${key}`;
const nota = shippedTemplates().find((t) => t.type === 'nota_dinas')!;

let tls: TestTls;
let token: TestToken;
let tokenSession: TokenSession;
let spool: string;
beforeAll(() => {
  tls = createTestTls();
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  tokenSession = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  spool = mkdtempSync(join(tmpdir(), 'loket-paraf-spool-'));
});
afterAll(() => {
  tokenSession?.close?.();
  for (const dir of [tls.dir, token.dir, spool]) rmSync(dir, { recursive: true, force: true });
});

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const desks: TestDesk[] = [];
  beforeAll(async () => { srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 100 } } }); });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
  });

  /** A desk signed in as `username` with its Konsep and paraf handlers, wired as core.ts wires them. */
  async function desk(username: string) {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    seedClassifications(d.store);
    await d.sync.auth.login(username, demoPassword);
    const user = () => d.sync.session.user();
    const actor = () => user()?.id ?? 'desk';
    const transfers = createTransfers(join(spool, username), createLogger({ level: 'error' }));
    let reachable = true;
    const officials = signingOfficials({
      store: d.store, log: collectingLogger(),
      server: { url: () => d.sync.serverUrl(), client: d.sync.client, online: () => reachable, accessToken: () => d.sync.auth.accessToken(), user },
    });
    const at = () => new Date().toISOString();
    const konsep = draftingHandlers({
      store: d.store, blobs: d.blobs, transfers, actor, changed: () => undefined,
      chain: {
        available: () => true, resolveSigner: (s) => officials.resolve(s),
        held: (id) => new Set(d.store.org.heldPositions(id, at()).map((p) => p.id)), positions: () => new Set(d.store.org.positions(at()).map((p) => p.id)),
      },
    });
    const paraf = parafHandlers({ store: d.store, hasServer: () => true, blobs: d.blobs, renderer: draftRenderer(d.blobs), transfers, user, actor, changed: () => undefined, log: collectingLogger() });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    const offline = () => { reachable = false; d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test'); };
    const online = () => { reachable = true; d.store.settings.update({ serverUrl: srv.url }, 'test'); };
    await sync();
    await officials.list();
    return { d, konsep, paraf, sync, offline, online };
  }

  it('drafted, initialled in order (offline at one desk), returned with notes, revised, initialled again and signed with its number printed', async () => {
    const drafter = await desk('staf.dinkes');
    const kasi = await desk('kasi.kesmas.dinkes');
    const sekretaris = await desk('verifikator.dinkes');
    const head = await desk('penandatangan.dinkes');

    const created = await drafter.konsep['drafting.create']({ type: 'nota_dinas' }, ctx);
    const draft = await drafter.konsep['drafting.save']({ id: created.id, version: created.version, content: { ...sampleDraft(nota), hal: 'Laporan cakupan imunisasi campak Februari 2026' } }, ctx);
    // Verifiers from the office's positions, not one's own; the signer from the officials kept on the desk.
    const options = await drafter.paraf['paraf.verifiers']({}, ctx);
    expect(options.map((o) => o.positionId)).toEqual(expect.arrayContaining([P('kasi-kesmas'), P('verifikator')]));
    expect(options.map((o) => o.positionId)).not.toContain(P('staf'));
    await expect(drafter.konsep['drafting.submit']({ id: draft.id, verifiers: [P('staf')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(drafter.konsep['drafting.submit']({ id: draft.id, verifiers: [P('kasi-kesmas')], signer: 'penandatangan.dinkes', classificationCode: '440' }, ctx)).rejects.toMatchObject({ code: 'SIGNER_UNKNOWN' });
    const sent = await drafter.konsep['drafting.submit']({ id: draft.id, verifiers: [P('kasi-kesmas'), P('verifikator')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx);
    expect(sent.chain).toMatchObject({ state: 'sending' });
    // With its verifiers it is not changed by its author.
    await expect(async () => drafter.konsep['drafting.save']({ id: draft.id, version: sent.version, content: sent.content }, ctx)).rejects.toMatchObject({ code: 'VALIDATION' });
    await drafter.sync();
    expect((await drafter.konsep['drafting.get']({ id: draft.id }, ctx)).chain).toMatchObject({ state: 'in_review' });

    // The Kepala Seksi's desk loses the server after pulling: the paraf waits in the outbox.
    await kasi.sync();
    const mine = await kasi.paraf['paraf.todo']({}, ctx);
    expect(mine.toVerify.map((x) => [x.id, x.hal, x.authorName])).toEqual([[draft.id, 'Laporan cakupan imunisasi campak Februari 2026', 'Dewi Lestari']]);
    expect((await sekretaris.paraf['paraf.todo']({}, ctx)).toVerify).toEqual([]);
    kasi.offline();
    const approved = await kasi.paraf['paraf.decide']({ id: draft.id, version: mine.toVerify[0]!.version, verdict: 'approve', note: 'Data sesuai laporan seksi.' }, ctx);
    expect(approved).toMatchObject({ pending: true, myTurn: false, verifiers: [{ state: 'done' }, { state: 'current' }] });
    expect((await kasi.d.sync.engine.syncNow()).lastError).not.toBeNull();
    await sekretaris.sync();
    expect((await sekretaris.paraf['paraf.todo']({}, ctx)).toVerify).toEqual([]);
    kasi.online();
    await kasi.sync();

    // The Sekretaris's turn: she changes one word and returns it with notes.
    await sekretaris.sync();
    const waiting = (await sekretaris.paraf['paraf.todo']({}, ctx)).toVerify;
    expect(waiting.map((x) => x.id)).toEqual([draft.id]);
    await expect(async () => sekretaris.paraf['paraf.decide']({ id: draft.id, version: waiting[0]!.version, verdict: 'return', note: '' }, ctx)).rejects.toMatchObject({ code: 'PARAF_NOTE_REQUIRED' });
    const read = await sekretaris.paraf['paraf.get']({ id: draft.id }, ctx);
    const edited = await sekretaris.paraf['paraf.edit']({ id: draft.id, version: read.version, content: { ...read.content, hal: 'Laporan capaian imunisasi campak Februari 2026' } }, ctx);
    expect(edited.version).toBe(read.version + 1);
    await sekretaris.paraf['paraf.decide']({ id: draft.id, version: edited.version, verdict: 'return', note: 'Lengkapi jumlah sasaran per puskesmas.' }, ctx);
    await sekretaris.sync();

    await drafter.sync();
    const back = await drafter.konsep['drafting.get']({ id: draft.id }, ctx);
    expect(back.chain).toMatchObject({ state: 'returned', returnNote: 'Lengkapi jumlah sasaran per puskesmas.' });
    expect(back.content.hal).toBe('Laporan capaian imunisasi campak Februari 2026');
    const revised = await drafter.konsep['drafting.save']({ id: draft.id, version: back.version, content: { ...back.content, tembusan: [...back.content.tembusan, 'Kepala Puskesmas se-Kota Dumai'] } }, ctx);
    const diff = await drafter.paraf['paraf.compare']({ id: draft.id, from: sent.version, to: back.version }, ctx);
    expect(diff.find((f) => f.field === 'hal')).toMatchObject({ changed: true, pieces: [{ op: 'same', text: 'Laporan ' }, { op: 'removed', text: 'cakupan ' }, { op: 'added', text: 'capaian ' }, { op: 'same' }] });
    expect(diff.find((f) => f.field === 'body')).toMatchObject({ changed: false });
    await drafter.konsep['drafting.submit']({ id: draft.id, verifiers: [P('kasi-kesmas'), P('verifikator')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx);
    await drafter.sync();

    // From the start (the office's default): the Kepala Seksi first, then the Sekretaris.
    await sekretaris.sync();
    expect((await sekretaris.paraf['paraf.todo']({}, ctx)).toVerify).toEqual([]);
    await kasi.sync();
    await kasi.paraf['paraf.decide']({ id: draft.id, version: revised.version, verdict: 'approve', note: '' }, ctx);
    await kasi.sync();
    await sekretaris.sync();
    await sekretaris.paraf['paraf.decide']({ id: draft.id, version: revised.version, verdict: 'approve', note: 'Paraf.' }, ctx);
    await sekretaris.sync();

    // The head's desk makes the letter of the last version; it waits in Tanda Tangan with its trail.
    await head.sync();
    expect(await head.paraf.prepareForSigning()).toBe(1);
    expect(await head.paraf.prepareForSigning()).toBe(0);
    const ready = lettersReadyToSign(head.d.store, 'user-penandatangan-dinkes');
    expect(ready.map((l) => l.subject)).toEqual(['Laporan capaian imunisasi campak Februari 2026']);
    const trail = (await head.paraf['paraf.get']({ id: draft.id }, ctx)).trail;
    expect(trail.map((t) => [t.round, t.action, t.userName, t.note])).toEqual([
      [1, 'submit', 'Dewi Lestari', ''], [1, 'approve', 'Agus Prasetyo, S.Sos.', 'Data sesuai laporan seksi.'],
      [1, 'return', 'Sri Handayani', 'Lengkapi jumlah sasaran per puskesmas.'], [2, 'submit', 'Dewi Lestari', ''],
      [2, 'approve', 'Agus Prasetyo, S.Sos.', ''], [2, 'approve', 'Sri Handayani', 'Paraf.'],
    ]);
    expect((await head.paraf['paraf.todo']({}, ctx)).toSign.map((x) => x.id)).toEqual([draft.id]);

    const block = await head.d.sync.numberBlocks.lease('out', 2026, 5);
    head.d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    const [result] = await signBatch([ready[0]!.id], {
      store: head.d.store, blobs: head.d.blobs, signer: tokenSession.signer(token.keys.rsa.id), verificationUrl: `${srv.url}/verifikasi`,
      identity: { name: 'Dr. Ahmad Fauzi', nip: '197001011995031001', position: 'Kepala Dinas Kesehatan' }, actor: 'user-penandatangan-dinkes',
      numbering: outgoingNumbers(head.d.store, { today: '2026-03-02', hasServer: true, officeName: 'Dinas Kesehatan' }),
    });
    expect(result).toMatchObject({ outcome: 'signed' });
    const signed = head.d.store.letters.get(ready[0]!.id)!;
    expect(signed.agendaNumber).toBe(block.first);
    await head.sync();

    // The number is printed in the letter; pdfsig accepts the signature.
    const pdf = await head.d.blobs.read(signed.documentHash!);
    const work = join(token.dir, `work-${backend}`);
    mkdirSync(work, { recursive: true });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    expect(text).toContain(signed.letterNumber!);
    expect(text).toContain('Laporan capaian imunisasi campak Februari 2026');
    const checked = pdfsig(pdf, { work, name: 'nota-dinas', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(checked.signatures).toHaveLength(1);
    expect(checked.signatures[0]).toMatchObject({ signature: 'Signature is Valid.', total: true });

    // The chain hears it was signed: the drafter sees it signed, and no verifier can act on it any more.
    await drafter.sync();
    expect((await drafter.konsep['drafting.get']({ id: draft.id }, ctx)).chain).toMatchObject({ state: 'signed' });
    expect((await drafter.paraf['paraf.todo']({}, ctx)).sentByMe).toMatchObject([{ id: draft.id, state: 'signed' }]);
  });
});
