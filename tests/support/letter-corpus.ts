// An evaluation set for the OCR pre-fill, written from how Indonesian offices lay out their letters
// (Permendagri 1/2023 tata naskah dinas and the letters agencies really send), not from the
// extractor's rules: nine layouts, five typefaces, each letter typeset as a real PDF with pdf-lib,
// rasterised by poppler at a scanner's resolution and then given one of the faults a front office
// meets (see scan-effects.ts). Every letter carries the agenda fields a clerk would write from it —
// and "nothing" for a field the letter does not print. Deterministic from the letter's index; the
// set is two blocks of 72 letters, each split by a fixed seed into a tuning half and a held-out half,
// stratified by layout.
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { seededRandom } from './synthetic-letters.ts';

export const corpusLayouts = [
  'kop-tengah',          // centred letterhead, no logo; place and date top right; addressee below the number block
  'logo-kiri',           // logo left of the letterhead; date on the number's row, at the right
  'tujuan-samping',      // logo left; "Kepada Yth." block beside the number block, date above it
  'logo-kanan',          // logo right; "Place, date" below the number block, at the right
  'nota-dinas',          // NOTA DINAS with Kepada/Dari/Tanggal/Nomor/Sifat/Lampiran/Hal rows
  'undangan',            // surat undangan: schedule table in the body (hari/tanggal, pukul, tempat, acara)
  'dua-halaman',         // a two-page letter (page 1 carries the head)
  'kepala-daerah',       // a regent's / mayor's letter: emblem above "BUPATI X", addressee beside
  'label-kapital',       // labels in capitals with their values tabbed far right ("NOMOR", "PERIHAL"), no Sifat
] as const;
export type CorpusLayout = (typeof corpusLayouts)[number];

export const corpusFonts = ['DejaVu Serif', 'DejaVu Sans', 'Liberation Sans', 'Liberation Serif', 'URW Bookman'] as const;
export type CorpusFont = (typeof corpusFonts)[number];

const fontFiles: Record<CorpusFont, [string, string]> = {
  'DejaVu Serif': ['/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf'],
  'DejaVu Sans': ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  'Liberation Sans': ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  'Liberation Serif': ['/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf'],
  'URW Bookman': ['/usr/share/fonts/opentype/urw-base35/URWBookman-Light.otf', '/usr/share/fonts/opentype/urw-base35/URWBookman-Demi.otf'],
};
export const corpusFontFiles = Object.values(fontFiles).flat();

/** What a clerk writes in the agenda from the letter; undefined where the letter prints nothing. */
export interface CorpusTruth {
  number: string;
  /** yyyy-mm-dd */
  date: string;
  subject: string;
  sender: string;
  addressee?: string;
  urgency?: 'biasa' | 'segera' | 'sangat_segera';
  security?: 'biasa' | 'terbatas' | 'rahasia';
  attachmentCount?: number;
  /** The archive code the number starts with, when it starts with one (whether the office lists it or not). */
  numberCode?: string;
}

export interface CorpusLetter {
  index: number;
  id: string;
  layout: CorpusLayout;
  font: CorpusFont;
  truth: CorpusTruth;
  pdf: Uint8Array;
  pageCount: number;
}

// ---- what letters say ------------------------------------------------------------------------

interface Region { kind: 'KOTA' | 'KABUPATEN' | 'PROVINSI'; name: string; capital: string; head: string }
const regions: Region[] = [
  { kind: 'KOTA', name: 'DUMAI', capital: 'Dumai', head: 'WALI KOTA' },
  { kind: 'KOTA', name: 'PEKANBARU', capital: 'Pekanbaru', head: 'WALI KOTA' },
  { kind: 'KABUPATEN', name: 'SIAK', capital: 'Siak Sri Indrapura', head: 'BUPATI' },
  { kind: 'KABUPATEN', name: 'BENGKALIS', capital: 'Bengkalis', head: 'BUPATI' },
  { kind: 'KABUPATEN', name: 'KUANTAN SINGINGI', capital: 'Teluk Kuantan', head: 'BUPATI' },
  { kind: 'KOTA', name: 'BEKASI', capital: 'Bekasi', head: 'WALI KOTA' },
  { kind: 'KABUPATEN', name: 'PROBOLINGGO', capital: 'Kraksaan', head: 'BUPATI' },
  { kind: 'PROVINSI', name: 'RIAU', capital: 'Pekanbaru', head: 'GUBERNUR' },
  { kind: 'KABUPATEN', name: 'INDRAGIRI HILIR', capital: 'Tembilahan', head: 'BUPATI' },
  { kind: 'KABUPATEN', name: 'ROKAN HULU', capital: 'Pasir Pengaraian', head: 'BUPATI' },
];

/** Agencies as their letterheads print them (long names over two lines), with the unit code of their numbers. */
const agencies: Array<{ lines: string[]; unit: string; head: string }> = [
  { lines: ['DINAS PENDIDIKAN'], unit: 'DISDIK', head: 'Kepala Dinas Pendidikan' },
  { lines: ['DINAS KESEHATAN'], unit: 'DINKES', head: 'Kepala Dinas Kesehatan' },
  { lines: ['BADAN PERENCANAAN PEMBANGUNAN DAERAH'], unit: 'BAPPEDA', head: 'Kepala Badan Perencanaan Pembangunan Daerah' },
  { lines: ['DINAS PEKERJAAN UMUM DAN PENATAAN RUANG'], unit: 'PUPR', head: 'Kepala Dinas Pekerjaan Umum dan Penataan Ruang' },
  { lines: ['BADAN KEPEGAWAIAN DAN PENGEMBANGAN', 'SUMBER DAYA MANUSIA'], unit: 'BKPSDM', head: 'Kepala BKPSDM' },
  { lines: ['DINAS LINGKUNGAN HIDUP'], unit: 'DLH', head: 'Kepala Dinas Lingkungan Hidup' },
  { lines: ['DINAS SOSIAL'], unit: 'DINSOS', head: 'Kepala Dinas Sosial' },
  { lines: ['BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH'], unit: 'BPKAD', head: 'Kepala BPKAD' },
  { lines: ['INSPEKTORAT DAERAH'], unit: 'INSP', head: 'Inspektur Daerah' },
  { lines: ['SATUAN POLISI PAMONG PRAJA'], unit: 'SATPOLPP', head: 'Kepala Satuan Polisi Pamong Praja' },
  { lines: ['DINAS KEPENDUDUKAN DAN', 'PENCATATAN SIPIL'], unit: 'DISDUKCAPIL', head: 'Kepala Dinas Kependudukan dan Pencatatan Sipil' },
  { lines: ['DINAS PERHUBUNGAN'], unit: 'DISHUB', head: 'Kepala Dinas Perhubungan' },
  { lines: ['SEKRETARIAT DAERAH'], unit: 'SETDA', head: 'Sekretaris Daerah' },
  { lines: ['DINAS KOMUNIKASI, INFORMATIKA', 'DAN STATISTIK'], unit: 'DISKOMINFOTIK', head: 'Kepala Dinas Komunikasi, Informatika dan Statistik' },
  { lines: ['BADAN PENANGGULANGAN BENCANA DAERAH'], unit: 'BPBD', head: 'Kepala Pelaksana BPBD' },
  { lines: ['DINAS PERTANIAN DAN KETAHANAN PANGAN'], unit: 'DISTANKP', head: 'Kepala Dinas Pertanian dan Ketahanan Pangan' },
];

const streets = ['Jalan Jenderal Sudirman', 'Jalan Diponegoro', 'Jalan Pattimura', 'Jalan Ahmad Yani', 'Jalan Gatot Subroto', 'Jalan Pahlawan', 'Jalan Merdeka', 'Jalan Hang Tuah', 'Jalan Cut Nyak Dien'];

/** Codes of the archive classification (Permendagri 83/2022 style and the older 3-digit heads). */
const codes = ['000.1.2', '005', '400.3.1', '800.1.2.3', '900.1.1', '440', '100.3.3', '500.11.1', '893.3', '045.2', '027', '100', '421.2', '700.1.2', '800', '090', '600.1.1', '050'];

const subjects = [
  'Undangan Rapat Koordinasi Penyusunan Rencana Kerja Tahun 2027',
  'Permohonan Data Pegawai Negeri Sipil',
  'Penyampaian Laporan Realisasi Anggaran Triwulan II',
  'Usulan Kenaikan Pangkat Periode Oktober 2026',
  'Pemberitahuan Jadwal Vaksinasi Pegawai',
  'Permohonan Izin Penggunaan Bahu Jalan untuk Kegiatan Pasar Murah',
  'Undangan Sosialisasi Tata Naskah Dinas Elektronik',
  'Penyampaian Hasil Evaluasi Sistem Akuntabilitas Kinerja Instansi Pemerintah',
  'Permohonan Narasumber Bimbingan Teknis Pengelolaan Arsip',
  'Laporan Kesiapsiagaan Menghadapi Musim Hujan',
  'Pengiriman Peserta Pelatihan Kepemimpinan Pengawas',
  'Permintaan Data Penerima Bantuan Sosial Tahun 2026',
  'Pemberitahuan Pemeliharaan Jaringan Internet Kantor',
  'Penyampaian Rekapitulasi Kehadiran Aparatur Sipil Negara',
  'Undangan Musyawarah Perencanaan Pembangunan Kecamatan',
  'Permohonan Rekomendasi Teknis Pembangunan Jembatan',
  'Penyampaian Dokumen Pelaksanaan Anggaran Perubahan',
  'Pemanggilan Peserta Seleksi Jabatan Pimpinan Tinggi Pratama',
  'Edaran Penggunaan Pakaian Dinas Harian',
  'Permohonan Pembayaran Tunjangan Hari Raya',
  'Konfirmasi Kehadiran pada Upacara Hari Kesadaran Nasional',
  'Penyampaian Kalender Kegiatan Semester Kedua',
  'Permohonan Fasilitasi Ruang Rapat',
  'Tindak Lanjut Hasil Pemeriksaan Badan Pemeriksa Keuangan',
];

/** Whom a letter is addressed to, as printed over one or two lines. */
function addresseeLines(region: Region, random: () => number): string[] {
  const r = regionTitle(region);
  const options: string[][] = [
    [`Kepala Dinas Komunikasi dan Informatika`, r],
    [`Sekretaris Daerah ${r}`],
    [`Kepala Badan Kepegawaian Daerah`, r],
    [`Inspektur ${r}`],
    [`Kepala Bagian Umum Sekretariat Daerah`, r],
    [`Direktur Rumah Sakit Umum Daerah`, r],
    [`Para Kepala Perangkat Daerah`],
    [`Camat Dumai Barat`],
    [`Kepala Dinas Pendidikan ${r}`],
    [`Ketua Dewan Perwakilan Rakyat Daerah`, r],
  ];
  return pick(options, random);
}

const monthNames = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const romans = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
const units = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'];
/** A count as Indonesian spells it (1–99): "satu", "sebelas", "tujuh belas", "dua puluh lima". */
function numberWord(n: number): string {
  if (n < 10) return units[n]!;
  if (n === 10) return 'sepuluh';
  if (n === 11) return 'sebelas';
  if (n < 20) return `${units[n - 10]} belas`;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? 'se' : `${units[tens]} `}puluh${n % 10 === 0 ? '' : ` ${units[n % 10]}`}`;
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

const smallWords = new Set(['dan', 'di', 'ke', 'dari', 'serta', 'atau', 'yang', 'untuk', 'pada']);
function titleCase(upper: string): string {
  return upper.toLowerCase().split(' ').map((w, i) => (i > 0 && smallWords.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}
const regionTitle = (r: Region) => `${titleCase(r.kind)} ${titleCase(r.name)}`;

// ---- one letter's content ----------------------------------------------------------------------

interface Content {
  layout: CorpusLayout;
  region: Region;
  agency: (typeof agencies)[number] | null;
  letterheadLines: string[];
  address: string;
  place: string;
  dateText: string;
  number: string;
  sifat?: string;
  lampiran?: string;
  subject: string;
  addressee: string[];
  addresseePlace: string;
  signer: { title: string; name: string; nip: string };
  truth: CorpusTruth;
}

const names = ['Drs. H. Ahmad Fauzi, M.Si.', 'Ir. Sri Wahyuni, M.T.', 'dr. Budi Santoso, M.Kes.', 'Hj. Rahmawati, S.E., M.M.', 'Muhammad Yusuf, S.H., M.H.', 'Dra. Nurhayati Lubis'];

const sifatTruth: Record<string, Pick<CorpusTruth, 'urgency' | 'security'>> = {
  'Biasa': { urgency: 'biasa', security: 'biasa' },
  'Segera': { urgency: 'segera' },
  'Sangat Segera': { urgency: 'sangat_segera' },
  'Rahasia': { security: 'rahasia' },
  'Terbatas': { security: 'terbatas' },
};

const capitalised = (s: string) => s.split(' ').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

/**
 * How a letter prints its attachments, in the forms offices use: "1 (satu) berkas" (Permendagri
 * 1/2023's own), capitalised "2 (Dua) Lembar", in capitals "3 (TIGA) EKSEMPLAR", the word alone
 * "Satu berkas", the digits alone "3 eksemplar", the count without a unit "2 (dua)", or what the
 * attachment is after the count (a long value that wraps); nothing attached is "-", a dash, or a
 * typed "--". Drawn from a stream of its own, so the letter's other fields stay as they were.
 */
function attachmentText(n: number, unit: string, index: number): string {
  const random = seededRandom(0x1a3b + index * 7727);
  if (n === 0) {
    const none = random();
    return none < 0.55 ? '-' : none < 0.8 ? '\u2014' : none < 0.9 ? '\u2013' : '--';
  }
  const roll = random();
  const word = numberWord(n);
  if (roll < 0.33) return `${n} (${word}) ${unit}`;
  if (roll < 0.45) return `${n} (${capitalised(word)}) ${capitalised(unit)}`;
  if (roll < 0.52) return `${n} (${word.toUpperCase()}) ${unit.toUpperCase()}`;
  if (roll < 0.64) return `${capitalised(word.split(' ')[0]!)}${word.includes(' ') ? ` ${word.split(' ').slice(1).join(' ')}` : ''} ${unit}`;
  if (roll < 0.76) return `${n} ${unit}`;
  if (roll < 0.81) return `${n} (${word})`;
  return `${n} (${word}) ${unit} ${pick(['daftar nama peserta kegiatan', 'rekapitulasi data pegawai', 'jadwal dan susunan acara', 'formulir isian dan petunjuk teknis'], random)}`;
}

function letterContent(index: number, layout: CorpusLayout): Content {
  const random = seededRandom(0x5eed + index * 104729);
  const region = pick(regions, random);
  const headLetter = layout === 'kepala-daerah';
  const agency = headLetter ? null : pick(agencies, random);
  const government = `PEMERINTAH ${region.kind} ${region.name}`;
  const letterheadLines = headLetter ? [`${region.head} ${region.name}`] : [government, ...agency!.lines];
  const sender = headLetter ? `${titleCase(region.head)} ${titleCase(region.name)}` : `${titleCase(agency!.lines.join(' '))} ${regionTitle(region)}`;

  const day = 1 + Math.floor(random() * 28);
  const month = 1 + Math.floor(random() * 12);
  const year = random() < 0.8 ? 2026 : 2025;
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const monthText = random() < 0.85 ? monthNames[month - 1]! : monthNames[month - 1]!.slice(0, 3) + (month === 5 ? '' : '.');
  const dateText = `${day} ${monthText === 'Mei.' ? 'Mei' : monthText} ${year}`;

  const unit = agency?.unit ?? (region.head === 'BUPATI' ? 'SETDA' : 'SETDAKO');
  const code = pick(codes, random);
  const seq = String(1 + Math.floor(random() * 1999));
  const style = Math.floor(random() * 5);
  const number = style === 0 ? `${code}/${seq}/${unit}/${year}`
    : style === 1 ? `${code}/${seq}/${unit}/${romans[month - 1]}/${year}`
      : style === 2 ? `${code}/${unit}/${year}/${seq.padStart(3, '0')}`
        : style === 3 ? `B-${seq}/${unit}/${code}/${year}`
          : `${code}/${seq}/${unit}-${1 + Math.floor(random() * 4)}/${romans[month - 1]}/${year}`;
  const numberCode = style === 3 ? undefined : code;

  // Most letters print Sifat and Lampiran; some leave them out, and "label-kapital" letters never print Sifat.
  const sifatWord = layout === 'label-kapital' || random() < 0.2 ? undefined : pick(['Biasa', 'Biasa', 'Segera', 'Sangat Segera', 'Rahasia', 'Terbatas'], random);
  const lampiranRoll = random();
  let lampiran: string | undefined;
  let attachmentCount: number | undefined;
  if (lampiranRoll < 0.2) lampiran = undefined;
  else if (lampiranRoll < 0.45) { lampiran = attachmentText(0, '', index); attachmentCount = 0; }
  else {
    const n = 1 + Math.floor(random() * (random() < 0.8 ? 3 : 25));
    lampiran = attachmentText(n, pick(['berkas', 'lembar', 'eksemplar', 'bundel', 'set', 'berkas'], random), index);
    attachmentCount = n;
  }
  const subject = pick(subjects, random);
  const addressee = layout === 'undangan' && random() < 0.5 ? ['Daftar Terlampir'] : addresseeLines(region, random);
  const addresseePlace = pick(['-', 'Tempat', region.capital], random);

  return {
    layout, region, agency, letterheadLines,
    address: `${pick(streets, random)} Nomor ${1 + Math.floor(random() * 120)}, Telepon (0${761 + Math.floor(random() * 9)}) ${20000 + Math.floor(random() * 70000)}, Laman ${(agency?.unit ?? 'setda').toLowerCase()}.${region.name.toLowerCase().replace(/ /g, '')}.go.id`,
    place: region.capital,
    dateText,
    number,
    ...(sifatWord === undefined ? {} : { sifat: sifatWord }),
    ...(lampiran === undefined ? {} : { lampiran }),
    subject,
    addressee,
    addresseePlace,
    signer: { title: headLetter ? `${region.head} ${region.name}` : agency!.head.toUpperCase(), name: pick(names, random), nip: `19${70 + Math.floor(random() * 20)}0${1 + Math.floor(random() * 9)}12 199${Math.floor(random() * 10)}03 1 00${1 + Math.floor(random() * 9)}` },
    truth: {
      number, date, subject, sender,
      ...(addressee[0] === 'Daftar Terlampir' ? {} : { addressee: addressee.join(' ') }),
      ...(sifatWord === undefined ? {} : sifatTruth[sifatWord]),
      ...(attachmentCount === undefined ? {} : { attachmentCount }),
      ...(numberCode === undefined ? {} : { numberCode }),
    },
  };
}

// ---- typesetting ---------------------------------------------------------------------------------

const A4: [number, number] = [595.28, 841.89];
const mm = (v: number) => (v * 72) / 25.4;

interface Pen {
  page: PDFPage;
  regular: PDFFont;
  bold: PDFFont;
  /** Distance from the top of the page, in points. */
  text(s: string, x: number, top: number, size?: number, bold?: boolean): void;
  width(s: string, size?: number, bold?: boolean): number;
  wrap(s: string, maxWidth: number, size?: number): string[];
}

function pen(page: PDFPage, regular: PDFFont, bold: PDFFont): Pen {
  const h = page.getHeight();
  const width = (s: string, size = 12, b = false) => (b ? bold : regular).widthOfTextAtSize(s, size);
  return {
    page, regular, bold,
    text(s, x, top, size = 12, b = false) { page.drawText(s, { x, y: h - top, size, font: b ? bold : regular, color: rgb(0.05, 0.05, 0.05) }); },
    width,
    wrap(s, maxWidth, size = 12) {
      const lines: string[] = [];
      let line = '';
      for (const word of s.split(' ')) {
        const next = line === '' ? word : `${line} ${word}`;
        if (line !== '' && width(next, size) > maxWidth) { lines.push(line); line = word; } else line = next;
      }
      if (line !== '') lines.push(line);
      return lines;
    },
  };
}

/** A regional emblem as a letterhead prints it: a shield with stripes, a star and a chain border. */
function drawEmblem(p: Pen, x: number, top: number, size: number): void {
  const h = p.page.getHeight();
  const s = size / 100;
  p.page.drawSvgPath('M 50 0 L 100 12 L 96 60 Q 90 88 50 100 Q 10 88 4 60 L 0 12 Z', { x, y: h - top, scale: s, color: rgb(0.55, 0.55, 0.55), borderColor: rgb(0.1, 0.1, 0.1), borderWidth: 2 });
  p.page.drawSvgPath('M 50 14 L 55 30 L 72 30 L 58 40 L 63 56 L 50 46 L 37 56 L 42 40 L 28 30 L 45 30 Z', { x, y: h - top, scale: s, color: rgb(0.1, 0.1, 0.1) });
  for (let i = 0; i < 5; i++) p.page.drawSvgPath(`M ${18 + i * 14} 64 L ${24 + i * 14} 64 L ${24 + i * 14} 84 L ${18 + i * 14} 84 Z`, { x, y: h - top, scale: s, color: rgb(0.2, 0.2, 0.2) });
  for (let i = 0; i < 12; i++) {
    const a = (Math.PI * i) / 11;
    p.page.drawCircle({ x: x + size / 2 - Math.cos(a) * size * 0.46, y: h - top - size * 0.55 - Math.sin(a) * size * 0.4, size: size * 0.025, color: rgb(0.15, 0.15, 0.15) });
  }
}

/** The letterhead (kop): text centred between the margins, or beside a logo; a double rule under it. Returns where the rule is. */
function drawLetterhead(p: Pen, c: Content, logo: 'none' | 'left' | 'right' | 'above'): number {
  const [w] = A4;
  const left = mm(25);
  const right = w - mm(20);
  let top = mm(15);
  if (logo === 'above') { drawEmblem(p, w / 2 - mm(11), top, mm(22)); top += mm(26); }
  const textLeft = logo === 'left' ? left + mm(26) : left;
  const textRight = logo === 'right' ? right - mm(26) : right;
  const centre = (textLeft + textRight) / 2;
  const startTop = top;
  c.letterheadLines.forEach((line, i) => {
    const size = i === 0 ? (c.letterheadLines.length > 1 ? 14 : 16) : 16;
    const fitted = Math.min(size, (size * (textRight - textLeft)) / p.width(line, size, true));
    top += fitted + 4;
    p.text(line, centre - p.width(line, fitted, true) / 2, top, fitted, true);
  });
  if (logo !== 'above') {
    const addressLines = p.wrap(c.address, textRight - textLeft, 8.5);
    for (const line of addressLines) { top += 11; p.text(line, centre - p.width(line, 8.5) / 2, top, 8.5); }
    top += 11;
    const postal = `${titleCase(c.place)} ${28000 + (c.address.length * 37) % 900}`;
    p.text(postal.toUpperCase(), centre - p.width(postal.toUpperCase(), 8.5, true) / 2, top, 8.5, true);
  }
  if (logo === 'left') drawEmblem(p, left, startTop + 2, mm(22));
  if (logo === 'right') drawEmblem(p, right - mm(22), startTop + 2, mm(22));
  top += 6;
  const h = p.page.getHeight();
  p.page.drawLine({ start: { x: left, y: h - top }, end: { x: right, y: h - top }, thickness: 2.2 });
  p.page.drawLine({ start: { x: left, y: h - top - 3 }, end: { x: right, y: h - top - 3 }, thickness: 0.7 });
  return top + 3;
}

function labelRows(c: Content, caps = false): Array<[string, string]> {
  const rows: Array<[string, string]> = [['Nomor', c.number]];
  if (c.sifat !== undefined) rows.push(['Sifat', c.sifat]);
  if (c.lampiran !== undefined) rows.push(['Lampiran', c.lampiran]);
  rows.push([caps ? 'Perihal' : (c.layout === 'kop-tengah' || c.layout === 'dua-halaman' ? 'Hal' : 'Perihal'), c.subject]);
  return caps ? rows.map(([l, v]) => [l.toUpperCase(), v]) : rows;
}

/** "Label : value" rows with the value wrapped within `valueWidth`; returns the top after them. */
function drawLabelled(p: Pen, rows: Array<[string, string]>, left: number, top: number, labelWidth: number, valueWidth: number, size = 12): number {
  const line = size * 1.4;
  for (const [label, value] of rows) {
    p.text(label, left, top, size);
    p.text(':', left + labelWidth, top, size);
    for (const part of p.wrap(value, valueWidth, size)) { p.text(part, left + labelWidth + size * 0.8, top, size); top += line; }
  }
  return top;
}

function drawAddressee(p: Pen, c: Content, left: number, top: number, style: 'yth' | 'kepada-yth', maxWidth = mm(120)): number {
  const line = 12 * 1.4;
  if (style === 'kepada-yth') { p.text('Kepada', left, top); top += line; }
  p.text('Yth.', left, top);
  const indent = p.width('Yth. ');
  for (const a of c.addressee.flatMap((l) => p.wrap(l, maxWidth - indent))) { p.text(a, left + indent, top); top += line; }
  if (c.addresseePlace === '-') {
    p.text('di -', left + indent, top); top += line;
    p.text(c.place, left + indent + p.width('di '), top); top += line;
  } else { p.text(`di ${c.addresseePlace}`, left + indent, top); top += line; }
  return top;
}

const paragraphs = (c: Content) => [
  `Sehubungan dengan pelaksanaan program kerja Tahun Anggaran ${c.truth.date.slice(0, 4)} dan berdasarkan Peraturan Menteri Dalam Negeri Nomor 1 Tahun 2023 tentang Tata Naskah Dinas di Lingkungan Pemerintah Daerah, bersama ini kami sampaikan hal tersebut di atas untuk menjadi perhatian Saudara.`,
  'Kami mohon kiranya Saudara dapat menindaklanjuti surat ini sesuai dengan ketentuan yang berlaku, dan menyampaikan laporan pelaksanaannya paling lambat tanggal 15 Desember 2026 kepada kami melalui Bagian Umum.',
  'Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.',
];

function drawBody(p: Pen, c: Content, top: number, left: number, right: number, withTable: boolean, maxParagraphs = 3): number {
  const line = 12 * 1.45;
  const indent = mm(12);
  p.text('Dengan hormat,', left, top); top += line * 1.3;
  const paras = paragraphs(c).slice(0, maxParagraphs);
  paras.forEach((para, i) => {
    for (const [j, part] of p.wrap(para, right - left - indent).entries()) { p.text(part, left + (j === 0 ? indent : 0), top); top += line; }
    top += line * 0.4;
    if (withTable && i === 0) {
      // The schedule of an invitation, in a ruled table: its date is the meeting's, not the letter's.
      const rows: Array<[string, string]> = [['Hari/Tanggal', 'Senin, 16 November 2026'], ['Pukul', '09.00 WIB s.d. selesai'], ['Tempat', 'Ruang Rapat Lantai II Kantor Wali Kota'], ['Acara', 'Rapat Koordinasi']];
      const h = p.page.getHeight();
      const tableTop = top - 12;
      for (const [label, value] of rows) {
        p.text(label, left + indent + 6, top); p.text(':', left + indent + mm(32), top); p.text(value, left + indent + mm(36), top);
        top += line;
      }
      const bottom = top - 12 + 4;
      for (const y of [tableTop, bottom]) p.page.drawLine({ start: { x: left + indent, y: h - y }, end: { x: right, y: h - y }, thickness: 0.8 });
      for (const x of [left + indent, left + indent + mm(30), right]) p.page.drawLine({ start: { x, y: h - tableTop }, end: { x, y: h - bottom }, thickness: 0.8 });
      top += line * 0.6;
    }
  });
  return top;
}

/** Signature block at the right, with a hand signature and the office stamp drawn over the name. */
function drawSignature(p: Pen, c: Content, top: number, seed: number): void {
  const [w] = A4;
  const x = w / 2 + mm(10);
  const line = 12 * 1.4;
  const title = p.wrap(c.signer.title, w - mm(20) - x, 12);
  for (const t of title) { p.text(t, x, top, 12, true); top += line; }
  const h = p.page.getHeight();
  const random = seededRandom(seed);
  let d = `M 0 0`;
  for (let i = 0; i < 6; i++) d += ` C ${i * 22 + 6} ${-30 * random() - 8} ${i * 22 + 14} ${22 * random()} ${i * 22 + 22} ${-4 * random()}`;
  p.page.drawSvgPath(d, { x: x + 10, y: h - top - mm(12), borderColor: rgb(0.1, 0.12, 0.45), borderWidth: 1.4 });
  p.page.drawCircle({ x: x - 4, y: h - top - mm(10), size: mm(15), borderColor: rgb(0.2, 0.25, 0.7), borderWidth: 1.6, opacity: 0, borderOpacity: 0.85 });
  p.page.drawCircle({ x: x - 4, y: h - top - mm(10), size: mm(10), borderColor: rgb(0.2, 0.25, 0.7), borderWidth: 1, opacity: 0, borderOpacity: 0.85 });
  p.page.drawText('CAP DINAS', { x: x - 4 - mm(8), y: h - top - mm(11), size: 8, font: p.bold, color: rgb(0.2, 0.25, 0.7), opacity: 0.85 });
  top += mm(24);
  p.text(c.signer.name, x, top, 12, true); top += line;
  p.text(`NIP ${c.signer.nip}`, x, top);
}

async function typeset(c: Content, font: CorpusFont, index: number): Promise<{ pdf: Uint8Array; pageCount: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { readFileSync } = await import('node:fs');
  const [regularFile, boldFile] = fontFiles[font];
  const subset = !regularFile.endsWith('.otf'); // pdf-lib's subsetter breaks CFF (OpenType) fonts
  const regular = await doc.embedFont(readFileSync(regularFile), { subset });
  const bold = await doc.embedFont(readFileSync(boldFile), { subset });
  const page = doc.addPage(A4);
  const p = pen(page, regular, bold);
  const [w] = A4;
  const left = mm(25);
  const right = w - mm(20);
  const line = 12 * 1.4;
  const place = `${c.place}, ${c.dateText}`;
  const layout = c.layout;
  let top: number;

  if (layout === 'nota-dinas') {
    top = drawLetterhead(p, c, 'left') + 26;
    p.text('NOTA DINAS', w / 2 - p.width('NOTA DINAS', 13, true) / 2, top, 13, true);
    top += line * 1.8;
    const rows: Array<[string, string]> = [
      ['Kepada', `Yth. ${c.addressee.join(' ')}`],
      ['Dari', c.signer.title.charAt(0) + c.signer.title.slice(1).toLowerCase().replace(/\b(dinas|badan|kepala|daerah|sekretaris|inspektur)\b/g, (m) => m.charAt(0).toUpperCase() + m.slice(1))],
      ['Tanggal', c.dateText],
      ['Nomor', c.number],
      ...(c.sifat === undefined ? [] : [['Sifat', c.sifat] as [string, string]]),
      ...(c.lampiran === undefined ? [] : [['Lampiran', c.lampiran] as [string, string]]),
      ['Hal', c.subject],
    ];
    if (seededRandom(0x7ab1e + index * 613)() < 0.5) {
      // Offices that print the nota dinas head as a ruled table: a box, a rule between the labels and
      // the values, a thin rule under each row.
      const h = page.getHeight();
      const boxTop = top - 13;
      const rule = (x0: number, y0: number, x1: number, y1: number, thickness: number) => page.drawLine({ start: { x: x0, y: h - y0 }, end: { x: x1, y: h - y1 }, thickness });
      for (const row of rows) {
        top = drawLabelled(p, [row], left + 4, top, mm(25), right - left - mm(32));
        rule(left, top - line + 6, right, top - line + 6, 0.5);
        top += 5;
      }
      const boxBottom = top - line + 1;
      rule(left, boxTop, right, boxTop, 1);
      rule(left, boxBottom, right, boxBottom, 1);
      for (const x of [left, left + mm(25) - 2, right]) rule(x, boxTop, x, boxBottom, 0.8);
    } else {
      top = drawLabelled(p, rows, left, top, mm(25), right - left - mm(30));
      page.drawLine({ start: { x: left, y: page.getHeight() - top + 6 }, end: { x: right, y: page.getHeight() - top + 6 }, thickness: 1 });
    }
    top += line;
    top = drawBody(p, c, top, left, right, false, 2);
    drawSignature(p, c, top + line, index);
  } else {
    const logo = layout === 'kop-tengah' || layout === 'label-kapital' ? 'none' : layout === 'logo-kanan' ? 'right' : layout === 'kepala-daerah' ? 'above' : 'left';
    top = drawLetterhead(p, c, logo) + 24;
    const blockWidth = right - left - mm(30);
    if (layout === 'logo-kiri') {
      // The date on the number's row, at the right; the value column stops well before it.
      p.text(place, right - p.width(place), top);
      top = drawLabelled(p, labelRows(c), left, top, mm(25), mm(80));
      top += line;
      top = drawAddressee(p, c, left, top, 'yth');
    } else if (layout === 'tujuan-samping' || layout === 'kepala-daerah') {
      p.text(place, right - p.width(place), top);
      top += line * 1.6;
      const beside = left + mm(108);
      drawAddressee(p, c, beside, top, 'kepada-yth', right - beside);
      top = drawLabelled(p, labelRows(c), left, top, mm(22), mm(75));
      top += line * 3;
    } else if (layout === 'logo-kanan') {
      top = drawLabelled(p, labelRows(c), left, top, mm(25), blockWidth);
      top += line * 0.5;
      p.text(place, right - p.width(place), top);
      top += line * 1.5;
      top = drawAddressee(p, c, left, top, 'kepada-yth');
    } else if (layout === 'label-kapital') {
      p.text(place, right - p.width(place), top);
      top += line * 1.6;
      top = drawLabelled(p, labelRows(c, true), left, top, mm(45), right - left - mm(50), 11);
      top += line;
      top = drawAddressee(p, c, left, top, 'kepada-yth');
    } else {
      p.text(place, right - p.width(place), top);
      top += line * 1.6;
      top = drawLabelled(p, labelRows(c), left, top, mm(25), blockWidth);
      top += line;
      top = drawAddressee(p, c, left, top, 'yth');
    }
    top += line;
    if (layout === 'dua-halaman') {
      drawBody(p, c, top, left, right, false, 2);
      const page2 = doc.addPage(A4);
      const p2 = pen(page2, regular, bold);
      p2.text('- 2 -', w / 2 - p2.width('- 2 -') / 2, mm(15));
      let top2 = mm(30);
      for (const part of p2.wrap(paragraphs(c)[2]!, right - left)) { p2.text(part, left, top2); top2 += line; }
      drawSignature(p2, c, top2 + line, index);
    } else {
      top = drawBody(p, c, top, left, right, layout === 'undangan');
      drawSignature(p, c, top + line, index);
    }
  }
  return { pdf: await doc.save(), pageCount: doc.getPageCount() };
}

/** Letter `index` of the set (layouts in turn, typefaces in turn, content from the index). */
export async function corpusLetter(index: number): Promise<CorpusLetter> {
  const layout = corpusLayouts[index % corpusLayouts.length]!;
  const font = corpusFonts[Math.floor(index / corpusLayouts.length) % corpusFonts.length]!;
  const content = letterContent(index, layout);
  const { pdf, pageCount } = await typeset(content, font, index);
  return { index, id: `${String(index).padStart(2, '0')}-${layout}`, layout, font, truth: content.truth, pdf, pageCount };
}

/** Letters are made in blocks of 72 (every layout meets every scanner fault once in a block). */
export const corpusBlockSize = 72;
export const corpusSize = 2 * corpusBlockSize;

/**
 * The fixed split: per layout and block, half the letters (chosen by a seeded shuffle) tune the
 * extractor, half are held out. A letter keeps its half when the set grows by a block.
 */
export function corpusHalf(index: number): 'tuning' | 'held-out' {
  const layout = index % corpusLayouts.length;
  const block = Math.floor(index / corpusBlockSize);
  const ofLayout = Array.from({ length: corpusBlockSize }, (_, i) => block * corpusBlockSize + i).filter((i) => i % corpusLayouts.length === layout);
  const random = seededRandom(20260517 + layout + block * 7919);
  const shuffled = ofLayout.map((i) => ({ i, key: random() })).sort((a, b) => a.key - b.key).map((x) => x.i);
  return shuffled.indexOf(index) < shuffled.length / 2 ? 'tuning' : 'held-out';
}
