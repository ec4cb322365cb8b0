// The SANE package against real libsane and SANE's `test` backend: discovery, options, pages of
// the expected size, ADF batches, unknown page height, and a JS thread that stays free.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { a4, configureTestScanner, expectedPage, feeder, scanToEnd, useSaneTestBackend, withoutSane } from '../support/sane-test-backend.ts';
import { listDevices, openDevice, SaneError, type ScannerDevice, type ScanProgress } from '../../native/sane/index.ts';
import { saneFault } from '../../main/devices/scanner/sane/faults.ts';

// Before anything reaches libsane: sane_init reads SANE_CONFIG_DIR once per process.
const backend = useSaneTestBackend();

describe.skipIf(withoutSane !== undefined)('scanning with the SANE binding', () => {
  let scanner: ScannerDevice;

  beforeAll(async () => {
    scanner = await openDevice('test:0');
  });

  afterAll(() => {
    scanner?.close();
    backend.cleanup();
  });

  // The test feeder answers NO_DOCS at every 11th scan since the device was opened, flatbed scans
  // included: a batch that needs a full feeder reopens the device first.
  async function loadFeeder(): Promise<void> {
    scanner.close();
    scanner = await openDevice('test:0');
  }

  it('finds the scanners attached to the desk', async () => {
    const devices = await listDevices();
    expect(devices.map((d) => d.name).sort()).toEqual(['test:0', 'test:1']);
    expect(devices[0]).toMatchObject({ vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' });
  });

  it('shows the clerk each setting with its type, unit, limits and current value', () => {
    configureTestScanner(scanner, { resolution: 150 });
    const options = new Map(scanner.options().map((o) => [o.name, o]));
    expect(options.get('resolution')).toMatchObject({ type: 'FIXED', unit: 'DPI', value: 150, constraint: { kind: 'range', min: 1, max: 1200, quant: 1 } });
    expect(options.get('mode')).toMatchObject({ type: 'STRING', value: 'Gray', constraint: { kind: 'stringList', values: ['Gray', 'Color'] } });
    expect(options.get('depth')).toMatchObject({ type: 'INT', unit: 'NONE', value: 8, constraint: { kind: 'wordList', values: [1, 8, 16] } });
    expect(options.get('br-y')).toMatchObject({ type: 'FIXED', unit: 'MM', constraint: { kind: 'range', min: 0, max: 300 } });
    expect(options.get('hand-scanner')).toMatchObject({ type: 'BOOL', value: false, capabilities: { softSelect: true, softDetect: true, inactive: false } });
    // Inactive options are described but have no value to show.
    expect(options.get('three-pass')?.capabilities.inactive).toBe(true);
    expect(options.get('three-pass')).not.toHaveProperty('value');
    const groups = scanner.options().filter((o) => o.type === 'GROUP');
    expect(groups.map((g) => g.title)).toContain('Geometry');
  });

  it('reads and writes array and word-list settings in their own types', () => {
    scanner.set('enable-test-options', true);
    try {
      const array = scanner.set('int-constraint-array', [1, 2, 3, 4, 5, 6]);
      expect(array).toMatchObject({ value: [1, 2, 3, 4, 5, 6], inexact: false });
      const fixedList = scanner.set('fixed-constraint-word-list', 42);
      expect(fixedList.value).toBe(42);
      expect(scanner.set('int-inexact', 10)).toMatchObject({ value: 11, inexact: true });
      expect(scanner.get('string-constraint-string-list')).toBe('First entry');
      expect(scanner.set('button').value).toBeUndefined();
    } finally {
      scanner.set('enable-test-options', false);
    }
  });

  it('keeps the effective resolution when the clerk asks for more than the scanner can do', () => {
    const high = scanner.set('resolution', 2400);
    expect(high).toMatchObject({ value: 1200, inexact: true, reloadParams: true });
    expect(scanner.get('resolution')).toBe(1200);
    const low = scanner.set('resolution', 0.25);
    expect(low).toMatchObject({ value: 1, inexact: true });
    expect(scanner.set('resolution', 300)).toMatchObject({ value: 300, inexact: false });
  });

  it.each([
    { mode: 'Gray', resolution: 150, channels: 1 },
    { mode: 'Gray', resolution: 300, channels: 1 },
    { mode: 'Color', resolution: 150, channels: 3 },
    { mode: 'Color', resolution: 300, channels: 3 },
  ] as const)('scans an A4 letter in $mode at $resolution dpi as one page of the expected size', async ({ mode, resolution, channels }) => {
    configureTestScanner(scanner, { mode, resolution, ...a4, picture: 'Solid black' });
    const expected = expectedPage(resolution, a4.widthMm, a4.heightMm, channels);
    expect(scanner.parameters()).toMatchObject({ lines: expected.lines, pixelsPerLine: expected.pixelsPerLine });
    const progress: ScanProgress[] = [];
    const { pages, error } = await scanToEnd(scanner, { onProgress: (p) => progress.push(p) });
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    const [page] = pages;
    expect(page?.params).toEqual({
      format: mode === 'Gray' ? 'GRAY' : 'RGB',
      lastFrame: true,
      depth: 8,
      pixelsPerLine: expected.pixelsPerLine,
      bytesPerLine: expected.bytesPerLine,
      lines: expected.lines,
    });
    expect(page?.heightKnown).toBe(true);
    expect(page?.data.length).toBe(expected.bytes);
    // Solid black: every sample is 0.
    expect(page?.data.equals(Buffer.alloc(expected.bytes))).toBe(true);
    expect(progress.at(-1)).toEqual({ page: 1, bytes: expected.bytes, expectedBytes: expected.bytes });
    expect(progress.length).toBeGreaterThan(1);
  });

  it('scans a stack of ten letters from the feeder and stops cleanly when it runs empty', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder, resolution: 75, ...a4, picture: 'Grid' });
    const expected = expectedPage(75, a4.widthMm, a4.heightMm, 1);
    const { pages, error } = await scanToEnd(scanner, { batch: true });
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const page of pages) expect(page.data.length).toBe(expected.bytes);
    // A grid has black lines on white: both values are present.
    expect(pages[0]?.data.includes(0)).toBe(true);
    expect(pages[0]?.data.includes(255)).toBe(true);
  });

  it('tells the clerk the feeder is empty when a batch starts with no paper', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder });
    // Take all ten sheets but stop before asking for an eleventh: the feeder is now empty.
    for await (const page of scanner.scan({ batch: true })) if (page.number === 10) break;
    const { pages, error } = await scanToEnd(scanner, { batch: true });
    expect(pages).toHaveLength(0);
    expect(error).toBeInstanceOf(SaneError);
    expect(error).toMatchObject({ status: 'NO_DOCS', pagesCompleted: 0, device: 'test:0', during: 'start' });
    // What the clerk reads, from the SANE driver.
    const told = saneFault(error, 'test:0');
    expect(told.code).toBe('SCANNER_NO_DOCS');
    expect(told.message).toMatch(/Tidak ada kertas di pengumpan/);
  });

  it('offers duplex only where the scanner has it: the test scanner has no duplex source', () => {
    const source = scanner.options().find((o) => o.name === 'source');
    expect(source?.constraint).toEqual({ kind: 'stringList', values: ['Flatbed', feeder] });
    const duplex = source?.constraint?.kind === 'stringList' ? source.constraint.values.filter((v) => /duplex/i.test(v)) : [];
    expect(duplex).toEqual([]);
  });

  it('changes settings between sheets of one batch', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder, resolution: 50 });
    const { pages, error } = await scanToEnd(scanner, { batch: true }, (page) => {
      if (page.number === 2) scanner.set('resolution', 100);
    });
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.params.lines)).toEqual([
      ...Array(2).fill(expectedPage(50, 50, 50, 1).lines),
      ...Array(8).fill(expectedPage(100, 50, 50, 1).lines),
    ]);
  });

  it('stops feeding when the clerk leaves the batch early, and the scanner is free again', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder });
    const seen: number[] = [];
    for await (const page of scanner.scan({ batch: true })) {
      seen.push(page.number);
      if (page.number === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    configureTestScanner(scanner, { source: 'Flatbed' });
    expect((await scanToEnd(scanner)).pages).toHaveLength(1);
  });

  it('scans from a hand scanner whose page height is known only at the end', async () => {
    configureTestScanner(scanner, { resolution: 100, handScanner: true });
    expect(scanner.parameters().lines).toBe(-1);
    const progress: ScanProgress[] = [];
    const { pages, error } = await scanToEnd(scanner, { onProgress: (p) => progress.push(p) });
    expect(error).toBeUndefined();
    // The backend's hand scanner is 110 mm wide and delivers 170 mm.
    const expected = expectedPage(100, 110, 170, 1);
    expect(pages[0]?.heightKnown).toBe(false);
    expect(pages[0]?.params).toMatchObject({ lines: expected.lines, pixelsPerLine: expected.pixelsPerLine, bytesPerLine: expected.bytesPerLine });
    expect(pages[0]?.data.length).toBe(expected.bytes);
    expect(progress.every((p) => p.expectedBytes === null)).toBe(true);
  });

  it('assembles a three-pass colour scan into the same RGB page as a single-pass scan', async () => {
    configureTestScanner(scanner, { mode: 'Color', picture: 'Color pattern', resolution: 50, widthMm: 100, heightMm: 60 });
    const single = await scanToEnd(scanner);
    configureTestScanner(scanner, { mode: 'Color', picture: 'Color pattern', resolution: 50, widthMm: 100, heightMm: 60, threePass: true });
    expect(scanner.parameters().format).toBe('RED');
    const threePass = await scanToEnd(scanner);
    expect(threePass.error).toBeUndefined();
    expect(threePass.pages[0]?.params).toEqual(single.pages[0]?.params);
    expect(threePass.pages[0]?.data.equals(single.pages[0]?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it('keeps the desk responsive while a page is being read', async () => {
    // The backend waits 200 ms before producing the page. Timers that fire before its first bytes
    // arrive show that the wait happens off the JS thread.
    configureTestScanner(scanner, { readDelayUs: 200_000 });
    let ticks = 0;
    let ticksBeforeData: number | undefined;
    const timer = setInterval(() => ticks++, 5);
    try {
      const { pages, error } = await scanToEnd(scanner, { onProgress: () => (ticksBeforeData ??= ticks) });
      expect(error).toBeUndefined();
      expect(pages).toHaveLength(1);
    } finally {
      clearInterval(timer);
    }
    expect(ticksBeforeData).toBeGreaterThan(0);
  });
});
