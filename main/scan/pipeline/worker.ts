// The page pipeline's worker thread: reads scanned pages from their files, runs the pixel work of
// page.ts and pdf.ts for createPagePipeline() and sends the results back with their buffers transferred, not copied.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../common/errors.ts';
import { pageAsJpeg, processPage, rotatePage } from './page.ts';
import { buildPdf } from './pdf.ts';
import { rawPageFromFile } from './scanned-page.ts';
import type { PipelineReply, PipelineRequest } from './pipeline.ts';
import type { ProcessedPage } from './types.ts';

const port = parentPort;
if (port === null) throw new Error('the page pipeline must run in a worker thread');

function run(request: PipelineRequest): ProcessedPage | Uint8Array | Promise<ProcessedPage | Uint8Array> {
  switch (request.op) {
    case 'process': {
      const { page, options } = request;
      return 'file' in page ? rawPageFromFile(page.file).then((raw) => processPage(raw, options)) : processPage(page, options);
    }
    case 'rotate':
      return rotatePage(request.page, request.by);
    case 'buildPdf':
      return buildPdf(request.pages, request.options);
    case 'exportJpeg':
      return pageAsJpeg(request.page);
  }
}

function transferables(result: ProcessedPage | Uint8Array): ArrayBuffer[] {
  const arrays = result instanceof Uint8Array ? [result] : [result.image.data, result.thumbnail.data];
  // Only buffers the result owns alone: a view into a shared or pooled buffer is copied instead.
  return arrays.filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer).map((a) => a.buffer as ArrayBuffer);
}

port.on('message', ({ id, request }: { id: number; request: PipelineRequest }) => {
  Promise.resolve()
    .then(() => run(request))
    .then(
      (result) => {
        const transfer = [...new Set(transferables(result))];
        port.postMessage({ id, ok: true, result } satisfies PipelineReply, transfer);
      },
      (err: unknown) => {
        const error = err instanceof AppError && err.code === 'VALIDATION'
          ? { code: 'VALIDATION' as const, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
          : { code: 'SCAN_PIPELINE_FAILED' as const, message: String((err as Error | null)?.message ?? err) };
        port.postMessage({ id, ok: false, error } satisfies PipelineReply);
      },
    );
});
