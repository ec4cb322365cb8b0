// What the clerk meets when the scanner misbehaves, against real libsane and SANE's `test` backend:
// jams and open covers mid-batch keep the pages before them, every status has its typed error
// (SaneError from the SANE package, and the clerk's AppError the SANE driver makes of it),
// cancelling mid-page, a scanner already in use, and names that are not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../common/ipc/index.ts';
import type { AppError } from '../../common/errors.ts';
import { a4, configureTestScanner, expectedPage, feeder, scanToEnd, useSaneTestBackend, type InjectedStatus, withoutSane } from '../support/sane-test-backend.ts';
import { openDevice, SaneError, type ScannerDevice } from '../../native/sane/index.ts';
import { saneFault } from '../../main/devices/scanner/sane/faults.ts';

// Before anything reaches libsane: sane_init reads SANE_CONFIG_DIR once per process.
const backend = useSaneTestBackend();

describe.skipIf(withoutSane !== undefined)('scanner faults through the SANE binding', () => {
  let scanner: ScannerDevice;

  beforeAll(async () => {
    scanner = await openDevice('test:0');
  });

  afterAll(() => {
    scanner?.close();
    backend.cleanup();
  });

  /** What the clerk is told, as the SANE driver says it. */
  const told = (err: unknown): AppError => saneFault(err, 'test:0');

  /** What a call threw. */
  async function thrown(call: () => unknown): Promise<unknown> {
    try {
      await call();
    } catch (err) {
      return err;
    }
    throw new Error('the call succeeded, a failure was expected');
  }

  // Reopening refills the test feeder (10 sheets since the device was opened).
  async function loadFeeder(): Promise<void> {
    scanner.close();
    scanner = await openDevice('test:0');
  }

  it('a jammed feeder keeps the three sheets already scanned', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder, resolution: 75, ...a4, picture: 'Grid' });
    const { pages, error } = await scanToEnd(scanner, { batch: true }, (page) => {
      if (page.number === 3) scanner.set('read-return-value', 'SANE_STATUS_JAMMED');
    });
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3]);
    const expected = expectedPage(75, a4.widthMm, a4.heightMm, 1);
    for (const page of pages) expect(page.data.length).toBe(expected.bytes);
    expect(error).toBeInstanceOf(SaneError);
    expect(error).toMatchObject({ status: 'JAMMED', device: 'test:0', during: 'read', pagesCompleted: 3 });
    const jam = told(error);
    expect(jam.code).toBe('SCANNER_JAMMED');
    expect(jam.details).toMatchObject({ status: 'JAMMED', device: 'test:0', during: 'read', pagesCompleted: 3 });
    expect(jam.message).toBe('Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan. Halaman 1–3 sudah terpindai.');
  });

  it('an opened cover on the second sheet keeps the first sheet, and scanning resumes once it is closed', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder });
    const { pages, error } = await scanToEnd(scanner, { batch: true }, (page) => {
      if (page.number === 1) scanner.set('read-return-value', 'SANE_STATUS_COVER_OPEN');
    });
    expect(pages).toHaveLength(1);
    expect(error).toMatchObject({ status: 'COVER_OPEN', pagesCompleted: 1 });
    expect(told(error).code).toBe('SCANNER_COVER_OPEN');
    expect(told(error).details).toMatchObject({ pagesCompleted: 1 });
    expect(told(error).message).toMatch(/Penutup pemindai terbuka.*Halaman 1 sudah terpindai\.$/);
    // The clerk closes the cover and goes on with the rest of the stack.
    scanner.set('read-return-value', 'Default');
    const rest = await scanToEnd(scanner, { batch: true });
    expect(rest.error).toBeUndefined();
    expect(rest.pages.length).toBeGreaterThan(0);
  });

  it.each([
    ['SANE_STATUS_JAMMED', 'SCANNER_JAMMED'],
    ['SANE_STATUS_COVER_OPEN', 'SCANNER_COVER_OPEN'],
    ['SANE_STATUS_NO_DOCS', 'SCANNER_NO_DOCS'],
    ['SANE_STATUS_DEVICE_BUSY', 'SCANNER_BUSY'],
    ['SANE_STATUS_IO_ERROR', 'SCANNER_IO'],
    ['SANE_STATUS_ACCESS_DENIED', 'SCANNER_ACCESS_DENIED'],
    ['SANE_STATUS_CANCELLED', 'SCANNER_CANCELLED'],
    ['SANE_STATUS_UNSUPPORTED', 'SCANNER_UNSUPPORTED'],
    ['SANE_STATUS_INVAL', 'SCANNER_INVALID'],
    ['SANE_STATUS_NO_MEM', 'SCANNER_FAILED'],
    // A page that ends before its first line is a fault, not an empty page.
    ['SANE_STATUS_EOF', 'SCANNER_FAILED'],
  ] as [InjectedStatus, ErrorCode][])('a scanner answering %s shows the clerk %s', async (injected, code) => {
    configureTestScanner(scanner, { readReturn: injected });
    const { pages, error } = await scanToEnd(scanner);
    expect(pages).toHaveLength(0);
    expect(error).toMatchObject({ device: 'test:0', pagesCompleted: 0, status: injected.replace('SANE_STATUS_', '') });
    expect(told(error).code).toBe(code);
    expect(told(error).details).toMatchObject({ device: 'test:0', pagesCompleted: 0, status: injected.replace('SANE_STATUS_', '') });
    // Nothing is left hanging: with the fault gone the same scanner scans again.
    configureTestScanner(scanner);
    expect((await scanToEnd(scanner)).pages).toHaveLength(1);
  });

  it('the clerk cancels halfway through a page and the scanner is ready for the next one', async () => {
    // One byte per read makes this A4 page take many thousands of reads: long enough to cancel in.
    configureTestScanner(scanner, { resolution: 300, ...a4, readLimit: 1 });
    const full = expectedPage(300, a4.widthMm, a4.heightMm, 1).bytes;
    const abort = new AbortController();
    let received = 0;
    let settingMidPage: unknown;
    const { pages, error } = await scanToEnd(scanner, {
      signal: abort.signal,
      onProgress: (p) => {
        received = p.bytes;
        if (abort.signal.aborted) return;
        // Settings cannot change while a page is being read.
        try {
          scanner.set('resolution', 150);
        } catch (err) {
          settingMidPage = err;
        }
        abort.abort();
      },
    });
    expect(settingMidPage).toMatchObject({ status: 'DEVICE_BUSY' });
    expect(told(settingMidPage).code).toBe('SCANNER_BUSY');
    expect(pages).toHaveLength(0);
    expect(error).toMatchObject({ status: 'CANCELLED', pagesCompleted: 0 });
    expect(told(error).code).toBe('SCANNER_CANCELLED');
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(full);
    configureTestScanner(scanner);
    expect((await scanToEnd(scanner)).pages).toHaveLength(1);
  });

  it('cancelling between sheets of a batch keeps the sheets already scanned', async () => {
    await loadFeeder();
    configureTestScanner(scanner, { source: feeder });
    const abort = new AbortController();
    const { pages, error } = await scanToEnd(scanner, { batch: true, signal: abort.signal }, (page) => {
      if (page.number === 2) abort.abort();
    });
    expect(pages).toHaveLength(2);
    expect(error).toMatchObject({ status: 'CANCELLED', pagesCompleted: 2 });
    expect(told(error).code).toBe('SCANNER_CANCELLED');
    expect(told(error).message).toMatch(/Halaman 1–2 sudah terpindai\.$/);
  });

  it('a scanner already in use by another window is reported busy, and free again once closed', async () => {
    const first = await openDevice('test:1');
    try {
      const busy = await thrown(() => openDevice('test:1'));
      expect(busy).toMatchObject({ status: 'DEVICE_BUSY', device: 'test:1', during: 'open' });
      expect(saneFault(busy, 'test:1')).toMatchObject({ code: 'SCANNER_BUSY', details: { status: 'DEVICE_BUSY', device: 'test:1', during: 'open' } });
    } finally {
      first.close();
    }
    const second = await openDevice('test:1');
    second.close();
  });

  it('a scanner that is not attached is reported as not found', async () => {
    const missing = await thrown(() => openDevice('test:7'));
    expect(missing).toMatchObject({ status: 'INVAL', device: 'test:7', during: 'open' });
    expect(saneFault(missing, 'test:7')).toMatchObject({ code: 'SCANNER_NOT_FOUND', details: { device: 'test:7' } });
  });

  it('a setting the scanner does not have, or a value of the wrong kind, is refused clearly', async () => {
    const unknown = await thrown(() => scanner.set('kecerahan', 10));
    expect(unknown).toMatchObject({ status: 'INVAL', option: 'kecerahan' });
    expect(told(unknown)).toMatchObject({ code: 'SCANNER_INVALID', details: expect.objectContaining({ option: 'kecerahan' }) });
    const wrongKind = await thrown(() => scanner.set('resolution', 'tinggi'));
    expect(told(wrongKind)).toMatchObject({ code: 'SCANNER_INVALID', details: expect.objectContaining({ option: 'resolution' }) });
    expect(told(await thrown(() => scanner.set('mode', 'Lineart'))).code).toBe('SCANNER_INVALID');
    // Inactive until colour mode is chosen.
    configureTestScanner(scanner, { mode: 'Gray' });
    expect(told(await thrown(() => scanner.set('three-pass', true))).code).toBe('SCANNER_INVALID');
  });

  it('a closed scanner cannot be used by mistake: a bug of the caller, not a scanner fault', async () => {
    const device = await openDevice('test:1');
    device.close();
    const misuse = await thrown(() => device.options());
    expect(misuse).toBeInstanceOf(Error);
    expect(misuse).not.toBeInstanceOf(SaneError);
    expect(told(misuse).code).toBe('INTERNAL');
  });
});
