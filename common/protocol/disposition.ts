// The disposition capability in the sync protocol: a position disposes a letter to positions below it
// (or passes on a disposition it received), a recipient reads it and reports it done, its sender
// cancels it while unread (mutations); the disposition with each recipient's state as the office's
// change feed carries it; and what a desk's outbox keeps. Imports zod and common/ only.
import { z } from 'zod';
import { UrgencySchema } from '../letters.ts';
import { FileName, IsoDate, mutation, outboxEntry, ServerId, Sha256, Text, Uuid7 } from './primitives.ts';

/** The instructions an office chooses from until its admin kantor sets its own list (free text adds to them). */
export const dispositionInstructions = [
  'Untuk diketahui', 'Tindak lanjuti', 'Hadiri', 'Siapkan bahan', 'Koordinasikan', 'Pelajari dan laporkan', 'Siapkan jawaban', 'Arsipkan',
] as const;

/** To (acts on it) or tembusan (a copy, for information). */
export const RecipientKind = z.enum(['to', 'cc']);
export type RecipientKind = z.infer<typeof RecipientKind>;

export const DispositionCreate = z.object({
  dispositionId: Uuid7,
  letterId: Uuid7,
  /** The disposition received that this one passes on; null when disposing the letter itself. */
  parentId: Uuid7.nullable(),
  /** The position disposing, held by the person signed in. */
  fromPositionId: ServerId,
  to: z.array(ServerId).min(1).max(50),
  cc: z.array(ServerId).max(50),
  instructions: z.array(Text(100).min(1)).max(20),
  note: Text(2000),
  urgency: UrgencySchema,
  dueDate: IsoDate.nullable(),
}).strict().refine((p) => p.instructions.length > 0 || p.note.length > 0, { message: 'instruksi atau catatan wajib diisi', path: ['instructions'] });
export type DispositionCreate = z.infer<typeof DispositionCreate>;

/** The holder of a recipient position opened it. */
export const DispositionRead = z.object({ dispositionId: Uuid7, positionId: ServerId }).strict();
/** The holder of a recipient position reports it done (laporan tindak lanjut), with a note and optionally a file. */
export const DispositionReport = z.object({
  dispositionId: Uuid7, positionId: ServerId, note: Text(2000).min(1), attachment: Sha256.nullable(),
  /** The file's name as the reporter picked it, so every desk can show it; reports queued by earlier desks have none. */
  attachmentName: FileName.nullable().optional(),
}).strict().refine((p) => p.attachment !== null || p.attachmentName == null, { message: 'nama berkas tanpa berkas', path: ['attachmentName'] });
export type DispositionReport = z.infer<typeof DispositionReport>;
/** Its sender takes it back while no recipient has read it. */
export const DispositionCancel = z.object({ dispositionId: Uuid7 }).strict();

export const dispositionMutations = [
  mutation('disposition.create', DispositionCreate),
  mutation('disposition.read', DispositionRead),
  mutation('disposition.report', DispositionReport),
  mutation('disposition.cancel', DispositionCancel),
] as const;

export const DispositionRecipientData = z.object({
  positionId: z.string().min(1),
  kind: RecipientKind,
  readAt: z.string().nullable(),
  readBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  reportNote: z.string().nullable(),
  reportAttachment: z.string().nullable(),
  /** The report file's name as its reporter picked it; null for a report without a file or from before names travelled. */
  reportAttachmentName: z.string().nullable().default(null),
});
export type DispositionRecipientData = z.infer<typeof DispositionRecipientData>;

/** A disposition as the office's feed carries it ('disposition'), whole, each time one of its recipients acts. */
export const DispositionData = z.object({
  id: z.string().min(1),
  letterId: z.string().min(1),
  parentId: z.string().nullable(),
  fromPositionId: z.string().min(1),
  fromUserId: z.string().min(1),
  instructions: z.array(z.string()),
  note: z.string(),
  urgency: UrgencySchema,
  dueDate: z.string().nullable(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  recipients: z.array(DispositionRecipientData),
});
export type DispositionData = z.infer<typeof DispositionData>;

export const dispositionFeed = { disposition: DispositionData } as const;

export const dispositionOutbox = [
  outboxEntry('disposition', 'create', DispositionCreate),
  outboxEntry('disposition', 'read', DispositionRead),
  outboxEntry('disposition', 'report', DispositionReport),
  outboxEntry('disposition', 'cancel', DispositionCancel),
] as const;

/** Where a letter stands by its dispositions: none yet, some branch still open, or every branch done. */
export type LetterDispositionState = 'registered' | 'in_disposition' | 'done';

/** A letter is done when it has dispositions and every recipient (not tembusan) of every one not cancelled has reported done. */
export function letterDispositionState(dispositions: readonly Pick<DispositionData, 'cancelledAt' | 'recipients'>[]): LetterDispositionState {
  const live = dispositions.filter((d) => d.cancelledAt === null);
  if (live.length === 0) return 'registered';
  return live.every((d) => d.recipients.every((r) => r.kind === 'cc' || r.doneAt !== null)) ? 'done' : 'in_disposition';
}
