// Does a page carry colour worth keeping (a stamp, signature ink, a coloured letterhead)? Judged on
// a ~75 dpi copy, whose averaging hides the colour fringes a scanner leaves along black text.
import type { Raster } from './raster.ts';
import { resizeToDpi } from './raster.ts';

/** Chroma (max − min of R, G, B) from which a pixel counts as coloured. */
const minChroma = 48;
/** Coloured share of the page from which the page is kept in colour (about a stamp's rim, 0.2 cm² on A4). */
const minColouredShare = 3e-5;
const analysisDpi = 75;

export function hasColourContent(r: Raster, dpi: number): boolean {
  if (r.channels === 1) return false;
  const small = resizeToDpi(r, dpi, analysisDpi);
  const d = small.data;
  let coloured = 0;
  for (let i = 0; i < d.length; i += 3) {
    const a = d[i]!;
    const b = d[i + 1]!;
    const c = d[i + 2]!;
    const max = a > b ? (a > c ? a : c) : b > c ? b : c;
    const min = a < b ? (a < c ? a : c) : b < c ? b : c;
    if (max - min >= minChroma) coloured++;
  }
  return coloured / (small.width * small.height) >= minColouredShare;
}
