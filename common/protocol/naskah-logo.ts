// The checks a letterhead logo passes before an office's desks print it on every letter (the server's
// on save, the desk's before it uploads): a PNG or JPEG that is whole (a PNG's chunks and checksums
// hold and its image data inflates to exactly the rows its header promises; a JPEG's segments chain
// from SOI to EOI around a frame header and a scan), within the size and pixel limits. A file that
// only starts like an image, or whose header lies about its size, is refused here rather than by a
// desk's renderer half-way through a letter.
import { inflateSync } from 'node:zlib';
import { ImageStructureError, isJpeg, isPng, isStartOfFrame, jpegFrameSize, jpegSegments, type PngHeader, pngChunks, pngHeader } from '../image-structure.ts';
import { logoLimits } from './naskah.ts';

export interface LogoImage { type: 'png' | 'jpeg'; width: number; height: number }

/** Why a logo is refused, in words the admin kantor understands. */
export class LogoRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogoRefused';
  }
}

/** Samples per pixel of each PNG colour type, and the bit depths it allows. */
const pngColourTypes: Record<number, { samples: number; depths: number[] }> = {
  0: { samples: 1, depths: [1, 2, 4, 8, 16] }, 2: { samples: 3, depths: [8, 16] }, 3: { samples: 1, depths: [1, 2, 4, 8] },
  4: { samples: 2, depths: [8, 16] }, 6: { samples: 4, depths: [8, 16] },
};
const damaged = 'Berkas logo rusak atau bukan gambar yang utuh. Simpan ulang logonya sebagai PNG atau JPEG lalu unggah lagi.';

function checkSides(width: number, height: number): void {
  if (width < logoLimits.minSide || height < logoLimits.minSide) throw new LogoRefused(`Logo terlalu kecil (${width} × ${height} piksel). Pakai logo paling sedikit ${logoLimits.minSide} piksel tiap sisi.`);
  if (width > logoLimits.maxSide || height > logoLimits.maxSide) throw new LogoRefused(`Logo terlalu besar (${width} × ${height} piksel). Perkecil logonya menjadi paling banyak ${logoLimits.maxSide} piksel tiap sisi.`);
}

/** Runs a check, turning a broken PNG or JPEG structure into the admin's "damaged" refusal. */
function walked<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ImageStructureError) throw new LogoRefused(damaged);
    throw err;
  }
}

function checkPng(bytes: Buffer): LogoImage {
  let header: PngHeader | undefined;
  const data: Uint8Array[] = [];
  for (const chunk of pngChunks(bytes)) {
    if (header === undefined && chunk.type !== 'IHDR') throw new LogoRefused(damaged);
    if (chunk.type === 'IHDR') {
      const read = pngHeader(chunk);
      if (header !== undefined || read === null) throw new LogoRefused(damaged);
      header = read;
      const colour = pngColourTypes[header.colourType];
      if (!colour || !colour.depths.includes(header.bitDepth) || header.compression !== 0 || header.filter !== 0 || header.interlace > 1) throw new LogoRefused(damaged);
      // Before inflating anything: a header claiming a huge image is refused on its word.
      checkSides(header.width, header.height);
    } else if (chunk.type === 'IDAT') {
      data.push(chunk.body);
    }
  }
  if (header === undefined || data.length === 0) throw new LogoRefused(damaged);
  const { width, height, bitDepth } = header;
  const { samples } = pngColourTypes[header.colourType]!;
  const rowBytes = (w: number) => (w === 0 ? 0 : 1 + Math.ceil((w * samples * bitDepth) / 8));
  // Adam7 passes: each a sub-image with its own rows; non-interlaced is one pass of the whole image.
  const passes = header.interlace === 0 ? [[0, 0, 1, 1]] : [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  const expected = passes.reduce((sum, [x0, y0, dx, dy]) => {
    const w = Math.ceil((width - x0!) / dx!);
    const h = Math.ceil((height - y0!) / dy!);
    return sum + (w > 0 && h > 0 ? h * rowBytes(w) : 0);
  }, 0);
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1 });
  } catch {
    throw new LogoRefused(damaged);
  }
  if (pixels.length !== expected) throw new LogoRefused(damaged);
  return { type: 'png', width, height };
}

function checkJpeg(bytes: Buffer): LogoImage {
  let frame: { width: number; height: number } | undefined;
  let scanned = false;
  for (const segment of jpegSegments(bytes)) {
    if (isStartOfFrame(segment.marker)) {
      const size = jpegFrameSize(segment);
      if (size === null) throw new LogoRefused(damaged);
      frame = size;
      checkSides(frame.width, frame.height);
    }
    if (segment.marker === 0xda) {
      if (frame === undefined) throw new LogoRefused(damaged);
      scanned = true;
    }
  }
  if (frame === undefined || !scanned) throw new LogoRefused(damaged);
  return { type: 'jpeg', ...frame };
}

/** The logo's kind and size in pixels, or LogoRefused with the reason. */
export function checkLogo(bytes: Buffer): LogoImage {
  if (bytes.length > logoLimits.maxBytes) throw new LogoRefused(`Berkas logo terlalu besar (${(bytes.length / 1_000_000).toFixed(1)} MB). Pakai logo paling besar 1 MB.`);
  if (isPng(bytes)) return walked(() => checkPng(bytes));
  if (isJpeg(bytes)) return walked(() => checkJpeg(bytes));
  throw new LogoRefused('Logo kop surat harus berupa gambar PNG atau JPEG. Pilih berkas logo lain.');
}
