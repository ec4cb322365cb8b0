// The paraf chain at three kinds of desk through the real server (SQLite and PostgreSQL): a staff
// member drafts a nota dinas and sends it to the Kepala Seksi, then the Sekretaris, with the head as
// signer (chosen from the officials kept on the desk). The Kepala Seksi approves at a desk that cannot
// reach the server; once it is back the Sekretaris sees it in her to-do, edits one word and returns it
// with notes; the drafter sees the notes and her edit, revises, compares versions and sends it again;
// both approve; the head's desk makes the letter from the last version, it waits in Tanda Tangan, the
// head signs it with a SoftHSM token: the letter is rendered afresh with the outgoing number and the
// date printed in it (no placeholder left), and the chain hears it was signed. pdfsig accepts it.
// Then the Sekretaris is made Plh of the head's position: her desk gets the head's initialled drafts,
// signs one during the period as "Plh. Kepala Dinas Kesehatan" with her own name; once the period is
// ended early, a letter her desk signed before it heard so is refused by the server with the reason,
// shown at the letter, and the next one is refused at her desk before any token is asked.
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
import { draftedSigning } from '../../main/sign/drafted.ts';
import { voidRefusedLetter } from '../../main/sign/refused.ts';
import { strategicTypesHandlers } from '../../main/org/strategic-types.ts';
import { delegationHandlers } from '../../main/org/delegations.ts';
import { letterDateText } from '../../main/letters/drafting/indonesian.ts';
import { localDate } from '../../common/dates.ts';
import type { Letter, LetterChanges } from '../../main/store/letters.ts';
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
    const renderer = draftRenderer(d.blobs);
    const drafted = draftedSigning({ store: d.store, renderer });
    const paraf = parafHandlers({
      store: d.store, hasServer: () => true, blobs: d.blobs, renderer, transfers, user, actor, changed: () => undefined, log: collectingLogger(),
      delegatedFrom: (id) => drafted.delegatedFrom(id),
    });
    const delegation = delegationHandlers({ store: d.store, user, actor, syncSoon: () => undefined });
    const strategic = strategicTypesHandlers({ store: d.store, user, actor, online: () => reachable, syncSoon: () => undefined });
    /** Signs with the test token as Loket's Tanda Tangan does: the day's number, a drafted letter rendered afresh for who signs. */
    let leased = false;
    const sign = async (letterIds: string[], identity: { name: string; nip: string; position: string }) => {
      // One block of numbers, leased while the desk may (a Plh's ends with the period), as the desk keeps one ahead.
      if (!leased) {
        const block = await d.sync.numberBlocks.lease('out', Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), 5);
        d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
        leased = true;
      }
      return signBatch(letterIds, {
        store: d.store, blobs: d.blobs, signer: tokenSession.signer(token.keys.rsa.id), verificationUrl: `${srv.url}/verifikasi`, identity, actor: actor(),
        numbering: outgoingNumbers(d.store, { today: localDate(new Date(), 'Asia/Jakarta'), hasServer: true, officeName: 'Dinas Kesehatan' }),
        drafted: (letter: Letter, numbered: LetterChanges) => drafted.compose(letter, numbered, user()),
      });
    };
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    const offline = () => { reachable = false; d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test'); };
    const online = () => { reachable = true; d.store.settings.update({ serverUrl: srv.url }, 'test'); };
    await sync();
    await officials.list();
    return { d, konsep, paraf, drafted, delegation, strategic, sign, sync, offline, online };
  }
  type Desk = Awaited<ReturnType<typeof desk>>;

  /** Nota dinas for the head, one per subject, drafted at one desk and initialled by the Kepala Seksi at another. */
  async function initialledForHead(drafter: Desk, kasi: Desk, subjects: string[]): Promise<void> {
    const ids: string[] = [];
    for (const hal of subjects) {
      const created = await drafter.konsep['drafting.create']({ type: 'nota_dinas' }, ctx);
      const content = { ...sampleDraft(nota), hal, signer: { position: 'Kepala Dinas Kesehatan', name: 'Dr. Ahmad Fauzi', rank: 'Pembina Utama Muda (IV/c)', nip: '197001011995031001' } };
      const saved = await drafter.konsep['drafting.save']({ id: created.id, version: created.version, content }, ctx);
      await drafter.konsep['drafting.submit']({ id: saved.id, verifiers: [P('kasi-kesmas')], signer: 'user-penandatangan-dinkes', classificationCode: '440' }, ctx);
      ids.push(saved.id);
    }
    await drafter.sync();
    await kasi.sync();
    for (const id of ids) {
      const d = (await kasi.paraf['paraf.todo']({}, ctx)).toVerify.find((x) => x.id === id)!;
      await kasi.paraf['paraf.decide']({ id, version: d.version, verdict: 'approve', note: '' }, ctx);
    }
    await kasi.sync();
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

    const [result] = await head.sign([ready[0]!.id], { name: 'Dr. Ahmad Fauzi', nip: '197001011995031001', position: 'Kepala Dinas Kesehatan' });
    expect(result).toMatchObject({ outcome: 'signed' });
    const signed = head.d.store.letters.get(ready[0]!.id)!;
    expect(signed.agendaNumber).not.toBeNull();
    await head.sync();

    // The number and the date are printed in the letter, nothing painted over; pdfsig accepts the signature.
    const pdf = await head.d.blobs.read(signed.documentHash!);
    const work = join(token.dir, `work-${backend}`);
    mkdirSync(work, { recursive: true });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    expect(text).toContain(signed.letterNumber!);
    expect(text).toContain(letterDateText(signed.letterDate!));
    expect(text).not.toContain('${');
    expect(text).not.toContain('……');
    expect(text).toContain('Laporan capaian imunisasi campak Februari 2026');
    const checked = pdfsig(pdf, { work, name: 'nota-dinas', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(checked.signatures).toHaveLength(1);
    expect(checked.signatures[0]).toMatchObject({ signature: 'Signature is Valid.', total: true });

    // The chain hears it was signed: the drafter sees it signed, and no verifier can act on it any more.
    await drafter.sync();
    expect((await drafter.konsep['drafting.get']({ id: draft.id }, ctx)).chain).toMatchObject({ state: 'signed' });
    expect((await drafter.paraf['paraf.todo']({}, ctx)).sentByMe).toMatchObject([{ id: draft.id, state: 'signed' }]);
  });

  it('the Plh of the head signs his initialled drafts during the period as "Plh." with her own name, but not a type the office marks strategic; after it the server refuses and her desk refuses first', async () => {
    const admin = await desk('admin.dinkes');
    const drafter = await desk('staf.dinkes');
    const kasi = await desk('kasi.kesmas.dinkes');
    const plh = await desk('verifikator.dinkes');
    const today = localDate(new Date(), 'Asia/Jakarta');
    const inTwoDays = localDate(new Date(Date.now() + 2 * 86_400_000), 'Asia/Jakarta');

    // Three drafts for the head, initialled by the Kepala Seksi.
    const subjects = ['Undangan rapat koordinasi posyandu', 'Permintaan data stunting triwulan I', 'Jadwal vaksinasi HPV sekolah'];
    await initialledForHead(drafter, kasi, subjects);

    // Before any delegation the Sekretaris's desk makes none of them and may sign none.
    await plh.sync();
    expect(await plh.paraf.prepareForSigning()).toBe(0);

    // The admin makes her Plh of the Kepala Dinas for the coming days; her desk now gets his initialled drafts.
    await admin.delegation['delegation.create']({
      positionId: P('penandatangan'), delegateUserId: 'user-verifikator-dinkes', kind: 'plh', from: today, until: inTwoDays,
      approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: today, reference: '800/41/Dinkes/2026', reason: 'Cuti tahunan',
    }, ctx);
    await admin.sync();
    await plh.sync();
    expect(await plh.paraf.prepareForSigning()).toBe(3);
    expect((await plh.paraf['paraf.todo']({}, ctx)).toSign.map((x) => x.hal).sort()).toEqual([...subjects].sort());
    const letters = lettersReadyToSign(plh.d.store);
    const letterOf = (hal: string) => letters.find((l) => l.subject === hal)!;
    expect(letters).toHaveLength(3);

    // She signs the first during the period: the block reads "Plh. Kepala Dinas Kesehatan" with her name, not his.
    const first = letterOf(subjects[0]!);
    const sri = { name: 'Sri Handayani', nip: plh.d.sync.session.user()!.nip ?? '', position: 'Sekretaris' };
    expect((await plh.sign([first.id], sri))[0]).toMatchObject({ outcome: 'signed' });
    const signed = plh.d.store.letters.get(first.id)!;
    const pdf = await plh.d.blobs.read(signed.documentHash!);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    expect(text).toContain(signed.letterNumber!);
    expect(text).toContain(letterDateText(signed.letterDate!));
    expect(text).toMatch(/Plh\. Kepala Dinas Kesehatan,/);
    expect(text).toContain('Sri Handayani');
    expect(text).not.toContain('Dr. Ahmad Fauzi');
    expect(text).not.toContain('Pembina Utama Muda');
    expect(text).not.toContain('${');
    expect(plh.d.store.signatures.forLetter(first.id)[0]).toMatchObject({ signerName: 'Sri Handayani', signerPosition: 'Plh. Kepala Dinas Kesehatan' });
    const work = join(token.dir, `work-plh-${backend}`);
    mkdirSync(work, { recursive: true });
    const checked = pdfsig(pdf, { work, name: 'plh', nssDir: createNssTrustStore(join(work, 'nss'), token.ca.certPath) });
    expect(checked.signatures[0]).toMatchObject({ signature: 'Signature is Valid.', total: true });
    await plh.sync();
    expect(plh.d.store.signatures.refusedByServer()).toEqual([]);
    // The verification page behind the QR names her as Plh and holds the signed file's hash.
    const page = await srv.call('GET', `/verifikasi?id=${first.id}`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain('Sri Handayani');
    expect(html).toContain('Plh. Kepala Dinas Kesehatan');
    expect(html).toContain(signed.documentHash!);
    await drafter.sync();
    expect((await drafter.paraf['paraf.todo']({}, ctx)).sentByMe.find((x) => x.hal === subjects[0])).toMatchObject({ state: 'signed' });

    // The office marks nota dinas strategic: her desk, once it knows, refuses the next before the token is asked; unmarked, it is hers again.
    await admin.strategic['delegation.setStrategicTypes']({ documentTypes: ['nota_dinas'] }, ctx);
    await admin.sync();
    await plh.sync();
    const pending = plh.drafted.draftOf(letterOf(subjects[1]!).id)!;
    let strategicRefusal: unknown;
    try { plh.drafted.signingAs(pending, plh.d.sync.session.user()); } catch (err) { strategicRefusal = err; }
    expect(strategicRefusal).toMatchObject({ code: 'SIGNING_STRATEGIC_REFUSED', message: expect.stringContaining('Sri Handayani memegang jabatannya sebagai Plh., yang tidak berwenang menandatanganinya (UU 30/2014 pasal 14)') });
    expect((await plh.sign([letterOf(subjects[1]!).id], sri))[0]).toMatchObject({ outcome: 'failed', error: { code: 'SIGNING_STRATEGIC_REFUSED' } });
    await admin.strategic['delegation.setStrategicTypes']({ documentTypes: [] }, ctx);
    await admin.sync();
    await plh.sync();
    expect(plh.drafted.signingAs(pending, plh.d.sync.session.user()).block.capacity).toBe('plh');

    // The head is back early; her desk has not heard yet and signs the second: the server refuses it with the reason, shown at the letter.
    const second = letterOf(subjects[1]!);
    const ended = (await admin.delegation['delegation.list']({}, ctx)).delegations[0]!;
    await admin.delegation['delegation.end']({ delegationId: ended.id, reason: 'Kepala Dinas kembali bertugas' }, ctx);
    await admin.sync();
    expect((await plh.sign([second.id], sri))[0]).toMatchObject({ outcome: 'signed' });
    await plh.d.sync.engine.syncNow();
    const refused = plh.d.store.signatures.refusedByServer();
    expect(refused).toMatchObject([{ letterId: second.id, code: 'SIGNING_NOT_AUTHORIZED' }]);
    expect(refused[0]!.reason).toMatch(/Sri Handayani tidak berwenang menandatangani sebagai Kepala Dinas Kesehatan pada .*: masa Plh\. Kepala Dinas Kesehatan sudah berakhir pada/);
    // Nothing is lost: the signed file and its letter stay on the desk.
    expect(await plh.d.blobs.has(plh.d.store.letters.get(second.id)!.documentHash!)).toBe(true);

    // Now her desk knows: the third is no longer hers to sign, and is refused before the token is asked, in the same words.
    const third = letterOf(subjects[2]!);
    expect(plh.drafted.delegatedFrom('user-verifikator-dinkes').size).toBe(0);
    expect((await plh.paraf['paraf.todo']({}, ctx)).toSign).toEqual([]);
    const draft = plh.drafted.draftOf(third.id)!;
    let deskRefusal: unknown;
    try { plh.drafted.signingAs(draft, plh.d.sync.session.user()); } catch (err) { deskRefusal = err; }
    expect(deskRefusal).toMatchObject({ code: 'SIGNING_NOT_AUTHORIZED', message: expect.stringMatching(/Sri Handayani tidak berwenang menandatangani sebagai Kepala Dinas Kesehatan pada .*: masa Plh\. Kepala Dinas Kesehatan sudah berakhir pada/) });
    expect((await plh.sign([third.id], sri))[0]).toMatchObject({ outcome: 'failed', error: { code: 'SIGNING_NOT_AUTHORIZED' } });
    expect(plh.d.store.letters.get(third.id)).toMatchObject({ status: 'ready_to_sign', agendaNumber: null });
  });

  it('the head and his Plh both have his initialled drafts: one signed at either desk is withdrawn at the other; one signed at both (hers offline) is refused hers, she voids it, and its QR page says it is void', async () => {
    const admin = await desk('admin.dinkes');
    const drafter = await desk('staf.dinkes');
    const kasi = await desk('kasi.kesmas.dinkes');
    const head = await desk('penandatangan.dinkes');
    const plh = await desk('verifikator.dinkes');
    const today = localDate(new Date(), 'Asia/Jakarta');
    const inTwoDays = localDate(new Date(Date.now() + 2 * 86_400_000), 'Asia/Jakarta');
    const subjects = ['Laporan kasus DBD minggu ke-48', 'Penyuluhan gizi seimbang di posyandu'];
    await initialledForHead(drafter, kasi, subjects);
    await admin.delegation['delegation.create']({
      positionId: P('penandatangan'), delegateUserId: 'user-verifikator-dinkes', kind: 'plh', from: today, until: inTwoDays,
      approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: today, reference: '800/57/Dinkes/2026', reason: 'Dinas luar',
    }, ctx);
    await admin.sync();
    for (const d of [head, plh]) {
      await d.sync();
      await d.paraf.prepareForSigning();
    }
    const waitingAt = (d: Desk, hal: string) => lettersReadyToSign(d.d.store).find((l) => l.subject === hal);
    const [first, second] = subjects as [string, string];
    const atHead = { first: waitingAt(head, first)!, second: waitingAt(head, second)! };
    const atPlh = { first: waitingAt(plh, first)!, second: waitingAt(plh, second)! };
    const sri = { name: 'Sri Handayani', nip: plh.d.sync.session.user()!.nip ?? '', position: 'Sekretaris' };
    const ahmad = { name: head.d.sync.session.user()!.name, nip: head.d.sync.session.user()!.nip ?? '', position: 'Kepala Dinas Kesehatan' };

    // She signs the first; at the head's next pull his copy of it is withdrawn (void, never numbered) with who signed it.
    expect((await plh.sign([atPlh.first.id], sri))[0]).toMatchObject({ outcome: 'signed' });
    await plh.sync();
    await head.sync();
    expect(head.paraf.withdrawSignedElsewhere()).toBe(1);
    expect(head.d.store.letters.get(atHead.first.id)).toMatchObject({ status: 'void', agendaNumber: null, voidReason: expect.stringMatching(/^Konsep ini sudah ditandatangani oleh Sri Handayani pada .+ di meja lain/) });
    expect(waitingAt(head, first)).toBeUndefined();
    await head.sync();
    expect(head.d.store.signatures.refusedByServer()).toEqual([]);
    expect(head.paraf.withdrawSignedElsewhere()).toBe(0);

    // Her desk cannot reach the server and signs the second; the head signs it too, online: the server keeps his.
    plh.offline();
    expect((await plh.sign([atPlh.second.id], sri))[0]).toMatchObject({ outcome: 'signed' });
    expect((await head.sign([atHead.second.id], ahmad))[0]).toMatchObject({ outcome: 'signed' });
    await head.sync();
    plh.online();
    await plh.d.sync.engine.syncNow();
    expect(plh.d.store.signatures.refusedByServer()).toMatchObject([{
      letterId: atPlh.second.id, code: 'DRAFT_SIGNED', reason: expect.stringMatching(new RegExp(`^Konsep ini sudah ditandatangani oleh ${ahmad.name} pada .+ WIB; tanda tangan kedua tidak diterima server`)),
    }]);
    const page = async (letterId: string) => (await srv.call('GET', `/verifikasi?id=${letterId}`, { headers: { 'x-forwarded-for': '198.51.100.9' } })).body.toString();
    // Both are signed letters now, each with its own number: hers stands until she voids it.
    expect(await page(atPlh.second.id)).toContain('data-status="signed"');

    let notRefused: unknown;
    try { voidRefusedLetter(plh.d.store, atHead.second.id, 'Rangkap', 'test'); } catch (err) { notRefused = err; }
    expect(notRefused).toMatchObject({ code: 'VALIDATION' });
    const number = plh.d.store.letters.get(atPlh.second.id)!.letterNumber;
    voidRefusedLetter(plh.d.store, atPlh.second.id, 'Rangkap: sudah ditandatangani Kepala Dinas', 'user-verifikator-dinkes');
    expect(plh.d.store.letters.get(atPlh.second.id)).toMatchObject({ status: 'void', letterNumber: number, voidReason: 'Rangkap: sudah ditandatangani Kepala Dinas' });
    expect(plh.d.store.signatures.refusedByServer()).toEqual([]);
    await plh.sync();
    expect(plh.d.store.signatures.refusedEntries(atPlh.second.id)).toEqual([]);
    expect(await srv.server.db.selectFrom('letters').select(['void_reason']).where('id', '=', atPlh.second.id).executeTakeFirst()).toEqual({ void_reason: 'Rangkap: sudah ditandatangani Kepala Dinas' });
    const voided = await page(atPlh.second.id);
    expect(voided).toContain('data-status="void"');
    expect(voided).toContain('Dibatalkan: surat ini tidak berlaku');
    expect(voided).toContain('Rangkap: sudah ditandatangani Kepala Dinas');
    expect(await page(atHead.second.id)).toContain('data-status="signed"');
    // The draft shows as the head signed it, at her desk too.
    const draftId = plh.d.store.paraf.draftOfLetter(atPlh.second.id)!;
    expect(plh.d.store.paraf.get(draftId)).toMatchObject({ state: 'signed', letterId: atHead.second.id, refused: null });
  });
});
