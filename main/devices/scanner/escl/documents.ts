// What an eSCL scanner sends for NextDocument, as the desk's page images: a JPEG is a page as it
// is; a PDF (some scanners offer nothing else, and some put a whole feeder batch in one) gives one
// page per PDF page, taken out of the file without re-encoding — scanners put each page in as one
// image, a JPEG (DCTDecode) or deflated samples. Either way the page pipeline gets the device's
// own pixels, exactly as from a SANE scanner.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import type { PageImage } from '../types.ts';

export class UnreadableDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreadableDocumentError';
  }
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}

/** The page images of one document; `contentType` is the reply's (devices are not always right about it). */
export async function pageImagesOf(contentType: string | undefined, body: Uint8Array, dpi: number): Promise<PageImage[]> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (isJpeg(body)) return [{ kind: 'jpeg', dpi, data: body }];
  if (type === 'application/pdf' || isPdf(body)) return pdfPageImages(body, dpi);
  throw new UnreadableDocumentError(`document of type "${type || 'unknown'}" is neither JPEG nor PDF`);
}

/** The object itself, or the one a reference points to, when it is of this pdf-lib class. */
function resolve<T extends PDFObject>(doc: PDFDocument, value: PDFObject | undefined, type: { prototype: T }): T | undefined {
  const object = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return object instanceof (type as unknown as new () => T) ? (object as T) : undefined;
}

function numberOf(doc: PDFDocument, dict: PDFDict, key: string): number | undefined {
  return resolve(doc, dict.get(PDFName.of(key)), PDFNumber)?.asNumber();
}

function filtersOf(doc: PDFDocument, dict: PDFDict): string[] {
  const filter = dict.get(PDFName.of('Filter'));
  const resolved = filter instanceof PDFRef ? doc.context.lookup(filter) : filter;
  if (resolved instanceof PDFName) return [resolved.decodeText()];
  if (resolved instanceof PDFArray) return resolved.asArray().map((f) => (f instanceof PDFName ? f.decodeText() : '?'));
  return [];
}

/** Samples per pixel of an image's colour space: 1 or 3 (what scanners use), else undefined. */
function channelsOf(doc: PDFDocument, dict: PDFDict): 1 | 3 | undefined {
  let space: PDFObject | undefined = dict.get(PDFName.of('ColorSpace'));
  if (space instanceof PDFRef) space = doc.context.lookup(space);
  // [/ICCBased <stream>]: the stream says how many components.
  if (space instanceof PDFArray) {
    const [family, arg] = space.asArray();
    if (family instanceof PDFName && family.decodeText() === 'ICCBased') {
      const profile = resolve(doc, arg, PDFRawStream);
      const n = profile === undefined ? undefined : numberOf(doc, profile.dict, 'N');
      return n === 1 ? 1 : n === 3 ? 3 : undefined;
    }
    space = family;
  }
  if (!(space instanceof PDFName)) return undefined;
  const name = space.decodeText();
  return name === 'DeviceGray' || name === 'CalGray' ? 1 : name === 'DeviceRGB' || name === 'CalRGB' ? 3 : undefined;
}

/** The image XObjects a page draws (also inside form XObjects), largest first. */
function imagesOfResources(doc: PDFDocument, resources: PDFDict | undefined, depth = 0): PDFRawStream[] {
  const xobjects = resolve(doc, resources?.get(PDFName.of('XObject')), PDFDict);
  if (xobjects === undefined || depth > 4) return [];
  const images: PDFRawStream[] = [];
  for (const [, value] of xobjects.entries()) {
    const stream = resolve(doc, value, PDFRawStream);
    if (stream === undefined) continue;
    const subtype = resolve(doc, stream.dict.get(PDFName.of('Subtype')), PDFName)?.decodeText();
    if (subtype === 'Image') images.push(stream);
    else if (subtype === 'Form') images.push(...imagesOfResources(doc, resolve(doc, stream.dict.get(PDFName.of('Resources')), PDFDict), depth + 1));
  }
  return images;
}

function imageOf(doc: PDFDocument, stream: PDFRawStream, dpi: number): PageImage {
  const filters = filtersOf(doc, stream.dict);
  const width = numberOf(doc, stream.dict, 'Width') ?? 0;
  const height = numberOf(doc, stream.dict, 'Height') ?? 0;
  if (filters.length === 1 && filters[0] === 'DCTDecode') return { kind: 'jpeg', dpi, data: stream.contents };
  const channels = channelsOf(doc, stream.dict);
  const bits = numberOf(doc, stream.dict, 'BitsPerComponent');
  if ((filters.length === 0 || (filters.length === 1 && filters[0] === 'FlateDecode')) && channels !== undefined && (bits === 8 || (bits === 1 && channels === 1)) && width > 0 && height > 0) {
    if (resolve(doc, stream.dict.get(PDFName.of('DecodeParms')), PDFDict) !== undefined) throw new UnreadableDocumentError('PDF image with a predictor');
    const samples = filters.length === 0 ? stream.contents : new Uint8Array(inflateSync(stream.contents));
    const bytesPerLine = bits === 1 ? Math.ceil(width / 8) : width * channels;
    if (samples.length < bytesPerLine * height) throw new UnreadableDocumentError('PDF image shorter than its size');
    // PDF's 1-bit gray has 1 = white; the desk's lineart has 1 = black.
    const data = bits === 1 ? samples.map((b) => b ^ 0xff) : samples;
    return { kind: 'raster', width, height, channels, depth: bits === 1 ? 1 : 8, bytesPerLine, littleEndian: false, dpi, data };
  }
  throw new UnreadableDocumentError(`PDF image encoded as ${filters.join('+') || 'raw'} with ${bits ?? '?'} bits and ${channels ?? '?'} channels`);
}

async function pdfPageImages(body: Uint8Array, requestedDpi: number): Promise<PageImage[]> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(body, { ignoreEncryption: false, updateMetadata: false });
  } catch (err) {
    throw new UnreadableDocumentError('PDF cannot be read', { cause: err });
  }
  const images: PageImage[] = [];
  for (const page of doc.getPages()) {
    const [image] = imagesOfResources(doc, page.node.Resources()).sort((a, b) => (numberOf(doc, b.dict, 'Width') ?? 0) - (numberOf(doc, a.dict, 'Width') ?? 0));
    if (image === undefined) throw new UnreadableDocumentError('PDF page without a scanned image');
    // The page's width in points and the image's in pixels give the resolution it was scanned at.
    const widthPx = numberOf(doc, image.dict, 'Width') ?? 0;
    const { width: widthPt } = page.getSize();
    const dpi = widthPx > 0 && widthPt > 0 ? Math.round((widthPx * 72) / widthPt) : requestedDpi;
    images.push(imageOf(doc, image, dpi));
  }
  if (images.length === 0) throw new UnreadableDocumentError('PDF without pages');
  return images;
}
