// Blank-page detection. A blank sheet through a real scanner is never empty: sensor noise, dust,
// a hair, the shadow along the edges, punch holes. So the score counts only ink in connected marks
// larger than dust, away from the page border, as a share of that inner area. The same pass removes
// dust specks from the mask, which makes the bilevel image smaller and OCR cleaner.
import type { InkMask } from './bilevel.ts';

/** Pages whose marks cover less than this share of the inner area are blank (about 5 mm² on A4). */
export const blankThreshold = 1e-4;
/** Smallest mark that counts as content, in mm² (a letter's stroke group; larger than typical dust). */
const minMarkMm2 = 0.3;
/** Specks up to this size (mm²) are removed from the image itself. */
const speckMm2 = 0.02;
/** Borders left out of the score: edge shadows and punch holes (about 12 mm from the edge). */
const marginX = 0.08;
const marginY = 0.05;

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/** Growable run list: row, start, end (exclusive) and provisional label of each horizontal run of ink. */
class Runs {
  y = new Int32Array(4096);
  start = new Int32Array(4096);
  end = new Int32Array(4096);
  label = new Int32Array(4096);
  count = 0;

  push(y: number, start: number, end: number, label: number): void {
    if (this.count === this.y.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.y = grow(this.y);
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.label = grow(this.label);
    }
    this.y[this.count] = y;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.label[this.count] = label;
    this.count++;
  }
}

/**
 * Finds the 8-connected marks as runs of ink joined row to row (union-find over run labels),
 * removes specks from `mask` (in place), and answers the blank score.
 */
export function scoreAndDespeckle(mask: InkMask, dpi: number): number {
  const { width: w, height: h, data } = mask;
  const runs = new Runs();
  let parent = new Int32Array(4096);
  // Runs are found with indexOf (native, fast on mostly-white pages), then cut at row ends.
  let prevFirst = 0;
  let prevEnd = 0;
  let currentY = -1;
  let rowFirst = 0;
  let p = 0;
  const addRun = (y: number, start: number, end: number) => {
    if (y !== currentY) {
      // A new row: the runs of the row just above are the ones to join with.
      const previousRowEnd = runs.count;
      if (y === currentY + 1) {
        prevFirst = rowFirst;
        prevEnd = previousRowEnd;
      } else {
        prevFirst = previousRowEnd;
        prevEnd = previousRowEnd;
      }
      rowFirst = previousRowEnd;
      currentY = y;
      p = prevFirst;
    }
    if (runs.count >= parent.length) {
      const grown = new Int32Array(parent.length * 2);
      grown.set(parent);
      parent = grown;
    }
    const label = runs.count;
    parent[label] = label;
    // Runs of the row above touching this one, diagonals included.
    while (p < prevEnd && runs.end[p]! < start) p++;
    for (let q = p; q < prevEnd && runs.start[q]! <= end; q++) {
      const a = find(parent, label);
      const b = find(parent, runs.label[q]!);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
    runs.push(y, start, end, label);
  };
  const n = w * h;
  for (let at = data.indexOf(1); at !== -1 && at < n; ) {
    let end = data.indexOf(0, at);
    if (end === -1) end = n;
    for (let s = at; s < end; ) {
      const y = Math.floor(s / w);
      const rowEnd = Math.min(end, (y + 1) * w);
      addRun(y, s - y * w, rowEnd - y * w);
      s = rowEnd;
    }
    at = data.indexOf(1, end);
  }
  const area = new Float64Array(runs.count);
  const inner = new Float64Array(runs.count);
  const x0 = Math.floor(w * marginX);
  const x1 = w - x0;
  const y0 = Math.floor(h * marginY);
  const y1 = h - y0;
  for (let r = 0; r < runs.count; r++) {
    const root = find(parent, r);
    runs.label[r] = root;
    const s = runs.start[r]!;
    const e = runs.end[r]!;
    area[root]! += e - s;
    const y = runs.y[r]!;
    if (y >= y0 && y < y1) inner[root]! += Math.max(0, Math.min(e, x1) - Math.max(s, x0));
  }
  const pxPerMm2 = (dpi / 25.4) ** 2;
  const speck = speckMm2 * pxPerMm2;
  const minMark = minMarkMm2 * pxPerMm2;
  let marked = 0;
  for (let r = 0; r < runs.count; r++) {
    if (runs.label[r] === r && area[r]! >= minMark) marked += inner[r]!;
  }
  for (let r = 0; r < runs.count; r++) {
    if (area[runs.label[r]!]! <= speck) data.fill(0, runs.y[r]! * w + runs.start[r]!, runs.y[r]! * w + runs.end[r]!);
  }
  return marked / Math.max(1, (x1 - x0) * (y1 - y0));
}
