// The sync endpoints: push (mutations in outbox order, each answered applied, duplicate or rejected
// with the reason) and pull (the change feed after a cursor). Imports zod and common/ only.
import { z } from 'zod';
import { ServerErrorCodeSchema } from './errors.ts';
import { Change, feedData } from './index.ts';
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

/**
 * A feed row of an entity this desk's version does not know yet: a server of a later version writes
 * entities older desks have never heard of, and an office updates its desks one by one. The desk keeps
 * the row as it came (its entity named, its data unread) and passes it, so its pull goes on; once the
 * desk is updated, the kept row is read through its schema like any other.
 */
export const UnknownChange = z.object({
  seq: z.number().int().min(1),
  entity: z.string().min(1).max(64).refine((entity) => !Object.hasOwn(feedData, entity), 'entitas ini dikenal: barisnya harus cocok dengan skemanya'),
  entityId: z.string().min(1).max(200),
  op: z.string().min(1).max(64),
  data: z.unknown(),
});
export type UnknownChange = z.infer<typeof UnknownChange>;

/** GET /sync/pull as a desk reads it: rows of the entities it knows must match their schemas; others are kept unread. */
export const DeskPullReply = PullReply.extend({ changes: z.array(z.union([Change, UnknownChange])) });
export type DeskPullReply = z.infer<typeof DeskPullReply>;

