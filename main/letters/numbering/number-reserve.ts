// Keeps a desk that works with a server supplied with agenda numbers: while it is online and a
// person allowed to lease (admin kantor, operator utama) is signed in, it leases a new block from the
// server whenever fewer than a low-water mark of this year's numbers are left, so the clerk can go
// on registering through an outage with final numbers the server accepts. A desk without a server
// leases nothing: it owns the whole year's sequence (see deskAllocator). From 1 February, the numbers
// of last year's leased blocks the desk never gave are reported back once, so the server retires
// them; January is left for letters received in late December, which take their year's numbers.
import { localDate } from '../../../common/dates.ts';
import type { EventBus } from '../../app/events.ts';
import type { Logger } from '../../../common/logger.ts';
import type { SessionUser } from '../../auth/session.ts';
import type { AgendaBook } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';
import type { NumberBlockSource } from './number-blocks.ts';
import { NumberAllocator, unboundedBlock } from './numbering.ts';

/** The allocator's office key: a desk's local register belongs to one office. */
const thisOffice = 'kantor';

/** The roles the server lets lease numbers of each book (server/numbering/routes.ts): an official numbers the outgoing letters they sign. */
const leasingRoles: Record<AgendaBook, readonly string[]> = { in: ['admin_kantor', 'operator_utama'], out: ['admin_kantor', 'operator_utama', 'signer'] };

/** What the letters capability needs to know of the desk's server. */
export interface LetterServer {
  /** The server in use; '' for a standalone desk. */
  url(): string;
  online(): boolean;
  user(): SessionUser | null;
  numberBlocks: NumberBlockSource;
}

/** Both books are kept supplied: incoming letters are numbered at registration, outgoing ones when signed. */
const books: readonly AgendaBook[] = ['in', 'out'];

/**
 * The numbers the desk may give to a book's letters of a year (default incoming): its blocks, continuing after the
 * highest number it gave. Only a desk without a server that never held a block owns the whole
 * (unbounded) year; a desk with a server numbers from leased blocks alone, or the server would
 * refuse its letters.
 */
export function deskAllocator(store: Store, year: number, hasServer: boolean, book: AgendaBook = 'in', takenUpTo = 0): NumberAllocator {
  const held = store.agenda.blocks();
  const blocks = !hasServer && held.length === 0
    ? [unboundedBlock(thisOffice, year)]
    : held.filter((b) => b.book === book && b.year === year && b.unusedReportedAt === null).map((b) => ({ office: thisOffice, year, from: b.first, to: b.last }));
  return new NumberAllocator({ blocks, lastIssued: [{ office: thisOffice, year, urut: Math.max(store.agenda.lastIssued(year, book), takenUpTo) }] });
}

/**
 * The next sequence number of the year's agenda book (default incoming); throws AGENDA_NUMBERS_EXHAUSTED when none is left.
 * `takenUpTo`: numbers up to it are taken though not written yet (a signing batch numbers a letter before it commits it).
 */
export function nextAgendaNumber(store: Store, year: number, hasServer: boolean, book: AgendaBook = 'in', takenUpTo = 0): number {
  return deskAllocator(store, year, hasServer, book, takenUpTo).next(thisOffice, year);
}

/** The sequence number the next letter of the year's book (default incoming) would get, without taking it; null when none is held. */
export function peekAgendaNumber(store: Store, year: number, hasServer: boolean, book: AgendaBook = 'in'): number | null {
  return deskAllocator(store, year, hasServer, book).peek(thisOffice, year);
}

export interface NumberReserve {
  /** Leases blocks until the low-water mark is reached, when the desk can; never throws, never runs twice at once. */
  topUp(): Promise<void>;
}

export function createNumberReserve(o: {
  store: Store;
  server: LetterServer;
  bus: EventBus;
  actor(): string;
  log: Logger;
  now?: () => Date;
  /** Lease another block when fewer numbers than this are left (default 20). */
  lowWater?: number;
}): NumberReserve {
  const lowWater = o.lowWater ?? 20;
  const now = o.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  let again = false;

  const remaining = (year: number, book: AgendaBook) => deskAllocator(o.store, year, true, book).remaining(thisOffice, year) ?? Infinity;

  function canLease(book: AgendaBook): boolean {
    const user = o.server.user();
    return o.server.url() !== '' && o.server.online() && user !== null && user.roles.some((r) => leasingRoles[book].includes(r));
  }

  /** Numbers of past years' leased blocks never given, reported once each (the server retires them). */
  async function reportLeftovers(today: string): Promise<void> {
    // The last year whose register is closed: the one before last while it is still January.
    const closed = Number(today.slice(0, 4)) - (today.slice(5, 7) === '01' ? 2 : 1);
    for (const block of o.store.agenda.blocks()) {
      if (block.year > closed || !canLease(block.book) || block.leaseId === null || block.last === null || block.unusedReportedAt !== null) continue;
      const given = new Set(o.store.agenda.givenNumbers(block.year, block.first, block.last, block.book));
      const unused = Array.from({ length: block.last - block.first + 1 }, (_, i) => block.first + i).filter((n) => !given.has(n));
      if (unused.length > 0) await o.server.numberBlocks.reportUnused(block.leaseId, unused);
      o.store.agenda.markUnusedReported(block.leaseId, unused.length, o.actor());
      o.log.info('letters: unused agenda numbers reported', { year: block.year, leaseId: block.leaseId, count: unused.length });
    }
  }

  async function fill(): Promise<void> {
    // The office's year, not the machine's: at 1 January 06.00 WIB a machine on UTC is still in December.
    const today = localDate(now(), o.store.settings.get().timeZone);
    const year = Number(today.slice(0, 4));
    if (books.some(canLease)) {
      // A refusal here must not keep the desk from this year's numbers: it is tried again next time.
      await reportLeftovers(today).catch((err: unknown) => o.log.warn('letters: reporting unused agenda numbers failed', { err }));
    }
    for (const book of books) await fillBook(book, year);
  }

  async function fillBook(book: AgendaBook, year: number): Promise<void> {
    let left = remaining(year, book);
    while (left < lowWater && canLease(book)) {
      const block = await o.server.numberBlocks.lease(book, year);
      o.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book, year: block.year, first: block.first, last: block.last }, o.actor());
      o.log.info('letters: agenda numbers leased', { book, year: block.year, first: block.first, last: block.last });
      const after = remaining(year, book);
      // A block wholly below numbers this desk already gave (letters numbered before it had a
      // server) adds nothing usable; asking again at once would lease blocks without end.
      if (after <= left) {
        o.log.warn('letters: a leased block added no usable agenda number', { book, year, first: block.first, last: block.last, lastIssued: o.store.agenda.lastIssued(year, book) });
        return;
      }
      left = after;
    }
  }

  function topUp(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await fill();
        } catch (err) {
          // Offline, signed out or refused: the desk keeps numbering from what it holds and tries again on the next trigger.
          o.log.warn('letters: leasing agenda numbers failed', { err });
        }
      } while (again);
    })().finally(() => { running = undefined; });
    return running;
  }

  // For as long as the desk runs (the bus's lifetime): a sign-in or the server coming back.
  o.bus.subscribe((name, payload) => {
    if (name === 'auth.changed' && payload !== null) void topUp();
    if (name === 'connectivity.changed' && (payload as { state: string }).state === 'online') void topUp();
  });

  return { topUp };
}
