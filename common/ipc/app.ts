// The desk itself: what it is, its settings, its connection to the server, and Beranda's figures;
// plus the error codes every channel may answer with.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

export const LanguageSchema = z.enum(['id', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/**
 * The office's time zone, in which every date and time is shown and printed: WIB (Asia/Jakarta),
 * WITA (Asia/Makassar) or WIT (Asia/Jayapura).
 */
export const OfficeTimeZoneSchema = z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'], { error: 'Zona waktu kantor harus WIB, WITA atau WIT' });
export type OfficeTimeZone = z.infer<typeof OfficeTimeZoneSchema>;

/** A POSIX path, a Windows drive path or a UNC path: a PKCS#11 module is loaded by its full path. */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const signingServiceUrl = (error: string) => z.union([z.literal(''), z.url({ protocol: /^https?$/, error })]).optional();
/** A remote signing service carries PINs and passphrases: HTTPS only. */
const remoteSigningUrl = (error: string) => z.union([z.literal(''), z.url({ protocol: /^https$/, error })]).optional();

/** How an official signs: a USB token, a Cloud Signature Consortium service, or BSrE. */
export const SigningMethodSchema = z.enum(['token', 'csc', 'bsre']);
export type SigningMethod = z.infer<typeof SigningMethodSchema>;
/** Nomor Induk Kependudukan: the identity BSrE knows a certificate holder by. */
export const NikSchema = z.string().regex(/^\d{16}$/, 'NIK harus 16 angka, sesuai KTP');
/** Per official (their username; '' for a desk without accounts): how they sign, and their NIK at BSrE. */
export const SigningMethodsSchema = z.record(z.string().max(200), z.object({ method: SigningMethodSchema, nik: NikSchema.optional() }).strict());

/** Settings a person can change; stored in SQLite, one row per key. */
export const SettingsSchema = z.object({
  language: LanguageSchema,
  deskName: z.string().trim().min(1, 'Nama meja wajib diisi').max(80, 'Nama meja paling panjang 80 karakter'),
  officeName: z.string().trim().max(160, 'Nama kantor paling panjang 160 karakter'),
  timeZone: OfficeTimeZoneSchema,
  serverUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Alamat server harus diawali http:// atau https:// (contoh: https://eoffice.contoh.go.id), atau dikosongkan' })]),
  // Tanda tangan elektronik (optional keys, the store defaults them to ''): '' = not set here (the
  // LOKET_* environment variable, else automatic).
  tokenModulePath: z.union([z.literal(''), z.string().regex(absolutePath, 'Path driver token harus path lengkap (contoh: /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so atau C:\\Windows\\System32\\eTPKCS11.dll), atau pilih Otomatis')]).optional(),
  tsaUrl: signingServiceUrl('Alamat layanan cap waktu (TSA) harus diawali http:// atau https:// (contoh: http://tsa.contoh.go.id), atau dikosongkan'),
  ocspUrl: signingServiceUrl('Alamat layanan OCSP harus diawali http:// atau https:// (contoh: http://ocsp.contoh.go.id), atau dikosongkan'),
  verifyUrl: signingServiceUrl('Alamat halaman verifikasi harus diawali http:// atau https:// (contoh: https://eoffice.contoh.go.id/verifikasi), atau dikosongkan'),
  // Remote signing services (their client credentials live in the desk's secret store, not here).
  cscUrl: remoteSigningUrl('Alamat layanan CSC harus diawali https:// (contoh: https://tte.contoh.go.id/csc/v2), atau dikosongkan'),
  bsreUrl: remoteSigningUrl('Alamat layanan BSrE harus diawali https:// (contoh: https://esign.contoh.go.id), atau dikosongkan'),
  signingMethods: SigningMethodsSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const ConnectivitySchema = z.object({
  state: z.enum(['online', 'offline', 'unconfigured']),
  checkedAt: z.string().nullable(),
});
export type Connectivity = z.infer<typeof ConnectivitySchema>;

export const DashboardSchema = z.object({
  incomingToday: z.number().int().nonnegative(),
  incomingTotal: z.number().int().nonnegative(),
  outgoingTotal: z.number().int().nonnegative(),
  awaitingSignature: z.number().int().nonnegative(),
  outboxPending: z.number().int().nonnegative(),
  auditChainIntact: z.boolean(),
  auditEntries: z.number().int().nonnegative(),
  /**
   * The server's copy of this desk's activity log, as of the last sync: the newest entry it holds
   * (the log is safe up to it: rewriting it here can no longer go unseen) and the first break in the
   * chain the server saw, if any. Null before the first sync, or on a desk without a server.
   */
  auditAnchor: z.object({
    seq: z.number().int().nonnegative(),
    broken: z.object({ kind: z.enum(['rewound', 'gap', 'fork']), seq: z.number().int() }).nullable(),
  }).nullable(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'browser-host']),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const app = defineContract({
  channels: {
    'app.info': { request: Empty, reply: AppInfoSchema },
    'dashboard.get': { request: Empty, reply: DashboardSchema },
    'settings.get': { request: Empty, reply: SettingsSchema },
    'settings.update': { request: SettingsSchema.partial().strict(), reply: SettingsSchema },
    'connectivity.get': { request: Empty, reply: ConnectivitySchema },
  },
  events: {
    'settings.changed': SettingsSchema,
    'connectivity.changed': ConnectivitySchema,
    'dashboard.changed': Empty,
  },
  errors: {
    VALIDATION: {
      id: 'Data yang dikirim tidak sesuai. Periksa kembali isian Anda.',
      en: 'The data sent is not valid. Please check your entries.',
    },
    UNKNOWN_CHANNEL: {
      id: 'Perintah ini tidak dikenal oleh aplikasi.',
      en: 'The application does not recognise this command.',
    },
    INTERNAL: {
      id: 'Terjadi kesalahan di dalam aplikasi. Pekerjaan Anda tidak hilang; coba lagi, dan laporkan ke admin bila berulang.',
      en: 'Something went wrong inside the application. Your work is not lost; try again, and tell the administrator if it keeps happening.',
    },
    NOT_FOUND: {
      id: 'Data yang dicari tidak ditemukan.',
      en: 'The requested data was not found.',
    },
    STORAGE_FULL: {
      id: 'Disk penuh: data tidak dapat disimpan. Kosongkan ruang disk lalu coba lagi — tidak ada data yang hilang.',
      en: 'The disk is full: data cannot be saved. Free some disk space and try again — no data was lost.',
    },
    STORAGE_FAILED: {
      id: 'Penyimpanan lokal gagal ditulis. Tidak ada data yang hilang; coba lagi.',
      en: 'Writing to local storage failed. No data was lost; try again.',
    },
    STORAGE_TOO_NEW: {
      id: 'Data di komputer ini dibuat oleh versi Loket yang lebih baru, sehingga versi ini tidak dapat membukanya. Data tidak diubah; pasang versi Loket terbaru lalu buka lagi.',
      en: 'The data on this computer was made by a newer version of Loket, so this version cannot open it. The data was not changed; install the latest Loket and open it again.',
    },
    STORAGE_CORRUPT: {
      id: 'Berkas data lokal Loket rusak dan tidak dapat dibuka. Berkas itu tidak diubah; hubungi admin kantor untuk memulihkannya dari cadangan atau dari server.',
      en: 'Loket\'s local data file is damaged and cannot be opened. The file was not changed; ask the office admin to restore it from a backup or from the server.',
    },
    TIME_ZONE_ADMIN_REQUIRED: {
      id: 'Meja ini tersambung ke server, jadi hanya admin kantor yang dapat mengubah zona waktu kantor. Masuk dengan akun admin kantor; tidak ada yang berubah.',
      en: 'This desk works with a server, so only the office administrator can change the office\'s time zone. Sign in with an office administrator\'s account; nothing was changed.',
    },
    HOST_UNREACHABLE: {
      id: 'Aplikasi inti tidak terhubung. Menyambung ulang…',
      en: 'The application core is not connected. Reconnecting…',
    },
  },
});
