// A page of a PDF as poppler draws it (pdftoppm, binary PPM), as RGBA for pixel checks and jsQR.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rendered { width: number; height: number; rgba: Uint8ClampedArray }

export function renderPage(pdf: Uint8Array, options: { work: string; name: string; dpi: number; page?: number }): Rendered {
  const path = join(options.work, `${options.name}.pdf`);
  writeFileSync(path, pdf);
  const page = String(options.page ?? 1);
  const ppm = execFileSync('pdftoppm', ['-r', String(options.dpi), '-f', page, '-l', page, path], { maxBuffer: 64 * 1024 * 1024 });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rgb = ppm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) rgba.set([rgb[j]!, rgb[j + 1]!, rgb[j + 2]!, 255], i * 4);
  return { width, height, rgba };
}

/** Pixels darker than mid-grey inside a box (pixels from the top-left). */
export function darkPixels(image: Rendered, box: { x0: number; x1: number; y0: number; y1: number }): number {
  let dark = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) if (image.rgba[(y * image.width + x) * 4]! < 128) dark++;
  }
  return dark;
}
