// Remote signing at the desk, beside USB tokens: which service an official signs with (Pengaturan,
// per official), the services' addresses (settings, else LOKET_CSC_URL / LOKET_BSRE_URL) and client
// credentials (the desk's secret store, else LOKET_CSC_CLIENT_ID/_SECRET, LOKET_BSRE_CLIENT_ID/_SECRET;
// never the SQLite settings, never a log line), the agency CA for them (LOKET_SIGNING_CA), sign-in
// to a Cloud Signature Consortium service in the browser, an official's certificate at BSrE by NIK,
// and the Signer a batch uses. PINs, OTPs and passphrases arrive with the batch request, go to the
// service in it, and are kept nowhere.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SigningMethod } from '../../common/ipc/app.ts';
import type { RequestOf } from '../../common/ipc/index.ts';
import type { CertificateView, RemoteCredentialView, SigningServices } from '../../common/ipc/sign.ts';
import { describeCertificate } from '../../common/certificate.ts';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { Signer } from '../../common/signer.ts';
import type { Keychain } from '../auth/keychain.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Store } from '../store/store.ts';
import { maxLettersPerAuthorization } from './batch.ts';
import { bsreService, type BsreService } from './signers/bsre.ts';
import { credentialRefusal, cscService, type CscCredential, type CscService } from './signers/csc.ts';

export type RemoteService = 'csc' | 'bsre';
type RemoteChannel = 'sign.services' | 'sign.services.client' | 'sign.method.save' | 'sign.csc.login' | 'sign.csc.session' | 'sign.csc.logout' | 'sign.bsre.status';
type BatchRequest = RequestOf<'sign.batch'>;
export type RemoteBatchRequest = Extract<BatchRequest, { service: RemoteService }>;

export interface RemoteSigningDeps {
  store: Store;
  keychain: Keychain;
  user: () => SessionUser | null;
  actor: () => string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

const ClientSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string() });
type Client = z.infer<typeof ClientSchema>;
const keychainName = (service: RemoteService) => `signing-service:${service}`;
const envPrefix = { csc: 'LOKET_CSC', bsre: 'LOKET_BSRE' } as const;

/** A CSC sign-in the official finished: the access token is the session, held in memory only. */
interface CscSession {
  official: string;
  service: CscService;
  accessToken: string;
  expiresAt: number;
  credentials: CscCredential[];
}

export function remoteSigning(deps: RemoteSigningDeps) {
  const { store, keychain, env, log } = deps;
  const official = () => deps.user()?.username ?? '';

  function savedClient(service: RemoteService): Client | null {
    const raw = keychain.get(keychainName(service));
    if (raw === undefined) return null;
    try {
      return ClientSchema.parse(JSON.parse(raw));
    } catch {
      log.warn('sign: saved client credentials unreadable; ignored', { service });
      return null;
    }
  }

  /** Pengaturan's address and secret store first, else the environment; null parts when none. */
  function configOf(service: RemoteService): { url: string; client: Client | null; fromEnvironment: boolean } {
    const saved = service === 'csc' ? store.settings.get().cscUrl : store.settings.get().bsreUrl;
    const client = savedClient(service);
    const envId = env[`${envPrefix[service]}_CLIENT_ID`];
    const envClient = envId ? { clientId: envId, clientSecret: env[`${envPrefix[service]}_CLIENT_SECRET`] ?? '' } : null;
    const url = saved || env[`${envPrefix[service]}_URL`] || '';
    return { url, client: client ?? envClient, fromEnvironment: (!saved && url !== '') || (client === null && envClient !== null) };
  }

  function methodOf(): { method: SigningMethod; nik: string | null } {
    const chosen = store.settings.get().signingMethods?.[official()];
    return { method: chosen?.method ?? 'token', nik: chosen?.nik ?? null };
  }

  function state(): SigningServices {
    const serviceState = (service: RemoteService) => {
      const { url, client, fromEnvironment } = configOf(service);
      return { url, clientId: client?.clientId ?? null, secretSaved: (client?.clientSecret ?? '') !== '', fromEnvironment };
    };
    return { official: { name: deps.user()?.name ?? null, ...methodOf() }, csc: serviceState('csc'), bsre: serviceState('bsre') };
  }

  const caFile = () => env.LOKET_SIGNING_CA || undefined;

  function csc(): CscService {
    const { url, client } = configOf('csc');
    if (url === '' || client === null) throw new AppError('REMOTE_SERVICE_NOT_CONFIGURED', undefined, { service: 'csc' });
    return cscService({ url, clientId: client.clientId, clientSecret: client.clientSecret || undefined, caFile: caFile() });
  }

  // One BSrE client while its configuration stays the same: it keeps the service's access token.
  let bsreClient: { key: string; service: BsreService } | null = null;
  function bsre(): BsreService {
    const { url, client } = configOf('bsre');
    if (url === '' || client === null || client.clientSecret === '') throw new AppError('REMOTE_SERVICE_NOT_CONFIGURED', undefined, { service: 'bsre' });
    const key = JSON.stringify([url, client.clientId, client.clientSecret, caFile()]);
    if (bsreClient?.key !== key) {
      bsreClient?.service.close();
      bsreClient = { key, service: bsreService({ url, clientId: client.clientId, clientSecret: client.clientSecret, caFile: caFile() }) };
    }
    return bsreClient.service;
  }

  function bsreNik(): string {
    const { nik } = methodOf();
    if (nik === null) throw new AppError('REMOTE_SIGNER_UNKNOWN', 'NIK Anda untuk tanda tangan BSrE belum diisi. Isi di Pengaturan → Tanda tangan elektronik; surat tetap menunggu.');
    return nik;
  }

  const logins = new Map<string, Awaited<ReturnType<CscService['beginLogin']>> & { service: CscService }>();
  const sessions = new Map<string, CscSession>();

  function session(sessionId: string): CscSession {
    const found = sessions.get(sessionId);
    if (found === undefined || found.official !== official() || found.expiresAt <= Date.now()) {
      if (found) endSession(sessionId);
      throw new AppError('REMOTE_SESSION_EXPIRED');
    }
    return found;
  }

  function endSession(sessionId: string): void {
    sessions.get(sessionId)?.service.close();
    sessions.delete(sessionId);
  }

  function credentialView(credential: CscCredential): RemoteCredentialView {
    const info = describeCertificate(credential.certificateChain[0]!);
    return {
      id: credential.id, label: credential.label, subject: info.subject, commonName: info.commonName, subjectSerialNumber: info.subjectSerialNumber,
      issuer: info.issuer, issuerCommonName: info.issuerCommonName, validFrom: info.validFrom, validTo: info.validTo, keyUsage: info.keyUsage,
      fingerprintSha256: info.fingerprintSha256, alwaysAuthenticate: false, refusal: credentialRefusal(credential)?.toIpc() ?? null,
      asks: { pin: credential.pinId !== null, otp: credential.otpId !== null }, limit: Math.min(credential.limit, maxLettersPerAuthorization),
    };
  }

  const handlers: Pick<Handlers, RemoteChannel> = {
    'sign.services': () => state(),

    'sign.services.client': ({ service, clientId, clientSecret }) => {
      const before = savedClient(service);
      if (clientId === '') {
        keychain.delete(keychainName(service));
      } else {
        const secret = clientSecret ?? (before?.clientId === clientId ? before.clientSecret : '');
        keychain.set(keychainName(service), JSON.stringify({ clientId, clientSecret: secret }));
      }
      // The audit says who changed which service's credentials; the secret itself appears nowhere.
      store.audit.append({
        actor: deps.actor(), action: 'settings.signing_client_updated', entity: 'settings', entityId: service,
        details: { service, clientId: clientId || null, secret: clientId === '' ? 'removed' : clientSecret !== undefined ? 'replaced' : 'kept' },
      });
      return state();
    },

    'sign.method.save': ({ method, nik }) => {
      const methods = { ...store.settings.get().signingMethods };
      methods[official()] = { method, ...(nik ? { nik } : {}) };
      store.settings.update({ signingMethods: methods }, deps.actor());
      return state();
    },

    'sign.csc.login': async () => {
      for (const [id, pending] of logins) {
        pending.cancel();
        pending.service.close();
        logins.delete(id);
      }
      const service = csc();
      try {
        const login = await service.beginLogin();
        const loginId = randomUUID();
        logins.set(loginId, { ...login, service });
        return { loginId, authorizationUrl: login.authorizationUrl, serviceName: login.serviceName };
      } catch (err) {
        service.close();
        throw err;
      }
    },

    'sign.csc.session': async ({ loginId }) => {
      const login = logins.get(loginId);
      if (login === undefined) throw new AppError('REMOTE_LOGIN_EXPIRED');
      try {
        const { accessToken, expiresAt } = await login.finish();
        const credentials = await login.service.credentials(accessToken);
        const sessionId = randomUUID();
        sessions.set(sessionId, { official: official(), service: login.service, accessToken, expiresAt, credentials });
        return { sessionId, serviceName: login.serviceName, credentials: credentials.map(credentialView) };
      } catch (err) {
        login.service.close();
        throw err;
      } finally {
        logins.delete(loginId);
      }
    },

    'sign.csc.logout': ({ sessionId }) => {
      endSession(sessionId);
      return null;
    },

    'sign.bsre.status': async () => {
      const nik = methodOf().nik;
      try {
        const holder = await bsre().holder(bsreNik());
        const certificate: CertificateView | null = holder.certificateChain.length === 0 ? null : (() => {
          const info = describeCertificate(holder.certificateChain[0]!);
          return {
            id: 'bsre', label: 'BSrE', subject: info.subject, commonName: info.commonName, subjectSerialNumber: info.subjectSerialNumber, issuer: info.issuer,
            issuerCommonName: info.issuerCommonName, validFrom: info.validFrom, validTo: info.validTo, keyUsage: info.keyUsage, fingerprintSha256: info.fingerprintSha256,
            alwaysAuthenticate: false, refusal: holder.refusal?.toIpc() ?? null,
          };
        })();
        return { nik, certificate, refusal: holder.refusal?.toIpc() ?? null };
      } catch (err) {
        if (err instanceof AppError) return { nik, certificate: null, refusal: err.toIpc() };
        throw err;
      }
    },
  };

  /** The Signer for a remote batch request; the secrets in it go to the service with the batch only. */
  async function signerFor(request: RemoteBatchRequest): Promise<Signer> {
    if (request.service === 'csc') {
      const found = session(request.sessionId);
      const credential = found.credentials.find((c) => c.id === request.credentialId);
      if (credential === undefined) throw new AppError('NOT_FOUND', 'Sertifikat ini tidak ada lagi di layanan tanda tangan. Masuk ke layanan lagi lalu pilih sertifikat; tidak ada yang berubah.');
      return found.service.signer(found.accessToken, credential, { pin: request.pin, otp: request.otp });
    }
    const service = bsre();
    const holder = await service.holder(bsreNik());
    return service.signer(holder, request.totp !== undefined ? { totp: request.totp } : { passphrase: request.passphrase ?? '' });
  }

  return {
    handlers,
    signerFor,
    close() {
      for (const id of sessions.keys()) endSession(id);
      for (const login of logins.values()) { login.cancel(); login.service.close(); }
      logins.clear();
      bsreClient?.service.close();
    },
  };
}
