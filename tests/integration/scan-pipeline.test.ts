// The scan image pipeline in its worker thread, on pages with known truth: deskew accuracy,
// blank-page precision/recall, compact encoding checked from outside with poppler (pdfimages,
// pdfinfo, pdftoppm), rotation, JPG export, and a real page from libsane's test backend scanned
// through the device worker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import type { ScannedPageMessage } from '../../main/devices/scanner/service.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import { inkMask } from '../../main/scan/pipeline/bilevel.ts';
import { estimateSkew } from '../../main/scan/pipeline/deskew.ts';
import { writePageFile } from '../../main/devices/scanner/spool.ts';
import type { PageImage } from '../../main/devices/scanner/types.ts';
import { decodeJpeg, encodeJpeg, jpegComponents } from '../../main/scan/pipeline/jpeg.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import { toGray } from '../../main/scan/pipeline/raster.ts';
import type { ProcessedPage, RawPage } from '../../main/scan/pipeline/types.ts';
import { useSaneTestBackend, type TestScannerSettings, withoutSane } from '../support/sane-test-backend.ts';
import { syntheticLetters } from '../support/synthetic-letters.ts';
import { grayPageFromJpeg, syntheticPage, type PageSpec } from '../support/synthetic-pages.ts';

const backend = useSaneTestBackend();
const pipeline = createPagePipeline();
const dir = mkdtempSync(join(tmpdir(), 'loket-scan-pipeline-'));

afterAll(async () => {
  await pipeline.close();
  rmSync(dir, { recursive: true, force: true });
  backend.cleanup();
});

const a4Points = { width: 595.28, height: 841.89 };

function savePdf(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

interface ListedImage { page: number; width: number; height: number; color: string; bpc: number; enc: string; xppi: number }

/** `pdfimages -list`, one row per image. */
function listImages(path: string): ListedImage[] {
  return execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' }).trim().split('\n').slice(2).map((line) => {
    const f = line.trim().split(/\s+/);
    return { page: Number(f[0]), width: Number(f[3]), height: Number(f[4]), color: f[5]!, bpc: Number(f[7]), enc: f[8]!, xppi: Number(f[12]) };
  });
}

/** Page sizes in points from `pdfinfo`. */
function pageSizes(path: string, pages: number): { width: number; height: number }[] {
  const out = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), path], { encoding: 'utf8' });
  return [...out.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** Page `n` rendered by poppler at 20 dpi, as RGB pixels. */
function renderPage(path: string, n: number): { width: number; height: number; rgb: Buffer } {
  const ppm = execFileSync('pdftoppm', ['-r', '20', '-f', String(n), '-l', String(n), path]);
  const header = ppm.subarray(0, 20).toString('latin1').split(/\s+/);
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, rgb: ppm.subarray(ppm.length - width * height * 3) };
}

function blueShare(rgb: Buffer): number {
  let blue = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i + 2]! - rgb[i]! > 40) blue++;
  return blue / (rgb.length / 3);
}

describe('deskew', () => {
  it('finds a known skew within 0.5° and hands back a straight page', async () => {
    const skews = [-3.4, -1.2, 0.6, 2.3];
    const found: string[] = [];
    for (const [i, skewDegrees] of skews.entries()) {
      const page = await pipeline.process(syntheticPage({ content: 'text', dpi: 200, seed: 10 + i, skewDegrees, noise: 15, dust: 3 }));
      found.push(`${skewDegrees}° → ${page.skewDegrees}°`);
      expect(Math.abs(page.skewDegrees - skewDegrees)).toBeLessThanOrEqual(0.5);
      expect(page.deskewed).toBe(true);
      // What the clerk gets is straight: the exported page measures (almost) no skew.
      const exported = await decodeJpeg(await pipeline.exportJpeg(page));
      expect(Math.abs(estimateSkew(inkMask(toGray(exported), 200), 200))).toBeLessThanOrEqual(0.2);
    }
    console.log(`deskew, synthetic pages: ${found.join(', ')}`);
  });

  it('straightens the synthetic official letters (several layouts) within 0.5°', async () => {
    const letters = syntheticLetters(200).slice(0, 4);
    for (const letter of letters) {
      const page = await pipeline.process(await grayPageFromJpeg(letter.jpeg, letter.dpi));
      expect(Math.abs(page.skewDegrees - letter.skewDegrees), letter.id).toBeLessThanOrEqual(0.5);
    }
  });

  it('measures small skews at 150 dpi as well (every sampled row in a bin of its own)', async () => {
    for (const [i, skewDegrees] of [0.6, -0.4, 1.2, 0].entries()) {
      const page = await pipeline.process(syntheticPage({ content: 'text', dpi: 150, seed: 30 + i, skewDegrees, noise: 15, dust: 3 }));
      expect(Math.abs(page.skewDegrees - skewDegrees), `${skewDegrees}° → ${page.skewDegrees}°`).toBeLessThanOrEqual(0.25);
    }
  });

  it('leaves a page alone when asked not to straighten it, but still reports the skew', async () => {
    const page = await pipeline.process(syntheticPage({ content: 'text', dpi: 150, seed: 5, skewDegrees: 1.5 }), { deskew: false });
    expect(page.deskewed).toBe(false);
    expect(Math.abs(page.skewDegrees - 1.5)).toBeLessThanOrEqual(0.5);
  });

  it('does not turn a page without lines of text to measure by (a signature only)', async () => {
    const page = await pipeline.process(syntheticPage({ content: 'signature', dpi: 200, seed: 14, noise: 15, dust: 3 }));
    expect(page).toMatchObject({ blank: false, skewDegrees: 0, deskewed: false });
  });
});

describe('blank-page detection', () => {
  it('flags blank sheets (noise, dust, a hair, edge shadow, punch holes) but never sparse pages', async () => {
    const blanks: PageSpec[] = [
      { content: 'blank', dpi: 150, seed: 1 },
      { content: 'blank', dpi: 150, seed: 2, noise: 20 },
      { content: 'blank', dpi: 150, seed: 3, noise: 20, dust: 8 },
      { content: 'blank', dpi: 150, seed: 4, noise: 15, dust: 4, edgeShadow: true },
      { content: 'blank', dpi: 150, seed: 5, noise: 15, dust: 4, edgeShadow: true, punchHoles: true },
      { content: 'blank', dpi: 150, seed: 6, noise: 12, dust: 3, colour: true },
      { content: 'blank', dpi: 300, seed: 7, noise: 15, dust: 5, edgeShadow: true, punchHoles: true },
      { content: 'blank', dpi: 150, seed: 8, noise: 15, dust: 4, hair: true },
      { content: 'blank', dpi: 300, seed: 9, noise: 15, dust: 4, hair: true, edgeShadow: true },
    ];
    const withContent: PageSpec[] = [
      { content: 'one-line', dpi: 150, seed: 11, noise: 15, dust: 4 },
      { content: 'one-line', dpi: 150, seed: 12, noise: 20, dust: 8, edgeShadow: true, punchHoles: true },
      { content: 'one-line', dpi: 300, seed: 13, noise: 15, dust: 4 },
      { content: 'one-word', dpi: 150, seed: 19, noise: 15, dust: 4 },
      { content: 'one-word', dpi: 300, seed: 20, noise: 20, dust: 8, hair: true },
      { content: 'signature', dpi: 150, seed: 14, noise: 15, dust: 4 },
      { content: 'signature', dpi: 150, seed: 15, noise: 20, dust: 8, edgeShadow: true },
      { content: 'signature', dpi: 150, seed: 16, noise: 12, dust: 3, colour: true },
      { content: 'text', dpi: 150, seed: 17, noise: 15, dust: 4, skewDegrees: 1 },
      { content: 'stamped-text', dpi: 150, seed: 18, noise: 10 },
    ];
    const results: { spec: PageSpec; blank: boolean; page: ProcessedPage }[] = [];
    for (const [blank, specs] of [[true, blanks], [false, withContent]] as const) {
      for (const spec of specs) results.push({ spec, blank, page: await pipeline.process(syntheticPage(spec)) });
    }
    const truePositives = results.filter((r) => r.blank && r.page.blank).length;
    const flagged = results.filter((r) => r.page.blank).length;
    const precision = flagged === 0 ? 1 : truePositives / flagged;
    const recall = truePositives / blanks.length;
    const scores = (blank: boolean) => results.filter((r) => r.blank === blank).map((r) => r.page.blankScore);
    console.log(
      `blank-page detection on ${results.length} pages (${blanks.length} blank): precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}; ` +
        `highest blank score ${Math.max(...scores(true)).toExponential(1)}, lowest content score ${Math.min(...scores(false)).toExponential(1)}`,
    );
    expect(precision).toBe(1);
    expect(recall).toBe(1);
    // Flagged, not dropped: a blank page is still a full page the caller can keep.
    const blankPage = results.find((r) => r.blank)!.page;
    expect(blankPage.image.width).toBeGreaterThan(1000);
    expect(blankPage.thumbnail.data.length).toBeGreaterThan(0);
  });
});

describe('compact PDF', () => {
  it('keeps the pages in order at paper size: text pages 1-bit, colour pages in colour, turned pages turned', async () => {
    const text300 = await pipeline.process(syntheticPage({ content: 'text', dpi: 300, seed: 21, skewDegrees: 0.8, noise: 12, dust: 3 }));
    const stamped = await pipeline.process(syntheticPage({ content: 'stamped-text', dpi: 300, seed: 22, noise: 8 }));
    const sideways = await pipeline.process(syntheticPage({ content: 'text', dpi: 200, seed: 23 }), { rotate: 90 });
    const blank = await pipeline.process(syntheticPage({ content: 'blank', dpi: 150, seed: 24, noise: 15 }));
    expect(text300).toMatchObject({ colour: false, image: { format: 'bilevel', width: 2480, height: 3508, dpi: 300 } });
    expect(stamped).toMatchObject({ colour: true, image: { format: 'jpeg', dpi: 150 } });
    expect(sideways.rotation).toBe(90);
    // Thumbnails for the page strip: about 160 px wide, in the page's own orientation.
    expect(text300.thumbnail).toMatchObject({ mediaType: 'image/jpeg', width: 160, height: 226 });
    expect(sideways.thumbnail).toMatchObject({ width: 160, height: 113 });

    const path = savePdf('letter.pdf', await pipeline.buildPdf([text300, stamped, sideways, blank], { title: 'Undangan rapat' }));
    const sizes = pageSizes(path, 4);
    expect(sizes).toHaveLength(4);
    for (const [i, size] of sizes.entries()) {
      const expected = i === 2 ? { width: a4Points.height, height: a4Points.width } : a4Points;
      expect(Math.abs(size.width - expected.width), `page ${i + 1} width`).toBeLessThan(1.5);
      expect(Math.abs(size.height - expected.height), `page ${i + 1} height`).toBeLessThan(1.5);
    }
    const images = listImages(path);
    expect(images.map((im) => im.page)).toEqual([1, 2, 3, 4]);
    expect(images[0]).toMatchObject({ width: 2480, height: 3508, color: 'gray', bpc: 1, enc: 'image', xppi: 300 });
    expect(images[1]).toMatchObject({ color: 'rgb', bpc: 8, enc: 'jpeg', xppi: 150 });
    expect(images[2]).toMatchObject({ width: 1654, height: 2339, color: 'gray', bpc: 1 });
    expect(images[3]).toMatchObject({ color: 'gray', bpc: 1 });
    // The stamp is still blue in the PDF; the text page has no colour at all.
    expect(blueShare(renderPage(path, 2).rgb)).toBeGreaterThan(0.001);
    expect(blueShare(renderPage(path, 1).rgb)).toBe(0);
    // The turned page shows its text lines running down (landscape page, portrait content turned clockwise).
    const turned = renderPage(path, 3);
    expect(turned.width).toBeGreaterThan(turned.height);
    // A 1-bit text page at 300 dpi is small: well under a tenth of its 8-bit size.
    expect(text300.image.data.length).toBeLessThan((2480 * 3508) / 10 / 8);
  });

  it('turns a processed page without re-encoding it, and back', async () => {
    const page = await pipeline.process(syntheticPage({ content: 'one-line', dpi: 150, seed: 31 }));
    const turned = await pipeline.rotate(page, 270);
    expect(turned.rotation).toBe(270);
    expect(turned.image.data).toEqual(page.image.data);
    expect(turned.thumbnail).toMatchObject({ width: page.thumbnail.height, height: page.thumbnail.width });
    const back = await pipeline.rotate(turned, 90);
    expect(back.rotation).toBe(0);
    const path = savePdf('turned.pdf', await pipeline.buildPdf([turned, back]));
    const [first, second] = pageSizes(path, 2);
    expect(first!.width).toBeGreaterThan(first!.height);
    expect(second!.width).toBeLessThan(second!.height);
  });

  it('exports a page as a JPG file at its resolution', async () => {
    const page = await pipeline.process(syntheticPage({ content: 'text', dpi: 200, seed: 41 }));
    const jpeg = await pipeline.exportJpeg(page);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // JFIF density: dots per inch, 200 × 200.
    expect(jpeg[13]).toBe(1);
    expect((jpeg[14]! << 8) | jpeg[15]!).toBe(200);
    const decoded = await decodeJpeg(jpeg);
    expect({ width: decoded.width, height: decoded.height }).toEqual({ width: 1654, height: 2339 });
  });

  it('refuses a page whose data does not match its size, in Indonesian, and keeps working', async () => {
    const failure = await pipeline.process({ width: 100, height: 100, channels: 1, depth: 8, dpi: 200, data: new Uint8Array(50) }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Pindai ulang') });
    const page = await pipeline.process(syntheticPage({ content: 'blank', dpi: 100, seed: 51 }));
    expect(page.blank).toBe(true);
  });
});

describe('pages in the spool, however the scanner delivered them', () => {
  let written = 0;
  /** Keeps an image as the device worker does, and processes it from its file as the scan session does. */
  async function throughSpool(image: PageImage): Promise<ProcessedPage> {
    const file = await writePageFile(dir, `spooled-${++written}`, image);
    return pipeline.process({ file });
  }

  /** The packed 8-bit gray page laid out as a driver may deliver it: padded rows, 16-bit samples in either byte order. */
  function laidOut(page: RawPage, depth: 8 | 16, padding: number, littleEndian: boolean): PageImage {
    const sample = depth / 8;
    const bytesPerLine = page.width * sample + padding;
    const data = new Uint8Array(bytesPerLine * page.height).fill(0x5a);
    for (let y = 0; y < page.height; y++) {
      for (let x = 0; x < page.width; x++) {
        const v = page.data[y * page.width + x]!;
        const at = y * bytesPerLine + x * sample;
        if (depth === 8) data[at] = v;
        else data[at + (littleEndian ? 1 : 0)] = v; // the high byte carries the value; the low byte is noise
      }
    }
    return { kind: 'raster', width: page.width, height: page.height, channels: 1, depth, bytesPerLine, littleEndian, dpi: page.dpi, data };
  }

  it('reads padded rows and 16-bit samples of either byte order as the same page', async () => {
    const page = syntheticPage({ content: 'text', dpi: 150, seed: 61, noise: 10 });
    const packed = await throughSpool(laidOut(page, 8, 0, true));
    expect(packed).toMatchObject({ blank: false, image: { format: 'bilevel', width: page.width, height: page.height, dpi: 150 } });
    for (const [depth, padding, littleEndian] of [[8, 5, true], [16, 0, true], [16, 6, false]] as const) {
      const other = await throughSpool(laidOut(page, depth, padding, littleEndian));
      expect(other.image.data, `${depth}-bit, ${padding} bytes of padding, ${littleEndian ? 'little' : 'big'}-endian`).toEqual(packed.image.data);
    }
  });

  it('takes a page the scanner sent as JPEG (as network scanners do) like any other, at its resolution', async () => {
    const page = syntheticPage({ content: 'text', dpi: 200, seed: 62, noise: 10 });
    const white = syntheticPage({ content: 'blank', dpi: 200, seed: 63, noise: 10 });
    const asJpeg = (p: RawPage): PageImage => ({ kind: 'jpeg', dpi: p.dpi, data: encodeJpeg({ width: p.width, height: p.height, channels: 1, data: p.data }, 90, p.dpi) });
    const text = await throughSpool(asJpeg(page));
    expect(text).toMatchObject({ blank: false, colour: false, image: { format: 'bilevel', width: page.width, height: page.height, dpi: 200 } });
    expect(text.pageSize.width).toBeCloseTo((page.width * 72) / 200, 1);
    expect(await throughSpool(asJpeg(white))).toMatchObject({ blank: true });
  });

  it('reads a one-component (gray) JPEG, as scanners send gray pages, as one gray channel: the same page as its three-component twin', async () => {
    const page = syntheticPage({ content: 'text', dpi: 150, seed: 65, noise: 8 });
    const pgm = Buffer.concat([Buffer.from(`P5\n${page.width} ${page.height}\n255\n`, 'latin1'), page.data]);
    const grayJpeg = new Uint8Array(execFileSync('cjpeg', ['-grayscale', '-quality', '90'], { input: pgm, maxBuffer: 1 << 26 }));
    expect(jpegComponents(grayJpeg)).toBe(1);
    const decoded = await decodeJpeg(grayJpeg);
    expect([decoded.channels, decoded.width, decoded.height]).toEqual([1, page.width, page.height]);
    // The same samples in a colour JPEG decode to three equal channels: luma gives the gray samples back.
    const colourJpeg = new Uint8Array(execFileSync('cjpeg', ['-quality', '90'], { input: Buffer.concat([Buffer.from(`P6\n${page.width} ${page.height}\n255\n`, 'latin1'), Buffer.from(Array.from(page.data).flatMap((v) => [v, v, v]))]), maxBuffer: 1 << 27 }));
    expect(jpegComponents(colourJpeg)).toBe(3);
    const twin = toGray(await decodeJpeg(colourJpeg));
    let off = 0;
    for (let i = 0; i < twin.data.length; i++) off += Math.abs(twin.data[i]! - decoded.data[i]!) > 6 ? 1 : 0;
    expect(off / twin.data.length).toBeLessThan(0.01);
    expect(await throughSpool({ kind: 'jpeg', dpi: 150, data: grayJpeg })).toMatchObject({ blank: false, colour: false, image: { format: 'bilevel', width: page.width, height: page.height, dpi: 150 } });
  });

  it('refuses a damaged page file, in Indonesian', async () => {
    const page = syntheticPage({ content: 'one-line', dpi: 100, seed: 64 });
    const truncated = laidOut(page, 8, 0, true);
    await expect(throughSpool({ ...truncated, data: truncated.data.subarray(0, truncated.data.length / 2) })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('hilang atau rusak') });
    await expect(throughSpool({ kind: 'jpeg', dpi: 100, data: new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x13]) })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('hilang atau rusak') });
  });
});

describe.skipIf(withoutSane !== undefined)('a real scanner page through the device worker', () => {
  // Fault injection on, for the test backend's picture (scanner.testOptions).
  const host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), startTimeoutMs: 20_000, readyWaitMs: 20_000, env: { LOKET_DEVICE_FAULTS: '1' } });
  afterAll(() => host.stop());

  // The device worker keeps each page in this folder and sends main only the file's path.
  async function scan(mode: ScanSettings['mode'], resolution: number, picture: NonNullable<TestScannerSettings['picture']>): Promise<ScannedPageMessage[]> {
    const scanId = `pipeline-${Math.random().toString(36).slice(2)}`;
    const pages: ScannedPageMessage[] = [];
    const off = host.onEvent((event) => {
      if (event.name === 'scanner.page' && event.payload.scanId === scanId) pages.push(event.payload.page);
    });
    try {
      await host.request('scanner.testOptions', { device: 'sane:test:0', options: { 'test-picture': picture } });
      const settings: ScanSettings = { source: 'flatbed', mode, resolution, paperSize: 'a4' };
      await host.request('scanner.scan', { device: 'sane:test:0', scanId, settings, spool: dir }, { timeoutMs: 60_000 });
    } finally {
      off();
    }
    return pages;
  }

  it('turns a gray 300 dpi A4 scan into a 1-bit A4 page, and a white sheet into a flagged blank', async () => {
    await host.start();
    const [grid] = await scan('gray', 300, 'Grid');
    const [white] = await scan('gray', 300, 'Solid white');
    const [colour] = await scan('color', 150, 'Color pattern');
    const processed = [
      await pipeline.process({ file: grid!.file }),
      await pipeline.process({ file: white!.file }),
      await pipeline.process({ file: colour!.file }),
    ];
    expect(processed[0]).toMatchObject({ blank: false, colour: false, skewDegrees: 0, image: { format: 'bilevel', width: 2480, height: 3507 } });
    expect(processed[1]).toMatchObject({ blank: true, colour: false });
    expect(processed[2]).toMatchObject({ blank: false, colour: true, skewDegrees: 0, deskewed: false, image: { format: 'jpeg', dpi: 150 } });
    const path = savePdf('scanned.pdf', await pipeline.buildPdf(processed));
    for (const size of pageSizes(path, 3)) {
      expect(Math.abs(size.width - a4Points.width)).toBeLessThan(1.5);
      expect(Math.abs(size.height - a4Points.height)).toBeLessThan(1.5);
    }
    expect(listImages(path).map((im) => `${im.color}/${im.bpc}`)).toEqual(['gray/1', 'gray/1', 'rgb/8']);
  });

  it('leaves a page of bars and blocks as scanned: no text lines to measure a skew by', async () => {
    await host.start();
    // SANE's colour pattern scanned in gray: its blocks line up at some angle or other, which is no reason to turn the page.
    const [pattern] = await scan('gray', 150, 'Color pattern');
    expect(await pipeline.process({ file: pattern!.file })).toMatchObject({ blank: false, skewDegrees: 0, deskewed: false });
  });

  it('refuses a page file that is gone, in Indonesian, and keeps working', async () => {
    await host.start();
    const [page] = await scan('gray', 100, 'Grid');
    rmSync(page!.file);
    await expect(pipeline.process({ file: page!.file })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('hilang atau rusak') });
    const [again] = await scan('gray', 100, 'Grid');
    expect(await pipeline.process({ file: again!.file })).toMatchObject({ image: { format: 'bilevel', dpi: 100 } });
  });
});
