// The OCR worker thread: rasterises page 1 of a PDF (pdf.js + @napi-rs/canvas, both pure
// npm packages that run on Windows too) and reads it with tesseract.js and the Indonesian
// traineddata shipped in node_modules. Everything is local: no language data or WASM is fetched.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createCanvas } from '@napi-rs/canvas';
import { createWorker, OEM, PSM, type Worker as Tesseract } from 'tesseract.js';
import { pngWithDensity } from '../image-density.ts';
import { openPdf } from '../pdf.ts';
import type { OcrReply, OcrRequest, OcrResult } from './ocr.ts';

const require = createRequire(import.meta.url);
// LSTM-only integer model ("best_int"): what tesseract.js uses with OEM.LSTM_ONLY, 1.2 MB gzipped.
const langPath = join(dirname(require.resolve('@tesseract.js-data/ind/package.json')), '4.0.0_best_int');

/** Letters carry 10–12 pt text: 250 dpi reads it well at a fair cost; very large pages are capped. */
const targetDpi = 250;
const maxSidePx = 4200;

let tesseract: Promise<Tesseract> | null = null;

function engine(): Promise<Tesseract> {
  tesseract ??= (async () => {
    const worker = await createWorker('ind', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      // Never write a copy of the language data into the working directory.
      cacheMethod: 'none',
    });
    await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
    return worker;
  })();
  return tesseract;
}

async function pageImage(request: OcrRequest): Promise<Buffer | Uint8Array> {
  if (request.mediaType !== 'application/pdf') return request.bytes;
  const opened = await openPdf(request.bytes);
  try {
    const page = await opened.doc.getPage(1);
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(targetDpi / 72, maxSidePx / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as unknown as Parameters<typeof page.render>[0]['canvas'], viewport }).promise;
    // The resolution travels in the PNG (pHYs), so Tesseract sizes its filters right.
    return pngWithDensity(await canvas.encode('png'), Math.round(scale * 72));
  } finally {
    await opened.close();
  }
}

async function recognize(request: OcrRequest): Promise<OcrResult> {
  const image = await pageImage(request);
  const worker = await engine();
  const { data } = await worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength), {}, { text: true, blocks: true });
  const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines.map((l) => ({ text: l.text.trim(), confidence: l.confidence }))));
  return { text: data.text, confidence: data.confidence, lines };
}

const port = parentPort;
if (port === null) throw new Error('the OCR worker must run in a worker thread');

port.on('message', (message: OcrRequest | { kind: 'close' }) => {
  if (message.kind === 'close') {
    void (tesseract ?? Promise.resolve(null)).then((w) => w?.terminate()).finally(() => port.close());
    return;
  }
  recognize(message).then(
    (result) => port.postMessage({ id: message.id, ok: true, result } satisfies OcrReply),
    (err: unknown) => port.postMessage({
      id: message.id,
      ok: false,
      error: { name: (err as Error | null)?.name ?? 'Error', message: String((err as Error | null)?.message ?? err) },
    } satisfies OcrReply),
  );
});
