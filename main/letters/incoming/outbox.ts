// What the desk's letter entries become at the server (entity 'letter'; 'agenda_book' entries of earlier
// versions complete locally): a registration, a correction (letter.update) or a void (letter.void). Letters
// are sent from their current row, not from the snapshot in the entry: a letter registered late
// (after corrections, after an outgoing draft got its number) reaches the server as it is now, in one
// mutation. Changes the server does not keep (workflow status, OCR text) complete locally.
import type { LetterRegister, LetterUpdate } from '../../../common/protocol/letters.ts';
import type { EntryOf, OutboxPlan } from '../../store/outbox.ts';
import type { Letter, LetterChanges } from '../../store/letters.ts';
import type { Store } from '../../store/store.ts';

const book = { incoming: 'in', outgoing: 'out' } as const;

/** The day the letter arrived, as a timestamp; the desk keeps only the office's local date. */
function receivedAt(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00Z`;
}

function attachments(letter: Pick<Letter, 'documentHash'>): string[] {
  return letter.documentHash ? [letter.documentHash] : [];
}

export function registerPayload(letter: Letter, deliveredLetterId?: string): LetterRegister {
  return {
    letterId: letter.id,
    direction: book[letter.direction],
    year: letter.agendaYear!,
    agendaNumber: letter.agendaNumber!,
    receivedAt: receivedAt(letter.receivedDate),
    // Missing fields are sent empty: the server answers which one is missing, and the person fixes it.
    letterNumber: letter.letterNumber ?? '',
    letterDate: letter.letterDate ?? '',
    sender: letter.sender,
    addressee: letter.addressee,
    subject: letter.subject,
    summary: letter.summary,
    urgency: letter.urgency,
    security: letter.security,
    classification: letter.classificationCode ?? '',
    attachments: attachments(letter),
    ...(deliveredLetterId ? { deliveredLetterId } : {}),
  };
}

function updateChanges(changes: LetterChanges): LetterUpdate['changes'] {
  const out: LetterUpdate['changes'] = {};
  if (changes.receivedDate !== undefined) out.receivedAt = receivedAt(changes.receivedDate);
  if (changes.letterNumber != null) out.letterNumber = changes.letterNumber;
  if (changes.letterDate != null) out.letterDate = changes.letterDate;
  if (changes.sender !== undefined) out.sender = changes.sender;
  if (changes.addressee !== undefined) out.addressee = changes.addressee;
  if (changes.subject !== undefined) out.subject = changes.subject;
  if (changes.summary !== undefined) out.summary = changes.summary;
  if (changes.urgency !== undefined) out.urgency = changes.urgency;
  if (changes.security !== undefined) out.security = changes.security;
  if (changes.classificationCode !== undefined) out.classification = changes.classificationCode ?? '';
  if (changes.documentHash !== undefined) out.attachments = attachments({ documentHash: changes.documentHash });
  return out;
}

export function planLetter(entry: EntryOf<'letter'>, store: Store): OutboxPlan {
  const letter = store.letters.get(entry.entityId);
  if (!letter) return { kind: 'unsupported', message: 'Surat ini tidak ada lagi di meja ini, sehingga tidak dapat dikirim.' };
  if (!store.sync.isRegistered(letter.id)) {
    // An earlier entry of this letter is still waiting (or needs a person): it sends the current row.
    if (store.sync.hasEarlierOpen('letter', letter.id, entry.seq)) return { kind: 'local' };
    // A draft without an agenda number stays on this desk until it is numbered.
    if (letter.agendaNumber === null || letter.agendaYear === null) return { kind: 'local' };
    const payload = registerPayload(letter, store.deliveries.registeredFrom(letter.id));
    return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.register', payload }, blobs: payload.attachments, registers: letter.id };
  }
  if (entry.op !== 'update') return { kind: 'local' };
  if (entry.payload.changes.status === 'void') {
    const reason = entry.payload.changes.voidReason ?? letter.voidReason ?? '';
    return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.void', payload: { letterId: letter.id, reason } }, blobs: [] };
  }
  const changes = updateChanges(entry.payload.changes);
  if (Object.keys(changes).length === 0) return { kind: 'local' };
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.update', payload: { letterId: letter.id, changes } }, blobs: changes.attachments ?? [] };
}

/** Earlier versions put exports of the agenda book in the outbox; an export changes nothing at the server (the activity log records it). */
export function planAgendaBook(_entry: EntryOf<'agenda_book'>): OutboxPlan {
  return { kind: 'local' };
}
