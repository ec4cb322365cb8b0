// Drafts in the sync protocol: an outgoing letter written at a desk (its template's type, the fields
// and body as the drafter left them, its attachments by SHA-256), saved as the drafter types and
// kept by the server so it survives the desk and can go to the office's verifiers. Each save carries
// the draft's version; the server keeps the highest it has seen, so saves pushed again or late never
// bring back older text. Every version is kept. A draft goes through the paraf chain: its author
// submits it to verifiers (positions of the office, in the order the author chose) and names its
// signer (one of the office's officials); each verifier in turn approves (paraf) or returns it with
// notes; after the last paraf the signer signs it. The draft with its chain, trail and versions as
// the change feed carries it to the people of its chain, and the draft entries of a desk's outbox.
// Imports zod and common/ only.
import { z } from 'zod';
import { DocumentTypeSchema, DraftContentSchema } from '../ipc/drafting.ts';
import { IsoDateTime, mutation, outboxEntry, ServerId, Sha256, Text, Uuid7 } from './primitives.ts';

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

/** The paper rule: at most three verifiers, in rank order. */
export const maxVerifiers = 3;

/**
 * Its author sends a saved version of the draft to the paraf chain: to the verifiers' positions in
 * order, then to the signer. Sent again after a return, it restarts the chain as the office chose.
 */
export const DraftSubmit = z.object({
  draftId: Uuid7,
  /** The version sent (saved before, in the same outbox). */
  version: z.number().int().min(1),
  /** Positions of the office, the first verifier first; none sends it straight to the signer. */
  verifiers: z.array(ServerId).max(maxVerifiers),
  /** The signing official (a user id from GET /org/officials). */
  signerId: ServerId,
  /** Kode klasifikasi arsip for the number signing gives (the outgoing book's format may need it). */
  classificationCode: Text(20).nullable(),
  submittedAt: IsoDateTime,
}).strict().refine((p) => new Set(p.verifiers).size === p.verifiers.length, { message: 'verifikator tidak boleh sama', path: ['verifiers'] });
export type DraftSubmit = z.infer<typeof DraftSubmit>;

export const ParafVerdict = z.enum(['approve', 'return']);
export type ParafVerdict = z.infer<typeof ParafVerdict>;

/** The current verifier approves (paraf) the version they read, or returns it to its author with notes. */
export const ParafDecide = z.object({
  decisionId: Uuid7,
  draftId: Uuid7,
  /** The version the verifier read: a decision on text that changed since is refused. */
  version: z.number().int().min(1),
  verdict: ParafVerdict,
  note: Text(2000),
  decidedAt: IsoDateTime,
}).strict().refine((p) => p.verdict === 'approve' || p.note.length > 0, { message: 'catatan pengembalian wajib diisi', path: ['note'] });
export type ParafDecide = z.infer<typeof ParafDecide>;

/** The signer signed the draft's last version: the outgoing letter it became (registered before, with its number). */
export const DraftSign = z.object({
  draftId: Uuid7,
  version: z.number().int().min(1),
  letterId: Uuid7,
  signedAt: IsoDateTime,
}).strict();
export type DraftSign = z.infer<typeof DraftSign>;

/**
 * Where the chain starts again after a return: at its first verifier (from_start, the default: the
 * revised text is read by everyone again) or at the verifier who returned it (from_returner).
 */
export const ParafRestart = z.enum(['from_start', 'from_returner']);
export type ParafRestart = z.infer<typeof ParafRestart>;
export const defaultParafRestart: ParafRestart = 'from_start';

/** The office's admin sets where the chain restarts. */
export const ParafPolicy = z.object({ restart: ParafRestart }).strict();

export const draftingMutations = [
  mutation('draft.save', DraftSave),
  mutation('draft.submit', DraftSubmit),
  mutation('paraf.decide', ParafDecide),
  mutation('draft.sign', DraftSign),
  mutation('paraf.policy', ParafPolicy),
] as const;

/** Where a draft stands in its chain. */
export const ChainState = z.enum(['in_review', 'returned', 'approved', 'signed']);
export type ChainState = z.infer<typeof ChainState>;

export const ParafStepData = z.object({
  id: z.string(),
  round: z.number().int(),
  /** 'submit': the author sent the version; the others are a verifier's decision at `positionId`. */
  action: z.enum(['submit', 'approve', 'return', 'sign']),
  positionId: z.string().nullable(),
  userId: z.string(),
  userName: z.string(),
  version: z.number().int(),
  note: z.string(),
  at: z.string(),
});
export type ParafStepData = z.infer<typeof ParafStepData>;

export const DraftVersionData = z.object({
  version: z.number().int(),
  content: DraftContentSchema,
  attachments: z.array(z.string()),
  savedBy: z.string(),
  savedAt: z.string(),
});
export type DraftVersionData = z.infer<typeof DraftVersionData>;

/** A draft in its chain as the feed carries it ('draft'), whole, to its author, its verifiers and its signer. */
export const DraftChainData = z.object({
  id: z.string().min(1),
  authorId: z.string(),
  authorName: z.string(),
  type: DocumentTypeSchema,
  version: z.number().int(),
  state: ChainState,
  round: z.number().int(),
  /** The verifiers' positions in order, with their titles. */
  verifiers: z.array(z.object({ positionId: z.string(), title: z.string() })),
  /** Index in `verifiers` of the one whose turn it is; verifiers.length once all have approved. */
  step: z.number().int(),
  signerId: z.string(),
  signerName: z.string(),
  classificationCode: z.string().nullable(),
  letterId: z.string().nullable(),
  trail: z.array(ParafStepData),
  versions: z.array(DraftVersionData),
});
export type DraftChainData = z.infer<typeof DraftChainData>;

/** 'paraf_policy': where the office's chains restart after a return (entity id: the office's id); an office with no row uses the default. */
export const ParafPolicyData = z.object({ restart: ParafRestart, updatedAt: z.string(), updatedBy: z.string() });
export type ParafPolicyData = z.infer<typeof ParafPolicyData>;

export const draftingFeed = { draft: DraftChainData, paraf_policy: ParafPolicyData } as const;

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

export const draftingOutbox = [
  outboxEntry('draft', 'save', DraftSaved),
  outboxEntry('draft', 'submit', DraftSubmit),
  outboxEntry('draft', 'decide', ParafDecide),
  outboxEntry('draft', 'sign', DraftSign),
  outboxEntry('paraf_policy', 'set', ParafPolicy),
] as const;
