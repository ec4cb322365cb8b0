// A page of the scan stack as a JPG file (one regulation asks for JPG per page), through the IPC
// channel the Pindai screen calls, with real parts: the device worker, libsane's test backend, the
// page pipeline's worker thread and SQLite. What the clerk notices: the file opens as a JPEG of the
// paper's size, is turned the way the page is shown, is named after the page's number, and a page
// that is left out or gone is refused with a message in Bahasa Indonesia.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { scanHandlers } from '../../main/scan/handlers.ts';
import { createScannerList } from '../../main/scan/scanner-list.ts';
import { createTransfers, transferHandlers, type Transfers } from '../../main/documents/transfers.ts';
import { receiveBytes } from '../support/transfers.ts';
import { decodeJpeg } from '../../main/scan/pipeline/jpeg.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import { rotateQuarter, toGray, type Raster } from '../../main/scan/pipeline/raster.ts';
import { createNetworkScanners } from '../../main/scan/network-scanners.ts';
import { createScanDesk, type ScanDesk } from '../../main/scan/session.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { useSaneTestBackend, withoutSane } from '../support/sane-test-backend.ts';

const backend = useSaneTestBackend();
const pipeline = createPagePipeline();
const ctx = { origin: 'test' } as const;
let host: DeviceWorkerHost;
let dir: string;
let store: Store;
let desk: ScanDesk;
let router: Router;
let transfers: Transfers;

beforeAll(async () => {
  // Fault injection on, for the test backend's picture (scanner.testOptions).
  host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), heartbeatIntervalMs: 200, restartBackoffMs: 20, env: { LOKET_DEVICE_FAULTS: '1' } });
  await host.start();
  dir = mkdtempSync(join(tmpdir(), 'loket-scan-jpeg-'));
  store = openStore(join(dir, 'loket.db'));
  desk = createScanDesk({
    devices: host,
    pipeline,
    blobs: createBlobStore(join(dir, 'documents')),
    store,
    pagesDir: join(dir, 'scan-sessions'),
    emit: () => undefined,
    actor: () => 'meja:uji',
    log: collectingLogger(),
  });
  transfers = createTransfers(join(dir, 'transfers'), collectingLogger());
  const handlers = { ...scanHandlers({ desk, store, network: createNetworkScanners({ store, actor: () => 'meja:uji', mayAdminister: () => true }), scanners: createScannerList({ list: () => desk.listDevices(), onEvent: (l) => host.onEvent(l), changed: () => undefined, log: collectingLogger() }), transfers, actor: () => 'meja:uji' }), ...transferHandlers(transfers) };
  router = createRouter(handlers as Handlers, collectingLogger());
});
afterAll(async () => {
  await transfers.close();
  await desk.idle();
  store.close();
  await host.stop();
  await pipeline.close();
  rmSync(dir, { recursive: true, force: true });
  backend.cleanup();
});

async function scanPage(picture: 'Grid' | 'Solid white' | 'Color pattern', settings: ScanSettings): Promise<string> {
  await host.request('scanner.testOptions', { device: 'sane:test:0', options: { 'test-picture': picture } });
  await desk.start({ device: 'sane:test:0', settings, placement: { kind: 'append' } });
  await desk.idle();
  return desk.snapshot().pages.at(-1)!.id;
}

async function jpegOf(pageId: string): Promise<{ fileName: string; jpeg: Buffer }> {
  const result = await router.call('scan.page.jpeg', { pageId }, ctx);
  if (!result.ok) throw new Error(`scan.page.jpeg failed: ${result.error.code} ${result.error.message}`);
  return { fileName: result.value.fileName, jpeg: await receiveBytes((c, p) => router.call(c, p, ctx), result.value) };
}

/** What a viewer reads from the file's own headers: the JFIF density (dots per inch) and the frame's size. */
function jpegHeader(jpeg: Buffer): { dpi: { x: number; y: number }; width: number; height: number } {
  let dpi: { x: number; y: number } | undefined;
  for (let at = 2; at + 4 <= jpeg.length; ) {
    if (jpeg[at] !== 0xff) throw new Error(`no JPEG marker at ${at}`);
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xe0 && jpeg.toString('latin1', at + 4, at + 9) === 'JFIF\0') {
      expect(jpeg[at + 11], 'JFIF density unit: dots per inch').toBe(1);
      dpi = { x: jpeg.readUInt16BE(at + 12), y: jpeg.readUInt16BE(at + 14) };
    }
    // SOF0 (baseline) or SOF2 (progressive): precision, then height and width.
    if (marker === 0xc0 || marker === 0xc2) {
      if (dpi === undefined) throw new Error('JFIF header missing before the frame');
      return { dpi, height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  throw new Error('no JPEG frame header');
}

const mm = (pixels: number, dpi: number) => (pixels / dpi) * 25.4;

function meanDifference(a: Raster, b: Raster): number {
  expect({ width: a.width, height: a.height }).toEqual({ width: b.width, height: b.height });
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

const gray150: ScanSettings = { source: 'flatbed', mode: 'gray', resolution: 150, paperSize: 'a4' };

describe.skipIf(withoutSane !== undefined)('a scanned page as a JPG file', () => {
  it('is an A4 JPEG at the scan resolution, named by its place in the stack, and turned the way the page is shown', async () => {
    const first = await scanPage('Grid', gray150);
    const second = await scanPage('Grid', gray150);

    const upright = await jpegOf(second);
    expect(upright.fileName).toBe('halaman-2.jpg');
    expect([...upright.jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const head = jpegHeader(upright.jpeg);
    expect(head.dpi).toEqual({ x: 150, y: 150 });
    // The paper's size at the density the file declares: an A4 sheet, within a pixel or two.
    expect(mm(head.width, 150)).toBeCloseTo(210, 0);
    expect(mm(head.height, 150)).toBeCloseTo(297, 0);

    // Turned right on the screen: the file is landscape, its pixels the upright page's turned clockwise.
    await router.call('scan.page.rotate', { pageId: second, turn: 'right' }, ctx);
    const turned = await jpegOf(second);
    const turnedHead = jpegHeader(turned.jpeg);
    expect(turnedHead).toEqual({ dpi: { x: 150, y: 150 }, width: head.height, height: head.width });
    const uprightPixels = toGray(await decodeJpeg(upright.jpeg));
    const turnedPixels = toGray(await decodeJpeg(turned.jpeg));
    expect(meanDifference(turnedPixels, rotateQuarter(uprightPixels, 90))).toBeLessThan(4);

    // Moved to the front, the page is named after its new number.
    await router.call('scan.page.move', { pageId: second, toIndex: 0 }, ctx);
    expect((await jpegOf(second)).fileName).toBe('halaman-1.jpg');
    expect((await jpegOf(first)).fileName).toBe('halaman-2.jpg');
  });

  it('keeps a colour page in colour at its reduced resolution, still the size of the paper', async () => {
    const colour = await scanPage('Color pattern', { source: 'flatbed', mode: 'color', resolution: 200, paperSize: 'a4' });
    expect(desk.snapshot().pages.at(-1)).toMatchObject({ colour: true });
    const { jpeg } = await jpegOf(colour);
    const head = jpegHeader(jpeg);
    expect(head.dpi.x).toBe(150);
    expect(mm(head.width, head.dpi.x)).toBeCloseTo(210, 0);
    expect(mm(head.height, head.dpi.y)).toBeCloseTo(297, 0);
    const pixels = await decodeJpeg(jpeg);
    let coloured = 0;
    for (let i = 0; i < pixels.data.length; i += 3) if (Math.max(pixels.data[i]!, pixels.data[i + 1]!, pixels.data[i + 2]!) - Math.min(pixels.data[i]!, pixels.data[i + 1]!, pixels.data[i + 2]!) > 60) coloured++;
    expect(coloured / (pixels.width * pixels.height)).toBeGreaterThan(0.2);
  });

  it('refuses a page that is left out of the letter or no longer there, in Bahasa Indonesia, and gives it once restored', async () => {
    const kept = await scanPage('Grid', gray150);
    const blank = await scanPage('Solid white', gray150);
    expect(desk.snapshot().pages.find((p) => p.id === blank)?.excluded).toBe('blank');

    const leftOut = await router.call('scan.page.jpeg', { pageId: blank }, ctx);
    expect(leftOut).toMatchObject({ ok: false, error: { code: 'SCAN_PAGE_EXCLUDED', message: expect.stringContaining('Pulihkan halamannya dulu') } });

    await router.call('scan.page.delete', { pageId: kept }, ctx);
    const deleted = await router.call('scan.page.jpeg', { pageId: kept }, ctx);
    expect(deleted).toMatchObject({ ok: false, error: { code: 'SCAN_PAGE_EXCLUDED' } });
    await router.call('scan.page.restore', { pageId: kept }, ctx);
    expect([...(await jpegOf(kept)).jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);

    const gone = await router.call('scan.page.jpeg', { pageId: '0190ffff-0000-7000-8000-000000000000' }, ctx);
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('Halaman ini tidak ada lagi') } });
  });
});
