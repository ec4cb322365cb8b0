// Skew estimation by projection profiles: text lines of a straight page make the row profile of
// its ink spiky; turned by the right angle, the profile is spikiest (largest sum of squares).
// Works on the ink mask (specks already removed), from horizontal runs of ink in every few rows:
// few points, no extra pass over the whole image, and plenty for 0.05° steps.
import type { InkMask } from './bilevel.ts';

/** Larger skews are not a sheet fed crooked but a page placed sideways: left to rotation. */
export const maxSkewDegrees = 5;
/** Below this a correction would only soften the image. */
export const minCorrectionDegrees = 0.1;

/** Rows sampled and profile bins are about 1/100 inch apart. */
const analysisDpi = 100;
const maxRuns = 80_000;
/**
 * Fewer ink runs than about one line of text leaves nothing to measure against (a signature, a lone
 * word): such a page is reported straight rather than turned by a guess.
 */
const minRuns = 400;
/**
 * Text covers a few per cent of a page, a dense form perhaps a fifth. Beyond this share of ink the
 * page is a photograph, a pattern or a filled area, whose profiles say nothing about its lines: it is
 * left as scanned rather than turned by blocks that happen to line up at an angle.
 */
const maxInkShare = 0.3;

function profileScore(xs: Float64Array, ys: Float64Array, weights: Float64Array, n: number, degrees: number, bins: Float64Array, offset: number, binSize: number): number {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad) / binSize;
  const sin = Math.sin(rad) / binSize;
  bins.fill(0);
  for (let i = 0; i < n; i++) bins[Math.round(ys[i]! * cos - xs[i]! * sin) + offset]! += weights[i]!;
  let score = 0;
  for (let i = 0; i < bins.length; i++) score += bins[i]! * bins[i]!;
  return score;
}

/**
 * The page content's skew in degrees (positive: turned clockwise), within ±maxSkewDegrees; 0
 * when the page has too little text to tell.
 */
export function estimateSkew(mask: InkMask, dpi: number): number {
  const { width: w, height: h, data } = mask;
  const rowStep = Math.max(1, Math.round(dpi / analysisDpi));
  const xs = new Float64Array(maxRuns);
  const ys = new Float64Array(maxRuns);
  const weights = new Float64Array(maxRuns);
  let n = 0;
  let ink = 0;
  let rows = 0;
  for (let y = 0; y < h && n < maxRuns; y += rowStep, rows++) {
    const row = y * w;
    for (let x = 0; x < w && n < maxRuns; ) {
      if (data[row + x] !== 1) {
        x++;
        continue;
      }
      const start = x;
      while (x < w && data[row + x] === 1) x++;
      xs[n] = (start + x - 1) / 2;
      ys[n] = y;
      weights[n] = x - start;
      ink += x - start;
      n++;
    }
  }
  if (n < minRuns || ink > maxInkShare * rows * w) return 0;
  // One bin per sampled row: a bin narrower or wider than the row step leaves some bins empty at 0°
  // (150 dpi sampled every 2nd row into 1.5-pixel bins), a comb that made 0° win for skews up to 0.6°.
  const binSize = rowStep;
  const offset = Math.ceil(w / binSize) + 2;
  const bins = new Float64Array(Math.ceil((h + 2 * w) / binSize) + 8);
  const search = (from: number, to: number, step: number, start: number) => {
    let best = start;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += step) {
      const s = profileScore(xs, ys, weights, n, a, bins, offset, binSize);
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
