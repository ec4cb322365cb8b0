// The OCR worker thread: brings page 1 of a PDF (pdf.js + @napi-rs/canvas, both pure npm packages
// that run on Windows too) or an image to a gray raster at the resolution Tesseract reads best, and
// reads it with tesseract.js and Indonesian language data found on this machine. Everything is
// local: no language data or WASM is fetched.
// A letter's agenda fields sit in its head, so the head is read first and answered at once (the
// pre-fill waits only for it); the rest of the page follows for full-text search.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { inflateSync } from 'node:zlib';
import { createCanvas, loadImage, type Canvas, type Image } from '@napi-rs/canvas';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { createWorker, OEM, PSM, type Page, type Worker as Tesseract } from 'tesseract.js';
import { openPdf } from '../pdf.ts';
import type { OcrLine, OcrReply, OcrRequest, OcrResult } from './ocr.ts';

const require = createRequire(import.meta.url);

/**
 * The fast Indonesian model (tessdata_fast, as Debian's tesseract-ocr-ind ships it) reads a letter's
 * head about a third faster than the "best_int" model of @tesseract.js-data/ind, with no loss on the
 * tuning letters; the npm model is the fallback where the fast one is not installed.
 */
function languageData(): { langPath: string; gzip: boolean } {
  const fast = [process.env.LOKET_TESSDATA_DIR, '/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata']
    .find((dir) => dir !== undefined && dir !== '' && existsSync(join(dir, 'ind.traineddata')));
  if (fast !== undefined) return { langPath: fast, gzip: false };
  return { langPath: join(dirname(require.resolve('@tesseract.js-data/ind/package.json')), '4.0.0_best_int'), gzip: true };
}

/** 12 pt letter text is ~33 px high at 200 dpi: what the LSTM reads well; more pixels only cost time. */
const targetDpi = 200;
/** An A4 page's width in inches: a photo of a page (saved at a nominal 72 dpi) is taken to be A4 wide. */
const a4WidthInches = 8.27;
/** Where the head of a letter ends, as a share of the page's height (cut at the emptiest row near it). */
const headShare = 0.5;

let tesseract: Promise<Tesseract> | null = null;

function engine(): Promise<Tesseract> {
  tesseract ??= (async () => {
    const worker = await createWorker('ind', OEM.LSTM_ONLY, {
      ...languageData(),
      // Never write a copy of the language data into the working directory.
      cacheMethod: 'none',
    });
    // Letters print dark on light: the search for inverted text lines costs a tenth of the time and finds none.
    await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: '0', tessedit_do_invert: '0' });
    return worker;
  })();
  return tesseract;
}

/** Rows of the page raster: `canvas` row 0 is the page's row `top` (the whole page, or a straightened part of it). */
interface Raster { canvas: Canvas; dpi: number; top: number; pageHeight: number }

const wholePage = (canvas: Canvas): Raster => ({ canvas, dpi: targetDpi, top: 0, pageHeight: canvas.height });

/** Scale from a page `inches` wide to targetDpi; a page far wider than A4 is a photo with a nominal resolution, read as if A4 wide. */
function scaleFromInches(inches: number): number {
  return (inches > 11 ? a4WidthInches : inches) / inches;
}

/**
 * Page 1 of a scanned PDF (a scanner's, or the desk's import of an image) is one picture filling the
 * page: decoded natively (libjpeg-turbo, zlib) it is ready in a tenth of the time pdf.js takes to
 * draw it. Anything else — text, several images, a turned page, an unusual encoding — is left to pdf.js.
 */
async function scannedPicture(bytes: Uint8Array): Promise<{ picture: Image | Canvas; widthPt: number } | null> {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const page = doc.getPage(0);
    if (page.getRotation().angle % 360 !== 0) return null;
    const resources = page.node.Resources();
    // Fonts mean text on the page (pdf-lib leaves an empty font dictionary on a page without any).
    if ((resources?.lookupMaybe(PDFName.of('Font'), PDFDict)?.keys().length ?? 0) > 0) return null;
    const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    const names = xobjects?.keys() ?? [];
    if (xobjects === undefined || names.length !== 1) return null;
    const stream = xobjects.lookup(names[0]!);
    if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return null;
    const { width: widthPt, height: heightPt } = page.getSize();
    const number = (key: string) => (stream.dict.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber() ?? 0);
    const [w, h] = [number('Width'), number('Height')];
    // It fills the page: the same proportions (a scan is drawn edge to edge).
    if (w === 0 || h === 0 || Math.abs(w / h - widthPt / heightPt) > 0.02) return null;
    const filter = stream.dict.get(PDFName.of('Filter'));
    if (filter === PDFName.of('DCTDecode')) return { picture: await loadImage(Buffer.from(stream.contents)), widthPt };
    const colourSpace = stream.dict.get(PDFName.of('ColorSpace'));
    const channels = colourSpace === PDFName.of('DeviceGray') ? 1 : colourSpace === PDFName.of('DeviceRGB') ? 3 : 0;
    if (filter !== PDFName.of('FlateDecode') || channels === 0 || number('BitsPerComponent') !== 8 || stream.dict.has(PDFName.of('DecodeParms')) || stream.dict.has(PDFName.of('SMask'))) return null;
    const samples = inflateSync(stream.contents);
    if (samples.length < w * h * channels) return null;
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext('2d');
    const rgba = ctx.createImageData(w, h);
    const rgb = channels === 3;
    for (let i = 0, p = 0; p < w * h; p++, i += channels) {
      rgba.data[p * 4] = samples[i]!;
      rgba.data[p * 4 + 1] = samples[rgb ? i + 1 : i]!;
      rgba.data[p * 4 + 2] = samples[rgb ? i + 2 : i]!;
      rgba.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(rgba, 0, 0);
    return { picture: canvas, widthPt };
  } catch {
    return null;
  }
}

async function pageRaster(request: OcrRequest): Promise<Raster> {
  if (request.mediaType === 'application/pdf') {
    const scanned = await scannedPicture(request.bytes);
    if (scanned !== null) {
      const inches = scanned.widthPt / 72;
      const width = Math.round(targetDpi * inches * scaleFromInches(inches));
      const height = Math.round((scanned.picture.height * width) / scanned.picture.width);
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.imageSmoothingQuality = 'medium';
      ctx.drawImage(scanned.picture, 0, 0, width, height);
      return wholePage(canvas);
    }
  }
  if (request.mediaType !== 'application/pdf') {
    const image = await loadImage(Buffer.from(request.bytes));
    // A bare image (the desk itself always passes PDFs) is taken to be a page A4 wide.
    const scale = (targetDpi * a4WidthInches) / image.width;
    const canvas = createCanvas(Math.round(image.width * scale), Math.round(image.height * scale));
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    return wholePage(canvas);
  }
  const opened = await openPdf(request.bytes);
  try {
    const page = await opened.doc.getPage(1);
    const base = page.getViewport({ scale: 1 });
    // At scale 1 a viewport is in points (1/72 inch).
    const scale = (targetDpi / 72) * scaleFromInches(base.width / 72);
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as unknown as Parameters<typeof page.render>[0]['canvas'], viewport }).promise;
    return wholePage(canvas);
  } finally {
    await opened.close();
  }
}

/**
 * The page's skew in degrees, measured on its rows above `bottom` from a quarter-resolution copy: the
 * angle at which the dark pixels' rows are the most sharply peaked (text lines lie along it). A
 * crooked sheet or a phone photo makes Tesseract lose whole lines of a letter's head; straightened,
 * it reads them.
 */
function skewDegrees(page: Raster, bottom: number): number {
  const step = 4;
  const { width } = page.canvas;
  const height = bottom;
  const { luma } = grayPgm(page, 0, height);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < luma.length; i += 97) { sum += luma[i]!; n++; }
  const dark = (sum / n) * 0.7;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if (luma[y * width + x]! < dark) { xs.push(x / step); ys.push(y / step); }
  if (xs.length < 200) return 0;
  const bins = Math.ceil(height / step) + Math.ceil(width / step);
  const score = (degrees: number) => {
    const t = Math.tan((degrees * Math.PI) / 180);
    const rows = new Float64Array(bins * 2);
    for (let i = 0; i < xs.length; i++) rows[Math.round(ys[i]! - xs[i]! * t) + bins]! += 1;
    let s = 0;
    for (const r of rows) s += r * r;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let a = -6; a <= 6; a += 0.25) { const s = score(a); if (s > bestScore) { bestScore = s; best = a; } }
  for (let a = best - 0.2; a <= best + 0.2; a += 0.05) { const s = score(a); if (s > bestScore) { bestScore = s; best = a; } }
  return best;
}

/**
 * The page's rows top..bottom turned straight by `degrees` about the page's centre (white where the
 * turn uncovers the corners): the head and the rest turned alike line up. A page straight enough is
 * read as it is.
 */
function straightRows(page: Raster, degrees: number, top: number, bottom: number): Raster {
  if (Math.abs(degrees) < 0.3) return page;
  const { width } = page.canvas;
  const canvas = createCanvas(width, bottom - top);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, bottom - top);
  ctx.translate(width / 2, page.pageHeight / 2 - top);
  ctx.rotate((-degrees * Math.PI) / 180);
  ctx.drawImage(page.canvas, -width / 2, -page.pageHeight / 2);
  return { canvas, dpi: page.dpi, top, pageHeight: page.pageHeight };
}

/** Page rows top..bottom of the raster as an 8-bit gray PGM: no compression to undo on either side. */
function grayPgm(raster: Raster, top: number, bottom: number): { pgm: Buffer; luma: Uint8Array } {
  const { width } = raster.canvas;
  const height = bottom - top;
  const rgba = raster.canvas.getContext('2d').getImageData(0, top - raster.top, width, height).data;
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const pgm = Buffer.alloc(header.length + width * height);
  header.copy(pgm);
  const luma = pgm.subarray(header.length);
  for (let i = 0, p = 0; p < luma.length; i += 4, p++) luma[p] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
  return { pgm, luma };
}

/** The emptiest page row within ±5 % of the page around `share`: a cut there splits no line of text. */
function cutRow(raster: Raster, share: number): number {
  const { width } = raster.canvas;
  const height = raster.pageHeight;
  const from = Math.round(height * (share - 0.05));
  const to = Math.min(raster.top + raster.canvas.height, Math.round(height * (share + 0.05)));
  const { luma } = grayPgm(raster, from, to);
  let best = Math.round(height * share);
  let bestInk = Infinity;
  for (let y = 0; y < to - from; y++) {
    let ink = 0;
    for (let x = 0; x < width; x += 2) if (luma[y * width + x]! < 128) ink++;
    // Ties go to the row nearest the target: in a blank band, any row is as good.
    if (ink < bestInk || (ink === bestInk && Math.abs(from + y - height * share) < Math.abs(best - height * share))) { bestInk = ink; best = from + y; }
  }
  return best;
}

async function read(raster: Raster, top: number, bottom: number): Promise<OcrResult> {
  const { pgm } = grayPgm(raster, top, bottom);
  const worker = await engine();
  await worker.setParameters({ user_defined_dpi: String(raster.dpi) });
  const { data } = await worker.recognize(pgm, {}, { text: true, blocks: true });
  return resultOf(data, raster, top);
}

function resultOf(data: Page, raster: Raster, offsetY: number): OcrResult {
  const lines: OcrLine[] = [];
  for (const [b, block] of (data.blocks ?? []).entries()) {
    for (const [p, paragraph] of block.paragraphs.entries()) {
      for (const line of paragraph.lines) {
        const words = line.words.map((w) => ({ text: w.text, confidence: w.confidence, box: shift(w.bbox, offsetY) }));
        if (words.length === 0) continue;
        lines.push({ text: line.text.trim(), confidence: line.confidence, box: shift(line.bbox, offsetY), block: b, paragraph: p, words });
      }
    }
  }
  return { text: data.text, confidence: data.confidence, lines, width: raster.canvas.width, height: raster.pageHeight, dpi: raster.dpi };
}

const shift = (b: { x0: number; y0: number; x1: number; y1: number }, dy: number) => ({ x0: b.x0, y0: b.y0 + dy, x1: b.x1, y1: b.y1 + dy });

/** The head and the rest as one page: lines in reading order, the text of both, the confidence weighed by length. */
function joined(head: OcrResult, rest: OcrResult): OcrResult {
  const blocks = head.lines.reduce((n, l) => Math.max(n, l.block + 1), 0);
  const weight = (r: OcrResult) => Math.max(1, r.text.replace(/\s/g, '').length);
  return {
    ...head,
    text: `${head.text.replace(/\s+$/, '')}\n\n${rest.text}`,
    confidence: (head.confidence * weight(head) + rest.confidence * weight(rest)) / (weight(head) + weight(rest)),
    lines: [...head.lines, ...rest.lines.map((l) => ({ ...l, block: l.block + blocks }))],
  };
}

async function serve(request: OcrRequest, reply: (r: OcrReply) => void): Promise<void> {
  let mark = performance.now();
  const lap = () => { const now = performance.now(); const ms = Math.round(now - mark); mark = now; return ms; };
  const page = await pageRaster(request);
  const rasterMs = lap();
  const height = page.pageHeight;
  if (request.parts === 'page') {
    const straight = straightRows(page, skewDegrees(page, height), 0, height);
    const straightenMs = lap();
    const whole = await read(straight, 0, height);
    reply({ id: request.id, part: 'page', ok: true, result: { ...whole, timings: { rasterMs, straightenMs, readMs: lap() } } });
    return;
  }
  // The head is measured and turned on its own: the pre-fill does not wait for the rest of the page.
  const band = Math.min(height, Math.round(height * (headShare + 0.05)));
  const degrees = skewDegrees(page, band);
  const head = straightRows(page, degrees, 0, band);
  const cut = cutRow(head, headShare);
  const straightenMs = lap();
  const headResult = await read(head, 0, cut);
  const timings = { rasterMs, straightenMs, readMs: lap() };
  reply({ id: request.id, part: 'head', ok: true, result: { ...headResult, timings } });
  if (request.parts === 'head') return;
  const rest = await read(straightRows(page, degrees, cut, height), cut, height);
  reply({ id: request.id, part: 'page', ok: true, result: { ...joined(headResult, rest), timings: { ...timings, restMs: lap() } } });
}

const port = parentPort;
if (port === null) throw new Error('the OCR worker must run in a worker thread');

port.on('message', (message: OcrRequest | { kind: 'close' }) => {
  if (message.kind === 'close') {
    void (tesseract ?? Promise.resolve(null)).then((w) => w?.terminate()).finally(() => port.close());
    return;
  }
  serve(message, (r) => port.postMessage(r)).catch((err: unknown) => port.postMessage({
    id: message.id,
    part: 'failed',
    ok: false,
    error: { name: (err as Error | null)?.name ?? 'Error', message: String((err as Error | null)?.message ?? err) },
  } satisfies OcrReply));
});
