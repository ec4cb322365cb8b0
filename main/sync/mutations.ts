// What each outbox entry becomes at the server. Letters are sent from their current row, not from
// the snapshot in the entry: a letter registered late (after corrections, after an outgoing draft
// got its number) reaches the server as it is now, in one mutation. Changes the server does not keep
// (workflow status, OCR text) complete locally; kinds the server has no mutation for are shown to a
// person instead of being dropped.
import type { Letter, LetterChanges } from '../store/letters.ts';
import type { OutboxEntry } from '../store/outbox.ts';
import type { Mutation } from '../../common/protocol/index.ts';
import type { ExternalAddressee } from '../../common/protocol/delivery.ts';

export type Plan =
  /** Send to the server; `blobs` must be uploaded first; `registers` is the letter the server gets. */
  | { kind: 'send'; mutation: Mutation; blobs: string[]; registers?: string }
  /** Nothing the server keeps: done on this desk without a request. */
  | { kind: 'local' }
  /** No server mutation exists for this change: needs a person. */
  | { kind: 'unsupported'; message: string };

export interface PlanContext {
  letter(id: string): Letter | undefined;
  isRegistered(letterId: string): boolean;
  /** The letter another office delivered that this local letter records, if it records one. */
  deliveredLetterOf(letterId: string): string | undefined;
  /** An earlier, not yet done entry of the same entity (its push will carry the current row). */
  hasEarlierOpen(entity: string, entityId: string, seq: number): boolean;
}

type RegisterPayload = Extract<Mutation, { kind: 'letter.register' }>['payload'];
type UpdateChanges = Extract<Mutation, { kind: 'letter.update' }>['payload']['changes'];

const book = { incoming: 'in', outgoing: 'out' } as const;

/** The day the letter arrived, as a timestamp; the desk keeps only the office's local date. */
function receivedAt(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00Z`;
}

function attachments(letter: Pick<Letter, 'documentHash'>): string[] {
  return letter.documentHash ? [letter.documentHash] : [];
}

export function registerPayload(letter: Letter, deliveredLetterId?: string): RegisterPayload {
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

function updateChanges(changes: LetterChanges): UpdateChanges {
  const out: UpdateChanges = {};
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

function planLetter(entry: OutboxEntry, ctx: PlanContext): Plan {
  const letter = ctx.letter(entry.entityId);
  if (!letter) return { kind: 'unsupported', message: 'Surat ini tidak ada lagi di meja ini, sehingga tidak dapat dikirim.' };
  if (!ctx.isRegistered(letter.id)) {
    // An earlier entry of this letter is still waiting (or needs a person): it sends the current row.
    if (ctx.hasEarlierOpen('letter', letter.id, entry.seq)) return { kind: 'local' };
    // A draft without an agenda number stays on this desk until it is numbered.
    if (letter.agendaNumber === null || letter.agendaYear === null) return { kind: 'local' };
    const payload = registerPayload(letter, ctx.deliveredLetterOf(letter.id));
    return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.register', payload }, blobs: payload.attachments, registers: letter.id };
  }
  if (entry.op !== 'update') return { kind: 'local' };
  const changes = updateChanges((entry.payload as { changes: LetterChanges }).changes);
  if (Object.keys(changes).length === 0) return { kind: 'local' };
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.update', payload: { letterId: letter.id, changes } }, blobs: changes.attachments ?? [] };
}

/**
 * "Kirim ke kantor lain" is its own entity ('delivery', keyed by the letter's id) rather than an op
 * of 'letter': planLetter folds a letter's later entries into its registration while that is still
 * open, which would complete a delivery locally without sending it. It goes after the registration
 * (a later outbox entry; in one push the server applies the batch in order), and a refusal of either
 * is shown with its reason.
 */
function planDelivery(entry: OutboxEntry, ctx: PlanContext): Plan {
  const letter = ctx.letter(entry.entityId);
  if (!letter) return { kind: 'unsupported', message: 'Surat ini tidak ada lagi di meja ini, sehingga tidak dapat dikirim ke kantor lain.' };
  const { toOfficeIds, external } = entry.payload as { toOfficeIds: string[]; external?: ExternalAddressee[] };
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'letter.deliver', payload: { letterId: letter.id, toOfficeIds, ...(external ? { external } : {}) } }, blobs: [] };
}

/** An addressee outside the system marked sent (main/store/external-deliveries.ts); after the entry that added it. */
function planExternalSent(entry: OutboxEntry): Plan {
  const { externalId } = entry.payload as { externalId: string };
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'delivery.external_sent', payload: { letterId: entry.entityId, externalId } }, blobs: [] };
}

export function planEntry(entry: OutboxEntry, ctx: PlanContext): Plan {
  if (entry.entity === 'letter') return planLetter(entry, ctx);
  // A signature reaches the server through its letter: the signed PDF as the letter's attachment (the
  // letter's own update entry) and the signing in the activity log (audit.record); the server keeps
  // no signature rows of its own.
  if (entry.entity === 'signature') return { kind: 'local' };
  if (entry.entity === 'delivery' && entry.op === 'deliver') return planDelivery(entry, ctx);
  if (entry.entity === 'delivery' && entry.op === 'external_sent') return planExternalSent(entry);
  return { kind: 'unsupported', message: `Perubahan jenis "${entry.entity}/${entry.op}" belum dapat dikirim ke server oleh versi Loket ini. Perubahan tetap tersimpan di meja ini.` };
}

const fieldNames: Record<string, string> = {
  letterNumber: 'nomor surat', letterDate: 'tanggal surat', sender: 'pengirim', addressee: 'tujuan', subject: 'perihal',
  summary: 'ringkasan', receivedAt: 'tanggal terima', agendaNumber: 'nomor agenda', year: 'tahun agenda', classification: 'kode klasifikasi',
  urgency: 'sifat (urgensi)', security: 'sifat (keamanan)', attachments: 'berkas pindaian',
};

/** The server names invalid fields by their protocol path (payload.letterNumber); a clerk reads "nomor surat". */
export function readableReason(reason: string): string {
  return reason.replace(/\(([^)]*payload\.[^)]*)\)$/, (_, paths: string) =>
    `(${paths.split(', ').map((p) => fieldNames[p.split('.').at(-1) ?? ''] ?? p).join(', ')})`);
}
