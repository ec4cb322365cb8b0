// The disposition capability in the sync protocol: a disposition of a letter to people of the office
// (mutation), and the disposition as the office's change feed carries it. Imports zod and common/ only.
import { z } from 'zod';
import { IsoDate, mutation, ServerId, Text, Uuid7 } from './primitives.ts';

export const DispositionCreate = z.object({
  dispositionId: Uuid7,
  letterId: Uuid7,
  recipientUserIds: z.array(ServerId).min(1).max(50),
  instruction: Text(2000).min(1),
  dueDate: IsoDate.nullable(),
}).strict();

export const dispositionMutations = [
  mutation('disposition.create', DispositionCreate),
] as const;

/** A disposition as the office's feed carries it ('disposition'): who sent it to whom, with what instruction and due date. */
export const DispositionData = z.object({
  id: z.string().min(1),
  letterId: z.string().min(1),
  fromUserId: z.string().min(1),
  recipientUserIds: z.array(z.string().min(1)),
  instruction: z.string(),
  dueDate: z.string().nullable(),
  createdAt: z.string(),
});
export type DispositionData = z.infer<typeof DispositionData>;

export const dispositionFeed = { disposition: DispositionData } as const;
