// Signing the letters waiting for an official, many at once: one token login (the PIN entered
// once) signs them in turn, reporting progress and a result per letter. A letter counts as signed
// only when its signed PDF is safely in the blob store AND the row saying so is committed — with its
// audit entry (certificate fingerprint, document hash) and outbox mutation in the same transaction.
// A token pulled out, a wrong PIN or a dead device worker stops the batch: letters already signed
// stay signed, the rest stay waiting, untouched.
import { PDFDocument } from 'pdf-lib';
import type { DocumentRow } from '../store/documents.ts';
import type { BlobStore } from '../documents/blob-store.ts';
import type { IpcError } from '../ipc/contract.ts';
import { AppError } from '../ipc/errors.ts';
import type { SignatureLevel } from '../store/signatures.ts';
import type { Store } from '../store/store.ts';
import type { Letter } from '../store/letters.ts';
import { findAnchor } from './anchor.ts';
import { addLongTermValidation } from './long-term.ts';
import { signPdf, type StampPlacement } from './pades.ts';
import type { Signer } from './signer.ts';
import { stampSize } from './stamp.ts';
import type { Timestamper } from './timestamp.ts';

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
  /** One logged-in token key for the whole batch. */
  signer: Signer;
  identity: SignerIdentity;
  /** Verification page of the central server, for the stamp's QR code. */
  verificationUrl: string;
  timestamper?: Timestamper;
  /**
   * B-LT: after the timestamp, the chain's certificates and fresh OCSP answers go into the letter's
   * DSS. When the responder cannot be reached the letter keeps its B-T signature.
   */
  longTerm?: { trustAnchors: Uint8Array[]; ocspUrl?: string };
  /** Where the stamp goes; by default at the template's anchor, else the foot of the last page. */
  placement?: (pdf: Uint8Array) => Promise<StampPlacement>;
  actor: string;
  onProgress?: (progress: BatchProgress) => void;
}

/** The anchor text the letter templates leave where the signature belongs. */
export const signatureAnchor = '${ttd_pengirim}';

/** The template's anchor when the letter has one; otherwise bottom right of the last page. */
export async function defaultPlacement(pdf: Uint8Array): Promise<StampPlacement> {
  if (await findAnchor(pdf, signatureAnchor)) return { anchor: signatureAnchor };
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages();
  const { width } = pages.at(-1)!.getSize();
  return { page: pages.length, x: Math.max(0, width - stampSize.width - 40), y: 60 };
}

/** Failures of the token or its worker: nothing more can be signed in this batch. */
const stopsTheBatch = new Set<string>(['TOKEN_REMOVED', 'TOKEN_FAILED', 'TOKEN_NOT_FOUND', 'PIN_INCORRECT', 'PIN_INVALID', 'PIN_LOCKED',
  'DEVICE_WORKER_CRASHED', 'DEVICE_TIMEOUT', 'DEVICE_UNAVAILABLE', 'STORAGE_FULL', 'STORAGE_FAILED']);

function ipcError(err: unknown): IpcError {
  return (err instanceof AppError ? err : new AppError('INTERNAL', undefined, undefined, { cause: err })).toIpc();
}

function readyToSign(letter: Letter | undefined): letter is Letter & { documentHash: string } {
  return letter !== undefined && letter.direction === 'outgoing' && letter.status === 'ready_to_sign' && letter.documentHash !== null;
}

type SignedLetter = Omit<Awaited<ReturnType<typeof signPdf>>, 'level'> & { level: SignatureLevel };

/** The letter's PDF signed in memory (with its validation data when asked for); nothing is written yet. */
async function signLetter(letter: Letter & { documentHash: string }, options: SignBatchOptions): Promise<SignedLetter> {
  const input = new Uint8Array(await options.blobs.read(letter.documentHash));
  const signed = await signPdf(input, {
    signer: options.signer,
    reason: 'Menyetujui dan menandatangani surat',
    stamp: { ...options.identity, verificationUrl: options.verificationUrl, documentId: letter.id, at: await (options.placement ?? defaultPlacement)(input) },
    ...(options.timestamper ? { timestamper: options.timestamper } : {}),
  });
  if (!options.longTerm || signed.level !== 'B-T') return signed;
  try {
    const { pdf } = await addLongTermValidation(signed.pdf, options.longTerm);
    return { ...signed, pdf, level: 'B-LT' };
  } catch (err) {
    if (err instanceof AppError && err.code === 'REVOCATION_UNAVAILABLE') return signed;
    throw err;
  }
}

/** Stores the signed PDF (fsynced), then commits the letter as signed with its audit entry and outbox mutation. */
async function keepSigned(letter: Letter & { documentHash: string }, signed: SignedLetter, options: SignBatchOptions): Promise<SignatureLevel> {
  const { store, blobs } = options;
  const put = await blobs.put(signed.pdf);
  const unsigned: DocumentRow | undefined = store.documents.get(letter.documentHash);
  try {
    store.transaction(() => {
      store.documents.upsert({ hash: put.hash, mediaType: 'application/pdf', byteSize: put.size, pageCount: unsigned?.pageCount ?? null, originalName: unsigned?.originalName ?? null });
      store.letters.update(letter.id, { status: 'signed', documentHash: put.hash }, options.actor);
      const signature = store.signatures.insert({
        letterId: letter.id, documentHash: put.hash, unsignedHash: letter.documentHash, certificateFingerprint: signed.certificateFingerprint,
        signerName: options.identity.name, level: signed.level, signedAt: new Date().toISOString(),
      });
      store.audit.append({
        actor: options.actor, action: 'letter.signed', entity: 'letter', entityId: letter.id,
        details: { certificateFingerprint: signed.certificateFingerprint, documentHash: put.hash, unsignedHash: letter.documentHash, level: signed.level, field: signed.fieldName, timestamp: signed.timestampError?.code ?? 'ok' },
      });
      store.outbox.append({ entity: 'signature', entityId: signature.id, op: 'create', payload: signature });
    });
  } catch (err) {
    // The row never said the letter was signed, so the signed copy is taken back.
    if (!put.existed) await blobs.remove(put.hash);
    throw err;
  }
  return signed.level;
}

/**
 * Signs `letterIds` in order with one token session; resolves with a result for every letter,
 * reported (onProgress) in order. While one letter is signed, the previous one is written and
 * committed: the disk's fsyncs overlap the token and the PDF work.
 */
export async function signBatch(letterIds: string[], options: SignBatchOptions): Promise<LetterResult[]> {
  const results: LetterResult[] = [];
  let stopped: IpcError | null = null;
  let keeping: Promise<void> = Promise.resolve();
  const report = (result: LetterResult) => {
    results.push(result);
    options.onProgress?.({ done: results.length, total: letterIds.length, result });
  };
  const failed = (base: Omit<LetterResult, 'outcome' | 'error'>, err: unknown): LetterResult => {
    const error = ipcError(err);
    if (!stopsTheBatch.has(error.code)) return { ...base, outcome: 'failed', error };
    stopped ??= error;
    return { ...base, outcome: 'waiting', error };
  };

  for (const letterId of letterIds) {
    const letter = options.store.letters.get(letterId);
    const base = { letterId, subject: letter?.subject ?? '', level: null };
    if (stopped || !readyToSign(letter)) {
      await keeping;
      report(stopped ? { ...base, outcome: 'waiting', error: stopped } : { ...base, outcome: 'failed', error: new AppError('LETTER_NOT_READY_TO_SIGN', undefined, { letterId }).toIpc() });
      continue;
    }
    let signed: SignedLetter | null = null;
    let failure: LetterResult | null = null;
    try {
      signed = await signLetter(letter, options);
    } catch (err) {
      failure = failed(base, err);
    }
    await keeping;
    if (signed === null) {
      report(failure!);
    } else if (stopped) {
      // The previous letter could not be kept (disk full): this one is not written either.
      report({ ...base, outcome: 'waiting', error: stopped });
    } else {
      const kept = signed;
      keeping = keepSigned(letter, kept, options).then(
        (level) => report({ ...base, outcome: 'signed', level, error: null }),
        (err: unknown) => report(failed(base, err)),
      );
    }
  }
  await keeping;
  return results;
}
