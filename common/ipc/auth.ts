// Sign-in at the desk (Masuk): who works here, online or offline.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

export const SessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  nip: z.string().nullable(),
  position: z.string().nullable(),
  roles: z.array(z.string()),
  officeId: z.string().nullable(),
  officeName: z.string().nullable(),
});
export const DeskSessionSchema = z.object({ user: SessionUserSchema, mode: z.enum(['online', 'offline']), since: z.string() }).nullable();
export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Nama pengguna wajib diisi').max(100),
  password: z.string().min(1, 'Kata sandi wajib diisi').max(1000),
}).strict();

export const auth = defineContract({
  channels: {
    'auth.session': { request: Empty, reply: DeskSessionSchema },
    'auth.login': { request: LoginRequestSchema, reply: DeskSessionSchema },
    'auth.logout': { request: Empty, reply: DeskSessionSchema },
  },
  events: {
    'auth.changed': DeskSessionSchema,
  },
  errors: {
    AUTH_NO_SERVER: {
      id: 'Meja ini belum diatur untuk tersambung ke server, sehingga tidak ada akun untuk masuk. Atur alamat server di Pengaturan.',
      en: 'This desk is not set up to connect to a server, so there is no account to sign in with. Set the server address in Settings.',
    },
    AUTH_REQUIRED: {
      id: 'Silakan masuk terlebih dahulu. Pekerjaan Anda tetap tersimpan di meja ini.',
      en: 'Please sign in first. Your work is kept on this desk.',
    },
    AUTH_SERVER_SIGN_IN: {
      id: 'Server meminta Anda masuk lagi: sesi meja ini sudah diakhiri di server, atau kata sandi yang dipakai saat masuk tanpa server tidak berlaku lagi. Keluar, lalu masuk lagi; pekerjaan Anda tetap tersimpan di meja ini.',
      en: 'The server asks you to sign in again: this desk\'s session was ended on the server, or the password used to sign in without the server is no longer valid. Sign out, then sign in again; your work is kept on this desk.',
    },
    AUTH_INVALID_CREDENTIALS: {
      id: 'Nama pengguna atau kata sandi salah.',
      en: 'Wrong username or password.',
    },
    AUTH_OFFLINE_UNKNOWN: {
      id: 'Server tidak dapat dihubungi, dan akun ini belum pernah masuk di meja ini sehingga tidak dapat diperiksa tanpa server. Masuk saat server dapat dihubungi, atau pakai akun yang pernah masuk di meja ini.',
      en: 'The server cannot be reached, and this account has never signed in on this desk, so it cannot be checked without the server. Sign in when the server is reachable, or use an account that has signed in here before.',
    },
    AUTH_THROTTLED: {
      id: 'Terlalu banyak percobaan masuk yang gagal. Tunggu sebentar lalu coba lagi.',
      en: 'Too many failed sign-in attempts. Wait a moment and try again.',
    },
    AUTH_LOCKED: {
      id: 'Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi nanti atau hubungi admin kantor.',
      en: 'The account is temporarily locked after too many failed sign-in attempts. Try again later or contact your office administrator.',
    },
    AUTH_DISABLED: {
      id: 'Akun ini dinonaktifkan. Hubungi admin kantor Anda.',
      en: 'This account is disabled. Contact your office administrator.',
    },
  },
});
