// IPC handlers of Antrian Sinkron: the sync status, the queue as a person reads it (the letter's
// subject and number, the server's reason, upload progress), and what a person may do with an entry
// the server refused: send again, correct the letter and send again, or discard — each audited.
import type { Handlers } from '../ipc/router.ts';
import type { QueueItem } from '../../common/ipc/sync.ts';
import { AppError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';
import type { QueueEntry } from '../store/sync.ts';
import type { SyncEngine } from './engine.ts';
import { kindName } from './planners.ts';
import type { LetterData } from '../../common/protocol/letters.ts';
import { remoteNumber } from '../letters/numbering/printed-number.ts';

type SyncChannels = 'sync.status' | 'sync.now' | 'sync.queue' | 'sync.retry' | 'sync.discard' | 'sync.edit';

export interface SyncHandlerDeps {
  store: Store;
  engine: SyncEngine;
  /** Who acts: the signed-in user's id, or the desk itself. */
  actor: () => string;
  /** After a person changed the queue: tell the renderer. */
  changed: () => void;
}

export function syncHandlers(deps: SyncHandlerDeps): Pick<Handlers, SyncChannels> {
  const { store, engine } = deps;

  function title(entry: QueueEntry): string {
    if (entry.entity === 'disposition') return dispositionTitle(entry);
    if (entry.entity !== 'letter' && entry.entity !== 'delivery') return `Perubahan ${kindName(entry.entity)}`;
    return letterTitle(entry.entityId, entry.entity === 'letter' ? null : deliveryAction(entry));
  }

  /** "<what>: <subject> (No. agenda …)" for a letter this desk or the office's feed knows. */
  function letterTitle(letterId: string, action: string | null): string {
    const letter = store.letters.get(letterId);
    let subject: string;
    let number: string;
    if (letter) {
      subject = letter.subject;
      // The agenda number as the register prints it (0005/UMUM/2026); in words where none was kept.
      number = letter.agendaLabel !== null ? `No. agenda ${letter.agendaLabel}`
        : letter.agendaNumber === null || letter.agendaYear === null ? 'belum bernomor'
          : inWords(letter.direction === 'outgoing' ? 'out' : 'in', letter.agendaNumber, letter.agendaYear);
    } else {
      // A letter registered at another desk (marked sent outside the system, disposed here): the office's feed names it.
      const remote = store.sync.remote('letter', letterId);
      if (!remote) return 'Surat yang sudah tidak ada di meja ini';
      subject = remote.subject;
      number = feedNumber(remote);
    }
    return action === null ? `${subject} (${number})` : `${action}: ${subject} (${number})`;
  }

  /** "nomor urut 5 buku agenda surat masuk 2026": what the entry is, where its printed number cannot be known. */
  function inWords(book: 'in' | 'out', urut: number, year: number): string {
    return `nomor urut ${urut} buku agenda surat ${book === 'in' ? 'masuk' : 'keluar'} ${year}`;
  }

  /** A letter of another desk: an outgoing one by its letter number, an incoming one by its printed agenda number, or in words. */
  function feedNumber(remote: LetterData): string {
    if (remote.direction === 'out' && remote.letterNumber.trim() !== '') return `No. surat ${remote.letterNumber}`;
    const label = remoteNumber(store, remote);
    return label !== null ? `No. agenda ${label}` : inWords(remote.direction, remote.agendaNumber, remote.year);
  }

  /** A disposition entry named by what it does and the letter it is about. */
  function dispositionTitle(entry: QueueEntry): string {
    const action = { create: 'Disposisi', read: 'Disposisi dibaca', report: 'Laporan tindak lanjut disposisi', cancel: 'Pembatalan disposisi' }[entry.op] ?? 'Disposisi';
    const letterId = entry.readable && entry.entity === 'disposition' && entry.op === 'create'
      ? entry.payload.letterId
      : store.dispositions.get(entry.entityId)?.letterId;
    return letterId ? letterTitle(letterId, action) : action;
  }

  /** What a 'delivery' entry asks: to other offices, to addressees outside the system, or one of those marked sent. */
  function deliveryAction(entry: QueueEntry): string {
    if (entry.op === 'external_sent') return 'Tandai sudah dikirim di luar sistem';
    if (!entry.readable || entry.entity !== 'delivery' || entry.op !== 'deliver') return 'Kirim surat';
    return entry.payload.toOfficeIds.length === 0 ? 'Penerima di luar sistem' : 'Kirim ke kantor lain';
  }

  function item(entry: QueueEntry): QueueItem {
    const letter = entry.entity === 'letter' ? store.letters.get(entry.entityId) : undefined;
    const progress = letter?.documentHash ? engine.upload(letter.documentHash) : undefined;
    return {
      seq: entry.seq, mutationId: entry.mutationId, entity: entry.entity, entityId: entry.entityId, op: entry.op,
      title: title(entry), state: entry.state, attempts: entry.attempts, createdAt: entry.createdAt, problem: entry.problem,
      upload: progress && letter?.documentHash ? { sha256: letter.documentHash, ...progress } : null,
      editable: entry.state === 'rejected' && letter !== undefined,
    };
  }

  function act(fn: () => QueueEntry): QueueItem {
    let entry: QueueEntry;
    try {
      entry = fn();
    } catch (err) {
      if (err instanceof RangeError) throw new AppError('SYNC_ENTRY_NOT_ACTIONABLE');
      throw err;
    }
    deps.changed();
    void engine.syncNow();
    return item(entry);
  }

  return {
    'sync.status': () => engine.status(),
    'sync.now': () => engine.syncNow(),
    'sync.queue': () => ({ items: store.sync.queue().map(item) }),
    'sync.retry': ({ seq }) => act(() => store.sync.retry(seq, deps.actor())),
    'sync.discard': ({ seq }) => act(() => store.sync.discard(seq, deps.actor())),
    'sync.edit': ({ seq, changes }) => act(() => {
      const entry = store.sync.entry(seq);
      if (!entry || entry.state !== 'rejected' || entry.entity !== 'letter') throw new RangeError(`outbox entry ${seq} cannot be edited`);
      // Both in one transaction: the corrected letter and the entry sent again.
      return store.transaction(() => {
        store.letters.update(entry.entityId, changes, deps.actor());
        return store.sync.retry(seq, deps.actor());
      });
    }),
  };
}
