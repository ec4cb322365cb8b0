// A large incoming agenda made up from a seed, for the search tests and bench/search: realistic
// senders, subjects, numbers, dates and OCR text, written straight into a desk's SQLite file (the
// FTS triggers index them as registration would). The same seed always gives the same rows.
import Database from 'better-sqlite3';
import { uuidv7 } from '../../common/ids.ts';
import { seededRandom } from './synthetic-letters.ts';

export interface GeneratedLetter {
  seq: number;
  id: string;
  agendaNumber: number;
  agendaYear: number;
  receivedDate: string;
  letterNumber: string;
  sender: string;
  addressee: string;
  subject: string;
  summary: string;
  ocrText: string;
  urgency: 'biasa' | 'segera' | 'sangat_segera';
  security: 'biasa' | 'terbatas' | 'rahasia';
  classificationCode: string;
  status: 'registered' | 'in_disposition' | 'done';
}

const agencies = ['Dinas Kesehatan', 'Dinas Pendidikan', 'Dinas Perhubungan', 'Badan Pengelola Keuangan', 'Dinas Sosial', 'Kecamatan Dumai Barat', 'Kecamatan Bukit Kapur',
  'Inspektorat', 'Badan Kepegawaian', 'Dinas Pekerjaan Umum', 'Satpol PP', 'Dinas Lingkungan Hidup', 'Bappeda', 'Dinas Pariwisata', 'Kantor Pertanahan', 'RSUD', 'Polres', 'Kejaksaan Negeri'];
const regions = ['Kota Dumai', 'Kabupaten Bengkalis', 'Provinsi Riau', 'Kota Pekanbaru', 'Kabupaten Siak', 'Kabupaten Rokan Hilir'];
const topics = ['undangan rapat koordinasi', 'laporan realisasi anggaran', 'permohonan data', 'pemberitahuan jadwal', 'usulan kenaikan pangkat', 'surat edaran jam kerja',
  'permohonan izin penelitian', 'penyampaian dokumen perencanaan', 'konfirmasi kehadiran', 'permintaan narasumber', 'pengajuan cuti tahunan', 'evaluasi program stunting',
  'sosialisasi aplikasi', 'pemutakhiran data kependudukan', 'pengadaan barang', 'pembinaan kepegawaian', 'penanganan banjir', 'verifikasi laporan keuangan'];
const objects = ['tahun anggaran', 'semester pertama', 'triwulan ketiga', 'kegiatan lapangan', 'puskesmas', 'sekolah dasar', 'pelabuhan', 'pasar tradisional', 'kelurahan', 'jembatan', 'gedung serbaguna', 'rumah sakit'];
const bodyWords = ['sehubungan', 'dengan', 'pelaksanaan', 'kegiatan', 'bersama', 'ini', 'kami', 'mohon', 'kesediaan', 'bapak', 'ibu', 'untuk', 'hadir', 'pada', 'hari', 'tempat',
  'acara', 'demikian', 'disampaikan', 'atas', 'perhatian', 'kerja', 'samanya', 'diucapkan', 'terima', 'kasih', 'peserta', 'membawa', 'laporan', 'lengkap', 'koordinasi', 'anggaran',
  'dokumen', 'persyaratan', 'sesuai', 'ketentuan', 'berlaku', 'batas', 'waktu', 'penyampaian', 'selambat', 'lambatnya', 'agar', 'dapat', 'ditindaklanjuti', 'sebagaimana', 'mestinya'];
/** Rare words, each in about one letter in a thousand: what a clerk remembers from a letter's body. */
export const rareWords = ['kemarau', 'dermaga', 'vaksinasi', 'karhutla', 'gambut', 'nelayan', 'abrasi', 'sertifikasi', 'retribusi', 'inflasi'];
export const classificationCodes = ['005', '045', '090', '188.3', '188.4', '400', '420', '440', '800', '821', '822', '850', '900', '910', '973'];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function generateAgenda(count: number, seed = 42): GeneratedLetter[] {
  return [...agendaRows(count, seed)];
}

/** The same rows one at a time, for registers too large to hold in memory (bench/search at 1 M). */
export function* agendaRows(count: number, seed = 42): Generator<GeneratedLetter> {
  const random = seededRandom(seed);
  const start = Date.UTC(2024, 0, 1);
  const days = 3 * 365;
  const perYear = new Map<number, number>();
  // Received dates in increasing order, as a register grows.
  const dayOf = Array.from({ length: count }, () => Math.floor(random() * days)).sort((a, b) => a - b);
  for (let i = 0; i < count; i++) {
    const date = new Date(start + dayOf[i]! * 86_400_000);
    const year = date.getUTCFullYear();
    const agendaNumber = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, agendaNumber);
    const agency = pick(random, agencies);
    const topic = pick(random, topics);
    const object = pick(random, objects);
    const code = pick(random, classificationCodes);
    const body = Array.from({ length: 24 }, () => pick(random, bodyWords));
    if (random() < 0.01) body.splice(Math.floor(random() * body.length), 0, pick(random, rareWords));
    const u = random();
    const s = random();
    const st = random();
    yield {
      seq: i + 1,
      id: uuidv7(start + i),
      agendaNumber,
      agendaYear: year,
      receivedDate: `${year}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
      letterNumber: `${code}/${1 + Math.floor(random() * 2000)}/${agency.split(' ').at(-1)!.toUpperCase()}/${year}`,
      sender: `${agency} ${pick(random, regions)}`,
      addressee: 'Kepala Dinas Komunikasi dan Informatika',
      subject: `${topic[0]!.toUpperCase()}${topic.slice(1)} ${object}`,
      summary: `Mohon ditindaklanjuti: ${topic} ${object}.`,
      ocrText: `${agency.toUpperCase()}\nPerihal: ${topic} ${object}\n${body.join(' ')}`,
      urgency: u < 0.7 ? 'biasa' : u < 0.92 ? 'segera' : 'sangat_segera',
      security: s < 0.85 ? 'biasa' : s < 0.97 ? 'terbatas' : 'rahasia',
      classificationCode: code,
      status: st < 0.5 ? 'registered' : st < 0.8 ? 'in_disposition' : 'done',
    };
  }
}

/** Writes the rows into a desk database that openStore has already created (schema at the latest version). */
export function insertAgenda(file: string, letters: Iterable<GeneratedLetter>): void {
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO letters (seq, id, direction, status, agenda_number, agenda_year, agenda_label, received_date, letter_number, letter_date,
      sender, addressee, subject, summary, urgency, security, classification_code, document_type, attachment_count, ocr_text, created_at, updated_at)
    VALUES (@seq, @id, 'incoming', @status, @agendaNumber, @agendaYear, @agendaLabel, @receivedDate, @letterNumber, @receivedDate,
      @sender, @addressee, @subject, @summary, @urgency, @security, @classificationCode, 'surat_biasa', 0, @ocrText, @createdAt, @createdAt)`);
  const batch = db.transaction((rows: readonly GeneratedLetter[]) => {
    for (const l of rows) insert.run({ ...l, agendaLabel: `${pad(l.agendaNumber, 4)}/UMUM/${l.agendaYear}`, createdAt: `${l.receivedDate}T08:00:00.000Z` });
  });
  let rows: GeneratedLetter[] = [];
  for (const letter of letters) {
    rows.push(letter);
    if (rows.length === 20_000) { batch(rows); rows = []; }
  }
  batch(rows);
  db.close();
}

/** How FTS5's unicode61 tokenizer splits text, for a reference answer. */
export function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
}
