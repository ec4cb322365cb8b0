// The pre-fill rules on OCR text as Tesseract really returns it (misread Roman months, a date on
// the number's line, a subject split over paragraphs, stray marks): what the clerk is offered.
import { describe, expect, it } from 'vitest';
import type { OcrResult } from '../../main/documents/ocr/ocr.ts';
import { proposeLetterFields } from '../../main/documents/prefill.ts';

function ocr(text: string, confidence = 92): OcrResult {
  return { text, confidence, lines: text.split('\n').filter((l) => l.trim() !== '').map((l) => ({ text: l.trim(), confidence })) };
}

describe('the agenda form is pre-filled from the letter\'s first page', () => {
  it('reads a centred letterhead, repairs a Roman month read as digits, and joins a subject split over two paragraphs', () => {
    const p = proposeLetterFields(ocr(`PEMERINTAH KOTA DUMAI
DINAS KOMUNIKASI DAN INFORMATIKA

Jalan Sultan Syarif Kasim Nomor 12 Telepon (0765) 31234 Dumai 28812

Dumai, 12 Maret 2026
Nomor : 005/123/DISKOMINFO/111/2026

Sifat : Biasa
Lampiran : 1 (satu) berkas
Perihal .: Undangan Rapat Koordinasi Penyusunan

Rencana Kerja Tahun 2027

Kepada
Yth. Kepala Badan Perencanaan

Dengan hormat, rapat dilaksanakan pada Senin, 16 Maret 2026.`));
    expect(p.number?.value).toBe('005/123/DISKOMINFO/III/2026');
    expect(p.date?.value).toBe('2026-03-12');
    expect(p.subject?.value).toBe('Undangan Rapat Koordinasi Penyusunan Rencana Kerja Tahun 2027');
    expect(p.sender?.value).toBe('Dinas Komunikasi dan Informatika Kota Dumai');
    for (const field of [p.number, p.date, p.subject, p.sender]) expect(field?.status).toBe('proposed');
    expect(p.date?.evidence).toBe('Dumai, 12 Maret 2026');
  });

  it('separates the number from a date printed on the same line, and trusts a repaired number less', () => {
    const repaired = proposeLetterFields(ocr(`PEMERINTAH KOTA PEKANBARU
DINAS KESEHATAN
Jalan Melur Nomor 103 Pekanbaru
Nomor : 440/DINKES-SDK/V1/2026/88 Pekanbaru, 15 Juni 2026
Hal -: Pemberitahuan Jadwal Vaksinasi Pegawai

Yth.`));
    expect(repaired.number?.value).toBe('440/DINKES-SDK/VI/2026/88');
    expect(repaired.date?.value).toBe('2026-06-15');
    expect(repaired.subject?.value).toBe('Pemberitahuan Jadwal Vaksinasi Pegawai');
    // A dash read between the label and its colon is not part of the subject.
    const dashed = proposeLetterFields(ocr('BADAN KEPEGAWAIAN\nNomor : 893.3/BKPSDM/X/2026/0012\nPerihal — : Usulan Kenaikan Pangkat Periode Oktober 2026\n\nYth.'));
    expect(dashed.subject?.value).toBe('Usulan Kenaikan Pangkat Periode Oktober 2026');
    const clean = proposeLetterFields(ocr('PEMERINTAH KOTA PEKANBARU\nDINAS KESEHATAN\nNomor : 440/DINKES-SDK/VI/2026/88'));
    expect(clean.number!.confidence).toBeGreaterThan(repaired.number!.confidence);
  });

  it('reads a nota dinas: its date from "Tanggal", its subject from "Hal", a long agency name over two lines', () => {
    const p = proposeLetterFields(ocr(`— PEMERINTAH KABUPATEN SIAK
BADAN KEPEGAWAIAN DAN PENGEMBANGAN
SUMBER DAYA MANUSIA
Jalan Raja Kecik Nomor 5 Siak Sri Indrapura
NOTA DINAS
Kepada : Yth. Bupati Siak
Dari : Kepala BKPSDM
Tanggal : 21 Agustus 2026
Nomor. : 893.3/(BKPSDM/X/2026/0012
Hal : Penyampaian Hasil Evaluasi Sistem Akuntabilitas
. Kinerja Instansi Pemerintah
Dengan hormat,`));
    expect(p.date?.value).toBe('2026-08-21');
    expect(p.number?.value).toBe('893.3/BKPSDM/X/2026/0012');
    expect(p.subject?.value).toBe('Penyampaian Hasil Evaluasi Sistem Akuntabilitas Kinerja Instansi Pemerintah');
    expect(p.sender?.value).toBe('Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Siak');
  });

  it('offers a company letterhead as sender with less confidence than a government one', () => {
    const p = proposeLetterFields(ocr(`PT BANK PEMBANGUNAN DAERAH RIAU KEPRI
Jalan Jenderal Sudirman 462 Pekanbaru
Pekanbaru, 5 Des 2026
No : 1234/DIR/XII/2026
Perihal : Penawaran Kerja Sama Pembayaran Gaji`));
    expect(p.sender?.value).toBe('Pt Bank Pembangunan Daerah Riau Kepri');
    expect(p.sender!.confidence).toBeLessThan(0.6);
    expect(p.date?.value).toBe('2026-12-05');
    expect(p.number?.value).toBe('1234/DIR/XII/2026');
  });

  it('proposes nothing it cannot back: no label, no credible date, only body text', () => {
    const p = proposeLetterFields(ocr(`bersama ini kami sampaikan hal tersebut pada tanggal 31 Februari 2026
Nomor rekening terlampir.
Hal : -`));
    expect(p).toEqual({});
  });

  it('does not take a meeting date from the body as the letter date', () => {
    const p = proposeLetterFields(ocr(`PEMERINTAH KABUPATEN KAMPAR
INSPEKTORAT DAERAH
Nomor : 700/INSP/2026/015
Hal : Undangan

Dengan hormat, kami mengundang Saudara pada hari Senin, 16 Maret 2026.`));
    expect(p.date).toBeUndefined();
    expect(p.number?.value).toBe('700/INSP/2026/015');
  });
});
