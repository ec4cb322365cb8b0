// A page as the device worker kept it (a page file: what the bytes are, then the scanner's bytes)
// turned into the pipeline's RawPage, in the pipeline's thread: rows may be padded beyond the
// pixels, 16-bit samples come in the byte order the file names, and a JPEG is decoded.
import { AppError } from '../../../common/errors.ts';
import { readPageFile } from '../../devices/scanner/spool.ts';
import type { RasterImage } from '../../devices/scanner/types.ts';
import { decodeJpeg } from './jpeg.ts';
import type { RawPage } from './types.ts';

function damaged(path: string): AppError {
  return new AppError('VALIDATION', 'Berkas halaman hasil pindai hilang atau rusak. Pindai halaman ini lagi.', { path });
}

/** The page kept at `path` (see spool.ts); a missing or damaged file is refused. */
export async function rawPageFromFile(path: string): Promise<RawPage> {
  const page = await readPageFile(path);
  if (page === undefined) throw damaged(path);
  if (page.format.kind === 'jpeg') {
    const raster = await decodeJpeg(page.data).catch(() => {
      throw damaged(path);
    });
    return { ...raster, depth: 8, dpi: page.format.dpi };
  }
  return rawPageFromRaster({ ...page.format, data: page.data }, path);
}

function rawPageFromRaster(image: RasterImage, path: string): RawPage {
  const { depth, channels, width, height, bytesPerLine, dpi, littleEndian } = image;
  if ((channels !== 1 && channels !== 3) || (depth !== 1 && depth !== 8 && depth !== 16) || (depth === 1 && channels !== 1)) {
    throw new AppError('VALIDATION', 'Format gambar dari pemindai ini belum didukung. Pilih mode berwarna atau abu-abu lalu pindai lagi.', { channels, depth });
  }
  const rowBytes = depth === 1 ? Math.ceil(width / 8) : width * channels * (depth / 8);
  if (!(bytesPerLine >= rowBytes) || image.data.length < bytesPerLine * height) throw damaged(path);
  const outRow = depth === 1 ? rowBytes : width * channels;
  // The usual case takes the file's bytes as they are.
  if (depth !== 16 && rowBytes === bytesPerLine) {
    return { width, height, channels, depth, dpi, data: image.data.subarray(0, rowBytes * height) };
  }
  const data = new Uint8Array(outRow * height);
  for (let y = 0; y < height; y++) {
    const row = image.data.subarray(y * bytesPerLine, y * bytesPerLine + rowBytes);
    if (depth !== 16) data.set(row, y * outRow);
    // The high byte of each 16-bit sample: 8 bits are all the pipeline keeps.
    else for (let i = 0; i < outRow; i++) data[y * outRow + i] = row[2 * i + (littleEndian ? 1 : 0)]!;
  }
  return { width, height, channels, depth: depth === 1 ? 1 : 8, dpi, data };
}
