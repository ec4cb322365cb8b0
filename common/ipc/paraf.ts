// Paraf (verification) of drafts at the desk: the people a drafter may choose as verifiers, the
// drafts waiting for my paraf and those I sent with where they stand, one draft with its trail and
// versions, a verifier's edit and decision (approve, or return with notes), and two versions compared
// word by word.
import { z } from 'zod';
import { defineContract, Empty, IdSchema } from './base.ts';
import { DocumentTypeSchema, DraftContentSchema } from './drafting.ts';
import { FileRefSchema } from './documents.ts';

export const ChainStateSchema = z.enum(['sending', 'in_review', 'returned', 'approved', 'signed']);
export type ChainStateView = z.infer<typeof ChainStateSchema>;

/** A position the drafter may put in the chain, with the person holding it now. */
export const VerifierOptionSchema = z.object({ positionId: z.string(), title: z.string(), holderName: z.string().nullable() });
export type VerifierOption = z.infer<typeof VerifierOptionSchema>;

export const ParafStepViewSchema = z.object({
  action: z.enum(['submit', 'approve', 'return', 'sign']),
  round: z.number().int(),
  positionTitle: z.string().nullable(),
  userName: z.string(),
  version: z.number().int(),
  note: z.string(),
  at: z.string(),
});
export type ParafStepView = z.infer<typeof ParafStepViewSchema>;

/** A draft in its chain, as the to-do list and the paraf screen show it. */
export const ChainDraftSchema = z.object({
  id: z.string(),
  type: DocumentTypeSchema,
  hal: z.string(),
  authorName: z.string(),
  state: ChainStateSchema,
  version: z.number().int(),
  round: z.number().int(),
  verifiers: z.array(z.object({ positionId: z.string(), title: z.string(), state: z.enum(['done', 'current', 'waiting']) })),
  signerName: z.string(),
  /** It is my turn: I hold the current verifier's position. */
  myTurn: z.boolean(),
  /** I am its author. */
  mine: z.boolean(),
  pending: z.boolean(),
  refused: z.string().nullable(),
  /** Returned: the returning verifier's notes, for the drafter to act on. */
  returnNote: z.string().nullable(),
  updatedAt: z.string(),
});
export type ChainDraft = z.infer<typeof ChainDraftSchema>;

export const ParafTodoSchema = z.object({
  /** Waiting for my paraf, the oldest first. */
  toVerify: z.array(ChainDraftSchema),
  /** The drafts I sent to a chain and where they stand, the latest first. */
  sentByMe: z.array(ChainDraftSchema),
  /** Initialled by every verifier and addressed to me: waiting in Tanda Tangan. */
  toSign: z.array(ChainDraftSchema),
});
export type ParafTodo = z.infer<typeof ParafTodoSchema>;

export const ParafDetailSchema = ChainDraftSchema.extend({
  content: DraftContentSchema,
  trail: z.array(ParafStepViewSchema),
  versions: z.array(z.object({ version: z.number().int(), savedByName: z.string(), savedAt: z.string() })),
  /** The last version's lampiran, and how many of them are not downloaded to this desk yet. */
  attachments: z.object({ count: z.number().int(), missing: z.number().int() }),
});
export type ParafDetail = z.infer<typeof ParafDetailSchema>;

/** A piece of a field compared between two versions: unchanged, only in the newer, only in the older. */
export const DiffPieceSchema = z.object({ text: z.string(), op: z.enum(['same', 'added', 'removed']) });
export const FieldDiffSchema = z.object({ field: z.string(), label: z.string(), changed: z.boolean(), pieces: z.array(DiffPieceSchema) });
export type FieldDiff = z.infer<typeof FieldDiffSchema>;

const DraftRef = z.object({ id: IdSchema }).strict();

/** Where a chain restarts after a return: from its first verifier, or from the one who returned it. */
export const ParafRestartSchema = z.enum(['from_start', 'from_returner']);

/** The office's paraf policy as this desk knows it: the office's from the server (every desk shows it), or a choice made here on its way. */
export const ParafPolicySchema = z.object({
  restart: ParafRestartSchema,
  /** 'waiting': chosen at this desk, not on the server yet; 'office': the office's choice as the server sent it; 'default': the office never chose. */
  state: z.enum(['waiting', 'office', 'default']),
  /** When the server took the office's choice (state 'office'). */
  updatedAt: z.string().nullable(),
  /** Why the server refused the last choice made at this desk; the office's stays as it was. */
  refused: z.string().nullable(),
  /** The person signed in is the admin kantor of a desk with a server. */
  canManage: z.boolean(),
  /** The desk has a server (the policy lives there; a standalone desk has no paraf chain). */
  server: z.boolean(),
});
export type ParafPolicy = z.infer<typeof ParafPolicySchema>;

export const paraf = defineContract({
  channels: {
    /** Positions of the office a drafter may choose as verifiers (not their own), from the structure kept on this desk. */
    'paraf.verifiers': { request: Empty, reply: z.array(VerifierOptionSchema) },
    'paraf.todo': { request: Empty, reply: ParafTodoSchema },
    'paraf.get': { request: DraftRef, reply: ParafDetailSchema },
    /** The letter as a version of the draft renders (the last one when `version` is absent). */
    'paraf.preview': { request: z.object({ id: IdSchema, version: z.number().int().optional() }).strict(), reply: FileRefSchema },
    /** The verifier whose turn it is saves an edited text: a new version. */
    'paraf.edit': { request: z.object({ id: IdSchema, version: z.number().int(), content: DraftContentSchema }).strict(), reply: ParafDetailSchema },
    /** Approve (paraf) the version read, or return it to its author with notes. */
    'paraf.decide': {
      request: z.object({ id: IdSchema, version: z.number().int(), verdict: z.enum(['approve', 'return']), note: z.string().trim().max(2000) }).strict(),
      reply: ParafDetailSchema,
    },
    'paraf.policy': { request: Empty, reply: ParafPolicySchema },
    /** The admin kantor chooses where chains restart after a return; sent to the server with the next sync. */
    'paraf.setPolicy': { request: z.object({ restart: ParafRestartSchema }).strict(), reply: ParafPolicySchema },
    'paraf.compare': { request: z.object({ id: IdSchema, from: z.number().int(), to: z.number().int() }).strict(), reply: z.array(FieldDiffSchema) },
  },
  events: {},
  errors: {
    PARAF_POLICY_ADMIN_ONLY: {
      id: 'Aturan paraf hanya dapat diubah oleh admin kantor yang masuk dengan akunnya di server kantor.',
      en: 'The paraf policy can only be changed by the office administrator signed in with their office server account.',
    },
    PARAF_NOTE_REQUIRED: {
      id: 'Tulis catatan untuk pembuat konsep: apa yang perlu diperbaiki. Konsep belum dikembalikan.',
      en: 'Write a note for the drafter saying what to fix. The draft was not returned.',
    },
  },
});
