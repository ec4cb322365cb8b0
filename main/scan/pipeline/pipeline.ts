// The page pipeline as the scan session uses it: one long-lived worker thread (see worker.ts) does
// the pixel work — deskew, blank detection, compact encoding, PDF assembly — so the main thread
// only passes buffers (transferred, not copied) and never stalls the UI or the device relay.
// The worker starts on first use and again after it dies; a call it was running fails with
// SCAN_PIPELINE_FAILED and the caller still holds everything it had before.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger.ts';
import { AppError } from '../../ipc/errors.ts';
import type { PagePipeline, PdfOptions, ProcessedPage, ProcessOptions, QuarterTurn, RawPage } from './types.ts';

export type PipelineRequest =
  | { op: 'process'; page: RawPage; options: ProcessOptions }
  | { op: 'rotate'; page: ProcessedPage; by: QuarterTurn }
  | { op: 'buildPdf'; pages: ProcessedPage[]; options: PdfOptions }
  | { op: 'exportJpeg'; page: ProcessedPage };

export type PipelineReply<R = unknown> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; error: { code: 'VALIDATION' | 'SCAN_PIPELINE_FAILED'; message: string; details?: Record<string, unknown> } };

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export function createPagePipeline(options: { log?: Logger } = {}): PagePipeline {
  const log = options.log;
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (err: AppError) => void }>();

  const failAll = (cause: unknown) => {
    for (const { reject } of pending.values()) reject(new AppError('SCAN_PIPELINE_FAILED', undefined, undefined, { cause }));
    pending.clear();
  };

  function start(): Worker {
    const w = new Worker(workerUrl);
    w.on('message', (reply: PipelineReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (reply.ok) job.resolve(reply.result);
      else {
        log?.warn('page pipeline call failed', { error: reply.error });
        // VALIDATION carries the worker's own Indonesian message; a failure keeps the default one and the cause in details.
        const message = reply.error.code === 'VALIDATION' ? reply.error.message : undefined;
        job.reject(new AppError(reply.error.code, message, { reason: reply.error.message, ...reply.error.details }));
      }
    });
    w.on('error', (err) => {
      log?.error('page pipeline worker crashed', { err });
      failAll(err);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size > 0) failAll(new Error(`page pipeline worker exited with code ${code}`));
    });
    // An idle pipeline must not keep the process alive.
    w.unref();
    return w;
  }

  function call<R>(request: PipelineRequest, transfer: ArrayBuffer[] = []): Promise<R> {
    worker ??= start();
    const w = worker;
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      w.ref();
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      w.postMessage({ id, request }, transfer);
    });
  }

  return {
    process(page, processOptions = {}) {
      // Transfer the (large) pixel buffer when it owns its whole ArrayBuffer; a view into a bigger
      // buffer is copied, so the caller's other data stays intact.
      const whole = page.data.byteOffset === 0 && page.data.byteLength === page.data.buffer.byteLength && page.data.buffer instanceof ArrayBuffer;
      return call<ProcessedPage>({ op: 'process', page, options: processOptions }, whole ? [page.data.buffer as ArrayBuffer] : []);
    },
    rotate: (page, by) => call<ProcessedPage>({ op: 'rotate', page, by }),
    buildPdf: (pages, pdfOptions = {}) => call<Uint8Array>({ op: 'buildPdf', pages, options: pdfOptions }),
    exportJpeg: (page) => call<Uint8Array>({ op: 'exportJpeg', page }),
    async close() {
      const w = worker;
      worker = null;
      if (w === null) return;
      failAll(new Error('page pipeline closed'));
      await w.terminate();
    },
  };
}
