// Letters delivered between offices, desk to desk through the real server over TLS: the Dinas
// Kesehatan desk registers a letter with its PDF and sends it to Dinas Pendidikan; the Dinas
// Pendidikan desk sees it among "Kiriman dari kantor lain", downloads the PDF (the same bytes) and
// registers it under its own agenda number, after which it is no longer offered and the server has
// it; Setda sees nothing. A download cut mid-way resumes where it stopped, and with the server out of
// reach the list still shows, the download says so in Bahasa Indonesia, and nothing is lost.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import { AppError } from '../../common/errors.ts';
import { seedClassifications } from '../../main/letters/numbering/classifications.ts';
import { deskDeliveries, letterFields, letterPdf, registerWithPdf } from '../support/deliveries.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';
import type { TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };
const chunkBytes = 16 * 1024;

/** The path of the file named `name` somewhere under `dir` (the server's blob store lays files out as it likes). */
function findFile(dir: string, name: string): string {
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith(name) && !p.includes('partial'));
  expect(found).toHaveLength(1);
  return join(dir, found[0]!);
}

/** A TCP relay in front of the server that can go down: cut once `bytes` more reach the desk, then refuse until up(). */
async function startRelay(targetPort: number) {
  const sockets = new Set<Socket>();
  let down = false;
  let cutAfter: number | undefined;
  const cut = () => { down = true; for (const s of sockets) s.destroy(); };
  const relay: TcpServer = createTcpServer((client) => {
    if (down) { client.destroy(); return; }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d: Buffer) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      if (cutAfter !== undefined) {
        const left = cutAfter - d.length;
        cutAfter = left > 0 ? left : undefined;
        if (left <= 0) { client.write(d.subarray(0, d.length + left)); cut(); return; }
      }
      client.write(d);
    });
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(relay.address() as { port: number }).port}`,
    cutAfter(bytes: number) { cutAfter = bytes; },
    down: cut,
    up() { down = false; },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); relay.close(() => r()); }),
  };
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend, { config: { numbering: { blockSize: 100 } } });

  /** A desk signed in as `username`, with the classification list and a block of agenda numbers. */
  async function desk(username: string, url = env.srv.url): Promise<TestDesk> {
    const d = await env.desk(undefined, { serverUrl: url });
    seedClassifications(d.store);
    await d.sync.auth.login(username, demoPassword);
    if (!username.startsWith('staf.')) {
      const block = await d.sync.numberBlocks.lease('in', 2026, 20);
      d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, year: block.year, first: block.first, last: block.last }, 'test');
    }
    return d;
  }

  const expectAppError = async (work: () => unknown, code: string) => {
    const err = await Promise.resolve().then(work).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    return err as AppError;
  };

  it('a letter sent by Dinas Kesehatan reaches Dinas Pendidikan, is downloaded intact and registered under its own agenda number, once', async () => {
    const dinkes = await desk('operator.dinkes');
    const sender = deskDeliveries(dinkes, { chunkBytes });
    const pdf = await letterPdf('Surat Dinas Kesehatan: vaksinasi anak sekolah', [], 60_000);
    const letter = await registerWithPdf(dinkes, pdf);

    // The other offices of the region, this one left out.
    const offices = await sender['deliveries.offices']({}, ctx);
    expect(offices.refusal).toBeNull();
    expect(offices.offices.map((o) => o.id).sort()).toEqual(['office-disdik', 'office-setda']);
    await expectAppError(() => sender['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-dinkes'] }, ctx), 'VALIDATION');

    // Sent before the letter itself reached the server: it waits in the outbox, after the registration.
    const waiting = await sender['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-disdik'] }, ctx);
    expect(waiting).toMatchObject([{ officeId: 'office-disdik', officeName: 'Dinas Pendidikan dan Kebudayaan', state: 'waiting' }]);
    expect(dinkes.store.sync.queue().map((e) => `${e.entity}/${e.op}`)).toEqual(['letter/create', 'delivery/deliver']);
    expect(await dinkes.sync.engine.syncNow()).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });
    expect(await sender['deliveries.sent']({ letterId: letter.id }, ctx)).toMatchObject([{ officeId: 'office-disdik', state: 'sent', problem: null }]);

    // Dinas Pendidikan: the letter is offered with who sent it, their number, date, subject and urgency.
    const disdik = await desk('operator.disdik');
    const receiver = deskDeliveries(disdik, { chunkBytes });
    await disdik.sync.engine.syncNow();
    const offered = await receiver['deliveries.received']({}, ctx);
    expect(offered).toMatchObject([{
      letterId: letter.id, fromOfficeId: 'office-dinkes', fromOfficeName: 'Dinas Kesehatan', letterNumber: '440/118/DINKES/2026', letterDate: '2026-02-27',
      subject: 'Pelaksanaan vaksinasi anak sekolah', urgency: 'segera', classification: '440', senderAgenda: `${letter.agendaNumber}/2026`, hasDocument: true, registeredAs: null,
    }]);

    // Opening it downloads the PDF into this desk's document store: the very bytes Dinas Kesehatan registered
    // (opened twice at once, as a double click does: one download, each range asked once).
    const [opened] = await Promise.all([receiver['deliveries.open']({ letterId: letter.id }, ctx), receiver['deliveries.open']({ letterId: letter.id }, ctx)]);
    expect(opened.document).toMatchObject({ documentId: letter.documentHash, pageCount: 1, registeredAs: null });
    expect((await disdik.blobs.read(opened.document.documentId)).equals(pdf)).toBe(true);
    expect(receiver.requests.filter((r) => r.path.startsWith('/blobs/')).map((r) => r.range)).toEqual(
      Array.from({ length: Math.ceil(pdf.length / chunkBytes) }, (_, i) => `bytes=${i * chunkBytes}-${(i + 1) * chunkBytes - 1}`));

    // Catat ke agenda: this office's own number, by the normal registration (a letter.register to the server).
    const prefilled = letterFields({ receivedDate: '2026-03-03', sender: opened.delivery.fromOfficeName, addressee: 'Kepala Dinas Pendidikan dan Kebudayaan' });
    const registered = await receiver['deliveries.register']({ letterId: letter.id, documentId: opened.document.documentId, fields: prefilled }, ctx);
    const disdikBlock = disdik.store.agenda.blocks()[0]!;
    expect(registered.letter).toMatchObject({ agendaNumber: disdikBlock.first, sender: 'Dinas Kesehatan', documentHash: letter.documentHash });
    expect(registered.letter.id).not.toBe(letter.id);
    expect(await receiver['deliveries.received']({}, ctx)).toEqual([]);
    await expectAppError(() => receiver['deliveries.register']({ letterId: letter.id, documentId: opened.document.documentId, fields: prefilled }, ctx), 'LETTER_ALREADY_REGISTERED');

    expect(await disdik.sync.engine.syncNow()).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });
    const onServer = await env.srv.server.db.selectFrom('letters').select(['id', 'office_id', 'agenda_number', 'sender']).where('id', '=', registered.letter.id).execute();
    expect(onServer).toEqual([{ id: registered.letter.id, office_id: 'office-disdik', agenda_number: disdikBlock.first, sender: 'Dinas Kesehatan' }]);
    // Its own delivery row comes back in the next pull: still not offered again.
    expect(await receiver['deliveries.received']({}, ctx)).toEqual([]);

    // Setda was not sent the letter: nothing is offered there.
    const setda = await desk('operator.setda');
    await setda.sync.engine.syncNow();
    expect(await deskDeliveries(setda)['deliveries.received']({}, ctx)).toEqual([]);
  });

  it('a delivery registered at one desk of the office is offered no more at the others; two desks registering it offline at once: the second is refused with the reason', async () => {
    const dinkes = await desk('operator.dinkes');
    const sender = deskDeliveries(dinkes, { chunkBytes });
    await sender['deliveries.offices']({}, ctx);
    const send = async (title: string) => {
      const letter = await registerWithPdf(dinkes, await letterPdf(title), { subject: title });
      await sender['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-disdik'] }, ctx);
      return letter;
    };
    const first = await send('Undangan rapat koordinasi');
    const second = await send('Permintaan data guru');
    await dinkes.sync.engine.syncNow();

    // Two desks of Dinas Pendidikan: the operator's and the admin's.
    const [a, b] = [await desk('operator.disdik'), await desk('admin.disdik')];
    const [atA, atB] = [deskDeliveries(a, { chunkBytes }), deskDeliveries(b, { chunkBytes })];
    await a.sync.engine.syncNow();
    await b.sync.engine.syncNow();
    expect((await atB['deliveries.received']({}, ctx)).map((d) => d.subject).sort()).toEqual(['Permintaan data guru', 'Undangan rapat koordinasi']);
    const register = async (h: typeof atA, letterId: string) => {
      const opened = await h['deliveries.open']({ letterId }, ctx);
      return h['deliveries.register']({ letterId, documentId: opened.document.documentId, fields: letterFields({ sender: 'Dinas Kesehatan', subject: opened.delivery.subject }) }, ctx);
    };

    // Desk A registers the first one and syncs; desk B, after its next sync, no longer offers it and will not register it.
    const atAgenda = await register(atA, first.id);
    await a.sync.engine.syncNow();
    await b.sync.engine.syncNow();
    expect((await atB['deliveries.received']({}, ctx)).map((d) => d.subject)).toEqual(['Permintaan data guru']);
    const refused = await expectAppError(() => register(atB, first.id), 'LETTER_ALREADY_REGISTERED');
    expect(refused.message).toContain(`oleh meja lain (nomor agenda ${atAgenda.letter.agendaNumber}/2026)`);

    // Both register the second one before either syncs: the server keeps the first to arrive and refuses the other, with its reason.
    const fromA = await register(atA, second.id);
    const fromB = await register(atB, second.id);
    await a.sync.engine.syncNow();
    expect(await b.sync.engine.syncNow()).toMatchObject({ counts: { rejected: 1 } });
    const [rejected] = b.store.sync.queue().filter((e) => e.state === 'rejected');
    expect(rejected).toMatchObject({ entityId: fromB.letter.id, problem: { code: 'DELIVERY_ALREADY_REGISTERED' } });
    expect(rejected!.problem!.message).toContain(`nomor agenda ${fromA.letter.agendaNumber}/2026`);
    const onServer = await env.srv.server.db.selectFrom('deliveries').select(['letter_id', 'registered_letter_id']).where('to_office_id', '=', 'office-disdik')
      .where('letter_id', 'in', [first.id, second.id]).orderBy('letter_id').execute();
    expect(onServer).toEqual([{ letter_id: first.id, registered_letter_id: atAgenda.letter.id }, { letter_id: second.id, registered_letter_id: fromA.letter.id }].sort((x, y) => x.letter_id.localeCompare(y.letter_id)));
    expect(await atA['deliveries.received']({}, ctx)).toEqual([]);
    expect(await atB['deliveries.received']({}, ctx)).toEqual([]);
  });

  it('only roles the server lets deliver may send; a staff member is told why and nothing is queued', async () => {
    const staff = await desk('staf.dinkes');
    const h = deskDeliveries(staff);
    const offices = await h['deliveries.offices']({}, ctx);
    expect(offices.refusal).toMatchObject({ code: 'DELIVERY_ROLE_REQUIRED' });
    expect(offices.refusal!.message).toMatch(/admin kantor, operator utama, atau pejabat penandatangan/);
    await expectAppError(() => h['deliveries.send']({ letterId: '0190b2d2-0000-7000-8000-000000000000', toOfficeIds: ['office-disdik'] }, ctx), 'DELIVERY_ROLE_REQUIRED');
    expect(staff.store.sync.queue()).toEqual([]);
  });

  it('a delivery the server refuses waits in Antrian Sinkron with its reason, like every other refusal', async () => {
    const dinkes = await desk('operator.dinkes');
    const h = deskDeliveries(dinkes, { chunkBytes });
    await h['deliveries.offices']({}, ctx);
    // A number this desk was never lent: the server refuses the letter, so the delivery has no letter to send.
    const letter = await dinkes.register(9_999, { subject: 'Surat dengan nomor yang tidak dipinjamkan' });
    await h['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-setda'] }, ctx);
    await dinkes.sync.engine.syncNow();
    const queue = await dinkes.sync.handlers['sync.queue']({}, ctx);
    expect(queue.items.map((i) => [i.entity, i.state, i.problem?.code])).toEqual([['letter', 'rejected', 'AGENDA_NUMBER_NOT_LEASED'], ['delivery', 'rejected', 'LETTER_NOT_FOUND']]);
    expect(queue.items[1]!.title).toBe('Kirim ke kantor lain: Surat dengan nomor yang tidak dipinjamkan (nomor urut 9999 buku agenda surat masuk 2026)');
    expect(queue.items[1]!.problem!.message).not.toBe('');
    expect(await h['deliveries.sent']({ letterId: letter.id }, ctx)).toMatchObject([{ officeId: 'office-setda', officeName: 'Sekretariat Daerah', state: 'rejected', problem: queue.items[1]!.problem!.message }]);
  });

  it('a file that arrives different from its fingerprint is thrown away with a clear message; the letter stays offered', async () => {
    const dinkes = await desk('operator.dinkes');
    const sender = deskDeliveries(dinkes, { chunkBytes });
    const pdf = await letterPdf('Surat Dinas Kesehatan: data sekolah sehat', [], 40_000);
    const letter = await registerWithPdf(dinkes, pdf, { letterNumber: '440/250/DINKES/2026', subject: 'Data sekolah sehat' });
    await sender['deliveries.offices']({}, ctx);
    await sender['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-disdik'] }, ctx);
    await dinkes.sync.engine.syncNow();
    // The server's copy is damaged on its disk (same size, other bytes).
    const stored = findFile(env.srv.config.blobDir, letter.documentHash!);
    const damaged = Buffer.from(pdf);
    damaged.fill(0x20, 20_000, 20_100);
    writeFileSync(stored, damaged);

    const disdik = await desk('operator.disdik');
    const receiver = deskDeliveries(disdik, { chunkBytes });
    await disdik.sync.engine.syncNow();
    const refused = await expectAppError(() => receiver['deliveries.open']({ letterId: letter.id }, ctx), 'DOWNLOAD_HASH_MISMATCH');
    expect(refused.message).toMatch(/tidak cocok dengan sidik digitalnya \(SHA-256\), sehingga tidak dipakai/);
    expect(await disdik.blobs.has(letter.documentHash!)).toBe(false);
    expect(existsSync(join(disdik.dir, 'downloads', `${letter.documentHash}.part`))).toBe(false);
    expect((await receiver['deliveries.received']({}, ctx)).map((d) => d.letterId)).toContain(letter.id);

    // Repaired on the server: the next attempt downloads it whole.
    writeFileSync(stored, pdf);
    const opened = await receiver['deliveries.open']({ letterId: letter.id }, ctx);
    expect((await disdik.blobs.read(opened.document.documentId)).equals(pdf)).toBe(true);
  });

  it('a download cut mid-way resumes by Range; with the server out of reach the list stays and the download says so, losing nothing', async () => {
    const dinkes = await desk('admin.dinkes');
    const sender = deskDeliveries(dinkes, { chunkBytes });
    const pdf = await letterPdf('Surat Dinas Kesehatan: laporan gizi balita', [], 150_000);
    const letter = await registerWithPdf(dinkes, pdf, { letterNumber: '440/207/DINKES/2026', subject: 'Laporan gizi balita triwulan I' });
    await sender['deliveries.offices']({}, ctx);
    await sender['deliveries.send']({ letterId: letter.id, toOfficeIds: ['office-disdik', 'office-setda'] }, ctx);
    await dinkes.sync.engine.syncNow();

    const relay = await startRelay(Number(new URL(env.srv.url).port));
    try {
      const disdik = await desk('admin.disdik', relay.url);
      const receiver = deskDeliveries(disdik, { chunkBytes });
      await receiver['deliveries.offices']({}, ctx);
      await disdik.sync.engine.syncNow();
      const offered = async () => (await receiver['deliveries.received']({}, ctx)).filter((d) => d.letterId === letter.id);
      expect((await offered()).map((d) => d.subject)).toEqual(['Laporan gizi balita triwulan I']);

      // The connection drops after about three ranges: the ones that arrived whole are kept.
      relay.cutAfter(3 * chunkBytes + 2000);
      const cut = await expectAppError(() => receiver['deliveries.open']({ letterId: letter.id }, ctx), 'DOWNLOAD_OFFLINE');
      expect(cut.message).toMatch(/^Server tidak dapat dihubungi, sehingga berkas surat kiriman belum dapat diunduh/);
      const partial = join(disdik.dir, 'downloads', `${letter.documentHash}.part`);
      const kept = statSync(partial).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept % chunkBytes).toBe(0);

      // Still out of reach: the list shows from this desk, the office list too, and the part stays.
      expect((await offered()).map((d) => d.fromOfficeName)).toEqual(['Dinas Kesehatan']);
      expect((await receiver['deliveries.offices']({}, ctx)).offices.map((o) => o.id).sort()).toEqual(['office-dinkes', 'office-setda']);
      await expectAppError(() => receiver['deliveries.open']({ letterId: letter.id }, ctx), 'DOWNLOAD_OFFLINE');
      expect(statSync(partial).size).toBe(kept);

      // Back online: the next attempt asks only for the bytes still missing.
      relay.up();
      receiver.requests.length = 0;
      const opened = await receiver['deliveries.open']({ letterId: letter.id }, ctx);
      const ranges = receiver.requests.filter((r) => r.path.startsWith('/blobs/')).map((r) => r.range);
      expect(ranges[0]).toBe(`bytes=${kept}-${kept + chunkBytes - 1}`);
      expect(ranges).toHaveLength(Math.ceil((pdf.length - kept) / chunkBytes));
      expect((await disdik.blobs.read(opened.document.documentId)).equals(pdf)).toBe(true);
      expect(existsSync(partial)).toBe(false);
      expect(readdirSync(join(disdik.dir, 'downloads'))).toEqual([]);
    } finally {
      await relay.close();
    }
  });
});
