// The activity log in the sync protocol: a desk's own audit entries merged into the server's chain
// (mutation), and the administrators' export of the server's log (request and replies). Imports zod
// and common/ only.
import { z } from 'zod';
import { IsoDateTime, mutation, PlainText, Sha256, Uuid7 } from './primitives.ts';

/** Entries of a desk's own activity log, merged into the server's chain (their desk id, time and hash kept in details). */
export const DeskAuditEntry = z.object({
  id: Uuid7,
  at: IsoDateTime,
  action: PlainText(100).min(1),
  target: PlainText(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: Sha256.optional(),
}).strict();
export type DeskAuditEntry = z.infer<typeof DeskAuditEntry>;
export const AuditRecord = z.object({ entries: z.array(DeskAuditEntry).min(1).max(500) }).strict();

export const auditMutations = [
  mutation('audit.record', AuditRecord),
] as const;

export const AuditQuery = z.object({
  officeId: z.string().min(1).max(100).optional(),
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
}).strict();

/** GET /admin/audit: entries of the server's chain after a cursor, oldest first. */
export const AuditExportReply = z.object({
  entries: z.array(z.object({
    seq: z.number().int(),
    at: z.string(),
    source: z.enum(['server', 'desk']),
    officeId: z.string().nullable(),
    userId: z.string().nullable(),
    deviceId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    details: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })),
  cursor: z.number().int(),
  hasMore: z.boolean(),
});
export type AuditExportReply = z.infer<typeof AuditExportReply>;

/** GET /admin/audit/verify: the whole chain recomputed; the first entry that does not match, if any. */
export const ChainCheckReply = z.object({ ok: z.boolean(), checked: z.number().int(), brokenAtSeq: z.number().int().optional() });
export type ChainCheckReply = z.infer<typeof ChainCheckReply>;
