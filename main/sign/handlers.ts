// The Tanda Tangan screen's side of main: tokens (through the device worker, which alone loads the
// PKCS#11 module), the PIN passed once to the token and kept nowhere, the letters waiting for the
// signed-in official, batch signing with progress events, Periksa (validate a dropped PDF) and its
// report as a PDF, and the minimal Surat Keluar import that makes a letter ready to sign.
//
// Configuration: Pengaturan's "Tanda tangan elektronik" section, else the environment (kept for tests
// and deployments), else automatic — read at each use, so a change in Pengaturan applies at once:
// token module (LOKET_TOKEN_MODULE; else a real token driver installed here, else the demo token once
// made), TSA (LOKET_TSA_URL; B-T when set), OCSP (LOKET_OCSP_URL; with a TSA: B-LT, the CA's OCSP
// answers in the DSS), verification page for the QR (LOKET_VERIFY_URL; else the server's /verifikasi;
// with neither the QR names the letter only and the official is told it cannot be checked yet).
// LOKET_TRUST_DIR (else resources/trust) is an environment variable only. Remote signing services
// (Cloud Signature Consortium, BSrE) and each official's choice among them: remote.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceWorkerHost } from '../devices/host.ts';
import type { TokenCertificate } from '../devices/token/token.ts';
import type { EventBus } from '../app/events.ts';
import { localDate, type OfficeTimeZone } from '../../common/dates.ts';
import type { Logger } from '../../common/logger.ts';
import { createBlobStore } from '../documents/blob-store.ts';
import type { IpcError } from '../../common/ipc/index.ts';
import type { CertificateView, TokensState } from '../../common/ipc/sign.ts';
import { AppError } from '../../common/errors.ts';
import { fileKeychain, type Keychain } from '../auth/keychain.ts';
import type { Handlers } from '../ipc/router.ts';
import { outgoingNumbers } from '../letters/outgoing/outgoing.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Store } from '../store/store.ts';
import type { Letter, LetterChanges } from '../store/letters.ts';
import { deskDraftRenderer } from '../letters/drafting/drafting.ts';
import { draftedSigning, type DraftedSigning } from './drafted.ts';
import { signBatch, type SignerIdentity } from './batch.ts';
import { remoteSigning } from './remote.ts';
import { describeCertificate, signingRefusal } from '../../common/certificate.ts';
import { importOutgoingForSigning, lettersReadyToSign } from '../letters/outgoing/import.ts';
import { voidRefusedLetter } from './refused.ts';
import { signingOfficials, standaloneServer, type SigningOfficials } from '../letters/outgoing/officials.ts';
import { officialsServer } from '../letters/outgoing/outgoing.ts';
import { validationReportPdf } from './report-pdf.ts';
import { httpTimestamper } from './pades/timestamp.ts';
import { deviceTokenSigner } from './signers/token.ts';
import type { Signer } from '../../common/signer.ts';
import { upgradeAwaitingTimestamps } from './upgrade.ts';
import { stampPlaces, type StampPlaces } from './stamp-place.ts';
import { loadTrustAnchors } from './pades/validate.ts';
import { createSignatureValidator, type SignatureValidator } from './validation.ts';
import type { Capability, Desk } from '../app/desk.ts';
import type { Transfers } from '../documents/transfers.ts';

type SigningChannel = 'sign.tokens' | 'sign.demo.create' | 'sign.login' | 'sign.logout' | 'sign.identity' | 'sign.letters' | 'sign.check' | 'sign.refused' | 'sign.void' | 'sign.batch' | 'sign.outgoing.import' | 'sign.validate' | 'sign.report.pdf' | 'sign.stamp.place'
  | 'sign.services' | 'sign.services.client' | 'sign.method.save' | 'sign.csc.login' | 'sign.csc.session' | 'sign.csc.logout' | 'sign.bsre.status';

/**
 * The demo token of `npm start` (dev/token/demo-token.ts): a SoftHSM2 token under the data
 * directory, offered while no real token is to be seen. A release has none and never offers it.
 */
export interface DemoTokens {
  readonly pin: string;
  /** The SoftHSM2 module the demo token lives in, when installed; it is not a "real" token driver. */
  modulePath(): string | null;
  /** The tools to make one are installed here. */
  possible(): boolean;
  exists(dataDir: string): boolean;
  create(dataDir: string, holder: { name: string; nip: string }): void;
}

export interface SigningDeps {
  store: Store;
  devices: Pick<DeviceWorkerHost, 'request' | 'onEvent'>;
  bus: EventBus;
  /** The desk's data directory: documents (the blob store) and the demo token live under it. */
  dataDir: string;
  /** The signed-in person, when the desk has accounts. */
  user: () => SessionUser | null;
  /** The server this desk works with ('' for a standalone desk); defaults to Pengaturan's address. */
  server?: () => string;
  actor: () => string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  demoTokens?: DemoTokens;
  /** Periksa's worker thread; one is made when not given (the composition root gives its own, to close it). */
  validator?: SignatureValidator;
  /** Where remote signing services' client credentials are kept; default the desk's 0600 keychain file. */
  keychain?: Keychain;
  /** Files to and from the renderer, in pieces: the PDFs checked or imported, the report saved. */
  transfers: Transfers;
  /** Who an imported letter may be addressed to; default: a desk without a server (named as typed). */
  officials?: SigningOfficials;
  /** Letters drafted in Loket: rendered afresh as they are signed, by whom and under what authority (drafted.ts). */
  drafted?: DraftedSigning;
  /** A person's change went into the outbox outside a signing batch (a void): the desk syncs soon. */
  outboxChanged?: () => void;
}

const repoRoot = join(import.meta.dirname, '..', '..');
const upgradeIntervalMs = 5 * 60_000;
/** A file changed in thousands of places is named by its first changes; the problem text gives the count. */
const maxListedChanges = 100;

function toView(cert: TokenCertificate, zone: OfficeTimeZone): CertificateView {
  let refusal: IpcError | null = signingRefusal(cert.info, new Date(), zone)?.toIpc() ?? null;
  if (refusal === null && !cert.hasPrivateKey) refusal = new AppError('NOT_FOUND', 'Kunci pribadi untuk sertifikat ini tidak ada di token, sehingga tidak dapat dipakai menandatangani.').toIpc();
  if (refusal === null && cert.algorithm === null) refusal = new AppError('TOKEN_FAILED', 'Jenis kunci sertifikat ini belum dapat dipakai Loket (yang didukung: RSA dan EC P-256).').toIpc();
  const { info } = cert;
  return {
    id: cert.id, label: cert.label, subject: info.subject, commonName: info.commonName, subjectSerialNumber: info.subjectSerialNumber,
    issuer: info.issuer, issuerCommonName: info.issuerCommonName, validFrom: info.validFrom, validTo: info.validTo,
    keyUsage: info.keyUsage, fingerprintSha256: info.fingerprintSha256, alwaysAuthenticate: cert.alwaysAuthenticate, refusal,
  };
}

/** How the signed-in person would sign a drafted letter now, or why they may not; nothing for an imported letter. */
function signingOf(drafted: DraftedSigning | undefined, letter: Letter, user: SessionUser | null): { signingAs: string | null; refusal: IpcError | null } {
  const draft = drafted?.draftOf(letter.id);
  if (drafted === undefined || draft === undefined) return { signingAs: null, refusal: null };
  try {
    return { signingAs: drafted.signingAs(draft, user).identity.position, refusal: null };
  } catch (err) {
    if (err instanceof AppError) return { signingAs: null, refusal: err.toIpc() };
    throw err;
  }
}

const letterView = async (store: Store, officials: SigningOfficials, places: StampPlaces, letter: Letter, signing: { signingAs: string | null; refusal: IpcError | null } = { signingAs: null, refusal: null }) => {
  const draftId = store.paraf.draftOfLetter(letter.id) ?? null;
  // A drafted letter's official is named by its chain (a Plh's desk may not have fetched the officials' list).
  const chainSigner = draftId === null ? '' : (store.paraf.get(draftId)?.signerName ?? '');
  return {
    id: letter.id, subject: letter.subject, addressee: letter.addressee, signerName: chainSigner || officials.nameOf(letter.signerUserId), documentHash: letter.documentHash, createdAt: letter.createdAt,
    draftId,
    pageCount: letter.documentHash ? (store.documents.get(letter.documentHash)?.pageCount ?? null) : null,
    stamp: letter.documentHash ? await places.of({ id: letter.id, documentHash: letter.documentHash }) : null,
    signingAs: signing.signingAs,
    refusal: signing.refusal,
  };
};

export function signingHandlers(deps: SigningDeps): Pick<Handlers, SigningChannel> {
  const env = deps.env ?? process.env;
  const { store, devices, bus, log } = deps;
  const officials = deps.officials ?? signingOfficials({ store, server: standaloneServer, log });
  const blobs = createBlobStore(join(deps.dataDir, 'documents'), { log });
  const places = stampPlaces({ store, read: async (hash) => blobs.read(hash) });
  const validator = deps.validator ?? createSignatureValidator({ log });
  /** Pengaturan's value when set, else the environment's, else null (automatic). */
  const configured = (key: 'tokenModulePath' | 'tsaUrl' | 'ocspUrl' | 'verifyUrl', envName: string): string | null =>
    store.settings.get()[key] || env[envName] || null;
  const configuredModule = () => configured('tokenModulePath', 'LOKET_TOKEN_MODULE');
  const timestamper = () => {
    const tsaUrl = configured('tsaUrl', 'LOKET_TSA_URL');
    return tsaUrl ? httpTimestamper(tsaUrl) : undefined;
  };
  const trustDir = env.LOKET_TRUST_DIR || join(repoRoot, 'resources', 'trust');
  const remote = remoteSigning({ store, keychain: deps.keychain ?? fileKeychain(join(deps.dataDir, 'keychain.json')), user: deps.user, actor: deps.actor, env, log });
  const trustAnchors = () => (existsSync(trustDir) ? loadTrustAnchors(trustDir) : []);
  /** Token sessions opened by this desk, with the certificate identity shown next to the official. */
  const sessions = new Map<string, { serial: string }>();
  let watching: string | null = null;
  let demoPossible: boolean | undefined;
  const demoTokens = deps.demoTokens;
  const canMakeDemo = () => (demoPossible ??= demoTokens?.possible() ?? false);

  /**
   * The office server's public verification page: Pengaturan's (or LOKET_VERIFY_URL), else /verifikasi
   * on the server this desk syncs with (the embedded one in the demo); null on a desk without either,
   * whose QR codes cannot be checked until its letters reach a server (the official is told so).
   */
  const verificationUrl = (): string | null => {
    const configuredUrl = configured('verifyUrl', 'LOKET_VERIFY_URL');
    if (configuredUrl) return configuredUrl;
    const server = deps.server?.() ?? store.settings.get().serverUrl;
    return server ? new URL('verifikasi', server.endsWith('/') ? server : `${server}/`).toString() : null;
  };

  /**
   * The module to use: the configured one; else a real token driver installed here that sees a
   * token; else the demo token's SoftHSM once the person has made it; else the first real driver
   * (to notice a token plugged in later). SoftHSM alone is not a "real" driver.
   */
  async function modulePath(): Promise<{ path: string | null; modules: { name: string; path: string }[]; demo: boolean }> {
    const modules = await devices.request('token.modules', {});
    const configuredPath = configuredModule();
    if (configuredPath) return { path: configuredPath, modules, demo: false };
    const softhsm = demoTokens?.modulePath() ?? null;
    const real = modules.filter((m) => m.path !== softhsm);
    for (const m of real) {
      const tokens = await devices.request('token.list', { modulePath: m.path }).catch(() => []);
      if (tokens.length > 0) return { path: m.path, modules, demo: false };
    }
    if (demoTokens?.exists(deps.dataDir) && softhsm !== null) return { path: softhsm, modules, demo: true };
    return { path: real[0]?.path ?? null, modules, demo: false };
  }

  async function tokensState(): Promise<TokensState> {
    let modules: { name: string; path: string }[] = [];
    let path: string | null = null;
    let demo = false;
    let present = 0;
    // Offered while no token is to be seen at all: no driver, or drivers without a token in them.
    const demoState = () => ({ possible: !demo && present === 0 && !configuredModule() && canMakeDemo(), active: demo, pin: demo ? (demoTokens?.pin ?? null) : null });
    try {
      ({ path, modules, demo } = await modulePath());
      if (path === null) throw new AppError('TOKEN_MODULE_MISSING', 'Belum ada driver token (modul PKCS#11) yang terpasang di komputer ini. Pasang driver dari penerbit token Anda.');
      const tokens = await devices.request('token.watch', { modulePath: path });
      watching = path;
      present = tokens.length;
      return { modulePath: path, modules, tokens, problem: null, demo: demoState() };
    } catch (err) {
      const problem = (err instanceof AppError ? err : new AppError('TOKEN_FAILED', undefined, undefined, { cause: err })).toIpc();
      return { modulePath: path, modules, tokens: [], problem, demo: demoState() };
    }
  }

  devices.onEvent((event) => {
    if (event.name === 'token.changed' && event.payload.modulePath === watching) {
      void tokensState().then((state) => bus.emit('sign.tokens.changed', state));
    }
  });

  /**
   * The desk's own refusal of a batch every letter of which it already knows the person may not sign
   * now (a delegation over or not begun — the list on the screen was read before): given before the
   * token is asked for anything. With some letters signable, the others fail one by one with the same
   * reason, at the letter in the results.
   */
  function refusalOfAll(letterIds: readonly string[], user: SessionUser | null): AppError | null {
    const refusals = letterIds.map((id) => {
      const letter = store.letters.get(id);
      const refused = letter && signingOf(deps.drafted, letter, user).refusal;
      return refused ? new AppError(refused.code, refused.message, { letterId: id }) : null;
    });
    return refusals.length > 0 && refusals.every((r) => r !== null) ? refusals[0]! : null;
  }

  /** Only an official with the signer role, or the Plh/Plt of one now, signs; a desk without accounts (no server) signs as itself. */
  function signingRefusalFor(user: SessionUser | null): AppError | null {
    if (user !== null) return user.roles.includes('signer') || (deps.drafted?.delegatedFrom(user.id).size ?? 0) > 0 ? null : new AppError('SIGNER_ROLE_REQUIRED', undefined, { user: user.username });
    const server = deps.server?.() ?? store.settings.get().serverUrl;
    return server === '' ? null : new AppError('SIGNER_ROLE_REQUIRED', 'Masuk dulu dengan akun pejabat penandatangan untuk menandatangani surat.');
  }

  async function runUpgrades(): Promise<void> {
    const tsa = timestamper();
    if (!tsa) return;
    try {
      await upgradeAwaitingTimestamps({ store, blobs, timestamper: tsa, actor: deps.actor(), log });
    } catch (err) {
      log.warn('timestamp upgrade run failed', { err });
    }
  }
  // Always scheduled: a TSA configured later in Pengaturan upgrades the letters signed before it.
  setInterval(() => void runUpgrades(), upgradeIntervalMs).unref();

  return {
    ...remote.handlers,

    'sign.tokens': () => tokensState(),

    'sign.demo.create': async () => {
      const { tokens } = await tokensState();
      if (demoTokens && tokens.length === 0 && !demoTokens.exists(deps.dataDir) && canMakeDemo()) {
        const user = deps.user();
        demoTokens.create(deps.dataDir, { name: user?.name ?? 'Pejabat Demo', nip: user?.nip ?? '000000000000000000' });
        deps.log.info('demo token created', { dir: join(deps.dataDir, 'demo-token') });
      }
      const state = await tokensState();
      bus.emit('sign.tokens.changed', state);
      return state;
    },

    'sign.login': async ({ serial, pin }) => {
      const { path } = await modulePath();
      if (path === null) throw new AppError('TOKEN_MODULE_MISSING');
      const opened = await devices.request('token.login', { modulePath: path, serial, pin });
      sessions.set(opened.sessionId, { serial });
      return { sessionId: opened.sessionId, token: opened.token, certificates: opened.certificates.map((c) => toView(c, store.settings.get().timeZone)) };
    },

    'sign.logout': async ({ sessionId }) => {
      sessions.delete(sessionId);
      await devices.request('token.logout', { sessionId });
      return null;
    },

    'sign.identity': () => {
      const user = deps.user();
      return { user: user ? { name: user.name, nip: user.nip, position: user.position } : null, refusal: signingRefusalFor(user)?.toIpc() ?? null, verificationUrl: verificationUrl() };
    },

    'sign.letters': () => {
      const user = deps.user();
      // Besides their own, a Plh/Plt sees the drafted letters of the position they hold, while they hold it.
      const delegatedFrom = user === null || deps.drafted === undefined ? new Set<string>() : deps.drafted.delegatedFrom(user.id);
      const mine = (l: Letter) => user === null || l.signerUserId === user.id || l.signerUserId === user.username
        || (l.signerUserId !== null && delegatedFrom.has(l.signerUserId) && deps.drafted?.draftOf(l.id) !== undefined);
      return Promise.all(lettersReadyToSign(store).filter(mine).map((l) => letterView(store, officials, places, l, signingOf(deps.drafted, l, user))));
    },

    'sign.check': ({ letterIds }) => {
      const refusal = refusalOfAll(letterIds, deps.user());
      if (refusal) throw refusal;
      return null;
    },

    'sign.refused': () => store.signatures.refusedByServer().map((r) => {
      const letter = store.letters.get(r.letterId);
      return { ...r, subject: letter?.subject ?? '', letterNumber: letter?.letterNumber ?? null, draftId: store.paraf.draftOfLetter(r.letterId) ?? null };
    }),

    'sign.void': ({ letterId, reason }) => {
      voidRefusedLetter(store, letterId, reason, deps.actor());
      log.info('letter signed here voided after the server refused its signature', { letterId });
      bus.emit('dashboard.changed', {});
      deps.outboxChanged?.();
      return null;
    },

    'sign.stamp.place': async ({ letterId, page, x, y }) => {
      const letter = lettersReadyToSign(store).find((l) => l.id === letterId);
      if (letter?.documentHash == null) throw new AppError('LETTER_NOT_READY_TO_SIGN', undefined, { letterId });
      await places.choose({ id: letter.id, documentHash: letter.documentHash }, { page, x, y }, deps.actor());
      bus.emit('dashboard.changed', {});
      return letterView(store, officials, places, letter);
    },

    'sign.batch': async (request) => {
      const user = deps.user();
      const refusal = signingRefusalFor(user) ?? refusalOfAll(request.letterIds, user);
      if (refusal) throw refusal;
      let signer: Signer;
      if ('service' in request) {
        signer = await remote.signerFor(request);
      } else {
        const { sessionId, certificateId, pin } = request;
        if (!sessions.has(sessionId)) throw new AppError('TOKEN_FAILED', 'Sesi token sudah berakhir. Masukkan PIN lagi untuk melanjutkan; tidak ada dokumen yang berubah.');
        signer = await deviceTokenSigner(devices, pin === undefined ? { sessionId, certificateId } : { sessionId, certificateId, pin });
      }
      const [leaf] = signer.certificateChain;
      const cert = leaf ? describeCertificate(leaf) : null;
      const identity: SignerIdentity = {
        name: user?.name ?? cert?.commonName ?? '',
        nip: user?.nip ?? cert?.subjectSerialNumber ?? '',
        position: user?.position ?? store.settings.get().officeName,
      };
      const tsa = timestamper();
      const ocspUrl = configured('ocspUrl', 'LOKET_OCSP_URL');
      const results = await signBatch(request.letterIds, {
        store, blobs, signer, identity, verificationUrl: verificationUrl(), actor: deps.actor(),
        ...(tsa ? { timestamper: tsa } : {}),
        ...(ocspUrl ? { longTerm: { trustAnchors: trustAnchors(), ocspUrl } } : {}),
        placement: (pdf, letter) => places.placement(letter, pdf),
        ...(deps.drafted ? { drafted: (letter: Letter, numbered: LetterChanges) => deps.drafted!.compose(letter, numbered, user) } : {}),
        onProgress: (progress) => bus.emit('sign.progress', progress),
        numbering: outgoingNumbers(store, {
          today: localDate(new Date(), store.settings.get().timeZone), hasServer: (deps.server?.() ?? store.settings.get().serverUrl) !== '', officeName: user?.officeName ?? store.settings.get().officeName,
        }),
      });
      bus.emit('dashboard.changed', {});
      void runUpgrades();
      return { results };
    },

    'sign.outgoing.import': async ({ uploadId, fileName, subject, addressee, signer, classificationCode, security }) => {
      const bytes = new Uint8Array(await deps.transfers.take(uploadId));
      const official = await officials.resolve(signer);
      const letter = await importOutgoingForSigning(store, blobs, { bytes, fileName, subject, addressee, signer: official, classificationCode, security }, deps.actor());
      bus.emit('dashboard.changed', {});
      return letterView(store, officials, places, letter);
    },

    'sign.validate': async ({ uploadId, fileName }) => {
      // The file read back is handed to the worker: a 50 MB file is never copied on this thread.
      const { report, documentHash } = await validator.validate(await deps.transfers.take(uploadId), trustAnchors());
      return {
        fileName,
        documentHash,
        verdict: report.verdict,
        document: report.document,
        warnings: report.warnings,
        valid: report.valid,
        signatures: report.signatures.map((s) => ({
          kind: s.kind,
          fieldName: s.fieldName,
          signer: s.signer && { commonName: s.signer.commonName, subjectSerialNumber: s.signer.subjectSerialNumber, issuerCommonName: s.signer.issuerCommonName, validFrom: s.signer.validFrom, validTo: s.signer.validTo },
          signingTime: s.signingTime, integrity: s.integrity, coverage: s.coverage, additions: s.additions,
          changes: s.changes.slice(0, maxListedChanges), permittedChanges: s.permittedChanges.slice(0, maxListedChanges),
          trust: s.trust, timestamp: s.timestamp, revocation: s.revocation, verdict: s.verdict, problems: s.problems, warnings: s.warnings,
        })),
      };
    },

    'sign.report.pdf': async ({ report }) => deps.transfers.offer(
      { bytes: await validationReportPdf(report, store.settings.get().timeZone) },
      `laporan-periksa-${report.fileName.replace(/\.pdf$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 80)}.pdf`,
      'application/pdf',
    ),
  };
}

export function signingCapability(desk: Desk): Capability {
  // Periksa: received PDFs are checked in their own worker thread, started on first use.
  const validator = createSignatureValidator({ log: desk.log.child({ part: 'periksa' }) });
  return {
    handlers: signingHandlers({
      store: desk.store, devices: desk.devices, bus: desk.bus, validator, dataDir: desk.dataDir, user: () => desk.sync.session.user(), server: () => desk.sync.serverUrl(),
      actor: desk.actor, log: desk.log.child({ part: 'sign' }), transfers: desk.transfers,
      officials: signingOfficials({ store: desk.store, server: officialsServer(desk), log: desk.log.child({ part: 'officials' }) }), ...(desk.aids ? { demoTokens: desk.aids.demoTokens } : {}),
      drafted: draftedSigning({ store: desk.store, renderer: deskDraftRenderer(desk) }), outboxChanged: () => desk.syncSoon(),
      ...(desk.keychain ? { keychain: desk.keychain } : {}),
    }),
    close: () => validator.close(),
  };
}
