// Signing the letters waiting for an official, many at once: one token login (the PIN entered
// once) signs them in turn, reporting progress and a result per letter. A remote signer is
// authorized once for the whole batch instead: every letter is prepared first, and the PIN/OTP or
// passphrase covers exactly their hashes in one request to the service (CSC SCAL2); a refused
// authorization or an unreachable service changes nothing and is thrown before any letter is
// reported. A letter counts as signed only when its signed PDF is safely in the blob store AND the
// row saying so is committed — with its audit entry (certificate fingerprint, document hash) and
// outbox mutation in the same transaction. A token pulled out, a wrong PIN or a dead device worker
// stops the batch: letters already signed stay signed, the rest stay waiting, untouched.
import { PDFDocument } from 'pdf-lib';
import type { DocumentRow } from '../store/documents.ts';
import type { BlobStore, PutResult, StagedBlob } from '../documents/blob-store.ts';
import type { IpcError } from '../../common/ipc/index.ts';
import { AppError, fromSystemError } from '../../common/errors.ts';
import type { SignatureLevel } from '../store/signatures.ts';
import type { Store } from '../store/store.ts';
import type { Letter, LetterChanges } from '../store/letters.ts';
import type { ComposedLetter, SigningAs } from './drafted.ts';
import type { OutgoingNumbers } from '../letters/outgoing/outgoing.ts';
import { numberTheLetter } from './letter-number.ts';
import { findAnchor } from './pades/anchor.ts';
import { addLongTermValidation } from './pades/long-term.ts';
import { assembleCadesSignature, cadesSignedAttributes } from './pades/cms.ts';
import { checkReceivedSignature, checkSignatureValue, completeSignature, embedSignature, prepareSignature, stampOverAnchor, type PreparedSignature, type SignedPdf, type StampPlacement } from './pades/sign.ts';
import { buildsItsOwnCms, type BatchAuthorization, type Signer } from '../../common/signer.ts';
import { stampSize } from './pades/stamp.ts';
import type { Timestamper } from './pades/timestamp.ts';

export type LetterOutcome = 'signed' | 'failed' | 'waiting';

export interface LetterResult {
  letterId: string;
  subject: string;
  outcome: LetterOutcome;
  /** For a signed letter: its PAdES level (B-B when the TSA was out of reach; upgraded later). */
  level: SignatureLevel | null;
  error: IpcError | null;
}

export interface BatchProgress {
  /** Letters finished (signed or failed) so far. */
  done: number;
  total: number;
  result: LetterResult;
}

/** Who signs, as the stamp shows it: the official's name, NIP and position. */
export interface SignerIdentity {
  name: string;
  nip: string;
  position: string;
}

export interface SignBatchOptions {
  store: Store;
  blobs: BlobStore;
  /** One logged-in token key, or one remote signer, for the whole batch. */
  signer: Signer;
  identity: SignerIdentity;
  /** The office server's public verification page, for the stamp's QR code; null when the desk knows none. */
  verificationUrl: string | null;
  timestamper?: Timestamper;
  /**
   * B-LT: after the timestamp, the chain's certificates and fresh OCSP answers go into the letter's
   * DSS. When the responder cannot be reached the letter keeps its B-T signature.
   */
  longTerm?: { trustAnchors: Uint8Array[]; ocspUrl?: string };
  /**
   * Where the stamp goes (the desk: main/sign/stamp-place.ts, at the signature block); by default at
   * the template's anchor, else the foot of the last page.
   */
  placement?: (pdf: Uint8Array, letter: Letter & { documentHash: string }) => Promise<StampPlacement>;
  actor: string;
  onProgress?: (progress: BatchProgress) => void;
  /**
   * A letter made from a draft, rendered afresh with its number and date and the signer block of who
   * signs (main/sign/drafted.ts), with where its stamp goes and the authority it is signed under;
   * null for any other letter, whose number is written on the PDF as imported (letter-number.ts).
   */
  drafted?: (letter: Letter, numbered: LetterChanges) => Promise<ComposedLetter | null>;
  /**
   * The agenda entry a letter takes as it is signed (its outgoing number): taken before the letter is
   * signed and written on it, recorded with the signature in one transaction, given back when the
   * letter ends up not signed. When taking one throws, the letter is not signed.
   */
  numbering?: OutgoingNumbers;
}

/** The anchor text the letter templates leave where the signature belongs. */
export const signatureAnchor = '${ttd_pengirim}';

/** Over the template's anchor when the letter has one; otherwise bottom right of the last page. */
export async function defaultPlacement(pdf: Uint8Array): Promise<StampPlacement> {
  // The position found is returned as it is: handing back the anchor would search the letter twice.
  const anchor = await findAnchor(pdf, signatureAnchor);
  if (anchor) return stampOverAnchor(anchor);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages();
  const { width } = pages.at(-1)!.getSize();
  return { page: pages.length, x: Math.max(0, width - stampSize.width - 40), y: 60 };
}

/** Failures of the token or its worker: nothing more can be signed in this batch. */
const stopsTheBatch = new Set<string>(['TOKEN_REMOVED', 'TOKEN_FAILED', 'TOKEN_NOT_FOUND', 'PIN_INCORRECT', 'PIN_INVALID', 'PIN_LOCKED',
  'DEVICE_WORKER_CRASHED', 'DEVICE_TIMEOUT', 'DEVICE_UNAVAILABLE', 'STORAGE_FULL', 'STORAGE_FAILED']);

function ipcError(err: unknown): IpcError {
  return (err instanceof AppError ? err : fromSystemError(err) ?? new AppError('INTERNAL', undefined, undefined, { cause: err })).toIpc();
}

function readyToSign(letter: Letter | undefined): letter is Letter & { documentHash: string } {
  return letter !== undefined && letter.direction === 'outgoing' && letter.status === 'ready_to_sign' && letter.documentHash !== null;
}

/** A letter drafted in Loket carries who signed it how (the block printed, the claim for the server); an imported one null. */
type SignedLetter = Omit<SignedPdf, 'level'> & { level: SignatureLevel; as: SigningAs | null };
type Prepared = PreparedSignature & { as: SigningAs | null };

/**
 * The letter's PDF with its number on it and the place for its signature made, ready for the token;
 * nothing is signed yet. A drafted letter is rendered afresh with its values; an imported one has
 * them written over its reserved places.
 */
async function prepareLetter(letter: Letter & { documentHash: string }, options: SignBatchOptions): Promise<Prepared> {
  const numbered = options.numbering?.take(letter) ?? {};
  const composed = await options.drafted?.(letter, numbered) ?? null;
  // A Buffer is a Uint8Array: no copy of what may be a scan of many megabytes.
  const input = composed?.pdf ?? await numberTheLetter(await options.blobs.read(letter.documentHash), numbered);
  const at = composed?.at ?? await (options.placement ?? defaultPlacement)(input, letter);
  const prepared = await prepareSignature(input, {
    signer: options.signer,
    reason: 'Menyetujui dan menandatangani surat',
    stamp: { ...(composed?.identity ?? options.identity), verificationUrl: options.verificationUrl, documentId: letter.id, timeZone: options.store.settings.get().timeZone, at },
  });
  return Object.assign(prepared, { as: composed && { block: composed.block, identity: composed.identity, authority: composed.authority } });
}

/** A signed PDF in memory with its validation data when asked for (B-LT); nothing is written yet. */
async function withLongTerm(signed: SignedPdf, options: SignBatchOptions): Promise<Omit<SignedLetter, 'as'>> {
  if (!options.longTerm || signed.level !== 'B-T') return signed;
  try {
    const { pdf } = await addLongTermValidation(signed.pdf, options.longTerm);
    return { ...signed, pdf, level: 'B-LT' };
  } catch (err) {
    if (err instanceof AppError && err.code === 'REVOCATION_UNAVAILABLE') return signed;
    throw err;
  }
}

/** A letter signed on the token whose signed PDF is being written to the blob store. */
interface Storing {
  letter: Letter & { documentHash: string };
  base: Omit<LetterResult, 'outcome' | 'error'>;
  signed: SignedLetter;
  /** Settles (never rejects) once the PDF is durable in the blob store or failed to be. */
  stored: Promise<void>;
  put: PutResult | null;
  putError: unknown;
  settled: boolean;
}

/** A letter whose result is known at once (not ready, not signed), waiting for its turn to be reported. */
type Queued = { result: LetterResult } | Storing;

/** A letter the batch has taken up: not ready to sign, or its PDF being prepared for the token. */
type Started = { result: LetterResult } | { letter: Letter & { documentHash: string }; base: Storing['base']; prepared: Promise<Prepared> };

/**
 * Signed letters are committed in groups of this many: one SQLite transaction, so one WAL fsync,
 * for the group. While a group's PDFs are written (their fsyncs side by side), the next group is
 * signed; no more than two groups are ever uncommitted.
 */
const commitGroup = 4;

function startStoring(letter: Letter & { documentHash: string }, base: Storing['base'], signed: SignedLetter, keep: Promise<PutResult>): Storing {
  const storing: Storing = { letter, base, signed, stored: Promise.resolve(), put: null, putError: null, settled: false };
  storing.stored = keep.then(
    (put) => { storing.put = put; },
    (err: unknown) => { storing.putError = err; },
  ).finally(() => { storing.settled = true; });
  return storing;
}

/** The letter's rows: marked signed over its stored PDF, with its signature, audit entry and outbox mutation. */
function recordSigned(store: Store, { letter, signed }: Storing, put: PutResult, options: SignBatchOptions): void {
  const unsigned: DocumentRow | undefined = store.documents.get(letter.documentHash);
  store.documents.upsert({ hash: put.hash, mediaType: 'application/pdf', byteSize: put.size, pageCount: unsigned?.pageCount ?? null, originalName: unsigned?.originalName ?? null });
  store.letters.update(letter.id, { ...options.numbering?.take(letter), status: 'signed', documentHash: put.hash }, options.actor);
  const identity = signed.as?.identity ?? options.identity;
  const signature = store.signatures.insert({
    letterId: letter.id, documentHash: put.hash, unsignedHash: letter.documentHash, certificateFingerprint: signed.certificateFingerprint,
    signerName: identity.name, signerPosition: identity.position, level: signed.level, signedAt: new Date().toISOString(),
  });
  store.audit.append({
    actor: options.actor, action: 'letter.signed', entity: 'letter', entityId: letter.id,
    details: {
      certificateFingerprint: signed.certificateFingerprint, documentHash: put.hash, unsignedHash: letter.documentHash, level: signed.level, field: signed.fieldName, timestamp: signed.timestampError?.code ?? 'ok',
      ...(signed.as?.authority ? { authority: signed.as.authority } : {}),
    },
  });
  store.outbox.append({
    entity: 'signature', entityId: signature.id, op: 'create',
    payload: { ...signature, timeZone: store.settings.get().timeZone, ...(signed.as?.authority ? { authority: signed.as.authority } : {}) },
  });
  // A letter made from a draft's paraf chain: the chain hears it was signed, after the letter's number (above) is on its way.
  const draftId = store.paraf.draftOfLetter(letter.id);
  if (draftId !== undefined) {
    store.paraf.signed({ draftId, version: store.paraf.letterOf(draftId)!.version, letterId: letter.id, signedAt: signature.signedAt }, options.actor);
  }
}

/**
 * Commits stored letters in one transaction, each letter in its own savepoint: a letter whose rows
 * cannot be written fails alone. Returns the failures; the others are signed once this returns.
 */
function commitStored(group: Storing[], options: SignBatchOptions): Map<Storing, unknown> {
  const failures = new Map<Storing, unknown>();
  if (group.length === 0) return failures;
  const { store } = options;
  try {
    store.transaction(() => {
      for (const storing of group) {
        try {
          store.transaction(() => recordSigned(store, storing, storing.put!, options));
        } catch (err) {
          failures.set(storing, err);
        }
      }
    });
  } catch (err) {
    for (const storing of group) failures.set(storing, err);
  }
  return failures;
}

/** How a batch takes up its letters and signs them: in turn on a token, or authorized all at once. */
interface Steps {
  /** Takes up a letter: not to be signed (its result), or its PDF being prepared. */
  start(letterId: string): Started;
  /** The prepared letter signed, in memory; nothing is written yet. */
  complete(prepared: Prepared, letter: Letter): Promise<SignedLetter>;
  /** Writes the signed letter's PDF to the blob store. */
  keep(letter: Letter, signed: SignedLetter): Promise<PutResult>;
  /** Lets go of what letters that were never signed still hold (a batch that failed or stopped). */
  discard?(): Promise<void>;
}

/** A token: each letter is prepared when taken up (the next one while the token signs) and signed in turn. */
function inTurn(options: SignBatchOptions): Steps {
  return {
    start(letterId) {
      const letter = options.store.letters.get(letterId);
      const base = { letterId, subject: letter?.subject ?? '', level: null };
      if (!readyToSign(letter)) return { result: notReady(base) };
      const prepared = prepareLetter(letter, options);
      // Awaited when the letter's turn comes; should the batch stop first, its failure concerns no one.
      prepared.catch(() => undefined);
      return { letter, base, prepared };
    },
    complete: async (prepared) => ({ ...(await withLongTerm(await completeSignature(prepared, options), options)), as: prepared.as }),
    keep: (_letter, signed) => options.blobs.put(signed.pdf),
  };
}

const notReady = (base: Storing['base']): LetterResult => ({ ...base, outcome: 'failed', error: new AppError('LETTER_NOT_READY_TO_SIGN', undefined, { letterId: base.letterId }).toIpc() });

/**
 * The most letters one remote authorization covers here, whatever the service allows: every one of
 * them is prepared before the first signature.
 */
export const maxLettersPerAuthorization = 100;

/**
 * The most bytes of prepared letters one remote authorization holds in memory until the service has
 * signed them: of a batch of large scans beyond it, the first letters are signed and the rest wait
 * with the reason (another authorization signs them).
 */
export const maxBytesPerAuthorization = 512 * 1024 * 1024;

/** A prepared letter waiting for the authorization, its PDF already being written ahead (all but the signature). */
interface Waiting {
  letter: Letter & { documentHash: string };
  base: Storing['base'];
  prepared: Prepared;
  /** null when writing ahead failed: the signed PDF is then stored the ordinary way. */
  staged: Promise<StagedBlob | null>;
}

/**
 * A remote signer: every letter is prepared first, then one authorization signs all of them (their
 * signed attributes, or their document digests for a service that builds the CMS). Throws — before
 * any letter is reported, with nothing written — when the service refuses or cannot be reached.
 * Letters beyond the service's limit stay waiting, with the reason.
 */
async function authorizedOnce(letterIds: string[], authorization: BatchAuthorization, options: SignBatchOptions): Promise<Steps> {
  const limit = Math.min(authorization.limit, maxLettersPerAuthorization);
  const results = new Map<string, LetterResult>();
  const waiting = new Map<string, Waiting>();
  let held = 0;
  for (const letterId of letterIds) {
    const letter = options.store.letters.get(letterId);
    const base = { letterId, subject: letter?.subject ?? '', level: null };
    if (!readyToSign(letter)) {
      results.set(letterId, notReady(base));
    } else if (waiting.size >= limit || held >= maxBytesPerAuthorization) {
      const error = waiting.size >= limit
        ? new AppError('REMOTE_BATCH_LIMIT', `Layanan tanda tangan menerima paling banyak ${limit} surat dalam satu otorisasi. Surat ini tetap menunggu; tanda tangani lagi setelah yang lain selesai.`, { limit })
        : new AppError('REMOTE_BATCH_LIMIT', `Surat-surat yang dipilih terlalu besar untuk satu otorisasi (paling banyak ${maxBytesPerAuthorization / 1024 / 1024} MB sekaligus). Surat ini tetap menunggu; tanda tangani lagi setelah yang lain selesai.`, { bytes: held });
      results.set(letterId, { ...base, outcome: 'waiting', error: error.toIpc() });
    } else {
      try {
        const prepared = await prepareLetter(letter, options);
        held += prepared.bytes.length;
        // Written to disk and synced while the next letters are prepared: once signed, only the
        // signature's few kilobytes remain to be written, as a token's batch overlaps its writes.
        const staged = options.blobs.stage(prepared.bytes, { start: prepared.byteRange[1], end: prepared.byteRange[2] }).catch(() => null);
        waiting.set(letterId, { letter, base, prepared, staged });
      } catch (err) {
        results.set(letterId, { ...base, outcome: 'failed', error: ipcError(err) });
      }
    }
  }
  const staged = new Map([...waiting].map(([letterId, w]) => [letterId, w.staged]));
  const abandon = async (letterId: string) => {
    const pending = staged.get(letterId);
    staged.delete(letterId);
    await (await pending)?.abandon();
  };
  const discard = async () => { await Promise.all([...staged.keys()].map(abandon)); };
  // Each letter's CMS, made when its turn comes: checked first, since a service is not this process's own key.
  const signatures = new Map<string, () => Uint8Array>();
  const toSign = [...waiting.entries()];
  try {
    if (toSign.length > 0) {
      const { signer } = options;
      if (buildsItsOwnCms(signer)) {
        const made = await authorization.sign(toSign.map(([, w]) => w.prepared.digest));
        toSign.forEach(([letterId, w], i) => signatures.set(letterId, () => checkReceivedSignature(made[i], w.prepared)));
      } else {
        const attributes = toSign.map(([, w]) => cadesSignedAttributes(w.prepared.digest, signer));
        const values = await authorization.sign(attributes);
        const [leaf] = signer.certificateChain;
        toSign.forEach(([letterId], i) => signatures.set(letterId, () => assembleCadesSignature(attributes[i]!, checkSignatureValue(attributes[i]!, values[i], leaf!), signer)));
      }
    }
  } catch (err) {
    await discard();
    throw err;
  }
  return {
    start(letterId) {
      const result = results.get(letterId);
      if (result) return { result };
      const { letter, base, prepared } = waiting.get(letterId)!;
      // Let go once taken up, so the batch does not hold every letter to the end.
      waiting.delete(letterId);
      return { letter, base, prepared: Promise.resolve(prepared) };
    },
    async complete(prepared, letter) {
      const cms = signatures.get(letter.id) ?? (() => checkReceivedSignature(undefined, prepared));
      signatures.delete(letter.id);
      try {
        return { ...(await withLongTerm(await embedSignature(prepared, cms(), options), options)), as: prepared.as };
      } catch (err) {
        await abandon(letter.id);
        throw err;
      }
    },
    async keep(letter, signed) {
      const ahead = await staged.get(letter.id);
      staged.delete(letter.id);
      return ahead ? ahead.finish(signed.pdf) : options.blobs.put(signed.pdf);
    },
    discard,
  };
}

/**
 * Signs `letterIds` in order with one token session, or one remote authorization; resolves with a
 * result for every letter, reported (onProgress) in order. On a token the next letter is prepared
 * while the token signs one; a signed letter's PDF goes to the blob store while the next letters
 * are signed; once stored it is committed, and only then reported as signed.
 */
export async function signBatch(requested: string[], options: SignBatchOptions): Promise<LetterResult[]> {
  // A letter picked twice is signed once: the next letter is prepared while one is being signed, so
  // its second copy would be prepared before the first is committed and signed again.
  const letterIds = [...new Set(requested)];
  const authorization = options.signer.batch;
  const steps = authorization === undefined ? inTurn(options) : await authorizedOnce(letterIds, authorization, options);
  const results: LetterResult[] = [];
  const queue: Queued[] = [];
  // The failure that stopped the batch (token, worker or disk): no further letter is signed.
  let stopped: IpcError | null = null;
  // A letter could not be kept (disk full): no letter after it is written either.
  let keepingStopped: IpcError | null = null;
  const report = (result: LetterResult) => {
    if (result.outcome !== 'signed') options.numbering?.giveBack(result.letterId);
    results.push(result);
    options.onProgress?.({ done: results.length, total: letterIds.length, result });
  };
  const failed = (base: Omit<LetterResult, 'outcome' | 'error'>, err: unknown): LetterResult => {
    const error = ipcError(err);
    if (!stopsTheBatch.has(error.code)) return { ...base, outcome: 'failed', error };
    stopped ??= error;
    return { ...base, outcome: 'waiting', error };
  };
  /** A signed copy no row will refer to is taken back (should that fail, an orphan blob harms nothing). */
  const takeBack = (put: PutResult | null) => (put && !put.existed ? options.blobs.remove(put.hash).catch(() => undefined) : Promise.resolve());

  /** Commits and reports, in order, the head of the queue up to the first letter still being stored. */
  const keepStored = async () => {
    const unsettled = queue.findIndex((q) => 'signed' in q && !q.settled);
    const head = queue.splice(0, unsettled < 0 ? queue.length : unsettled);
    const planned: (LetterResult | Storing)[] = [];
    for (const q of head) {
      if (!('signed' in q)) {
        planned.push(q.result);
      } else if (keepingStopped) {
        // A letter before it could not be kept (disk full): this one is not written either.
        await takeBack(q.put);
        planned.push({ ...q.base, outcome: 'waiting', error: keepingStopped });
      } else if (q.put === null) {
        const result = failed(q.base, q.putError);
        if (result.outcome === 'waiting') keepingStopped = result.error;
        planned.push(result);
      } else {
        planned.push(q);
      }
    }
    const failures = commitStored(planned.filter((p): p is Storing => 'signed' in p), options);
    for (const p of planned) {
      if (!('signed' in p)) {
        report(p);
      } else if (!failures.has(p)) {
        report({ ...p.base, outcome: 'signed', level: p.signed.level, error: null });
      } else {
        // The row never said the letter was signed, so the signed copy is taken back.
        await takeBack(p.put);
        const result = failed(p.base, failures.get(p));
        if (result.outcome === 'waiting') keepingStopped ??= result.error;
        report(result);
      }
    }
  };
  const uncommitted = () => queue.filter((q): q is Storing => 'signed' in q);

  /** Takes up a letter, unless the batch has stopped. */
  const start = (letterId: string): Started => {
    if (stopped) {
      const letter = options.store.letters.get(letterId);
      return { result: { letterId, subject: letter?.subject ?? '', level: null, outcome: 'waiting', error: stopped } };
    }
    return steps.start(letterId);
  };
  let next: Started | undefined;

  try {
    for (const [i, letterId] of letterIds.entries()) {
      const current = next ?? start(letterId);
      next = undefined;
      const prepareNext = () => {
        const nextId = letterIds[i + 1];
        if (nextId !== undefined) next = start(nextId);
      };
      if ('result' in current) {
        queue.push(current);
        prepareNext();
      } else if (stopped) {
        // Prepared while the letter before it was being signed; the batch has stopped since.
        queue.push({ result: { ...current.base, outcome: 'waiting', error: stopped } });
      } else {
        try {
          const signing = steps.complete(await current.prepared, current.letter);
          // The next letter is prepared while this one is on the token.
          prepareNext();
          const signed = await signing;
          queue.push(startStoring(current.letter, current.base, signed, steps.keep(current.letter, signed)));
        } catch (err) {
          queue.push({ result: failed(current.base, err) });
        }
      }
      const oldest = uncommitted().slice(0, commitGroup);
      if (oldest.length < commitGroup) continue;
      if (uncommitted().length >= 2 * commitGroup) await Promise.all(oldest.map((s) => s.stored));
      if (oldest.every((s) => s.settled)) await keepStored();
    }
    await Promise.all(uncommitted().map((s) => s.stored));
    await keepStored();
  } finally {
    // Letters never signed (the batch stopped) let go of what they hold.
    await steps.discard?.();
  }
  return results;
}
