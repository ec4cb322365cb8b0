// Periksa's checks off the main thread: one long-lived worker thread (validation-worker.ts) hashes
// the file and runs validatePdf, one file at a time, with a memory cap and a time limit. Whatever a
// file does to the worker — a crash, running out of memory, running past the limit — the person gets
// an answer in Bahasa Indonesia and the worker is replaced. The main thread neither copies, hashes
// nor parses a large file: its buffer is moved to the worker, and only messages come back.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../common/logger.ts';
import { unreadableReport, type ValidationReport } from './pades/validate.ts';

export interface ValidationRequest { id: number; bytes: Uint8Array; trustAnchors: Uint8Array[]; now?: number }
export type ValidationReply =
  | { id: number; kind: 'hash'; documentHash: string }
  | { id: number; kind: 'report'; ok: true; report: ValidationReport }
  | { id: number; kind: 'report'; ok: false; error: { name: string; message: string; stack: string | null } };

export interface CheckedDocument {
  report: ValidationReport;
  /** SHA-256 of the file, hex. */
  documentHash: string;
}

export interface SignatureValidator {
  /**
   * Checks the file's signatures; always answers, never rejects. A large `bytes` that owns its
   * buffer is moved to the worker, not copied: the caller must not use it afterwards.
   */
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
  documentHash: string;
  resolve: (checked: CheckedDocument) => void;
}

/** Below this a copy costs nothing worth avoiding (and small buffers may share Node's pool). */
const moveAtLeast = 1024 * 1024;

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
    running.job.resolve({ report, documentHash: running.job.documentHash });
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
      if (reply.kind === 'hash') running.job.documentHash = reply.documentHash;
      else if (reply.ok) finish(reply.report);
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
    const { bytes } = job;
    // Moved when the view is its whole buffer's start and large; else copied (cheaply, being small).
    const movable = bytes.byteLength >= moveAtLeast && bytes.byteOffset === 0 && !(bytes.buffer instanceof SharedArrayBuffer);
    // (A Buffer's slice() is a view, not a copy: the copy is made as a plain Uint8Array.)
    const sent = movable ? bytes : new Uint8Array(bytes);
    const request: ValidationRequest = { id, bytes: sent, trustAnchors: job.trustAnchors, ...(job.now === undefined ? {} : { now: job.now.getTime() }) };
    w.postMessage(request, [sent.buffer as ArrayBuffer]);
  }

  return {
    validate(bytes, trustAnchors, validateOptions = {}) {
      return new Promise<CheckedDocument>((resolve) => {
        queue.push({ bytes, trustAnchors, now: validateOptions.now, documentHash: '', resolve });
        runNext();
      });
    },
    async close() {
      const w = worker;
      worker = null;
      for (const job of queue.splice(0)) job.resolve({ report: unreadableReport('damaged'), documentHash: job.documentHash });
      if (running !== null) finish(unreadableReport('damaged'));
      if (w !== null) await w.terminate();
    },
  };
}
