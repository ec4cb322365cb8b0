// Pixel buffers and the geometric operations the pipeline needs on them: gray conversion, area
// downscaling, rotation by a small angle (deskew) and by quarter turns. 8-bit gray or RGB, rows
// packed without padding. Plain loops over typed arrays: this runs in the pipeline's worker thread.
import { AppError } from '../../../common/errors.ts';
import type { QuarterTurn, RawPage } from './types.ts';

export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

const maxSidePx = 20_000;

/** The raw page as an 8-bit raster; lineart (1 = black) becomes 0/255 gray. Rejects a page whose size and data disagree. */
export function rasterFromRawPage(page: RawPage): Raster {
  const { width, height, channels, depth, dpi } = page;
  const sane = Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width <= maxSidePx && height <= maxSidePx;
  const expected = depth === 1 ? Math.ceil(width / 8) * height : width * height * channels;
  if (!sane || !(dpi >= 30 && dpi <= 2400) || (depth === 1 && channels !== 1) || page.data.length !== expected) {
    throw new AppError('VALIDATION', 'Halaman hasil pindai tidak utuh (ukuran gambar tidak cocok dengan datanya). Pindai ulang halaman ini.', {
      width, height, channels, depth, dpi, bytes: page.data.length, expected,
    });
  }
  if (depth === 8) return { width, height, channels, data: page.data };
  const stride = Math.ceil(width / 8);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = (page.data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1;
      data[y * width + x] = bit === 1 ? 0 : 255;
    }
  }
  return { width, height, channels: 1, data };
}

/** Luma (Rec. 601) of an RGB raster; a gray raster is returned as is. */
export function toGray(r: Raster): Raster {
  if (r.channels === 1) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n);
  const d = r.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (d[j]! * 77 + d[j + 1]! * 150 + d[j + 2]! * 29) >> 8;
  return { width: r.width, height: r.height, channels: 1, data: out };
}

/** Shrinks to width × height by averaging each output pixel's block of source pixels (no enlarging). */
export function resize(r: Raster, width: number, height: number): Raster {
  const c = r.channels;
  const out = new Uint8Array(width * height * c);
  const sx = r.width / width;
  const sy = r.height / height;
  // Source span of each output column, in samples (column × channels).
  const from = new Int32Array(width);
  const to = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    from[x] = Math.floor(x * sx) * c;
    to[x] = (x === width - 1 ? r.width : Math.max(Math.floor(x * sx) + 1, Math.floor((x + 1) * sx))) * c;
  }
  const sums = new Uint32Array(width * c);
  const d = r.data;
  const rowLength = r.width * c;
  // Strong reductions (thumbnails) average every few rows of each block: as good to the eye, far less work.
  const rowStep = Math.max(1, Math.floor(sy / 4));
  for (let y = 0, y0 = 0; y < height; y++) {
    const y1 = y === height - 1 ? r.height : Math.max(y0 + 1, Math.floor((y + 1) * sy));
    const rows = Math.ceil((y1 - y0) / rowStep);
    sums.fill(0);
    for (let yy = y0; yy < y1; yy += rowStep) {
      const row = yy * rowLength;
      for (let x = 0; x < width; x++) {
        const end = row + to[x]!;
        if (c === 1) {
          let s = 0;
          for (let i = row + from[x]!; i < end; i++) s += d[i]!;
          sums[x]! += s;
        } else {
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          for (let i = row + from[x]!; i < end; i += 3) {
            s0 += d[i]!;
            s1 += d[i + 1]!;
            s2 += d[i + 2]!;
          }
          sums[x * 3]! += s0;
          sums[x * 3 + 1]! += s1;
          sums[x * 3 + 2]! += s2;
        }
      }
    }
    y0 = y1;
    const o = y * width * c;
    for (let x = 0; x < width; x++) {
      const count = ((to[x]! - from[x]!) / c) * rows;
      for (let ch = 0; ch < c; ch++) out[o + x * c + ch] = (sums[x * c + ch]! + (count >> 1)) / count;
    }
  }
  return { width, height, channels: c, data: out };
}

/** Scales so the raster is at `toDpi` (only ever down). */
export function resizeToDpi(r: Raster, fromDpi: number, toDpi: number): Raster {
  if (toDpi >= fromDpi) return r;
  const f = toDpi / fromDpi;
  return resize(r, Math.max(1, Math.round(r.width * f)), Math.max(1, Math.round(r.height * f)));
}

/**
 * Turns the content counter-clockwise by `degrees` about the centre, keeping the size; corners
 * that come from outside the page are paper white. Bilinear sampling keeps strokes smooth.
 */
export function rotateBy(r: Raster, degrees: number): Raster {
  const { width: w, height: h, channels: c } = r;
  const out = new Uint8Array(w * h * c).fill(255);
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const d = r.data;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Source of (x, y): the destination point turned clockwise by the same angle.
    let sx = -cx * cos - dy * sin + cx;
    let sy = -cx * sin + dy * cos + cy;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) continue;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = (y0 * w + x0) * c;
      const j = i + w * c;
      const o = (y * w + x) * c;
      for (let ch = 0; ch < c; ch++) {
        const a = d[i + ch]!;
        const top = a + (d[i + c + ch]! - a) * fx;
        const e = d[j + ch]!;
        const bottom = e + (d[j + c + ch]! - e) * fx;
        out[o + ch] = top + (bottom - top) * fy + 0.5;
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Turns the raster clockwise by a quarter-turn multiple (lossless). */
export function rotateQuarter(r: Raster, turn: QuarterTurn): Raster {
  if (turn === 0) return r;
  const { width: w, height: h, channels: c } = r;
  const swap = turn !== 180;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Where source pixel (x, y) lands after the clockwise turn.
      const tx = turn === 90 ? h - 1 - y : turn === 180 ? w - 1 - x : y;
      const ty = turn === 90 ? x : turn === 180 ? h - 1 - y : w - 1 - x;
      const s = (y * w + x) * c;
      const o = (ty * ow + tx) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] = r.data[s + ch]!;
    }
  }
  return { width: ow, height: oh, channels: c, data: out };
}
