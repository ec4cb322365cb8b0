// Tanda Tangan: tokens and remote signing services (Cloud Signature Consortium, BSrE), signing the
// letters waiting for an official, and checking the signatures of any PDF (Periksa).
import { z } from 'zod';
import { NikSchema, SigningMethodSchema } from './app.ts';
import { defineContract, Empty, IdSchema, RefusalSchema } from './base.ts';
import { FileRefSchema, UploadIdSchema } from './documents.ts';
import { IncomingLetterFieldsSchema } from './incoming.ts';
import { SecuritySchema } from '../letters.ts';

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
/** A credential at a Cloud Signature Consortium service: its certificate, and what signing asks for. */
export const RemoteCredentialSchema = CertificateViewSchema.extend({
  /** What the official types to authorize a batch (CSC auth objects): a PIN, a one-time password, or both. */
  asks: z.object({ pin: z.boolean(), otp: z.boolean() }),
  /** The most letters one authorization may sign (the service's multisign, at most the desk's own limit). */
  limit: z.number().int().positive(),
});
export type RemoteCredentialView = z.infer<typeof RemoteCredentialSchema>;
const RemoteServiceStateSchema = z.object({
  /** The service address (Pengaturan's, else the environment's); '' when none. */
  url: z.string(),
  /** The client ID the desk is registered with; the secret itself never leaves main. */
  clientId: z.string().nullable(),
  secretSaved: z.boolean(),
  /** The address and client credentials come from the environment, not from Pengaturan. */
  fromEnvironment: z.boolean(),
});
export const SigningServicesSchema = z.object({
  /** How the signed-in official (or this desk, without accounts) signs, as chosen in Pengaturan. */
  official: z.object({ name: z.string().nullable(), method: SigningMethodSchema, nik: z.string().nullable() }),
  csc: RemoteServiceStateSchema,
  bsre: RemoteServiceStateSchema,
});
export type SigningServices = z.infer<typeof SigningServicesSchema>;
const LetterIdsSchema = z.array(IdSchema).min(1, 'Pilih paling sedikit satu surat').max(500);
const secret = (what: string) => z.string().min(1, `${what} wajib diisi`).max(128, `${what} terlalu panjang`);
const OtpSchema = z.string().regex(/^\d{4,10}$/, 'Kode OTP berupa 4–10 angka');

export const SignerIdentitySchema = z.object({
  /** The signed-in official; null on a desk without accounts. */
  user: z.object({ name: z.string(), nip: z.string().nullable(), position: z.string().nullable() }).nullable(),
  /** Why this person may not sign here; null when they may. */
  refusal: RefusalSchema.nullable(),
  /** The verification page the stamp's QR code opens; null when the desk knows none (no server, none in Pengaturan). */
  verificationUrl: z.string().nullable(),
});
export const StampPlaceSchema = z.object({
  /**
   * Why it goes there: the template's anchor text; the place the official chose for this letter; the
   * place chosen before for a letter of the same layout (template and sender); below the last text;
   * none of these (a scan): the official must drag it first, and the place given is only a start.
   */
  source: z.enum(['anchor', 'letter', 'layout', 'belowText', 'none']),
  /** 1-based page; the stamp's lower-left corner and size, and the page's size, in PDF points. */
  page: z.number().int().min(1), x: z.number(), y: z.number(), width: z.number(), height: z.number(),
  pageWidth: z.number(), pageHeight: z.number(),
});
export type StampPlaceView = z.infer<typeof StampPlaceSchema>;
export const LetterToSignSchema = z.object({
  id: z.string(), subject: z.string(), addressee: z.string(), createdAt: z.string(), pageCount: z.number().int().nullable(),
  /** The official the letter waits for, by name (not a username). */
  signerName: z.string().nullable(),
  /** The draft it was made from after every paraf (its trail opens at #/beranda/paraf/<id>); null for an imported letter. */
  draftId: z.string().nullable().optional(),
  /** The PDF to preview before signing (letters.pdf). */
  documentHash: z.string().nullable(),
  /** Where its stamp will go (source 'none': the official must drag it to the signature block first); null without a PDF. */
  stamp: StampPlaceSchema.nullable(),
  /** How the signature block will read when the signed-in person signs it ("Plh. Kepala Dinas Kesehatan"); null for an imported letter. */
  signingAs: z.string().nullable().optional(),
  /**
   * Why the signed-in person may not sign it now, known at this desk (a Plh/Plt's delegation over, a
   * type the office marks strategic); shown at the letter before anyone types a PIN.
   */
  refusal: RefusalSchema.nullable().optional(),
});
export type LetterToSignView = z.infer<typeof LetterToSignSchema>;

/** A letter signed at this desk whose signature the server refused, with the server's reason; the signed file stays on the desk. */
export const RefusedSignatureSchema = z.object({
  letterId: z.string(), subject: z.string(), letterNumber: z.string().nullable(), draftId: z.string().nullable(), code: z.string(), reason: z.string(), at: z.string(),
});
export type RefusedSignatureView = z.infer<typeof RefusedSignatureSchema>;
export const LetterResultSchema = z.object({
  letterId: z.string(),
  subject: z.string(),
  outcome: z.enum(['signed', 'failed', 'waiting']),
  level: z.enum(['B-B', 'B-T', 'B-LT']).nullable(),
  error: RefusalSchema.nullable(),
});
export type LetterResultView = z.infer<typeof LetterResultSchema>;
/** A change to the document after a signature: the page it shows on and the object, when known, and what it is. */
const DocumentChangeSchema = z.object({ page: z.number().int().nullable(), object: z.number().int().nullable(), description: z.string() });
const VerdictSchema = z.enum(['valid', 'warning', 'indeterminate', 'invalid']);
export const SignatureReportSchema = z.object({
  /** A person's signature, or a document timestamp (a TSA vouching that the document existed then). */
  kind: z.enum(['signature', 'document-timestamp']),
  fieldName: z.string().nullable(),
  signer: z.object({ commonName: z.string(), subjectSerialNumber: z.string().nullable(), issuerCommonName: z.string(), validFrom: z.string(), validTo: z.string() }).nullable(),
  signingTime: z.string().nullable(),
  integrity: z.enum(['intact', 'modified', 'unsupported']),
  /** whole: nothing after it; allowed-additions: only validation data, timestamps, signatures after it; changed; unknown (damaged file). */
  coverage: z.enum(['whole', 'allowed-additions', 'changed', 'unknown']),
  additions: z.array(z.enum(['validation-data', 'signature', 'document-timestamp', 'signature-field'])),
  /** Changes after signing no rule allows (at most the first 100). */
  changes: z.array(DocumentChangeSchema),
  /** Changes the certification signature allows (form filling, annotations). */
  permittedChanges: z.array(DocumentChangeSchema),
  trust: z.enum(['trusted', 'untrusted']),
  timestamp: z.object({ time: z.string(), authority: z.string().nullable(), intact: z.boolean(), trust: z.enum(['trusted', 'untrusted']) }).nullable(),
  revocation: z.object({ status: z.enum(['good', 'revoked', 'unknown', 'not-checked']), producedAt: z.string().nullable() }),
  /** valid only when integrity, chain and every timestamp hold and nothing needs a look. */
  verdict: VerdictSchema,
  /** Why it is not valid, in Bahasa Indonesia. */
  problems: z.array(z.string()),
  /** What needs a look though it holds. */
  warnings: z.array(z.string()),
});
export const ValidationReportSchema = z.object({
  fileName: z.string(),
  documentHash: z.string(),
  /** The document's verdict: the worst of its signatures; unsigned: no signature; unreadable: not a PDF, too large, damaged beyond reading. */
  verdict: z.union([VerdictSchema, z.enum(['unsigned', 'unreadable'])]),
  document: z.object({ state: z.enum(['readable', 'not-pdf', 'truncated', 'damaged', 'too-large', 'too-complex']), problem: z.string().nullable() }),
  signatures: z.array(SignatureReportSchema),
  warnings: z.array(z.string()),
  /** The green verdict. */
  valid: z.boolean(),
});
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
    /**
     * Asked before any PIN, OTP or passphrase: refuses (SIGNING_NOT_AUTHORIZED, with the reason) when the
     * desk already knows the signed-in person may not sign every one of these letters now (a Plh/Plt
     * whose period is over or not begun); null when signing may go ahead.
     */
    'sign.check': { request: z.object({ letterIds: LetterIdsSchema }).strict(), reply: z.null() },
    /** The letters signed here whose signature the server refused, with its reason (they also wait in Antrian Sinkron). */
    'sign.refused': { request: Empty, reply: z.array(RefusedSignatureSchema) },
    /**
     * Voids (batal) a letter signed here whose signature the server refused — a draft signed twice, a
     * signature outside the signer's authority — with the person's reason: its number stays in the
     * outgoing book as batal, the server and the QR page learn of it, and its refused entries leave
     * Antrian Sinkron as dealt with.
     */
    'sign.void': {
      request: z.object({ letterId: IdSchema, reason: z.string().trim().min(1, 'Alasan pembatalan wajib diisi').max(500, 'Alasan pembatalan paling panjang 500 karakter') }).strict(),
      reply: z.null(),
    },
    /**
     * Signs the letters in order; progress arrives as sign.progress events. With a token: `pin` only
     * for keys that ask at every signature. With a remote service: the PIN/OTP or passphrase/TOTP
     * typed just now authorizes the whole batch once and is kept nowhere.
     */
    'sign.batch': {
      request: z.union([
        z.object({ sessionId: z.string(), certificateId: z.string(), letterIds: LetterIdsSchema, pin: z.string().min(1).max(64).optional() }).strict(),
        z.object({ service: z.literal('csc'), sessionId: z.string(), credentialId: z.string().min(1).max(500), letterIds: LetterIdsSchema, pin: secret('PIN').optional(), otp: OtpSchema.optional() }).strict(),
        z.object({ service: z.literal('bsre'), letterIds: LetterIdsSchema, passphrase: secret('Passphrase').optional(), totp: z.string().regex(/^\d{6,8}$/, 'Kode TOTP berupa 6–8 angka').optional() }).strict()
          .refine((r) => (r.passphrase === undefined) !== (r.totp === undefined), { message: 'Isi passphrase atau kode TOTP (salah satu)', path: ['passphrase'] }),
      ]),
      reply: z.object({ results: z.array(LetterResultSchema) }),
    },
    /** The remote signing services this desk knows and how the signed-in official signs. */
    'sign.services': { request: Empty, reply: SigningServicesSchema },
    /**
     * Saves a service's client credentials in the desk's secret store (an empty client ID removes
     * them; a secret left out keeps the saved one). Never written to settings or logs.
     */
    'sign.services.client': {
      request: z.object({ service: z.enum(['csc', 'bsre']), clientId: z.string().trim().max(200, 'Client ID terlalu panjang'), clientSecret: z.string().max(500, 'Client secret terlalu panjang').optional() }).strict(),
      reply: SigningServicesSchema,
    },
    /** How the signed-in official signs (Pengaturan); BSrE needs their NIK. */
    'sign.method.save': {
      request: z.object({ method: SigningMethodSchema, nik: z.union([z.literal(''), NikSchema]).optional() }).strict()
        .refine((r) => r.method !== 'bsre' || (r.nik ?? '') !== '', { message: 'NIK wajib diisi untuk tanda tangan BSrE', path: ['nik'] }),
      reply: SigningServicesSchema,
    },
    /**
     * Starts signing in to the CSC service (OAuth2 authorization code with PKCE): the page to open in
     * the browser; the desk waits for its redirect on a loopback address.
     */
    'sign.csc.login': { request: Empty, reply: z.object({ loginId: z.string(), authorizationUrl: z.string(), serviceName: z.string() }) },
    /** Waits for the sign-in started by sign.csc.login to come back; answers the official's credentials. */
    'sign.csc.session': {
      request: z.object({ loginId: z.string() }).strict(),
      reply: z.object({ sessionId: z.string(), serviceName: z.string(), credentials: z.array(RemoteCredentialSchema) }),
    },
    'sign.csc.logout': { request: z.object({ sessionId: z.string() }).strict(), reply: z.null() },
    /** The official's certificate at BSrE, by the NIK saved in Pengaturan: who, valid until when, or why it may not sign. */
    'sign.bsre.status': {
      request: Empty,
      reply: z.object({ nik: z.string().nullable(), certificate: CertificateViewSchema.nullable(), refusal: RefusalSchema.nullable() }),
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
        /** Klasifikasi keamanan: what the letter's public verification page may show of it (default biasa). */
        security: SecuritySchema.optional(),
      }).strict(),
      reply: LetterToSignSchema,
    },
    /** The official dragged the stamp of a letter without an anchor: remembered for it and for letters of its layout. */
    'sign.stamp.place': {
      request: z.object({ letterId: IdSchema, page: z.number().int().min(1).max(10_000), x: z.number().min(-10_000).max(10_000), y: z.number().min(-10_000).max(10_000) }).strict(),
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
      REMOTE_SERVICE_NOT_CONFIGURED: {
        id: 'Layanan tanda tangan jarak jauh ini belum diatur di meja ini. Minta admin mengisi alamat dan kredensial aplikasinya di Pengaturan → Tanda tangan elektronik; sementara itu tanda tangani dengan token USB.',
        en: 'This remote signing service is not set up on this desk. Ask the administrator to enter its address and client credentials in Settings → Electronic signature; meanwhile sign with a USB token.',
      },
      REMOTE_SERVICE_UNREACHABLE: {
        id: 'Layanan tanda tangan jarak jauh tidak dapat dihubungi. Tidak ada yang berubah: surat tetap menunggu tanda tangan. Coba lagi nanti, atau tanda tangani dengan token USB.',
        en: 'The remote signing service cannot be reached. Nothing was changed: the letters are still waiting for a signature. Try again later, or sign with a USB token.',
      },
      REMOTE_SERVICE_REFUSED: {
        id: 'Layanan tanda tangan menolak permintaan ini. Tidak ada yang berubah: surat tetap menunggu tanda tangan.',
        en: 'The signing service refused this request. Nothing was changed: the letters are still waiting for a signature.',
      },
      REMOTE_CLIENT_REJECTED: {
        id: 'Layanan tanda tangan menolak kredensial aplikasi meja ini (client ID atau client secret). Tidak ada yang berubah; minta admin memeriksanya di Pengaturan.',
        en: 'The signing service rejected this desk\'s client credentials (client ID or client secret). Nothing was changed; ask the administrator to check them in Settings.',
      },
      REMOTE_PIN_INCORRECT: {
        id: 'PIN sertifikat di layanan tanda tangan salah. Tidak ada yang berubah: surat tetap menunggu. Periksa PIN lalu coba lagi.',
        en: 'The certificate PIN at the signing service is wrong. Nothing was changed: the letters are still waiting. Check the PIN and try again.',
      },
      REMOTE_OTP_INCORRECT: {
        id: 'Kode OTP salah atau sudah kedaluwarsa. Tidak ada yang berubah: surat tetap menunggu. Masukkan kode yang baru lalu coba lagi.',
        en: 'The one-time code is wrong or has expired. Nothing was changed: the letters are still waiting. Enter a fresh code and try again.',
      },
      REMOTE_PASSPHRASE_INCORRECT: {
        id: 'Passphrase tanda tangan elektronik salah. Tidak ada yang berubah: surat tetap menunggu. Periksa passphrase lalu coba lagi.',
        en: 'The electronic signature passphrase is wrong. Nothing was changed: the letters are still waiting. Check the passphrase and try again.',
      },
      REMOTE_CREDENTIAL_LOCKED: {
        id: 'Sertifikat Anda di layanan tanda tangan terkunci (PIN atau passphrase salah terlalu sering, atau dibekukan penerbit). Hubungi penerbit sertifikat untuk membukanya; surat tetap menunggu dan dapat ditandatangani dengan token USB.',
        en: 'Your certificate at the signing service is locked (too many wrong PINs or passphrases, or suspended by the issuer). Contact the certificate issuer to unlock it; the letters are still waiting and can be signed with a USB token.',
      },
      REMOTE_CONSENT_REFUSED: {
        id: 'Izin untuk Loket ditolak di halaman layanan tanda tangan. Tidak ada yang berubah; masuk lagi dan pilih Izinkan bila ingin menandatangani lewat layanan ini.',
        en: 'Permission for Loket was refused on the signing service\'s page. Nothing was changed; sign in again and choose Allow to sign through this service.',
      },
      REMOTE_LOGIN_EXPIRED: {
        id: 'Halaman masuk layanan tanda tangan tidak diselesaikan tepat waktu. Tidak ada yang berubah; klik Masuk ke layanan lagi.',
        en: 'The signing service\'s sign-in page was not completed in time. Nothing was changed; click Sign in to the service again.',
      },
      REMOTE_SESSION_EXPIRED: {
        id: 'Sesi ke layanan tanda tangan sudah berakhir. Masuk ke layanan lagi; tidak ada surat yang berubah.',
        en: 'The session with the signing service has ended. Sign in to the service again; no letter was changed.',
      },
      REMOTE_SIGNER_UNKNOWN: {
        id: 'NIK ini tidak terdaftar sebagai pemilik sertifikat elektronik di layanan. Periksa NIK di Pengaturan, atau ajukan sertifikat ke penerbitnya; surat tetap menunggu.',
        en: 'This NIK is not registered as a certificate holder at the service. Check the NIK in Settings, or apply for a certificate; the letters are still waiting.',
      },
      REMOTE_SIGNATURE_INVALID: {
        id: 'Layanan tanda tangan mengembalikan tanda tangan yang tidak cocok dengan surat ini, sehingga tidak dipakai. Surat tetap menunggu tanda tangan; laporkan ke admin bila berulang.',
        en: 'The signing service returned a signature that does not match this letter, so it was not used. The letter is still waiting for a signature; tell the administrator if it happens again.',
      },
      REMOTE_BATCH_LIMIT: {
        id: 'Layanan tanda tangan membatasi jumlah surat dalam satu otorisasi. Surat ini tetap menunggu; tanda tangani lagi setelah yang lain selesai.',
        en: 'The signing service limits how many letters one authorization may sign. This letter is still waiting; sign it again once the others are done.',
      },
      SIGNING_NOT_AUTHORIZED: {
        id: 'Anda tidak berwenang menandatangani surat ini sekarang (bukan pejabat penanda tangannya, atau masa Plh./Plt. Anda belum dimulai atau sudah berakhir). Surat tetap menunggu; tidak ada yang berubah.',
        en: 'You may not sign this letter now (you are not its signing official, or your term as Plh./Plt. has not begun or is over). The letter is still waiting; nothing was changed.',
      },
      SIGNING_STRATEGIC_REFUSED: {
        id: 'Jenis naskah ini ditetapkan kantor sebagai keputusan strategis, yang tidak boleh ditandatangani Plh./Plt. (UU 30/2014 pasal 14). Surat tetap menunggu tanda tangan pejabat definitif; tidak ada yang berubah.',
        en: 'The office marks this document type as a strategic decision, which a Plh./Plt. may not sign (Law 30/2014 art. 14). The letter waits for the definitive official; nothing was changed.',
      },
      LETTER_NOT_READY_TO_SIGN: {
        id: 'Surat ini tidak sedang menunggu tanda tangan (mungkin sudah ditandatangani). Muat ulang daftar surat; tidak ada yang berubah.',
        en: 'This letter is not waiting for a signature (it may already be signed). Reload the list of letters; nothing was changed.',
      },
      STAMP_PLACE_NEEDED: {
        id: 'Letak tanda tangan pada surat ini belum ditentukan (surat tidak punya penanda tempat tanda tangan maupun teks untuk dijadikan patokan). Seret kotak tanda tangan di pratinjau ke blok tanda tangan, lalu tandatangani lagi. Surat ini tidak diubah.',
        en: 'Where the signature goes on this letter is not set yet (it has no signature marker and no text to go by). Drag the signature box in the preview to the signature block, then sign again. This letter was not changed.',
      },
      NUMBER_PLACE_MISSING: {
        id: 'Tempat nomor surat tidak ditemukan di PDF ini, sehingga nomor tidak dapat dituliskan pada surat. Tulis ${nomor} atau "Nomor : ......" di tempat nomor surat pada templat, simpan lagi sebagai PDF, lalu impor ulang. Tidak ada yang berubah.',
        en: 'No place for the letter number was found in this PDF, so the number cannot be written on the letter. Put ${nomor} or "Nomor : ......" where the number goes in the template, save it as PDF again and import it again. Nothing was changed.',
      },
  },
});
