// The desk's dispositions keep the feed's rows parsed between reads. What a person sees must still
// follow every row the feed brings again (read, done, cancelled on the server), a row the desk does
// not understand is left out without hiding the others, and a letter's trail holds that letter's
// dispositions only, this desk's own changes laid over them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { Change } from '../../common/protocol/index.ts';
import { openStore, type Store } from '../../main/store/store.ts';

let dir: string;
let store: Store;
let seq = 100;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-dispositions-'));
  store = openStore(join(dir, 'desk.sqlite'), { log: collectingLogger() });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const recipient = (positionId: string, over: Record<string, unknown> = {}) => ({
  positionId, kind: 'to' as const, readAt: null, readBy: null, doneAt: null, doneBy: null, reportNote: null, reportAttachment: null, reportAttachmentName: null, ...over,
});
function row(id: string, letterId: string, over: Record<string, unknown> = {}): Change {
  return {
    seq: ++seq, entity: 'disposition', entityId: id, op: 'upsert', data: {
      id, letterId, parentId: null, fromPositionId: 'position-kepala', fromUserId: 'user-kepala', instructions: ['Tindak lanjuti'], note: '', urgency: 'biasa',
      dueDate: null, createdAt: '2026-03-02T03:00:00.000Z', cancelledAt: null, recipients: [recipient('position-kabid')], ...over,
    },
  };
}
const feed = (...changes: Change[]) => store.sync.applyChanges(changes, seq);

describe('dispositions kept parsed on the desk', () => {
  it('shows every later version of a row the feed brings, for the office and for the letter', () => {
    const [letterA, letterB, first, second] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    feed(row(first, letterA), row(second, letterB));
    expect(store.dispositions.all().map((d) => d.id)).toEqual([first, second]);
    expect(store.dispositions.ofLetter(letterA).map((d) => d.id)).toEqual([first]);

    feed(row(first, letterA, { recipients: [recipient('position-kabid', { readAt: '2026-03-02T04:00:00.000Z' })] }));
    expect(store.dispositions.get(first)?.recipients[0]?.readAt).toBe('2026-03-02T04:00:00.000Z');
    expect(store.dispositions.ofLetter(letterA)[0]?.recipients[0]?.readAt).toBe('2026-03-02T04:00:00.000Z');

    feed(row(first, letterA, { cancelledAt: '2026-03-02T05:00:00.000Z' }));
    expect(store.dispositions.all().find((d) => d.id === first)?.cancelledAt).toBe('2026-03-02T05:00:00.000Z');
    // The other letter's row was not touched, and is the same as before.
    expect(store.dispositions.ofLetter(letterB).map((d) => d.recipients[0]?.readAt)).toEqual([null]);
  });

  it('leaves out a row it cannot read and keeps the others', () => {
    const [letter, good, bad] = [uuidv7(), uuidv7(), uuidv7()];
    // A row of a newer protocol than this desk reads (the server's schema allows what the desk's does not).
    feed(row(good, letter), { ...row(bad, letter), data: { id: bad, letterId: letter } } as unknown as Change);
    expect(store.dispositions.ofLetter(letter).map((d) => d.id)).toEqual([good]);
    // The server sends it again, whole: it shows.
    feed(row(bad, letter));
    expect(store.dispositions.ofLetter(letter).map((d) => d.id)).toEqual([good, bad]);
  });

  it('lays this desk\'s changes over the letter\'s rows only', () => {
    const [letterA, letterB, onA, onB] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    feed(row(onA, letterA), row(onB, letterB));
    store.dispositions.markRead(onA, 'position-kabid', 'kabid');
    store.dispositions.report({ dispositionId: onB, positionId: 'position-kabid', note: 'Sudah ditindaklanjuti', attachment: null }, 'kabid');
    const passedOn = uuidv7();
    store.dispositions.create({
      dispositionId: passedOn, letterId: letterA, parentId: onA, fromPositionId: 'position-kabid', to: ['position-kasi'], cc: [], instructions: ['Hadiri'], note: '', urgency: 'biasa', dueDate: null,
    }, 'kabid');
    const a = store.dispositions.ofLetter(letterA);
    expect(a.map((d) => [d.id, d.pending])).toEqual([[onA, true], [passedOn, true]]);
    expect(a[0]?.recipients[0]?.readAt).not.toBeNull();
    expect(a[0]?.recipients[0]?.doneAt).toBeNull();
    const b = store.dispositions.ofLetter(letterB);
    expect(b.map((d) => [d.id, d.recipients[0]?.reportNote])).toEqual([[onB, 'Sudah ditindaklanjuti']]);
    expect(store.dispositions.get(passedOn)?.parentId).toBe(onA);
    expect(store.dispositions.all().map((d) => d.id)).toEqual([onA, onB, passedOn]);
  });

  it('reads the feed\'s letters again when the feed brings them again', () => {
    const letter = uuidv7();
    const letterRow = (subject: string): Change => ({
      seq: ++seq, entity: 'letter', entityId: letter, op: 'upsert', data: {
        id: letter, officeId: 'office-dinkes', direction: 'in', year: 2026, agendaNumber: 7, receivedAt: '2026-03-02T09:15:00+07:00', letterNumber: '440/1/PKM/2026',
        letterDate: '2026-02-27', sender: 'Puskesmas', addressee: 'Kepala Dinas', subject, summary: '', urgency: 'biasa', security: 'biasa', classification: '440',
        attachments: [], createdBy: 'user-operator', createdAt: '2026-03-02T02:15:00.000Z',
      },
    });
    feed(letterRow('Permohonan vaksin'));
    expect(store.dispositions.feedLetters([letter]).get(letter)?.subject).toBe('Permohonan vaksin');
    feed(letterRow('Permohonan vaksin (ralat)'));
    expect(store.dispositions.feedLetters([letter]).get(letter)?.subject).toBe('Permohonan vaksin (ralat)');
    expect(store.dispositions.officeLetters(10).map((l) => l.subject)).toEqual(['Permohonan vaksin (ralat)']);
  });

  it('keeps the office\'s list of instructions with its structure, the shipped list until one arrives', () => {
    expect(store.dispositions.all()).toEqual([]);
    expect(store.org.instructions()).toContain('Untuk diketahui');
    store.org.replace('office-dinkes', { positions: [], holdings: [], routes: [], instructions: ['Hadiri', 'Wakili'] });
    expect(store.org.instructions()).toEqual(['Hadiri', 'Wakili']);
    // A structure from a server that sends no list keeps the one kept before.
    store.org.replace('office-dinkes', { positions: [], holdings: [], routes: [] });
    expect(store.org.instructions()).toEqual(['Hadiri', 'Wakili']);
  });
});
