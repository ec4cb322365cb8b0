// The Periksa report as a PDF a person can save, print or attach: the file checked, its hash, and
// for every signature who signed, when, whether the signed bytes are intact, whether the signature
// covers the whole document, trust, timestamp and revocation, with the problems found.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ValidationReportView } from '../../common/ipc/sign.ts';

const dateTime = (iso: string) => new Date(iso).toLocaleString('id-ID', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' }) + ' WIB';

/** Helvetica speaks WinAnsi only; anything beyond Latin-1 is shown as '?'. */
const winAnsi = (text: string) => [...text].map((c) => ((c.codePointAt(0) ?? 63) > 0xff && c !== '—' ? '?' : c)).join('');

const words = {
  integrity: { intact: 'Utuh — tidak diubah setelah ditandatangani', modified: 'DIUBAH setelah ditandatangani', unsupported: 'Tidak dapat diperiksa (algoritma belum didukung)' },
  coverage: { whole: 'Mencakup seluruh dokumen', 'signed-later': 'Mencakup versi sebelumnya; tambahan sesudahnya ditandatangani lagi', 'unsigned-additions': 'TIDAK mencakup seluruh dokumen (ada tambahan tanpa tanda tangan)' },
  trust: { trusted: 'Dipercaya (berantai ke CA yang diakui instansi)', untrusted: 'TIDAK dipercaya' },
  revocation: { good: 'Tidak dicabut (OCSP)', revoked: 'DICABUT', unknown: 'Tidak diketahui penerbit', 'not-checked': 'Belum diperiksa (tidak ada data OCSP di dokumen)' },
} as const;

export async function validationReportPdf(report: ValidationReportView): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Laporan pemeriksaan tanda tangan — ${report.fileName}`);
  doc.setProducer('Loket');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([595, 842]);
  let y = 790;
  const line = (text: string, font: PDFFont = regular, size = 10, indent = 0) => {
    // Wrap by width; Helvetica's widths come from the font itself.
    const max = 495 - indent;
    let rest = winAnsi(text);
    while (rest.length > 0) {
      let cut = rest.length;
      while (font.widthOfTextAtSize(rest.slice(0, cut), size) > max) cut = rest.lastIndexOf(' ', cut - 1) > 0 ? rest.lastIndexOf(' ', cut - 1) : cut - 1;
      if (y < 60) {
        page = doc.addPage([595, 842]);
        y = 790;
      }
      page.drawText(rest.slice(0, cut), { x: 50 + indent, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size + 5;
      rest = rest.slice(cut).trimStart();
    }
  };
  line('Laporan Pemeriksaan Tanda Tangan Elektronik', bold, 15);
  y -= 4;
  line(`Berkas: ${report.fileName}`);
  line(`Sidik SHA-256: ${report.documentHash}`, regular, 8);
  line(`Diperiksa: ${dateTime(new Date().toISOString())} dengan Loket`);
  y -= 6;
  line(report.signatures.length === 0 ? 'Kesimpulan: dokumen ini tidak memiliki tanda tangan elektronik.'
    : report.valid ? 'Kesimpulan: SEMUA TANDA TANGAN SAH — dokumen utuh dan penanda tangan dipercaya.'
      : 'Kesimpulan: TANDA TANGAN TIDAK SAH atau tidak dapat dipastikan — lihat rincian di bawah.', bold, 11);
  report.signatures.forEach((s, i) => {
    y -= 10;
    line(`Tanda tangan ${i + 1}${s.fieldName ? ` (${s.fieldName})` : ''}`, bold, 12);
    line(`Penanda tangan: ${s.signer ? `${s.signer.commonName}${s.signer.subjectSerialNumber ? `, NIP/NIK ${s.signer.subjectSerialNumber}` : ''}` : 'tidak diketahui'}`, regular, 10, 12);
    if (s.signer) line(`Penerbit sertifikat: ${s.signer.issuerCommonName}; berlaku ${dateTime(s.signer.validFrom)} s.d. ${dateTime(s.signer.validTo)}`, regular, 10, 12);
    line(`Waktu menurut penanda tangan: ${s.signingTime ? dateTime(s.signingTime) : 'tidak tercantum'}`, regular, 10, 12);
    line(`Stempel waktu: ${s.timestamp ? `${dateTime(s.timestamp.time)} oleh ${s.timestamp.authority ?? 'TSA'} — ${s.timestamp.intact && s.timestamp.trust === 'trusted' ? 'sah' : 'TIDAK sah'}` : 'tidak ada'}`, regular, 10, 12);
    line(`Keutuhan: ${words.integrity[s.integrity]}`, regular, 10, 12);
    line(`Cakupan: ${words.coverage[s.coverage]}`, regular, 10, 12);
    line(`Kepercayaan: ${words.trust[s.trust]}`, regular, 10, 12);
    line(`Status pencabutan: ${words.revocation[s.revocation.status]}${s.revocation.producedAt ? ` per ${dateTime(s.revocation.producedAt)}` : ''}`, regular, 10, 12);
    for (const problem of s.problems) line(`- ${problem}`, regular, 9, 24);
  });
  return doc.save();
}
