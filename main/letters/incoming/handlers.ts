// The IPC handlers of Surat Masuk: import a file, describe a stored one (a saved scan),
// OCR proposals, duplicates, register, edit, search, open a letter's PDF, sender and classification
// look-ups, and the agenda book; the number format and classification edits of Pengaturan come from agenda-settings.ts.
// The renderer has no file paths: a picked or dropped file arrives in pieces (documents/transfers.ts)
// and is checked by content like any import; PDFs go back the same way.
import { localDate } from '../../../common/dates.ts';
import type { EventBus } from '../../app/events.ts';
import type { Logger } from '../../../common/logger.ts';
import { createBlobStore } from '../../documents/blob-store.ts';
import { importDocument } from '../../documents/import.ts';
import type { Transfers } from '../../documents/transfers.ts';
import type { OcrService } from '../../documents/ocr/ocr.ts';
import { proposeLetterFields } from '../../documents/prefill.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { incoming } from '../../../common/ipc/incoming.ts';
import type { numbering } from '../../../common/ipc/numbering.ts';
import { AppError } from '../../../common/errors.ts';
import type { Store } from '../../store/store.ts';
import type { Letter } from '../../store/letters.ts';
import { exportAgendaBook } from './agenda-book.ts';
import { agendaSettingsHandlers, requireAgendaAdmin } from '../numbering/agenda-settings.ts';
import { seedClassifications } from '../numbering/classifications.ts';
import { findDuplicates } from './duplicates.ts';
import { createNumberReserve, type LetterServer } from '../numbering/number-reserve.ts';
import { holdLikelyDuplicates, pdfOfDocument, registerIncomingLetter, updateIncomingLetter, voidIncomingLetter } from './registration.ts';
import type { Capability, Desk } from '../../app/desk.ts';

export interface LetterHandlerDeps {
  store: Store;
  /** The desk's document folder (content-addressed blobs). */
  documentsDir: string;
  ocr: OcrService;
  /** Files to and from the renderer, in pieces. */
  transfers: Transfers;
  bus: EventBus;
  actor(): string;
  log: Logger;
  now?: () => Date;
  /** The desk's server, whose leased blocks number the letters; absent for a desk that never has one. */
  server?: LetterServer;
  /** Agenda books being made, so the desk can cancel them when it closes; one set of its own when absent. */
  agendaBooks?: Set<AbortController>;
}

/**
 * How long a duplicate check or a registration waits for the rest of page 1 to be read (a second or
 * two after the proposals): the texts compared must both be whole pages. A reading that takes longer
 * is not waited for; its text still reaches the letter when it arrives.
 */
const pageTextWaitMs = 15_000;

/** The renderer never receives the OCR text of a letter (it can be long); search runs in main. */
export function forRenderer({ ocrText: _ocrText, direction: _direction, signerUserId: _signer, ...rest }: Letter) {
  return { ...rest, status: rest.status as 'registered' | 'in_disposition' | 'done' | 'void' };
}

export function letterHandlers(deps: LetterHandlerDeps): Pick<Handlers, keyof typeof incoming.channels | keyof typeof numbering.channels> {
  const { store, ocr, bus, log, transfers } = deps;
  const now = deps.now ?? (() => new Date());
  const blobs = createBlobStore(deps.documentsDir, { log });
  const server = deps.server;
  const agendaBooks = deps.agendaBooks ?? new Set<AbortController>();
  const reserve = server ? createNumberReserve({ store, server, bus, actor: deps.actor, log, now }) : undefined;
  // Whole-page readings still running, by document id and PDF hash.
  const pageReadings = new Map<string, Promise<void>>();
  const added = seedClassifications(store);
  if (added > 0) log.info('letters: classification codes seeded', { added });

  function letterOrNotFound(id: string): Letter {
    const letter = store.letters.get(id);
    if (letter === undefined || letter.direction !== 'incoming') throw new AppError('NOT_FOUND', 'Surat ini tidak ditemukan di meja ini. Muat ulang daftar surat lalu coba lagi.', { id });
    return letter;
  }

  /** Waits (a bounded time) for the whole-page text of a document still being read. */
  async function pageTextOf(documentId: string): Promise<void> {
    const reading = pageReadings.get(documentId);
    if (reading === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([reading, new Promise<void>((resolve) => { timer = setTimeout(resolve, pageTextWaitMs); })]);
    clearTimeout(timer);
  }

  /** What the Catat form shows of a document, and the agenda entry these exact bytes already have. */
  function describeDocument(documentId: string, displayName: string, pageCount: number) {
    const earlier = store.agenda.letterWithDocument(pdfOfDocument(store, documentId));
    return { documentId, displayName, pageCount, registeredAs: earlier === undefined ? null : { letterId: earlier.id, agendaLabel: earlier.agendaLabel } };
  }

  return {
    'letters.import': async ({ uploadId, name }) => {
      const imported = await importDocument(blobs, await transfers.take(uploadId), name, { log });
      store.agenda.recordImport(
        { hash: imported.hash, mediaType: imported.mediaType, byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName },
        imported.pdf,
      );
      return describeDocument(imported.hash, imported.displayName, imported.pageCount);
    },

    'letters.document': ({ documentId }) => {
      // Unknown ids are refused by describeDocument (NOT_FOUND, in Bahasa Indonesia).
      const row = store.documents.get(documentId);
      return describeDocument(documentId, row?.originalName ?? 'Dokumen surat', row?.pageCount ?? 0);
    },

    'letters.propose': async ({ documentId }) => {
      const pdfHash = pdfOfDocument(store, documentId);
      const ids = pdfHash === documentId ? [documentId] : [documentId, pdfHash];
      // Kept with both ids: the letter copies it at registration (and gets it later if registered first), for search and duplicates.
      const keepText = (text: string) => { for (const id of ids) store.agenda.setDocumentText(id, text); };
      const reading = ocr.readLetter(await blobs.read(pdfHash), 'application/pdf');
      const page = reading.page.then(
        (result) => keepText(result.text),
        (err: unknown) => log.warn('letters: page text not read', { documentId, err }),
      ).finally(() => { for (const id of ids) if (pageReadings.get(id) === page) pageReadings.delete(id); });
      for (const id of ids) pageReadings.set(id, page);
      const head = await reading.head;
      if (store.agenda.documentText(documentId) === null) keepText(head.text);
      return proposeLetterFields(head, { isOfficeCode: (code) => store.agenda.classification(code) !== undefined });
    },

    'letters.duplicates': async ({ documentId, sender, letterNumber }) => {
      await pageTextOf(documentId);
      return findDuplicates(store, { sender, letterNumber, ocrText: store.agenda.documentText(documentId) });
    },

    'letters.register': async (request, ctx) => {
      await pageTextOf(request.documentId);
      const started = performance.now();
      try {
        holdLikelyDuplicates(store, request, request.confirmedDuplicates ?? []);
        const { letter, warnings } = registerIncomingLetter(store, request, deps.actor(), localDate(now(), store.settings.get().timeZone), server !== undefined && server.url() !== '');
        log.info('letters: registered', { agenda: letter.agendaLabel, ms: Math.round(performance.now() - started), origin: ctx.origin });
        bus.emit('dashboard.changed', {});
        return { letter: forRenderer(letter), warnings };
      } finally {
        // After each registration (or a refusal for want of numbers) the reserve tops up in the background.
        void reserve?.topUp();
      }
    },

    'letters.update': ({ id, fields }) => {
      const letter = updateIncomingLetter(store, id, fields, deps.actor(), localDate(now(), store.settings.get().timeZone));
      bus.emit('dashboard.changed', {});
      return forRenderer(letter);
    },

    'letters.void': ({ id, reason }) => {
      const letter = voidIncomingLetter(store, id, reason, deps.actor());
      log.info('letters: voided', { agenda: letter.agendaLabel });
      bus.emit('dashboard.changed', {});
      return forRenderer(letter);
    },

    'letters.search': (filters) => store.agenda.search(filters).map((l) => forRenderer({ ...l, ocrText: null })),
    'letters.get': ({ id }) => forRenderer(letterOrNotFound(id)),
    'letters.pdf': async ({ documentId }) => transfers.offer({ bytes: await blobs.read(pdfOfDocument(store, documentId)) }, 'surat.pdf', 'application/pdf'),
    'letters.senders': ({ prefix }) => (prefix.trim() === '' ? [] : store.agenda.senders(prefix)),
    'letters.classifications': ({ query }) => store.agenda.searchClassifications(query),
    'letters.classification.save': (entry) => {
      requireAgendaAdmin(server);
      return store.agenda.saveClassification(entry, deps.actor());
    },
    ...agendaSettingsHandlers({ store, server, actor: deps.actor, now }),

    'letters.agendaBook': async (range) => {
      const controller = new AbortController();
      agendaBooks.add(controller);
      let book: Awaited<ReturnType<typeof exportAgendaBook>>;
      try {
        book = await exportAgendaBook(store, range, deps.actor(), now(), controller.signal);
      } finally {
        agendaBooks.delete(controller);
      }
      bus.emit('dashboard.changed', {});
      return { file: await transfers.offer({ bytes: book.pdf }, book.fileName, 'application/pdf'), entries: book.entries };
    },

    'letters.agendaBook.cancel': () => {
      const cancelled = agendaBooks.size > 0;
      for (const controller of agendaBooks) controller.abort();
      return { cancelled };
    },
  };
}

/** Surat masuk and the agenda settings, with the desk's server numbering the letters. */
export function letterCapability(desk: Desk): Capability {
  const { sync } = desk;
  const agendaBooks = new Set<AbortController>();
  return {
    handlers: letterHandlers({
      store: desk.store, documentsDir: desk.documentsDir, ocr: desk.ocr, transfers: desk.transfers, bus: desk.bus, actor: desk.actor, log: desk.log.child({ part: 'letters' }),
      server: { url: () => sync.serverUrl(), online: desk.online, user: () => sync.session.user(), numberBlocks: sync.numberBlocks },
      agendaBooks,
    }),
    // A book still being made when the desk closes is abandoned: the desk does not wait for it.
    async close() {
      for (const controller of agendaBooks) controller.abort();
    },
  };
}
