// The activity log in the sync protocol: a desk's own audit entries merged into the server's chain
// (mutation), and the administrators' export of the server's log (request and replies). Imports zod
// and common/ only.
import { z } from 'zod';
import { IsoDateTime, mutation, PlainText, Sha256, Uuid7 } from './primitives.ts';

/** The namespaces of what a desk does (its capabilities); accounts, numbering and blobs are the server's to record. */
const deskNamespaces = new Set(['auth', 'audit', 'letter', 'agenda', 'outgoing', 'draft', 'sync', 'scan', 'scanner', 'scan-profile', 'signature', 'settings', 'classification', 'delivery', 'disposition', 'paraf', 'delegation', 'storage']);
/** What only the server sees happen, though in a namespace a desk also writes. */
const serverOnlyActions = new Set(['auth.login_failed', 'auth.locked', 'auth.refresh_reused', 'auth.refresh_wrong_device', 'auth.password_changed']);

export const DeskAuditAction = PlainText(100)
  .regex(/^[a-z][a-z-]*(\.[a-z][a-z_-]*)+$/, 'Nama kegiatan tidak dikenal.')
  .refine((a) => deskNamespaces.has(a.slice(0, a.indexOf('.'))) && !serverOnlyActions.has(a), 'Kegiatan ini bukan kegiatan meja; hanya server yang mencatatnya.');

/** How deep and how large a desk entry's details may be: what a desk writes is a few flat fields. */
export const maxAuditDetailsDepth = 8;
export const maxAuditDetailsBytes = 8 * 1024;

/** Nesting depth of a JSON value, walked without recursion and given up past `limit` (a payload nested thousands deep). */
function depthExceeds(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

export const AuditDetails = z.record(z.string(), z.unknown()).superRefine((details, ctx) => {
  if (depthExceeds(details, maxAuditDetailsDepth)) {
    ctx.addIssue({ code: 'custom', message: `Rincian kegiatan bersarang lebih dari ${maxAuditDetailsDepth} tingkat.` });
    return;
  }
  if (new TextEncoder().encode(JSON.stringify(details)).length > maxAuditDetailsBytes) ctx.addIssue({ code: 'custom', message: `Rincian kegiatan lebih dari ${maxAuditDetailsBytes / 1024} KB.` });
});

/**
 * Entries of a desk's own activity log, merged into the server's chain (their desk id, time and hash
 * kept in details). `seq` and `prevHash` are the entry's place in the desk's chain: the server checks
 * that each entry continues the one it holds last from that desk (desks of earlier versions send neither).
 */
export const DeskAuditEntry = z.object({
  id: Uuid7,
  at: IsoDateTime,
  action: DeskAuditAction,
  target: PlainText(200).nullable(),
  details: AuditDetails,
  hash: Sha256.optional(),
  seq: z.number().int().positive().optional(),
  prevHash: Sha256.optional(),
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

/**
 * How a desk's pushed chain failed to continue the one the server held: 'rewound' an entry at or
 * before the last one held (the log cut back, wiped, or rewritten and sent again), 'gap' entries
 * missing in between, 'fork' the next entry chained onto another hash than the one held (the entries
 * before it were rewritten).
 */
export const DeskChainFault = z.enum(['rewound', 'gap', 'fork']);
export type DeskChainFault = z.infer<typeof DeskChainFault>;

export const DeskChainBreak = z.object({
  kind: DeskChainFault,
  /** The desk entry that did not continue the chain. */
  seq: z.number().int(),
  /** The last entry the server held from the desk then. */
  heldSeq: z.number().int(),
  detectedAt: z.string(),
});
export type DeskChainBreak = z.infer<typeof DeskChainBreak>;

/** GET /sync/audit-anchor: the newest entry of this desk's chain the server holds, and the first break it saw, if any. */
export const AuditAnchorReply = z.object({
  seq: z.number().int().min(0),
  hash: z.string(),
  broken: DeskChainBreak.nullable(),
});
export type AuditAnchorReply = z.infer<typeof AuditAnchorReply>;

export const DeskChainsQuery = z.object({ officeId: z.string().min(1).max(100).optional() }).strict();

/** GET /admin/audit/desks: each desk of the office whose log reached the server, broken chains first. */
export const DeskChainsReply = z.object({
  desks: z.array(z.object({
    deviceId: z.string(),
    deviceName: z.string().nullable(),
    officeId: z.string().nullable(),
    lastSeq: z.number().int(),
    lastAt: z.string(),
    broken: DeskChainBreak.nullable(),
  })),
});
export type DeskChainsReply = z.infer<typeof DeskChainsReply>;
