// Letterhead logos for tests, made by poppler's pdftoppm (an encoder this project did not write) from a
// small drawn page, and crafted ones an attacker or a broken export would send: an image whose header
// lies about its size, one cut short, one that only starts like a PNG.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { PDFDocument, rgb } from 'pdf-lib';

/** A logo of `width` × `height` points drawn in `colour`, as pdftoppm encodes it at 72 dpi (one pixel a point). */
export async function drawnLogo(format: 'png' | 'jpeg', colour: [number, number, number], width = 120, height = width): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([width, height]);
  const side = Math.min(width, height);
  page.drawRectangle({ x: 0, y: 0, width, height, color: rgb(...colour) });
  page.drawEllipse({ x: width / 2, y: height / 2, xScale: side * 0.42, yScale: side * 0.42, color: rgb(1, 1, 1) });
  page.drawRectangle({ x: width / 2 - side * 0.2, y: height / 2 - side * 0.2, width: side * 0.4, height: side * 0.4, color: rgb(...colour) });
  const dir = mkdtempSync(join(tmpdir(), 'loket-logo-'));
  try {
    writeFileSync(join(dir, 'logo.pdf'), await pdf.save());
    execFileSync('pdftoppm', [format === 'png' ? '-png' : '-jpeg', '-r', '72', '-singlefile', join(dir, 'logo.pdf'), join(dir, 'logo')]);
    return readFileSync(join(dir, format === 'png' ? 'logo.png' : 'logo.jpg'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PNG's IHDR rewritten to claim `width` × `height`, its checksum made right again, so only the image data betrays it. */
export function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** The PNG signature followed by bytes that are no image. */
export function pngSignatureOnly(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('bukan gambar, hanya teks yang menyamar sebagai PNG')]);
}
