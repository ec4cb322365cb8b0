// The SANE driver behind the desk's scanner interface, against real libsane and SANE's `test`
// backend: what it lists and what each device can do in the desk's terms, pages of the paper's
// size at the resolution asked, feeder batches, and faults as the clerk reads them, with the
// pages before them kept. Only desk terms go in and come out here.
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { saneDriver } from '../../main/devices/scanner/sane/driver.ts';
import type { InjectedFault, RasterImage, ScannedPage } from '../../main/devices/scanner/types.ts';
import { expectedPage, useSaneTestBackend, withoutSane } from '../support/sane-test-backend.ts';

// Before anything reaches libsane: sane_init reads SANE_CONFIG_DIR once per process.
const backend = useSaneTestBackend();
const driver = saneDriver();

afterAll(async () => {
  await driver.closeAll();
  backend.cleanup();
});

const grayA4: ScanSettings = { source: 'flatbed', mode: 'gray', resolution: 100, paperSize: 'a4' };

interface Outcome {
  pages: ScannedPage[];
  error: AppError | undefined;
}

/** Prepares and runs one scan to its end, as the worker's scanner service does. */
async function scan(device: string, settings: ScanSettings, options: { injectFault?: InjectedFault; abortAfterPage?: number } = {}): Promise<Outcome & { resolution: number }> {
  const prepared = await driver.prepare(device, settings);
  const abort = new AbortController();
  const pages: ScannedPage[] = [];
  try {
    for await (const page of prepared.pages({ signal: abort.signal, onProgress: () => {}, ...(options.injectFault ? { injectFault: options.injectFault } : {}) })) {
      pages.push(page);
      if (page.number === options.abortAfterPage) abort.abort();
    }
    return { pages, error: undefined, resolution: prepared.resolution };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { pages, error: err, resolution: prepared.resolution };
  }
}

function raster(page: ScannedPage | undefined): RasterImage {
  if (page?.image.kind !== 'raster') throw new Error('a SANE page is raster samples');
  return page.image;
}

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the call succeeded, a failure was expected');
}

describe.skipIf(withoutSane !== undefined)('the SANE driver in the desk’s terms', () => {
  it('lists the test backend’s scanners as demo scanners, and says what each can do', async () => {
    const found = await driver.list();
    expect(found.map((d) => d.name).sort()).toEqual(['test:0', 'test:1']);
    expect(found.find((d) => d.name === 'test:0')).toEqual({ name: 'test:0', label: 'Pemindai uji (demo)', vendor: 'Noname', model: 'frontend-tester', connection: 'local', address: null, demo: true });
    expect(await driver.capabilities('test:0')).toEqual({
      // Glass and a feeder, no duplex; gray and colour; up to 300 mm (this test configuration).
      sources: ['flatbed', 'adf'],
      modes: ['color', 'gray'],
      resolutions: [100, 150, 200, 300, 400, 600],
      maxArea: { widthMm: 300, heightMm: 300 },
      paperSizes: ['a4', 'letter'],
    });
  });

  it.each([
    { mode: 'gray', resolution: 150, channels: 1 },
    { mode: 'color', resolution: 100, channels: 3 },
  ] as const)('scans an A4 sheet from the glass in $mode at $resolution dpi as one page of the paper’s size', async ({ mode, resolution, channels }) => {
    const { pages, error, resolution: used } = await scan('test:0', { ...grayA4, mode, resolution });
    expect(error).toBeUndefined();
    expect(used).toBe(resolution);
    expect(pages).toHaveLength(1);
    const expected = expectedPage(resolution, 210, 297, channels);
    expect(raster(pages[0])).toMatchObject({ kind: 'raster', width: expected.pixelsPerLine, height: expected.lines, channels, depth: 8, bytesPerLine: expected.bytesPerLine, dpi: resolution });
    expect(raster(pages[0]).data.length).toBe(expected.bytes);
  });

  it('scans a stack of ten sheets from the feeder and ends cleanly when it runs empty', async () => {
    await driver.close('test:0'); // reopening reloads the test feeder
    const { pages, error } = await scan('test:0', { ...grayA4, source: 'adf' });
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a jam on the fourth sheet keeps the three before it, says so in Bahasa Indonesia, and the next scan starts clean', async () => {
    await driver.close('test:0');
    const { pages, error } = await scan('test:0', { ...grayA4, source: 'adf' }, { injectFault: { afterPage: 3, fault: 'SCANNER_JAMMED' } });
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(error?.code).toBe('SCANNER_JAMMED');
    expect(error?.details).toMatchObject({ status: 'JAMMED', device: 'test:0', pagesCompleted: 3 });
    expect(error?.message).toBe('Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan. Halaman 1–3 sudah terpindai.');
    // The backend would keep answering JAMMED; the driver clears it for a new scan.
    const next = await scan('test:0', grayA4);
    expect(next.error).toBeUndefined();
    expect(next.pages).toHaveLength(1);
  });

  it('cancelling between sheets keeps the sheets already scanned', async () => {
    await driver.close('test:0');
    const { pages, error } = await scan('test:0', { ...grayA4, source: 'adf' }, { abortAfterPage: 2 });
    expect(pages).toHaveLength(2);
    expect(error?.code).toBe('SCANNER_CANCELLED');
    expect(error?.message).toMatch(/Halaman 1–2 sudah terpindai\.$/);
  });

  it('refuses what the scanner does not have before any paper moves, and a scanner that is not there', async () => {
    const duplex = await failureOf(driver.prepare('test:1', { ...grayA4, source: 'duplex' }));
    expect(duplex.code).toBe('SCANNER_UNSUPPORTED');
    expect(duplex.message).toBe('ADF dupleks tidak tersedia pada pemindai ini. Pilih pengaturan lain lalu pindai lagi.');
    expect((await failureOf(driver.prepare('test:1', { ...grayA4, mode: 'lineart' }))).message).toMatch(/^Mode hitam-putih tidak tersedia/);
    expect(await failureOf(driver.capabilities('test:7'))).toMatchObject({ code: 'SCANNER_NOT_FOUND', details: { device: 'test:7', during: 'open' } });
  });

  it('a scanner held by another program is reported busy, and usable once released', async () => {
    await driver.capabilities('test:1');
    const other = saneDriver();
    expect(await failureOf(other.capabilities('test:1'))).toMatchObject({ code: 'SCANNER_BUSY', details: { status: 'DEVICE_BUSY', during: 'open' } });
    await driver.close('test:1');
    expect((await other.capabilities('test:1')).sources).toEqual(['flatbed', 'adf']);
    await other.closeAll();
  });
});
