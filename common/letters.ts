// The vocabulary of letters that the desk, its screens and the server share: the official
// document types, urgency and security classification, and the shape of an archive code.
// Imports zod only.
import { z } from 'zod';

/** The 11 official document types of the regulations, plus "lainnya". */
export const documentTypes = [
  'telaah_staf', 'nota_dinas_dalam', 'nota_dinas', 'surat_keterangan_kerja', 'surat_perintah', 'surat_umum',
  'surat_keterangan', 'surat_pengantar', 'surat_biasa', 'surat_gaji_berkala', 'surat_pernyataan_melaksanakan_tugas', 'lainnya',
] as const;
export type DocumentType = (typeof documentTypes)[number];

/** Sifat (urgency): biasa, segera, sangat segera. */
export const UrgencySchema = z.enum(['biasa', 'segera', 'sangat_segera']);
export type Urgency = z.infer<typeof UrgencySchema>;
/** Sifat (security classification): biasa, terbatas, rahasia. */
export const SecuritySchema = z.enum(['biasa', 'terbatas', 'rahasia']);
export type Security = z.infer<typeof SecuritySchema>;

/** A letter at the desk is incoming (surat masuk) or outgoing (surat keluar). */
export const DirectionSchema = z.enum(['incoming', 'outgoing']);
/**
 * The workflow states of each direction. A void (batal) letter keeps its agenda number, never given
 * again; an outgoing letter is voided when it was signed twice, or when its draft was signed elsewhere.
 */
export const letterStatuses = {
  incoming: ['registered', 'in_disposition', 'done', 'void'],
  outgoing: ['draft', 'in_verification', 'ready_to_sign', 'signed', 'sent', 'void'],
} as const;
export const LetterStatusSchema = z.enum([...letterStatuses.incoming, ...letterStatuses.outgoing]);

/** Kode klasifikasi arsip (Permendagri 83/2022): 005, 800.1.2 … */
export const classificationCodePattern = /^\d{3}(\.\d+)*$/;
