// Drafts as a drafter fills them in, one per shipped template: the template's body with its
// placeholders filled, addressees, tembusan and a signer, so a rendered letter looks like one an
// office sends.
import type { Block, DraftContent, Template } from '../../common/ipc/drafting.ts';
import { newDraft } from '../../main/letters/drafting/render.ts';

const filled: Record<string, string> = {
  hal_rujukan: 'Surat Wali Kota Dumai Nomor 000.1.2/45/Setda/2026 tanggal 3 Februari 2026 perihal percepatan penerapan persuratan elektronik',
  maksud_surat: 'permohonan data jumlah pegawai yang telah memiliki sertifikat elektronik untuk keperluan tanda tangan elektronik',
  uraian_pertama: 'Sampai dengan akhir Februari 2026 sebanyak 42 (empat puluh dua) pejabat telah memiliki sertifikat elektronik dari BSrE.',
  uraian_kedua: 'Sebanyak 7 (tujuh) pejabat masih menunggu verifikasi identitas dan dijadwalkan selesai pada minggu kedua Maret 2026.',
  nama_kegiatan: 'sosialisasi penerapan tanda tangan elektronik di lingkungan Pemerintah Kota Dumai',
  hari_tanggal: 'Selasa, 10 Maret 2026', pukul: '09.00', tempat_acara: 'Ruang Rapat Lantai 2 Kantor Wali Kota Dumai', acara: 'Sosialisasi TTE',
  latar_belakang: 'penerapan Sistem Pemerintahan Berbasis Elektronik menuntut naskah dinas ditandatangani secara elektronik.',
  maksud_tujuan: 'memberikan pedoman penggunaan tanda tangan elektronik bagi Perangkat Daerah.',
  ruang_lingkup: 'seluruh naskah dinas keluar Perangkat Daerah.', dasar_hukum: 'Peraturan Menteri Dalam Negeri Nomor 1 Tahun 2023 tentang Tata Naskah Dinas di Lingkungan Pemerintah Daerah.',
  isi_edaran: 'setiap naskah dinas keluar ditandatangani secara elektronik oleh pejabat yang berwenang melalui aplikasi persuratan.',
  dasar_penugasan: 'Surat Kepala Badan Siber dan Sandi Negara Nomor 12/BSSN/2026 perihal Bimbingan Teknis TTE',
  nama_pegawai: 'Rina Marlina, S.Kom. / NIP. 19880512 201101 2 003', pangkat: 'Penata (III/c)', jabatan: 'Pranata Komputer Ahli Muda',
  tugas: 'mengikuti Bimbingan Teknis Tanda Tangan Elektronik', waktu_tugas: 'tanggal 16 s.d. 18 Maret 2026', tempat_tugas: 'Pekanbaru',
  dasar_perintah: 'Keputusan Wali Kota Dumai Nomor 100.3.3.2/12/2026 tentang Tim Pengelola Persuratan Elektronik',
  isi_perintah: 'melaksanakan pendataan pejabat penanda tangan di setiap Perangkat Daerah',
  nama: 'Rina Marlina, S.Kom.', nip: '19880512 201101 2 003',
  keterangan: 'Nama tersebut di atas benar pegawai pada Dinas Komunikasi dan Informatika Kota Dumai dan aktif bekerja sampai saat ini.',
  naskah_dikirim: 'Laporan Penerapan Tanda Tangan Elektronik Triwulan I Tahun 2026', banyaknya: '2 (dua) eksemplar',
  persoalan: 'belum semua pejabat penanda tangan memiliki sertifikat elektronik.',
  praanggapan: 'seluruh naskah dinas keluar akan ditandatangani secara elektronik mulai Juli 2026.',
  fakta: 'dari 49 pejabat penanda tangan, 42 telah memiliki sertifikat elektronik.',
  analisis: 'pendaftaran 7 pejabat sisanya dapat diselesaikan dalam dua minggu bila verifikasi dilakukan di kantor.',
  simpulan: 'target Juli 2026 dapat dicapai.', saran: 'mengundang petugas verifikasi BSrE ke Kantor Wali Kota pada Maret 2026.',
};

function fill(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => filled[name] ?? whole);
}

function filledBody(body: readonly Block[]): Block[] {
  return body.map((block): Block => {
    if (block.kind === 'paragraph') return { ...block, runs: block.runs.map((r) => ({ ...r, text: fill(r.text) })) };
    if (block.kind === 'list') return { ...block, items: block.items.map((item) => item.map((r) => ({ ...r, text: fill(r.text) }))) };
    return { ...block, rows: block.rows.map((row) => row.map((cell) => cell.map((r) => ({ ...r, text: fill(r.text) })))) };
  });
}

/** A filled-in draft of the template, as a drafter would send it for paraf. */
export function sampleDraft(template: Template): DraftContent {
  const draft = newDraft(template);
  return {
    ...draft,
    sifat: 'Biasa',
    lampiran: template.type === 'surat_undangan' ? '1 (satu) berkas' : '',
    hal: template.type === 'surat_undangan' ? 'Undangan Sosialisasi Tanda Tangan Elektronik' : 'Penerapan Tanda Tangan Elektronik',
    addressees: template.layout === 'nota' ? ['Kepala Dinas Komunikasi dan Informatika'] : ['Kepala Perangkat Daerah se-Kota Dumai'],
    from: 'Sekretaris Dinas Komunikasi dan Informatika',
    tembusan: ['Wali Kota Dumai (sebagai laporan)', 'Sekretaris Daerah Kota Dumai'],
    body: filledBody(template.body),
    signer: {
      position: template.layout === 'nota' ? 'Sekretaris' : 'Kepala Dinas Komunikasi dan Informatika Kota Dumai',
      name: 'Drs. H. Ahmad Fauzi, M.Si.', rank: 'Pembina Utama Muda (IV/c)', nip: '19700817 199503 1 002',
    },
  };
}

/** A draft long enough to run over several pages: the same paragraphs repeated, a long table. */
export function longDraft(template: Template): DraftContent {
  const draft = sampleDraft(template);
  const paragraph: Block = { kind: 'paragraph', runs: [
    { text: 'Penerapan tanda tangan elektronik ' }, { text: 'wajib', bold: true },
    { text: ' dilaksanakan oleh setiap Perangkat Daerah sesuai ketentuan peraturan perundang-undangan, dengan memperhatikan ' },
    { text: 'keamanan informasi', italic: true }, { text: ' dan ketersediaan layanan bagi masyarakat di seluruh wilayah Kota Dumai.' },
  ] };
  const table: Block = { kind: 'table', header: true, rows: [
    [[{ text: 'No.' }], [{ text: 'Perangkat Daerah' }], [{ text: 'Jumlah Pejabat' }]],
    ...Array.from({ length: 30 }, (_, i) => [[{ text: `${i + 1}.` }], [{ text: `Perangkat Daerah contoh nomor ${i + 1}` }], [{ text: String((i * 7) % 13 + 1) }]]),
  ] };
  return { ...draft, body: [...draft.body, ...Array.from({ length: 12 }, () => paragraph), table, paragraph] };
}
