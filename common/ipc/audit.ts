// The activity log as the office's administrator sees it from a desk: which desks of the office pushed
// a log that does not continue the chain the server holds from them (cut back, wiped or rewritten).
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

export const DeskChainSchema = z.object({
  deviceId: z.string(),
  /** The desk's name as it signed in; null when the server does not know it. */
  deskName: z.string().nullable(),
  /** The newest entry of that desk's log the server holds, and when it took it. */
  lastSeq: z.number().int(),
  lastAt: z.string(),
  /** The first break the server saw; null while the chain is whole. */
  broken: z.object({
    kind: z.enum(['rewound', 'gap', 'fork']),
    seq: z.number().int(),
    heldSeq: z.number().int(),
    detectedAt: z.string(),
  }).nullable(),
});
export type DeskChain = z.infer<typeof DeskChainSchema>;

export const audit = defineContract({
  channels: {
    'audit.desks': { request: Empty, reply: z.object({ desks: z.array(DeskChainSchema) }) },
  },
  events: {},
  errors: {
    AUDIT_ADMIN_ONLY: {
      id: 'Hanya admin kantor yang dapat melihat rantai log meja-meja kantor. Masuk dengan akun admin kantor.',
      en: 'Only the office administrator can see the log chains of the office\'s desks. Sign in with an office administrator\'s account.',
    },
  },
});
