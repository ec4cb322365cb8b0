// The letters capability in the sync protocol: registering a letter in the office's agenda,
// correcting it and voiding it (mutations), the letter as the change feed carries it, and what a desk's outbox keeps
// of its letters and agenda-book exports. Imports zod and common/ only.
import { z } from 'zod';
import { DirectionSchema, LetterStatusSchema, SecuritySchema, UrgencySchema } from '../letters.ts';
import { Book, IsoDate, IsoDateTime, mutation, outboxEntry, Sha256, Text, Uuid7 } from './primitives.ts';

/** A letter registered in the office's agenda (incoming) or numbered for sending (outgoing). */
export const LetterRegister = z.object({
  letterId: Uuid7,
  direction: Book,
  year: z.number().int().min(2000).max(2100),
  agendaNumber: z.number().int().min(1),
  receivedAt: IsoDateTime.nullable(),
  letterNumber: Text(200).min(1),
  letterDate: IsoDate,
  sender: Text(500).min(1),
  addressee: Text(500),
  subject: Text(1000).min(1),
  summary: Text(5000),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classification: Text(50),
  attachments: z.array(Sha256).max(100),
  /** The letter another office delivered that this registration records in the agenda (incoming letters only). */
  deliveredLetterId: Uuid7.optional(),
}).strict();
export type LetterRegister = z.infer<typeof LetterRegister>;

/** Corrects a registered letter of the desk's own office; only the fields sent change. The agenda number never changes. */
export const LetterUpdate = z.object({
  letterId: Uuid7,
  changes: LetterRegister.pick({
    receivedAt: true, letterNumber: true, letterDate: true, sender: true, addressee: true, subject: true, summary: true,
    urgency: true, security: true, classification: true, attachments: true,
  }).partial().strict().refine((c) => Object.keys(c).length > 0, 'tidak ada perubahan'),
}).strict();
export type LetterUpdate = z.infer<typeof LetterUpdate>;

/**
 * Voids (batal) a registered letter of the desk's own office, with the reason a person gave. The
 * entry stays in the agenda with its number, shown as void: the number is never given again.
 */
export const LetterVoid = z.object({
  letterId: Uuid7,
  reason: Text(500).min(1),
}).strict();
export type LetterVoid = z.infer<typeof LetterVoid>;

export const letterMutations = [
  mutation('letter.register', LetterRegister),
  mutation('letter.update', LetterUpdate),
  mutation('letter.void', LetterVoid),
] as const;

/**
 * A letter as the change feed carries it (entity 'letter', and inside a 'delivery'): the server's
 * row with its attachments in order. Unknown fields are dropped, so a newer server may add some.
 */
export const LetterData = z.object({
  id: z.string().min(1),
  officeId: z.string().min(1),
  direction: Book,
  year: z.number().int(),
  agendaNumber: z.number().int(),
  receivedAt: z.string().nullable(),
  letterNumber: z.string(),
  letterDate: z.string(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classification: z.string(),
  attachments: z.array(Sha256),
  createdBy: z.string(),
  createdAt: z.string(),
  /** When the letter was voided (batal) and why; absent from servers that predate voiding. */
  voidedAt: z.string().nullable().optional(),
  voidReason: z.string().nullable().optional(),
});
export type LetterData = z.infer<typeof LetterData>;

export const letterFeed = { letter: LetterData } as const;

/** The desk's letter record (main/store/letters.ts), as its outbox entries carry it. */
const LetterRecord = z.object({
  id: z.string(),
  direction: DirectionSchema,
  status: LetterStatusSchema,
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  receivedDate: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classificationCode: z.string().nullable(),
  documentType: z.string().nullable(),
  attachmentCount: z.number().int(),
  documentHash: z.string().nullable(),
  ocrText: z.string().nullable(),
  signerUserId: z.string().nullable(),
  /** Why the letter was voided (batal); desks of earlier versions did not keep it. */
  voidReason: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * 'letter'/'create': the letter as it was written. Kept for the record only — the desk sends a
 * letter's current row, not this snapshot — so every field may be missing (desks of the first
 * versions wrote fewer of them).
 */
export const LetterCreated = LetterRecord.partial();
/** 'letter'/'update': the fields that changed, with their new values. */
export const LetterChanged = z.object({
  id: z.string(),
  changes: LetterRecord.omit({ id: true, direction: true, createdAt: true, updatedAt: true }).partial(),
  updatedAt: z.string(),
});
/** 'agenda_book'/'export': written by earlier versions for an export of the agenda book; read only to complete such entries locally. */
export const AgendaBookExported = z.object({ from: z.string(), to: z.string(), entries: z.number().int() });

export const letterOutbox = [
  outboxEntry('letter', 'create', LetterCreated),
  outboxEntry('letter', 'update', LetterChanged),
  outboxEntry('agenda_book', 'export', AgendaBookExported),
] as const;
