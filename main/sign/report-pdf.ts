// The Periksa report as a PDF a person can save, print or attach: the file checked, its hash, the
// verdict, and for every signature who signed, when, whether the signed bytes are intact, what was
// changed or added after signing (by page and object), trust, timestamp and revocation, with the
// problems and warnings found.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ValidationReportView } from '../../common/ipc/sign.ts';
import { formatMoment, type OfficeTimeZone } from '../../common/dates.ts';
import { winAnsiShown } from '../documents/letter-places.ts';

const words = {
  integrity: { intact: 'Utuh — tidak diubah setelah ditandatangani', modified: 'DIUBAH setelah ditandatangani', unsupported: 'Tidak dapat diperiksa (algoritma belum didukung)' },
  coverage: {
    whole: 'Mencakup seluruh dokumen', 'allowed-additions': 'Mencakup seluruh dokumen saat ditandatangani; sesudahnya hanya ditambahkan',
    changed: 'DOKUMEN DIUBAH setelah ditandatangani', unknown: 'Tidak dapat dipastikan (berkas rusak)',
  },
  additions: { 'validation-data': 'data validasi jangka panjang', signature: 'tanda tangan berikutnya', 'document-timestamp': 'stempel waktu dokumen', 'signature-field': 'kolom tanda tangan kosong' },
  verdict: {
    valid: 'SAH', warning: 'SAH, dengan catatan', indeterminate: 'TIDAK DAPAT DIPASTIKAN', invalid: 'TIDAK SAH',
  },
  trust: { trusted: 'Dipercaya (berantai ke CA yang diakui instansi)', untrusted: 'TIDAK dipercaya' },
  revocation: { good: 'Tidak dicabut (OCSP)', revoked: 'DICABUT', unknown: 'Tidak diketahui penerbit', 'not-checked': 'Belum diperiksa (tidak ada data OCSP di dokumen)' },
} as const;

export async function validationReportPdf(report: ValidationReportView, zone: OfficeTimeZone, now: Date = new Date()): Promise<Uint8Array> {
  const dateTime = (iso: string) => formatMoment(iso, zone, 'id', 'long');
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
    // Helvetica speaks WinAnsi only: what it lacks (a control character, Arabic, an emoji) is shown as '?'.
    let rest = winAnsiShown(text);
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
  line(`Diperiksa: ${dateTime(now.toISOString())} dengan Loket`);
  y -= 6;
  const conclusion: Record<ValidationReportView['verdict'], string> = {
    valid: 'Kesimpulan: SEMUA TANDA TANGAN SAH — dokumen utuh sejak ditandatangani dan penanda tangan dipercaya.',
    warning: 'Kesimpulan: tanda tangan sah, DENGAN CATATAN — lihat catatan di bawah.',
    indeterminate: 'Kesimpulan: keabsahan tanda tangan TIDAK DAPAT DIPASTIKAN — lihat rincian di bawah.',
    invalid: 'Kesimpulan: TANDA TANGAN TIDAK SAH — lihat rincian di bawah.',
    unsigned: 'Kesimpulan: dokumen ini tidak memiliki tanda tangan elektronik.',
    unreadable: 'Kesimpulan: berkas ini tidak dapat diperiksa.',
  };
  line(conclusion[report.verdict], bold, 11);
  if (report.document.problem) line(report.document.problem, regular, 10);
  for (const warning of report.warnings) line(`Catatan: ${warning}`, regular, 9);
  report.signatures.forEach((s, i) => {
    y -= 10;
    const title = s.kind === 'document-timestamp' ? 'Stempel waktu dokumen' : 'Tanda tangan';
    line(`${title} ${i + 1}${s.fieldName ? ` (${s.fieldName})` : ''}: ${words.verdict[s.verdict]}`, bold, 12);
    line(`${s.kind === 'document-timestamp' ? 'Penyedia stempel waktu' : 'Penanda tangan'}: ${s.signer ? `${s.signer.commonName}${s.signer.subjectSerialNumber ? `, NIP/NIK ${s.signer.subjectSerialNumber}` : ''}` : 'tidak diketahui'}`, regular, 10, 12);
    if (s.signer) line(`Penerbit sertifikat: ${s.signer.issuerCommonName}; berlaku ${dateTime(s.signer.validFrom)} s.d. ${dateTime(s.signer.validTo)}`, regular, 10, 12);
    line(`Waktu menurut penanda tangan: ${s.signingTime ? dateTime(s.signingTime) : 'tidak tercantum'}`, regular, 10, 12);
    if (s.kind === 'signature') line(`Stempel waktu: ${s.timestamp ? `${s.timestamp.time ? dateTime(s.timestamp.time) : 'waktu tidak terbaca'} oleh ${s.timestamp.authority ?? 'TSA'} — ${s.timestamp.intact && s.timestamp.trust === 'trusted' ? 'sah' : 'TIDAK sah'}` : 'tidak ada'}`, regular, 10, 12);
    line(`Keutuhan: ${words.integrity[s.integrity]}`, regular, 10, 12);
    line(`Cakupan: ${words.coverage[s.coverage]}${s.coverage === 'allowed-additions' ? `: ${s.additions.map((a) => words.additions[a]).join(', ')}` : ''}`, regular, 10, 12);
    for (const change of s.changes) line(`- Diubah: ${change.description}`, regular, 9, 24);
    for (const change of s.permittedChanges) line(`- Diubah (diizinkan sertifikasi): ${change.description}`, regular, 9, 24);
    line(`Kepercayaan: ${words.trust[s.trust]}`, regular, 10, 12);
    line(`Status pencabutan: ${words.revocation[s.revocation.status]}${s.revocation.producedAt ? ` per ${dateTime(s.revocation.producedAt)}` : ''}`, regular, 10, 12);
    for (const problem of s.problems) line(`- ${problem}`, regular, 9, 24);
    for (const warning of s.warnings) line(`- Catatan: ${warning}`, regular, 9, 24);
  });
  return doc.save();
}
