// The worker thread that lays out one agenda book (agenda-book-pdf.ts): a book of thousands of
// letters takes seconds of CPU, which must not hold the desk's main thread. It gets the letters and
// options as workerData, answers the PDF's bytes, and ends; cancelling terminates it.
import { parentPort, workerData } from 'node:worker_threads';
import type { LetterSummary } from '../../store/agenda.ts';
import { agendaBookPdf, type AgendaBookOptions } from './agenda-book-pdf.ts';

const { letters, options } = workerData as { letters: LetterSummary[]; options: AgendaBookOptions };
const pdf = await agendaBookPdf(letters, options);
parentPort!.postMessage(pdf, [pdf.buffer as ArrayBuffer]);
