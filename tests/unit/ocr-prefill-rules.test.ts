// The pre-fill rules on word boxes as Tesseract returns them: columns read as separate blocks, an
// addressee column beside the number block, a "Place, date" line under the subject, logo noise in
// the letterhead, misread Roman months — and nothing proposed where the letter prints nothing.
import { describe, expect, it } from 'vitest';
import type { OcrLine, OcrResult } from '../../main/documents/ocr/ocr.ts';
import { proposeLetterFields } from '../../main/documents/prefill.ts';

/** One run of text on the page: its row (0 at the top), its column in characters, its words. */
type Run = [row: number, column: number, text: string, confidence?: number];

const charPx = 18;
const rowPx = 48;

/** A page as Tesseract would report it, every run its own block (as when it splits columns apart). */
function page(runs: Run[], options: { skew?: number } = {}): OcrResult {
  const lines: OcrLine[] = runs.map(([row, column, text, confidence = 91], block) => {
    let x = 100 + column * charPx;
    const words = text.split(' ').filter((w) => w !== '').map((w) => {
      const y0 = 100 + row * rowPx + (options.skew ?? 0) * x;
      const box = { x0: x, y0, x1: x + w.length * charPx, y1: y0 + 32 };
      x = box.x1 + charPx;
      return { text: w, confidence, box };
    });
    const box = { x0: words[0]!.box.x0, y0: Math.min(...words.map((w) => w.box.y0)), x1: words[words.length - 1]!.box.x1, y1: Math.max(...words.map((w) => w.box.y1)) };
    return { text, confidence, box, block, paragraph: 0, words };
  });
  return { text: runs.map((r) => r[2]).join('\n'), confidence: 90, lines, width: 1654, height: 1170, dpi: 200 };
}

const officeCodes = new Set(['000', '005', '800', '800.1', '440']);
const propose = (ocr: OcrResult) => proposeLetterFields(ocr, { isOfficeCode: (c) => officeCodes.has(c) });

describe('the agenda form is pre-filled from the head of the letter', () => {
  it('pairs a label column with its value column by position, and keeps the subject out of the addressee column beside it', () => {
    const p = propose(page([
      [0, 12, 'PEMERINTAH KOTA DUMAI'],
      [1, 8, 'DINAS KOMUNIKASI DAN INFORMATIKA'],
      [2, 6, 'Jalan Sultan Syarif Kasim Nomor 12, Telepon (0765) 31234'],
      [4, 46, 'Dumai, 12 Maret 2026'],
      // Labels, colons and values as three separate blocks; the addressee a fourth, beside them.
      [6, 0, 'Nomor'], [6, 10, ':'], [6, 12, '005/123/DISKOMINFO/III/2026'], [6, 45, 'Kepada'],
      [7, 0, 'Sifat'], [7, 10, ':'], [7, 12, 'Segera'], [7, 45, 'Yth. Kepala Badan'],
      [8, 0, 'Lampiran'], [8, 10, ':'], [8, 12, '2 (dua) berkas'], [8, 50, 'Perencanaan'],
      [9, 0, 'Perihal'], [9, 10, ':'], [9, 12, 'Undangan Rapat Koordinasi'], [9, 50, 'di -'],
      [10, 12, 'Penyusunan Rencana Kerja'], [10, 53, 'Dumai'],
      [12, 0, 'Dengan hormat,'],
    ]));
    expect(p.number?.value).toBe('005/123/DISKOMINFO/III/2026');
    expect(p.date?.value).toBe('2026-03-12');
    expect(p.date?.evidence).toBe('Dumai, 12 Maret 2026');
    expect(p.subject?.value).toBe('Undangan Rapat Koordinasi Penyusunan Rencana Kerja');
    expect(p.addressee?.value).toBe('Kepala Badan Perencanaan');
    expect(p.urgency?.value).toBe('segera');
    expect(p.security).toBeUndefined();
    expect(p.attachmentCount?.value).toBe(2);
    expect(p.sender?.value).toBe('Dinas Komunikasi dan Informatika Kota Dumai');
    expect(p.classificationCode?.value).toBe('005');
    for (const proposal of Object.values(p)) {
      expect(proposal.status).toBe('proposed');
      expect(proposal.confidence).toBeGreaterThan(0);
      expect(proposal.confidence).toBeLessThanOrEqual(1);
      expect(proposal.evidence).not.toBe('');
    }
  });

  it('stops the subject at a "Place, date" line below it, and reads the date from there', () => {
    const p = propose(page([
      [0, 8, 'PEMERINTAH KABUPATEN SIAK'],
      [1, 6, 'BADAN KEPEGAWAIAN DAN PENGEMBANGAN'],
      [2, 10, 'SUMBER DAYA MANUSIA'],
      [3, 6, 'Jalan Raja Kecik Nomor 5, Siak Sri Indrapura'],
      [5, 0, 'Nomor : 800.1.2/1290/BKPSDM/2026'],
      [6, 0, 'Sifat : Biasa'],
      [7, 0, 'Lampiran : -'],
      [8, 0, 'Hal : Usulan Kenaikan Pangkat'],
      [9, 30, 'Siak Sri Indrapura, 7 Oktober 2026'],
      [11, 0, 'Kepada'],
      [12, 0, 'Yth. Sekretaris Daerah'],
      [13, 5, 'di Tempat'],
    ]));
    expect(p.subject?.value).toBe('Usulan Kenaikan Pangkat');
    expect(p.date?.value).toBe('2026-10-07');
    expect(p.sender?.value).toBe('Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Siak');
    expect(p.addressee?.value).toBe('Sekretaris Daerah');
    // "Biasa" is both the urgency and the security class; "-" is no attachment.
    expect([p.urgency?.value, p.security?.value]).toEqual(['biasa', 'biasa']);
    expect(p.attachmentCount?.value).toBe(0);
    // 800.1.2 is not on the office's list: its nearest listed parent is, with less confidence.
    expect(p.classificationCode?.value).toBe('800.1');
    expect(p.classificationCode!.confidence).toBeLessThan(p.number!.confidence);
  });

  it('reads the letterhead past the noise of a logo at its left', () => {
    const p = propose(page([
      [0, 0, '~~ /|\\ ;', 30], [0, 9, 'PEMERINTAH PROVINSI RIAU'],
      [1, 0, 'ie', 25], [1, 9, 'DINAS KESEHATAN'],
      [2, 9, 'Jalan Melur Nomor 103, Pekanbaru'],
      [4, 0, 'Nomor : 440/812/DINKES/2026'],
      [5, 0, 'Hal : Laporan Kasus Demam Berdarah'],
    ]));
    expect(p.sender?.value).toBe('Dinas Kesehatan Provinsi Riau');
    expect(p.number?.value).toBe('440/812/DINKES/2026');
  });

  it('leaves a correctly read 11 alone, and repairs a Roman month only in the month slot', () => {
    const digits = propose(page([[0, 0, 'Nomor : 800/11/2026'], [1, 0, 'Hal : Pemberitahuan']]));
    expect(digits.number?.value).toBe('800/11/2026');
    const month = propose(page([[0, 0, 'Nomor : 800/1880/SETDA-2/111/2025'], [1, 0, 'Hal : Pemberitahuan']]));
    expect(month.number?.value).toBe('800/1880/SETDA-2/III/2025');
    const slash = propose(page([[0, 0, 'Nomor : 421.2/1514/BAPPEDAIVII/2026'], [1, 0, 'Hal : Pemberitahuan']]));
    expect(slash.number?.value).toBe('421.2/1514/BAPPEDA/VII/2026');
    // A number broken in two by OCR is joined; a date on the same line is not part of it.
    const broken = propose(page([[0, 0, 'Nomor : 045.2/1 156/SATPOLPP/VIII/2025'], [0, 40, 'Teluk Kuantan, 8 Agustus 2025']]));
    expect(broken.number?.value).toBe('045.2/1156/SATPOLPP/VIII/2025');
    expect(broken.date?.value).toBe('2025-08-08');
    const clean = propose(page([[0, 0, 'Nomor : 800/1880/SETDA-2/III/2025']]));
    expect(clean.number!.confidence).toBeGreaterThan(month.number!.confidence);
  });

  it('reads a nota dinas: Kepada with Yth. wrapped under it, Tanggal as the date, a rahasia sifat', () => {
    const p = propose(page([
      [0, 8, 'PEMERINTAH KABUPATEN BENGKALIS'],
      [1, 10, 'SEKRETARIAT DAERAH'],
      [2, 8, 'Jalan Ahmad Yani Nomor 1, Bengkalis'],
      [4, 18, 'NOTA DINAS'],
      [6, 0, 'Kepada : Yth. Ketua Dewan Perwakilan Rakyat Daerah'],
      [7, 10, 'Kabupaten Bengkalis'],
      [8, 0, 'Dari : Sekretaris Daerah'],
      [9, 0, 'Tanggal : 21 Agustus 2026'],
      [10, 0, 'Nomor : B-77/SETDA/090/2026'],
      [11, 0, 'Sifat : Rahasia'],
      [12, 0, 'Hal : Penyampaian Laporan Realisasi Anggaran'],
    ]));
    expect(p.addressee?.value).toBe('Ketua Dewan Perwakilan Rakyat Daerah Kabupaten Bengkalis');
    expect(p.date?.value).toBe('2026-08-21');
    expect(p.security?.value).toBe('rahasia');
    expect(p.urgency).toBeUndefined();
    expect(p.number?.value).toBe('B-77/SETDA/090/2026');
    // The number does not start with an archive code: none is proposed.
    expect(p.classificationCode).toBeUndefined();
    expect(p.sender?.value).toBe('Sekretariat Daerah Kabupaten Bengkalis');
  });

  it('reads the attachment count in the forms letters print it, through what OCR makes of brackets, units and dashes', () => {
    const countOf = (lampiran: string, label = 'Lampiran') => propose(page([
      [0, 0, 'Nomor : 005/12/DISDIK/2026'],
      [1, 0, `${label} : ${lampiran}`],
      [2, 0, 'Hal : Undangan Rapat'],
    ])).attachmentCount?.value;
    const cases: Array<[string, number | undefined]> = [
      ['1 (satu) berkas', 1], ['2 (Dua) Lembar', 2], ['Satu berkas', 1], ['3 eksemplar', 3], ['12 (dua belas) lembar', 12],
      ['Dua belas bundel', 12], ['1 (satu) berkas daftar nama peserta', 1], ['Empat lembar', 4],
      // Counts past twelve as Indonesian spells them, capitals, a count without its unit.
      ['25 (dua puluh lima) lembar', 25], ['Dua puluh berkas', 20], ['17 (tujuh belas) eksemplar', 17], ['10 (sepuluh) lembar', 10],
      ['3 (TIGA) EKSEMPLAR', 3], ['2 (dua)', 2], ['1 (satu) bendel', 1],
      // The space between the count word and its unit lost.
      ['Duaset', 2], ['Satuberkas', 1],
      // A bracket lost or misread, a count word or a unit misread: what is left is still a count.
      ['1 (satu berkas', 1], ['2 {dua} lembar', 2], ['2 (dua) bcrkas', 2], ['3 (tlga) berkas', 3], ['Satu bundei', 1], ['2 lernbar', 2], ['2', 2],
      // A digit misread beside its word: the word.
      ['8 (tiga) eksemplar', 3],
      // Nothing attached, however the dash came out.
      ['-', 0], ['\u2014', 0], ['\u2013', 0], ['--', 0], ['~', 0], ['Nihil', 0],
      // No count: nothing proposed rather than a guess.
      ['Daftar nama peserta', undefined], ['Terlampir', undefined], ['berkas', undefined],
    ];
    expect(cases.map(([text]) => countOf(text))).toEqual(cases.map(([, n]) => n));
    // A count wrapped in a narrow column is read with its next line.
    expect(propose(page([
      [0, 0, 'Nomor'], [0, 10, ':'], [0, 12, '005/12/DISDIK/2026'],
      [1, 0, 'Lampiran'], [1, 10, ':'], [1, 12, '25 (dua puluh'], [2, 12, 'lima) lembar'],
      [3, 0, 'Hal'], [3, 10, ':'], [3, 12, 'Undangan Rapat'],
    ])).attachmentCount?.value).toBe(25);
    // "Lampiran" with its m read as "rn", or broken in two, is still the label.
    expect(countOf('2 (dua) berkas', 'Larnpiran')).toBe(2);
    expect(countOf('2 (dua) berkas', 'Lampi ran')).toBe(2);
  });

  it('takes "Lampiran :" with nothing after it, or only the addressee column far beside it, as nothing attached', () => {
    const empty = propose(page([
      [0, 0, 'Nomor : 005/12/DISDIK/2026'],
      [1, 0, 'Lampiran :'],
      [2, 0, 'Hal : Undangan Rapat'],
    ]));
    expect(empty.attachmentCount?.value).toBe(0);
    expect(empty.attachmentCount!.confidence).toBeLessThan(empty.number!.confidence);
    const beside = propose(page([
      [0, 0, 'Nomor : 005/12/DISDIK/2026'],
      [1, 0, 'Lampiran :'], [1, 40, 'Yth. Kepala Dinas Sosial'],
      [2, 0, 'Hal : Undangan Rapat'],
    ]));
    expect(beside.attachmentCount?.value).toBe(0);
  });

  it('finds a label whose colon OCR lost, or read with the dash after it as letters, where the other rows have their colons; and a label behind a speck', () => {
    const p = propose(page([
      [0, 0, 'Nomor'], [0, 12, ':'], [0, 14, '005/12/DISDIK/2026'],
      [1, 0, 'Sifat'], [1, 12, ':'], [1, 14, 'Segera'],
      [2, 0, 'LAMPIRAN'], [2, 14, '2 (dua) berkas'],
      [3, 0, '.'], [3, 2, 'Hal'], [3, 12, ':'], [3, 14, 'Undangan Rapat'],
    ]));
    expect(p.attachmentCount?.value).toBe(2);
    expect(p.subject?.value).toBe('Undangan Rapat');
    const dash = propose(page([
      [0, 0, 'NOMOR'], [0, 12, ':'], [0, 14, '005/12/DISDIK/2026'],
      [1, 0, 'LAMPIRAN'], [1, 12, 'Ta'],
      [2, 0, 'PERIHAL'], [2, 12, ':'], [2, 14, 'Undangan Rapat'],
    ]));
    expect(dash.attachmentCount?.value).toBe(0);
    // Colon and dash both lost, or the dash left as a smudge: "Lampiran" alone in the label column.
    for (const rest of [[], [[1, 16, '~'] as Run]]) {
      const lost = propose(page([
        [0, 0, 'Nomor'], [0, 12, ':'], [0, 14, '005/12/DISDIK/2026'],
        [1, 0, 'Lampiran'], ...rest,
        [2, 0, 'Hal'], [2, 12, ':'], [2, 14, 'Undangan Rapat'],
      ]));
      expect(lost.attachmentCount?.value).toBe(0);
    }
    // No colon column on the page: a word after "Lampiran" is no value.
    expect(propose(page([[0, 0, 'Lampiran'], [0, 14, '2 (dua) berkas']])).attachmentCount).toBeUndefined();
  });

  it('proposes nothing the letter does not print: no Sifat, no Lampiran, an addressee list, a meeting date in the body', () => {
    const p = propose(page([
      [0, 10, 'BUPATI SIAK'],
      [2, 30, 'Siak Sri Indrapura, 3 Januari 2026'],
      [3, 0, 'Nomor : 005/1/SETDA/2026'],
      [4, 0, 'Hal : Undangan'],
      [6, 0, 'Yth. Daftar Terlampir'],
      [8, 0, 'Dengan hormat,'],
      [9, 0, 'Hari/Tanggal : Senin, 16 November 2026'],
    ]));
    expect(p.sender?.value).toBe('Bupati Siak');
    expect(p.date?.value).toBe('2026-01-03');
    expect(p.addressee).toBeUndefined();
    expect(p.urgency).toBeUndefined();
    expect(p.security).toBeUndefined();
    expect(p.attachmentCount).toBeUndefined();

    const body = propose(page([
      [0, 0, 'bersama ini kami sampaikan hal tersebut pada tanggal 31 Februari 2026'],
      [1, 0, 'Nomor rekening terlampir.'],
      [2, 0, 'Hal : -'],
    ]));
    expect(body).toEqual({});
  });

  it('reads past what OCR makes of a colon: a stray mark before it, or a colon read as "1" where the other colons stand', () => {
    const p = propose(page([
      [0, 0, 'Nomor'], [0, 10, ':'], [0, 12, '005/77/KEC-DB/2026'],
      [1, 0, 'Tanggal'], [1, 10, '1'], [1, 12, '14 Okt. 2026'],
      [2, 0, 'Perihal — :'], [2, 12, 'Undangan Musyawarah'],
    ]));
    expect(p.date?.value).toBe('2026-10-14');
    expect(p.subject?.value).toBe('Undangan Musyawarah');
    // A colon with a stroke read before it.
    expect(propose(page([[0, 0, 'Nomor 1: 005/78/KEC-DB/2026']])).number?.value).toBe('005/78/KEC-DB/2026');
    // A "1" that is no colon (not in the colon column) keeps its meaning: no label, no date.
    expect(propose(page([[0, 0, 'Tanggal 1 14 Okt. 2026']])).date).toBeUndefined();
  });

  it('reads a colon OCR joined to the value as a stroke, and a short label with one letter misread, only where the colon column confirms them', () => {
    const rows = (lampiran: Run[], hal: Run[]) => propose(page([
      [0, 0, 'Nomor'], [0, 10, ':'], [0, 12, '005/12/DISDIK/2026'],
      lampiran[0]!, ...lampiran.slice(1),
      ...hal,
      [4, 0, 'Dengan hormat,'],
    ]));
    // ": 1 eksemplar" read as "11 eksemplar" starting on the colon column: one; "11" where values start: eleven.
    const glued = rows([[1, 0, 'Lampiran'], [1, 10, '11 eksemplar']], [[2, 0, 'Hal'], [2, 10, ':'], [2, 12, 'Undangan Rapat']]);
    expect(glued.attachmentCount?.value).toBe(1);
    const eleven = rows([[1, 0, 'Lampiran'], [1, 10, ':'], [1, 12, '11 eksemplar']], [[2, 0, 'Hal'], [2, 10, ':'], [2, 12, 'Undangan Rapat']]);
    expect(eleven.attachmentCount?.value).toBe(11);
    // "Hat" for "Hal" before a colon in the colon column is the subject's label; "Hat" without one is no label.
    expect(glued.subject?.value).toBe('Undangan Rapat');
    const slip = rows([[1, 0, 'Lampiran'], [1, 10, ':'], [1, 12, '-']], [[2, 0, 'Hat'], [2, 10, ':'], [2, 12, 'Undangan Rapat']]);
    expect(slip.subject?.value).toBe('Undangan Rapat');
    expect(propose(page([[0, 0, 'Hat Undangan Rapat']])).subject).toBeUndefined();
  });

  it('repairs a Roman month or a year read with a slip to the letter\'s own date, and leaves a clean reading as it is', () => {
    const numberOf = (number: string, date: string, confidence = 91) => propose(page([
      [0, 40, date],
      [1, 0, 'Nomor'], [1, 10, ':'], [1, 12, number, confidence],
      [2, 0, 'Hal'], [2, 10, ':'], [2, 12, 'Undangan Rapat'],
    ])).number?.value;
    // A slash read into the month ("I1II"), a stroke too many ("XI1" in November), a lowercase x.
    expect(numberOf('700.1.2/1188/INSP/I1II/2026', 'Siak, 3 Maret 2026')).toBe('700.1.2/1188/INSP/III/2026');
    expect(numberOf('000.1.2/146/SETDAKO-3/XI1/2026', 'Dumai, 9 November 2026')).toBe('000.1.2/146/SETDAKO-3/XI/2026');
    expect(numberOf('000.1.2/146/SETDAKO-3/XI1/2026', 'Dumai, 9 Desember 2026')).toBe('000.1.2/146/SETDAKO-3/XII/2026');
    expect(numberOf('027/1275/INSP-4/x11/2026', 'Dumai, 12 Desember 2026')).toBe('027/1275/INSP-4/XII/2026');
    // A clean Roman month that differs from the date stays: the letter may print it so.
    expect(numberOf('800/12/SETDA/X/2026', 'Dumai, 2 November 2026')).toBe('800/12/SETDA/X/2026');
    // A year one confusable digit off, read with doubt: the date's year; read cleanly, it stays.
    expect(numberOf('050/BAPPEDA/2028/917', 'Pekanbaru, 13 Februari 2026', 35)).toBe('050/BAPPEDA/2026/917');
    expect(numberOf('050/BAPPEDA/2028/917', 'Pekanbaru, 13 Februari 2026')).toBe('050/BAPPEDA/2028/917');
    expect(numberOf('050/BAPPEDA/2021/917', 'Pekanbaru, 13 Februari 2026', 35)).toBe('050/BAPPEDA/2021/917');
  });

  it('does not propose an addressee misread past use (a stamp over it), nor glue words with a stray mark', () => {
    const stamped = propose(page([[0, 0, 'Yth. KepalaBIEBIMimum'], [1, 5, "ekretariat'Daerah"], [2, 5, 'di Tembilahan']]));
    expect(stamped.addressee).toBeUndefined();
    const glued = propose(page([[0, 0, 'Yth. Kepala Dinas.Pendidikan'], [1, 5, 'Kabupaten Bengkalis'], [2, 5, 'di -']]));
    expect(glued.addressee?.value).toBe('Kepala Dinas Pendidikan Kabupaten Bengkalis');
  });

  it('reads a crooked page: rows are found along the skew', () => {
    const p = propose(page([
      [0, 0, 'Nomor'], [0, 10, ':'], [0, 12, '090/SETDA/2026/77'],
      [1, 0, 'Perihal'], [1, 10, ':'], [1, 12, 'Penyampaian Laporan Realisasi Anggaran'],
    ], { skew: 0.035 }));
    expect(p.number?.value).toBe('090/SETDA/2026/77');
    expect(p.subject?.value).toBe('Penyampaian Laporan Realisasi Anggaran');
  });
});
