// One page through the pipeline: straighten, find out whether it is blank and whether it has
// colour, then encode it compactly — text pages as full-resolution 1-bit, colour pages as a
// reduced-resolution JPEG — with a thumbnail of the straightened page.
import { inflateSync } from 'node:zlib';
import { inkMask, packBilevel } from './bilevel.ts';
import { blankThreshold, scoreAndDespeckle } from './blank.ts';
import { hasColourContent } from './colour.ts';
import { estimateSkew, maxSkewDegrees, minCorrectionDegrees } from './deskew.ts';
import { decodeJpeg, encodeJpeg } from './jpeg.ts';
import { rasterFromRawPage, resize, resizeToDpi, rotateBy, rotateQuarter, toGray, type Raster } from './raster.ts';
import type { EncodedPageImage, ProcessedPage, ProcessOptions, QuarterTurn, RawPage, Thumbnail } from './types.ts';

/** Colour pages: enough for stamps and signatures to be recognisable, at a fraction of the bytes. */
const colourDpi = 150;
const colourQuality = 60;
const thumbnailWidth = 160;
const thumbnailQuality = 70;
const exportQuality = 85;

function isSideways(turn: QuarterTurn): boolean {
  return turn === 90 || turn === 270;
}

function thumbnailOf(r: Raster, turn: QuarterTurn): Thumbnail {
  const [shownW, shownH] = isSideways(turn) ? [r.height, r.width] : [r.width, r.height];
  const width = Math.min(thumbnailWidth, shownW);
  const height = Math.max(1, Math.round((shownH * width) / shownW));
  const small = isSideways(turn) ? resize(r, height, width) : resize(r, width, height);
  return { mediaType: 'image/jpeg', width, height, data: encodeJpeg(rotateQuarter(small, turn), thumbnailQuality, 72) };
}

export function processPage(page: RawPage, options: ProcessOptions): ProcessedPage {
  const raster = rasterFromRawPage(page);
  const gray = toGray(raster);
  const rotation = options.rotate ?? 0;
  let mask = inkMask(gray, page.dpi);
  let blankScore = scoreAndDespeckle(mask, page.dpi);
  const blank = blankScore < blankThreshold;
  const skewDegrees = blank ? 0 : estimateSkew(mask, page.dpi);
  // A blank page is not worth straightening; a skewed one is turned back and thresholded again.
  const deskewed = !blank && (options.deskew ?? true) && Math.abs(skewDegrees) >= minCorrectionDegrees && Math.abs(skewDegrees) < maxSkewDegrees;
  const straight = deskewed ? rotateBy(raster, skewDegrees) : raster;
  const straightGray = deskewed ? toGray(straight) : gray;
  if (deskewed) {
    mask = inkMask(straightGray, page.dpi);
    blankScore = scoreAndDespeckle(mask, page.dpi);
  }
  const colour = hasColourContent(straight, page.dpi);
  const pageSize = { width: (page.width * 72) / page.dpi, height: (page.height * 72) / page.dpi };
  let image: EncodedPageImage;
  if (colour) {
    const reduced = resizeToDpi(straight, page.dpi, colourDpi);
    const dpi = Math.min(page.dpi, colourDpi);
    image = { format: 'jpeg', width: reduced.width, height: reduced.height, dpi, data: encodeJpeg(reduced, colourQuality, dpi) };
  } else {
    image = { format: 'bilevel', width: mask.width, height: mask.height, dpi: page.dpi, data: packBilevel(mask) };
  }
  return {
    image,
    thumbnail: thumbnailOf(colour ? straight : straightGray, rotation),
    pageSize,
    blank,
    blankScore,
    skewDegrees,
    deskewed,
    rotation,
    colour,
  };
}

/** The page image decoded back to pixels, in scan orientation. */
async function decodePageImage(image: EncodedPageImage): Promise<Raster> {
  if (image.format === 'jpeg') return decodeJpeg(image.data);
  const packed = inflateSync(image.data);
  const stride = Math.ceil(image.width / 8);
  const data = new Uint8Array(image.width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) data[y * image.width + x] = (packed[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return { width: image.width, height: image.height, channels: 1, data };
}

export async function rotatePage(page: ProcessedPage, by: QuarterTurn): Promise<ProcessedPage> {
  const rotation = ((page.rotation + by) % 360) as QuarterTurn;
  const current = await decodeJpeg(page.thumbnail.data);
  const turned = rotateQuarter(current, by);
  return { ...page, rotation, thumbnail: { mediaType: 'image/jpeg', width: turned.width, height: turned.height, data: encodeJpeg(turned, thumbnailQuality, 72) } };
}

export async function pageAsJpeg(page: ProcessedPage): Promise<Uint8Array> {
  if (page.image.format === 'jpeg' && page.rotation === 0) return page.image.data;
  const pixels = await decodePageImage(page.image);
  return encodeJpeg(rotateQuarter(pixels, page.rotation), exportQuality, page.image.dpi);
}
