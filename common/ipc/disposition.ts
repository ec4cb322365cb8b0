// Disposisi: a letter disposed down the structure from the position the person holds, passed on,
// read, reported done or cancelled while unread; the letter's trail; and the personal to-do on Beranda.
import { z } from 'zod';
import { SecuritySchema, UrgencySchema } from '../letters.ts';
import { defineContract, Empty, IdSchema, isoDate } from './base.ts';
import { FileRefSchema } from './documents.ts';

export const DispositionLetterSchema = z.object({
  id: z.string(),
  /** The agenda number as the office prints it ("005/12/BU/2026"); null when it is not known on this desk. */
  agenda: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterDate: z.string().nullable(),
  receivedAt: z.string().nullable(),
  sender: z.string(),
  /** Empty when the letter is rahasia and not addressed to the person signed in. */
  subject: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  /** Its details are withheld here (rahasia, not addressed to this person). */
  withheld: z.boolean(),
});
export type DispositionLetter = z.infer<typeof DispositionLetterSchema>;

export const PositionRefSchema = z.object({ id: z.string(), title: z.string(), holderName: z.string().nullable() });
export type PositionRef = z.infer<typeof PositionRefSchema>;

/** Due-date tone: yellow two days before, red once passed. */
export const DueToneSchema = z.enum(['none', 'soon', 'overdue']);

export const TrailRecipientSchema = PositionRefSchema.extend({
  kind: z.enum(['to', 'cc']),
  readAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  reportNote: z.string().nullable(),
  hasReportFile: z.boolean(),
  /** The report file's name as it was attached, where this desk knows it (the reporting desk); null otherwise. */
  reportFileName: z.string().nullable(),
});

export const TrailNodeSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  /** 0 for a disposition of the letter itself, 1 for one passed on from it, … */
  depth: z.number().int().min(0),
  from: PositionRefSchema,
  instructions: z.array(z.string()),
  note: z.string(),
  urgency: UrgencySchema,
  dueDate: z.string().nullable(),
  dueTone: DueToneSchema,
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  recipients: z.array(TrailRecipientSchema),
  /** This desk's change to it waits for sync. */
  pending: z.boolean(),
  /** The server's reason for refusing this desk's change (see Antrian Sinkron). */
  refused: z.string().nullable(),
  /** The person signed in sent it and no recipient has read it. */
  canCancel: z.boolean(),
});
export type TrailNode = z.infer<typeof TrailNodeSchema>;

/** From which held position, passing on which disposition (null: the letter itself), to which positions. */
export const DisposeOptionSchema = z.object({
  from: PositionRefSchema,
  parentId: z.string().nullable(),
  targets: z.array(PositionRefSchema),
});

export const TrailSchema = z.object({
  letter: DispositionLetterSchema,
  state: z.enum(['registered', 'in_disposition', 'done']),
  nodes: z.array(TrailNodeSchema),
  /** Where the person signed in may dispose this letter from; empty when nowhere. */
  options: z.array(DisposeOptionSchema),
  /** Every other position of the office, for tembusan. */
  copyTargets: z.array(PositionRefSchema),
  instructions: z.array(z.string()),
  /** Recipient positions of the person signed in that must still act (read or report). */
  mine: z.array(z.object({ dispositionId: z.string(), positionId: z.string(), kind: z.enum(['to', 'cc']), readAt: z.string().nullable(), doneAt: z.string().nullable() })),
});
export type Trail = z.infer<typeof TrailSchema>;

export const TodoItemSchema = z.object({
  dispositionId: z.string(),
  letter: DispositionLetterSchema,
  from: PositionRefSchema,
  /** The position of mine it is addressed to. */
  positionId: z.string(),
  kind: z.enum(['to', 'cc']),
  instructions: z.array(z.string()),
  note: z.string(),
  urgency: UrgencySchema,
  dueDate: z.string().nullable(),
  dueTone: DueToneSchema,
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type TodoItem = z.infer<typeof TodoItemSchema>;

export const SentItemSchema = z.object({
  dispositionId: z.string(),
  letter: DispositionLetterSchema,
  createdAt: z.string(),
  dueDate: z.string().nullable(),
  dueTone: DueToneSchema,
  recipients: z.array(PositionRefSchema.extend({ readAt: z.string().nullable(), doneAt: z.string().nullable() })),
  done: z.number().int(),
  total: z.number().int(),
  cancelledAt: z.string().nullable(),
  pending: z.boolean(),
});

export const TodoSchema = z.object({
  /** The positions the person signed in holds now (empty: none known on this desk). */
  positions: z.array(PositionRefSchema),
  /** Addressed to me and not reported done: unread first, then the nearest due date (the first 200). */
  toMe: z.array(TodoItemSchema),
  /** How many are addressed to me and not done, all of them. */
  toMeTotal: z.number().int(),
  /** Tembusan, for information, not read yet. */
  copies: z.array(TodoItemSchema),
  /** What I disposed and how far its recipients are, newest first. */
  disposedByMe: z.array(SentItemSchema),
  /** For the head of the office: registered letters no one has disposed yet. */
  toDispose: z.array(DispositionLetterSchema),
  unread: z.number().int(),
});
export type Todo = z.infer<typeof TodoSchema>;

export const disposition = defineContract({
  channels: {
    'disposition.todo': { request: Empty, reply: TodoSchema },
    'disposition.trail': { request: z.object({ id: IdSchema }).strict(), reply: TrailSchema },
    /** Disposes the letter (or passes on a disposition received): written to the outbox, sent by the next sync. */
    'disposition.create': {
      request: z.object({
        letterId: IdSchema,
        parentId: IdSchema.nullable(),
        fromPositionId: z.string().min(1).max(100),
        to: z.array(z.string().min(1).max(100)).min(1, 'Pilih paling sedikit satu penerima disposisi').max(50),
        cc: z.array(z.string().min(1).max(100)).max(50),
        instructions: z.array(z.string().trim().min(1).max(100)).max(20),
        note: z.string().trim().max(2000, 'Catatan paling banyak 2000 karakter'),
        urgency: UrgencySchema,
        dueDate: isoDate('Batas waktu').nullable(),
      }).strict().refine((r) => r.instructions.length > 0 || r.note.length > 0, { message: 'Pilih instruksi atau tulis catatan', path: ['instructions'] }),
      reply: TrailSchema,
    },
    /** Marks read, at once, the dispositions to my positions that a letter's screen showed me. */
    'disposition.read': {
      request: z.object({ items: z.array(z.object({ dispositionId: IdSchema, positionId: z.string().min(1).max(100) }).strict()).min(1).max(500) }).strict(),
      reply: TrailSchema,
    },
    'disposition.report': {
      request: z.object({
        dispositionId: IdSchema, positionId: z.string().min(1).max(100), note: z.string().trim().min(1, 'Tulis laporan tindak lanjut').max(2000, 'Laporan paling banyak 2000 karakter'),
        /** A PDF or an image sent beforehand in pieces (documents.upload), with the name it had. */
        file: z.object({ uploadId: z.string().min(1).max(100), name: z.string().max(300) }).strict().nullable().optional(),
      }).strict(),
      reply: TrailSchema,
    },
    /** The file a recipient attached to their report, to download (fetched from the server when not on this desk yet). */
    'disposition.reportFile': {
      request: z.object({ dispositionId: IdSchema, positionId: z.string().min(1).max(100) }).strict(),
      reply: FileRefSchema,
    },
    'disposition.cancel': { request: z.object({ dispositionId: IdSchema }).strict(), reply: TrailSchema },
    /** The printed lembar disposisi of a letter (PDF, base64), A4 or A5. */
    'disposition.sheet': { request: z.object({ id: IdSchema, paper: z.enum(['A4', 'A5']) }).strict(), reply: z.object({ pdf: z.string(), fileName: z.string() }) },
  },
  events: {},
  errors: {
    DISPOSITION_REPORT_FILE_OFFLINE: {
      id: 'Berkas laporan ini belum ada di meja ini dan server kantor tidak dapat dihubungi. Coba lagi saat meja tersambung ke server.',
      en: 'This report file is not on this desk yet and the office server cannot be reached. Try again once the desk is connected to the server.',
    },
    DISPOSITION_SIGN_IN: {
      id: 'Disposisi dilakukan atas nama jabatan Anda: masuk dengan akun Anda di server kantor lebih dulu. Surat tidak berubah.',
      en: 'A disposition is made in the name of your position: sign in with your account on the office server first. The letter was not changed.',
    },
    DISPOSITION_NO_POSITION: {
      id: 'Jabatan Anda belum tercatat di meja ini. Sambungkan meja ke server sekali agar struktur organisasi kantor tersimpan, atau hubungi admin kantor.',
      en: 'Your position is not known on this desk yet. Connect the desk to the server once so the office structure is kept here, or contact the office administrator.',
    },
    DISPOSITION_NOT_ALLOWED: {
      id: 'Dari jabatan Anda, disposisi ini tidak dapat dibuat: penerima harus jabatan di bawah Anda (atau jalur yang diizinkan kantor), dan disposisi yang diteruskan harus ditujukan kepada Anda dan belum selesai.',
      en: 'This disposition cannot be made from your position: recipients must be positions below yours (or a route the office allows), and a disposition passed on must be addressed to you and not done.',
    },
    DISPOSITION_UNKNOWN: {
      id: 'Surat atau disposisi ini tidak dikenal di meja ini. Tunggu sinkronisasi berikutnya lalu coba lagi.',
      en: 'This letter or disposition is not known on this desk. Wait for the next sync and try again.',
    },
    DISPOSITION_CANNOT_CANCEL: {
      id: 'Disposisi ini tidak dapat dibatalkan lagi: sudah dibaca penerimanya, sudah diteruskan, atau bukan kiriman Anda.',
      en: 'This disposition can no longer be cancelled: a recipient has read it, it was passed on, or you did not send it.',
    },
  },
});
