// Exporting the agenda book (buku agenda surat masuk) of a date range: the letters are read here, the
// PDF is laid out in a worker thread of its own (agenda-book-worker.ts) so the desk keeps answering,
// and the export is recorded in the audit log and the outbox once the PDF exists. An export can be
// cancelled (the clerk changed their mind, the desk is closing): its worker is ended and nothing is recorded.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatMoment } from '../../../common/dates.ts';
import { AppError } from '../../../common/errors.ts';
import type { LetterSummary } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';
import { type AgendaBookOptions } from './agenda-book-pdf.ts';

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./agenda-book-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

function layOutInWorker(letters: readonly LetterSummary[], options: AgendaBookOptions, signal: AbortSignal): Promise<Uint8Array> {
  if (signal.aborted) return Promise.reject(new AppError('AGENDA_BOOK_CANCELLED'));
  return new Promise<Uint8Array>((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { letters, options } });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => {
      settle(() => reject(new AppError('AGENDA_BOOK_CANCELLED')));
      void worker.terminate();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (pdf: Uint8Array) => settle(() => resolve(pdf)));
    worker.once('error', (err) => settle(() => reject(new AppError('INTERNAL', undefined, undefined, { cause: err }))));
    worker.once('exit', (code) => settle(() => reject(new AppError('INTERNAL', undefined, { exitCode: code }))));
  });
}

/**
 * The agenda book of a date range, recorded in the activity log (an export of the register is an
 * action the office must be able to trace; the log reaches the server with the desk's others). It
 * changes nothing at the server, so it is not an outbox entry.
 */
export async function exportAgendaBook(
  store: Store, range: { from: string; to: string }, actor: string, now: Date, signal: AbortSignal,
): Promise<{ pdf: Uint8Array; entries: number; fileName: string }> {
  if (range.from > range.to) {
    throw new AppError('VALIDATION', 'Tanggal awal tidak boleh setelah tanggal akhir.', { issues: [{ path: ['from'], message: 'Tanggal awal tidak boleh setelah tanggal akhir.' }] });
  }
  const letters = store.agenda.agendaBook(range.from, range.to);
  const printedAt = formatMoment(now, store.settings.get().timeZone, 'id', 'long');
  const pdf = await layOutInWorker(letters, { ...range, officeName: store.settings.get().officeName, printedAt }, signal);
  store.audit.append({ actor, action: 'agenda.exported', entity: 'agenda_book', entityId: `${range.from}..${range.to}`, details: { from: range.from, to: range.to, entries: letters.length } });
  return { pdf, entries: letters.length, fileName: `buku-agenda-surat-masuk_${range.from}_${range.to}.pdf` };
}
