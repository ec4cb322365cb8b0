// A client for a BSrE-style signing service: the certificate authority of Indonesian officials
// (BSrE/BSSN) keeps the key, and the official authorizes with their NIK and passphrase, or a TOTP
// code from the authenticator app. BSrE's API reference is given to agencies under agreement, not
// published; this follows what its public clients show and names the rest as assumptions:
//   POST oauth2/token                  client_credentials, Basic client_id:secret     (public clients)
//   GET  api/user/status/{nik}         { status_code, status: ISSUE|EXPIRED|SUSPEND|REVOKE|NOT_REGISTERED, message }
//                                      (the esign client service's call; the status names are assumed)
//   GET  api/user/certificate/{nik}    { certificate_chain: [base64 DER] }             (assumed: the desk
//                                      prepares the PDF for the certificate before anything is signed)
//   POST api/entity/sign/hash/pdf      { nik, passphrase | totp, signaturePropertiesHashMap: { i: {
//                                      documentDigestBase64, signatureLevel, … } } } → { data: {
//                                      cmsSignedDataHashMap: { i: base64 CMS } } }  (API v2's hash signing)
//   refusals                           4xx { error, status_code }: 2011 NIK not registered, 2031 wrong
//                                      passphrase (public clients); a locked account is recognised by its
//                                      words (assumed).
// Hash-only: the service gets each letter's document digest and builds the CMS itself (PAdES
// baseline B, no visible signature: the desk draws the stamp). Its verify call would upload the
// signed PDF, so the desk checks the returned CMS itself and Periksa validates locally.
import { z } from 'zod';
import { describeCertificate, signingRefusal } from '../../../common/certificate.ts';
import { AppError } from '../../../common/errors.ts';
import type { CmsSigner } from '../../../common/signer.ts';
import { serviceWords, ServiceRefusal, signingServiceClient, type ServiceEndpoint } from './service-client.ts';

export interface BsreConfig extends ServiceEndpoint {
  url: string;
  clientId: string;
  clientSecret: string;
}

/** The official's secret for one batch: the passphrase, or a TOTP code instead. */
export type BsreSecret = { passphrase: string } | { totp: string };

/** How many letters one request may carry (assumed; the service's limit is not published). */
export const bsreLettersPerRequest = 50;

const TokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });
const StatusSchema = z.object({ status_code: z.number().optional(), status: z.string(), message: z.string().optional() });
const CertificateSchema = z.object({ certificate_chain: z.array(z.string()).min(1) });
const SignSchema = z.object({ data: z.object({ cmsSignedDataHashMap: z.record(z.string(), z.string().nullable()) }) });

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('REMOTE_SERVICE_REFUSED', `Jawaban layanan BSrE (${what}) tidak dikenali, sehingga tidak dipakai. Tidak ada yang berubah.`, { what });
  return result.data;
}

function refusalOf(err: unknown, secret?: BsreSecret): unknown {
  if (!(err instanceof ServiceRefusal)) return err;
  const body = (typeof err.body === 'object' && err.body !== null ? err.body : {}) as Record<string, unknown>;
  const code = typeof body.status_code === 'number' ? body.status_code : null;
  const words = serviceWords(body.error ?? body.message ?? (typeof err.body === 'string' ? err.body : null));
  const details = { status: err.status, statusCode: code };
  if (err.status === 401 && code === null) return new AppError('REMOTE_CLIENT_REJECTED', undefined, details);
  if (code === 2011 || /tidak terdaftar|not registered/i.test(words ?? '')) return new AppError('REMOTE_SIGNER_UNKNOWN', undefined, details);
  if (/terkunci|dibekukan|locked|suspend/i.test(words ?? '')) return new AppError('REMOTE_CREDENTIAL_LOCKED', undefined, details);
  if (code === 2031 || /passphrase|totp|otp/i.test(words ?? '')) return new AppError(secret && 'totp' in secret ? 'REMOTE_OTP_INCORRECT' : 'REMOTE_PASSPHRASE_INCORRECT', undefined, details);
  if (/kedaluwarsa|expired/i.test(words ?? '')) return new AppError('CERTIFICATE_EXPIRED', 'BSrE menyatakan sertifikat Anda sudah kedaluwarsa. Surat tetap menunggu; ajukan pembaruan sertifikat ke BSrE.', details);
  return new AppError('REMOTE_SERVICE_REFUSED', words ? `Layanan BSrE menolak permintaan: ${words}. Tidak ada yang berubah: surat tetap menunggu tanda tangan.` : undefined, details);
}

/** The certificate holder's state at BSrE, as the desk shows it before anything is signed. */
export interface BsreHolder {
  nik: string;
  certificateChain: Uint8Array[];
  /** Why this NIK may not sign now (not registered, expired, suspended, revoked); null when it may. */
  refusal: AppError | null;
}

export interface BsreService {
  readonly config: BsreConfig;
  holder(nik: string): Promise<BsreHolder>;
  /** A Signer for the holder; its batch is one request with `secret` for every letter's digest. */
  signer(holder: BsreHolder, secret: BsreSecret): CmsSigner;
  close(): void;
}

export function bsreService(config: BsreConfig): BsreService {
  const api = signingServiceClient(config);
  let token: { value: string; until: number } | null = null;

  async function accessToken(): Promise<string> {
    if (token && token.until > Date.now() + 30_000) return token.value;
    let answer: z.infer<typeof TokenSchema>;
    try {
      answer = parsed(TokenSchema, await api.call('oauth2/token', { json: { grant_type: 'client_credentials' }, basic: { user: config.clientId, password: config.clientSecret } }), 'oauth2/token');
    } catch (err) {
      const refused = refusalOf(err);
      throw refused instanceof AppError && err instanceof ServiceRefusal && (err.status === 400 || err.status === 401) ? new AppError('REMOTE_CLIENT_REJECTED', undefined, { status: err.status }) : refused;
    }
    token = { value: answer.access_token, until: Date.now() + (answer.expires_in ?? 3600) * 1000 };
    return token.value;
  }

  async function call<T>(path: string, schema: z.ZodType<T>, options: { json?: unknown; secret?: BsreSecret } = {}): Promise<T> {
    const once = async () => api.call(path, { method: options.json === undefined ? 'GET' : 'POST', ...(options.json === undefined ? {} : { json: options.json }), bearer: await accessToken() });
    try {
      let answer: unknown;
      try {
        answer = await once();
      } catch (err) {
        // An access token the service has let lapse is fetched again, once.
        if (!(err instanceof ServiceRefusal && err.status === 401)) throw err;
        token = null;
        answer = await once();
      }
      return parsed(schema, answer, path);
    } catch (err) {
      throw refusalOf(err, options.secret);
    }
  }

  async function holder(nik: string): Promise<BsreHolder> {
    const state = await call(`api/user/status/${encodeURIComponent(nik)}`, StatusSchema);
    const status = state.status.toUpperCase();
    if (status === 'NOT_REGISTERED') return { nik, certificateChain: [], refusal: new AppError('REMOTE_SIGNER_UNKNOWN', undefined, { status }) };
    if (status === 'SUSPEND' || status === 'REVOKE') {
      return { nik, certificateChain: [], refusal: new AppError('REMOTE_CREDENTIAL_LOCKED', `BSrE menyatakan sertifikat untuk NIK ini ${status === 'REVOKE' ? 'dicabut' : 'dibekukan'}. Hubungi BSrE; surat tetap menunggu dan dapat ditandatangani dengan token USB.`, { status }) };
    }
    const { certificate_chain } = await call(`api/user/certificate/${encodeURIComponent(nik)}`, CertificateSchema);
    const certificateChain = certificate_chain.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
    const refusal = signingRefusal(describeCertificate(certificateChain[0]!))
      ?? (status === 'EXPIRED' ? new AppError('CERTIFICATE_EXPIRED', 'BSrE menyatakan sertifikat Anda sudah kedaluwarsa. Surat tetap menunggu; ajukan pembaruan sertifikat ke BSrE.', { status }) : null);
    return { nik, certificateChain, refusal };
  }

  function signer(who: BsreHolder, secret: BsreSecret): CmsSigner {
    if (who.refusal) throw who.refusal;
    return {
      certificateChain: who.certificateChain,
      buildsCms: true,
      batch: {
        limit: bsreLettersPerRequest,
        async sign(digests) {
          const signingDate = new Date().toISOString();
          const signaturePropertiesHashMap = Object.fromEntries(digests.map((digest, i) => [String(i), {
            documentDigestBase64: Buffer.from(digest).toString('base64'), signatureLevel: 'PAdES_BASELINE_B', tampilan: 'INVISIBLE',
            certificationPermission: null, signingDate, certificateChainBase64: null, location: null, reason: null, contactInfo: null,
          }]));
          const { data } = await call('api/entity/sign/hash/pdf', SignSchema, { json: { nik: who.nik, ...secret, signaturePropertiesHashMap }, secret });
          return digests.map((_, i) => {
            const cms = data.cmsSignedDataHashMap[String(i)];
            return cms ? new Uint8Array(Buffer.from(cms, 'base64')) : new Uint8Array();
          });
        },
      },
    };
  }

  return { config, holder, signer, close: () => api.close() };
}
