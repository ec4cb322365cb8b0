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
/** A network scanner's HTTPS certificate: the desk pins the one it is shown first (see NetworkScannerSchema). */
export const ScannerCertificateSchema = z.object({
  /** SHA-256 of the certificate, colon-separated upper-case hex, as the scanner's own settings page shows it. */
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validTo: z.string(),
});
export type ScannerCertificate = z.infer<typeof ScannerCertificateSchema>;
/** A scanner as the Pindai screen offers it: what it can do, in the desk's own terms, and where it is. */
export const ScannerChoiceSchema = z.object({
  /** The scanner's id, which names its driver (`sane:test:0`, `escl:https://10.0.0.21:443/eSCL`); scan.start takes it as `device`. */
  name: z.string(),
  label: z.string(),
  /** A stand-in for missing hardware ("Pemindai uji (demo)"), offered only while no real scanner is listed. */
  demo: z.boolean(),
  /** Attached to this computer, or on the network at `address`. */
  connection: z.enum(['local', 'network']),
  address: z.string().nullable(),
  /** How the desk reaches it: `sane` (a driver on this computer), `escl` (eSCL/AirScan over the network). */
  driver: z.string(),
  /** A network scanner reached over HTTPS: the certificate it presented (pinned on first use). */
  certificate: ScannerCertificateSchema.nullable(),
  sources: z.array(ScanSourceSchema),
  modes: z.array(ScanModeSchema),
  resolutions: z.array(z.number().int()),
});
export type ScannerChoice = z.infer<typeof ScannerChoiceSchema>;
/** Why a scanner (or a way of reaching scanners) cannot be used now: "SANE tidak tersedia…", a network scanner not answering. */
export const ScannerNoteSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** The scanner concerned; null for the whole driver. */
  device: z.object({ id: z.string(), label: z.string(), address: z.string().nullable() }).nullable(),
  /** A network scanner whose certificate changed: the one it presents now, for an admin to compare and trust. */
  presented: ScannerCertificateSchema.nullable(),
  /** The network scanner's address as the desk remembers it (scan.network.trust takes it); null for others. */
  url: z.string().nullable(),
});
export type ScannerNote = z.infer<typeof ScannerNoteSchema>;
/**
 * A network scanner this desk remembers: entered by an admin (`manual`), or found on the network
 * and listed before (`found`), so it is asked for directly even when discovery misses it. Over
 * HTTPS the desk pins the certificate it was shown first (trust on first use); another one later
 * is refused until an admin trusts it.
 */
export const NetworkScannerSchema = z.object({
  /** Its eSCL root (`https://10.0.0.21:443/eSCL`). */
  url: z.string(),
  /** The name an admin gave it; null for the one it calls itself. */
  label: z.string().nullable(),
  /** What it was last listed as ("HP LaserJet MFP M428 (10.0.0.21)"); the address until it answered once. */
  name: z.string(),
  address: z.string(),
  origin: z.enum(['manual', 'found']),
  certificate: ScannerCertificateSchema.extend({
    trustedAt: z.string(),
    /** 'first-use': pinned when the desk first reached it; otherwise the person who trusted it. */
    trustedBy: z.string(),
  }).nullable(),
  lastSeenAt: z.string().nullable(),
  addedAt: z.string(),
});
export type NetworkScanner = z.infer<typeof NetworkScannerSchema>;
const ScannerUrlSchema = z.string().trim().min(1, 'Alamat pemindai wajib diisi').max(300, 'Alamat pemindai terlalu panjang');
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
/** A letter saved from a scan, not registered, not discarded. */
export const WaitingScanSchema = z.object({ documentId: z.string(), pageCount: z.number().int().positive(), savedAt: z.string() });

export const SavedScanLetterSchema = z.object({
  /** The document id (SHA-256 of the PDF) the letters register refers to. */
  documentId: z.string(),
  pageCount: z.number().int().positive(),
  byteSize: z.number().int().nonnegative(),
  /** These exact bytes were stored before (the same pages saved twice). */
  existed: z.boolean(),
});

/** Pindai's scanner list; `refreshing` while the drivers are being asked again. */
export const ScannerListSchema = z.object({ scanners: z.array(ScannerChoiceSchema), notes: z.array(ScannerNoteSchema), lastUsed: z.string().nullable(), refreshing: z.boolean() });
export type ScannerList = z.infer<typeof ScannerListSchema>;

export const scan = defineContract({
  channels: {
    /**
     * The scanners known (listed earlier on this run), what cannot be used and why, and the scanner
     * used last on this desk; asks every driver again in the background (network scanners take
     * seconds), and scan.scanners.changed brings each driver's fresh answer. The first call of a
     * run waits for the first driver to answer.
     */
    'scan.scanners': { request: Empty, reply: ScannerListSchema },
    /** The network scanners this desk remembers; `editable` when the person here may add, remove and trust them (an admin, or anyone on a desk without a server). */
    'scan.network.list': { request: Empty, reply: z.object({ scanners: z.array(NetworkScannerSchema), editable: z.boolean() }) },
    /** Remembers a network scanner by its address (`http(s)://host[:port][/eSCL]`, or just the host); it is asked directly from then on. */
    'scan.network.add': { request: z.object({ url: ScannerUrlSchema, label: z.string().trim().max(80, 'Nama pemindai paling panjang 80 karakter').optional() }).strict(), reply: NetworkScannerSchema },
    'scan.network.remove': { request: z.object({ url: z.string().min(1) }).strict(), reply: z.object({ removed: z.boolean() }) },
    /** Trusts the certificate the scanner presented at the last search (its SHA-256 as shown), replacing the one pinned. */
    'scan.network.trust': { request: z.object({ url: z.string().min(1), sha256: z.string().min(1) }).strict(), reply: NetworkScannerSchema },
    'scan.profiles.list': { request: Empty, reply: z.object({ profiles: z.array(ScanProfileSchema), lastUsedId: z.string().nullable() }) },
    'scan.profiles.save': { request: ScanProfileInputSchema, reply: ScanProfileSchema },
    /** The clerk chose this profile: it is the one offered first on this desk from now on. */
    'scan.profiles.choose': { request: z.object({ id: z.string().min(1) }).strict(), reply: z.object({ lastUsedId: z.string().nullable() }) },
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
    /** Letters saved from scans that wait for their agenda entry (kept across restarts until registered or discarded). */
    'scan.waiting': { request: Empty, reply: z.object({ letters: z.array(WaitingScanSchema) }) },
    /** "Buang": the saved scan leaves the list (the file is kept; the activity log records who discarded it). */
    'scan.waiting.discard': { request: z.object({ documentId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(), reply: z.object({ letters: z.array(WaitingScanSchema) }) },
    /** One kept page as a JPG file at its scan resolution, turned as the clerk sees it; named by its place in the stack (halaman-3.jpg); read with documents.read. */
    'scan.page.jpeg': { request: ScanPageRef, reply: FileRefSchema },
    /** Any page of the stack (a left-out one too) as a JPG at its scan resolution, turned as the clerk sees it, for the large view; read with documents.read. */
    'scan.page.view': { request: ScanPageRef, reply: FileRefSchema },
  },
  events: {
    'scan.changed': ScanSessionSchema,
    /** A driver answered, or asking the drivers again has ended. */
    'scan.scanners.changed': ScannerListSchema,
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
      SCANNER_SANE_UNAVAILABLE: {
        id: 'SANE tidak tersedia di komputer ini, jadi pemindai yang tersambung lewat kabel tidak dapat dipakai di sini. Pemindai jaringan (eSCL/AirScan) tetap dapat dipakai.',
        en: 'SANE is not available on this computer, so scanners connected by cable cannot be used here. Network scanners (eSCL/AirScan) can still be used.',
      },
      SCANNER_CERTIFICATE_CHANGED: {
        id: 'Sertifikat keamanan pemindai jaringan ini berbeda dari yang dipercaya meja ini, jadi pemindai tidak dipakai. Minta admin mencocokkan sidik jari sertifikat di layar pemindai, lalu mempercayainya di Pindai.',
        en: 'This network scanner\'s security certificate differs from the one this desk trusts, so the scanner is not used. Ask an administrator to compare the certificate fingerprint with the one on the scanner\'s screen, then trust it in Scan.',
      },
      SCANNER_ADMIN_REQUIRED: {
        id: 'Meja ini tersambung ke server, jadi hanya admin kantor yang dapat mengatur pemindai jaringan (menambah, menghapus, mempercayai sertifikat). Masuk dengan akun admin kantor; tidak ada yang berubah.',
        en: 'This desk works with a server, so only an office administrator can manage network scanners (add, remove, trust a certificate). Sign in with an office administrator\'s account; nothing was changed.',
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
