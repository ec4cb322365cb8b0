// An outgoing letter from import to another office's desk, through the real server over TLS: the
// Dinas Kesehatan front office imports a PDF for the head of office, who signs it with the token
// (SoftHSM, key generated on it); signing gives it the next number of the outgoing book (leased from
// the server) as its agenda entry and its own number; Surat Keluar lists it signed and numbered; sent
// to Dinas Pendidikan it reaches the server as an outgoing registration and appears there among
// "Kiriman dari kantor lain". Sent, it is 'terkirim' at once, on this desk only. With no outgoing
// number left, the letter is not signed and says why. With a number format that prints {klasifikasi},
// the import asks for the code, and the number and the registration carry it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { demoTokenEnv, demoTokens } from '../../dev/token/demo-token.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { outgoingHandlers } from '../../main/letters/outgoing/outgoing.ts';
import { signingHandlers } from '../../main/sign/handlers.ts';
import { createTransfers, transferHandlers } from '../../main/documents/transfers.ts';
import { sendBytes } from '../support/transfers.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { deskDeliveries } from '../support/deliveries.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };

/** A sync round that starts after everything done so far: the engine's own tick may have a round under way that began before it. */
async function syncRound(d: TestDesk) {
  await d.sync.engine.syncNow();
  return d.sync.engine.syncNow();
}
const year = new Date().getFullYear();

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

async function outgoingPdf(subject: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  return doc.save();
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const desks: TestDesk[] = [];
  const hosts: DeviceWorkerHost[] = [];
  beforeAll(async () => { srv = await startTestServer({ databases, tls, config: { numbering: { blockSize: 100 } } }); });
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
  });

  /** A desk's Surat Keluar and Tanda Tangan channels, with the demo token under its data directory. */
  async function deskRouter(d: TestDesk): Promise<Router> {
    const log = createLogger({ level: 'error' });
    const host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { ...demoTokenEnv(d.dir, {}), LOKET_LOG_LEVEL: 'warn' } });
    hosts.push(host);
    await host.start();
    const env = { ...process.env };
    delete env.LOKET_TOKEN_MODULE;
    delete env.LOKET_TSA_URL;
    const user = () => d.sync.session.user();
    const transfers = createTransfers(join(d.dir, 'transfers'), log);
    const handlers = {
      ...signingHandlers({ store: d.store, devices: host, bus: createEventBus(log), dataDir: d.dir, user, server: () => d.sync.serverUrl(), actor: () => user()!.id, log, env, demoTokens, transfers }),
      ...outgoingHandlers({ store: d.store }),
      ...transferHandlers(transfers),
    };
    return createRouter(handlers as Handlers, log);
  }

  async function ok<C extends Channel>(router: Router, channel: C, payload: RequestOf<C>) {
    const result: InvokeResult<C> = await router.call(channel, payload, ctx);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  /** What the front office sends to import a letter for the head of office. */
  async function importRequest(router: Router, subject: string, classificationCode?: string): Promise<RequestOf<'sign.outgoing.import'>> {
    return {
      uploadId: await sendBytes((c, p) => router.call(c, p, ctx), await outgoingPdf(subject)), fileName: 'surat-keluar.pdf', subject, addressee: 'Kepala Dinas Pendidikan dan Kebudayaan', signer: 'user-penandatangan-dinkes',
      ...(classificationCode === undefined ? {} : { classificationCode }),
    };
  }

  /** Imports a letter for the head of office and signs it as the head, with the demo token. */
  async function importAndSign(d: TestDesk, router: Router, subject: string, classificationCode?: string) {
    await d.sync.auth.login('operator.dinkes', demoPassword);
    const imported = await ok(router, 'sign.outgoing.import', await importRequest(router, subject, classificationCode));
    await d.sync.auth.login('penandatangan.dinkes', demoPassword);
    const { tokens } = await ok(router, 'sign.demo.create', {});
    const session = await ok(router, 'sign.login', { serial: tokens[0]!.serial, pin: '123456' });
    const { results } = await ok(router, 'sign.batch', { sessionId: session.sessionId, certificateId: session.certificates[0]!.id, letterIds: [imported.id] });
    await ok(router, 'sign.logout', { sessionId: session.sessionId });
    return { id: imported.id, result: results[0]! };
  }

  it('a signed outgoing letter takes the next outgoing number, is listed in Surat Keluar, and reaches Dinas Pendidikan\'s Kiriman', async () => {
    const dinkes = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(dinkes);
    const router = await deskRouter(dinkes);
    await dinkes.sync.auth.login('operator.dinkes', demoPassword);
    const block = await dinkes.sync.numberBlocks.lease('out', year, 10);
    dinkes.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');

    const subject = 'Undangan rapat koordinasi gizi anak sekolah';
    const { id, result } = await importAndSign(dinkes, router, subject);
    expect(result).toMatchObject({ outcome: 'signed', error: null });

    const [listed] = await ok(router, 'outgoing.list', {});
    expect(listed).toMatchObject({ id, status: 'signed', agendaNumber: block.first, agendaYear: year, subject, sender: 'Dinas Kesehatan', addressee: 'Kepala Dinas Pendidikan dan Kebudayaan' });
    expect(listed!.agendaLabel).toMatch(new RegExp(`${String(block.first).padStart(4, '0')}.*${year}`));
    expect(listed!.letterNumber).toBe(listed!.agendaLabel);
    expect(await ok(router, 'outgoing.get', { id })).toEqual(listed);

    // The official's own session sends the numbered letter, and nothing waits for a person in Antrian
    // Sinkron (the signature travels with its letter: the signed PDF and the activity log).
    expect(dinkes.sync.session.user()).toMatchObject({ username: 'penandatangan.dinkes' });
    await syncRound(dinkes);
    expect(dinkes.store.sync.counts()).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    expect(await srv.server.db.selectFrom('letters').select('direction').where('id', '=', id).executeTakeFirst()).toEqual({ direction: 'out' });

    // The front office sends it to Dinas Pendidikan; the registration goes first, as an outgoing letter.
    await dinkes.sync.auth.login('operator.dinkes', demoPassword);
    const sender = deskDeliveries(dinkes);
    await sender['deliveries.offices']({}, ctx);
    expect(await sender['deliveries.send']({ letterId: id, toOfficeIds: ['office-disdik'] }, ctx)).toMatchObject([{ officeId: 'office-disdik', state: 'waiting' }]);
    // Terkirim as the request is made (it goes with the next sync), with its audit entry.
    expect(await ok(router, 'outgoing.get', { id })).toMatchObject({ status: 'sent' });
    expect(await ok(router, 'outgoing.list', {})).toMatchObject([{ id, status: 'sent' }]);
    expect(dinkes.store.audit.list().filter((e) => e.entityId === id).map((e) => [e.action, JSON.parse(String(e.details))]).slice(-2))
      .toEqual([['letter.delivery-requested', { toOfficeIds: ['office-disdik'] }], ['letter.updated', { fields: ['status'] }]]);
    await syncRound(dinkes);
    // The server keeps no workflow status: the change completed on the desk, nothing waits in Antrian Sinkron.
    expect(dinkes.store.sync.counts()).toEqual({ pending: 0, in_progress: 0, failed: 0, rejected: 0 });
    expect(await ok(router, 'outgoing.get', { id })).toMatchObject({ status: 'sent' });
    expect(await sender['deliveries.sent']({ letterId: id }, ctx)).toMatchObject([{ officeId: 'office-disdik', state: 'sent', problem: null }]);
    const onServer = await srv.server.db.selectFrom('letters').select(['direction', 'agenda_number', 'letter_number', 'sender']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(onServer).toEqual({ direction: 'out', agenda_number: block.first, letter_number: listed!.letterNumber, sender: 'Dinas Kesehatan' });

    const disdik = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(disdik);
    await disdik.sync.auth.login('operator.disdik', demoPassword);
    await syncRound(disdik);
    const received = await deskDeliveries(disdik)['deliveries.received']({}, ctx);
    expect(received).toMatchObject([{ letterId: id, fromOfficeName: 'Dinas Kesehatan', letterNumber: listed!.letterNumber, subject, hasDocument: true, registeredAs: null }]);
  });

  it('with no outgoing number left on the desk, the letter is not signed, says why, and stays waiting for its signature', async () => {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    const router = await deskRouter(d);
    const { id, result } = await importAndSign(d, router, 'Surat tanpa nomor tersisa');
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'AGENDA_NUMBERS_EXHAUSTED', message: expect.stringMatching(/^Nomor surat keluar untuk meja ini sudah habis/) } });
    expect(await ok(router, 'outgoing.get', { id })).toMatchObject({ status: 'ready_to_sign', agendaNumber: null, letterNumber: null });
    expect(d.store.signatures.readyToSignLetterIds()).toContain(id);
  });

  it('with a number format that prints {klasifikasi}, the import asks for the code; the signed letter\'s number and its registration carry it', async () => {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    const router = await deskRouter(d);
    await d.sync.auth.login('operator.dinkes', demoPassword);
    const block = await d.sync.numberBlocks.lease('out', year, 10);
    d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    d.store.agenda.saveAgendaConfig({ template: '{urut:4}/{klasifikasi}/{tahun}', unitCode: '' }, 'test');
    d.store.agenda.saveClassification({ code: '440', name: 'Kesehatan' }, 'test');

    // Without a code, or with one not on the list: refused in Bahasa Indonesia before anything is written.
    const before = { letters: d.store.letters.outgoing().length, outbox: d.store.outbox.countPending(), audit: d.store.audit.count() };
    expect(await router.call('sign.outgoing.import', await importRequest(router, 'Surat tanpa kode klasifikasi'), ctx)).toMatchObject({
      ok: false, error: { code: 'VALIDATION', message: 'Kode klasifikasi arsip wajib diisi karena format nomor surat kantor ini memakainya. Pilih kode dari daftar klasifikasi.' },
    });
    expect(await router.call('sign.outgoing.import', await importRequest(router, 'Surat dengan kode asing', '999'), ctx)).toMatchObject({
      ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Kode klasifikasi 999 tidak ada di daftar klasifikasi arsip/) },
    });
    expect({ letters: d.store.letters.outgoing().length, outbox: d.store.outbox.countPending(), audit: d.store.audit.count() }).toEqual(before);

    const { id, result } = await importAndSign(d, router, 'Laporan kasus demam berdarah', '440');
    expect(result).toMatchObject({ outcome: 'signed', error: null });
    const signed = await ok(router, 'outgoing.get', { id });
    expect(signed).toMatchObject({ status: 'signed', agendaLabel: `${String(block.first).padStart(4, '0')}/440/${year}`, letterNumber: `${String(block.first).padStart(4, '0')}/440/${year}` });
    await syncRound(d);
    expect(await srv.server.db.selectFrom('letters').select(['classification', 'letter_number']).where('id', '=', id).executeTakeFirst())
      .toEqual({ classification: '440', letter_number: signed.letterNumber });
  });
});
