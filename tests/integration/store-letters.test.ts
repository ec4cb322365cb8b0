import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/store/store.ts';
import type { NewLetter } from '../../main/store/letters.ts';
import { AppError } from '../../common/errors.ts';
import { DashboardSchema } from '../../common/ipc/app.ts';
import { collectingLogger } from '../../common/logger.ts';

let dir: string;
let file: string;
let store: Store;
const clerk = 'meja:Meja Agenda';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-letters-'));
  file = join(dir, 'loket.db');
  store = openStore(file, { log: collectingLogger() });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const incoming = (overrides: Partial<NewLetter> = {}): NewLetter => ({
  direction: 'incoming',
  status: 'registered',
  subject: 'Undangan rapat koordinasi penanganan stunting',
  sender: 'Dinas Kesehatan',
  receivedDate: '2026-11-23',
  letterNumber: '400.7/1123/DINKES/2026',
  letterDate: '2026-11-20',
  ...overrides,
});

/** FTS5's own check that the index matches the letters table exactly. */
function ftsIntegrity(): void {
  const db = new Database(file);
  db.prepare("INSERT INTO letters_fts (letters_fts, rank) VALUES ('integrity-check', 1)").run();
  db.close();
}
const counts = () => ({ letters: store.dashboard('2026-11-23').incomingTotal + store.dashboard('2026-11-23').outgoingTotal, outbox: store.outbox.countPending(), audit: store.audit.count() });

describe('registering letters', () => {
  it('a registered letter is saved together with its sync mutation and its audit entry', () => {
    const letter = store.letters.create(incoming({ agendaNumber: 1, agendaYear: 2026, urgency: 'segera' }), clerk);
    expect(store.letters.get(letter.id)).toEqual(letter);
    expect(letter.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const [mutation] = store.outbox.listPending();
    expect(mutation).toMatchObject({ entity: 'letter', entityId: letter.id, op: 'create', state: 'pending', attempts: 0, payload: letter });
    const [entry] = store.audit.list();
    expect(entry).toMatchObject({ actor: clerk, action: 'letter.registered', entity: 'letter', entityId: letter.id });
  });

  it('the same agenda number is never given twice, and the refused letter leaves no trace', () => {
    store.letters.create(incoming({ agendaNumber: 7, agendaYear: 2026 }), clerk);
    const before = counts();
    expect(() => store.letters.create(incoming({ agendaNumber: 7, agendaYear: 2026, subject: 'Surat lain' }), clerk)).toThrow(/UNIQUE/);
    expect(counts()).toEqual(before);
    // The same number in the next year's register, or in the outgoing register, is fine.
    store.letters.create(incoming({ agendaNumber: 7, agendaYear: 2027 }), clerk);
    store.letters.create({ direction: 'outgoing', status: 'draft', subject: 'Balasan undangan', agendaNumber: 7, agendaYear: 2026 }, clerk);
  });

  it('work wrapped in one transaction is undone together when a later step fails', () => {
    const before = counts();
    expect(() =>
      store.transaction(() => {
        store.letters.create(incoming(), clerk);
        store.settings.update({ officeName: 'Dinas Kesehatan' }, clerk);
        throw new Error('scanner lost the second page');
      }),
    ).toThrow(/second page/);
    expect(counts()).toEqual(before);
    expect(store.settings.get().officeName).toBe('');
    expect(store.audit.verify().ok).toBe(true);
  });

  it('an outbox mutation cannot be written apart from the change it carries', () => {
    expect(() => store.outbox.append({ entity: 'letter', entityId: 'x', op: 'create', payload: {} })).toThrow(/inside the transaction/);
    const entries = store.transaction(() => [1, 2, 3].map((n) => store.outbox.append({ entity: 'agenda_book', entityId: `d${n}`, op: 'export', payload: { from: '2026-11-01', to: '2026-11-30', entries: n } })));
    expect(store.outbox.listPending().map((e) => e.entityId)).toEqual(['d1', 'd2', 'd3']);
    // UUIDv7 mutation ids sort in the order the desk made them.
    expect(entries.map((e) => e.mutationId)).toEqual(entries.map((e) => e.mutationId).sort());
  });

  it('a letter that breaks the agenda rules is refused by the database itself', () => {
    expect(() => store.letters.create(incoming({ receivedDate: null }), clerk)).toThrow(/CHECK/);
    expect(() => store.letters.create(incoming({ receivedDate: '2026-02-30' }), clerk)).toThrow(/CHECK/);
    expect(() => store.letters.create(incoming({ sender: '  ' }), clerk)).toThrow(/CHECK/);
    expect(() => store.letters.create(incoming({ agendaNumber: 3 }), clerk)).toThrow(/CHECK/);
    expect(() => store.letters.create(incoming({ classificationCode: 'abc' }), clerk)).toThrow(/CHECK/);
    expect(() => store.letters.create(incoming({ status: 'ready_to_sign' }), clerk)).toThrow(/not a status of an incoming letter/);
    expect(() => store.letters.create(incoming({ documentHash: 'a'.repeat(64) }), clerk)).toThrow(/FOREIGN KEY/);
    expect(counts()).toEqual({ letters: 0, outbox: 0, audit: 0 });
  });

  it('changing a letter records only what changed, and changing nothing records nothing', () => {
    const letter = store.letters.create(incoming(), clerk);
    const changed = store.letters.update(letter.id, { status: 'in_disposition', summary: 'Rapat 2 Desember di aula', subject: letter.subject }, clerk);
    expect(changed).toMatchObject({ status: 'in_disposition', summary: 'Rapat 2 Desember di aula' });
    expect(store.letters.get(letter.id)).toEqual(changed);
    expect(store.outbox.listPending()[1]).toMatchObject({ op: 'update', payload: { id: letter.id, changes: { status: 'in_disposition', summary: 'Rapat 2 Desember di aula' } } });
    expect(JSON.parse(store.audit.list()[1]!.details)).toEqual({ fields: ['status', 'summary'] });

    const before = counts();
    expect(store.letters.update(letter.id, { status: 'in_disposition' }, clerk)).toEqual(changed);
    expect(counts()).toEqual(before);
  });

  it('changing a letter that is not on this desk says so in Bahasa Indonesia', () => {
    const error = (() => {
      try {
        store.letters.update('01900000-0000-7000-8000-000000000000', { summary: 'x' }, clerk);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/tidak ditemukan/) });
  });
});

describe('searching letters', () => {
  it('finds a letter by any word of its number, subject, sender, summary or scanned text, as the clerk types', () => {
    const letter = store.letters.create(incoming({ summary: 'Peserta: kepala puskesmas', ocrText: 'Dengan hormat, bersama ini kami mengundang Bapak/Ibu' }), clerk);
    for (const typed of ['undang', 'Undangan rapat', 'dinas keseh', '1123/DINKES', 'puskesmas', 'mengundang bapak', 'STUNTING']) {
      expect(store.letters.search(typed).map((l) => l.id), typed).toEqual([letter.id]);
    }
    expect(store.letters.search('anggaran')).toEqual([]);
  });

  it('ranks a letter about the words above one that merely mentions them in a scan', () => {
    const mentions = store.letters.create(incoming({ subject: 'Laporan bulanan', ocrText: 'lampiran: data anggaran perjalanan dinas' }), clerk);
    const about = store.letters.create(incoming({ subject: 'Revisi anggaran perjalanan dinas', sender: 'BPKAD' }), clerk);
    expect(store.letters.search('anggaran perjalanan').map((l) => l.id)).toEqual([about.id, mentions.id]);
  });

  it('what a clerk types is never an FTS syntax error', () => {
    store.letters.create(incoming(), clerk);
    for (const typed of ['"', 'rapat"', 'AND', 'NOT rapat', 'rapat OR', '-', 'col:rapat', '*', '(rapat', '  ', 'NEAR(a b)']) {
      expect(() => store.letters.search(typed), typed).not.toThrow();
    }
    expect(store.letters.search('NOT rapat')).toEqual([]);
  });

  it('the index follows every change: new text is found, old text is gone, a removed letter disappears', () => {
    const letter = store.letters.create(incoming({ ocrText: 'halaman satu' }), clerk);
    store.letters.update(letter.id, { ocrText: 'hasil pindai ulang', status: 'in_disposition' }, clerk);
    expect(store.letters.search('halaman')).toEqual([]);
    expect(store.letters.search('pindai ulang').map((l) => l.id)).toEqual([letter.id]);
    store.letters.update(letter.id, { status: 'done' }, clerk);
    expect(store.letters.search('pindai').map((l) => l.status)).toEqual(['done']);
    ftsIntegrity();

    const db = new Database(file);
    db.prepare('DELETE FROM letters WHERE id = ?').run(letter.id);
    db.close();
    expect(store.letters.search('pindai')).toEqual([]);
    ftsIntegrity();
  });
});

describe('documents', () => {
  it('the same scan stored twice is recognised, and keeps its first name', () => {
    const hash = 'c0ffee'.padEnd(64, '0');
    const first = store.documents.upsert({ hash, mediaType: 'application/pdf', pageCount: 3, byteSize: 81234, originalName: 'undangan.pdf' });
    const again = store.documents.upsert({ hash, mediaType: 'application/pdf', pageCount: 3, byteSize: 81234, originalName: 'scan-0002.pdf' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ document: first.document, created: false });
    expect(first.document).toMatchObject({ hash, pageCount: 3, originalName: 'undangan.pdf' });
    const letter = store.letters.create(incoming({ documentHash: hash, attachmentCount: 1 }), clerk);
    expect(store.letters.get(letter.id)?.documentHash).toBe(hash);
  });

  it('a hash that is not a SHA-256 is refused', () => {
    expect(() => store.documents.upsert({ hash: 'ABC', mediaType: 'application/pdf', byteSize: 1 })).toThrow(/CHECK/);
  });
});

describe('the Beranda figures', () => {
  it('counts today’s incoming letters, the registers, letters awaiting signature and unsent changes', () => {
    expect(DashboardSchema.parse(store.dashboard('2026-11-23'))).toEqual({
      incomingToday: 0, incomingTotal: 0, outgoingTotal: 0, awaitingSignature: 0, outboxPending: 0, auditChainIntact: true, auditEntries: 0, auditAnchor: null,
    });
    store.letters.create(incoming(), clerk);
    store.letters.create(incoming({ receivedDate: '2026-11-23', subject: 'Surat kedua' }), clerk);
    store.letters.create(incoming({ receivedDate: '2026-11-22' }), clerk);
    store.letters.create({ direction: 'outgoing', status: 'ready_to_sign', subject: 'Nota dinas cuti' }, clerk);
    const draft = store.letters.create({ direction: 'outgoing', status: 'draft', subject: 'Surat pengantar' }, clerk);
    store.letters.update(draft.id, { status: 'ready_to_sign' }, clerk);
    store.letters.create({ direction: 'outgoing', status: 'signed', subject: 'Surat keterangan kerja' }, clerk);

    expect(store.dashboard('2026-11-23')).toEqual({
      incomingToday: 2, incomingTotal: 3, outgoingTotal: 3, awaitingSignature: 2, outboxPending: 7, auditChainIntact: true, auditEntries: 7, auditAnchor: null,
    });
    expect(store.dashboard('2026-11-22').incomingToday).toBe(1);
  });
});
