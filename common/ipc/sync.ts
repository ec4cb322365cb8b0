// Sync with the central server (Antrian Sinkron): the outbox's state, what waits and why, and what a
// person may do with an entry the server refused.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

const QueueCountsSchema = z.object({ pending: z.number().int(), in_progress: z.number().int(), failed: z.number().int(), rejected: z.number().int() });
export const UploadProgressSchema = z.object({ sha256: z.string(), sent: z.number().int().nonnegative(), total: z.number().int().nonnegative() });
export const SyncStatusSchema = z.object({
  /**
   * idle: the last round reached the server, nothing to do until the next one; waiting: retrying after a
   * failure (see nextAttemptAt); sign-in-needed: the server wants the signed-in person to sign in again.
   */
  state: z.enum(['unconfigured', 'signed-out', 'sign-in-needed', 'idle', 'syncing', 'waiting']),
  server: z.string().nullable(),
  counts: QueueCountsSchema,
  uploads: z.array(UploadProgressSchema),
  lastSyncAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;
export const QueueItemSchema = z.object({
  seq: z.number().int(),
  mutationId: z.string(),
  entity: z.string(),
  entityId: z.string(),
  op: z.string(),
  /** What a person recognises: the letter's subject and agenda number. */
  title: z.string(),
  state: z.enum(['pending', 'in_progress', 'failed', 'rejected', 'done']),
  attempts: z.number().int(),
  createdAt: z.string(),
  problem: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  upload: UploadProgressSchema.nullable(),
  /** Whether "Ubah" applies: a rejected letter whose fields a person can correct. */
  editable: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;
const QueueSeq = z.object({ seq: z.number().int().min(1) }).strict();
/** The letter fields the server checks, correctable from Antrian Sinkron before sending again. */
export const QueueEditSchema = z.object({
  seq: z.number().int().min(1),
  changes: z.object({
    letterNumber: z.string().trim().min(1, 'Nomor surat wajib diisi').max(200).optional(),
    letterDate: z.iso.date({ error: 'Tanggal surat harus berformat TTTT-BB-HH' }).optional(),
    sender: z.string().trim().min(1, 'Pengirim wajib diisi').max(500).optional(),
    subject: z.string().trim().min(1, 'Perihal wajib diisi').max(1000).optional(),
    summary: z.string().trim().max(5000).optional(),
  }).strict(),
}).strict();

/** The agency's CA certificate the desk trusts for its server: none (the system's roots), kept from Pengaturan, or given at launch. */
export const ServerCaSchema = z.object({
  source: z.enum(['none', 'settings', 'option']),
  /** The launch option's file (source 'option'); the one kept from Pengaturan lives in the data folder. */
  file: z.string().nullable(),
  certificates: z.array(z.object({
    subject: z.string(), issuer: z.string(), validFrom: z.string(), validTo: z.string(), expired: z.boolean(), isCa: z.boolean(), fingerprint: z.string(),
  })),
});
export type ServerCa = z.infer<typeof ServerCaSchema>;

export const sync = defineContract({
  channels: {
    'sync.status': { request: Empty, reply: SyncStatusSchema },
    'sync.now': { request: Empty, reply: SyncStatusSchema },
    'sync.queue': { request: Empty, reply: z.object({ items: z.array(QueueItemSchema) }) },
    'sync.retry': { request: QueueSeq, reply: QueueItemSchema },
    'sync.discard': { request: QueueSeq, reply: QueueItemSchema },
    'sync.edit': { request: QueueEditSchema, reply: QueueItemSchema },
    'sync.serverCa': { request: Empty, reply: ServerCaSchema },
    /** The file the admin picked, as base64 (a CA bundle is a few kilobytes). */
    'sync.serverCa.set': { request: z.object({ contentBase64: z.string().min(1).max(700_000) }).strict(), reply: ServerCaSchema },
    'sync.serverCa.clear': { request: Empty, reply: ServerCaSchema },
  },
  events: {
    'sync.changed': SyncStatusSchema,
  },
  errors: {
    SERVER_INSECURE: {
      id: 'Alamat server harus memakai https://. Sambungan tanpa enkripsi hanya diizinkan ke komputer ini sendiri (pengembangan).',
      en: 'The server address must use https://. Unencrypted connections are allowed only to this computer itself (development).',
    },
    SERVER_UNREACHABLE: {
      id: 'Server tidak dapat dihubungi. Pekerjaan tetap tersimpan di meja ini dan dikirim otomatis saat server dapat dihubungi lagi.',
      en: 'The server cannot be reached. Work stays on this desk and is sent automatically when the server can be reached again.',
    },
    SERVER_TLS_UNTRUSTED: {
      id: 'Sertifikat server tidak diterbitkan oleh otoritas (CA) yang dipercaya meja ini. Sambungan ditolak demi keamanan; minta admin memeriksa berkas CA instansi yang diatur untuk meja ini.',
      en: 'The server\'s certificate was not issued by an authority (CA) this desk trusts. The connection was refused for safety; ask your administrator to check the agency CA file configured for this desk.',
    },
    SERVER_TLS_EXPIRED: {
      id: 'Sertifikat server sudah kedaluwarsa atau belum berlaku. Sambungan ditolak demi keamanan; periksa jam komputer ini atau minta admin memperbarui sertifikat server.',
      en: 'The server\'s certificate has expired or is not valid yet. The connection was refused for safety; check this computer\'s clock or ask your administrator to renew the server certificate.',
    },
    SERVER_TLS_HOSTNAME: {
      id: 'Sertifikat server dibuat untuk alamat lain, bukan alamat yang diatur di meja ini. Sambungan ditolak demi keamanan; periksa alamat server di Pengaturan.',
      en: 'The server\'s certificate was made for another address than the one configured on this desk. The connection was refused for safety; check the server address in Settings.',
    },
    SERVER_CA_INVALID: {
      id: 'Berkas ini bukan sertifikat (PEM atau DER). Pilih berkas sertifikat CA yang diberikan pengelola server instansi, biasanya berakhiran .pem, .crt atau .cer.',
      en: 'This file is not a certificate (PEM or DER). Pick the CA certificate file given by the agency\'s server administrator, usually ending in .pem, .crt or .cer.',
    },
    SERVER_TLS_PURPOSE: {
      id: 'Sertifikat server tidak dibuat untuk server (kegunaannya, misalnya hanya untuk klien atau tanda tangan, tidak mencakup server web). Sambungan ditolak demi keamanan; minta admin memasang sertifikat server yang benar.',
      en: 'The server\'s certificate was not made for a server (its purpose, e.g. client or signing only, does not include web server). The connection was refused for safety; ask your administrator to install the right server certificate.',
    },
    SERVER_TLS_WEAK: {
      id: 'Sertifikat server memakai pengamanan yang sudah lemah (tanda tangan SHA-1 atau kunci RSA di bawah 2048 bit). Sambungan ditolak demi keamanan; minta admin menerbitkan ulang sertifikat server.',
      en: 'The server\'s certificate uses protection that is no longer strong enough (a SHA-1 signature or an RSA key below 2048 bits). The connection was refused for safety; ask your administrator to reissue the server certificate.',
    },
    SERVER_TLS_CA_CERT: {
      id: 'Server memakai sertifikat otoritas (CA), bukan sertifikat server. Sambungan ditolak demi keamanan; minta admin memasang sertifikat server yang diterbitkan oleh CA tersebut.',
      en: 'The server presents an authority (CA) certificate instead of a server certificate. The connection was refused for safety; ask your administrator to install a server certificate issued by that CA.',
    },
    SERVER_TLS_REFUSED: {
      id: 'Sambungan aman ke server ditolak karena sertifikat atau pengaturan TLS server tidak dapat diterima. Pekerjaan tetap tersimpan di meja ini; minta admin memeriksa sertifikat server (rinciannya ada di log).',
      en: 'The secure connection to the server was refused because the server\'s certificate or TLS setup cannot be accepted. Work stays on this desk; ask your administrator to check the server certificate (details are in the log).',
    },
    SERVER_CA_UNREADABLE: {
      id: 'Berkas CA instansi yang diatur untuk meja ini tidak dapat dibaca. Periksa lokasi berkas CA.',
      en: 'The agency CA file configured for this desk cannot be read. Check where the CA file is.',
    },
    SERVER_REPLY_INVALID: {
      id: 'Jawaban server tidak sesuai dengan yang dikenal Loket di meja ini (versi server dan meja mungkin berbeda, atau perangkat jaringan mengubah jawabannya). Tidak ada yang hilang: pekerjaan tetap tersimpan di meja ini dan dikirim lagi nanti. Bila terus berulang, laporkan ke admin.',
      en: 'The server\'s answer does not match what Loket on this desk knows (the server and desk versions may differ, or a network device altered the answer). Nothing is lost: work stays on this desk and is sent again later. If it keeps happening, tell your administrator.',
    },
    SERVER_REFUSED: {
      id: 'Server menolak permintaan ini. Tidak ada yang hilang dari meja ini.',
      en: 'The server refused this request. Nothing was lost on this desk.',
    },
    SYNC_ENTRY_NOT_ACTIONABLE: {
      id: 'Antrean ini sudah berubah (mungkin sudah terkirim atau sedang dikirim). Muat ulang Antrian Sinkron.',
      en: 'This queue entry has changed (it may have been sent or be sending). Reload the sync queue.',
    },
  },
});
