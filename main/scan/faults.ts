// What a clerk reads when a scan ends early: what happened, which pages are safe, what to do next
// ("Kertas macet — halaman 1–3 sudah tersimpan. …"). The pages counted are those of this scan that
// reached the desk; every one of them stays in the session.
import type { ErrorCode } from '../../common/ipc/index.ts';
import type { ScanFault } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';

const told: Partial<Record<ErrorCode, { what: string; next: string }>> = {
  SCANNER_JAMMED: { what: 'Kertas macet', next: 'Rapikan kertas, letakkan lagi lembar berikutnya, lalu pindai untuk melanjutkan.' },
  SCANNER_COVER_OPEN: { what: 'Penutup pemindai terbuka', next: 'Tutup penutupnya lalu pindai untuk melanjutkan.' },
  DEVICE_WORKER_CRASHED: { what: 'Proses pemindai berhenti mendadak', next: 'Proses itu sedang dijalankan ulang; tunggu sebentar lalu pindai untuk melanjutkan.' },
  SCANNER_IO: { what: 'Sambungan ke pemindai terputus', next: 'Periksa kabel atau jaringan dan daya pemindai, lalu pindai untuk melanjutkan.' },
  SCANNER_CERTIFICATE_CHANGED: { what: 'Sertifikat pemindai jaringan berubah', next: 'Minta admin mencocokkan sidik jarinya lalu mempercayainya di Pindai.' },
  SCANNER_NOT_FOUND: { what: 'Pemindai tidak ditemukan (mungkin dicabut atau dimatikan)', next: 'Sambungkan lagi pemindai, pilih pemindainya, lalu pindai untuk melanjutkan.' },
  DEVICE_TIMEOUT: { what: 'Pemindai berhenti menjawab (mungkin dicabut atau dimatikan)', next: 'Periksa pemindai, lalu pindai untuk melanjutkan.' },
  SCANNER_FAILED: { what: 'Pemindai mengalami gangguan', next: 'Matikan lalu nyalakan lagi pemindai, kemudian pindai untuk melanjutkan.' },
  SCANNER_CANCELLED: { what: 'Pemindaian dibatalkan', next: '' },
  SCANNER_NO_DOCS: { what: 'Tidak ada kertas di pengumpan (ADF)', next: 'Letakkan kertas di pengumpan lalu pindai lagi.' },
  SCAN_PIPELINE_FAILED: { what: 'Halaman tidak dapat diolah', next: 'Coba pindai lagi; laporkan ke admin bila berulang.' },
};

function keptPhrase(pages: number): string {
  if (pages === 0) return 'belum ada halaman yang terpindai';
  return pages === 1 ? 'halaman 1 sudah tersimpan' : `halaman 1–${pages} sudah tersimpan`;
}

export function scanFault(err: unknown, pagesKept: number): ScanFault {
  const known = err instanceof AppError ? err : new AppError('INTERNAL', undefined, undefined, { cause: err });
  const text = told[known.code];
  const message = text === undefined ? `${known.message} (${keptPhrase(pagesKept)})` : `${text.what} — ${keptPhrase(pagesKept)}.${text.next === '' ? '' : ` ${text.next}`}`;
  return { code: known.code, message, pagesKept };
}
