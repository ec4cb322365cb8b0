// Registering incoming letters (surat masuk): the agenda entry made from a document (an imported
// file or a saved scan), its agenda number from the desk's blocks with the agency's template, and
// the row, its outbox mutation and its audit entry in one SQLite transaction, held while an earlier
// entry may be the same letter and the clerk has not decided. Corrections and voids go the same way.
import type { DuplicateWarning, IncomingLetterFields } from '../../../common/ipc/incoming.ts';
import { AppError } from '../../../common/errors.ts';
import type { Store } from '../../store/store.ts';
import type { Letter, LetterChanges } from '../../store/letters.ts';
import { findDuplicates } from './duplicates.ts';
import { nextAgendaNumber } from '../numbering/number-reserve.ts';
import { parseAgendaTemplate, renderAgendaNumber } from '../numbering/numbering.ts';

export interface RegisteredLetter {
  letter: Letter;
  /** Earlier entries that may be the same letter; the clerk decides. */
  warnings: DuplicateWarning[];
}

function invalid(field: keyof IncomingLetterFields, message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path: ['fields', field], message }] });
}

/** The rules zod cannot see alone: dates against each other and against today, known codes. */
function checkFields(store: Store, fields: Partial<IncomingLetterFields>, today: string, current?: Letter): void {
  const received = fields.receivedDate ?? current?.receivedDate ?? undefined;
  const letterDate = fields.letterDate ?? current?.letterDate ?? undefined;
  if (fields.receivedDate !== undefined && fields.receivedDate > today) {
    throw invalid('receivedDate', 'Tanggal terima tidak boleh setelah hari ini.');
  }
  if (received !== undefined && letterDate !== undefined && letterDate > received) {
    throw invalid('letterDate', 'Tanggal surat tidak boleh setelah tanggal terima.');
  }
  if (fields.classificationCode !== undefined && store.agenda.classification(fields.classificationCode) === undefined) {
    throw invalid('classificationCode', `Kode klasifikasi ${fields.classificationCode} tidak ada di daftar klasifikasi arsip. Cari kode dari daftar, atau minta admin menambahkannya.`);
  }
}

/** The document's PDF, or a clear refusal when the id is unknown on this desk. */
export function pdfOfDocument(store: Store, documentId: string): string {
  const pdf = store.agenda.pdfOf(documentId);
  if (pdf === undefined) throw new AppError('NOT_FOUND', 'Dokumen surat tidak ditemukan di meja ini. Impor atau pindai ulang suratnya.', { documentId });
  return pdf;
}

/**
 * Holds a registration while an earlier entry may be the same letter and the clerk has not compared it
 * and decided: `confirmed` names the entries the clerk chose to register beside. Throws
 * DUPLICATE_SUSPECTED (with the entries in details.duplicates) and nothing is saved.
 */
export function holdLikelyDuplicates(store: Store, input: { documentId: string; fields: IncomingLetterFields }, confirmed: readonly string[]): void {
  const pdfHash = pdfOfDocument(store, input.documentId);
  // The same bytes already registered are refused outright by the registration (LETTER_ALREADY_REGISTERED).
  if (store.agenda.letterWithDocument(pdfHash) !== undefined) return;
  const ocrText = store.agenda.documentText(input.documentId) ?? store.agenda.documentText(pdfHash);
  const suspected = findDuplicates(store, { sender: input.fields.sender, letterNumber: input.fields.letterNumber, ocrText });
  const undecided = suspected.find((d) => !confirmed.includes(d.letterId));
  if (undecided === undefined) return;
  throw new AppError('DUPLICATE_SUSPECTED', `Surat ini mungkin sudah tercatat sebagai agenda ${undecided.agendaLabel ?? '(tanpa nomor)'} (${undecided.subject}). Bandingkan keduanya, lalu pilih: catat sebagai surat baru, atau jangan dicatat.`, {
    duplicates: suspected,
  });
}

/** `hasServer`: the desk works with a server, so it numbers only from blocks the server leased to it (default: a desk without one). */
export function registerIncomingLetter(store: Store, input: { documentId: string; fields: IncomingLetterFields }, actor: string, today: string, hasServer = false): RegisteredLetter {
  const { fields } = input;
  checkFields(store, fields, today);
  const pdfHash = pdfOfDocument(store, input.documentId);
  const ocrText = store.agenda.documentText(input.documentId) ?? store.agenda.documentText(pdfHash);

  const letter = store.transaction(() => {
    // Checked inside the transaction: two clicks on Simpan must not make two entries of one file.
    const earlier = store.agenda.letterWithDocument(pdfHash);
    if (earlier !== undefined) {
      throw new AppError('LETTER_ALREADY_REGISTERED', `Sudah tercatat sebagai agenda ${earlier.agendaLabel ?? '(tanpa nomor)'} (${earlier.subject}). Buka agenda itu; surat yang sama tidak dicatat dua kali.`, {
        letterId: earlier.id, agendaLabel: earlier.agendaLabel,
      });
    }
    const year = Number(fields.receivedDate.slice(0, 4));
    const month = Number(fields.receivedDate.slice(5, 7));
    const config = store.agenda.agendaConfig();
    const urut = nextAgendaNumber(store, year, hasServer);
    const agendaLabel = renderAgendaNumber(parseAgendaTemplate(config.template), {
      urut, date: { year, month }, kode_unit: config.unitCode, unit: config.unitCode, klasifikasi: fields.classificationCode,
    });
    return store.letters.create({
      direction: 'incoming',
      status: 'registered',
      agendaNumber: urut,
      agendaYear: year,
      agendaLabel,
      ...fields,
      documentHash: pdfHash,
      ocrText,
    }, actor);
  });
  const warnings = findDuplicates(store, { sender: letter.sender, letterNumber: letter.letterNumber ?? '', ocrText: letter.ocrText, excludeId: letter.id });
  return { letter, warnings };
}

function incomingLetter(store: Store, id: string): Letter {
  const current = store.letters.get(id);
  if (current === undefined || current.direction !== 'incoming') {
    throw new AppError('NOT_FOUND', 'Surat ini tidak ditemukan di meja ini. Muat ulang daftar surat lalu coba lagi.', { id });
  }
  if (current.status === 'void') throw new AppError('LETTER_VOID', undefined, { id, agendaLabel: current.agendaLabel });
  return current;
}

/** Changes agenda fields of a registered letter (audited and outboxed by the store). The agenda number never changes. */
export function updateIncomingLetter(store: Store, id: string, fields: Partial<IncomingLetterFields>, actor: string, today: string): Letter {
  const current = incomingLetter(store, id);
  checkFields(store, fields, today, current);
  const changes: LetterChanges = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return store.letters.update(id, changes, actor);
}

/**
 * Voids (batal) a registered letter with the clerk's reason: the entry and its agenda number stay
 * (the number is never given again) and the agenda book prints it as void; the server learns of it
 * as letter.void.
 */
export function voidIncomingLetter(store: Store, id: string, reason: string, actor: string): Letter {
  incomingLetter(store, id);
  return store.letters.voidLetter(id, reason.trim(), actor);
}
