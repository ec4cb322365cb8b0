// Letters between offices (Kirim ke kantor lain, Kiriman dari kantor lain) and to addressees outside
// the system (Penerima di luar sistem: email or print).
import { z } from 'zod';
import { SecuritySchema, UrgencySchema } from '../letters.ts';
import { defineContract, DocumentIdSchema, Empty, IdSchema, RefusalSchema } from './base.ts';
import { ImportedDocumentSchema } from './documents.ts';
import { DuplicateWarningSchema, IncomingLetterFieldsSchema, IncomingLetterSchema } from './incoming.ts';

export const OfficeSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
export const DeliveryOfficesSchema = z.object({
  /** The region's other offices (this one left out), from GET /org or, offline, as last fetched. */
  offices: z.array(OfficeSchema),
  /** When the list was fetched from the server; null when it never was. */
  fetchedAt: z.string().nullable(),
  /** Why the person at the desk may not send letters to other offices; null when they may. */
  refusal: RefusalSchema.nullable(),
});
export const SentDeliverySchema = z.object({
  officeId: z.string(),
  officeName: z.string(),
  /** waiting: still in the outbox; sent: the server delivered it; rejected: the server refused (see Antrian Sinkron); discarded by a person. */
  state: z.enum(['waiting', 'sent', 'rejected', 'discarded']),
  problem: z.string().nullable(),
  requestedAt: z.string(),
});
export const ReceivedDeliverySchema = z.object({
  letterId: z.string(),
  fromOfficeId: z.string(),
  fromOfficeName: z.string(),
  deliveredAt: z.string(),
  letterNumber: z.string(),
  letterDate: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classification: z.string(),
  /** The sending office's agenda entry, e.g. "12/2026". */
  senderAgenda: z.string(),
  hasDocument: z.boolean(),
  /** The local agenda entry that registered it; null while it waits. */
  registeredAs: z.string().nullable(),
});
export type ReceivedDelivery = z.infer<typeof ReceivedDeliverySchema>;
const LetterRef = z.object({ letterId: IdSchema }).strict();

export const ExternalAddresseeInputSchema = z.object({
  name: z.string().max(500),
  channel: z.enum(['email', 'print']),
  email: z.string().max(500).optional(),
}).strict();
export type ExternalAddresseeInput = z.infer<typeof ExternalAddresseeInputSchema>;
export const ExternalAddresseeSchema = z.object({
  id: z.string(),
  letterId: z.string(),
  letterSubject: z.string(),
  letterNumber: z.string().nullable(),
  name: z.string(),
  channel: z.enum(['email', 'print']),
  email: z.string().nullable(),
  /** null while the letter must still go out to this addressee. */
  sentAt: z.string().nullable(),
  /** false while this desk's request waits for sync. */
  synced: z.boolean(),
  problem: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type ExternalAddressee = z.infer<typeof ExternalAddresseeSchema>;

export const delivery = defineContract({
  channels: {
    'deliveries.offices': { request: Empty, reply: DeliveryOfficesSchema },
    /** Sends a registered letter to other offices: written to the outbox, sent by the next sync after the letter itself. */
    'deliveries.send': {
      request: z.object({ letterId: IdSchema, toOfficeIds: z.array(z.string().min(1).max(100)).min(1, 'Pilih paling sedikit satu kantor tujuan').max(100) }).strict(),
      reply: z.array(SentDeliverySchema),
    },
    'deliveries.sent': { request: LetterRef, reply: z.array(SentDeliverySchema) },
    /** Letters other offices sent here and not registered here yet. */
    'deliveries.received': { request: Empty, reply: z.array(ReceivedDeliverySchema) },
    /** One delivered letter with its PDF downloaded into this desk's document store (resumed where a cut left it). */
    'deliveries.open': { request: LetterRef, reply: z.object({ delivery: ReceivedDeliverySchema, document: ImportedDocumentSchema }) },
    /** Registers a delivered letter in this office's agenda (own agenda number, normal registration) and remembers which it was. */
    'deliveries.register': {
      request: z.object({ letterId: IdSchema, documentId: DocumentIdSchema, fields: IncomingLetterFieldsSchema }).strict(),
      reply: z.object({ letter: IncomingLetterSchema, warnings: z.array(DuplicateWarningSchema) }),
    },

    'external.list': { request: LetterRef, reply: z.array(ExternalAddresseeSchema) },
    /** Every addressee of the office's letters that must still go out (Perlu dikirim di luar sistem). */
    'external.pending': { request: Empty, reply: z.array(ExternalAddresseeSchema) },
    'external.add': {
      request: z.object({ letterId: IdSchema, addressees: z.array(ExternalAddresseeInputSchema).min(1, 'Tambahkan paling sedikit satu penerima').max(50) }).strict(),
      reply: z.array(ExternalAddresseeSchema),
    },
    'external.markSent': { request: z.object({ letterId: IdSchema, externalId: IdSchema }).strict(), reply: z.array(ExternalAddresseeSchema) },
  },
  events: {},
  errors: {
    DELIVERY_ROLE_REQUIRED: {
      id: 'Hanya admin kantor, operator utama, atau pejabat penandatangan (dan Plh/Plt-nya selama masa delegasi) yang dapat mengirim surat ke kantor lain. Masuk dengan akun yang berwenang; surat tidak berubah.',
      en: 'Only an office administrator, a central mail operator or a signing official (and their Plh/Plt during the delegation) can send letters to other offices. Sign in with an account that may; the letter was not changed.',
    },
    DELIVERY_NOT_SENDABLE: {
      id: 'Surat ini belum dapat dikirim ke kantor lain: hanya surat masuk yang sudah bernomor agenda, atau surat keluar yang sudah ditandatangani, yang dapat dikirim.',
      en: 'This letter cannot be sent to other offices yet: only incoming letters with an agenda number, or signed outgoing letters, can be sent.',
    },
    DOWNLOAD_OFFLINE: {
      id: 'Server tidak dapat dihubungi, sehingga berkas surat kiriman belum dapat diunduh. Bagian yang sudah terunduh tetap tersimpan di meja ini; coba lagi saat meja ini terhubung ke server.',
      en: 'The server cannot be reached, so the delivered letter\'s file cannot be downloaded yet. What was already downloaded stays on this desk; try again when the desk is connected to the server.',
    },
    DOWNLOAD_HASH_MISMATCH: {
      id: 'Berkas yang diunduh dari server tidak cocok dengan sidik digitalnya (SHA-256), sehingga tidak dipakai. Coba unduh lagi; bila terulang, hubungi admin server.',
      en: 'The file downloaded from the server does not match its digital fingerprint (SHA-256), so it was not used. Download it again; if it happens again, contact the server administrator.',
    },
  },
});
