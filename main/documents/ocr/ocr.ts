// OCR of a letter's first page, off the main thread: the main process hands the bytes to one
// long-lived worker thread (see worker.ts) and gets text back, so the UI never waits on Tesseract.
// The worker is started on first use and restarted if it ever dies.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../common/logger.ts';
import { AppError } from '../../../common/errors.ts';

export type OcrMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
}

export interface OcrResult {
  /** The page's text in reading order, lines separated by \n and paragraphs by a blank line. */
  text: string;
  confidence: number;
  lines: OcrLine[];
}

export interface OcrRequest { kind: 'recognize'; id: number; bytes: Uint8Array; mediaType: OcrMediaType }
export type OcrReply = { id: number; ok: true; result: OcrResult } | { id: number; ok: false; error: { name: string; message: string } };

export interface OcrService {
  /** Reads page 1 of a PDF, or an image. Fails with OCR_FAILED; the letter itself is never affected. */
  recognizeFirstPage(bytes: Uint8Array, mediaType: OcrMediaType): Promise<OcrResult>;
  close(): Promise<void>;
}

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

const closeGraceMs = 2000;

export function createOcrService(options: { log?: Logger } = {}): OcrService {
  const log = options.log;
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: OcrResult) => void; reject: (e: AppError) => void }>();

  const failAll = (cause: unknown) => {
    for (const { reject } of pending.values()) reject(new AppError('OCR_FAILED', undefined, undefined, { cause }));
    pending.clear();
  };

  function start(): Worker {
    const w = new Worker(workerUrl);
    w.on('message', (reply: OcrReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) job.resolve(reply.result);
      else {
        log?.warn('OCR failed', { error: reply.error });
        job.reject(new AppError('OCR_FAILED', undefined, { reason: reply.error.name }));
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

  return {
    recognizeFirstPage(bytes, mediaType) {
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<OcrResult>((resolve, reject) => {
        // While a job runs the worker keeps the process alive; when the last one ends, it no longer does.
        w.ref();
        const settled = () => { if (pending.size === 0) w.unref(); };
        pending.set(id, {
          resolve: (r) => { settled(); resolve(r); },
          reject: (e) => { settled(); reject(e); },
        });
        const request: OcrRequest = { kind: 'recognize', id, bytes: new Uint8Array(bytes), mediaType };
        w.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
      });
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
