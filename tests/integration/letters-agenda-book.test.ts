// The agenda book under awkward content and size: one unbroken word of a thousand characters in
// Ringkasan (a pasted URL, a list of NIKs), a summary longer than a page, a register of thousands of
// letters. The book is laid out in time that grows with its text, made off the desk's main thread so
// the desk keeps answering, and can be cancelled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFFont } from 'pdf-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import { createEventBus } from '../../main/app/events.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import { createTransfers, transferHandlers, type Transfers } from '../../main/documents/transfers.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { agendaBookPdf } from '../../main/letters/incoming/agenda-book-pdf.ts';
import { letterHandlers } from '../../main/letters/incoming/handlers.ts';
import type { LetterSummary } from '../../main/store/agenda.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { generateAgenda, insertAgenda } from '../support/generated-agenda.ts';
import { receiveBytes } from '../support/transfers.ts';

const ctx = { origin: 'test' } as const;

function summaryRow(summary: string, agendaNumber = 1): LetterSummary {
  return {
    id: `0190a000-0000-7000-8000-${String(agendaNumber).padStart(12, '0')}`, direction: 'incoming', status: 'registered', agendaNumber, agendaYear: 2026,
    agendaLabel: `${String(agendaNumber).padStart(4, '0')}/UMUM/2026`, receivedDate: '2026-11-23', letterNumber: '005/412/DINKES/2026', letterDate: '2026-11-20',
    sender: 'Dinas Kesehatan', addressee: 'Kepala Dinas', subject: 'Data penerima bantuan', summary, urgency: 'biasa', security: 'biasa',
    classificationCode: '005', documentType: 'surat_biasa', attachmentCount: 0, documentHash: null, createdAt: '2026-11-23T08:00:00.000Z', updatedAt: '2026-11-23T08:00:00.000Z',
  } as unknown as LetterSummary;
}

const bookOptions = { from: '2026-11-01', to: '2026-11-30', officeName: 'Dinas Kesehatan', printedAt: '23 November 2026 09.00' };

describe('laying out the agenda book', () => {
  afterEach(() => vi.restoreAllMocks());

  it('breaks a 1 000-character word into lines measuring each character a bounded number of times', async () => {
    const word = Array.from({ length: 100 }, (_, i) => `147101${String(i).padStart(4, '0')}`).join('');
    expect(word).toHaveLength(1000);
    let measured = 0;
    const original = PDFFont.prototype.widthOfTextAtSize;
    vi.spyOn(PDFFont.prototype, 'widthOfTextAtSize').mockImplementation(function (this: PDFFont, text: string, size: number) {
      measured += text.length;
      return original.call(this, text, size);
    });
    const pdf = await agendaBookPdf([summaryRow(word)], bookOptions);
    // Every cell's text once, plus the broken word's lines checked once each: a few times the text.
    const textLength = word.length + 200;
    expect(measured).toBeLessThan(10 * textLength);
    const dir = mkdtempSync(join(tmpdir(), 'loket-book-'));
    try {
      writeFileSync(join(dir, 'book.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-raw', join(dir, 'book.pdf'), '-']).toString();
      expect(text.replace(/\s+/g, '')).toContain(word);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('continues a summary longer than a page on the next page, every word printed inside the page', async () => {
    const words = Array.from({ length: 300 }, (_, i) => `kata${i}`);
    const pdf = await agendaBookPdf([summaryRow(words.join(' ')), summaryRow('Surat berikutnya', 2)], bookOptions);
    const dir = mkdtempSync(join(tmpdir(), 'loket-book-'));
    try {
      writeFileSync(join(dir, 'book.pdf'), pdf);
      // pdftotext reads only what lies inside each page's box: text drawn below the edge is lost to paper too.
      const text = execFileSync('pdftotext', ['-raw', join(dir, 'book.pdf'), '-']).toString();
      for (const w of words) expect(text).toMatch(new RegExp(`\\b${w}\\b`));
      expect(text).toContain('Surat berikutnya');
      expect(execFileSync('pdfinfo', [join(dir, 'book.pdf')]).toString()).toMatch(/Pages:\s+[2-9]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exporting the agenda book at the desk', () => {
  const ocr = createOcrService({ log: collectingLogger() });
  let dir: string;
  let store: Store;
  let transfers: Transfers;
  let router: Router;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loket-book-desk-'));
    openStore(join(dir, 'loket.db'), { log: collectingLogger() }).close();
    // A busy office's month, every summary a long paragraph.
    insertAgenda(join(dir, 'loket.db'), generateAgenda(1500).map((l) => ({ ...l, receivedDate: '2026-11-10', agendaYear: 2026, agendaNumber: l.seq, summary: `${l.summary} ${l.ocrText}` })));
    store = openStore(join(dir, 'loket.db'), { log: collectingLogger() });
    transfers = createTransfers(join(dir, 'transfers'), collectingLogger());
    const log = collectingLogger();
    const handlers = letterHandlers({ store, documentsDir: join(dir, 'documents'), ocr, transfers, bus: createEventBus(log), actor: () => 'meja:uji', log });
    router = createRouter({ ...handlers, ...transferHandlers(transfers) } as Handlers, log);
  });
  afterEach(async () => {
    await transfers.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => ocr.close());

  const call = <C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>> => router.call(channel, payload, ctx);

  it('keeps the desk answering while a book of 1 500 letters is made', async () => {
    let last = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const book = await call('letters.agendaBook', { from: '2026-11-01', to: '2026-11-30' });
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(book).toMatchObject({ ok: true, value: { entries: 1500 } });
    if (!book.ok) return;
    expect((await receiveBytes(call, book.value.file)).subarray(0, 5).toString()).toBe('%PDF-');
    // The main thread was never held for more than a small part of the export.
    expect(longestStall, `longest stall ${Math.round(longestStall)} ms of an export taking ${Math.round(took)} ms`).toBeLessThan(took / 4);
  });

  it('stops when cancelled: the clerk is told, and nothing is recorded as exported', async () => {
    const exporting = call('letters.agendaBook', { from: '2026-11-01', to: '2026-11-30' });
    await new Promise((r) => setTimeout(r, 200));
    const cancelled = await call('letters.agendaBook.cancel' as Channel, {} as never);
    expect(cancelled).toMatchObject({ ok: true, value: { cancelled: true } });
    expect(await exporting).toMatchObject({ ok: false, error: { code: 'AGENDA_BOOK_CANCELLED', message: expect.stringContaining('dibatalkan') } });
    expect(store.audit.list({ limit: 10_000 }).map((e) => e.action)).not.toContain('agenda.exported');
    expect(store.outbox.listPending().filter((e) => e.entity === 'agenda_book')).toEqual([]);
  });
});
