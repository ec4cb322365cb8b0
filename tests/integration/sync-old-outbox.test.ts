// A desk updated to this Loket still holds outbox entries an earlier version wrote: letter snapshots
// without the fields added since, a "Kirim ke kantor lain" from before addressees outside the system
// existed, a correction of a letter the server already has. They are read through today's outbox
// schemas and sent as they were meant. An entry this version cannot read — a payload in an unknown
// shape, a kind it has no mutation for — is never dropped: it waits in Antrian Sinkron for a person
// with the reason, and the rest of the queue goes on.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { backendNames } from '../support/server.ts';
import { serverWithDesks } from '../support/server-desks.ts';
import type { TestDesk } from '../support/sync-desk.ts';

describe.each(backendNames())('on %s', (backend) => {
  const env = serverWithDesks(backend, { config: { numbering: { blockSize: 100 } } });

  async function desk(username: string): Promise<TestDesk> {
    const d = await env.desk(username);
    return d;
  }

  /** Writes outbox rows the way an earlier Loket left them, through its own connection to the desk's database. */
  function writtenByAnEarlierLoket(d: TestDesk, rows: { entity: string; entityId: string; op: string; payload: string }[], rewrite?: (db: Database.Database) => void): void {
    const db = new Database(join(d.dir, 'loket.db'));
    try {
      rewrite?.(db);
      const insert = db.prepare('INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const r of rows) insert.run(uuidv7(), r.entity, r.entityId, r.op, r.payload, new Date().toISOString());
    } finally {
      db.close();
    }
  }

  it('entries of the earlier formats are sent as meant; unreadable ones wait for a person with the reason', async () => {
    const d = await desk('operator.dinkes');
    const block = await d.sync.numberBlocks.lease('in', 2026, 2);
    const corrected = await d.register(block.first, { subject: 'Permohonan data gizi' });
    expect((await d.sync.engine.syncNow()).lastError).toBeNull();
    const late = await d.register(block.first + 1, { subject: 'Undangan sosialisasi' });

    writtenByAnEarlierLoket(d, [
      // A correction of a letter the server has, written before agenda labels existed.
      { entity: 'letter', entityId: corrected.id, op: 'update', payload: JSON.stringify({ id: corrected.id, changes: { subject: 'Permohonan data gizi balita', status: 'in_disposition' }, updatedAt: '2026-03-02T09:00:00.000Z' }) },
      // "Kirim ke kantor lain" from before addressees outside the system: no `external`.
      { entity: 'delivery', entityId: late.id, op: 'deliver', payload: JSON.stringify({ toOfficeIds: ['office-disdik'] }) },
      // A payload this version cannot read, and a kind it has no mutation for.
      { entity: 'delivery', entityId: late.id, op: 'deliver', payload: JSON.stringify({ kantor: 'office-setda' }) },
      { entity: 'disposition', entityId: uuidv7(), op: 'create', payload: JSON.stringify({ letterId: late.id }) },
      // An export of the agenda book, queued by versions that took it for a change to send: completed here, never shown.
      { entity: 'agenda_book', entityId: '2026-03-01..2026-03-31', op: 'export', payload: JSON.stringify({ from: '2026-03-01', to: '2026-03-31', entries: 2 }) },
    ], (db) => {
      // The letter's own entry as a v1 desk wrote it: the snapshot without agendaLabel.
      const row = db.prepare("SELECT seq, payload FROM outbox WHERE entity = 'letter' AND entity_id = ? AND op = 'create'").get(late.id) as { seq: number; payload: string };
      const { agendaLabel: _dropped, ...v1 } = JSON.parse(row.payload) as Record<string, unknown>;
      expect(_dropped).not.toBeUndefined();
      db.prepare('UPDATE outbox SET payload = ? WHERE seq = ?').run(JSON.stringify(v1), row.seq);
    });

    const status = await d.sync.engine.syncNow();
    expect(status).toMatchObject({ state: 'idle', lastError: null, counts: { pending: 0, in_progress: 0, failed: 0, rejected: 2 } });
    // Sent as meant: the late letter registered once, the correction applied, the delivery made.
    const onServer = await env.srv.server.db.selectFrom('letters').select(['id', 'subject']).where('office_id', '=', 'office-dinkes').execute();
    expect(onServer.filter((l) => l.id === late.id)).toEqual([{ id: late.id, subject: 'Undangan sosialisasi' }]);
    expect(onServer.filter((l) => l.id === corrected.id)).toEqual([{ id: corrected.id, subject: 'Permohonan data gizi balita' }]);
    expect(await env.srv.server.db.selectFrom('deliveries').select('to_office_id').where('letter_id', '=', late.id).execute()).toEqual([{ to_office_id: 'office-disdik' }]);
    const receiver = await desk('admin.disdik');
    await receiver.sync.engine.syncNow();
    expect(receiver.store.deliveries.waiting().map((r) => ({ letterId: r.letterId, subject: r.data.letter.subject }))).toEqual([{ letterId: late.id, subject: 'Undangan sosialisasi' }]);
    // The letter's view counts the delivery it can read.
    expect(d.store.deliveries.sent(late.id).map((s) => [s.officeId, s.state])).toEqual([['office-disdik', 'done']]);

    // Never dropped: both wait in Antrian Sinkron with the reason, and a person may discard them.
    const waiting = d.store.sync.queue();
    expect(waiting.map((e) => [e.entity, e.op, e.state, e.problem?.code])).toEqual([['delivery', 'deliver', 'rejected', 'UNSUPPORTED'], ['disposition', 'create', 'rejected', 'UNSUPPORTED']]);
    // Said in a clerk's words: what the change is about, never the entry's internal kind.
    expect(waiting[0]!.problem?.message).toMatch(/^Isi perubahan ini \(pengiriman surat\) tidak dapat dibaca oleh versi Loket ini, sehingga tidak dikirim\. Perubahan tetap tersimpan/);
    // A disposition of the early per-person format: the kind is known now, its old content cannot be read.
    expect(waiting[1]!.problem?.message).toMatch(/^Isi perubahan ini \(disposisi\) tidak dapat dibaca oleh versi Loket ini, sehingga tidak dikirim\. Perubahan tetap tersimpan/);
    const queue = await d.sync.handlers['sync.queue']({}, { origin: 'test' });
    expect(queue.items.map((i) => i.title)).toEqual([`Kirim surat: Undangan sosialisasi (nomor urut ${block.first + 1} buku agenda surat masuk 2026)`, 'Disposisi']);
    d.store.sync.discard(waiting[0]!.seq, 'user-operator-dinkes');
    expect(d.store.sync.queue()).toHaveLength(1);
  });
});
