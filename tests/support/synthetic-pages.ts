// Synthetic scanned pages as raw scanner output (RawPage), with known truth: blank sheets as a
// real scanner sees them (sensor noise, dust, edge shadow, punch holes), sparse pages (one line,
// a signature only), text pages with a known skew, and pages with a coloured stamp. Deterministic
// from a seed. For the image-pipeline tests and the scan benchmark.
import { createCanvas, GlobalFonts, loadImage, type SKRSContext2D } from '@napi-rs/canvas';
import type { RawPage } from '../../main/scan/pipeline/types.ts';
import { seededRandom } from './synthetic-letters.ts';

GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', 'Page Serif');

export type PageContent = 'blank' | 'text' | 'one-line' | 'one-word' | 'signature' | 'stamped-text';

export interface PageSpec {
  content: PageContent;
  dpi: number;
  seed: number;
  /** Clockwise, as a crooked sheet comes out of the feeder. */
  skewDegrees?: number;
  /** Sensor noise amplitude (± gray levels), dust specks per dm², and a dark band along the edges. */
  noise?: number;
  dust?: number;
  edgeShadow?: boolean;
  punchHoles?: boolean;
  /** A hair on the glass: a thin dark curve about 20 mm long. */
  hair?: boolean;
  /** RGB instead of gray (a stamped page is always RGB). */
  colour?: boolean;
}

const heading = 'PEMERINTAH KOTA DUMAI';
const paragraph = [
  'Dengan hormat, sehubungan dengan pelaksanaan program kerja tahun',
  'anggaran berjalan, bersama ini kami sampaikan bahwa rapat koordinasi',
  'akan dilaksanakan pada hari Senin tanggal 12 Maret 2026 bertempat di',
  'ruang rapat lantai dua kantor kami. Mohon kehadiran Saudara tepat waktu',
  'dengan membawa data pendukung yang diperlukan.',
];

function drawContent(ctx: SKRSContext2D, spec: PageSpec, width: number, mm: (v: number) => number, random: () => number): void {
  const pt = (size: number) => (size * spec.dpi) / 72;
  ctx.fillStyle = '#151515';
  ctx.font = `${pt(12)}px "Page Serif"`;
  const left = mm(25);
  if (spec.content === 'one-line') {
    ctx.fillText('Lampiran: daftar hadir peserta rapat koordinasi', left, mm(120));
    return;
  }
  if (spec.content === 'one-word') {
    // A lone initialled note, as on a routing slip.
    ctx.fillText('Setuju', mm(140), mm(200));
    return;
  }
  if (spec.content === 'signature') {
    // A hand signature: a few looping strokes, about 45 × 18 mm, low on the page.
    ctx.strokeStyle = '#1a1a40';
    ctx.lineWidth = mm(0.5);
    ctx.beginPath();
    let x = mm(120);
    let y = mm(220);
    ctx.moveTo(x, y);
    for (let i = 0; i < 7; i++) {
      const nx = x + mm(6 + random() * 2);
      ctx.bezierCurveTo(x + mm(2), y - mm(14 * random() + 4), nx - mm(1), y + mm(10 * random()), nx, y - mm(2 * random()));
      x = nx;
      y += mm(random() - 0.5);
    }
    ctx.stroke();
    return;
  }
  if (spec.content === 'blank') return;
  let y = mm(30);
  ctx.font = `bold ${pt(14)}px "Page Serif"`;
  ctx.fillText(heading, (width - ctx.measureText(heading).width) / 2, y);
  y += pt(30);
  ctx.font = `${pt(12)}px "Page Serif"`;
  for (const [i, line] of textPageLines().slice(1).entries()) {
    ctx.fillText(line, left, y);
    y += pt(17) + (i % paragraph.length === paragraph.length - 1 ? pt(10) : 0);
  }
  if (spec.content === 'stamped-text') {
    // A round blue office stamp over the signature block.
    ctx.strokeStyle = 'rgb(40, 60, 170)';
    ctx.lineWidth = mm(0.8);
    ctx.beginPath();
    ctx.arc(mm(130), y + mm(25), mm(18), 0, Math.PI * 2);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(mm(130), y + mm(25), mm(12), 0, Math.PI * 2);
    ctx.stroke();
  }
}

/** The lines printed on a 'text' (and 'stamped-text') page, in reading order: the truth for OCR. */
export function textPageLines(): string[] {
  return [heading, ...Array.from({ length: 5 }, () => paragraph).flat()];
}

/** An A4 page as the scanner would deliver it. */
export function syntheticPage(spec: PageSpec): RawPage {
  const random = seededRandom(spec.seed);
  const mm = (v: number) => Math.round((v / 25.4) * spec.dpi);
  const width = mm(210);
  const height = mm(297);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.translate(width / 2, height / 2);
  ctx.rotate(((spec.skewDegrees ?? 0) * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  drawContent(ctx, spec, width, mm, random);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (spec.punchHoles === true) {
    // Two filing holes (6 mm) 12 mm from the left edge: the dark lid shows through.
    ctx.fillStyle = '#303030';
    for (const cy of [mm(148 - 40), mm(148 + 40)]) {
      ctx.beginPath();
      ctx.arc(mm(12), cy, mm(3), 0, Math.PI * 2);
      ctx.fill();
    }
  }
  if (spec.hair === true) {
    ctx.strokeStyle = '#383838';
    ctx.lineWidth = mm(0.12);
    ctx.beginPath();
    ctx.moveTo(mm(90), mm(160));
    ctx.bezierCurveTo(mm(95), mm(150), mm(102), mm(170), mm(108), mm(158));
    ctx.stroke();
  }
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const channels = spec.colour === true || spec.content === 'stamped-text' ? 3 : 1;
  const data = new Uint8Array(width * height * channels);
  const noise = spec.noise ?? 0;
  const shadow = spec.edgeShadow === true ? mm(4) : 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      // Greyish paper, sensor noise, and a soft dark band along the edges when asked.
      const edge = Math.min(x, y, width - 1 - x, height - 1 - y);
      const dim = edge < shadow ? 0.45 + 0.55 * (edge / shadow) : 1;
      const n = (random() - 0.5) * 2 * noise;
      for (let c = 0; c < channels; c++) {
        const v = (rgba[i * 4 + (channels === 3 ? c : 1)]! * 0.94 + 6) * dim + n;
        data[i * channels + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  const specks = Math.round(((spec.dust ?? 0) * 210 * 297) / 10_000);
  for (let s = 0; s < specks; s++) {
    // Dust: dark specks of one to a few pixels.
    const x = Math.floor(random() * (width - 3));
    const y = Math.floor(random() * (height - 3));
    const size = 1 + Math.floor(random() * 3);
    const v = 30 + Math.floor(random() * 80);
    for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) for (let c = 0; c < channels; c++) data[((y + dy) * width + x + dx) * channels + c] = v;
  }
  return { width, height, channels, depth: 8, dpi: spec.dpi, data };
}

/** A scanned JPEG (e.g. a synthetic letter) as the gray page a scanner would have delivered. */
export async function grayPageFromJpeg(jpeg: Uint8Array, dpi: number): Promise<RawPage> {
  const image = await loadImage(Buffer.from(jpeg));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, image.width, image.height).data;
  const data = new Uint8Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 1]!;
  return { width: image.width, height: image.height, channels: 1, depth: 8, dpi, data };
}
