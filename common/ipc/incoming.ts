// Surat masuk: registering incoming letters in the agenda (from an imported file or a saved scan,
// with OCR proposals and duplicate warnings), correcting them, searching, and the agenda book.
import { z } from 'zod';
import { documentTypes, SecuritySchema, UrgencySchema, classificationCodePattern } from '../letters.ts';
import { defineContract, DocumentIdSchema, Empty, isoDate, IdSchema } from './base.ts';
import { FileRefSchema, ImportedDocumentSchema, UploadIdSchema } from './documents.ts';

export const IncomingStatusSchema = z.enum(['registered', 'in_disposition', 'done', 'void']);

/** The agenda fields a clerk fills in (Catat). Cross-field rules (dates) are checked by main/letters/incoming. */
export const IncomingLetterFieldsSchema = z.object({
  receivedDate: isoDate('Tanggal terima'),
  letterNumber: z.string().trim().min(1, 'Nomor surat wajib diisi').max(120, 'Nomor surat paling panjang 120 karakter'),
  letterDate: isoDate('Tanggal surat'),
  sender: z.string().trim().min(1, 'Pengirim wajib diisi').max(200, 'Pengirim paling panjang 200 karakter'),
  addressee: z.string().trim().max(200, 'Tujuan paling panjang 200 karakter'),
  subject: z.string().trim().min(1, 'Perihal wajib diisi').max(500, 'Perihal paling panjang 500 karakter'),
  summary: z.string().trim().max(2000, 'Ringkasan paling panjang 2000 karakter'),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classificationCode: z.string().trim().regex(classificationCodePattern, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1.2'),
  documentType: z.enum(documentTypes, { error: 'Pilih jenis naskah dari daftar' }),
  attachmentCount: z.number({ error: 'Jumlah lampiran harus berupa angka' }).int('Jumlah lampiran harus bilangan bulat').min(0, 'Jumlah lampiran tidak boleh negatif').max(999, 'Jumlah lampiran paling banyak 999'),
});
export type IncomingLetterFields = z.infer<typeof IncomingLetterFieldsSchema>;

export const IncomingLetterSchema = z.object({
  id: z.string(),
  status: IncomingStatusSchema,
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  receivedDate: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classificationCode: z.string().nullable(),
  documentType: z.string().nullable(),
  attachmentCount: z.number().int(),
  documentHash: z.string().nullable(),
  /** Why the letter was voided (batal), when its status is 'void'. */
  voidReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IncomingLetter = z.infer<typeof IncomingLetterSchema>;

/**
 * An earlier entry that may be the same letter, with what the Catat form shows beside the new one.
 * Registering is held until the clerk has seen it and decided (letters.register's confirmedDuplicates).
 */
export const DuplicateWarningSchema = z.object({
  reason: z.enum(['same-number', 'similar-text']),
  letterId: z.string(),
  agendaLabel: z.string().nullable(),
  receivedDate: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterDate: z.string().nullable(),
  subject: z.string(),
  sender: z.string(),
  /** The earlier entry's PDF, to see both letters side by side. */
  documentHash: z.string().nullable(),
});
export type DuplicateWarning = z.infer<typeof DuplicateWarningSchema>;

/** One OCR proposal: the value, how sure the rule and Tesseract were (0–1), and the text it was read from ("Dibaca dari"). */
const proposalOf = <T extends z.ZodType>(value: T) => z.object({ status: z.literal('proposed'), value, confidence: z.number(), evidence: z.string() });
const ProposalSchema = proposalOf(z.string());
/** What OCR read for the agenda form; a field the letter does not print (or that was not read with confidence) is absent. */
export const LetterProposalsSchema = z.object({
  number: ProposalSchema.optional(),
  date: ProposalSchema.optional(),
  subject: ProposalSchema.optional(),
  sender: ProposalSchema.optional(),
  addressee: ProposalSchema.optional(),
  /** Sifat: "Segera" proposes an urgency, "Rahasia" a security class, "Biasa" both. */
  urgency: proposalOf(UrgencySchema).optional(),
  security: proposalOf(SecuritySchema).optional(),
  attachmentCount: proposalOf(z.number().int().min(0)).optional(),
  /** The archive code the letter's number carries, when it (or its nearest parent) is on the office's list. */
  classificationCode: ProposalSchema.optional(),
});
export type LetterProposalsReply = z.infer<typeof LetterProposalsSchema>;

export const IncomingSearchSchema = z.object({
  text: z.string().max(500).optional(),
  receivedFrom: isoDate('Tanggal awal').optional(),
  receivedTo: isoDate('Tanggal akhir').optional(),
  urgency: UrgencySchema.optional(),
  security: SecuritySchema.optional(),
  classification: z.string().regex(/^\d{1,3}(\.\d+)*$/, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1').optional(),
  status: IncomingStatusSchema.optional(),
  limit: z.number().int().min(1).max(500).optional(),
}).strict();

export const incoming = defineContract({
  channels: {
    /** Imports a file sent with documents.upload (checked by content) as a document. */
    'letters.import': { request: z.object({ uploadId: UploadIdSchema, name: z.string().max(1000) }).strict(), reply: ImportedDocumentSchema },
    /** A stored document (a saved scan, an earlier import) described like an import, to register it by id. */
    'letters.document': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: ImportedDocumentSchema },
    /** OCR of page 1's head in the worker, then proposals for the form; the whole page's text follows, kept for search and duplicates. */
    'letters.propose': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: LetterProposalsSchema },
    'letters.duplicates': {
      request: z.object({ documentId: DocumentIdSchema, sender: z.string().max(200), letterNumber: z.string().max(120) }).strict(),
      reply: z.array(DuplicateWarningSchema),
    },
    /**
     * Registers the letter, unless an earlier entry may be the same letter and the clerk has not
     * confirmed it (each such entry's id in confirmedDuplicates): then DUPLICATE_SUSPECTED, with the
     * entries in details.duplicates, and nothing is saved.
     */
    'letters.register': {
      request: z.object({ documentId: DocumentIdSchema, fields: IncomingLetterFieldsSchema, confirmedDuplicates: z.array(IdSchema).max(50).optional() }).strict(),
      reply: z.object({ letter: IncomingLetterSchema, warnings: z.array(DuplicateWarningSchema) }),
    },
    /** Corrects fields of a registered letter (the agenda number never changes); logged and synced as letter.update. */
    'letters.update': {
      request: z.object({ id: IdSchema, fields: IncomingLetterFieldsSchema.partial() }).strict(),
      reply: IncomingLetterSchema,
    },
    /** Voids (batal) a registered letter with a reason: it keeps its agenda number, which is never given again. */
    'letters.void': {
      request: z.object({ id: IdSchema, reason: z.string().trim().min(1, 'Alasan pembatalan wajib diisi').max(500, 'Alasan pembatalan paling panjang 500 karakter') }).strict(),
      reply: IncomingLetterSchema,
    },
    'letters.search': { request: IncomingSearchSchema, reply: z.array(IncomingLetterSchema) },
    'letters.get': { request: z.object({ id: IdSchema }).strict(), reply: IncomingLetterSchema },
    /** The letter's PDF (or a just-imported document's), to read with documents.read. */
    'letters.pdf': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: FileRefSchema },
    'letters.senders': { request: z.object({ prefix: z.string().max(200) }).strict(), reply: z.array(z.string()) },
    /** The agenda book of a date range as a PDF (A4 landscape), to read with documents.read. */
    'letters.agendaBook': {
      request: z.object({ from: isoDate('Tanggal awal'), to: isoDate('Tanggal akhir') }).strict(),
      reply: z.object({ file: FileRefSchema, entries: z.number().int() }),
    },
    /** Stops the agenda book being made; its letters.agendaBook call answers AGENDA_BOOK_CANCELLED. */
    'letters.agendaBook.cancel': { request: Empty, reply: z.object({ cancelled: z.boolean() }) },
  },
  events: {},
  errors: {
    AGENDA_BOOK_CANCELLED: {
      id: 'Pembuatan buku agenda dibatalkan. Tidak ada yang dicatat sebagai diunduh; unduh lagi kapan saja.',
      en: 'Making the agenda book was cancelled. Nothing was recorded as downloaded; download it again at any time.',
    },
    DUPLICATE_SUSPECTED: {
      id: 'Surat ini mungkin sudah tercatat. Bandingkan dengan agenda yang sudah ada, lalu pilih: catat sebagai surat baru, atau jangan dicatat.',
      en: 'This letter may already be registered. Compare it with the existing agenda entry, then choose: register it as a new letter, or do not register it.',
    },
    LETTER_VOID: {
      id: 'Surat ini sudah dibatalkan (batal). Nomor agendanya tetap tercatat dan tidak dipakai lagi; surat yang batal tidak dapat diubah.',
      en: 'This letter has been voided. Its agenda number stays recorded and is never reused; a void letter cannot be changed.',
    },
    LETTER_ALREADY_REGISTERED: {
      id: 'Berkas ini sudah tercatat sebagai surat masuk. Buka agenda yang sudah ada; surat yang sama tidak dicatat dua kali.',
      en: 'This file is already registered as an incoming letter. Open the existing agenda entry; the same letter is not registered twice.',
    },
  },
});
