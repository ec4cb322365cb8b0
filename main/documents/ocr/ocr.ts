// OCR of a letter's first page, off the main thread: the main process hands the bytes to one
// long-lived worker thread (see worker.ts) and gets text with its layout (lines and words with their
// boxes) back, so the UI never waits on Tesseract. The head of the page comes first (what the
// pre-fill needs), the whole page after it (for search). The worker is started on first use and
// restarted if it ever dies.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../common/logger.ts';
import { AppError } from '../../../common/errors.ts';

export type OcrMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** Pixels of the page raster, origin top left. */
export interface OcrBox { x0: number; y0: number; x1: number; y1: number }

export interface OcrWord {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
  box: OcrBox;
}

export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
  box: OcrBox;
  /** Tesseract's block and paragraph (within the block) of the line: its own idea of the layout. */
  block: number;
  paragraph: number;
  words: OcrWord[];
}

export interface OcrResult {
  /** The text read, in reading order, lines separated by \n and paragraphs by a blank line. */
  text: string;
  confidence: number;
  lines: OcrLine[];
  /** The page raster that was read (the head is a part of it, from the top). */
  width: number;
  height: number;
  dpi: number;
  /** Where the worker's time went, in ms: page to raster, straightening, reading (the head or the page), the rest. */
  timings?: { rasterMs: number; straightenMs: number; readMs: number; restMs?: number };
}

/** 'head' answers the head only; 'head+page' the head, then the whole page; 'page' the whole page in one reading. */
export type OcrParts = 'head' | 'head+page' | 'page';
export interface OcrRequest { kind: 'recognize'; id: number; bytes: Uint8Array; mediaType: OcrMediaType; parts: OcrParts }
export type OcrReply =
  | { id: number; part: 'head' | 'page'; ok: true; result: OcrResult }
  | { id: number; part: 'failed'; ok: false; error: { name: string; message: string } };

/** One reading of page 1: the head as soon as it is read, and the whole page once the rest is. */
export interface LetterReading {
  head: Promise<OcrResult>;
  page: Promise<OcrResult>;
}

export interface OcrService {
  /** Reads page 1 of a PDF, or an image, whole. Fails with OCR_FAILED; the letter itself is never affected. */
  recognizeFirstPage(bytes: Uint8Array, mediaType: OcrMediaType): Promise<OcrResult>;
  /** Reads page 1 head first (for the pre-fill), then the rest; both fail with OCR_FAILED. */
  readLetter(bytes: Uint8Array, mediaType: OcrMediaType): LetterReading;
  /** The head only, as the pre-fill sees it (the evaluation of the pre-fill and its benchmark). */
  readHead(bytes: Uint8Array, mediaType: OcrMediaType): Promise<OcrResult>;
  close(): Promise<void>;
}

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

const closeGraceMs = 2000;

interface Deferred { promise: Promise<OcrResult>; resolve(r: OcrResult): void; reject(e: AppError): void }

function deferred(): Deferred {
  let resolve!: (r: OcrResult) => void;
  let reject!: (e: AppError) => void;
  const promise = new Promise<OcrResult>((res, rej) => { resolve = res; reject = rej; });
  // A reading whose page nobody awaits (the pre-fill took its head) must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export function createOcrService(options: { log?: Logger } = {}): OcrService {
  const log = options.log;
  let worker: Worker | null = null;
  let nextId = 1;
  interface Job { parts: OcrParts; head?: Deferred; page?: Deferred }
  const pending = new Map<number, Job>();

  const settle = (id: number) => {
    pending.delete(id);
    if (pending.size === 0) worker?.unref();
  };

  const failAll = (cause: unknown) => {
    for (const job of pending.values()) for (const d of [job.head, job.page]) d?.reject(new AppError('OCR_FAILED', undefined, undefined, { cause }));
    pending.clear();
  };

  function start(): Worker {
    const w = new Worker(workerUrl);
    w.on('message', (reply: OcrReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      if (!reply.ok) {
        log?.warn('OCR failed', { error: reply.error });
        for (const d of [job.head, job.page]) d?.reject(new AppError('OCR_FAILED', undefined, { reason: reply.error.name }));
        settle(reply.id);
        return;
      }
      if (reply.part === 'head') {
        job.head?.resolve(reply.result);
        if (job.parts === 'head') settle(reply.id);
      } else {
        job.page?.resolve(reply.result);
        settle(reply.id);
      }
    });
    w.on('error', (err) => {
      log?.error('OCR worker crashed', { err });
      failAll(err);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size > 0) failAll(new Error(`OCR worker exited with code ${code}`));
    });
    // An idle OCR worker must not keep the process alive.
    w.unref();
    return w;
  }

  function submit(bytes: Uint8Array, mediaType: OcrMediaType, parts: OcrParts): Job {
    worker ??= start();
    const id = nextId++;
    const job: Job = { parts };
    if (parts !== 'page') job.head = deferred();
    if (parts !== 'head') job.page = deferred();
    // While a job runs the worker keeps the process alive; when the last one ends, it no longer does.
    worker.ref();
    pending.set(id, job);
    const request: OcrRequest = { kind: 'recognize', id, bytes: new Uint8Array(bytes), mediaType, parts };
    worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
    return job;
  }

  return {
    recognizeFirstPage: (bytes, mediaType) => submit(bytes, mediaType, 'page').page!.promise,
    readHead: (bytes, mediaType) => submit(bytes, mediaType, 'head').head!.promise,
    readLetter(bytes, mediaType) {
      const job = submit(bytes, mediaType, 'head+page');
      return { head: job.head!.promise, page: job.page!.promise };
    },
    async close() {
      const w = worker;
      worker = null;
      if (w === null) return;
      w.ref();
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ kind: 'close' });
      // A page being read answers the close only when Tesseract is done with it, and closing the desk
      // must not wait for that: after a grace period the worker is stopped (the proposal is lost, the
      // letter is not — OCR only ever proposes).
      const grace = setTimeout(() => void w.terminate(), closeGraceMs);
      await exited;
      clearTimeout(grace);
    },
  };
}
