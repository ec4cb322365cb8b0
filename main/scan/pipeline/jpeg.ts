// JPEG in and out through @napi-rs/canvas (prebuilt for every desktop platform), with the
// resolution written into the file so viewers and PDF tools know the paper's size.
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { ImageStructureError, isStartOfFrame, jpegSegments } from '../../../common/image-structure.ts';
import { jpegWithDensity } from '../../documents/image-density.ts';
import type { Raster } from './raster.ts';

export function encodeJpeg(r: Raster, quality: number, dpi: number): Uint8Array {
  const canvas = createCanvas(r.width, r.height);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(r.width, r.height);
  const out = image.data;
  const d = r.data;
  const n = r.width * r.height;
  if (r.channels === 1) {
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const v = d[i]!;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
    }
  } else {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += 3, o += 4) {
      out[o] = d[s]!;
      out[o + 1] = d[s + 1]!;
      out[o + 2] = d[s + 2]!;
      out[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
  return new Uint8Array(jpegWithDensity(canvas.encodeSync('jpeg', quality), Math.round(dpi)));
}

/** The number of colour components of a JPEG's frame (1 gray, 3 colour), from its SOF marker. */
export function jpegComponents(jpeg: Uint8Array): number | undefined {
  try {
    for (const segment of jpegSegments(jpeg)) {
      if (isStartOfFrame(segment.marker)) return segment.body[5];
    }
  } catch (err) {
    if (!(err instanceof ImageStructureError)) throw err;
  }
  return undefined;
}

/**
 * Decodes a JPEG to a raster: gray (one channel) for a one-component JPEG, as network scanners send
 * gray pages, RGB otherwise. A gray page then skips the colour work (a third of the bytes, no
 * luma conversion, no colour check).
 */
export async function decodeJpeg(jpeg: Uint8Array): Promise<Raster> {
  const image = await loadImage(Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, image.width, image.height).data;
  const n = image.width * image.height;
  if (jpegComponents(jpeg) === 1) {
    const gray = new Uint8Array(n);
    for (let i = 0, s = 0; i < n; i++, s += 4) gray[i] = rgba[s]!;
    return { width: image.width, height: image.height, channels: 1, data: gray };
  }
  const data = new Uint8Array(n * 3);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 3) {
    data[o] = rgba[s]!;
    data[o + 1] = rgba[s + 1]!;
    data[o + 2] = rgba[s + 2]!;
  }
  return { width: image.width, height: image.height, channels: 3, data };
}
