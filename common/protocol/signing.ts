// Signatures in the sync protocol: what the server keeps of a letter signed at a desk, so that its
// public verification page (/verifikasi) can show who signed it and when, and tell the holder of a
// file whether it is exactly the signed one — the SHA-256 of the signed PDF, and of every later
// revision the desk made of it (a timestamp added). And the signature entries of a desk's outbox.
// Imports zod and common/ only.
import { z } from 'zod';
import { OfficeTimeZoneSchema } from '../ipc/app.ts';
import { SigningClaim } from './delegation.ts';
import { IsoDateTime, mutation, outboxEntry, Sha256, Text, Uuid7 } from './primitives.ts';

const SignatureLevel = z.enum(['B-B', 'B-T', 'B-LT']);

/** A letter of the desk's office signed: the signed file's hash, the signer as the stamp shows them, the time. */
export const SignatureRecord = z.object({
  signatureId: Uuid7,
  letterId: Uuid7,
  /** SHA-256 of the signed PDF, as the desk stored it. */
  documentHash: Sha256,
  signedAt: IsoDateTime,
  level: SignatureLevel,
  signer: z.object({ name: Text(300).min(1), position: Text(300) }).strict(),
  /** The office's time zone at signing (the stamp's WIB/WITA/WIT); desks of earlier versions stamped in WIB and did not send it. */
  timeZone: OfficeTimeZoneSchema.optional(),
  /**
   * For whom the signer signed (their own position, as its Plh/Plt, a.n. or u.b.): the server checks
   * the signer held that authority at `signedAt`. Desks of earlier versions did not send it.
   */
  authority: SigningClaim.optional(),
}).strict();
export type SignatureRecord = z.infer<typeof SignatureRecord>;

/** A signed letter's later revision (its signature timestamped): the holder of this file holds the signed letter too. */
export const SignatureUpgrade = z.object({ signatureId: Uuid7, documentHash: Sha256, level: SignatureLevel }).strict();
export type SignatureUpgrade = z.infer<typeof SignatureUpgrade>;

export const signingMutations = [
  mutation('signature.record', SignatureRecord),
  mutation('signature.upgrade', SignatureUpgrade),
] as const;

/** 'signature'/'create': the signature as the desk recorded it (main/store/signatures.ts). */
export const SignatureCreated = z.object({
  id: z.string(),
  letterId: z.string(),
  documentHash: z.string(),
  unsignedHash: z.string(),
  certificateFingerprint: z.string(),
  signerName: z.string(),
  /** The signer's position as the stamp shows it; desks of earlier versions did not keep it. */
  signerPosition: z.string().optional(),
  level: SignatureLevel,
  signedAt: z.string(),
  /** The office's time zone the stamp was written in; desks of earlier versions did not keep it (WIB). */
  timeZone: OfficeTimeZoneSchema.optional(),
  /** For whom a letter drafted in Loket was signed (signature.record's `authority`); none for an imported letter. */
  authority: SigningClaim.optional(),
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
