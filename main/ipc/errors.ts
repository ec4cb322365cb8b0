// The one error type of Loket: a code the program can branch on and a message a clerk understands
// (Bahasa Indonesia). Anything else thrown inside main is a bug and reaches the renderer only as INTERNAL.
import type { ErrorCode, IpcError } from './contract.ts';

/** Default Bahasa Indonesia message for each code; a thrower may give a more specific one. */
export const defaultMessages: Record<ErrorCode, string> = {
  VALIDATION: 'Data yang dikirim tidak sesuai. Periksa kembali isian Anda.',
  UNKNOWN_CHANNEL: 'Perintah ini tidak dikenal oleh aplikasi.',
  INTERNAL: 'Terjadi kesalahan di dalam aplikasi. Pekerjaan Anda tidak hilang; coba lagi, dan laporkan ke admin bila berulang.',
  NOT_FOUND: 'Data yang dicari tidak ditemukan.',
  STORAGE_FULL: 'Disk penuh: data tidak dapat disimpan. Kosongkan ruang disk lalu coba lagi — tidak ada data yang hilang.',
  STORAGE_FAILED: 'Penyimpanan lokal gagal ditulis. Tidak ada data yang hilang; coba lagi.',
  STORAGE_CORRUPT: 'Berkas data lokal Loket rusak dan tidak dapat dibuka. Berkas itu tidak diubah; hubungi admin kantor untuk memulihkannya dari cadangan atau dari server.',
  STORAGE_TOO_NEW: 'Data di komputer ini dibuat oleh versi Loket yang lebih baru, sehingga versi ini tidak dapat membukanya. Data tidak diubah; pasang versi Loket terbaru lalu buka lagi.',
  DEVICE_WORKER_CRASHED: 'Proses perangkat (pemindai/token) berhenti mendadak dan sedang dijalankan ulang. Coba lagi sebentar lagi.',
  DEVICE_TIMEOUT: 'Perangkat tidak menjawab tepat waktu. Periksa sambungan perangkat lalu coba lagi.',
  DEVICE_UNAVAILABLE: 'Proses perangkat belum siap. Tunggu sebentar lalu coba lagi.',
  TOKEN_MODULE_MISSING: 'Driver token (modul PKCS#11) tidak ditemukan di lokasi yang diatur. Pasang driver dari penerbit token atau pilih lokasi modul yang benar di Pengaturan.',
  TOKEN_NOT_FOUND: 'Token tidak ditemukan. Pastikan token USB sudah tertancap, lalu coba lagi.',
  TOKEN_REMOVED: 'Token dicabut saat sedang dipakai. Dokumen yang belum selesai ditandatangani tidak diubah; tancapkan kembali token lalu coba lagi.',
  TOKEN_FAILED: 'Token menolak perintah. Tidak ada dokumen yang berubah; cabut dan tancapkan kembali token lalu coba lagi.',
  PIN_INCORRECT: 'PIN salah. Periksa PIN Anda lalu coba lagi.',
  PIN_INVALID: 'PIN tidak sesuai aturan token (panjang atau jenis karakter). Periksa PIN lalu coba lagi.',
  PIN_LOCKED: 'Token terkunci karena PIN salah terlalu sering. Hubungi penerbit sertifikat untuk membuka kuncinya; tidak ada dokumen yang berubah.',
  CERTIFICATE_EXPIRED: 'Sertifikat pada token sudah kedaluwarsa, sehingga tidak dapat dipakai menandatangani. Ajukan pembaruan sertifikat ke penerbitnya.',
  CERTIFICATE_NOT_YET_VALID: 'Sertifikat pada token belum berlaku. Periksa tanggal dan jam komputer, atau tunggu sampai masa berlakunya dimulai.',
  CERTIFICATE_NOT_FOR_SIGNING: 'Sertifikat ini tidak diterbitkan untuk tanda tangan elektronik. Pilih sertifikat penandatanganan pada token.',
  PDF_UNSUPPORTED: 'Berkas PDF ini tidak dapat diproses (rusak atau terenkripsi). Berkas asli tidak diubah.',
  HOST_UNREACHABLE: 'Aplikasi inti tidak terhubung. Menyambung ulang…',
  SCANNER_NOT_FOUND: 'Pemindai tidak ditemukan. Pastikan pemindai menyala dan kabelnya terpasang, lalu pilih pemindai lagi.',
  SCANNER_BUSY: 'Pemindai sedang dipakai (oleh aplikasi lain atau pemindaian yang belum selesai). Tunggu sampai selesai, lalu coba lagi.',
  SCANNER_JAMMED: 'Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan.',
  SCANNER_COVER_OPEN: 'Penutup pemindai terbuka. Halaman yang sudah terpindai tetap tersimpan; tutup penutupnya lalu lanjutkan.',
  SCANNER_NO_DOCS: 'Tidak ada kertas di pengumpan (ADF). Letakkan kertas di pengumpan lalu coba lagi.',
  SCANNER_IO: 'Sambungan ke pemindai terputus saat bekerja. Halaman yang sudah terpindai tetap tersimpan; periksa kabel lalu coba lagi.',
  SCANNER_ACCESS_DENIED: 'Akses ke pemindai ditolak. Minta admin memberi izin memakai pemindai ini, lalu coba lagi.',
  SCANNER_CANCELLED: 'Pemindaian dibatalkan. Halaman yang sudah terpindai tetap tersimpan.',
  SCANNER_UNSUPPORTED: 'Pemindai tidak mendukung perintah atau pengaturan ini. Pilih pengaturan lain lalu coba lagi.',
  SCANNER_INVALID: 'Pemindai menolak pengaturan ini. Periksa pilihan (sumber, mode, resolusi, ukuran kertas) lalu coba lagi.',
  SCANNER_FAILED: 'Pemindai mengalami gangguan. Halaman yang sudah terpindai tetap tersimpan; matikan lalu nyalakan lagi pemindai, kemudian coba lagi.',
  IMPORT_EMPTY: 'Berkas ini kosong (0 byte), sehingga tidak ada yang dapat diimpor. Simpan ulang berkasnya dari sumber aslinya lalu impor lagi.',
  IMPORT_TOO_LARGE: 'Berkas ini terlalu besar untuk diimpor. Perkecil ukurannya (misalnya pindai ulang dengan resolusi lebih rendah) lalu impor lagi.',
  IMPORT_UNSUPPORTED: 'Jenis berkas ini tidak didukung. Impor berkas PDF, JPG, PNG, atau TIFF — isi berkas diperiksa, bukan hanya nama akhirannya.',
  IMPORT_CORRUPT: 'Berkas ini rusak atau tidak utuh (mungkin terpotong saat diunduh atau disalin), sehingga tidak diimpor. Unduh atau salin ulang berkasnya lalu impor lagi.',
  IMPORT_ENCRYPTED: 'Berkas PDF ini dilindungi kata sandi. Buka proteksinya lalu impor ulang.',
  IMPORT_UNREADABLE: 'Berkas tidak dapat dibaca (mungkin sudah dipindah, dihapus, atau tidak ada izin membacanya). Tidak ada yang diubah; pilih berkasnya lagi.',
  BLOB_CORRUPT: 'Salinan dokumen di komputer ini rusak (isinya tidak cocok dengan sidik digitalnya). Dokumen tidak dipakai; pulihkan dari cadangan atau sinkron ulang dari server.',
  OCR_FAILED: 'Teks surat tidak dapat dibaca otomatis. Surat tetap tersimpan; isi kolomnya secara manual.',
  AGENDA_NUMBERS_EXHAUSTED: 'Nomor agenda untuk meja ini sudah habis, jadi surat belum dicatat. Sambungkan meja ke server dan masuk sebagai admin kantor atau operator utama agar meja mendapat blok nomor baru, atau minta bantuan admin kantor. Dokumen tetap tersimpan dan isian formulir tidak hilang; tekan Simpan lagi setelah itu.',
  // Scan image pipeline (main/scan/pipeline)
  SCAN_PIPELINE_FAILED: 'Halaman hasil pindai tidak dapat diolah. Halaman yang sudah terpindai tetap tersimpan; coba lagi, dan laporkan ke admin bila berulang.',
  TSA_UNAVAILABLE: 'Server stempel waktu (TSA) tidak dapat dihubungi. Surat tetap ditandatangani; stempel waktu ditambahkan otomatis begitu server itu dapat dihubungi lagi.',
  REVOCATION_UNAVAILABLE: 'Status pencabutan sertifikat (OCSP) tidak dapat diperiksa sekarang. Tanda tangan tetap sah; data validasi jangka panjang ditambahkan nanti.',
  SIGNER_ROLE_REQUIRED: 'Hanya pejabat penandatangan yang dapat menandatangani surat. Masuk dengan akun pejabat penandatangan; tidak ada surat yang berubah.',
  LETTER_NOT_READY_TO_SIGN: 'Surat ini tidak sedang menunggu tanda tangan (mungkin sudah ditandatangani). Muat ulang daftar surat; tidak ada yang berubah.',
  // Sign-in and sync with the central server (main/auth, main/sync)
  AUTH_NO_SERVER: 'Meja ini belum diatur untuk tersambung ke server, sehingga tidak ada akun untuk masuk. Atur alamat server di Pengaturan.',
  AUTH_REQUIRED: 'Silakan masuk terlebih dahulu. Pekerjaan Anda tetap tersimpan di meja ini.',
  AUTH_INVALID_CREDENTIALS: 'Nama pengguna atau kata sandi salah.',
  AUTH_OFFLINE_UNKNOWN: 'Server tidak dapat dihubungi, dan akun ini belum pernah masuk di meja ini sehingga tidak dapat diperiksa tanpa server. Masuk saat server dapat dihubungi, atau pakai akun yang pernah masuk di meja ini.',
  AUTH_THROTTLED: 'Terlalu banyak percobaan masuk yang gagal. Tunggu sebentar lalu coba lagi.',
  AUTH_LOCKED: 'Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi nanti atau hubungi admin kantor.',
  AUTH_DISABLED: 'Akun ini dinonaktifkan. Hubungi admin kantor Anda.',
  SERVER_INSECURE: 'Alamat server harus memakai https://. Sambungan tanpa enkripsi hanya diizinkan ke komputer ini sendiri (pengembangan).',
  SERVER_UNREACHABLE: 'Server tidak dapat dihubungi. Pekerjaan tetap tersimpan di meja ini dan dikirim otomatis saat server dapat dihubungi lagi.',
  SERVER_TLS_UNTRUSTED: 'Sertifikat server tidak diterbitkan oleh otoritas (CA) yang dipercaya meja ini. Sambungan ditolak demi keamanan; minta admin memeriksa berkas CA instansi yang diatur untuk meja ini.',
  SERVER_TLS_EXPIRED: 'Sertifikat server sudah kedaluwarsa atau belum berlaku. Sambungan ditolak demi keamanan; periksa jam komputer ini atau minta admin memperbarui sertifikat server.',
  SERVER_TLS_HOSTNAME: 'Sertifikat server dibuat untuk alamat lain, bukan alamat yang diatur di meja ini. Sambungan ditolak demi keamanan; periksa alamat server di Pengaturan.',
  SERVER_CA_UNREADABLE: 'Berkas CA instansi yang diatur untuk meja ini tidak dapat dibaca. Periksa lokasi berkas CA.',
  SERVER_REFUSED: 'Server menolak permintaan ini. Tidak ada yang hilang dari meja ini.',
  SYNC_ENTRY_NOT_ACTIONABLE: 'Antrean ini sudah berubah (mungkin sudah terkirim atau sedang dikirim). Muat ulang Antrian Sinkron.',
  LETTER_ALREADY_REGISTERED: 'Berkas ini sudah tercatat sebagai surat masuk. Buka agenda yang sudah ada; surat yang sama tidak dicatat dua kali.',
  // JPG per page from the Pindai screen (main/scan)
  SCAN_PAGE_EXCLUDED: 'Halaman ini disisihkan dari surat (kosong atau dihapus), jadi tidak diunduh sebagai JPG. Pulihkan halamannya dulu, lalu unduh lagi.',
  // Agenda number format and classification list in Pengaturan (main/letters/agenda-settings.ts)
  ADMIN_ROLE_REQUIRED: 'Meja ini tersambung ke server, jadi hanya admin kantor yang dapat mengubah format nomor agenda dan daftar klasifikasi arsip. Masuk dengan akun admin kantor; tidak ada yang berubah.',
  // Letters delivered between offices (main/letters/deliveries.ts, main/sync/blob-download.ts)
  DELIVERY_ROLE_REQUIRED: 'Hanya admin kantor, operator utama, atau pejabat penandatangan yang dapat mengirim surat ke kantor lain. Masuk dengan akun yang berwenang; surat tidak berubah.',
  DELIVERY_NOT_SENDABLE: 'Surat ini belum dapat dikirim ke kantor lain: hanya surat masuk yang sudah bernomor agenda, atau surat keluar yang sudah ditandatangani, yang dapat dikirim.',
  DOWNLOAD_OFFLINE: 'Server tidak dapat dihubungi, sehingga berkas surat kiriman belum dapat diunduh. Bagian yang sudah terunduh tetap tersimpan di meja ini; coba lagi saat meja ini terhubung ke server.',
  DOWNLOAD_HASH_MISMATCH: 'Berkas yang diunduh dari server tidak cocok dengan sidik digitalnya (SHA-256), sehingga tidak dipakai. Coba unduh lagi; bila terulang, hubungi admin server.',
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? defaultMessages[code], options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toIpc(): IpcError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Disk-full and similar I/O failures are things a clerk can act on; name them as such. */
export function fromSystemError(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT') return new AppError('STORAGE_FULL', undefined, undefined, { cause: err });
  // better-sqlite3 reports extended codes (SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, …).
  if ((typeof code === 'string' && code.startsWith('SQLITE_IOERR')) || code === 'EIO' || code === 'EROFS') return new AppError('STORAGE_FAILED', undefined, undefined, { cause: err });
  // A damaged or foreign file where the database should be: never "repair" it by overwriting.
  if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) return new AppError('STORAGE_CORRUPT', undefined, undefined, { cause: err });
  return undefined;
}
