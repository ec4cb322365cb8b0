// The eSCL driver behind the desk's scanner interface, against the eSCL test rig over real HTTP and
// HTTPS on 127.0.0.1: what it lists and what each scanner can do in the desk's terms, a page from
// the glass, a ten-sheet feeder batch and its duplex twin with every page exactly as the device
// sent it and in order, a jam mid-batch keeping the pages before it (and the next scan going on
// from the sheet that jammed), an open hatch, an empty feeder, a device warming up, a slow one, a
// dropped transfer, a device that disappears mid-scan, cancel, PDF-only devices, and HTTPS with a
// certificate pinned on first use (a changed one refused before anything is sent to it).
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { esclDriver } from '../../main/devices/scanner/escl/driver.ts';
import type { ScanDriver, ScannedPage } from '../../main/devices/scanner/types.ts';
import { startEsclRig, type EsclRig, type RigOptions } from '../support/escl-rig.ts';

const rigs: EsclRig[] = [];
const drivers: ScanDriver[] = [];
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.closeAll();
  for (const rig of rigs.splice(0)) await rig.close();
});

/** A rig and a driver that knows its address (no mDNS here: tests/integration/escl-discovery.test.ts). */
async function setUp(options: RigOptions = {}, trusted: { origin: string; sha256: string }[] = []) {
  const rig = await startEsclRig(options);
  rigs.push(rig);
  // Short pauses and budgets: the behaviour is the same, the test waits less.
  const driver = esclDriver({ timings: { discoveryMs: 0, retryPauseMs: 150, busyBudgetMs: 8_000, requestMs: 5_000, documentMs: 10_000 } });
  drivers.push(driver);
  driver.configure!({ known: [{ url: rig.url, label: null }], trusted });
  // The device's name is its eSCL root, port always written.
  return { rig, driver, device: rig.url };
}

interface Outcome {
  pages: ScannedPage[];
  error: AppError | undefined;
  resolution: number;
}

async function scan(driver: ScanDriver, device: string, settings: ScanSettings, options: { abortAfterPage?: number } = {}): Promise<Outcome> {
  const prepared = await driver.prepare(device, settings);
  const abort = new AbortController();
  const pages: ScannedPage[] = [];
  try {
    for await (const page of prepared.pages({ signal: abort.signal, onProgress: () => {} })) {
      pages.push(page);
      if (page.number === options.abortAfterPage) abort.abort();
    }
    return { pages, error: undefined, resolution: prepared.resolution };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { pages, error: err, resolution: prepared.resolution };
  }
}

/** The page bytes the driver handed over, as base64 to compare. */
const bytesOf = (pages: ScannedPage[]) => pages.map((p) => Buffer.from(p.image.data).toString('base64'));
/** What the rig served, one entry per document. */
const servedOf = (rig: EsclRig) => rig.jobs.flatMap((j) => j.documents.map((d) => d.bytes.toString('base64')));

const grayA4: ScanSettings = { source: 'flatbed', mode: 'gray', resolution: 150, paperSize: 'a4' };
const feeder: ScanSettings = { source: 'adf', mode: 'gray', resolution: 100, paperSize: 'a4' };

describe('the eSCL driver in the desk’s terms', () => {
  it('lists a scanner by the address the desk knows, with its name and where it is, and says what it can do', async () => {
    const { rig, driver } = await setUp({ makeAndModel: 'Kantor MFP 4100' });
    const found = await driver.list();
    expect(found).toEqual([{ name: `http://127.0.0.1:${rig.port}/eSCL`, label: 'Kantor MFP 4100 (127.0.0.1)', vendor: '', model: 'Kantor MFP 4100', connection: 'network', address: '127.0.0.1', demo: false }]);
    expect(await driver.capabilities(found[0]!.name)).toEqual({
      sources: ['flatbed', 'adf', 'duplex'],
      // Lineart is scanned in gray; the page pipeline makes text pages 1-bit.
      modes: ['color', 'gray', 'lineart'],
      resolutions: [100, 150, 200, 300, 600],
      // 2550 × 4200 in 1/300 inch: Legal width and length.
      maxArea: { widthMm: 215.9, heightMm: 355.6 },
      paperSizes: ['a4', 'f4', 'letter', 'legal'],
    });
  });

  it('scans an A4 sheet from the glass as one JPEG page exactly as the scanner sent it, asking for the paper’s region at the resolution chosen', async () => {
    const { rig, driver, device } = await setUp();
    const { pages, error, resolution } = await scan(driver, device, grayA4);
    expect(error).toBeUndefined();
    expect(resolution).toBe(150);
    expect(pages.map((p) => [p.number, p.image.kind, p.image.dpi])).toEqual([[1, 'jpeg', 150]]);
    expect(bytesOf(pages)).toEqual(servedOf(rig));
    // 210 × 297 mm in 1/300 inch, gray, from the platen.
    expect(rig.jobs.map((j) => j.settings)).toEqual([{ inputSource: 'Platen', colorMode: 'Grayscale8', format: 'image/jpeg', resolution: 150, width: 2480, height: 3508, duplex: false }]);
  });

  it('scans a ten-sheet feeder batch as ten pages in feeder order, ending when the feeder runs empty', async () => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    const { pages, error } = await scan(driver, device, feeder);
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rig.jobs[0]!.documents.map((d) => d.sheet)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bytesOf(pages)).toEqual(servedOf(rig));
    expect(rig.jobs[0]!.state).toBe('Completed');
    expect(rig.sheetsLeft()).toBe(0);
  });

  it('scans both sides of ten sheets as twenty pages, front then back of each sheet', async () => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    const { pages, error } = await scan(driver, device, { ...feeder, source: 'duplex', mode: 'color' });
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(20);
    expect(rig.jobs[0]!.settings).toMatchObject({ inputSource: 'Feeder', duplex: true, colorMode: 'RGB24' });
    expect(rig.jobs[0]!.documents.slice(0, 4).map((d) => `${d.sheet} ${d.side}`)).toEqual(['1 depan', '1 belakang', '2 depan', '2 belakang']);
    expect(bytesOf(pages)).toEqual(servedOf(rig));
  });

  it.each([409, 500, 404] as const)('a jam after sheet 3 (the device answers %i, its status says ScannerAdfJam) keeps three pages, says so in Indonesian, and the next scan goes on from sheet 4', async (jamStatus) => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    rig.faults.jamAfterSheets = 3;
    rig.faults.jamStatus = jamStatus;
    const { pages, error } = await scan(driver, device, feeder);
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(error?.code).toBe('SCANNER_JAMMED');
    expect(error?.details?.pagesCompleted).toBe(3);
    expect(error?.message).toBe('Kertas macet di pemindai. Halaman yang sudah terpindai tetap tersimpan; rapikan kertas lalu lanjutkan. Halaman 1–3 sudah terpindai.');
    // The clerk clears the jam and puts the sheets back: the scan goes on from the sheet that jammed.
    rig.faults.jamAfterSheets = null;
    const rest = await scan(driver, device, feeder);
    expect(rest.error).toBeUndefined();
    expect(rig.jobs[1]!.documents.map((d) => d.sheet)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rest.pages).toHaveLength(7);
  });

  it('an open feeder hatch, and an empty feeder, are refused before any paper moves, with the clerk’s messages', async () => {
    const { rig, driver, device } = await setUp({ sheets: 0 });
    const empty = await scan(driver, device, feeder);
    expect([empty.pages.length, empty.error?.code]).toEqual([0, 'SCANNER_NO_DOCS']);
    expect(empty.error?.message).toBe('Tidak ada kertas di pengumpan (ADF). Letakkan kertas di pengumpan lalu coba lagi.');
    rig.loadFeeder(5);
    rig.faults.hatchOpen = true;
    const open = await scan(driver, device, feeder);
    expect([open.pages.length, open.error?.code]).toEqual([0, 'SCANNER_COVER_OPEN']);
    expect(rig.jobs).toHaveLength(0);
  });

  it('an empty feeder the device reports only by its replies (409 at ScanJobs, or 404 at the first NextDocument) is an empty feeder too', async () => {
    const { rig, driver, device } = await setUp({ sheets: 0, silentAdf: true });
    const refused = await scan(driver, device, feeder);
    expect([refused.pages.length, refused.error?.code]).toEqual([0, 'SCANNER_NO_DOCS']);
    rig.faults.emptyFeeder = 'nextdocument-404';
    const noPages = await scan(driver, device, feeder);
    expect([noPages.pages.length, noPages.error?.code]).toEqual([0, 'SCANNER_NO_DOCS']);
    expect(rig.jobs).toHaveLength(1);
  });

  it('waits for a scanner warming up (503 with Retry-After at ScanJobs), then scans', async () => {
    const { rig, driver, device } = await setUp();
    rig.faults.warmingUp = 2;
    const { pages, error } = await scan(driver, device, grayA4);
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(rig.requests.filter((r) => r.method === 'POST' && r.path === '/eSCL/ScanJobs')).toHaveLength(3);
  });

  it.each(['hold', '503'] as const)('waits for a slow scanner (each page takes 1.2 s; while scanning the device %s), page after page', async (whileScanning) => {
    const { rig, driver, device } = await setUp({ sheets: 3 });
    rig.faults.pageMs = 1_200;
    rig.faults.whileScanning = whileScanning;
    const started = Date.now();
    const { pages, error } = await scan(driver, device, feeder);
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 1_200);
    expect(bytesOf(pages)).toEqual(servedOf(rig));
  });

  it('fetches a page again when its transfer is cut off half way, and loses nothing', async () => {
    const { rig, driver, device } = await setUp({ sheets: 4 });
    rig.faults.dropDocument = 2;
    const { pages, error } = await scan(driver, device, feeder);
    expect(error).toBeUndefined();
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    expect(bytesOf(pages)).toEqual(servedOf(rig));
    expect(rig.requests.filter((r) => r.path.endsWith('/NextDocument'))).toHaveLength(6);
  });

  it('a scanner that disappears mid-batch ends the scan as a lost connection, keeping the pages before it', async () => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    rig.faults.disappearAfterDocuments = 4;
    const started = Date.now();
    const { pages, error } = await scan(driver, device, feeder);
    expect(pages.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    expect(error?.code).toBe('SCANNER_IO');
    expect(error?.details?.pagesCompleted).toBe(4);
    expect(error?.message).toBe('Sambungan ke pemindai jaringan terputus saat bekerja. Halaman yang sudah terpindai tetap tersimpan; periksa jaringan dan daya pemindai, lalu coba lagi. Halaman 1–4 sudah terpindai.');
    // A few quick attempts to reconnect, not a long wait.
    expect(Date.now() - started).toBeLessThan(5_000);
    // Listed again, it is not found, and says so.
    expect((await failureOf(driver.capabilities(device))).code).toBe('SCANNER_NOT_FOUND');
  });

  it('cancels a batch between sheets: the job is deleted on the device, the pages before it kept', async () => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    const { pages, error } = await scan(driver, device, feeder, { abortAfterPage: 2 });
    expect(pages).toHaveLength(2);
    expect(error?.code).toBe('SCANNER_CANCELLED');
    expect(error?.details?.pagesCompleted).toBe(2);
    expect(rig.requests.some((r) => r.method === 'DELETE' && r.path === `/eSCL/ScanJobs/${rig.jobs[0]!.id}`)).toBe(true);
    expect(rig.jobs[0]!.state).toBe('Canceled');
  });

  it('leaves no job running on the device when the caller stops taking pages (it could not keep one)', async () => {
    const { rig, driver, device } = await setUp({ sheets: 10 });
    const prepared = await driver.prepare(device, feeder);
    for await (const page of prepared.pages({ signal: new AbortController().signal, onProgress: () => {} })) {
      if (page.number === 2) break;
    }
    expect(rig.jobs[0]!.state).toBe('Canceled');
    expect(rig.jobs[0]!.documents).toHaveLength(2);
  });

  it('takes the pages out of PDF documents from a scanner that sends only PDF, one per page or a whole batch in one', async () => {
    const perPage = await setUp({ sheets: 3, formats: ['application/pdf'] });
    const one = await scan(perPage.driver, perPage.device, feeder);
    expect(one.error).toBeUndefined();
    expect(one.pages.map((p) => [p.image.kind, p.image.dpi])).toEqual([['jpeg', 100], ['jpeg', 100], ['jpeg', 100]]);
    expect(perPage.rig.jobs[0]!.settings.format).toBe('application/pdf');
    const whole = await setUp({ sheets: 4, formats: ['application/pdf'], pdfWholeBatch: true });
    const batch = await scan(whole.driver, whole.device, { ...feeder, source: 'duplex' });
    expect(batch.error).toBeUndefined();
    expect(batch.pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(whole.rig.requests.filter((r) => r.path.endsWith('/NextDocument'))).toHaveLength(2);
  });

  it('a scanner the desk knows that does not answer is listed, and its capabilities say it is not answering', async () => {
    const { rig, driver, device } = await setUp();
    await rig.close();
    expect((await driver.list()).map((d) => d.name)).toEqual([device]);
    const error = await failureOf(driver.capabilities(device));
    expect(error.code).toBe('SCANNER_NOT_FOUND');
    expect(error.message).toBe('Pemindai jaringan di 127.0.0.1 tidak menjawab. Pastikan pemindai menyala dan tersambung ke jaringan yang sama, lalu cari pemindai lagi.');
  });
});

describe('the eSCL driver over HTTPS', () => {
  it('trusts a self-signed certificate on first use and says which; scans with it pinned; refuses a changed one before sending it anything', async () => {
    const { rig, driver, device } = await setUp({ https: true });
    const [found] = await driver.list();
    expect(found?.name).toBe(`https://127.0.0.1:${rig.port}/eSCL`);
    // The fingerprint openssl reports for the rig's certificate.
    expect(found?.certificate).toMatchObject({ sha256: rig.certificateSha256(), subject: 'Loket eSCL Rig', issuer: 'Loket eSCL Rig' });
    const origin = `https://127.0.0.1:${rig.port}`;
    driver.configure!({ known: [{ url: rig.url, label: null }], trusted: [{ origin, sha256: rig.certificateSha256()! }] });
    const pinned = await scan(driver, device, grayA4);
    expect(pinned.error).toBeUndefined();
    expect(bytesOf(pinned.pages)).toEqual(servedOf(rig));

    const old = rig.certificateSha256();
    rig.replaceCertificate();
    const requestsBefore = rig.requests.length;
    await driver.close(device);
    const error = await failureOf(driver.capabilities(device));
    expect(error.code).toBe('SCANNER_CERTIFICATE_CHANGED');
    expect((error.details?.presented as { sha256: string }).sha256).toBe(rig.certificateSha256());
    expect(rig.certificateSha256()).not.toBe(old);
    const refused = await failureOf(driver.prepare(device, grayA4));
    expect(refused.code).toBe('SCANNER_CERTIFICATE_CHANGED');
    // Not one HTTP request reached the device presenting the other certificate.
    expect(rig.requests.length).toBe(requestsBefore);

    // An admin compared the fingerprint and trusts the new certificate: the desk scans again.
    driver.configure!({ known: [{ url: rig.url, label: null }], trusted: [{ origin, sha256: rig.certificateSha256()! }] });
    const again = await scan(driver, device, grayA4);
    expect(again.error).toBeUndefined();
    expect(again.pages).toHaveLength(1);
  });
});

async function failureOf(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the call succeeded, a failure was expected');
}
