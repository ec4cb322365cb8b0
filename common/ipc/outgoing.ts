// Surat keluar: the office's outgoing letters, listed and opened.
import { z } from 'zod';
import { defineContract, Empty, IdSchema } from './base.ts';

export const OutgoingLetterSchema = z.object({
  id: z.string(),
  /** siap ditandatangani (ready_to_sign) → ditandatangani (signed) → terkirim (sent); draft and in_verification come with drafting. */
  status: z.enum(['draft', 'in_verification', 'ready_to_sign', 'signed', 'sent']),
  /** Given from the outgoing book when the letter is signed; null before. */
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  letterNumber: z.string().nullable(),
  /** The day it was signed and numbered (YYYY-MM-DD); null before. */
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  documentHash: z.string().nullable(),
  createdAt: z.string(),
});
export type OutgoingLetter = z.infer<typeof OutgoingLetterSchema>;

export const outgoing = defineContract({
  channels: {
    /** The office's outgoing letters, newest first. */
    'outgoing.list': { request: Empty, reply: z.array(OutgoingLetterSchema) },
    'outgoing.get': { request: z.object({ id: IdSchema }).strict(), reply: OutgoingLetterSchema },
  },
  events: {},
  errors: {},
});
