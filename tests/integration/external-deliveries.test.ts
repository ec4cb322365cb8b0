// Addressees outside the system, desk to desk through the real server over TLS: at one desk of
// Dinas Kesehatan the clerk adds a company (by email) and a citizen (on paper) to a signed outgoing
// letter; offline it is on the to-do at once; after sync the office's other desk sees the same to-do,
// marks the email sent, and the first desk then sees it sent; Dinas Pendidikan sees nothing of it.
// A bad or missing email, an empty name and an unnumbered letter are refused in Bahasa Indonesia
// before anything is written.
import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { AppError } from '../../common/errors.ts';
import { externalHandlers } from '../../main/letters/delivery/external.ts';
import { outgoingAgendaEntry } from '../../main/letters/outgoing/outgoing.ts';
import { importOutgoingForSigning } from '../../main/letters/outgoing/import.ts';
import { letterPdf } from '../support/deliveries.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';
import type { TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };

/** A sync round that starts after everything done so far: the engine's own tick may have a round under way that began before it. */
async function syncRound(d: TestDesk) {
  await d.sync.engine.syncNow();
  return d.sync.engine.syncNow();
}

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend, { config: { numbering: { blockSize: 100 } } });

  async function desk(username: string) {
    const d = await env.desk(username);
    const handlers = externalHandlers({ store: d.store, bus: createEventBus(createLogger({ level: 'error' })), actor: () => d.sync.session.user()!.id, syncSoon: () => undefined });
    return { d, h: handlers };
  }

  /** An outgoing letter imported and signed as signing leaves it: signed, with the next outgoing number. */
  async function signedLetter(d: TestDesk, subject: string) {
    const block = await d.sync.numberBlocks.lease('out', 2026, 5);
    d.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
    const letter = await importOutgoingForSigning(d.store, d.blobs, { bytes: await letterPdf('DINAS KESEHATAN', ['Nomor : ......', `Perihal: ${subject}`]), fileName: 'surat.pdf', subject, addressee: 'PT Sehat Sentosa', signer: 'user-penandatangan-dinkes' }, 'test');
    return d.store.letters.update(letter.id, { ...outgoingAgendaEntry(d.store, letter, { today: '2026-11-23', hasServer: true, officeName: 'Dinas Kesehatan' }), status: 'signed' }, 'test');
  }

  it('two desks of one office share the to-do: added at one, marked sent at the other, seen sent at the first; another office sees nothing', async () => {
    const a = await desk('operator.dinkes');
    const letter = await signedLetter(a.d, 'Undangan sosialisasi gizi seimbang');
    const added = await a.h['external.add']({ letterId: letter.id, addressees: [
      { name: ' PT Sehat Sentosa ', channel: 'email', email: 'sekretariat@sehat-sentosa.co.id' },
      { name: 'Bapak Sutrisno', channel: 'print' },
    ] }, ctx);
    // Offline (not synced yet), the to-do is there at once.
    expect(added).toMatchObject([
      { name: 'PT Sehat Sentosa', channel: 'email', email: 'sekretariat@sehat-sentosa.co.id', sentAt: null, synced: false, letterSubject: 'Undangan sosialisasi gizi seimbang', letterNumber: letter.letterNumber },
      { name: 'Bapak Sutrisno', channel: 'print', email: null, sentAt: null, synced: false },
    ]);
    expect((await a.h['external.pending']({}, ctx)).map((r) => r.name)).toEqual(['PT Sehat Sentosa', 'Bapak Sutrisno']);
    expect((await a.d.sync.handlers['sync.queue']({}, ctx)).items.map((i) => i.title)).toContain(`Penerima di luar sistem: Undangan sosialisasi gizi seimbang (No. agenda ${letter.agendaLabel})`);
    expect(await syncRound(a.d)).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });
    expect((await a.h['external.list']({ letterId: letter.id }, ctx)).map((r) => r.synced)).toEqual([true, true]);

    // The office's other desk: the same to-do after its sync, with the letter's subject and number.
    const b = await desk('admin.dinkes');
    await syncRound(b.d);
    const seen = await b.h['external.pending']({}, ctx);
    expect(seen).toMatchObject([
      { id: added[0]!.id, letterId: letter.id, name: 'PT Sehat Sentosa', channel: 'email', sentAt: null, synced: true, letterSubject: 'Undangan sosialisasi gizi seimbang', letterNumber: letter.letterNumber },
      { id: added[1]!.id, name: 'Bapak Sutrisno', channel: 'print', sentAt: null },
    ]);
    const marked = await b.h['external.markSent']({ letterId: letter.id, externalId: added[0]!.id }, ctx);
    expect(marked[0]!.sentAt).toEqual(expect.any(String));
    expect(b.d.store.audit.list().map((e) => e.action)).toContain('letter.external-sent');
    // Antrian Sinkron names what waits, though this desk never had the letter itself.
    const queued = await b.d.sync.handlers['sync.queue']({}, ctx);
    expect(queued.items.map((i) => i.title)).toEqual([`Tandai sudah dikirim di luar sistem: Undangan sosialisasi gizi seimbang (No. surat ${letter.letterNumber})`]);
    expect(await syncRound(b.d)).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });

    await syncRound(a.d);
    const atA = await a.h['external.list']({ letterId: letter.id }, ctx);
    expect(atA.map((r) => [r.name, r.sentAt !== null])).toEqual([['PT Sehat Sentosa', true], ['Bapak Sutrisno', false]]);
    expect((await a.h['external.pending']({}, ctx)).map((r) => r.name)).toEqual(['Bapak Sutrisno']);

    const disdik = await desk('operator.disdik');
    await syncRound(disdik.d);
    expect(await disdik.h['external.pending']({}, ctx)).toEqual([]);
    expect(await disdik.h['external.list']({ letterId: letter.id }, ctx)).toEqual([]);
  });

  it('a signed letter is terkirim once every addressee outside the system is marked sent; the status stays on the desk', async () => {
    const { d, h } = await desk('operator.dinkes');
    const letter = await signedLetter(d, 'Hasil pemeriksaan air bersih');
    const added = await h['external.add']({ letterId: letter.id, addressees: [
      { name: 'PT Air Jernih', channel: 'email', email: 'tu@airjernih.co.id' },
      { name: 'Ibu Wulandari', channel: 'print' },
    ] }, ctx);
    await h['external.markSent']({ letterId: letter.id, externalId: added[0]!.id }, ctx);
    expect(d.store.letters.get(letter.id)!.status).toBe('signed');
    await h['external.markSent']({ letterId: letter.id, externalId: added[1]!.id }, ctx);
    expect(d.store.letters.get(letter.id)!.status).toBe('sent');
    expect(d.store.audit.list().filter((e) => e.entityId === letter.id).map((e) => [e.action, JSON.parse(String(e.details))]).slice(-2))
      .toEqual([['letter.external-sent', { externalId: added[1]!.id }], ['letter.updated', { fields: ['status'] }]]);
    // The server keeps no workflow status: the change completes on the desk, the marks reach the server.
    expect(await syncRound(d)).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });
    expect(d.store.letters.get(letter.id)!.status).toBe('sent');
    expect((await h['external.list']({ letterId: letter.id }, ctx)).map((r) => [r.synced, r.sentAt !== null])).toEqual([[true, true], [true, true]]);
  });

  it('a bad or missing email, an empty name and an unsigned letter are refused in Bahasa Indonesia, and nothing is written', async () => {
    const { d, h } = await desk('operator.dinkes');
    const letter = await signedLetter(d, 'Pemberitahuan jadwal posyandu');
    const before = { outbox: d.store.outbox.countPending(), audit: d.store.audit.count() };
    const refused = async (addressees: { name: string; channel: 'email' | 'print'; email?: string }[], id = letter.id) => {
      const err = await Promise.resolve().then(() => h['external.add']({ letterId: id, addressees }, ctx)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError).message;
    };
    expect(await refused([{ name: 'PT Contoh', channel: 'email', email: 'sekretariat-at-contoh' }])).toBe('Alamat email "sekretariat-at-contoh" tidak sah. Periksa lagi, contoh: sekretariat@perusahaan.co.id');
    expect(await refused([{ name: 'Bapak Sutrisno', channel: 'print' }, { name: 'PT Contoh', channel: 'email' }])).toBe('Alamat email untuk PT Contoh wajib diisi bila surat dikirim lewat email.');
    expect(await refused([{ name: '   ', channel: 'print' }])).toMatch(/^Nama penerima di luar sistem wajib diisi/);
    const unsigned = await importOutgoingForSigning(d.store, d.blobs, { bytes: await letterPdf('Belum ditandatangani', ['Nomor : ......']), fileName: 'b.pdf', subject: 'Belum ditandatangani', addressee: 'PT Contoh', signer: 'x' }, 'test');
    const after = { outbox: d.store.outbox.countPending(), audit: d.store.audit.count() };
    expect(await refused([{ name: 'PT Contoh', channel: 'print' }], unsigned.id)).toMatch(/harus ditandatangani/);
    expect({ outbox: d.store.outbox.countPending(), audit: d.store.audit.count() }).toEqual(after);
    expect(after.outbox - before.outbox).toBe(1); // the import of the unsigned letter alone
    expect(await h['external.list']({ letterId: letter.id }, ctx)).toEqual([]);
  });
});
