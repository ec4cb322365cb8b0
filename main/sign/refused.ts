// What the official makes of a letter signed at this desk whose signature the server refused: a
// draft someone else signed first, a signature outside their authority. They void it (batal) with
// their reason: the letter keeps its number in the outgoing book, never given again, the server and
// the QR page learn of it (letter.void, once it was registered), and its refused entries leave
// Antrian Sinkron as dealt with, in the same transaction.
import { AppError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';

export function voidRefusedLetter(store: Store, letterId: string, reason: string, actor: string): void {
  if (!store.signatures.refusedByServer().some((r) => r.letterId === letterId)) {
    throw new AppError('VALIDATION', 'Hanya surat yang tanda tangannya ditolak server yang dapat dibatalkan di sini. Muat ulang daftarnya; tidak ada yang berubah.', { letterId });
  }
  store.transaction(() => {
    store.letters.voidLetter(letterId, reason.trim(), actor);
    for (const seq of store.signatures.refusedEntries(letterId)) store.sync.discard(seq, actor);
  });
}
