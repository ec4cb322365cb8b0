// An outgoing letter from import to another office's desk, through the real server over TLS: the
// Dinas Kesehatan front office imports a PDF for the head of office, who signs it with the token
// (SoftHSM, key generated on it); signing gives it the next number of the outgoing book (leased from
// the server) as its agenda entry and its own number; Surat Keluar lists it signed and numbered; sent
// to Dinas Pendidikan it reaches the server as an outgoing registration and appears there among
// "Kiriman dari kantor lain". Sent, it is 'terkirim' at once, on this desk only. With no outgoing
// number left, the letter is not signed and says why. With a number format that prints {klasifikasi},
// the import asks for the code, and the number and the registration carry it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../common/dates.ts';
import type { DeviceWorkerHost } from '../../main/devices/host.ts';
import type { Router } from '../../main/ipc/router.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { deskDeliveries } from '../support/deliveries.ts';
import { importAndSign, importRequest, ok, signingDesk } from '../support/signing-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };

/** A sync round that starts after everything done so far: the engine's own tick may have a round under way that began before it. */
async function syncRound(d: TestDesk) {
  await d.sync.engine.syncNow();
  return d.sync.engine.syncNow();
}
// The office's year (WIB), as the desk numbers: on 31 December evening UTC it is already the next.
const year = Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4));

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

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
    const { router, host } = await signingDesk(d);
    hosts.push(host);
    return router;
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
    d.store.agenda.saveOutgoingConfig({ template: '{urut:4}/{klasifikasi}/{tahun}', unitCode: '' }, 'test');
    d.store.agenda.saveClassification({ code: '440', name: 'Kesehatan' }, 'test');

    // Without a code, or with one not on the list: refused in Bahasa Indonesia before anything is written.
    const before = { letters: d.store.letters.outgoing().length, outbox: d.store.outbox.countPending(), audit: d.store.audit.count() };
    expect(await router.call('sign.outgoing.import', await importRequest(router, 'Surat tanpa kode klasifikasi'), ctx)).toMatchObject({
      ok: false, error: { code: 'VALIDATION', message: 'Kode klasifikasi arsip wajib diisi karena format nomor surat kantor ini memakainya. Pilih kode dari daftar klasifikasi.' },
    });
    expect(await router.call('sign.outgoing.import', await importRequest(router, 'Surat dengan kode asing', { classificationCode: '999' }), ctx)).toMatchObject({
      ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/^Kode klasifikasi 999 tidak ada di daftar klasifikasi arsip/) },
    });
    expect({ letters: d.store.letters.outgoing().length, outbox: d.store.outbox.countPending(), audit: d.store.audit.count() }).toEqual(before);

    const { id, result } = await importAndSign(d, router, 'Laporan kasus demam berdarah', { classificationCode: '440' });
    expect(result).toMatchObject({ outcome: 'signed', error: null });
    const signed = await ok(router, 'outgoing.get', { id });
    expect(signed).toMatchObject({ status: 'signed', agendaLabel: `${String(block.first).padStart(4, '0')}/440/${year}`, letterNumber: `${String(block.first).padStart(4, '0')}/440/${year}` });
    await syncRound(d);
    expect(await srv.server.db.selectFrom('letters').select(['classification', 'letter_number']).where('id', '=', id).executeTakeFirst())
      .toEqual({ classification: '440', letter_number: signed.letterNumber });
  });
});
