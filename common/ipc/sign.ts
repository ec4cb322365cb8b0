// Tanda Tangan: tokens, signing the letters waiting for an official, and checking the signatures of
// any PDF (Periksa).
import { z } from 'zod';
import { defineContract, Empty, IdSchema, RefusalSchema } from './base.ts';
import { FileRefSchema, UploadIdSchema } from './documents.ts';
import { IncomingLetterFieldsSchema } from './incoming.ts';

const TokenFlagsSchema = z.object({
  loginRequired: z.boolean(), pinInitialized: z.boolean(), pinCountLow: z.boolean(),
  pinFinalTry: z.boolean(), pinLocked: z.boolean(), pinToBeChanged: z.boolean(),
});
export const TokenSummarySchema = z.object({ label: z.string(), serial: z.string(), manufacturer: z.string(), model: z.string(), flags: TokenFlagsSchema });
export type TokenSummaryView = z.infer<typeof TokenSummarySchema>;
export const TokensStateSchema = z.object({
  /** The PKCS#11 module in use, null when none is installed or configured. */
  modulePath: z.string().nullable(),
  modules: z.array(z.object({ name: z.string(), path: z.string() })),
  tokens: z.array(TokenSummarySchema),
  /** Why no token can be listed (module missing, worker down), in Bahasa Indonesia. */
  problem: RefusalSchema.nullable(),
  /** The SoftHSM demo token: offered when no real token driver is installed; its PIN is shown. */
  demo: z.object({ possible: z.boolean(), active: z.boolean(), pin: z.string().nullable() }),
});
export type TokensState = z.infer<typeof TokensStateSchema>;
export const CertificateViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  subject: z.string(),
  commonName: z.string(),
  /** NIK/NIP that Indonesian CAs often put in the subject's serialNumber. */
  subjectSerialNumber: z.string().nullable(),
  issuer: z.string(),
  issuerCommonName: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  keyUsage: z.array(z.string()).nullable(),
  fingerprintSha256: z.string(),
  alwaysAuthenticate: z.boolean(),
  /** Why this certificate may not sign (expired, not yet valid, not for signing, no key); null when it may. */
  refusal: RefusalSchema.nullable(),
});
export type CertificateView = z.infer<typeof CertificateViewSchema>;
export const SignerIdentitySchema = z.object({
  /** The signed-in official; null on a desk without accounts. */
  user: z.object({ name: z.string(), nip: z.string().nullable(), position: z.string().nullable() }).nullable(),
  /** Why this person may not sign here; null when they may. */
  refusal: RefusalSchema.nullable(),
});
export const LetterToSignSchema = z.object({
  id: z.string(), subject: z.string(), addressee: z.string(), createdAt: z.string(), pageCount: z.number().int().nullable(),
});
export const LetterResultSchema = z.object({
  letterId: z.string(),
  subject: z.string(),
  outcome: z.enum(['signed', 'failed', 'waiting']),
  level: z.enum(['B-B', 'B-T', 'B-LT']).nullable(),
  error: RefusalSchema.nullable(),
});
export type LetterResultView = z.infer<typeof LetterResultSchema>;
export const SignatureReportSchema = z.object({
  fieldName: z.string().nullable(),
  signer: z.object({ commonName: z.string(), subjectSerialNumber: z.string().nullable(), issuerCommonName: z.string(), validFrom: z.string(), validTo: z.string() }).nullable(),
  signingTime: z.string().nullable(),
  integrity: z.enum(['intact', 'modified', 'unsupported']),
  coverage: z.enum(['whole', 'signed-later', 'unsigned-additions']),
  trust: z.enum(['trusted', 'untrusted']),
  timestamp: z.object({ time: z.string(), authority: z.string().nullable(), intact: z.boolean(), trust: z.enum(['trusted', 'untrusted']) }).nullable(),
  revocation: z.object({ status: z.enum(['good', 'revoked', 'unknown', 'not-checked']), producedAt: z.string().nullable() }),
  problems: z.array(z.string()),
});
export const ValidationReportSchema = z.object({ fileName: z.string(), documentHash: z.string(), signatures: z.array(SignatureReportSchema), valid: z.boolean() });
export type ValidationReportView = z.infer<typeof ValidationReportSchema>;

export const sign = defineContract({
  channels: {
    /** The module, the tokens present now; starts watching for insertion and removal (sign.tokens.changed). */
    'sign.tokens': { request: Empty, reply: TokensStateSchema },
    /** Makes the demo token (no real token driver installed); answers the tokens state with it. */
    'sign.demo.create': { request: Empty, reply: TokensStateSchema },
    /** C_Login with the PIN typed just now; the PIN is passed on once and kept nowhere. */
    'sign.login': {
      request: z.object({ serial: z.string().min(1), pin: z.string().min(1, 'PIN wajib diisi').max(64) }).strict(),
      reply: z.object({ sessionId: z.string(), token: TokenSummarySchema, certificates: z.array(CertificateViewSchema) }),
    },
    'sign.logout': { request: z.object({ sessionId: z.string() }).strict(), reply: z.null() },
    'sign.identity': { request: Empty, reply: SignerIdentitySchema },
    'sign.letters': { request: Empty, reply: z.array(LetterToSignSchema) },
    /** Signs the letters in order; progress arrives as sign.progress events. `pin` only for keys that ask at every signature. */
    'sign.batch': {
      request: z.object({ sessionId: z.string(), certificateId: z.string(), letterIds: z.array(IdSchema).min(1, 'Pilih paling sedikit satu surat').max(500), pin: z.string().min(1).max(64).optional() }).strict(),
      reply: z.object({ results: z.array(LetterResultSchema) }),
    },
    /** Imports a PDF (sent with documents.upload) as an outgoing letter addressed to a signing official: it is then ready to sign. */
    'sign.outgoing.import': {
      request: z.object({
        uploadId: UploadIdSchema, fileName: z.string().max(255),
        subject: z.string().trim().min(1, 'Perihal wajib diisi').max(500, 'Perihal paling panjang 500 karakter'),
        addressee: z.string().trim().min(1, 'Tujuan wajib diisi').max(200, 'Tujuan paling panjang 200 karakter'),
        signer: z.string().trim().min(1, 'Pilih pejabat penandatangan').max(200),
        /** Kode klasifikasi arsip (as in Catat); required by main when the number template prints {klasifikasi}. */
        classificationCode: IncomingLetterFieldsSchema.shape.classificationCode.optional(),
      }).strict(),
      reply: LetterToSignSchema,
    },
    /** Checks every signature of a dropped PDF (Periksa), sent with documents.upload. */
    'sign.validate': { request: z.object({ uploadId: UploadIdSchema, fileName: z.string().max(255) }).strict(), reply: ValidationReportSchema },
    /** The report of sign.validate as a PDF to save, to read with documents.read. */
    'sign.report.pdf': { request: z.object({ report: ValidationReportSchema }).strict(), reply: FileRefSchema },
  },
  events: {
    'sign.tokens.changed': TokensStateSchema,
    'sign.progress': z.object({ done: z.number().int(), total: z.number().int(), result: LetterResultSchema }),
  },
  errors: {
      TOKEN_MODULE_MISSING: {
        id: 'Driver token (modul PKCS#11) tidak ditemukan di lokasi yang diatur. Pasang driver dari penerbit token atau pilih lokasi modul yang benar di Pengaturan.',
        en: 'The token driver (PKCS#11 module) was not found where it is configured. Install the driver from the token\'s issuer or choose the right module location in Settings.',
      },
      TOKEN_NOT_FOUND: {
        id: 'Token tidak ditemukan. Pastikan token USB sudah tertancap, lalu coba lagi.',
        en: 'No token found. Make sure the USB token is plugged in, then try again.',
      },
      TOKEN_REMOVED: {
        id: 'Token dicabut saat sedang dipakai. Dokumen yang belum selesai ditandatangani tidak diubah; tancapkan kembali token lalu coba lagi.',
        en: 'The token was removed while in use. Documents not yet signed were not changed; plug the token back in and try again.',
      },
      TOKEN_FAILED: {
        id: 'Token menolak perintah. Tidak ada dokumen yang berubah; cabut dan tancapkan kembali token lalu coba lagi.',
        en: 'The token refused the command. No document was changed; unplug and replug the token, then try again.',
      },
      PIN_INCORRECT: {
        id: 'PIN salah. Periksa PIN Anda lalu coba lagi.',
        en: 'Wrong PIN. Check your PIN and try again.',
      },
      PIN_INVALID: {
        id: 'PIN tidak sesuai aturan token (panjang atau jenis karakter). Periksa PIN lalu coba lagi.',
        en: 'The PIN does not meet the token\'s rules (length or characters). Check the PIN and try again.',
      },
      PIN_LOCKED: {
        id: 'Token terkunci karena PIN salah terlalu sering. Hubungi penerbit sertifikat untuk membuka kuncinya; tidak ada dokumen yang berubah.',
        en: 'The token is locked after too many wrong PINs. Contact the certificate issuer to unlock it; no document was changed.',
      },
      CERTIFICATE_EXPIRED: {
        id: 'Sertifikat pada token sudah kedaluwarsa, sehingga tidak dapat dipakai menandatangani. Ajukan pembaruan sertifikat ke penerbitnya.',
        en: 'The certificate on the token has expired and cannot be used for signing. Ask its issuer for a renewal.',
      },
      CERTIFICATE_NOT_YET_VALID: {
        id: 'Sertifikat pada token belum berlaku. Periksa tanggal dan jam komputer, atau tunggu sampai masa berlakunya dimulai.',
        en: 'The certificate on the token is not valid yet. Check the computer\'s date and time, or wait until its validity starts.',
      },
      CERTIFICATE_NOT_FOR_SIGNING: {
        id: 'Sertifikat ini tidak diterbitkan untuk tanda tangan elektronik. Pilih sertifikat penandatanganan pada token.',
        en: 'This certificate was not issued for electronic signatures. Choose the signing certificate on the token.',
      },
      TSA_UNAVAILABLE: {
        id: 'Server stempel waktu (TSA) tidak dapat dihubungi. Surat tetap ditandatangani; stempel waktu ditambahkan otomatis begitu server itu dapat dihubungi lagi.',
        en: 'The timestamp server (TSA) cannot be reached. The letter is still signed; the timestamp is added automatically as soon as that server can be reached again.',
      },
      REVOCATION_UNAVAILABLE: {
        id: 'Status pencabutan sertifikat (OCSP) tidak dapat diperiksa sekarang. Tanda tangan tetap sah; data validasi jangka panjang ditambahkan nanti.',
        en: 'The certificate\'s revocation status (OCSP) cannot be checked now. The signature remains valid; long-term validation data is added later.',
      },
      SIGNER_ROLE_REQUIRED: {
        id: 'Hanya pejabat penandatangan yang dapat menandatangani surat. Masuk dengan akun pejabat penandatangan; tidak ada surat yang berubah.',
        en: 'Only a signing official can sign letters. Sign in with a signing official\'s account; no letter was changed.',
      },
      LETTER_NOT_READY_TO_SIGN: {
        id: 'Surat ini tidak sedang menunggu tanda tangan (mungkin sudah ditandatangani). Muat ulang daftar surat; tidak ada yang berubah.',
        en: 'This letter is not waiting for a signature (it may already be signed). Reload the list of letters; nothing was changed.',
      },
  },
});
