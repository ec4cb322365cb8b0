// The sync protocol composed from its capabilities: every mutation a desk may push, every row of the
// change feed it pulls, every entry its outbox keeps. A capability adds its file in common/protocol/
// and one line per mutation, feed entity and outbox list here. Imports zod and common/ only.
import { z } from 'zod';
import { feedRow } from './primitives.ts';
import { auditMutations } from './audit.ts';
import { delegationFeed, delegationMutations, delegationOutbox } from './delegation.ts';
import { deliveryFeed, deliveryMutations, deliveryOutbox } from './delivery.ts';
import { dispositionFeed, dispositionMutations, dispositionOutbox } from './disposition.ts';
import { draftingFeed, draftingMutations, draftingOutbox } from './drafting.ts';
import { letterFeed, letterMutations, letterOutbox } from './letters.ts';
import { naskahFeed } from './naskah.ts';
import { officeFeed, officeMutations, officeOutbox } from './office.ts';
import { signingMutations, signingOutbox } from './signing.ts';

/** What a desk pushes; the server applies each at most once, keyed by its id. */
export const Mutation = z.discriminatedUnion('kind', [
  ...letterMutations,
  ...dispositionMutations,
  ...deliveryMutations,
  ...signingMutations,
  ...auditMutations,
  ...draftingMutations,
  ...delegationMutations,
  ...officeMutations,
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationKind = Mutation['kind'];
export type MutationPayload<K extends MutationKind> = Extract<Mutation, { kind: K }>['payload'];

/** The data of each entity of the change feed. */
export const feedData = {
  ...letterFeed,
  ...dispositionFeed,
  ...deliveryFeed,
  ...draftingFeed,
  ...delegationFeed,
  ...naskahFeed,
  ...officeFeed,
} as const;
export type FeedEntity = keyof typeof feedData;
export type FeedData<E extends FeedEntity> = z.infer<(typeof feedData)[E]>;

/** A row of the change feed as the server writes it: the server cannot write what a desk cannot read. */
export const FeedRow = z.discriminatedUnion('entity', [
  feedRow('letter', feedData.letter),
  feedRow('disposition', feedData.disposition),
  feedRow('delivery', feedData.delivery),
  feedRow('external_delivery', feedData.external_delivery),
  feedRow('draft', feedData.draft),
  feedRow('paraf_policy', feedData.paraf_policy),
  feedRow('delegation', feedData.delegation),
  feedRow('strategic_types', feedData.strategic_types),
  feedRow('naskah', feedData.naskah),
  feedRow('office', feedData.office),
]);
export type FeedRow = z.infer<typeof FeedRow>;

/** A row of the change feed as a desk pulls it; `seq` is the cursor to resume after. */
export const Change = z.object({ seq: z.number().int().min(1) }).and(FeedRow);
export type Change = z.infer<typeof Change>;

/**
 * What a desk's outbox keeps with each change it must send: one payload schema per entity and op.
 * Rows stored by earlier versions of Loket parse too; one that does not is shown to a person.
 */
export const OutboxChange = z.union([
  ...letterOutbox,
  ...signingOutbox,
  ...deliveryOutbox,
  ...dispositionOutbox,
  ...draftingOutbox,
  ...delegationOutbox,
  ...officeOutbox,
]);
export type OutboxChange = z.infer<typeof OutboxChange>;
/** The payload a desk gives when it appends an entry (before parsing; the same shape). */
export type NewOutboxChange = z.input<typeof OutboxChange>;
export type OutboxEntity = OutboxChange['entity'];
