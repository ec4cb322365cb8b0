// The page pipeline as the scan session uses it: long-lived worker threads (see worker.ts) do
// the pixel work — deskew, blank detection, compact encoding, PDF assembly — so the main thread
// only passes page files' paths or buffers (transferred, not copied) and never stalls the UI or the device relay.
// A worker starts on first use and again after it dies; a call it was running fails with
// SCAN_PIPELINE_FAILED and the caller still holds everything it had before.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../common/logger.ts';
import { AppError } from '../../../common/errors.ts';
import type { PagePipeline, PdfOptions, ProcessedPage, ProcessOptions, QuarterTurn, RawPage, ScannedPageFile } from './types.ts';

export type PipelineRequest =
  | { op: 'process'; page: RawPage | ScannedPageFile; options: ProcessOptions }
  | { op: 'rotate'; page: ProcessedPage; by: QuarterTurn }
  | { op: 'buildPdf'; pages: ProcessedPage[]; options: PdfOptions }
  | { op: 'exportJpeg'; page: ProcessedPage };

export type PipelineReply<R = unknown> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; error: { code: 'VALIDATION' | 'SCAN_PIPELINE_FAILED'; message: string; details?: Record<string, unknown> } };

// Sources run as .ts (type stripping) in development and tests, as .js once built.
const workerUrl = new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

interface Slot {
  worker: Worker | null;
  /** Calls sent to this slot's worker and not yet answered. */
  pending: Map<number, { resolve: (result: unknown) => void; reject: (err: AppError) => void }>;
}

/**
 * `threads`: worker threads sharing the pages (default 2: a page is processed while the next one
 * arrives, and a desk PC has the cores). Each call goes to the least busy one.
 */
export function createPagePipeline(options: { log?: Logger; threads?: number } = {}): PagePipeline {
  const log = options.log;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.threads ?? 2) }, () => ({ worker: null, pending: new Map() }));
  let nextId = 1;

  const failAll = (slot: Slot, cause: unknown) => {
    for (const { reject } of slot.pending.values()) reject(new AppError('SCAN_PIPELINE_FAILED', undefined, undefined, { cause }));
    slot.pending.clear();
  };

  function start(slot: Slot): Worker {
    const w = new Worker(workerUrl);
    w.on('message', (reply: PipelineReply) => {
      const job = slot.pending.get(reply.id);
      if (job === undefined) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) w.unref();
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
      failAll(slot, err);
    });
    w.on('exit', (code) => {
      if (slot.worker === w) slot.worker = null;
      if (slot.pending.size > 0) failAll(slot, new Error(`page pipeline worker exited with code ${code}`));
    });
    // An idle pipeline must not keep the process alive.
    w.unref();
    return w;
  }

  function call<R>(request: PipelineRequest, transfer: ArrayBuffer[] = []): Promise<R> {
    const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    slot.worker ??= start(slot);
    const w = slot.worker;
    const id = nextId++;
    return new Promise<R>((resolve, reject) => {
      w.ref();
      slot.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      w.postMessage({ id, request }, transfer);
    });
  }

  return {
    process(page, processOptions = {}) {
      const buffer = 'data' in page ? page.data.buffer : undefined;
      const owned = buffer instanceof ArrayBuffer && 'data' in page && page.data.byteOffset === 0 && page.data.byteLength === buffer.byteLength;
      return call<ProcessedPage>({ op: 'process', page, options: processOptions }, owned ? [buffer] : []);
    },
    rotate: (page, by) => call<ProcessedPage>({ op: 'rotate', page, by }),
    buildPdf: (pages, pdfOptions = {}) => call<Uint8Array>({ op: 'buildPdf', pages, options: pdfOptions }),
    exportJpeg: (page) => call<Uint8Array>({ op: 'exportJpeg', page }),
    async close() {
      await Promise.all(slots.map(async (slot) => {
        const w = slot.worker;
        slot.worker = null;
        if (w === null) return;
        failAll(slot, new Error('page pipeline closed'));
        await w.terminate();
      }));
    },
  };
}
