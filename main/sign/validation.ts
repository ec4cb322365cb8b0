// Periksa's checks off the main thread: one long-lived worker thread (validation-worker.ts) runs
// validatePdf, one file at a time, with a memory cap and a time limit. Whatever a file does to the
// worker — a crash, running out of memory, running past the limit — the person gets an answer in
// Bahasa Indonesia and the worker is replaced; the desk's main thread only waits on messages (the
// file's SHA-256 is computed by WebCrypto, off the main thread as well).
import { webcrypto } from 'node:crypto';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../common/logger.ts';
import { unreadableReport, type ValidationReport } from './pades/validate.ts';

export interface ValidationRequest { id: number; bytes: Uint8Array; trustAnchors: Uint8Array[]; now?: number }
export type ValidationReply =
  | { id: number; ok: true; report: ValidationReport }
  | { id: number; ok: false; error: { name: string; message: string; stack: string | null } };

export interface CheckedDocument {
  report: ValidationReport;
  /** SHA-256 of the file, hex. */
  documentHash: string;
}

export interface SignatureValidator {
  /** Checks the file's signatures; always answers, never rejects. */
  validate(bytes: Uint8Array, trustAnchors: Uint8Array[], options?: { now?: Date }): Promise<CheckedDocument>;
  close(): Promise<void>;
}

export interface ValidatorOptions {
  log?: Logger;
  /** A file taking longer than this is answered as too complex (a file under the size limit needs seconds at most). */
  timeoutMs?: number;
  /** The worker's heap cap; a file needing more is answered as too complex. */
  memoryMb?: number;
}

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./validation-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface Job {
  bytes: Uint8Array;
  trustAnchors: Uint8Array[];
  now: Date | undefined;
  resolve: (report: ValidationReport) => void;
}

export function createSignatureValidator(options: ValidatorOptions = {}): SignatureValidator {
  const log = options.log;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let running: { id: number; job: Job; timer: NodeJS.Timeout } | null = null;
  let nextId = 1;

  function finish(report: ValidationReport): void {
    if (running === null) return;
    clearTimeout(running.timer);
    running.job.resolve(report);
    running = null;
    if (queue.length === 0) worker?.unref();
    runNext();
  }

  /** The worker is gone mid-file: answer the file, and the next one gets a fresh worker. */
  function stop(w: Worker, state: 'damaged' | 'too-complex'): void {
    if (worker === w) worker = null;
    void w.terminate();
    finish(unreadableReport(state));
  }

  function start(): Worker {
    const w = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 1024 } });
    w.on('message', (reply: ValidationReply) => {
      if (running === null || reply.id !== running.id) return;
      if (reply.ok) finish(reply.report);
      else {
        // A fault of ours, not of the file: the person still gets an answer; the engineers get the stack.
        log?.error('signature validation failed', { error: reply.error });
        finish(unreadableReport('damaged'));
      }
    });
    w.on('error', (err) => {
      log?.error('validation worker crashed', { err });
      stop(w, (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too-complex' : 'damaged');
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      if (running !== null && worker === null) finish(unreadableReport('damaged'));
    });
    w.unref();
    return w;
  }

  function runNext(): void {
    if (running !== null) return;
    const job = queue.shift();
    if (job === undefined) return;
    worker ??= start();
    const w = worker;
    w.ref();
    const id = nextId++;
    const timer = setTimeout(() => {
      log?.warn('signature validation stopped at its time limit', { timeoutMs, bytes: job.bytes.length });
      stop(w, 'too-complex');
    }, timeoutMs);
    running = { id, job, timer };
    const request: ValidationRequest = { id, bytes: job.bytes, trustAnchors: job.trustAnchors, ...(job.now === undefined ? {} : { now: job.now.getTime() }) };
    w.postMessage(request, [job.bytes.buffer as ArrayBuffer]);
  }

  return {
    async validate(bytes, trustAnchors, validateOptions = {}) {
      // Our own copy, handed over to the worker without another copy once it is hashed.
      const own = new Uint8Array(bytes);
      const documentHash = Buffer.from(await webcrypto.subtle.digest('SHA-256', own)).toString('hex');
      const report = await new Promise<ValidationReport>((resolve) => {
        queue.push({ bytes: own, trustAnchors, now: validateOptions.now, resolve });
        runNext();
      });
      return { documentHash, report };
    },
    async close() {
      const w = worker;
      worker = null;
      for (const job of queue.splice(0)) job.resolve(unreadableReport('damaged'));
      if (running !== null) finish(unreadableReport('damaged'));
      if (w !== null) await w.terminate();
    },
  };
}
