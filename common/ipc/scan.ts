// Pindai: scanning at the desk in the desk's own terms (source, colour mode, resolution, paper size),
// the page stack a clerk arranges, saving it as letters, and a JPG of a page.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';
import { FileRefSchema } from './documents.ts';

export const ScanSourceSchema = z.enum(['flatbed', 'adf', 'duplex']);
export type ScanSource = z.infer<typeof ScanSourceSchema>;
export const ScanModeSchema = z.enum(['color', 'gray', 'lineart']);
export type ScanMode = z.infer<typeof ScanModeSchema>;
export const PaperSizeSchema = z.enum(['a4', 'f4', 'letter', 'legal']);
export type PaperSize = z.infer<typeof PaperSizeSchema>;
export const ScanSettingsSchema = z.object({
  source: ScanSourceSchema,
  mode: ScanModeSchema,
  resolution: z.number().int().min(50, 'Resolusi paling rendah 50 dpi').max(1200, 'Resolusi paling tinggi 1200 dpi'),
  paperSize: PaperSizeSchema,
}).strict();
export type ScanSettings = z.infer<typeof ScanSettingsSchema>;
/** A scanner as the Pindai screen offers it: what it can do, in the desk's own terms. */
export const ScannerChoiceSchema = z.object({
  /** The scanner's id, which names its driver (`sane:test:0`); scan.start takes it as `device`. */
  name: z.string(),
  label: z.string(),
  /** A stand-in for missing hardware ("Pemindai uji (demo)"), offered only while no real scanner is listed. */
  demo: z.boolean(),
  sources: z.array(ScanSourceSchema),
  modes: z.array(ScanModeSchema),
  resolutions: z.array(z.number().int()),
});
export type ScannerChoice = z.infer<typeof ScannerChoiceSchema>;
export const ScanProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  settings: ScanSettingsSchema,
  lastUsedAt: z.string().nullable(),
});
export type ScanProfile = z.infer<typeof ScanProfileSchema>;
export const ScanProfileInputSchema = z.object({
  /** Absent: a new profile. */
  id: z.string().min(1).optional(),
  name: z.string().trim().min(1, 'Nama profil wajib diisi').max(80, 'Nama profil paling panjang 80 karakter'),
  settings: ScanSettingsSchema,
}).strict();
export const ScanPageSchema = z.object({
  id: z.string(),
  /** Clockwise quarter turn applied when shown and saved. */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  blank: z.boolean(),
  colour: z.boolean(),
  /** Left out of the letter: detected blank, or deleted by the clerk. Either can be restored. */
  excluded: z.enum(['blank', 'deleted']).nullable(),
  /** A new letter begins at this page when the stack is saved as several letters. */
  startsLetter: z.boolean(),
});
export type ScanPage = z.infer<typeof ScanPageSchema>;
export const ScanFaultSchema = z.object({ code: z.string(), message: z.string(), pagesKept: z.number().int().nonnegative() });
export type ScanFault = z.infer<typeof ScanFaultSchema>;
export const ScanSessionSchema = z.object({
  id: z.string(),
  scanning: z.object({ scanId: z.string(), device: z.string(), page: z.number().int(), fraction: z.number().min(0).max(1).nullable() }).nullable(),
  pages: z.array(ScanPageSchema),
  fault: ScanFaultSchema.nullable(),
});
export type ScanSession = z.infer<typeof ScanSessionSchema>;
const ScanPageRef = z.object({ pageId: z.string().min(1) }).strict();
export const ScanPlacementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('append') }).strict(),
  z.object({ kind: z.literal('insert'), before: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('replace'), pageId: z.string().min(1) }).strict(),
]);
export type ScanPlacement = z.infer<typeof ScanPlacementSchema>;
export const SavedScanLetterSchema = z.object({
  /** The document id (SHA-256 of the PDF) the letters register refers to. */
  documentId: z.string(),
  pageCount: z.number().int().positive(),
  byteSize: z.number().int().nonnegative(),
  /** These exact bytes were stored before (the same pages saved twice). */
  existed: z.boolean(),
});

export const scan = defineContract({
  channels: {
    'scan.scanners': { request: Empty, reply: z.array(ScannerChoiceSchema) },
    'scan.profiles.list': { request: Empty, reply: z.object({ profiles: z.array(ScanProfileSchema), lastUsedId: z.string().nullable() }) },
    'scan.profiles.save': { request: ScanProfileInputSchema, reply: ScanProfileSchema },
    'scan.session.get': { request: Empty, reply: z.object({ session: ScanSessionSchema, thumbnails: z.record(z.string(), z.string()) }) },
    /** Starts a scan and answers at once; pages, progress and a fault arrive as scan.* events. */
    'scan.start': {
      request: z.object({ device: z.string().min(1, 'Pilih pemindai'), settings: ScanSettingsSchema, profileId: z.string().min(1).optional(), placement: ScanPlacementSchema.default({ kind: 'append' }) }).strict(),
      reply: z.object({ scanId: z.string() }),
    },
    'scan.cancel': { request: Empty, reply: z.object({ cancelled: z.boolean() }) },
    'scan.page.move': { request: ScanPageRef.extend({ toIndex: z.number().int().nonnegative() }).strict(), reply: ScanSessionSchema },
    'scan.page.rotate': { request: ScanPageRef.extend({ turn: z.enum(['left', 'right']) }).strict(), reply: ScanSessionSchema },
    'scan.page.delete': { request: ScanPageRef, reply: ScanSessionSchema },
    'scan.page.restore': { request: ScanPageRef, reply: ScanSessionSchema },
    'scan.letter.split': { request: ScanPageRef.extend({ startsLetter: z.boolean() }).strict(), reply: ScanSessionSchema },
    /** A new letter begins after every blank separator sheet. */
    'scan.letter.splitAtBlanks': { request: Empty, reply: ScanSessionSchema },
    /** One PDF per letter into the document store; answers once every file is fsynced and its row committed. */
    'scan.save': { request: z.object({ title: z.string().trim().max(200).optional() }).strict(), reply: z.object({ letters: z.array(SavedScanLetterSchema) }) },
    'scan.discard': { request: Empty, reply: ScanSessionSchema },
    /** One kept page as a JPG file at its scan resolution, turned as the clerk sees it; named by its place in the stack (halaman-3.jpg); read with documents.read. */
    'scan.page.jpeg': { request: ScanPageRef, reply: FileRefSchema },
  },
  events: {
    'scan.changed': ScanSessionSchema,
    /** Each page arrives with its thumbnail (a data: URL). */
    'scan.page': z.object({ pageId: z.string(), thumbnail: z.string() }),
    'scan.progress': z.object({ scanId: z.string(), page: z.number().int(), fraction: z.number().min(0).max(1).nullable() }),
    'scan.fault': ScanFaultSchema,
  },
  errors: {
      SCANNER_NOT_FOUND: {
        id: 'Pemindai tidak ditemukan. Pastikan pemindai menyala dan kabelnya terpasang, lalu pilih pemindai lagi.',
        en: 'Scanner not found. Make sure it is switched on and its cable is connected, then choose the scanner again.',
      },
      SCANNER_BUSY: {
        id: 'Pemindai sedang dipakai (oleh aplikasi lain atau pemindaian yang belum selesai). Tunggu sampai selesai, lalu coba lagi.',
        en: 'The scanner is in use (by another application or an unfinished scan). Wait until it is done, then try again.',
      },
      SCANNER_JAMMED: {
        id: 'Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan.',
        en: 'Paper jam in the scanner. Pages already scanned are kept; clear the paper and continue.',
      },
      SCANNER_COVER_OPEN: {
        id: 'Penutup pemindai terbuka. Halaman yang sudah terpindai tetap tersimpan; tutup penutupnya lalu lanjutkan.',
        en: 'The scanner cover is open. Pages already scanned are kept; close the cover and continue.',
      },
      SCANNER_NO_DOCS: {
        id: 'Tidak ada kertas di pengumpan (ADF). Letakkan kertas di pengumpan lalu coba lagi.',
        en: 'There is no paper in the feeder (ADF). Put the paper in the feeder and try again.',
      },
      SCANNER_IO: {
        id: 'Sambungan ke pemindai terputus saat bekerja. Halaman yang sudah terpindai tetap tersimpan; periksa kabel lalu coba lagi.',
        en: 'The connection to the scanner was lost while it worked. Pages already scanned are kept; check the cable and try again.',
      },
      SCANNER_ACCESS_DENIED: {
        id: 'Akses ke pemindai ditolak. Minta admin memberi izin memakai pemindai ini, lalu coba lagi.',
        en: 'Access to the scanner was refused. Ask the administrator for permission to use this scanner, then try again.',
      },
      SCANNER_CANCELLED: {
        id: 'Pemindaian dibatalkan. Halaman yang sudah terpindai tetap tersimpan.',
        en: 'Scanning was cancelled. Pages already scanned are kept.',
      },
      SCANNER_UNSUPPORTED: {
        id: 'Pemindai tidak mendukung perintah atau pengaturan ini. Pilih pengaturan lain lalu coba lagi.',
        en: 'The scanner does not support this command or setting. Choose another setting and try again.',
      },
      SCANNER_INVALID: {
        id: 'Pemindai menolak pengaturan ini. Periksa pilihan (sumber, mode, resolusi, ukuran kertas) lalu coba lagi.',
        en: 'The scanner refused these settings. Check the choices (source, mode, resolution, paper size) and try again.',
      },
      SCANNER_FAILED: {
        id: 'Pemindai mengalami gangguan. Halaman yang sudah terpindai tetap tersimpan; matikan lalu nyalakan lagi pemindai, kemudian coba lagi.',
        en: 'The scanner ran into a problem. Pages already scanned are kept; switch the scanner off and on again, then try again.',
      },
      SCAN_PIPELINE_FAILED: {
        id: 'Halaman hasil pindai tidak dapat diolah. Halaman yang sudah terpindai tetap tersimpan; coba lagi, dan laporkan ke admin bila berulang.',
        en: 'The scanned page could not be processed. The pages already scanned are kept; try again, and tell your administrator if it happens again.',
      },
      SCAN_PAGE_EXCLUDED: {
        id: 'Halaman ini disisihkan dari surat (kosong atau dihapus), jadi tidak diunduh sebagai JPG. Pulihkan halamannya dulu, lalu unduh lagi.',
        en: 'This page is left out of the letter (blank or deleted), so it is not downloaded as a JPG. Restore the page first, then download it again.',
      },
  },
});
