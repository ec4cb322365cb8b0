// Konsep (drafting): what an outgoing letter written in Loket is made of — the office's letterhead,
// the templates of the official document types (Permendagri 1/2023), and a draft's fields and body —
// shared by the desk that renders it, the screen that edits it and the server that keeps it.
import { z } from 'zod';
import { defineContract, Empty, IdSchema } from './base.ts';
import { FileRefSchema, UploadIdSchema } from './documents.ts';

/** A piece of text with the emphasis a letter uses. */
export const RunSchema = z.object({
  text: z.string().max(20_000),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
}).strict();
export type Run = z.infer<typeof RunSchema>;

const Runs = z.array(RunSchema).max(500);

/** One block of a letter's body: a paragraph, a numbered list, or a simple table. */
export const BlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), runs: Runs }).strict(),
  z.object({ kind: z.literal('list'), items: z.array(Runs).max(200) }).strict(),
  z.object({
    kind: z.literal('table'),
    /** Rows of cells; the first row is the header when `header` is set. */
    rows: z.array(z.array(Runs).min(1).max(8)).min(1).max(200),
    header: z.boolean().optional(),
  }).strict(),
]);
export type Block = z.infer<typeof BlockSchema>;

/** The office's letterhead (kop naskah dinas): logo at the left, the names and address centred. */
export const LetterheadSchema = z.object({
  /** "PEMERINTAH KOTA DUMAI" */
  government: z.string().min(1).max(200),
  /** "DINAS KOMUNIKASI DAN INFORMATIKA" */
  agency: z.string().min(1).max(200),
  /** Street address and postal code. */
  address: z.string().max(300),
  /** Telephone, e-mail, web site. */
  contact: z.string().max(300),
  /** The place written before the date ("Dumai, 2 Maret 2026"). */
  place: z.string().min(1).max(100),
  /** The logo as a PNG or JPEG, base64; none prints the letterhead without one. */
  logo: z.string().max(2_000_000).nullable(),
}).strict();
export type Letterhead = z.infer<typeof LetterheadSchema>;

/** The document types an office drafts (Permendagri 1/2023; the regional list in DESIGN.md). */
export const DocumentTypeSchema = z.enum([
  'nota_dinas', 'surat_dinas', 'surat_undangan', 'surat_edaran', 'surat_tugas', 'surat_perintah',
  'surat_keterangan', 'surat_pengantar', 'telaah_staf',
]);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

/**
 * How a type's first page is laid out:
 * - `surat`: place and date at the top right, Nomor/Sifat/Lampiran/Hal at the left, "Yth." addressee;
 * - `nota`: a centred title, then Yth./Dari/Tembusan/Tanggal/Nomor/Sifat/Lampiran/Hal and a rule;
 * - `berjudul`: a centred title with "NOMOR ${nomor}" under it (and "TENTANG" the subject where asked),
 *   place and date above the signature block.
 */
export const LayoutSchema = z.enum(['surat', 'nota', 'berjudul']);

export const TemplateSchema = z.object({
  type: DocumentTypeSchema,
  /** The type's name as a clerk picks it ("Nota Dinas"). */
  name: z.string().min(1).max(100),
  layout: LayoutSchema,
  /** The title printed on the letter (`nota` and `berjudul`). */
  title: z.string().max(100).optional(),
  /** `berjudul`: "TENTANG" and the subject under the number (surat edaran). */
  subjectInTitle: z.boolean().optional(),
  /** `berjudul`: an addressee block under the title (surat pengantar). */
  addressee: z.boolean().optional(),
  /** How the date is written above the signature: "Dumai, ${tanggal}", or "Ditetapkan di … pada tanggal …". */
  dateLine: z.enum(['place', 'ditetapkan']).optional(),
  /** Whether the signature block prints the signer's rank (pangkat) and NIP. */
  signerNip: z.boolean(),
  /** The body a new draft of this type starts with; `${...}` placeholders are left for the drafter. */
  body: z.array(BlockSchema),
}).strict();
export type Template = z.infer<typeof TemplateSchema>;

export const SignerBlockSchema = z.object({
  /** The position as it is printed ("Kepala Dinas Komunikasi dan Informatika"). */
  position: z.string().max(300),
  name: z.string().max(200),
  /** Pangkat/golongan ("Pembina Tingkat I (IV/b)"). */
  rank: z.string().max(200),
  nip: z.string().max(40),
  /** Signing for another: "Plh."/"Plt." before the position, "a.n."/"u.b." lines above it. */
  capacity: z.enum(['definitif', 'plh', 'plt']).optional(),
  /**
   * Signing on behalf of the position(s) above, highest first, as printed: one for "a.n." (atas nama,
   * one level up), two for "u.b." (untuk beliau, two levels up: the head, then the position between).
   */
  onBehalfOf: z.array(z.string().trim().min(1).max(300)).min(1).max(2).optional(),
}).strict();
export type SignerBlock = z.infer<typeof SignerBlockSchema>;

/** What the drafter fills in; the number and the date are given at signing (`${nomor}`, `${tanggal}`). */
export const DraftContentSchema = z.object({
  type: DocumentTypeSchema,
  /** sifat: Biasa, Segera, Sangat Segera, Rahasia… */
  sifat: z.string().max(100),
  /** lampiran as written ("1 (satu) berkas"); empty prints "-". */
  lampiran: z.string().max(200),
  /** hal / perihal */
  hal: z.string().max(1000),
  /** To whom, one addressee a line ("Kepala Dinas Pendidikan Kota Dumai"). */
  addressees: z.array(z.string().max(300)).max(100),
  /** Where the addressee is ("Tempat" by default). */
  addresseePlace: z.string().max(200),
  /** Nota dinas and telaah staf: from whom ("Sekretaris"). */
  from: z.string().max(300),
  tembusan: z.array(z.string().max(300)).max(100),
  body: z.array(BlockSchema).max(2000),
  signer: SignerBlockSchema,
  /**
   * The version of the office's kop and templates the draft was started with (server's naskah
   * version id); absent: the shipped defaults. The draft renders with it until it is signed, so an
   * admin's later edit never changes a letter already written or under paraf.
   */
  naskahVersion: z.string().min(1).max(100).optional(),
}).strict();
export type DraftContent = z.infer<typeof DraftContentSchema>;

/** A draft as the Konsep screen shows it. */
export const DraftViewSchema = z.object({
  id: z.string(),
  content: DraftContentSchema,
  attachments: z.array(z.object({ hash: z.string(), name: z.string(), pageCount: z.number().int() })),
  status: z.enum(['draft', 'submitted']),
  letterId: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  /** Where it stands in its paraf chain; null when it was never sent to one. Editable only when null or 'returned'. */
  chain: z.object({
    state: z.enum(['sending', 'in_review', 'returned', 'approved', 'signed']),
    /** The last return's notes, for the drafter to act on. */
    returnNote: z.string().nullable(),
    refused: z.string().nullable(),
  }).nullable().optional(),
});
export type DraftView = z.infer<typeof DraftViewSchema>;

const DraftId = z.object({ id: IdSchema }).strict();

export const drafting = defineContract({
  channels: {
    /** The office's letterhead and the templates a draft starts from. */
    'drafting.templates': { request: Empty, reply: z.object({ letterhead: LetterheadSchema, templates: z.array(TemplateSchema) }) },
    /** The signed-in person's drafts, the last saved first. */
    'drafting.list': { request: Empty, reply: z.array(DraftViewSchema) },
    'drafting.create': { request: z.object({ type: DocumentTypeSchema }).strict(), reply: DraftViewSchema },
    'drafting.get': { request: DraftId, reply: DraftViewSchema },
    /** Saved as the drafter types; `version` is the one the screen edited, so an older screen cannot overwrite newer text. */
    'drafting.save': { request: z.object({ id: IdSchema, version: z.number().int(), content: DraftContentSchema }).strict(), reply: DraftViewSchema },
    /** A PDF (sent with documents.upload) appended as lampiran. */
    'drafting.attach': { request: z.object({ id: IdSchema, uploadId: UploadIdSchema, fileName: z.string().max(300) }).strict(), reply: DraftViewSchema },
    'drafting.detach': { request: z.object({ id: IdSchema, hash: z.string() }).strict(), reply: DraftViewSchema },
    /** The letter as it will be signed: the same PDF the signer gets. */
    'drafting.preview': { request: DraftId, reply: FileRefSchema },
    /**
     * Submitted: on a desk with a server, to its paraf chain — the verifiers' positions in order (none:
     * straight to the signer's Tanda Tangan once the server has it); on a desk without one, the letter
     * waits in this desk's Tanda Tangan at once.
     */
    'drafting.submit': {
      request: z.object({
        id: IdSchema,
        /** Positions of the office (the server's ids, as disposition names them), in paraf order. */
        verifiers: z.array(z.string().min(1).max(100)).max(3, 'Paling banyak tiga verifikator').optional(),
        signer: z.string().trim().min(1, 'Pilih pejabat penandatangan').max(200),
        classificationCode: z.string().trim().min(1).max(20).optional(),
      }).strict(),
      reply: DraftViewSchema,
    },
  },
  events: {},
  errors: {
    DRAFT_CHANGED: {
      id: 'Konsep ini sudah diubah di jendela lain. Muat ulang konsepnya; perubahan terakhir tersimpan di sana.',
      en: 'This draft was changed in another window. Reload it; the latest changes are kept there.',
    },
  },
});
