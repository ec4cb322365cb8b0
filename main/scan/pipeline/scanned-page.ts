// A page as the device worker keeps it (a page file: SANE parameters and the scanner's bytes)
// turned into the pipeline's RawPage, in the pipeline's thread: SANE rows may be padded beyond
// the pixels, and 16-bit samples come in host byte order.
import { AppError } from '../../../common/errors.ts';
import { readPageFile, type PageFileHeader } from '../../devices/scanner/spool.ts';
import type { RawPage } from './types.ts';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The page kept at `path` (see page-files.ts); a missing or damaged file is refused. */
export async function rawPageFromFile(path: string): Promise<RawPage> {
  const page = await readPageFile(path);
  if (page === undefined) throw new AppError('VALIDATION', 'Berkas halaman hasil pindai hilang atau rusak. Pindai halaman ini lagi.', { path });
  return rawPageFromScan(page.header.params, page.data, page.header.dpi);
}

/** `dpi` is the resolution the scanner reported back for the scan (the effective value). */
function rawPageFromScan(params: PageFileHeader['params'], scanned: Uint8Array, dpi: number): RawPage {
  const { format, depth, pixelsPerLine: width, bytesPerLine } = params;
  const channels = format === 'GRAY' ? 1 : format === 'RGB' ? 3 : 0;
  if (channels === 0 || (depth !== 1 && depth !== 8 && depth !== 16) || (depth === 1 && channels !== 1)) {
    throw new AppError('VALIDATION', 'Format gambar dari pemindai ini belum didukung. Pilih mode Gray atau Color, 8 bit.', { format, depth });
  }
  const height = Math.floor(scanned.length / bytesPerLine);
  const rowBytes = depth === 1 ? Math.ceil(width / 8) : width * channels * (depth / 8);
  const outRow = depth === 1 ? rowBytes : width * channels;
  // The usual case takes the file's bytes as they are.
  if (depth !== 16 && rowBytes === bytesPerLine) {
    return { width, height, channels: channels as 1 | 3, depth: depth === 1 ? 1 : 8, dpi, data: scanned.subarray(0, rowBytes * height) };
  }
  const data = new Uint8Array(outRow * height);
  for (let y = 0; y < height; y++) {
    const row = scanned.subarray(y * bytesPerLine, y * bytesPerLine + rowBytes);
    if (depth !== 16) data.set(row, y * outRow);
    // The high byte of each 16-bit sample: 8 bits are all the pipeline keeps.
    else for (let i = 0; i < outRow; i++) data[y * outRow + i] = row[2 * i + (littleEndianHost ? 1 : 0)]!;
  }
  return { width, height, channels: channels as 1 | 3, depth: depth === 1 ? 1 : 8, dpi, data };
}
