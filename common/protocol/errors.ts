// Error codes the server answers with, and their default Bahasa Indonesia messages. Every 4xx/5xx
// reply is `{ error: { code, message } }`; a desk shows the message and branches on the code.
// Imports zod only.
import { z } from 'zod';

export const serverMessages = {
  VALIDATION: 'Data yang dikirim tidak sesuai. Periksa kembali isian Anda; tidak ada yang disimpan.',
  MALFORMED_JSON: 'Data yang dikirim rusak (bukan JSON yang sah). Tidak ada yang disimpan; coba kirim ulang.',
  PAYLOAD_TOO_LARGE: 'Data yang dikirim terlalu besar. Tidak ada yang disimpan; kirim dalam bagian yang lebih kecil.',
  UNSUPPORTED_MEDIA_TYPE: 'Jenis data yang dikirim tidak didukung server.',
  NOT_FOUND: 'Data atau alamat yang dicari tidak ada di server.',
  UNAUTHENTICATED: 'Sesi Anda tidak berlaku atau sudah berakhir. Silakan masuk kembali; pekerjaan Anda tetap tersimpan di meja ini.',
  INVALID_CREDENTIALS: 'Nama pengguna atau kata sandi salah.',
  LOGIN_THROTTLED: 'Terlalu banyak percobaan masuk yang gagal. Tunggu sebentar lalu coba lagi.',
  ACCOUNT_LOCKED: 'Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi nanti atau hubungi admin kantor.',
  ACCOUNT_DISABLED: 'Akun ini dinonaktifkan. Hubungi admin kantor Anda.',
  REFRESH_INVALID: 'Sesi di meja ini sudah berakhir. Silakan masuk kembali; pekerjaan Anda tetap tersimpan.',
  REFRESH_REUSED: 'Sesi ini dipakai dari tempat lain sehingga semua sesi terkait dicabut demi keamanan. Silakan masuk kembali dan ganti kata sandi bila perlu.',
  DEVICE_MISMATCH: 'Sesi ini terdaftar untuk meja lain. Silakan masuk kembali dari meja ini.',
  PASSWORD_TOO_WEAK: 'Kata sandi baru terlalu lemah: minimal 10 karakter.',
  FORBIDDEN: 'Anda tidak berwenang melakukan tindakan ini.',
  FORBIDDEN_OFFICE: 'Anda hanya dapat mengelola pengguna di kantor Anda sendiri.',
  USERNAME_TAKEN: 'Nama pengguna sudah dipakai. Pilih nama pengguna lain.',
  LETTER_NOT_FOUND: 'Surat yang dirujuk belum ada di server. Pastikan surat sudah tersinkron lebih dulu.',
  SIGNATURE_NOT_FOUND: 'Tanda tangan yang dirujuk belum ada di server. Pastikan tanda tangan surat itu sudah tersinkron lebih dulu.',
  LETTER_VOIDED: 'Surat ini sudah dibatalkan (batal) di agenda kantor, sehingga tidak dapat dikoreksi lagi.',
  LETTER_EXISTS: 'Surat dengan pengenal ini sudah terdaftar dengan isi berbeda.',
  DISPOSITION_EXISTS: 'Disposisi dengan pengenal ini sudah tercatat.',
  AGENDA_NUMBER_NOT_LEASED: 'Nomor agenda ini tidak termasuk blok nomor yang diberikan server ke kantor Anda.',
  AGENDA_NUMBER_TAKEN: 'Nomor agenda ini sudah dipakai surat lain. Beri nomor baru lalu kirim ulang; surat tidak hilang.',
  AGENDA_NUMBER_RETURNED: 'Nomor agenda ini sudah dilaporkan tidak terpakai, sehingga tidak boleh dipakai lagi.',
  BLOB_MISSING: 'Berkas pindaian surat belum selesai diunggah. Unggahan akan dilanjutkan otomatis.',
  BLOB_HASH_MISMATCH: 'Berkas yang diterima server berbeda dari aslinya (sidik SHA-256 tidak cocok). Unggahan diulang dari awal; berkas di meja tidak berubah.',
  BLOB_OFFSET_MISMATCH: 'Posisi unggahan tidak cocok dengan yang diterima server. Unggahan dilanjutkan dari posisi server.',
  BLOB_UPLOAD_INTERRUPTED: 'Sambungan terputus sebelum bagian unggahan selesai. Bagian yang sudah diterima disimpan server; unggahan dilanjutkan dari sana.',
  BLOB_SIZE_CONFLICT: 'Berkas dengan sidik ini sudah didaftarkan dengan ukuran berbeda.',
  RANGE_NOT_SATISFIABLE: 'Bagian berkas yang diminta di luar ukuran berkas.',
  RECIPIENT_INVALID: 'Penerima disposisi harus jabatan aktif di kantor yang sama.',
  POSITION_NOT_HELD: 'Anda tidak (lagi) memegang jabatan yang disebut dalam perubahan ini, sehingga server tidak menerimanya. Periksa jabatan Anda pada admin kantor.',
  DISPOSITION_ROUTE_REFUSED: 'Disposisi hanya dapat ditujukan ke jabatan di bawah Anda dalam struktur organisasi (atau jalur yang diizinkan kantor). Pilih penerima lain.',
  DISPOSITION_NOT_FOUND: 'Disposisi yang dirujuk belum ada di server. Pastikan disposisinya sudah tersinkron lebih dulu.',
  DISPOSITION_NOT_RECIPIENT: 'Jabatan Anda bukan penerima disposisi ini.',
  DISPOSITION_CANCELLED: 'Disposisi ini sudah dibatalkan oleh pengirimnya.',
  DISPOSITION_ALREADY_READ: 'Disposisi ini sudah dibaca penerimanya, sehingga tidak dapat dibatalkan lagi.',
  DISPOSITION_ALREADY_DONE: 'Disposisi ini sudah dilaporkan selesai oleh jabatan Anda.',
  DISPOSITION_HAS_FOLLOW_UP: 'Disposisi ini sudah diteruskan penerimanya, sehingga tidak dapat dibatalkan lagi.',
  POSITION_HAS_SUBORDINATES: 'Masih ada jabatan di bawah jabatan ini: pindahkan atau pensiunkan jabatan di bawahnya lebih dulu.',
  LETTER_DONE: 'Surat ini sudah selesai ditindaklanjuti (semua disposisi dilaporkan selesai), sehingga tidak didisposisikan lagi.',
  DELIVERY_NOT_FOUND: 'Surat kiriman yang dirujuk tidak dikirim ke kantor Anda.',
  DELIVERY_ALREADY_REGISTERED: 'Surat kiriman ini sudah dicatat di agenda kantor Anda oleh meja lain. Catatan di meja ini tidak dikirim; buang di Antrian Sinkron bila memang ganda.',
  OFFICE_NOT_FOUND: 'Kantor tujuan tidak dikenal server.',
  EXTERNAL_NOT_FOUND: 'Penerima di luar sistem ini tidak tercatat untuk surat ini di server. Pastikan pengirimannya sudah tersinkron lebih dulu.',
  LEASE_NOT_FOUND: 'Blok nomor ini tidak dikenal atau bukan milik meja ini.',
  NUMBER_NOT_IN_LEASE: 'Nomor yang dilaporkan tidak termasuk blok nomor ini.',
  NUMBER_ALREADY_USED: 'Nomor ini sudah dipakai surat, sehingga tidak dapat dilaporkan tidak terpakai.',
  NASKAH_LOGO_INVALID: 'Logo kop surat tidak dapat dipakai: harus gambar PNG atau JPEG yang utuh, paling besar 1 MB dan 4000 piksel tiap sisi. Pilih berkas logo lain.',
  NASKAH_VERSION_STALE: 'Kop dan templat naskah kantor ini sudah diubah dari meja lain sejak Anda membukanya. Muat ulang versi terbaru, ulangi perubahan Anda, lalu simpan lagi.',
  DRAFT_NOT_YOURS: 'Konsep surat ini milik pengguna lain, sehingga perubahan dari meja ini tidak disimpan server.',
  DRAFT_NOT_FOUND: 'Konsep surat yang dirujuk belum ada di server kantor Anda. Pastikan konsepnya sudah tersinkron lebih dulu.',
  DRAFT_VERSION_STALE: 'Konsep ini sudah diubah sejak versi yang Anda baca. Buka versi terbarunya lalu putuskan lagi; keputusan Anda belum tercatat.',
  DRAFT_IN_REVIEW: 'Konsep ini sedang diperiksa verifikator, sehingga belum dapat diubah atau diajukan lagi oleh pembuatnya.',
  DRAFT_SIGNED: 'Konsep ini sudah ditandatangani, sehingga tidak dapat diubah, diparaf atau dikembalikan lagi.',
  DRAFT_NASKAH_UNKNOWN: 'Kop dan templat naskah yang dipakai konsep ini bukan milik kantor Anda atau tidak dikenal server kantor, sehingga konsep tidak disimpan server. Buat konsep baru dari templat kantor Anda lalu salin isinya.',
  PARAF_NOT_YOUR_TURN: 'Belum giliran jabatan Anda memaraf konsep ini (atau Anda bukan verifikatornya). Verifikator memaraf sesuai urutan yang dipilih pembuat konsep.',
  PARAF_NOT_PENDING: 'Konsep ini tidak sedang menunggu paraf (sudah dikembalikan atau sudah lengkap parafnya).',
  PARAF_INCOMPLETE: 'Konsep ini belum diparaf semua verifikator, sehingga belum dapat ditandatangani.',
  VERIFIER_INVALID: 'Verifikator harus jabatan aktif di kantor yang sama, paling banyak tiga, tanpa jabatan pembuat konsep.',
  SIGNER_INVALID: 'Penanda tangan harus pejabat penandatangan aktif di kantor yang sama.',
  SIGNER_NOT_AUTHORIZED: 'Anda tidak berwenang menandatangani konsep ini: penanda tangannya pejabat lain.',
  DELEGATION_POSITION_INVALID: 'Jabatan yang didelegasikan harus jabatan aktif di kantor Anda.',
  DELEGATE_OTHER_OFFICE: 'Pelaksana (Plh/Plt) harus pegawai aktif kantor yang sama dengan jabatan yang didelegasikan. Pilih pegawai kantor Anda.',
  DELEGATE_IS_HOLDER: 'Pegawai ini sudah memegang jabatan itu sendiri; pilih pejabat lain sebagai Plh/Plt.',
  DELEGATION_PERIOD_INVALID: 'Masa delegasi tidak sah: tanggal selesai harus sesudah tanggal mulai dan belum lewat.',
  DELEGATION_KIND_MISMATCH: 'Plh untuk jabatan yang pejabatnya berhalangan sementara; Plt untuk jabatan yang kosong. Pilih jenis yang sesuai.',
  DELEGATION_OVERLAP: 'Jabatan ini sudah didelegasikan pada masa yang bertumpang tindih. Akhiri delegasi itu lebih dulu atau pilih masa lain.',
  DELEGATION_NOT_FOUND: 'Delegasi yang dirujuk tidak ada di kantor Anda. Pastikan delegasinya sudah tersinkron lebih dulu.',
  DELEGATION_ALREADY_ENDED: 'Delegasi ini sudah berakhir.',
  SIGNING_NOT_AUTHORIZED: 'Penanda tangan tidak memegang jabatan ini (sebagai pejabat definitif, Plh atau Plt) pada waktu tanda tangan, sehingga server tidak menerima tanda tangannya.',
  SIGNING_STRATEGIC_REFUSED: 'Jenis naskah ini ditetapkan kantor sebagai keputusan strategis (organisasi, kepegawaian atau anggaran), yang tidak boleh ditandatangani Plh/Plt (UU 30/2014 pasal 14). Surat harus ditandatangani pejabat definitif.',
  RATE_LIMITED: 'Terlalu banyak permintaan dari alamat ini. Tunggu sebentar lalu coba lagi.',
  INTERNAL: 'Terjadi kesalahan di server. Tidak ada data yang hilang; coba lagi, dan laporkan ke admin bila berulang.',
} as const;

export type ServerErrorCode = keyof typeof serverMessages;

/**
 * A code of the server's. A code this desk does not know yet (a newer server) reads as INTERNAL:
 * the server's own message still reaches the person.
 */
export const ServerErrorCodeSchema = z.enum(Object.keys(serverMessages) as [ServerErrorCode, ...ServerErrorCode[]]).catch('INTERNAL');

/** The body of every 4xx/5xx answer. */
export const ErrorBody = z.object({
  error: z.object({ code: ServerErrorCodeSchema, message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
