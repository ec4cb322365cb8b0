// Surat keluar: the office's outgoing letters, listed and opened.
import { z } from 'zod';
import { defineContract, Empty, IdSchema } from './base.ts';

export const OutgoingLetterSchema = z.object({
  id: z.string(),
  /** siap ditandatangani (ready_to_sign) → ditandatangani (signed) → terkirim (sent), or batal (void); draft and in_verification come with drafting. */
  status: z.enum(['draft', 'in_verification', 'ready_to_sign', 'signed', 'sent', 'void']),
  /** Why it was voided (batal); null while it is not. */
  voidReason: z.string().nullable(),
  /** Given from the outgoing book when the letter is signed; null before. */
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  letterNumber: z.string().nullable(),
  /** The day it was signed and numbered (YYYY-MM-DD); null before. */
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  /** The signing official's name (as the office's list names them); null when none is named. */
  signerName: z.string().nullable(),
  subject: z.string(),
  documentHash: z.string().nullable(),
  createdAt: z.string(),
});
export type OutgoingLetter = z.infer<typeof OutgoingLetterSchema>;

export const SigningOfficialSchema = z.object({ id: z.string(), name: z.string(), nip: z.string().nullable(), position: z.string().nullable() });
export type SigningOfficial = z.infer<typeof SigningOfficialSchema>;
export const OfficialsViewSchema = z.object({
  /** The desk works with a server and its accounts: the official is chosen from the list; false: named as typed. */
  accounts: z.boolean(),
  officials: z.array(SigningOfficialSchema),
  /** When the list was last taken from the server (ISO); null when never. */
  fetchedAt: z.string().nullable(),
});
export type OfficialsView = z.infer<typeof OfficialsViewSchema>;

export const outgoing = defineContract({
  channels: {
    /** The office's outgoing letters, newest first. */
    'outgoing.list': { request: Empty, reply: z.array(OutgoingLetterSchema) },
    'outgoing.get': { request: z.object({ id: IdSchema }).strict(), reply: OutgoingLetterSchema },
    /** The office's signing officials an outgoing letter may be addressed to (refreshed when the server answers, else as kept). */
    'outgoing.officials': { request: Empty, reply: OfficialsViewSchema },
  },
  events: {},
  errors: {
    SIGNER_UNKNOWN: {
      id: 'Pejabat penandatangan ini tidak ada di daftar pejabat kantor. Pilih pejabat dari daftar; bila belum ada, minta admin kantor memberi akunnya peran pejabat penandatangan. Tidak ada yang berubah.',
      en: 'This signing official is not in the office\'s list of officials. Choose an official from the list; if they are missing, ask the office administrator to give their account the signing official role. Nothing was changed.',
    },
  },
});
