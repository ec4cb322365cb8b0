// Writes the scan resolution into encoded images. Our canvas encoder (@napi-rs/canvas 1.0, the
// newest release the npm registry carries for every platform) leaves it out, and without it
// Tesseract and PDF import would guess the page size from a default of 72 or 96 dpi.
import { crc32 } from 'node:zlib';

const pngSignatureAndIhdr = 8 + 8 + 13 + 4;

/** A copy of `png` with a pHYs chunk (pixels per metre) right after IHDR. */
export function pngWithDensity(png: Uint8Array, dpi: number): Buffer {
  const body = Buffer.alloc(4 + 9);
  body.write('pHYs', 0, 'latin1');
  const perMetre = Math.round(dpi / 0.0254);
  body.writeUInt32BE(perMetre, 4);
  body.writeUInt32BE(perMetre, 8);
  body.writeUInt8(1, 12);
  const chunk = Buffer.alloc(4 + body.length + 4);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 4 + body.length);
  return Buffer.concat([png.subarray(0, pngSignatureAndIhdr), chunk, png.subarray(pngSignatureAndIhdr)]);
}

/** A copy of `jpeg` whose JFIF header says `dpi` dots per inch (a JFIF APP0 is added if absent). */
export function jpegWithDensity(jpeg: Uint8Array, dpi: number): Buffer {
  const hasJfif = jpeg[2] === 0xff && jpeg[3] === 0xe0 && Buffer.from(jpeg.subarray(6, 11)).toString('latin1') === 'JFIF\0';
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  const out = hasJfif ? Buffer.from(jpeg) : Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
  out.writeUInt8(1, 13); // units: dots per inch
  out.writeUInt16BE(dpi, 14);
  out.writeUInt16BE(dpi, 16);
  return out;
}
