// Drafts in the sync protocol: an outgoing letter written at a desk (its template's type, the fields
// and body as the drafter left them, its attachments by SHA-256), saved as the drafter types and
// kept by the server so it survives the desk and can go to the office's verifiers. Each save carries
// the draft's version; the server keeps the highest it has seen, so saves pushed again or late never
// bring back older text. And the draft entries of a desk's outbox. Imports zod and common/ only.
import { z } from 'zod';
import { DocumentTypeSchema, DraftContentSchema } from '../ipc/drafting.ts';
import { IsoDateTime, mutation, outboxEntry, Sha256, Uuid7 } from './primitives.ts';

const DraftStatus = z.enum(['draft', 'submitted']);

/** A draft as its author last saved it. */
export const DraftSave = z.object({
  draftId: Uuid7,
  version: z.number().int().min(1),
  type: DocumentTypeSchema,
  content: DraftContentSchema,
  /** PDFs appended as lampiran, in order; uploaded before the save that names them. */
  attachments: z.array(Sha256).max(50),
  status: DraftStatus,
  /** The outgoing letter it became once submitted for signature. */
  letterId: Uuid7.nullable(),
  savedAt: IsoDateTime,
}).strict();
export type DraftSave = z.infer<typeof DraftSave>;

export const draftingMutations = [mutation('draft.save', DraftSave)] as const;

/** 'draft'/'save': the draft as the desk stored it (main/store/drafts.ts). */
export const DraftSaved = z.object({
  id: z.string(),
  version: z.number().int(),
  type: DocumentTypeSchema,
  content: z.unknown(),
  attachments: z.array(z.string()),
  status: DraftStatus,
  letterId: z.string().nullable(),
  updatedAt: z.string(),
});

export const draftingOutbox = [outboxEntry('draft', 'save', DraftSaved)] as const;
