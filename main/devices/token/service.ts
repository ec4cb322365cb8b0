// The token driver as a device-worker service: main asks for the installed modules, the tokens
// present, a login (the PIN crosses once, in that request, and is not kept), a signer's certificate
// chain and single signature values. Sessions live here, named by a random id, because PKCS#11
// handles mean nothing in another process. A watch polls the slots so insertion and removal reach
// the UI while the app runs.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../common/errors.ts';
import type { SignatureAlgorithm } from '../../../common/signer.ts';
import { defineService, type DeviceService, type RequestContext } from '../protocol.ts';
import { installedModules } from './modules.ts';
import { openTokenModule, type TokenCertificate, type TokenSession, type TokenSummary } from './token.ts';

export interface TokenRequests {
  'token.modules': { request: Record<string, never>; reply: { name: string; path: string }[] };
  'token.list': { request: { modulePath: string }; reply: TokenSummary[] };
  'token.login': { request: { modulePath: string; serial: string; pin: string }; reply: { sessionId: string; token: TokenSummary; certificates: TokenCertificate[] } };
  /** Refuses an unusable certificate; `pin` only for always-authenticate keys, kept until logout. */
  'token.signer': {
    request: { sessionId: string; certificateId: string; pin?: string };
    reply: { signerId: string; certificateChain: Uint8Array[]; algorithm: SignatureAlgorithm };
  };
  /** One signature value over `data` (the DER signed attributes), computed on the token. */
  'token.sign': { request: { signerId: string; data: Uint8Array }; reply: { signature: Uint8Array } };
  'token.logout': { request: { sessionId: string }; reply: null };
  /** Starts (or retargets) polling the module's slots; answers the tokens present now. */
  'token.watch': { request: { modulePath: string; intervalMs?: number }; reply: TokenSummary[] };
}

export interface TokenEvents {
  'token.changed': { modulePath: string; tokens: TokenSummary[] };
}

export function tokenService(): DeviceService {
  const sessions = new Map<string, TokenSession>();
  const signers = new Map<string, { sessionId: string; sign(data: Uint8Array): Promise<Uint8Array> }>();
  let watch: ReturnType<typeof setInterval> | undefined;

  const session = (id: string) => {
    const found = sessions.get(id);
    if (found === undefined) throw new AppError('TOKEN_FAILED', 'Sesi token sudah berakhir. Masukkan PIN lagi untuk melanjutkan; tidak ada dokumen yang berubah.');
    return found;
  };
  const logout = (id: string) => {
    sessions.get(id)?.close();
    sessions.delete(id);
    for (const [signerId, s] of signers) if (s.sessionId === id) signers.delete(signerId);
  };

  return defineService<TokenRequests>('token', {
    'token.modules': () => installedModules(),

    'token.list': (params, ctx) => openTokenModule(params.modulePath, ctx.log).listTokens(),

    'token.login': (params, ctx) => {
      const opened = openTokenModule(params.modulePath, ctx.log).login({ serial: params.serial }, params.pin);
      const sessionId = randomUUID();
      sessions.set(sessionId, opened);
      return { sessionId, token: opened.token, certificates: opened.listCertificates() };
    },

    'token.signer': (params) => {
      const signer = session(params.sessionId).signer(params.certificateId, params.pin === undefined ? {} : { pin: params.pin });
      const signerId = randomUUID();
      signers.set(signerId, { sessionId: params.sessionId, sign: signer.sign });
      return { signerId, certificateChain: signer.certificateChain, algorithm: signer.algorithm };
    },

    'token.sign': async (params) => {
      const signer = signers.get(params.signerId);
      if (signer === undefined) throw new AppError('TOKEN_FAILED', 'Sesi token sudah berakhir. Masukkan PIN lagi untuk melanjutkan; tidak ada dokumen yang berubah.');
      return { signature: await signer.sign(params.data) };
    },

    'token.logout': (params) => {
      logout(params.sessionId);
      return null;
    },

    'token.watch': (params, ctx: RequestContext) => {
      const module = openTokenModule(params.modulePath, ctx.log);
      let last = JSON.stringify(module.listTokens());
      if (watch !== undefined) clearInterval(watch);
      watch = setInterval(() => {
        try {
          const tokens = module.listTokens();
          const now = JSON.stringify(tokens);
          if (now === last) return;
          last = now;
          ctx.emit('token.changed', { modulePath: params.modulePath, tokens });
        } catch (err) {
          ctx.log.warn('token watch: listing failed', { err });
        }
      }, params.intervalMs ?? 1500);
      watch.unref();
      return JSON.parse(last) as TokenSummary[];
    },
  }, () => {
    if (watch !== undefined) clearInterval(watch);
    for (const id of [...sessions.keys()]) logout(id);
  });
}
