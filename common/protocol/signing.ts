// Signatures in a desk's outbox. The server keeps no signature rows of its own: a signature reaches
// it through its letter (the signed PDF as the letter's attachment) and the activity log, so these
// entries complete on the desk. Imports zod only.
import { z } from 'zod';
import { outboxEntry } from './primitives.ts';

const SignatureLevel = z.enum(['B-B', 'B-T', 'B-LT']);

/** 'signature'/'create': the signature as the desk recorded it (main/store/signatures.ts). */
export const SignatureCreated = z.object({
  id: z.string(),
  letterId: z.string(),
  documentHash: z.string(),
  unsignedHash: z.string(),
  certificateFingerprint: z.string(),
  signerName: z.string(),
  level: SignatureLevel,
  signedAt: z.string(),
  upgradeAttempts: z.number().int(),
  upgradeError: z.string().nullable(),
  updatedAt: z.string(),
});
/** 'signature'/'update': a signature raised to a higher level over a new revision of the PDF. */
export const SignatureUpgraded = z.object({ id: z.string(), level: SignatureLevel, documentHash: z.string() });

export const signingOutbox = [
  outboxEntry('signature', 'create', SignatureCreated),
  outboxEntry('signature', 'update', SignatureUpgraded),
] as const;
