// Skew estimation by projection profiles: text lines of a straight page make the row profile of
// its dark pixels spiky; turned by the right angle, the profile is spikiest (largest sum of
// squares). Searched coarse then fine on a ~100 dpi copy, which is plenty for 0.05° steps.
import type { Raster } from './raster.ts';
import { resizeToDpi } from './raster.ts';

/** Larger skews are not a sheet fed crooked but a page placed sideways: left to rotation. */
export const maxSkewDegrees = 5;
/** Below this a correction would only soften the image. */
export const minCorrectionDegrees = 0.1;

const analysisDpi = 100;
const maxPoints = 60_000;

/** Otsu's threshold on the histogram: the level that best splits ink from paper. */
export function otsuLevel(gray: Uint8Array): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < gray.length; i++) hist[gray[i]!]!++;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * hist[v]!;
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let level = 128;
  for (let v = 0; v < 256; v++) {
    weightBelow += hist[v]!;
    if (weightBelow === 0) continue;
    const weightAbove = gray.length - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += v * hist[v]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sum - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      level = v;
    }
  }
  return level;
}

function profileScore(xs: Float64Array, ys: Float64Array, degrees: number, bins: Float64Array, offset: number): number {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  bins.fill(0);
  for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i]! * cos - xs[i]! * sin) + offset]!++;
  let score = 0;
  for (let i = 0; i < bins.length; i++) score += bins[i]! * bins[i]!;
  return score;
}

/**
 * The page content's skew in degrees (positive: turned clockwise), within ±maxSkewDegrees; 0
 * when the page has too few dark pixels to tell.
 */
export function estimateSkew(gray: Raster, dpi: number): number {
  const small = resizeToDpi(gray, dpi, analysisDpi);
  const level = Math.min(otsuLevel(small.data), 160);
  const { width: w, height: h, data } = small;
  let dark = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! < level) dark++;
  if (dark < 200) return 0;
  const step = Math.max(1, Math.ceil(dark / maxPoints));
  const count = Math.floor(dark / step);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0, seen = 0, n = 0; i < data.length && n < count; i++) {
    if (data[i]! >= level) continue;
    if (seen++ % step === 0) {
      xs[n] = i % w;
      ys[n] = Math.floor(i / w);
      n++;
    }
  }
  const offset = w + 2;
  const bins = new Float64Array(h + 2 * w + 4);
  const search = (from: number, to: number, stepDeg: number, start: number) => {
    let best = start;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += stepDeg) {
      const s = profileScore(xs, ys, a, bins, offset);
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    return best;
  };
  const coarse = search(-maxSkewDegrees, maxSkewDegrees, 0.5, 0);
  const fine = search(coarse - 0.5, coarse + 0.5, 0.05, coarse);
  // `+ 0` turns -0 into 0: a straight page reads as 0°, not -0°.
  return Math.round(fine * 100) / 100 + 0;
}
