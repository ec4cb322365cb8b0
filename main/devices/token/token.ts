// USB certificate tokens through their PKCS#11 module (pkcs11js): list tokens by label and serial,
// read their PIN flags, log in with the PIN the person typed, list certificates with their keys, and
// sign on the token. Runs in the device worker only — a vendor module that crashes takes this process
// down, not the database. The PIN is passed to C_Login and forgotten: never stored, logged or retried.
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { AppError } from '../../../common/errors.ts';
import type { Logger } from '../../../common/logger.ts';
import { describeCertificate, signingRefusal, type CertificateInfo } from '../../../common/certificate.ts';
import type { KeySigner, SignatureAlgorithm } from '../../../common/signer.ts';
import { withTestFaults } from './faults.ts';

export interface TokenFlags {
  loginRequired: boolean;
  pinInitialized: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
  pinToBeChanged: boolean;
}

/** A token as the person knows it. Slot ids are not part of it: they change between plug-ins. */
export interface TokenSummary {
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  flags: TokenFlags;
}

export interface TokenRef {
  serial: string;
}

export interface TokenCertificate {
  /** CKA_ID in hex: the certificate and its private key share it. */
  id: string;
  label: string;
  der: Uint8Array;
  info: CertificateInfo;
  /** A private key with the same CKA_ID is on the token. */
  hasPrivateKey: boolean;
  /** null when Loket cannot sign with this kind of key (RSA and EC P-256 are supported). */
  algorithm: SignatureAlgorithm | null;
  /** The key asks for the PIN again before every signature (CKA_ALWAYS_AUTHENTICATE). */
  alwaysAuthenticate: boolean;
}

// CK_SLOT_INFO flag (PKCS#11 2.40 §3.2); pkcs11js exports it but its typings lack it.
const CKF_TOKEN_PRESENT = 0x1;

const ckrNames = new Map<number, string>(
  Object.entries(pkcs11js).filter(([k, v]) => k.startsWith('CKR_') && typeof v === 'number').map(([k, v]) => [v as number, k]),
);

const removedCodes = new Set([pkcs11js.CKR_DEVICE_REMOVED, pkcs11js.CKR_TOKEN_NOT_PRESENT, pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED, pkcs11js.CKR_SLOT_ID_INVALID, pkcs11js.CKR_TOKEN_NOT_RECOGNIZED, pkcs11js.CKR_DEVICE_ERROR]);

/** The CKR_* code of a pkcs11js failure, 0 when it is not a PKCS#11 return value. */
function ckrOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && code > 0) return code;
  const m = /CKR_[A-Z_]+:(\d+)/.exec(String((err as { message?: unknown } | null)?.message ?? ''));
  return m ? Number(m[1]) : 0;
}

/** Maps a module failure to what the person can act on; the raw code stays in details for engineers. */
function tokenError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = ckrOf(err);
  const details = { ckr: ckrNames.get(code) ?? String(code) };
  if (removedCodes.has(code)) return new AppError('TOKEN_REMOVED', undefined, details, { cause: err });
  if (code === pkcs11js.CKR_PIN_LOCKED) return new AppError('PIN_LOCKED', undefined, details, { cause: err });
  if (code === pkcs11js.CKR_PIN_INVALID || code === pkcs11js.CKR_PIN_LEN_RANGE) return new AppError('PIN_INVALID', undefined, details, { cause: err });
  return new AppError('TOKEN_FAILED', undefined, details, { cause: err });
}

function readFlags(flags: number): TokenFlags {
  const has = (bit: number) => (flags & bit) === bit;
  return {
    loginRequired: has(pkcs11js.CKF_LOGIN_REQUIRED),
    pinInitialized: has(pkcs11js.CKF_USER_PIN_INITIALIZED),
    pinCountLow: has(pkcs11js.CKF_USER_PIN_COUNT_LOW),
    pinFinalTry: has(pkcs11js.CKF_USER_PIN_FINAL_TRY),
    pinLocked: has(pkcs11js.CKF_USER_PIN_LOCKED),
    pinToBeChanged: has(pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
  };
}

function summarise(info: pkcs11js.TokenInfo): TokenSummary {
  return {
    label: info.label.trim(),
    serial: info.serialNumber.trim(),
    manufacturer: info.manufacturerID.trim(),
    model: info.model.trim(),
    flags: readFlags(info.flags),
  };
}

/**
 * A wrong PIN, worded by what the token says about the tries left after the failure. PKCS#11 gives no
 * count, only flags: "final try" is exactly one left; "count low" is some, how many is not known, and
 * the message says so rather than guess.
 */
function wrongPin(flags: TokenFlags | null, cause: unknown): AppError {
  if (flags?.pinLocked) {
    return new AppError('PIN_LOCKED', 'PIN salah, dan token kini terkunci karena PIN salah terlalu sering. Hubungi penerbit sertifikat untuk membuka kuncinya; tidak ada dokumen yang berubah.', { triesLeft: 'none' }, { cause });
  }
  if (flags?.pinFinalTry) {
    return new AppError('PIN_INCORRECT', 'PIN salah. Kesempatan tinggal satu kali lagi: bila PIN salah sekali lagi, token terkunci. Periksa PIN dengan teliti sebelum mencoba lagi.', { triesLeft: 'one' }, { cause });
  }
  if (flags?.pinCountLow) {
    return new AppError('PIN_INCORRECT', 'PIN salah. Token melaporkan bahwa sisa percobaan PIN sudah sedikit, tetapi tidak memberitahukan jumlah pastinya (token hanya menandai "sedikit" dan "terakhir"). Periksa PIN dengan teliti sebelum mencoba lagi.', { triesLeft: 'few' }, { cause });
  }
  return new AppError('PIN_INCORRECT', undefined, { triesLeft: 'unknown' }, { cause });
}

const lockedBeforeLogin = () => new AppError('PIN_LOCKED', undefined, { triesLeft: 'none' });

// One loaded and initialised module per path per process: C_Initialize twice is an error on most
// modules, and C_Finalize while another caller still holds sessions would pull them away.
const loaded = new Map<string, pkcs11js.PKCS11>();
/** The logged-in session of each token (module path + serial): at most one, see login(). */
const openSessions = new Map<string, TokenSession>();

export function openTokenModule(modulePath: string, logger: Logger): TokenModule {
  let p11 = loaded.get(modulePath);
  if (p11 === undefined) {
    if (!existsSync(modulePath)) {
      throw new AppError('TOKEN_MODULE_MISSING', `Driver token (modul PKCS#11) tidak ditemukan di ${modulePath}. Pasang driver dari penerbit token atau pilih lokasi modul yang benar di Pengaturan.`, { modulePath });
    }
    const raw = new pkcs11js.PKCS11();
    try {
      raw.load(modulePath);
    } catch (err) {
      throw new AppError('TOKEN_MODULE_MISSING', `Berkas ${modulePath} tidak dapat dimuat sebagai driver token (modul PKCS#11). Pilih berkas modul yang benar di Pengaturan.`, { modulePath }, { cause: err });
    }
    try {
      raw.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (err) {
      if (ckrOf(err) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw tokenError(err);
    }
    const info = raw.C_GetInfo();
    logger.info('pkcs11 module initialised', { modulePath, library: info.libraryDescription.trim(), manufacturer: info.manufacturerID.trim() });
    p11 = withTestFaults(raw);
    loaded.set(modulePath, p11);
  }
  return new TokenModule(modulePath, p11, logger);
}

export class TokenModule {
  readonly path: string;
  readonly #p11: pkcs11js.PKCS11;
  readonly #logger: Logger;

  constructor(path: string, p11: pkcs11js.PKCS11, logger: Logger) {
    this.path = path;
    this.#p11 = p11;
    this.#logger = logger.child({ module: 'token' });
  }

  /** Tokens present now. Called again to notice insertion and removal. */
  listTokens(): TokenSummary[] {
    try {
      return this.#present().map(({ token }) => token);
    } catch (err) {
      throw tokenError(err);
    }
  }

  #present(): { slot: pkcs11js.Handle; token: TokenSummary }[] {
    return this.#p11.C_GetSlotList(true).flatMap((slot) => {
      let info: pkcs11js.TokenInfo;
      try {
        info = this.#p11.C_GetTokenInfo(slot);
      } catch (err) {
        // A token being pulled out answers with errors for a moment; it is simply not there.
        this.#logger.warn('token unreadable, not listed', { ckr: ckrNames.get(ckrOf(err)) ?? ckrOf(err) });
        return [];
      }
      // A blank, never-initialised token (SoftHSM always offers one) holds nothing to sign with.
      return (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 ? [{ slot, token: summarise(info) }] : [];
    });
  }

  #findSlot(ref: TokenRef): { slot: pkcs11js.Handle; token: TokenSummary } {
    const found = this.#present().find(({ token }) => token.serial === ref.serial);
    if (found === undefined) throw new AppError('TOKEN_NOT_FOUND', undefined, { serial: ref.serial });
    return found;
  }

  /** Opens a session and logs in with the PIN the person just typed. One attempt, never retried. */
  login(ref: TokenRef, pin: string): TokenSession {
    const p11 = this.#p11;
    let found: { slot: pkcs11js.Handle; token: TokenSummary };
    let session: pkcs11js.Handle;
    try {
      found = this.#findSlot(ref);
      if (found.token.flags.pinLocked) throw lockedBeforeLogin();
      session = p11.C_OpenSession(found.slot, pkcs11js.CKF_SERIAL_SESSION);
    } catch (err) {
      throw tokenError(err);
    }
    // PKCS#11 login state belongs to the whole process, and a token that is already logged in
    // answers C_Login with CKR_USER_ALREADY_LOGGED_IN without checking the PIN. So an earlier session
    // on this token is ended first: every login proves the PIN to the token itself.
    const key = `${this.path}\n${found.token.serial}`;
    openSessions.get(key)?.close();
    try {
      p11.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (err) {
      const code = ckrOf(err);
      try { p11.C_CloseSession(session); } catch { /* the session goes with the token anyway */ }
      this.#logger.warn('token login refused', { serial: ref.serial, ckr: ckrNames.get(code) ?? code });
      if (code !== pkcs11js.CKR_PIN_INCORRECT) throw tokenError(err);
      let after: TokenFlags | null = null;
      try { after = readFlags(p11.C_GetTokenInfo(found.slot).flags); } catch { /* token gone: plain message */ }
      throw wrongPin(after, err);
    }
    this.#logger.info('token login', { serial: ref.serial, label: found.token.label });
    const opened = new TokenSession(p11, found.slot, session, found.token, this.#logger, () => {
      if (openSessions.get(key) === opened) openSessions.delete(key);
    });
    openSessions.set(key, opened);
    return opened;
  }
}

function attributes(p11: pkcs11js.PKCS11, session: pkcs11js.Handle, object: pkcs11js.Handle, types: number[]): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const type of types) {
    // One attribute per call: a module answers CKR_ATTRIBUTE_TYPE_INVALID for the whole template
    // when one attribute is unknown to it.
    try {
      const [attr] = p11.C_GetAttributeValue(session, object, [{ type }]);
      if (attr) out.set(type, attr.value);
    } catch (err) {
      if (removedCodes.has(ckrOf(err))) throw err;
    }
  }
  return out;
}

function findObjects(p11: pkcs11js.PKCS11, session: pkcs11js.Handle, template: pkcs11js.Template): pkcs11js.Handle[] {
  p11.C_FindObjectsInit(session, template);
  try {
    const found: pkcs11js.Handle[] = [];
    for (;;) {
      const batch = p11.C_FindObjects(session, 32);
      found.push(...batch);
      if (batch.length < 32) return found;
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** A private key ready to sign with: its handle in this session and the mechanism the token offers for it. */
interface SigningKey {
  handle: pkcs11js.Handle;
  alwaysAuthenticate: boolean;
  mechanism: number;
}

const mechanismNames = new Map([[pkcs11js.CKM_SHA256_RSA_PKCS, 'CKM_SHA256_RSA_PKCS'], [pkcs11js.CKM_RSA_PKCS, 'CKM_RSA_PKCS'], [pkcs11js.CKM_ECDSA, 'CKM_ECDSA']]);
const staleHandle = new Set([pkcs11js.CKR_OBJECT_HANDLE_INVALID, pkcs11js.CKR_KEY_HANDLE_INVALID]);
// DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1), for modules that only do raw PKCS#1.
const sha256DigestInfoPrefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** PKCS#11 returns ECDSA signatures as r||s; CMS wants the DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const v = bytes.subarray(i);
    const body = (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : Buffer.from(v);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, seq.length]), seq]));
}

export class TokenSession {
  readonly token: TokenSummary;
  readonly #p11: pkcs11js.PKCS11;
  readonly #slot: pkcs11js.Handle;
  readonly #session: pkcs11js.Handle;
  readonly #logger: Logger;
  readonly #onClose: () => void;
  #closed = false;

  constructor(p11: pkcs11js.PKCS11, slot: pkcs11js.Handle, session: pkcs11js.Handle, token: TokenSummary, logger: Logger, onClose: () => void) {
    this.#p11 = p11;
    this.#slot = slot;
    this.#session = session;
    this.token = token;
    this.#logger = logger;
    this.#onClose = onClose;
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('TOKEN_FAILED', 'Sesi token sudah berakhir. Masukkan PIN lagi untuk melanjutkan; tidak ada dokumen yang berubah.');
  }

  listCertificates(): TokenCertificate[] {
    this.#assertOpen();
    const p11 = this.#p11;
    try {
      const certs = findObjects(p11, this.#session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]);
      return certs.flatMap((handle) => {
        const a = attributes(p11, this.#session, handle, [pkcs11js.CKA_VALUE, pkcs11js.CKA_ID, pkcs11js.CKA_LABEL]);
        const der = a.get(pkcs11js.CKA_VALUE);
        if (!der || der.length === 0) return [];
        const id = a.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0);
        const key = this.#privateKey(id);
        let info: CertificateInfo;
        try {
          info = describeCertificate(der);
        } catch (err) {
          this.#logger.warn('unreadable certificate on token', { id: id.toString('hex'), err });
          return [];
        }
        return [{
          id: id.toString('hex'),
          label: a.get(pkcs11js.CKA_LABEL)?.toString('utf8') ?? '',
          der: new Uint8Array(der),
          info,
          hasPrivateKey: key !== null,
          algorithm: key?.algorithm === 'ecdsa-p256' && !isP256(der) ? null : (key?.algorithm ?? null),
          alwaysAuthenticate: key?.alwaysAuthenticate ?? false,
        }];
      });
    } catch (err) {
      throw tokenError(err);
    }
  }

  #privateKey(id: Buffer): { handle: pkcs11js.Handle; algorithm: SignatureAlgorithm | null; alwaysAuthenticate: boolean } | null {
    if (id.length === 0) return null;
    const [handle] = findObjects(this.#p11, this.#session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: id },
    ]);
    if (handle === undefined) return null;
    const a = attributes(this.#p11, this.#session, handle, [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ALWAYS_AUTHENTICATE]);
    // CK_ULONG in the machine's byte order; every platform Loket ships on is little-endian.
    const keyTypeBytes = a.get(pkcs11js.CKA_KEY_TYPE);
    const keyType = keyTypeBytes && keyTypeBytes.length >= 4 ? keyTypeBytes.readUInt32LE(0) : -1;
    const algorithm = keyType === pkcs11js.CKK_RSA ? 'rsa' : keyType === pkcs11js.CKK_EC ? 'ecdsa-p256' : null;
    return { handle, algorithm, alwaysAuthenticate: (a.get(pkcs11js.CKA_ALWAYS_AUTHENTICATE)?.[0] ?? 0) === 1 };
  }

  /**
   * A Signer for the certificate with this CKA_ID. Refuses a certificate that must not sign
   * (expired, not yet valid, no signing key usage). `pin` is needed only for always-authenticate
   * keys, which ask for it again at every signature; the caller holds it no longer than its batch.
   */
  signer(certificateId: string, options: { pin?: string; now?: Date } = {}): KeySigner & { certificate: TokenCertificate } {
    const certs = this.listCertificates();
    const certificate = certs.find((c) => c.id === certificateId);
    if (!certificate || !certificate.hasPrivateKey) {
      throw new AppError('NOT_FOUND', 'Sertifikat penandatanganan beserta kuncinya tidak ditemukan pada token ini. Pilih sertifikat lain atau tancapkan token yang benar.', { certificateId });
    }
    if (certificate.algorithm === null) {
      throw new AppError('TOKEN_FAILED', 'Jenis kunci pada sertifikat ini belum dapat dipakai Loket (yang didukung: RSA dan EC P-256). Pilih sertifikat lain; tidak ada dokumen yang berubah.', { certificateId });
    }
    const refusal = signingRefusal(certificate.info, options.now);
    if (refusal) throw refusal;
    if (certificate.alwaysAuthenticate && options.pin === undefined) {
      throw new AppError('PIN_INCORRECT', 'Kunci pada token ini meminta PIN setiap kali menandatangani. Masukkan PIN untuk melanjutkan.', { triesLeft: 'unknown', pinRequired: true });
    }
    const algorithm = certificate.algorithm;
    // Found once for the signer's whole batch: the key's handle stays valid for this session, and
    // the mechanisms a token offers do not change while it is plugged in.
    const key = this.#signingKey(certificate, algorithm);
    return {
      certificate,
      certificateChain: [certificate.der, ...issuerChain(certificate.der, certs.map((c) => c.der))],
      algorithm,
      sign: (data) => this.#sign(certificate, key, data, options.pin),
    };
  }

  #signingKey(certificate: TokenCertificate, algorithm: SignatureAlgorithm): SigningKey {
    try {
      const key = this.#privateKey(Buffer.from(certificate.id, 'hex'));
      if (key === null) throw new AppError('TOKEN_REMOVED');
      if (algorithm === 'ecdsa-p256') return { ...key, mechanism: pkcs11js.CKM_ECDSA };
      const offered = this.#p11.C_GetMechanismList(this.#slot);
      if (offered.includes(pkcs11js.CKM_SHA256_RSA_PKCS)) return { ...key, mechanism: pkcs11js.CKM_SHA256_RSA_PKCS };
      if (offered.includes(pkcs11js.CKM_RSA_PKCS)) return { ...key, mechanism: pkcs11js.CKM_RSA_PKCS };
      throw new AppError('TOKEN_FAILED', 'Token ini tidak menyediakan tanda tangan RSA PKCS#1 yang dibutuhkan. Gunakan token lain.', { mechanisms: offered.length });
    } catch (err) {
      throw this.#removedIfGone(tokenError(err));
    }
  }

  async #sign(certificate: TokenCertificate, key: SigningKey, data: Uint8Array, pin: string | undefined): Promise<Uint8Array> {
    const p11 = this.#p11;
    try {
      this.#assertOpen();
      const input = key.mechanism === pkcs11js.CKM_SHA256_RSA_PKCS ? Buffer.from(data)
        : key.mechanism === pkcs11js.CKM_RSA_PKCS ? Buffer.concat([sha256DigestInfoPrefix, sha256(data)])
          : sha256(data);
      p11.C_SignInit(this.#session, { mechanism: key.mechanism }, key.handle);
      if (key.alwaysAuthenticate) this.#contextLogin(pin ?? '');
      const signature = await new Promise<Buffer>((resolve, reject) => {
        p11.C_Sign(this.#session, input, Buffer.alloc(1024), (err, out) => (err ? reject(err) : resolve(out)));
      });
      this.#logger.info('signed on token', { serial: this.token.serial, certificate: certificate.info.fingerprintSha256, mechanism: mechanismNames.get(key.mechanism) });
      return key.mechanism === pkcs11js.CKM_ECDSA ? ecdsaRawToDer(signature) : new Uint8Array(signature);
    } catch (err) {
      // A key handle the module no longer knows: the key went with the token when it is no longer
      // on it (SoftHSM answers so once its files are gone, where a USB token reports the removal).
      if (staleHandle.has(ckrOf(err)) && this.#keyGone(certificate)) throw new AppError('TOKEN_REMOVED', undefined, { ckr: ckrNames.get(ckrOf(err)) }, { cause: err });
      throw this.#removedIfGone(tokenError(err));
    }
  }

  #keyGone(certificate: TokenCertificate): boolean {
    try {
      return this.#privateKey(Buffer.from(certificate.id, 'hex')) === null;
    } catch {
      return true;
    }
  }

  #contextLogin(pin: string): void {
    try {
      this.#p11.C_Login(this.#session, pkcs11js.CKU_CONTEXT_SPECIFIC, pin);
    } catch (err) {
      if (ckrOf(err) !== pkcs11js.CKR_PIN_INCORRECT) throw err;
      let after: TokenFlags | null = null;
      try { after = readFlags(this.#p11.C_GetTokenInfo(this.#slot).flags); } catch { /* token gone */ }
      throw wrongPin(after, err);
    }
  }

  /** Modules differ in what they return once the token is gone; the slot saying so is decisive. */
  #removedIfGone(err: AppError): AppError {
    if (err.code !== 'TOKEN_FAILED') return err;
    try {
      const present = (this.#p11.C_GetSlotInfo(this.#slot).flags & CKF_TOKEN_PRESENT) !== 0;
      if (present) return err;
    } catch { /* slot gone too */ }
    return new AppError('TOKEN_REMOVED', undefined, err.details, { cause: err });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
    try {
      this.#p11.C_Logout(this.#session);
    } catch { /* already logged out, or the token is gone */ }
    try {
      this.#p11.C_CloseSession(this.#session);
    } catch { /* the token is gone */ }
  }
}

/** Only P-256 EC keys are offered: the CMS says ecdsa-with-SHA256, which other curves should not pair with. */
function isP256(certificateDer: Uint8Array): boolean {
  return new X509Certificate(certificateDer).publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

/** The issuers of `leaf` among `candidates` (tokens often carry the CA chain), leaf's issuer first. */
function issuerChain(leaf: Uint8Array, candidates: Uint8Array[]): Uint8Array[] {
  const chain: Uint8Array[] = [];
  let current = new X509Certificate(leaf);
  for (let depth = 0; depth < 5; depth++) {
    if (current.issuer === current.subject) break;
    const issuerDer = candidates.find((c) => {
      const x = new X509Certificate(c);
      return x.subject === current.issuer && current.checkIssued(x) && current.verify(x.publicKey);
    });
    if (!issuerDer) break;
    chain.push(issuerDer);
    current = new X509Certificate(issuerDer);
  }
  return chain;
}
