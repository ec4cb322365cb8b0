// The desk's data file: whether it can be trusted (checked when the desk starts and in full in the
// background), the copies the desk keeps of it, and what the admin kantor may do with a damaged one:
// restore the last copy, or start afresh from the server.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

export const StorageStatusSchema = z.object({
  /** checking: the full check is still running; damaged: the file cannot be trusted. */
  state: z.enum(['ok', 'checking', 'damaged']),
  /** False while the desk waits for the admin to recover (it was damaged when the desk started). */
  deskRunning: z.boolean(),
  /** What is wrong with the file, in Bahasa Indonesia; null when nothing is. */
  problem: z.string().nullable(),
  /** When the last full check finished without finding anything. */
  checkedAt: z.string().nullable(),
  /** Copies of the data file that passed the full check, newest first. */
  backups: z.array(z.object({ id: z.string(), takenAt: z.string() })),
  /** A server is known to start afresh from. */
  canResync: z.boolean(),
  /**
   * Only the admin kantor may recover (the desk has a server, so it has accounts and roles). When the
   * desk is not running nobody is signed in, and the request carries the admin kantor's sign-in.
   */
  adminOnly: z.boolean(),
});
export type StorageStatus = z.infer<typeof StorageStatusSchema>;

/** The admin kantor's own sign-in, given on the recovery screen of a desk that could not start. */
export const RecoveryAdminSchema = z.object({
  username: z.string().trim().min(1, 'Nama pengguna wajib diisi').max(100),
  password: z.string().min(1, 'Kata sandi wajib diisi').max(1000),
}).strict();
export type RecoveryAdmin = z.infer<typeof RecoveryAdminSchema>;

export const storage = defineContract({
  channels: {
    'storage.status': { request: Empty, reply: StorageStatusSchema },
    /**
     * Sets a damaged data file aside (kept for support, never deleted) and starts the desk again on
     * the copy chosen, or on a new file filled from the server with this desk's settings and identity.
     */
    'storage.recover': {
      request: z.discriminatedUnion('action', [
        z.object({ action: z.literal('restore'), backupId: z.string().regex(/^loket-[\w-]+\.db$/, 'Cadangan tidak dikenal'), admin: RecoveryAdminSchema.optional() }).strict(),
        z.object({ action: z.literal('resync'), admin: RecoveryAdminSchema.optional() }).strict(),
      ]),
      reply: StorageStatusSchema,
    },
  },
  events: {
    'storage.changed': StorageStatusSchema,
  },
  errors: {
    DATA_FOLDER_IN_USE: {
      id: 'Data Loket di komputer ini sedang dipakai oleh Loket lain yang masih terbuka. Tutup Loket yang lain itu (atau mulai ulang komputer) lalu buka lagi; dua Loket tidak boleh memakai data yang sama.',
      en: 'Loket\'s data on this computer is in use by another Loket that is still open. Close that other Loket (or restart the computer) and open it again; two Lokets must not use the same data.',
    },
    STORAGE_ADMIN_REQUIRED: {
      id: 'Hanya admin kantor yang dapat memulihkan data meja ini. Minta admin kantor masuk (atau mengisi nama pengguna dan kata sandinya di layar ini); tidak ada yang berubah.',
      en: 'Only the office administrator can recover this desk\'s data. Ask the office administrator to sign in (or to enter their username and password on this screen); nothing was changed.',
    },
    STORAGE_RECOVERY_FAILED: {
      id: 'Pemulihan data tidak berhasil. Berkas data yang rusak tetap disimpan; hubungi dukungan teknis dengan berkas log.',
      en: 'Recovering the data did not succeed. The damaged data file is kept; contact technical support with the log file.',
    },
  },
});
