// The sync endpoints: push (mutations in outbox order, each answered applied, duplicate or rejected
// with the reason) and pull (the change feed after a cursor). Imports zod and common/ only.
import { z } from 'zod';
import { ServerErrorCodeSchema } from './errors.ts';
import { Change } from './index.ts';
import { Uuid7 } from './primitives.ts';

/** The envelope is checked loosely so one bad mutation is answered `rejected` instead of failing the batch. */
export const PushRequest = z.object({
  mutations: z.array(z.object({ id: Uuid7 }).passthrough()).min(1),
}).strict();

export const MutationResult = z.discriminatedUnion('status', [
  z.object({ id: z.string(), status: z.literal('applied') }),
  z.object({ id: z.string(), status: z.literal('duplicate') }),
  z.object({ id: z.string(), status: z.literal('rejected'), code: ServerErrorCodeSchema, reason: z.string() }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

/** POST /sync/push: one result per mutation, in the order sent. */
export const PushReply = z.object({ results: z.array(MutationResult) });
export type PushReply = z.infer<typeof PushReply>;

export const PullQuery = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
}).strict();

/** GET /sync/pull: the changes after the cursor, the cursor to ask from next, and whether more wait. */
export const PullReply = z.object({
  changes: z.array(Change),
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type PullReply = z.infer<typeof PullReply>;
