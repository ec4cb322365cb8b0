// Synthetic Indonesian official letters with KNOWN fields, rendered like a desk scanner would
// deliver them (slight skew, grey paper, sensor noise, specks), for OCR pre-fill tests. Several
// layouts of the regulations' letter types; everything is deterministic from a seed.
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { jpegWithDensity } from '../../main/documents/image-density.ts';

const fontDir = '/usr/share/fonts/truetype/dejavu';
GlobalFonts.registerFromPath(`${fontDir}/DejaVuSerif.ttf`, 'Letter Serif');
GlobalFonts.registerFromPath(`${fontDir}/DejaVuSerif-Bold.ttf`, 'Letter Serif');
GlobalFonts.registerFromPath(`${fontDir}/DejaVuSans.ttf`, 'Letter Sans');
GlobalFonts.registerFromPath(`${fontDir}/DejaVuSans-Bold.ttf`, 'Letter Sans');

export type LetterLayout = 'kop-tengah' | 'tanggal-sejajar' | 'nota-dinas';

export interface LetterFields {
  /** The letter's own number, as printed. */
  number: string;
  /** ISO date (yyyy-mm-dd) of the letter. */
  date: string;
  subject: string;
  /** What a clerk would write as sender: the agency with its region, e.g. "Dinas Kesehatan Kota Dumai". */
  sender: string;
}

export interface SyntheticLetter {
  id: string;
  layout: LetterLayout;
  skewDegrees: number;
  fields: LetterFields;
  /** The scanned page as a JPEG at `dpi`, as a desk scanner saves it. */
  jpeg: Buffer;
  dpi: number;
}

export interface LetterSpec {
  layout: LetterLayout;
  government: string;
  /** Agency lines of the letterhead (a long name wraps onto two lines). */
  agency: string[];
  place: string;
  address: string;
  number: string;
  date: { day: number; month: number; year: number };
  subject: string[];
  addressee: string[];
  font: 'Letter Serif' | 'Letter Sans';
}

const monthNames = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;
const lowerWords = new Set(['dan', 'di', 'ke', 'dari', 'serta', 'atau', 'yang', 'untuk']);

function titleCase(upper: string): string {
  return upper.toLowerCase().split(' ').map((w, i) => (i > 0 && lowerWords.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

function expectedSender(spec: LetterSpec): string {
  const region = titleCase(spec.government.replace(/^PEMERINTAH\s+/, ''));
  return `${titleCase(spec.agency.join(' '))} ${region}`;
}

const specs: LetterSpec[] = [
  {
    layout: 'kop-tengah', government: 'PEMERINTAH KOTA DUMAI', agency: ['DINAS KOMUNIKASI DAN INFORMATIKA'], place: 'Dumai',
    address: 'Jalan Sultan Syarif Kasim Nomor 12 Telepon (0765) 31234 Dumai 28812',
    number: '005/123/DISKOMINFO/III/2026', date: { day: 12, month: 3, year: 2026 },
    subject: ['Undangan Rapat Koordinasi Penyusunan', 'Rencana Kerja Tahun 2027'], addressee: ['Kepala Badan Perencanaan', 'Pembangunan Daerah Kota Dumai'], font: 'Letter Serif',
  },
  {
    layout: 'tanggal-sejajar', government: 'PEMERINTAH PROVINSI RIAU', agency: ['BADAN PENDAPATAN DAERAH'], place: 'Pekanbaru',
    address: 'Jalan Jenderal Sudirman Nomor 10 Telepon (0761) 45678 Pekanbaru 28126',
    number: '800/BAPENDA/1234', date: { day: 3, month: 1, year: 2026 },
    subject: ['Permohonan Data Pegawai Negeri Sipil'], addressee: ['Kepala Dinas Komunikasi dan Informatika', 'Kota Dumai'], font: 'Letter Sans',
  },
  {
    layout: 'nota-dinas', government: 'PEMERINTAH KABUPATEN BENGKALIS', agency: ['SEKRETARIAT DAERAH'], place: 'Bengkalis',
    address: 'Jalan Ahmad Yani Nomor 1 Telepon (0766) 21001 Bengkalis 28711',
    number: '090/SETDA/2026/77', date: { day: 21, month: 8, year: 2026 },
    subject: ['Penyampaian Laporan Realisasi Anggaran Triwulan II'], addressee: ['Bupati Bengkalis'], font: 'Letter Serif',
  },
  {
    layout: 'kop-tengah', government: 'PEMERINTAH KABUPATEN SIAK', agency: ['BADAN KEPEGAWAIAN DAN PENGEMBANGAN', 'SUMBER DAYA MANUSIA'], place: 'Siak Sri Indrapura',
    address: 'Jalan Raja Kecik Nomor 5 Telepon (0764) 20123 Siak Sri Indrapura 28773',
    number: '893.3/BKPSDM/X/2026/0012', date: { day: 7, month: 10, year: 2026 },
    subject: ['Usulan Kenaikan Pangkat Periode Oktober 2026'], addressee: ['Kepala Perangkat Daerah', 'di Lingkungan Pemerintah Kabupaten Siak'], font: 'Letter Sans',
  },
  {
    layout: 'tanggal-sejajar', government: 'PEMERINTAH KOTA PEKANBARU', agency: ['DINAS KESEHATAN'], place: 'Pekanbaru',
    address: 'Jalan Melur Nomor 103 Telepon (0761) 23456 Pekanbaru 28122',
    number: '440/DINKES-SDK/VI/2026/88', date: { day: 15, month: 6, year: 2026 },
    subject: ['Pemberitahuan Jadwal Vaksinasi Pegawai', 'Pemerintah Kota Pekanbaru'], addressee: ['Kepala Dinas Pendidikan', 'Kota Pekanbaru'], font: 'Letter Serif',
  },
  {
    layout: 'nota-dinas', government: 'PEMERINTAH KABUPATEN KAMPAR', agency: ['INSPEKTORAT DAERAH'], place: 'Bangkinang',
    address: 'Jalan Prof. M. Yamin Nomor 9 Telepon (0762) 20099 Bangkinang 28412',
    number: '700/INSP/2026/015', date: { day: 28, month: 2, year: 2026 },
    subject: ['Penyampaian Hasil Evaluasi Sistem Akuntabilitas', 'Kinerja Instansi Pemerintah'], addressee: ['Sekretaris Daerah Kabupaten Kampar'], font: 'Letter Sans',
  },
  {
    layout: 'kop-tengah', government: 'PEMERINTAH KOTA DUMAI', agency: ['DINAS PEKERJAAN UMUM DAN PENATAAN RUANG'], place: 'Dumai',
    address: 'Jalan Tuanku Tambusai Nomor 21 Telepon (0765) 38100 Dumai 28826',
    number: '620/PUPR-BM/2026/403', date: { day: 30, month: 11, year: 2026 },
    subject: ['Permohonan Izin Penggunaan Bahu Jalan'], addressee: ['Kepala Satuan Polisi Pamong Praja', 'Kota Dumai'], font: 'Letter Serif',
  },
  {
    layout: 'tanggal-sejajar', government: 'PEMERINTAH KABUPATEN ROKAN HILIR', agency: ['DINAS PENDIDIKAN DAN KEBUDAYAAN'], place: 'Bagansiapiapi',
    address: 'Jalan Perwira Nomor 4 Telepon (0767) 24011 Bagansiapiapi 28912',
    number: '421.2/DISDIKBUD/IV/2026/315', date: { day: 9, month: 4, year: 2026 },
    subject: ['Undangan Pelatihan Tata Naskah Dinas Elektronik'], addressee: ['Kepala Sekolah Menengah Pertama', 'se-Kabupaten Rokan Hilir'], font: 'Letter Sans',
  },
];

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const body = [
  'Dengan hormat, sehubungan dengan pelaksanaan program kerja',
  'tahun anggaran berjalan, bersama ini kami sampaikan hal',
  'tersebut di atas untuk menjadi perhatian Saudara.',
  'Demikian disampaikan, atas perhatian dan kerja samanya',
  'diucapkan terima kasih.',
];

function draw(ctx: SKRSContext2D, spec: LetterSpec, px: (mm: number) => number, pt: (size: number) => number, width: number): void {
  const left = px(25);
  const right = width - px(20);
  const font = (size: number, bold = false) => `${bold ? 'bold ' : ''}${pt(size)}px "${spec.font}"`;
  const centre = (text: string, y: number, size: number, bold: boolean) => {
    ctx.font = font(size, bold);
    ctx.fillText(text, (width - ctx.measureText(text).width) / 2, y);
  };
  let y = px(22);
  centre(spec.government, y, 14, true); y += pt(19);
  for (const line of spec.agency) { centre(line, y, 16, true); y += pt(20); }
  centre(spec.address, y, 9, false); y += pt(8);
  ctx.fillRect(left, y, right - left, pt(2)); ctx.fillRect(left, y + pt(3.5), right - left, pt(0.7));
  y += pt(28);

  const dateText = `${spec.place}, ${spec.date.day} ${monthNames[spec.date.month - 1]} ${spec.date.year}`;
  const line = pt(17);
  ctx.font = font(12);
  const labelled = (rows: Array<[string, string | string[]]>, labelWidth: number) => {
    for (const [label, value] of rows) {
      ctx.fillText(label, left, y);
      ctx.fillText(':', left + labelWidth, y);
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) { ctx.fillText(v, left + labelWidth + pt(10), y); y += line; }
    }
  };

  if (spec.layout === 'kop-tengah') {
    ctx.fillText(dateText, right - ctx.measureText(dateText).width, y); y += line * 1.5;
    labelled([['Nomor', spec.number], ['Sifat', 'Biasa'], ['Lampiran', '1 (satu) berkas'], ['Perihal', spec.subject]], pt(62));
    y += line;
    ctx.fillText('Kepada', left + pt(300), y); y += line;
    ctx.fillText('Yth.', left + pt(300), y);
    for (const a of spec.addressee) { ctx.fillText(a, left + pt(325), y); y += line; }
    ctx.fillText('di -', left + pt(300), y); y += line;
    ctx.fillText(spec.place, left + pt(325), y); y += line * 2;
  } else if (spec.layout === 'tanggal-sejajar') {
    ctx.fillText(dateText, right - ctx.measureText(dateText).width, y);
    labelled([['Nomor', spec.number], ['Lampiran', '-'], ['Hal', spec.subject]], pt(62));
    y += line;
    ctx.fillText('Yth.', left, y); y += line;
    for (const a of spec.addressee) { ctx.fillText(a, left, y); y += line; }
    ctx.fillText(`di ${spec.place}`, left, y); y += line * 2;
  } else {
    centre('NOTA DINAS', y, 13, true); y += line * 1.8;
    ctx.font = font(12);
    labelled([
      ['Kepada', `Yth. ${spec.addressee.join(' ')}`],
      ['Dari', `Kepala ${titleCase(spec.agency.join(' '))}`],
      ['Tanggal', `${spec.date.day} ${monthNames[spec.date.month - 1]} ${spec.date.year}`],
      ['Nomor', spec.number],
      ['Sifat', 'Segera'],
      ['Hal', spec.subject],
    ], pt(62));
    ctx.fillRect(left, y - line / 2, right - left, pt(0.8));
    y += line;
  }
  for (const b of body) { ctx.fillText(b, left, y); y += line; }
}

/** Renders one letter; `seed` decides skew (0.5–2°, either way) and the noise pattern. */
export function renderLetter(spec: LetterSpec, seed: number, dpi = 200): SyntheticLetter {
  const random = seededRandom(seed);
  const width = Math.round((210 / 25.4) * dpi);
  const height = Math.round((297 / 25.4) * dpi);
  const px = (mm: number) => Math.round((mm / 25.4) * dpi);
  const pt = (size: number) => (size * dpi) / 72;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const skewDegrees = (0.5 + random() * 1.5) * (random() < 0.5 ? -1 : 1);
  ctx.translate(width / 2, height / 2);
  ctx.rotate((skewDegrees * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  ctx.fillStyle = '#161616';
  draw(ctx, spec, px, pt, width);
  ctx.setTransform(1, 0, 0, 1, 0, 0);

  // Scanner look: greyish paper, sensor noise, dust specks; saved as a grey JPEG like a desk scanner.
  const image = ctx.getImageData(0, 0, width, height);
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    const v = (0.3 * d[i]! + 0.59 * d[i + 1]! + 0.11 * d[i + 2]!) * 0.93 + 8 + (random() - 0.5) * 40;
    const g = v < 0 ? 0 : v > 255 ? 255 : v | 0;
    d[i] = g; d[i + 1] = g; d[i + 2] = g;
  }
  for (let n = Math.round(width * height * 0.0003); n > 0; n--) {
    const at = 4 * (Math.floor(random() * height) * width + Math.floor(random() * width));
    const g = 40 + Math.floor(random() * 60);
    d[at] = g; d[at + 1] = g; d[at + 2] = g;
  }
  ctx.putImageData(image, 0, 0);
  const jpeg = jpegWithDensity(canvas.encodeSync('jpeg', 85), dpi);
  const { year, month, day } = spec.date;
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    id: `${spec.layout}:${spec.number}`,
    layout: spec.layout,
    skewDegrees,
    fields: { number: spec.number, date, subject: spec.subject.join(' '), sender: expectedSender(spec) },
    jpeg,
    dpi,
  };
}

/** The whole set: every layout, several agencies, each with its own skew and noise. */
export function syntheticLetters(dpi = 200): SyntheticLetter[] {
  return specs.map((spec, i) => renderLetter(spec, 1000 + i * 7919, dpi));
}

/** A scanned letter as a scanner's "save as PDF" produces it: the page image in a one-page PDF. */
export async function scannedPdf(letter: SyntheticLetter): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedJpg(letter.jpeg);
  const width = (image.width * 72) / letter.dpi;
  const height = (image.height * 72) / letter.dpi;
  pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
  return pdf.save();
}
