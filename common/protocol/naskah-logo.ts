// The checks a letterhead logo passes before an office's desks print it on every letter (the server's
// on save, the desk's before it uploads): a PNG or JPEG that is whole (a PNG's chunks and checksums
// hold and its image data inflates to exactly the rows its header promises; a JPEG's segments chain
// from SOI to EOI around a frame header and a scan), within the size and pixel limits. A file that
// only starts like an image, or whose header lies about its size, is refused here rather than by a
// desk's renderer half-way through a letter.
import { crc32, inflateSync } from 'node:zlib';
import { logoLimits } from './naskah.ts';

export interface LogoImage { type: 'png' | 'jpeg'; width: number; height: number }

/** Why a logo is refused, in words the admin kantor understands. */
export class LogoRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogoRefused';
  }
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
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

function checkPng(bytes: Buffer): LogoImage {
  let at = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (!ended) {
    if (at + 12 > bytes.length) throw new LogoRefused(damaged);
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (length > bytes.length - at - 12) throw new LogoRefused(damaged);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) throw new LogoRefused(damaged);
    if (header === undefined && type !== 'IHDR') throw new LogoRefused(damaged);
    if (type === 'IHDR') {
      if (header !== undefined || length !== 13) throw new LogoRefused(damaged);
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8]!, colour: body[9]!, interlace: body[12]! };
      const colour = pngColourTypes[header.colour];
      if (!colour || !colour.depths.includes(header.depth) || body[10] !== 0 || body[11] !== 0 || header.interlace > 1) throw new LogoRefused(damaged);
      // Before inflating anything: a header claiming a huge image is refused on its word.
      checkSides(header.width, header.height);
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      ended = true;
    }
    at += 12 + length;
  }
  if (header === undefined || data.length === 0) throw new LogoRefused(damaged);
  const { samples } = pngColourTypes[header.colour]!;
  const rowBytes = (w: number) => (w === 0 ? 0 : 1 + Math.ceil((w * samples * header.depth) / 8));
  // Adam7 passes: each a sub-image with its own rows; non-interlaced is one pass of the whole image.
  const passes = header.interlace === 0 ? [[0, 0, 1, 1]] : [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  const expected = passes.reduce((sum, [x0, y0, dx, dy]) => {
    const w = Math.ceil((header.width - x0!) / dx!);
    const h = Math.ceil((header.height - y0!) / dy!);
    return sum + (w > 0 && h > 0 ? h * rowBytes(w) : 0);
  }, 0);
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1 });
  } catch {
    throw new LogoRefused(damaged);
  }
  if (pixels.length !== expected) throw new LogoRefused(damaged);
  return { type: 'png', width: header.width, height: header.height };
}

/** Start-of-frame markers (baseline, progressive, lossless …), not DHT (C4), JPG (C8) or DAC (CC). */
const startOfFrame = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function checkJpeg(bytes: Buffer): LogoImage {
  let at = 2;
  let frame: { width: number; height: number } | undefined;
  let scanned = false;
  for (;;) {
    if (at + 2 > bytes.length) throw new LogoRefused(damaged);
    if (bytes[at] !== 0xff) throw new LogoRefused(damaged);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) { at++; continue; }
    if (marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
    if (at + 4 > bytes.length) throw new LogoRefused(damaged);
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) throw new LogoRefused(damaged);
    if (startOfFrame.has(marker)) {
      if (length < 8) throw new LogoRefused(damaged);
      frame = { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
      checkSides(frame.width, frame.height);
    }
    at += 2 + length;
    if (marker === 0xda) {
      if (frame === undefined) throw new LogoRefused(damaged);
      scanned = true;
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (at + 1 < bytes.length && !(bytes[at] === 0xff && bytes[at + 1] !== 0x00 && !(bytes[at + 1]! >= 0xd0 && bytes[at + 1]! <= 0xd7))) at++;
    }
  }
  if (frame === undefined || !scanned) throw new LogoRefused(damaged);
  return { type: 'jpeg', ...frame };
}

/** The logo's kind and size in pixels, or LogoRefused with the reason. */
export function checkLogo(bytes: Buffer): LogoImage {
  if (bytes.length > logoLimits.maxBytes) throw new LogoRefused(`Berkas logo terlalu besar (${(bytes.length / 1_000_000).toFixed(1)} MB). Pakai logo paling besar 1 MB.`);
  if (bytes.subarray(0, 8).equals(pngSignature)) return checkPng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return checkJpeg(bytes);
  throw new LogoRefused('Logo kop surat harus berupa gambar PNG atau JPEG. Pilih berkas logo lain.');
}
