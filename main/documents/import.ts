// Softcopy import: a PDF, JPEG, PNG or TIFF a clerk picked or dropped (usually an e-mail attachment
// saved to disk) becomes a stored document. The file is judged by its content, never by its name;
// everything is checked and built in memory first, so a refused file leaves nothing behind.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { degrees, PDFDocument } from 'pdf-lib';
import UTIF from 'utif2';
import type { Logger } from '../../common/logger.ts';
import { AppError } from '../../common/errors.ts';
import { maxImportBytes } from '../../common/ipc/documents.ts';
import { fileNameMaxChars } from '../../common/protocol/primitives.ts';
import { ImageStructureError, isJpeg, isPng, isStartOfFrame, jpegFrameSize, jpegSegments, pngChunks, pngHeader } from '../../common/image-structure.ts';
import { embedImage } from './embed-image.ts';
import type { BlobStore } from './blob-store.ts';
import { openPdf, PdfOpenError } from './pdf.ts';

export type ImportMediaType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/tiff';

export interface ImportOptions {
  /** Largest file accepted, in bytes; 50 MB unless the office configures otherwise. */
  maxBytes?: number;
  log?: Logger;
}

export interface ImportedDocument {
  /** SHA-256 of the file exactly as imported (kept as it was; identical bytes mean the same file). */
  hash: string;
  mediaType: ImportMediaType;
  byteSize: number;
  /** True when these exact bytes were stored before: the letter may already be registered. */
  existed: boolean;
  pageCount: number;
  /** The name to show; never used as a path. */
  displayName: string;
  /** The letter's document: the PDF itself, or the image wrapped into a PDF (one page per image). */
  pdf: { hash: string; byteSize: number };
}

export const defaultMaxImportBytes = maxImportBytes;

const fallbackName = 'dokumen tanpa nama';

/**
 * A name fit to show: the last path segment, without control or bidi-override characters (which
 * could disguise "surat.exe" as "surat.pdf"), with separators replaced, trimmed to a sane length.
 */
export function safeDisplayName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (ch) => (ch === '\u200d' ? ch : ''))
    .replace(/[/\\]+/g, '-')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = [...cleaned];
  const short = chars.length > fileNameMaxChars ? chars.slice(0, fileNameMaxChars - 1).join('') + '…' : cleaned;
  return short === '' || short === '.' || short === '..' ? fallbackName : short;
}

function formatMb(bytes: number): string {
  return (bytes / (1024 * 1024)).toLocaleString('id-ID', { maximumFractionDigits: 1 });
}

type Sniffed = { kind: ImportMediaType } | { kind: 'other'; description: string | null };

const signatures: Array<{ test: (b: Uint8Array) => boolean; description: string }> = [
  { test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04, description: 'arsip ZIP atau dokumen Office (Word/Excel)' },
  { test: (b) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0, description: 'dokumen Office lama (.doc/.xls)' },
  { test: (b) => ascii(b, 0, 4) === 'GIF8', description: 'gambar GIF' },
  { test: (b) => ascii(b, 0, 2) === 'BM', description: 'gambar BMP' },
  { test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP', description: 'gambar WebP' },
  { test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(heic|heix|mif1|msf1|avif)$/.test(ascii(b, 8, 4)), description: 'foto HEIC/AVIF (format kamera ponsel)' },
  { test: (b) => ascii(b, 0, 5) === '{\\rtf', description: 'dokumen RTF' },
];

function ascii(b: Uint8Array, at: number, length: number): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', at, Math.min(b.byteLength, at + length));
}

function sniff(b: Uint8Array): Sniffed {
  // PDF readers accept the header anywhere in the first 1024 bytes; some mail gateways prepend junk.
  if (ascii(b, 0, 1024).includes('%PDF-')) return { kind: 'application/pdf' };
  if (isJpeg(b)) return { kind: 'image/jpeg' };
  if (isPng(b)) return { kind: 'image/png' };
  if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') return { kind: 'image/tiff' };
  return { kind: 'other', description: signatures.find((s) => s.test(b))?.description ?? null };
}

/** The type of a file the desk accepts as a document (PDF, JPG, PNG, TIFF), by its first bytes; null for any other. */
export function documentMediaType(bytes: Uint8Array): ImportMediaType | null {
  const sniffed = sniff(bytes);
  return sniffed.kind === 'other' ? null : sniffed.kind;
}

function corrupt(what: string, details: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError('IMPORT_CORRUPT', undefined, { reason: what, ...details }, cause === undefined ? undefined : { cause });
}

/** Physical size hint of an image, so a 300 dpi A4 scan becomes an A4 page. */
interface ImageInfo { width: number; height: number; dpiX: number | null; dpiY: number | null; rotation: 0 | 90 | 180 | 270 }

const plausibleDpi = (dpi: number) => (dpi >= 50 && dpi <= 2400 ? dpi : null);

/** The walk's fault as the import's reason; the clerk sees IMPORT_CORRUPT's message either way. */
function structureFault(kind: 'png' | 'jpeg', err: unknown, name: string): unknown {
  if (!(err instanceof ImageStructureError)) return err;
  if (err.fault === 'checksum') return corrupt(`${kind}-crc`, { name, chunk: err.chunk });
  if (err.fault === 'marker') return corrupt(`${kind}-marker`, { name, offset: err.offset });
  return corrupt(`${kind}-truncated`, { name });
}

function checkPng(b: Uint8Array, name: string): ImageInfo {
  let info: ImageInfo | null = null;
  let sawData = false;
  try {
    for (const chunk of pngChunks(b)) {
      if (chunk.type === 'IHDR') {
        const header = pngHeader(chunk);
        if (header === null) throw corrupt('png-structure', { name });
        info = { width: header.width, height: header.height, dpiX: null, dpiY: null, rotation: 0 };
      }
      if (chunk.type === 'pHYs' && info !== null && chunk.body.byteLength >= 9 && chunk.body[8] === 1) {
        const view = new DataView(chunk.body.buffer, chunk.body.byteOffset, chunk.body.byteLength);
        info.dpiX = plausibleDpi(Math.round(view.getUint32(0) * 0.0254));
        info.dpiY = plausibleDpi(Math.round(view.getUint32(4) * 0.0254));
      }
      if (chunk.type === 'IDAT') sawData = true;
    }
  } catch (err) {
    throw structureFault('png', err, name);
  }
  if (info === null || !sawData || info.width === 0 || info.height === 0) throw corrupt('png-structure', { name });
  return info;
}

function exifOrientation(body: Uint8Array): ImageInfo['rotation'] {
  // APP1 "Exif\0\0" then a TIFF header; tag 0x0112 in IFD0 says how the camera held the page.
  if (ascii(body, 0, 6) !== 'Exif\0\0') return 0;
  const tiff = 6;
  const little = ascii(body, tiff, 2) === 'II';
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  if (tiff + 8 > body.byteLength) return 0;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > body.byteLength) return 0;
  const count = u16(ifd);
  for (let i = 0; i < count && ifd + 2 + i * 12 + 12 <= body.byteLength; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value === 3 ? 180 : value === 6 ? 90 : value === 8 ? 270 : 0;
    }
  }
  return 0;
}

function checkJpeg(b: Uint8Array, name: string): ImageInfo {
  let info: ImageInfo | null = null;
  let dpiX: number | null = null;
  let dpiY: number | null = null;
  let rotation: ImageInfo['rotation'] = 0;
  try {
    for (const segment of jpegSegments(b)) {
      const { marker, body } = segment;
      if (marker === 0xe0 && ascii(body, 0, 5) === 'JFIF\0' && body.byteLength >= 12) {
        const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
        const unit = body[7];
        const x = view.getUint16(8);
        const y = view.getUint16(10);
        if (unit === 1) { dpiX = plausibleDpi(x); dpiY = plausibleDpi(y); }
        if (unit === 2) { dpiX = plausibleDpi(Math.round(x * 2.54)); dpiY = plausibleDpi(Math.round(y * 2.54)); }
      }
      if (marker === 0xe1) rotation = exifOrientation(body);
      if (isStartOfFrame(marker)) {
        const size = jpegFrameSize(segment);
        info = size === null ? null : { ...size, dpiX: null, dpiY: null, rotation: 0 };
      }
      if (marker === 0xda) {
        if (info === null || info.width === 0 || info.height === 0) throw corrupt('jpeg-structure', { name });
        // Entropy-coded data runs to the end-of-image marker; a cut-off download has none.
        let last = b.byteLength - 1;
        while (last > segment.offset && b[last] === 0x00) last--;
        if (!(b[last - 1] === 0xff && b[last] === 0xd9)) throw corrupt('jpeg-truncated', { name });
        return { ...info, dpiX, dpiY, rotation };
      }
    }
  } catch (err) {
    throw structureFault('jpeg', err, name);
  }
  // The image ended before any scan: a frame header alone shows nothing.
  throw corrupt('jpeg-structure', { name });
}

interface TiffPage { png: Uint8Array; info: ImageInfo }

function tagNumber(ifd: UTIF.IFD, tag: number): number | undefined {
  const v = ifd[`t${tag}`];
  return Array.isArray(v) && typeof v[0] === 'number' ? v[0] : undefined;
}

/** TIFF is not embeddable in PDF as such: each page is decoded and re-encoded losslessly as PNG. */
function decodeTiff(b: Uint8Array, name: string): TiffPage[] {
  const buffer = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  let ifds: UTIF.IFD[];
  try {
    ifds = UTIF.decode(buffer).filter((ifd) => ifd.t256 !== undefined && ifd.t257 !== undefined);
  } catch (err) {
    throw corrupt('tiff-structure', { name }, err);
  }
  if (ifds.length === 0) throw corrupt('tiff-no-image', { name });
  return ifds.map((ifd, index) => {
    const offsets = (ifd.t273 ?? ifd.t324) as number[] | undefined;
    const counts = (ifd.t279 ?? ifd.t325) as number[] | undefined;
    if (offsets === undefined || counts === undefined || offsets.length !== counts.length) throw corrupt('tiff-structure', { name, page: index + 1 });
    offsets.forEach((offset, i) => {
      if (offset + counts[i]! > b.byteLength) throw corrupt('tiff-truncated', { name, page: index + 1 });
    });
    let rgba: Uint8Array;
    try {
      UTIF.decodeImage(buffer, ifd);
      rgba = UTIF.toRGBA8(ifd);
    } catch (err) {
      throw corrupt('tiff-pixels', { name, page: index + 1 }, err);
    }
    const { width, height } = ifd;
    if (!(width > 0 && height > 0) || rgba.length !== width * height * 4) throw corrupt('tiff-pixels', { name, page: index + 1 });
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(width, height);
    image.data.set(rgba);
    ctx.putImageData(image, 0, 0);
    const resolutionUnit = tagNumber(ifd, 296) ?? 2;
    // RATIONAL tags come back as [num, den] or [[num, den]] depending on how the file was written.
    const toDpi = (tag: number) => {
      const raw = ifd[`t${tag}`] as unknown;
      const pair = Array.isArray(raw) ? (Array.isArray(raw[0]) ? (raw[0] as unknown[]) : raw) : [];
      const [num, den] = pair as [unknown, unknown];
      const value = typeof num !== 'number' ? NaN : typeof den === 'number' && den !== 0 ? num / den : num;
      return plausibleDpi(Math.round(resolutionUnit === 3 ? value * 2.54 : value));
    };
    return { png: canvas.toBuffer('image/png'), info: { width, height, dpiX: toDpi(282), dpiY: toDpi(283), rotation: 0 } };
  });
}

const a4WidthPt = 595.28;

/** One page per image, sized from the image's resolution (or to A4 width when it has none). */
async function wrapImages(images: Array<{ bytes: Uint8Array; kind: 'jpeg' | 'png'; info: ImageInfo }>): Promise<Uint8Array> {
  // No creation date: the PDF is a function of the images alone, so the same attachment imported
  // again is recognised as the same stored document.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setProducer('Loket');
  pdf.setCreator('Loket (impor berkas)');
  for (const { bytes, kind, info } of images) {
    const image = await embedImage(pdf, bytes, kind);
    const scale = info.dpiX !== null && info.dpiY !== null ? null : a4WidthPt / info.width;
    const width = scale === null ? (info.width * 72) / info.dpiX! : a4WidthPt;
    const height = scale === null ? (info.height * 72) / info.dpiY! : info.height * scale;
    const page = pdf.addPage([width, height]);
    page.drawImage(image, { x: 0, y: 0, width, height });
    if (info.rotation !== 0) page.setRotation(degrees(info.rotation));
  }
  return pdf.save();
}

async function checkPdf(b: Uint8Array, name: string): Promise<number> {
  // A complete PDF ends with %%EOF (trailing newlines or padding allowed); a cut-off download does not.
  if (!ascii(b, Math.max(0, b.byteLength - 2048), 2048).includes('%%EOF')) throw corrupt('pdf-truncated', { name });
  let opened;
  try {
    opened = await openPdf(b);
  } catch (err) {
    if (err instanceof PdfOpenError && err.reason === 'password') throw new AppError('IMPORT_ENCRYPTED', undefined, { name }, { cause: err });
    throw corrupt('pdf-parse', { name }, err);
  }
  try {
    const pages = opened.doc.numPages;
    if (pages < 1) throw corrupt('pdf-no-pages', { name });
    // Every page must resolve; a damaged page tree would fail later in the viewer or the agenda book.
    for (let n = 1; n <= pages; n++) await opened.doc.getPage(n);
    return pages;
  } catch (err) {
    throw err instanceof AppError ? err : corrupt('pdf-page', { name }, err);
  } finally {
    await opened.close();
  }
}

/**
 * Checks the bytes of a softcopy letter and stores them (and, for images, the PDF made from them).
 * Throws an IMPORT_* AppError a clerk can act on; on any failure nothing new stays in the store.
 */
export async function importDocument(store: BlobStore, bytes: Uint8Array, name: string, options: ImportOptions = {}): Promise<ImportedDocument> {
  const displayName = safeDisplayName(name);
  const maxBytes = options.maxBytes ?? defaultMaxImportBytes;
  if (bytes.byteLength === 0) throw new AppError('IMPORT_EMPTY', undefined, { name: displayName });
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes, displayName);

  const sniffed = sniff(bytes);
  let pdfBytes: Uint8Array;
  let pageCount: number;
  switch (sniffed.kind) {
    case 'other':
      throw new AppError('IMPORT_UNSUPPORTED', sniffed.description === null
        ? undefined
        : `Berkas ini ternyata berisi ${sniffed.description}, bukan PDF atau gambar. Impor berkas PDF, JPG, PNG, atau TIFF — simpan dulu sebagai PDF bila perlu.`,
      { name: displayName });
    case 'application/pdf':
      pageCount = await checkPdf(bytes, displayName);
      pdfBytes = bytes;
      break;
    case 'image/jpeg':
    case 'image/png': {
      const kind = sniffed.kind === 'image/jpeg' ? 'jpeg' : 'png';
      const info = kind === 'jpeg' ? checkJpeg(bytes, displayName) : checkPng(bytes, displayName);
      pdfBytes = await wrapped(() => wrapImages([{ bytes, kind, info }]), displayName);
      pageCount = 1;
      break;
    }
    case 'image/tiff': {
      const pages = decodeTiff(bytes, displayName);
      pdfBytes = await wrapped(() => wrapImages(pages.map((p) => ({ bytes: p.png, kind: 'png' as const, info: p.info }))), displayName);
      pageCount = pages.length;
      break;
    }
  }

  const original = await store.put(bytes);
  let pdf = { hash: original.hash, byteSize: original.size };
  if (pdfBytes !== bytes) {
    try {
      const put = await store.put(pdfBytes);
      pdf = { hash: put.hash, byteSize: put.size };
    } catch (err) {
      // The original alone would be a half import: take it back unless it was there before.
      if (!original.existed) await store.remove(original.hash).catch(() => undefined);
      options.log?.warn('import rolled back: the PDF of an image could not be stored', { hash: original.hash, err });
      throw err;
    }
  }
  options.log?.info('document imported', { hash: original.hash, mediaType: sniffed.kind, pages: pageCount, bytes: bytes.byteLength, existed: original.existed });
  return { hash: original.hash, mediaType: sniffed.kind, byteSize: bytes.byteLength, existed: original.existed, pageCount, displayName, pdf };
}

async function wrapped(build: () => Promise<Uint8Array>, name: string): Promise<Uint8Array> {
  try {
    return await build();
  } catch (err) {
    throw corrupt('image-embed', { name }, err);
  }
}

export function tooLarge(size: number, maxBytes: number, name: string): AppError {
  return new AppError('IMPORT_TOO_LARGE', `Berkas ini berukuran ${formatMb(size)} MB, melebihi batas ${formatMb(maxBytes)} MB. Perkecil ukurannya (misalnya pindai ulang dengan resolusi lebih rendah) lalu impor lagi.`, { name, size, maxBytes });
}

/** Imports a file from disk (file picker, drag-and-drop in Electron); the size is checked before reading. */
export async function importFile(store: BlobStore, path: string, options: ImportOptions = {}): Promise<ImportedDocument> {
  const name = basename(path);
  const maxBytes = options.maxBytes ?? defaultMaxImportBytes;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AppError('IMPORT_UNREADABLE', undefined, { name: safeDisplayName(name) });
    if (info.size > maxBytes) throw tooLarge(info.size, maxBytes, safeDisplayName(name));
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('IMPORT_UNREADABLE', undefined, { name: safeDisplayName(name) }, { cause: err });
  }
  return importDocument(store, bytes, name, options);
}
