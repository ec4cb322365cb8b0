// The one walk over PNG chunks and JPEG segments that the letterhead logo check and the softcopy
// import share, run on files made by encoders this project did not write: poppler's pdftoppm, and
// libjpeg-turbo's cjpeg with progressive scans and restart markers. Whole files walk to their end;
// a file cut short anywhere, or a PNG with any byte flipped, is refused by the walk and, each in its
// own words, by the logo check and the import.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { ImageStructureError, isStartOfFrame, jpegFrameSize, jpegSegments, pngChunks, pngHeader } from '../../common/image-structure.ts';
import { checkLogo, LogoRefused } from '../../common/protocol/naskah-logo.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importDocument } from '../../main/documents/import.ts';
import { renderLetter } from '../../main/letters/drafting/render.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { sampleDraft } from '../support/drafts.ts';
import { drawnLogo } from '../support/logos.ts';
import { seededRandom } from '../support/synthetic-letters.ts';

const dir = mkdtempSync(join(tmpdir(), 'loket-image-structure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = createBlobStore(join(dir, 'store'));

/** A noisy 96 × 64 picture as libjpeg-turbo's cjpeg encodes it with `options`. */
function cjpeg(options: string[]): Buffer {
  const [width, height] = [96, 64];
  const random = seededRandom(7);
  const pixels = Buffer.alloc(width * height * 3, 0).map((_, i) => (i % 3 === 0 ? 40 : 200) + Math.floor(random() * 50));
  const ppm = join(dir, 'picture.ppm');
  writeFileSync(ppm, Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1'), pixels]));
  return execFileSync('cjpeg', [...options, ppm]);
}

function walkFault(walk: () => void): string | null {
  try {
    walk();
    return null;
  } catch (err) {
    if (err instanceof ImageStructureError) return err.fault;
    throw err;
  }
}

const walkPng = (bytes: Uint8Array) => walkFault(() => [...pngChunks(bytes)]);
const walkJpeg = (bytes: Uint8Array) => walkFault(() => [...jpegSegments(bytes)]);

function logoRefusal(bytes: Buffer): string | null {
  try {
    checkLogo(bytes);
    return null;
  } catch (err) {
    if (err instanceof LogoRefused) return err.message;
    throw err;
  }
}

async function importRefusal(bytes: Uint8Array, name: string): Promise<string | null> {
  try {
    await importDocument(store, bytes, name);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

const damaged = /^Berkas logo rusak atau bukan gambar yang utuh/;

describe('PNG and JPEG files from other encoders walk whole', () => {
  it('a JPEG whose bytes are a view into a larger buffer (as Node pools small files and decoded base64) is imported and drawn as a letterhead logo', async () => {
    const jpeg = await drawnLogo('jpeg', [0.7, 0.2, 0.1], 60, 40);
    const shared = Buffer.alloc(jpeg.length + 64);
    jpeg.copy(shared, 64);
    const view = shared.subarray(64);
    expect(await importRefusal(view, 'logo.jpg')).toBeNull();
    const template = shippedTemplates().find((t) => t.type === 'nota_dinas')!;
    const pdf = await renderLetter({ template, letterhead: { ...shippedLetterhead(), logo: jpeg.toString('base64') }, draft: sampleDraft(template) });
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });

  it('a PNG from pdftoppm: IHDR first with its size, image data, IEND last; the logo check and the import take it', async () => {
    const png = await drawnLogo('png', [0.1, 0.3, 0.8], 120, 80);
    const chunks = [...pngChunks(png)];
    expect(chunks[0]!.type).toBe('IHDR');
    expect(pngHeader(chunks[0]!)).toMatchObject({ width: 120, height: 80 });
    expect(chunks.some((c) => c.type === 'IDAT')).toBe(true);
    expect(chunks.at(-1)!.type).toBe('IEND');
    expect(checkLogo(png)).toEqual({ type: 'png', width: 120, height: 80 });
    expect(await importRefusal(png, 'logo.png')).toBeNull();
  });

  it.each([
    ['pdftoppm', async () => drawnLogo('jpeg', [0.8, 0.2, 0.1], 120, 80), [120, 80], 1],
    ['cjpeg, baseline', async () => cjpeg([]), [96, 64], 1],
    ['cjpeg, progressive with a restart marker every row', async () => cjpeg(['-progressive', '-restart', '1']), [96, 64], 2],
  ] as const)('a JPEG from %s: a frame with its size and its scans up to EOI; the logo check and the import take it', async (_, make, [width, height], minScans) => {
    const jpeg = await make();
    const segments = [...jpegSegments(jpeg)];
    const frame = segments.find((s) => isStartOfFrame(s.marker))!;
    expect(jpegFrameSize(frame)).toEqual({ width, height });
    expect(segments.filter((s) => s.marker === 0xda).length).toBeGreaterThanOrEqual(minScans);
    expect(checkLogo(jpeg)).toEqual({ type: 'jpeg', width, height });
    expect(await importRefusal(jpeg, 'logo.jpg')).toBeNull();
  });

  it('fill bytes before a marker are stepped over', async () => {
    const jpeg = cjpeg([]);
    const padded = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xff, 0xff]), jpeg.subarray(2)]);
    expect([...jpegSegments(padded)].map((s) => s.marker)).toEqual([...jpegSegments(jpeg)].map((s) => s.marker));
    expect(checkLogo(padded)).toEqual({ type: 'jpeg', width: 96, height: 64 });
  });
});

describe('a broken file is refused by the walk, the logo check and the import alike', () => {
  it('a PNG cut short anywhere', async () => {
    const png = await drawnLogo('png', [0.1, 0.3, 0.8], 120, 80);
    for (let length = 8; length < png.length; length++) {
      const cut = png.subarray(0, length);
      expect(walkPng(cut), `cut at ${length}`).toBe('truncated');
      expect(logoRefusal(cut), `cut at ${length}`).toMatch(damaged);
      expect(await importRefusal(cut, 'logo.png'), `cut at ${length}`).toBe('IMPORT_CORRUPT');
    }
  });

  it.each([
    ['pdftoppm', async () => drawnLogo('jpeg', [0.8, 0.2, 0.1], 120, 80)],
    ['cjpeg, progressive with restart markers', async () => cjpeg(['-progressive', '-restart', '1'])],
  ] as const)('a JPEG from %s cut short anywhere', async (_, make) => {
    const jpeg = await make();
    for (let length = 3; length < jpeg.length; length++) {
      const cut = jpeg.subarray(0, length);
      expect(walkJpeg(cut), `cut at ${length}`).toBe('truncated');
      expect(logoRefusal(cut), `cut at ${length}`).toMatch(damaged);
      expect(await importRefusal(cut, 'logo.jpg'), `cut at ${length}`).toBe('IMPORT_CORRUPT');
    }
  });

  it('a PNG with any one byte after its signature flipped fails a chunk checksum or its framing', async () => {
    const png = await drawnLogo('png', [0.1, 0.3, 0.8], 40, 30);
    for (let at = 8; at < png.length; at++) {
      const flipped = Buffer.from(png);
      flipped[at] = flipped[at]! ^ 0x5a;
      expect(walkPng(flipped), `byte ${at}`).toMatch(/^(checksum|truncated)$/);
      expect(logoRefusal(flipped), `byte ${at}`).toMatch(damaged);
      expect(await importRefusal(flipped, 'logo.png'), `byte ${at}`).toBe('IMPORT_CORRUPT');
    }
  });

  it('bytes where a marker must start, and a JPEG whose frame header is too short to hold its size', async () => {
    const jpeg = cjpeg([]);
    const frameAt = [...jpegSegments(jpeg)].find((s) => isStartOfFrame(s.marker))!.offset;
    const noMarker = Buffer.from(jpeg);
    noMarker[frameAt] = 0x00;
    expect(walkJpeg(noMarker)).toBe('marker');
    expect(logoRefusal(noMarker)).toMatch(damaged);
    expect(await importRefusal(noMarker, 'foto.jpg')).toBe('IMPORT_CORRUPT');
    // A SOF0 of length 4 (two body bytes), then the rest of the file.
    const shortFrame = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xc0, 0x00, 0x04, 0x08, 0x00]), jpeg.subarray(2)]);
    expect(walkJpeg(shortFrame)).toBeNull();
    expect(jpegFrameSize([...jpegSegments(shortFrame)].find((s) => isStartOfFrame(s.marker))!)).toBeNull();
    expect(logoRefusal(shortFrame)).toMatch(damaged);
  });
});

it('an image held inside a larger buffer (as a file read among others) walks the same as on its own', async () => {
  const png = await drawnLogo('png', [0.1, 0.3, 0.8], 120, 80);
  const jpeg = cjpeg([]);
  const pool = Buffer.concat([Buffer.from('xxxxx'), png, jpeg, Buffer.from('yyyyy')]);
  const pngInPool = pool.subarray(5, 5 + png.length);
  const jpegInPool = pool.subarray(5 + png.length, 5 + png.length + jpeg.length);
  expect([...pngChunks(pngInPool)].map((c) => c.type)).toEqual([...pngChunks(png)].map((c) => c.type));
  expect(checkLogo(pngInPool)).toEqual({ type: 'png', width: 120, height: 80 });
  expect(checkLogo(jpegInPool)).toEqual({ type: 'jpeg', width: 96, height: 64 });
});
