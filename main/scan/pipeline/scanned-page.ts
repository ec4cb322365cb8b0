// A page as the scanner service delivers it (`scanner.page` events) turned into the pipeline's
// RawPage: SANE rows may be padded beyond the pixels, and 16-bit samples come in host byte order.
import type { ScannedPageMessage } from '../../devices/scanner/service.ts';
import { AppError } from '../../ipc/errors.ts';
import type { RawPage } from './types.ts';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `dpi` is the resolution the scanner reported back for the scan (the effective value). */
export function rawPageFromScan(page: ScannedPageMessage, dpi: number): RawPage {
  const { format, depth, pixelsPerLine: width, bytesPerLine } = page.params;
  const channels = format === 'GRAY' ? 1 : format === 'RGB' ? 3 : 0;
  if (channels === 0 || (depth !== 1 && depth !== 8 && depth !== 16) || (depth === 1 && channels !== 1)) {
    throw new AppError('VALIDATION', 'Format gambar dari pemindai ini belum didukung. Pilih mode Gray atau Color, 8 bit.', { format, depth });
  }
  const height = Math.floor(page.data.length / bytesPerLine);
  const rowBytes = depth === 1 ? Math.ceil(width / 8) : width * channels * (depth / 8);
  const outRow = depth === 1 ? rowBytes : width * channels;
  // The usual case takes the scanner's buffer as it is: no copy on the main thread.
  if (depth !== 16 && rowBytes === bytesPerLine) {
    return { width, height, channels: channels as 1 | 3, depth: depth === 1 ? 1 : 8, dpi, data: page.data.subarray(0, rowBytes * height) };
  }
  const data = new Uint8Array(outRow * height);
  for (let y = 0; y < height; y++) {
    const row = page.data.subarray(y * bytesPerLine, y * bytesPerLine + rowBytes);
    if (depth !== 16) data.set(row, y * outRow);
    // The high byte of each 16-bit sample: 8 bits are all the pipeline keeps.
    else for (let i = 0; i < outRow; i++) data[y * outRow + i] = row[2 * i + (littleEndianHost ? 1 : 0)]!;
  }
  return { width, height, channels: channels as 1 | 3, depth: depth === 1 ? 1 : 8, dpi, data };
}
