// Documents at the desk: files imported or scanned, stored by their SHA-256, and the reasons a file
// cannot be taken in.
import { z } from 'zod';
import { Base64Schema, defineContract } from './base.ts';

/**
 * A file main hands the renderer (a letter's PDF, the agenda book, a report, a page as JPG): read it
 * with documents.read, piece by piece, so no file travels as one message.
 */
export const FileRefSchema = z.object({ fileId: z.uuid(), fileName: z.string(), size: z.number().int().min(0), mediaType: z.string() });
export type FileRef = z.infer<typeof FileRefSchema>;

/** The largest file a desk imports (50 MB): the screens check a picked file against it before sending any of it. */
export const maxImportBytes = 50 * 1024 * 1024;

/** A file the person picked, sent in pieces with documents.upload; a channel that takes a file names it by uploadId. */
export const UploadIdSchema = z.uuid('Berkas belum dikirim');

export const ImportedDocumentSchema = z.object({
  documentId: z.string(),
  displayName: z.string(),
  pageCount: z.number().int(),
  /** Set when these exact bytes are already an agenda entry. */
  registeredAs: z.object({ letterId: z.string(), agendaLabel: z.string().nullable() }).nullable(),
});
export type ImportedDocument = z.infer<typeof ImportedDocumentSchema>;

export const documents = defineContract({
  channels: {
    /**
     * One piece of a file the person picked, appended at `offset` (what arrived so far). Main keeps
     * the pieces in a file on disk until a channel that takes the upload (letters.import,
     * sign.validate, sign.outgoing.import) reads it. An empty file is one empty piece.
     */
    'documents.upload': {
      /** `size`: the whole file's size, so that a file over the limit is refused at its first piece. */
      request: z.object({ uploadId: UploadIdSchema, offset: z.number().int().min(0), chunk: Base64Schema.max(6_000_000), size: z.number().int().min(0).optional() }).strict(),
      reply: z.object({ received: z.number().int() }),
    },
    /** Up to 3 MB of a file main handed out, from `offset`; read until `size` bytes have arrived. */
    'documents.read': {
      request: z.object({ fileId: z.uuid(), offset: z.number().int().min(0) }).strict(),
      reply: z.object({ chunk: Base64Schema, size: z.number().int().min(0) }),
    },
  },
  events: {},
  errors: {
    IMPORT_EMPTY: {
      id: 'Berkas ini kosong (0 byte), sehingga tidak ada yang dapat diimpor. Simpan ulang berkasnya dari sumber aslinya lalu impor lagi.',
      en: 'This file is empty (0 bytes), so there is nothing to import. Save it again from its source and import it again.',
    },
    IMPORT_TOO_LARGE: {
      id: 'Berkas ini terlalu besar untuk diimpor. Perkecil ukurannya (misalnya pindai ulang dengan resolusi lebih rendah) lalu impor lagi.',
      en: 'This file is too large to import. Make it smaller (for example, rescan at a lower resolution) and import it again.',
    },
    IMPORT_UNSUPPORTED: {
      id: 'Jenis berkas ini tidak didukung. Impor berkas PDF, JPG, PNG, atau TIFF — isi berkas diperiksa, bukan hanya nama akhirannya.',
      en: 'This kind of file is not supported. Import a PDF, JPG, PNG or TIFF file — the content is checked, not only the file name\'s ending.',
    },
    IMPORT_CORRUPT: {
      id: 'Berkas ini rusak atau tidak utuh (mungkin terpotong saat diunduh atau disalin), sehingga tidak diimpor. Unduh atau salin ulang berkasnya lalu impor lagi.',
      en: 'This file is damaged or incomplete (perhaps cut off while downloading or copying), so it was not imported. Download or copy it again and import it again.',
    },
    IMPORT_ENCRYPTED: {
      id: 'Berkas PDF ini dilindungi kata sandi. Buka proteksinya lalu impor ulang.',
      en: 'This PDF is password-protected. Remove the protection and import it again.',
    },
    IMPORT_UNREADABLE: {
      id: 'Berkas tidak dapat dibaca (mungkin sudah dipindah, dihapus, atau tidak ada izin membacanya). Tidak ada yang diubah; pilih berkasnya lagi.',
      en: 'The file cannot be read (it may have been moved, deleted, or you lack permission to read it). Nothing was changed; choose the file again.',
    },
    BLOB_CORRUPT: {
      id: 'Salinan dokumen di komputer ini rusak (isinya tidak cocok dengan sidik digitalnya). Dokumen tidak dipakai; pulihkan dari cadangan atau sinkron ulang dari server.',
      en: 'The copy of this document on this computer is damaged (its content does not match its fingerprint). It is not used; restore it from a backup or sync it again from the server.',
    },
    OCR_FAILED: {
      id: 'Teks surat tidak dapat dibaca otomatis. Surat tetap tersimpan; isi kolomnya secara manual.',
      en: 'The letter\'s text could not be read automatically. The letter is saved; fill in its fields by hand.',
    },
    PDF_UNSUPPORTED: {
      id: 'Berkas PDF ini tidak dapat diproses (rusak atau terenkripsi). Berkas asli tidak diubah.',
      en: 'This PDF cannot be processed (damaged or encrypted). The original file was not changed.',
    },
  },
});
