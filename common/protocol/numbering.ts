// Agenda numbers in the server's API: blocks leased to a desk per office, book and year, so that it
// numbers letters offline with numbers no other desk gives, and numbers of a block reported unused.
// Imports zod and common/ only.
import { z } from 'zod';
import { Book } from './primitives.ts';

export const LeaseBody = z.object({
  book: Book,
  year: z.number().int().min(2000).max(2100),
  /** Fewer than the configured block when the desk needs only a few; never more. */
  count: z.number().int().min(1).optional(),
}).strict();
export const UnusedNumbersBody = z.object({ leaseId: z.uuid(), numbers: z.array(z.number().int().min(1)).min(1).max(10_000) }).strict();

/** POST /numbering/lease: the block, numbers `first` to `last` inclusive. */
export const LeaseReply = z.object({
  leaseId: z.string().min(1),
  book: Book,
  year: z.number().int(),
  first: z.number().int().min(1),
  last: z.number().int().min(1),
}).refine((l) => l.last >= l.first, { message: 'blok nomor terbalik', path: ['last'] });
export type LeaseReply = z.infer<typeof LeaseReply>;

/** POST /numbering/unused: how many numbers were retired. */
export const UnusedNumbersReply = z.object({ recorded: z.number().int().min(0) });
