// How a typeset letter reaches a front office: poppler rasterises its PDF at a scanner's
// resolution, then one fault of the real world is applied — sensor noise, blur, a crooked sheet,
// a faded print, a receipt stamp and signature over the text, a 1-bit fax, or a phone photo of the
// page (perspective, uneven light, the desk around it). The result is what the desk gets: page
// images (JPEG, or PNG for a fax) in a "scanned" PDF. Deterministic from a seed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { jpegWithDensity, pngWithDensity } from '../../main/documents/image-density.ts';
import { seededRandom } from './synthetic-letters.ts';

export const scanEffects = ['bersih', 'derau', 'buram', 'miring', 'pudar', 'stempel', 'faks', 'foto-ponsel'] as const;
export type ScanEffect = (typeof scanEffects)[number];

interface Gray { width: number; height: number; data: Uint8ClampedArray }

export interface ScannedPage { image: Buffer; kind: 'jpeg' | 'png'; dpi: number }

function rasterise(pdf: Uint8Array, dpi: number): Gray[] {
  const dir = mkdtempSync(join(tmpdir(), 'loket-corpus-'));
  try {
    writeFileSync(join(dir, 'letter.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', join(dir, 'letter.pdf'), join(dir, 'page')]);
    return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => parsePgm(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parsePgm(bytes: Buffer): Gray {
  // "P5\n<w> <h>\n255\n" then one byte a pixel.
  const header = bytes.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (m === null) throw new Error('pdftoppm gave no PGM');
  const width = Number(m[1]);
  const height = Number(m[2]);
  return { width, height, data: new Uint8ClampedArray(bytes.subarray(m[0].length, m[0].length + width * height)) };
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function paperAndNoise(g: Gray, random: () => number, sigma: number, paper = 0.92, offset = 14): void {
  for (let i = 0; i < g.data.length; i++) g.data[i] = clamp(g.data[i]! * paper + offset + gaussian(random) * sigma);
}

function boxBlur(g: Gray, radius: number): void {
  const { width, height } = g;
  const tmp = new Float32Array(width * height);
  const n = 2 * radius + 1;
  for (let y = 0; y < height; y++) {
    let sum = 0;
    const row = y * width;
    for (let x = -radius; x <= radius; x++) sum += g.data[row + Math.min(width - 1, Math.max(0, x))]!;
    for (let x = 0; x < width; x++) {
      tmp[row + x] = sum / n;
      sum += g.data[row + Math.min(width - 1, x + radius + 1)]! - g.data[row + Math.max(0, x - radius)]!;
    }
  }
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = -radius; y <= radius; y++) sum += tmp[Math.min(height - 1, Math.max(0, y)) * width + x]!;
    for (let y = 0; y < height; y++) {
      g.data[y * width + x] = sum / n;
      sum += tmp[Math.min(height - 1, y + radius + 1) * width + x]! - tmp[Math.max(0, y - radius) * width + x]!;
    }
  }
}

/** Resamples through `map` (output pixel → source position), bilinear; outside the source is `fill`. */
function warp(g: Gray, out: { width: number; height: number }, map: (x: number, y: number) => [number, number], fill: (x: number, y: number) => number): Gray {
  const data = new Uint8ClampedArray(out.width * out.height);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const [sx, sy] = map(x, y);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= g.width - 1 || y0 >= g.height - 1) { data[y * out.width + x] = fill(x, y); continue; }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * g.width + x0;
      const top = g.data[i]! * (1 - fx) + g.data[i + 1]! * fx;
      const bottom = g.data[i + g.width]! * (1 - fx) + g.data[i + g.width + 1]! * fx;
      data[y * out.width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width: out.width, height: out.height, data };
}

function rotate(g: Gray, degrees: number): Gray {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = g.width / 2;
  const cy = g.height / 2;
  return warp(g, g, (x, y) => [cos * (x - cx) + sin * (y - cy) + cx, -sin * (x - cx) + cos * (y - cy) + cy], () => 245);
}

/** Solves the 8 parameters of the projective map taking the 4 `from` points to the 4 `to` points. */
function homography(from: Array<[number, number]>, to: Array<[number, number]>): (x: number, y: number) => [number, number] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]); b.push(v);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < 8; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 8; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const h = new Array<number>(8).fill(0);
  for (let r = 7; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < 8; k++) s -= a[r]![k]! * h[k]!;
    h[r] = s / a[r]![r]!;
  }
  return (x, y) => {
    const w = h[6]! * x + h[7]! * y + 1;
    return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
  };
}

/** A phone held over the desk: the page a trapezoid on a darker desk, light falling off to one side. */
function phonePhoto(g: Gray, random: () => number): Gray {
  const out = { width: Math.round(g.width * 1.08), height: Math.round(g.height * 1.06) };
  const jitter = () => (random() - 0.5) * 0.06 * g.width;
  const mx = (out.width - g.width) / 2;
  const my = (out.height - g.height) / 2;
  const corners: Array<[number, number]> = [
    [mx + jitter(), my + jitter()], [out.width - mx + jitter(), my + jitter()],
    [out.width - mx + jitter(), out.height - my + jitter()], [mx + jitter(), out.height - my + jitter()],
  ];
  const toSource = homography(corners, [[0, 0], [g.width, 0], [g.width, g.height], [0, g.height]]);
  const warped = warp(g, out, toSource, (x, y) => 70 + ((x + y) % 7) * 3);
  const lx = random() < 0.5 ? 0 : out.width;
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const light = 0.62 + 0.38 * (1 - Math.abs(x - lx) / out.width) - 0.1 * (y / out.height);
      const i = y * out.width + x;
      warped.data[i] = clamp(warped.data[i]! * light + gaussian(random) * 5);
    }
  }
  boxBlur(warped, 1);
  return warped;
}

/** The clerk's receipt stamp ("DITERIMA") landing on the head of the letter, in purple ink. */
function receiptStamp(g: Gray, dpi: number, random: () => number): Gray {
  const canvas = createCanvas(g.width, g.height);
  const ctx = canvas.getContext('2d');
  const rgba = ctx.createImageData(g.width, g.height);
  for (let i = 0; i < g.data.length; i++) { rgba.data[i * 4] = g.data[i]!; rgba.data[i * 4 + 1] = g.data[i]!; rgba.data[i * 4 + 2] = g.data[i]!; rgba.data[i * 4 + 3] = 255; }
  ctx.putImageData(rgba, 0, 0);
  const px = (mmv: number) => (mmv / 25.4) * dpi;
  ctx.save();
  ctx.translate(px(120 + random() * 40), px(60 + random() * 35));
  ctx.rotate((random() - 0.5) * 0.3);
  ctx.globalAlpha = 0.55;
  ctx.strokeStyle = 'rgb(110, 40, 150)';
  ctx.fillStyle = 'rgb(110, 40, 150)';
  ctx.lineWidth = px(0.7);
  ctx.strokeRect(0, 0, px(55), px(24));
  ctx.font = `bold ${px(4.5)}px sans-serif`;
  ctx.fillText('DITERIMA', px(15), px(7));
  ctx.font = `${px(3.4)}px sans-serif`;
  ctx.fillText('Tgl : 23-11-2026', px(3), px(14));
  ctx.fillText('No. Agenda : ........', px(3), px(20));
  ctx.restore();
  const back = ctx.getImageData(0, 0, g.width, g.height).data;
  // A gray scan of purple ink: the green channel, as a scanner's gray mode weighs it most.
  for (let i = 0; i < g.data.length; i++) g.data[i] = 0.3 * back[i * 4]! + 0.59 * back[i * 4 + 1]! + 0.11 * back[i * 4 + 2]!;
  return g;
}

function faxed(g: Gray, random: () => number): Gray {
  // Fax "standard" resolution halves the rows; the machine prints them doubled, in black and white.
  for (let y = 0; y + 1 < g.height; y += 2) {
    for (let x = 0; x < g.width; x++) {
      const v = (g.data[y * g.width + x]! + g.data[(y + 1) * g.width + x]!) / 2;
      const bit = v + (random() - 0.5) * 70 < 150 ? 0 : 255;
      g.data[y * g.width + x] = bit;
      g.data[(y + 1) * g.width + x] = bit;
    }
  }
  for (let n = Math.round(g.width * g.height * 0.0004); n > 0; n--) g.data[Math.floor(random() * g.data.length)] = 0;
  return g;
}

function encode(g: Gray, kind: 'jpeg' | 'png', dpi: number, quality = 85): Buffer {
  const canvas = createCanvas(g.width, g.height);
  const ctx = canvas.getContext('2d');
  const rgba = ctx.createImageData(g.width, g.height);
  for (let i = 0; i < g.data.length; i++) { rgba.data[i * 4] = g.data[i]!; rgba.data[i * 4 + 1] = g.data[i]!; rgba.data[i * 4 + 2] = g.data[i]!; rgba.data[i * 4 + 3] = 255; }
  ctx.putImageData(rgba, 0, 0);
  return kind === 'png' ? pngWithDensity(canvas.encodeSync('png'), dpi) : jpegWithDensity(canvas.encodeSync('jpeg', quality), dpi);
}

/** The letter as the desk receives it, page by page. */
export function scanLetter(pdf: Uint8Array, effect: ScanEffect, seed: number): ScannedPage[] {
  const random = seededRandom(seed);
  const dpi = effect === 'faks' ? 200 : effect === 'foto-ponsel' ? 240 : seed % 2 === 0 ? 300 : 200;
  return rasterise(pdf, dpi).map((page, pageIndex) => {
    let g = page;
    const skew = (random() - 0.5) * 1.2;
    switch (effect) {
      case 'bersih': paperAndNoise(g, random, 3, 0.96, 8); g = rotate(g, skew * 0.4); break;
      case 'derau': paperAndNoise(g, random, 28); for (let n = Math.round(g.data.length * 0.0015); n > 0; n--) g.data[Math.floor(random() * g.data.length)] = 40; break;
      case 'buram': boxBlur(g, dpi >= 300 ? 2 : 1); boxBlur(g, 1); paperAndNoise(g, random, 6); break;
      case 'miring': g = rotate(g, (2 + random() * 2) * (random() < 0.5 ? -1 : 1)); paperAndNoise(g, random, 8); break;
      case 'pudar': for (let i = 0; i < g.data.length; i++) g.data[i] = 120 + g.data[i]! * 0.42; paperAndNoise(g, random, 7, 1, 0); break;
      case 'stempel': if (pageIndex === 0) g = receiptStamp(g, dpi, random); paperAndNoise(g, random, 6); g = rotate(g, skew); break;
      case 'faks': g = rotate(g, skew); g = faxed(g, random); break;
      case 'foto-ponsel': g = phonePhoto(g, random); break;
    }
    // A phone saves its photo at 72 dpi whatever the page; the desk must not believe it.
    const kind = effect === 'faks' ? 'png' : 'jpeg';
    const savedDpi = effect === 'foto-ponsel' ? 72 : dpi;
    return { image: encode(g, kind, savedDpi, effect === 'foto-ponsel' ? 80 : 85), kind, dpi: savedDpi };
  });
}

/** The pages in one PDF, each page the size its resolution says, as a scanner's "save as PDF" makes it. */
export async function scannedLetterPdf(pages: ScannedPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of pages) {
    const image = page.kind === 'png' ? await pdf.embedPng(page.image) : await pdf.embedJpg(page.image);
    // A photo's nominal 72 dpi would make a metre-wide page: its PDF page is A4 wide instead.
    const scale = page.dpi < 100 ? 595.28 / image.width : 72 / page.dpi;
    const size: [number, number] = [image.width * scale, image.height * scale];
    pdf.addPage(size).drawImage(image, { x: 0, y: 0, width: size[0], height: size[1] });
  }
  return pdf.save();
}
