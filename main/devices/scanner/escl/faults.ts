// What an eSCL scanner says went wrong, as the desk's scanner faults: its ADF state (jam, open
// hatch, empty feeder) and scanner state from ScannerStatus, and a network that stopped carrying
// its replies. The messages speak of a network scanner (no cable to check) and, mid-batch, say
// which pages were already scanned, like SANE's.
import { AppError } from '../../../../common/errors.ts';
import { scannerFault } from '../faults.ts';
import type { ScannerFault } from '../types.ts';
import type { EsclNetworkError } from './http.ts';
import type { EsclStatus } from './protocol.ts';

const adfFaults: Record<string, ScannerFault> = {
  ScannerAdfJam: 'SCANNER_JAMMED',
  ScannerAdfMispick: 'SCANNER_JAMMED',
  ScannerAdfMultipickDetected: 'SCANNER_JAMMED',
  ScannerAdfDoorOpen: 'SCANNER_COVER_OPEN',
  ScannerAdfHatchOpen: 'SCANNER_COVER_OPEN',
  ScannerAdfEmpty: 'SCANNER_NO_DOCS',
  ScannerAdfInputTrayFailed: 'SCANNER_FAILED',
  ScannerAdfOutputTrayFull: 'SCANNER_FAILED',
};

/** The fault ScannerStatus tells of for a scan from the feeder or the glass; undefined when it tells of none. */
export function statusFault(status: EsclStatus, feeder: boolean): ScannerFault | undefined {
  if (feeder && status.adfState !== null) {
    const fault = adfFaults[status.adfState];
    if (fault !== undefined) return fault;
  }
  if (status.state === 'Down') return 'SCANNER_FAILED';
  return undefined;
}

/** Whether ScannerStatus says the job ended in failure (aborted by the device). */
export function jobAborted(status: EsclStatus, jobPath: string): boolean {
  return status.jobs.some((job) => (job.uri === jobPath || jobPath.endsWith(`/${job.uri}`) || job.uri.endsWith(jobPath)) && job.state === 'Aborted');
}

const unreachableMessage = (address: string) =>
  `Pemindai jaringan di ${address} tidak menjawab. Pastikan pemindai menyala dan tersambung ke jaringan yang sama, lalu cari pemindai lagi.`;
const lostMessage = 'Sambungan ke pemindai jaringan terputus saat bekerja. Halaman yang sudah terpindai tetap tersimpan; periksa jaringan dan daya pemindai, lalu coba lagi.';
const tlsMessage = 'Sambungan aman (HTTPS) ke pemindai jaringan gagal dibuat. Periksa alamat pemindai (http atau https) lalu coba lagi.';

/**
 * The clerk's AppError when a network request to the scanner failed: while it was being looked
 * up (`pagesCompleted` null) it is not found; mid-scan the connection was lost.
 */
export function networkFault(err: EsclNetworkError, where: { device: string; address: string }, pagesCompleted: number | null): AppError {
  const details = { device: where.device, network: err.kind };
  if (err.kind === 'certificate-changed') {
    return new AppError('SCANNER_CERTIFICATE_CHANGED', undefined, { ...details, presented: err.presented, pagesCompleted: pagesCompleted ?? 0 }, { cause: err });
  }
  if (err.kind === 'aborted') return scannerFault('SCANNER_CANCELLED', pagesCompleted ?? 0, details, { cause: err });
  if (err.kind === 'too-large') return scannerFault('SCANNER_FAILED', pagesCompleted ?? 0, details, { cause: err });
  if (err.kind === 'tls') return scannerFault('SCANNER_IO', pagesCompleted ?? 0, details, { message: tlsMessage, cause: err });
  if (pagesCompleted === null) return new AppError('SCANNER_NOT_FOUND', unreachableMessage(where.address), details, { cause: err });
  return scannerFault('SCANNER_IO', pagesCompleted, details, { message: lostMessage, cause: err });
}
