// Surat keluar at the desk: the office's outgoing letters listed and opened, and the agenda entry an
// outgoing letter takes as it is signed — the next number of the outgoing book ('out'), from blocks
// leased like the incoming ones — so that it reaches the server as letter.register (direction 'out')
// and can be sent to other offices like any registered letter.
import type { outgoing } from '../../../common/ipc/outgoing.ts';
import type { OutgoingLetter } from '../../../common/ipc/outgoing.ts';
import { AppError } from '../../../common/errors.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { Letter, LetterChanges } from '../../store/letters.ts';
import type { Store } from '../../store/store.ts';
import { nextAgendaNumber } from '../numbering/number-reserve.ts';
import { parseAgendaTemplate, renderAgendaNumber } from '../numbering/numbering.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import { signingOfficials, type OfficialsServer, type SigningOfficials } from './officials.ts';

export interface OutgoingNumbering {
  /** YYYY-MM-DD: the office's date of signing, which is the letter's date. */
  today: string;
  /** The desk works with a server, so it numbers only from blocks the server leased to it. */
  hasServer: boolean;
  /** The sending office (pengirim) as the server knows it; kept when the letter names one already. */
  officeName: string;
}

/**
 * The agenda fields a letter takes as it is signed, to be written in the signing transaction. The
 * number printed by the outgoing book's format (Pengaturan, its own template and unit code) is also
 * the letter's own number. A letter numbered before keeps its number. Throws
 * AGENDA_NUMBERS_EXHAUSTED (nothing changed) when no outgoing number is left.
 */
export function outgoingAgendaEntry(store: Store, letter: Letter, o: OutgoingNumbering): LetterChanges {
  return letter.agendaNumber === null ? numberedEntry(store, letter, o, 0) : {};
}

function numberedEntry(store: Store, letter: Letter, o: OutgoingNumbering, takenUpTo: number): LetterChanges & { agendaNumber: number } {
  const year = Number(o.today.slice(0, 4));
  let urut: number;
  try {
    urut = nextAgendaNumber(store, year, o.hasServer, 'out', takenUpTo);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'AGENDA_NUMBERS_EXHAUSTED') throw err;
    throw new AppError('AGENDA_NUMBERS_EXHAUSTED', 'Nomor surat keluar untuk meja ini sudah habis, jadi surat ini belum ditandatangani. Sambungkan meja ke server dan masuk sebagai admin kantor atau operator utama agar meja mendapat blok nomor baru, lalu tanda tangani lagi. Surat tetap menunggu tanda tangan.', { year, book: 'out' });
  }
  const config = store.agenda.outgoingConfig();
  const agendaLabel = renderAgendaNumber(parseAgendaTemplate(config.template), {
    urut, date: { year, month: Number(o.today.slice(5, 7)) }, kode_unit: config.unitCode, unit: config.unitCode, klasifikasi: letter.classificationCode ?? undefined,
  });
  return {
    agendaNumber: urut, agendaYear: year, agendaLabel, letterNumber: agendaLabel, letterDate: o.today,
    ...(letter.sender === '' ? { sender: o.officeName } : {}),
  };
}

/**
 * The numbers of one signing batch. A letter takes its number before it is signed, so the number can
 * be written on it, and the row is written only once it is signed; the numbers this batch took and
 * has not written yet are held here so the next letter does not take the same one.
 */
export interface OutgoingNumbers {
  /** The agenda fields of the letter (taken once: asked again, the same answer); {} for a letter numbered before. */
  take(letter: Letter): LetterChanges;
  /** The letter was not signed: its number goes back to the book, unless a later letter of the batch took one after it. */
  giveBack(letterId: string): void;
}

export function outgoingNumbers(store: Store, o: OutgoingNumbering): OutgoingNumbers {
  const held = new Map<string, LetterChanges & { agendaNumber: number }>();
  return {
    take(letter) {
      if (letter.agendaNumber !== null) return {};
      let entry = held.get(letter.id);
      if (entry === undefined) {
        entry = numberedEntry(store, letter, o, Math.max(0, ...[...held.values()].map((e) => e.agendaNumber)));
        held.set(letter.id, entry);
      }
      return entry;
    },
    giveBack: (letterId) => { held.delete(letterId); },
  };
}

/**
 * 'terkirim' (sent): a signed outgoing letter has gone out once
 *  - a "Kirim ke kantor lain" request for at least one office was made on this desk — the request,
 *    not the server's answer: it goes with the next sync, and a refusal is shown on the letter and in
 *    Antrian Sinkron like any other; or
 *  - it has addressees outside the system and every one of them is marked sent (by email or on paper).
 * Addressees outside the system still waiting do not hold back a letter already sent to an office:
 * they stay listed under "Perlu dikirim di luar sistem". The status only moves forward (signed → sent).
 * Call it inside the transaction of the request or the mark, so both are written or neither; the
 * change is audited by letters.update ('letter.updated', fields ['status']). The server keeps no
 * workflow status, so its outbox entry completes on this desk (main/letters/incoming/outbox.ts planLetter).
 */
export function markSentWhenGoneOut(store: Store, letterId: string, actor: string): void {
  const letter = store.letters.get(letterId);
  if (letter === undefined || letter.direction !== 'outgoing' || letter.status !== 'signed') return;
  const toOffice = store.deliveries.sent(letterId).length > 0;
  const external = store.externalDeliveries.ofLetter(letterId);
  const everyExternalSent = external.length > 0 && external.every((a) => a.sentAt !== null);
  if (toOffice || everyExternalSent) store.letters.update(letterId, { status: 'sent' }, actor);
}

/**
 * Who signed a letter and as what, as its stamp says ("Sri Handayani (Plh. Kepala Dinas Kesehatan)"):
 * a Plh/Plt signs for the official the letter named. Before it is signed: the official it waits for,
 * named by its chain for a drafted letter (a Plh's desk may not have fetched the officials' list).
 * The chains are read once, on the first letter waiting for one, however many letters are listed.
 */
function signerNames(store: Store, officials: SigningOfficials): (l: Letter) => string | null {
  let chainSigners: Map<string, string> | undefined;
  return (l) => {
    const [signed] = store.signatures.forLetter(l.id);
    if (signed !== undefined) return signed.signerPosition ? `${signed.signerName} (${signed.signerPosition})` : signed.signerName;
    const draftId = store.paraf.draftOfLetter(l.id);
    if (draftId !== undefined) chainSigners ??= new Map(store.paraf.all().map((d) => [d.id, d.signerName]));
    return (draftId !== undefined ? chainSigners?.get(draftId) : undefined) || officials.nameOf(l.signerUserId);
  };
}

function forRenderer(l: Letter, signerOf: (l: Letter) => string | null): OutgoingLetter {
  return {
    id: l.id, status: l.status as OutgoingLetter['status'], agendaNumber: l.agendaNumber, agendaYear: l.agendaYear, agendaLabel: l.agendaLabel,
    letterNumber: l.letterNumber, letterDate: l.letterDate, sender: l.sender, addressee: l.addressee, signerName: signerOf(l), subject: l.subject,
    documentHash: l.documentHash, createdAt: l.createdAt, voidReason: l.status === 'void' ? l.voidReason : null,
  };
}

export function outgoingHandlers(deps: { store: Store; officials: SigningOfficials }): Pick<Handlers, keyof typeof outgoing.channels> {
  const { store, officials } = deps;
  return {
    'outgoing.list': () => {
      const signerOf = signerNames(store, officials);
      return store.letters.outgoing().map((l) => forRenderer(l, signerOf));
    },
    'outgoing.officials': () => officials.list(),
    'outgoing.get': ({ id }) => {
      const letter = store.letters.get(id);
      if (letter === undefined || letter.direction !== 'outgoing') throw new AppError('NOT_FOUND', 'Surat keluar ini tidak ditemukan di meja ini. Muat ulang daftar surat keluar lalu coba lagi.', { id });
      return forRenderer(letter, signerNames(store, officials));
    },
  };
}

/** The server behind the desk, as the officials' list asks it. */
export function officialsServer(desk: Desk): OfficialsServer {
  const { sync } = desk;
  return { url: () => sync.serverUrl(), client: sync.client, online: desk.online, accessToken: () => sync.auth.accessToken(), user: () => sync.session.user() };
}

export function outgoingCapability(desk: Desk): Capability {
  const officials = signingOfficials({ store: desk.store, server: officialsServer(desk), log: desk.log.child({ part: 'officials' }) });
  return { handlers: outgoingHandlers({ store: desk.store, officials }) };
}
