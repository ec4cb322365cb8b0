// The sync push protocol: what a desk sends, what the server answers. Mutations are replayed in
// outbox order; each carries a client-generated UUIDv7 and is applied at most once.
// Desks may import this module; it depends on zod only.
import { z } from 'zod';
import type { ServerErrorCode } from './errors.ts';

export const Uuid7 = z.uuid({ version: 'v7' });
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 in lowercase hex');
const IsoDate = z.iso.date();
const IsoDateTime = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().trim().max(max);

export const Book = z.enum(['in', 'out']);
export type Book = z.infer<typeof Book>;

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
  urgency: z.enum(['biasa', 'segera', 'sangat_segera']),
  security: z.enum(['biasa', 'terbatas', 'rahasia']),
  classification: Text(50),
  attachments: z.array(Sha256).max(100),
  /** The letter another office delivered that this registration records in the agenda (incoming letters only). */
  deliveredLetterId: Uuid7.optional(),
}).strict();

/** Corrects a registered letter of the desk's own office; only the fields sent change. The agenda number never changes. */
export const LetterUpdate = z.object({
  letterId: Uuid7,
  changes: LetterRegister.pick({
    receivedAt: true, letterNumber: true, letterDate: true, sender: true, addressee: true, subject: true, summary: true,
    urgency: true, security: true, classification: true, attachments: true,
  }).partial().strict().refine((c) => Object.keys(c).length > 0, 'tidak ada perubahan'),
}).strict();

export const DispositionCreate = z.object({
  dispositionId: Uuid7,
  letterId: Uuid7,
  recipientUserIds: z.array(z.string().min(1).max(100)).min(1).max(50),
  instruction: Text(2000).min(1),
  dueDate: IsoDate.nullable(),
}).strict();

/** An addressee outside the system: the letter goes to them by email (to `email`) or on paper. */
export const ExternalAddressee = z.object({
  /** The desk's id of this addressee, so that it can be marked sent later. */
  id: Uuid7,
  name: Text(200).min(1),
  channel: z.enum(['email', 'print']),
  email: z.email().max(254).optional(),
}).strict().refine((a) => a.channel !== 'email' || a.email !== undefined, { message: 'alamat email wajib untuk pengiriman lewat email', path: ['email'] });
export type ExternalAddressee = z.infer<typeof ExternalAddressee>;

/**
 * Sends a registered letter through the system to other offices (OPD), and/or marks addressees
 * outside the system for email or print; one of the two lists may be empty, not both.
 */
export const LetterDeliver = z.object({
  letterId: Uuid7,
  toOfficeIds: z.array(z.string().min(1).max(100)).max(100),
  external: z.array(ExternalAddressee).max(50).optional(),
}).strict().refine((p) => p.toOfficeIds.length > 0 || (p.external?.length ?? 0) > 0, { message: 'kantor tujuan atau penerima di luar sistem wajib diisi', path: ['toOfficeIds'] });

/** One addressee outside the system has been sent the letter (by email or on paper). */
export const ExternalSent = z.object({
  letterId: Uuid7,
  externalId: Uuid7,
}).strict();

/** Entries of a desk's own activity log, merged into the server's chain (their desk id, time and hash kept in details). */
export const DeskAuditEntry = z.object({
  id: Uuid7,
  at: IsoDateTime,
  action: z.string().min(1).max(100),
  target: z.string().max(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).strict();
export const AuditRecord = z.object({ entries: z.array(DeskAuditEntry).min(1).max(500) }).strict();

export const Mutation = z.discriminatedUnion('kind', [
  z.object({ id: Uuid7, kind: z.literal('letter.register'), payload: LetterRegister }).strict(),
  z.object({ id: Uuid7, kind: z.literal('letter.update'), payload: LetterUpdate }).strict(),
  z.object({ id: Uuid7, kind: z.literal('disposition.create'), payload: DispositionCreate }).strict(),
  z.object({ id: Uuid7, kind: z.literal('letter.deliver'), payload: LetterDeliver }).strict(),
  z.object({ id: Uuid7, kind: z.literal('delivery.external_sent'), payload: ExternalSent }).strict(),
  z.object({ id: Uuid7, kind: z.literal('audit.record'), payload: AuditRecord }).strict(),
]);
export type Mutation = z.infer<typeof Mutation>;

/** The envelope is checked loosely so one bad mutation is answered `rejected` instead of failing the batch. */
export const PushRequest = z.object({
  mutations: z.array(z.object({ id: Uuid7 }).passthrough()).min(1),
}).strict();

export type MutationResult =
  | { id: string; status: 'applied' }
  | { id: string; status: 'duplicate' }
  | { id: string; status: 'rejected'; code: ServerErrorCode; reason: string };

export interface PushReply { results: MutationResult[] }

/** One row of the change feed; `seq` is the cursor to resume after. */
export interface Change {
  seq: number;
  entity: 'letter' | 'disposition' | 'delivery' | 'external_delivery';
  entityId: string;
  op: 'upsert';
  data: Record<string, unknown>;
}

export const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
}).strict();

export interface PullReply { changes: Change[]; cursor: number; hasMore: boolean }
