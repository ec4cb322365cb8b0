// A Cloud Signature Consortium API v2 client (CSC "Architectures and protocols for remote signature
// applications", v2.0.0.2): the service's info, sign-in with OAuth 2.0 authorization code + PKCE in
// the browser (scope "service"), the official's credentials with their certificate chains, and a
// Signer whose batch is ONE credentials/authorize with the exact hashes (SCAL2) and the PIN/OTP the
// official typed, then signatures/signHash for those hashes. Only hashes of the letters' signed
// attributes leave the desk. Every reply is parsed by schema; every refusal becomes a message an
// official can act on. The PIN and OTP live in the request that carries them and nowhere else.
import { createHash, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { describeCertificate, signingRefusal } from '../../../common/certificate.ts';
import { AppError } from '../../../common/errors.ts';
import type { KeySigner, SignatureAlgorithm } from '../../../common/signer.ts';
import { oid } from '../pades/cms.ts';
import { startLoopbackAuthorization } from './oauth-loopback.ts';
import { serviceWords, ServiceRefusal, signingServiceClient, type ServiceEndpoint, type SigningServiceClient } from './service-client.ts';

export interface CscConfig extends ServiceEndpoint {
  /** The service's API base, e.g. https://tte.contoh.go.id/csc/v2 (info, credentials/…, signatures/…). */
  url: string;
  clientId: string;
  /** Only for a confidential client; PKCE alone suffices for a public one. */
  clientSecret?: string | undefined;
}

const InfoSchema = z.object({
  name: z.string(),
  authType: z.array(z.string()),
  /** Base URI of the service's OAuth 2.0 endpoints (oauth2/authorize, oauth2/token). */
  oauth2: z.string().optional(),
  methods: z.array(z.string()).optional(),
});
export type CscInfo = z.infer<typeof InfoSchema>;

const TokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().optional() });

const AuthObjectSchema = z.object({ type: z.string(), id: z.string(), format: z.string().optional(), generator: z.string().optional(), label: z.string().optional() });
const CredentialInfoSchema = z.object({
  credentialID: z.string().optional(),
  description: z.string().optional(),
  key: z.object({ status: z.string(), algo: z.array(z.string()).default([]), len: z.number().optional(), curve: z.string().optional() }),
  cert: z.object({ status: z.string().optional(), certificates: z.array(z.string()).min(1), validTo: z.string().optional() }),
  auth: z.object({ mode: z.string(), expression: z.string().optional(), objects: z.array(AuthObjectSchema).optional() }).optional(),
  // CSC v1 named the PIN and OTP directly.
  PIN: z.object({ presence: z.string() }).optional(),
  OTP: z.object({ presence: z.string() }).optional(),
  SCAL: z.string().optional(),
  multisign: z.number().int().positive().optional(),
});
const ListSchema = z.object({ credentialIDs: z.array(z.string()), credentialInfos: z.array(CredentialInfoSchema).optional() });
const AuthorizeSchema = z.object({ SAD: z.string().min(1), expiresIn: z.number().optional() });
const SignHashSchema = z.object({ signatures: z.array(z.string()) });

/** One of the official's credentials at the service, as the desk uses it. */
export interface CscCredential {
  id: string;
  label: string;
  certificateChain: Uint8Array[];
  /** null when Loket cannot sign with this kind of key (RSA and EC P-256 are supported). */
  algorithm: SignatureAlgorithm | null;
  /** Key status at the service: 'disabled' means locked or suspended there. */
  keyEnabled: boolean;
  /** The certificate status the service reports (valid, expired, revoked, suspended). */
  certificateStatus: string;
  /** The ids the service knows the PIN and the OTP by (its auth objects); null when it does not ask. */
  pinId: string | null;
  otpId: string | null;
  /** The most signatures one authorization covers (multisign). */
  limit: number;
  /** The signature algorithm OID to ask signHash for. */
  signAlgo: string | null;
}

/** The signature algorithm OIDs of CSC signHash, as X.509 names them. */
const signAlgos = {
  rsa: [oid.rsaEncryption, oid.sha256WithRsa],
  'ecdsa-p256': [oid.ecdsaWithSha256, '1.2.840.10045.2.1'],
} as const;

function algorithmOf(der: Uint8Array): SignatureAlgorithm | null {
  const key = new X509Certificate(der).publicKey;
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return null;
}

function credentialOf(id: string, info: z.infer<typeof CredentialInfoSchema>): CscCredential {
  const certificateChain = info.cert.certificates.map((c) => new Uint8Array(Buffer.from(c, 'base64')));
  const algorithm = algorithmOf(certificateChain[0]!);
  const objects = info.auth?.objects ?? [];
  const isOtp = (o: z.infer<typeof AuthObjectSchema>) => o.generator !== undefined || /otp/i.test(o.id);
  const otp = objects.find(isOtp);
  const pin = objects.find((o) => o.type.toLowerCase() === 'password' && !isOtp(o));
  const signAlgo = algorithm === null ? null : signAlgos[algorithm].find((a) => info.key.algo.length === 0 || info.key.algo.includes(a)) ?? null;
  return {
    id, label: info.description ?? id, certificateChain, algorithm, keyEnabled: info.key.status === 'enabled', certificateStatus: info.cert.status ?? 'valid',
    pinId: pin?.id ?? (info.PIN?.presence === 'true' ? 'PIN' : null),
    otpId: otp?.id ?? (info.OTP?.presence === 'true' ? 'OTP' : null),
    limit: info.multisign ?? 1, signAlgo,
  };
}

/** Why this credential may not sign now (locked, expired, revoked, unsupported), or null. */
export function credentialRefusal(credential: CscCredential, now = new Date()): AppError | null {
  if (!credential.keyEnabled) return new AppError('REMOTE_CREDENTIAL_LOCKED', undefined, { credentialId: credential.id });
  const refusal = signingRefusal(describeCertificate(credential.certificateChain[0]!), now);
  if (refusal) return refusal;
  if (credential.certificateStatus === 'expired') return new AppError('CERTIFICATE_EXPIRED', 'Layanan menyatakan sertifikat ini sudah kedaluwarsa, sehingga tidak dapat dipakai menandatangani. Surat tetap menunggu; ajukan pembaruan sertifikat ke penerbitnya.');
  if (credential.certificateStatus !== 'valid') return new AppError('REMOTE_CREDENTIAL_LOCKED', `Layanan menyatakan sertifikat ini ${credential.certificateStatus === 'revoked' ? 'dicabut' : 'dibekukan'}, sehingga tidak dapat dipakai menandatangani. Hubungi penerbit sertifikat; surat tetap menunggu.`, { status: credential.certificateStatus });
  if (credential.algorithm === null || credential.signAlgo === null) return new AppError('REMOTE_SERVICE_REFUSED', 'Jenis kunci sertifikat ini belum dapat dipakai Loket (yang didukung: RSA dan EC P-256). Pilih sertifikat lain; tidak ada yang berubah.');
  return null;
}

/** What the official typed for this batch; used in one request and dropped. */
export interface CscSecrets {
  pin?: string | undefined;
  otp?: string | undefined;
}

/** A CSC refusal as a person reads it; the service's own description only where it helps. */
function refusalOf(err: unknown, context: 'service' | 'authorize' | 'token'): unknown {
  if (!(err instanceof ServiceRefusal)) return err;
  const body = (typeof err.body === 'object' && err.body !== null ? err.body : {}) as Record<string, unknown>;
  const code = String(body.error ?? body.errorCode ?? '');
  const words = serviceWords(body.error_description ?? body.errorDescription ?? (typeof err.body === 'string' ? err.body : null));
  const text = `${code} ${words ?? ''}`;
  const details = { status: err.status, error: code };
  if (context === 'token' && code === 'invalid_client') return new AppError('REMOTE_CLIENT_REJECTED', undefined, details);
  if (context === 'token' && code === 'invalid_grant') return new AppError('REMOTE_LOGIN_EXPIRED', undefined, details);
  if (err.status === 401 || code === 'invalid_token' || code === 'expired_token' || code === 'authentication_required') return new AppError('REMOTE_SESSION_EXPIRED', undefined, details);
  if (/lock|block|disabled|suspend|terkunci/i.test(text)) return new AppError('REMOTE_CREDENTIAL_LOCKED', undefined, details);
  if (code === 'invalid_otp' || (context === 'authorize' && /\bOTP\b/i.test(text))) return new AppError('REMOTE_OTP_INCORRECT', undefined, details);
  if (code === 'invalid_pin' || (context === 'authorize' && /\bPIN\b/i.test(text))) return new AppError('REMOTE_PIN_INCORRECT', undefined, details);
  if (/expired/i.test(words ?? '') && /cert/i.test(words ?? '')) return new AppError('CERTIFICATE_EXPIRED', 'Layanan menyatakan sertifikat ini sudah kedaluwarsa. Surat tetap menunggu; ajukan pembaruan sertifikat ke penerbitnya.', details);
  return new AppError('REMOTE_SERVICE_REFUSED', words ? `Layanan tanda tangan menolak permintaan: ${words}. Tidak ada yang berubah: surat tetap menunggu tanda tangan.` : undefined, details);
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('REMOTE_SERVICE_REFUSED', `Jawaban layanan tanda tangan (${what}) tidak sesuai standar CSC, sehingga tidak dipakai. Tidak ada yang berubah.`, { what });
  return result.data;
}

/** Whether `bytes` is exactly one DER SEQUENCE of two INTEGERs (short lengths: a P-256 signature). */
function isDerEcdsa(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return false;
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (bytes[at] !== 0x02) return false;
    at += 2 + (bytes[at + 1] ?? 0xff);
  }
  return at === bytes.length;
}

/** A DER ECDSA-Sig-Value from either a DER answer or a raw r||s of P-256 (services send either). */
function derEcdsa(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64 || isDerEcdsa(signature)) return signature;
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = bytes.subarray(i);
    const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : Buffer.from(trimmed);
    return Buffer.concat([Buffer.of(0x02, body.length), body]);
  };
  const seq = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30, seq.length), seq]));
}

export interface CscService {
  readonly config: CscConfig;
  info(): Promise<CscInfo>;
  /** Starts the browser sign-in; `finish` waits for the redirect and answers the access token. */
  beginLogin(): Promise<{ authorizationUrl: string; serviceName: string; finish(): Promise<{ accessToken: string; expiresAt: number }>; cancel(): void }>;
  credentials(accessToken: string): Promise<CscCredential[]>;
  /** A Signer for the credential; its batch authorizes once with `secrets` (one authorization per call). */
  signer(accessToken: string, credential: CscCredential, secrets: CscSecrets): KeySigner;
  close(): void;
}

export function cscService(config: CscConfig): CscService {
  const api: SigningServiceClient = signingServiceClient(config);
  const call = async <T>(path: string, body: unknown, bearer: string | undefined, schema: z.ZodType<T>, context: 'service' | 'authorize' = 'service') => {
    try {
      return parsed(schema, await api.call(path, { json: body, ...(bearer ? { bearer } : {}) }), path);
    } catch (err) {
      throw refusalOf(err, context);
    }
  };

  const info = () => call('info', { lang: 'id' }, undefined, InfoSchema);

  async function beginLogin() {
    const about = await info();
    if (!about.authType.includes('oauth2code') || !about.oauth2) {
      throw new AppError('REMOTE_SERVICE_REFUSED', 'Layanan tanda tangan ini tidak menyediakan masuk lewat peramban (OAuth2). Tidak ada yang berubah; hubungi admin layanan.', { authType: about.authType });
    }
    const oauthBase = about.oauth2.endsWith('/') ? about.oauth2 : `${about.oauth2}/`;
    const flow = await startLoopbackAuthorization({ authorizeEndpoint: new URL('oauth2/authorize', oauthBase).toString(), clientId: config.clientId, params: { scope: 'service', lang: 'id' } });
    const oauth = signingServiceClient({ url: oauthBase, caFile: config.caFile });
    return {
      authorizationUrl: flow.authorizationUrl,
      serviceName: about.name,
      cancel: () => { flow.cancel(); oauth.close(); },
      async finish() {
        try {
          const { code, redirectUri, codeVerifier } = await flow.result;
          const form: Record<string, string> = { grant_type: 'authorization_code', code, client_id: config.clientId, redirect_uri: redirectUri, code_verifier: codeVerifier };
          if (config.clientSecret) form.client_secret = config.clientSecret;
          let token: z.infer<typeof TokenSchema>;
          try {
            token = parsed(TokenSchema, await oauth.call('oauth2/token', { form }), 'oauth2/token');
          } catch (err) {
            throw refusalOf(err, 'token');
          }
          return { accessToken: token.access_token, expiresAt: Date.now() + (token.expires_in ?? 3600) * 1000 };
        } finally {
          oauth.close();
        }
      },
    };
  }

  async function credentials(accessToken: string): Promise<CscCredential[]> {
    const list = await call('credentials/list', { credentialInfo: true, certificates: 'chain', certInfo: true, authInfo: true, lang: 'id' }, accessToken, ListSchema);
    const infos = list.credentialInfos;
    return Promise.all(list.credentialIDs.map(async (id, i) => {
      const known = infos?.find((c) => c.credentialID === id) ?? infos?.[i];
      const info = known ?? await call('credentials/info', { credentialID: id, certificates: 'chain', certInfo: true, authInfo: true, lang: 'id' }, accessToken, CredentialInfoSchema);
      return credentialOf(id, info);
    }));
  }

  function signer(accessToken: string, credential: CscCredential, secrets: CscSecrets): KeySigner {
    const refusal = credentialRefusal(credential);
    if (refusal) throw refusal;
    if (credential.pinId !== null && !secrets.pin) throw new AppError('REMOTE_PIN_INCORRECT', 'PIN sertifikat wajib diisi untuk menandatangani lewat layanan ini.');
    if (credential.otpId !== null && !secrets.otp) throw new AppError('REMOTE_OTP_INCORRECT', 'Kode OTP wajib diisi untuk menandatangani lewat layanan ini.');
    const algorithm = credential.algorithm!;
    const signAlgo = credential.signAlgo!;
    const hashAlgorithmOID = oid.sha256;
    const authData = [
      ...(credential.pinId !== null ? [{ id: credential.pinId, value: secrets.pin! }] : []),
      ...(credential.otpId !== null ? [{ id: credential.otpId, value: secrets.otp! }] : []),
    ];
    const batch = {
      limit: credential.limit,
      async sign(inputs: Uint8Array[]): Promise<Uint8Array[]> {
        const hashes = inputs.map((data) => createHash('sha256').update(data).digest('base64'));
        const { SAD } = await call('credentials/authorize', {
          credentialID: credential.id, numSignatures: hashes.length, hashes, hashAlgorithmOID, authData,
          description: `Loket: ${hashes.length} surat`,
        }, accessToken, AuthorizeSchema, 'authorize');
        const { signatures } = await call('signatures/signHash', { credentialID: credential.id, SAD, hashes, hashAlgorithmOID, signAlgo, operationMode: 'S' }, accessToken, SignHashSchema);
        return signatures.map((s) => {
          const value = new Uint8Array(Buffer.from(s, 'base64'));
          return algorithm === 'ecdsa-p256' ? derEcdsa(value) : value;
        });
      },
    };
    return {
      certificateChain: credential.certificateChain,
      algorithm,
      sign: async (data) => (await batch.sign([data]))[0]!,
      batch,
    };
  }

  return { config, info, beginLogin, credentials, signer, close: () => api.close() };
}
