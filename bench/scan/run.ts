// Scan benchmark, our code beside its baselines in one run. Not part of `npm test`:
//   node bench/scan/run.ts
// (a) wall time of scan→PDF for a 10-sheet ADF batch at 300 dpi gray: SANE test backend through our
//     device worker + page pipeline, vs `scanimage --batch` + `img2pdf` on the same device settings;
// (b) bytes per text page of our PDF vs a gray JPEG q75 PDF (cjpeg, what NAPS2 makes by default) of
//     the same pages, with Tesseract (ind, tesseract.js through main/documents/ocr) character error
//     rates on both;
// (c) the longest main-thread stall (perf_hooks event-loop delay) during a 50-page batch;
// (d) a 10-sheet ADF batch at 300 dpi gray from a network scanner (the eSCL test rig on 127.0.0.1),
//     the same pages to both: our eSCL driver through the device worker until every page is kept
//     (fsynced in the spool) vs `scanimage --batch` through sane-airscan (Debian's eSCL client)
//     writing its page files — the driver's bar; and, for information, on to one PDF: ours through
//     the page pipeline vs scanimage + `img2pdf`.
// Prints the figures and ratios; exits non-zero when one misses the bar.
// `node bench/scan/run.ts a c` runs only those parts.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { collectingLogger } from '../../common/logger.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import { jpegWithDensity } from '../../main/documents/image-density.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import type { PagePipeline, ProcessedPage, RawPage } from '../../main/scan/pipeline/types.ts';
import type { ScanSettings } from '../../common/ipc/scan.ts';
import { startEsclRig } from '../../tests/support/escl-rig.ts';
import { a4, feeder, useSaneTestBackend } from '../../tests/support/sane-test-backend.ts';
import { syntheticLetters } from '../../tests/support/synthetic-letters.ts';
import { grayPageFromJpeg, syntheticPage, textPageLines } from '../../tests/support/synthetic-pages.ts';

const bars = { wallTimeRatio: 1.0, bytesRatio: 0.2, stallMs: 50, esclWallTimeRatio: 1.0 };
/** The SANE test backend's first device: `test:0` to scanimage, `sane:test:0` to the desk. */
const device = 'test:0';
const deskDevice = `sane:${device}`;
const dpi = 300;
/** Our side of the comparison, in the desk's terms: gray, 300 dpi, A4 from the feeder (the Grid picture, set below). */
const feederGray: ScanSettings = { source: 'adf', mode: 'gray', resolution: dpi, paperSize: 'a4' };
const rounds = 5;

const backend = useSaneTestBackend();
const work = mkdtempSync(join(tmpdir(), 'loket-bench-scan-'));
// Fault injection on, for the test backend's picture (scanner.testOptions).
// No mDNS browse: the rig is asked by its address.
const host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), startTimeoutMs: 30_000, readyWaitMs: 30_000, env: { LOKET_DEVICE_FAULTS: '1', LOKET_ESCL_DISCOVERY_MS: '0' } });
const pipeline = createPagePipeline();
const failures: string[] = [];

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const ms = (v: number) => `${Math.round(v)} ms`;
const kb = (v: number) => `${(v / 1024).toFixed(1)} KiB`;

/**
 * One feeder batch through the device worker, every page into the pipeline the moment it arrives:
 * as in the scan session, the worker keeps each page in a spool folder and main passes on its path.
 */
async function scanBatch(p: PagePipeline): Promise<ProcessedPage[]> {
  // The test feeder holds ten sheets per open: reopening the device reloads it.
  await host.request('scanner.close', { device: deskDevice });
  await host.request('scanner.testOptions', { device: deskDevice, options: { 'test-picture': 'Grid' } });
  const scanId = `bench-${Math.random().toString(36).slice(2)}`;
  const spool = mkdtempSync(join(work, 'spool-'));
  const processing: Promise<ProcessedPage>[] = [];
  const off = host.onEvent((event) => {
    if (event.name === 'scanner.page' && event.payload.scanId === scanId) processing.push(p.process({ file: event.payload.page.file }));
  });
  try {
    await host.request('scanner.scan', { device: deskDevice, scanId, settings: feederGray, spool }, { timeoutMs: 300_000 });
    return await Promise.all(processing);
  } finally {
    off();
    // Asynchronously, as the scan session clears its folder: unlinking 90 MB of pages blocks for tens of ms.
    await rm(spool, { recursive: true, force: true });
  }
}

async function oursScanToPdf(out: string): Promise<number> {
  const start = performance.now();
  const pages = await scanBatch(pipeline);
  writeFileSync(out, await pipeline.buildPdf(pages));
  if (pages.length !== 10) throw new Error(`expected 10 pages, got ${pages.length}`);
  return performance.now() - start;
}

function baselineScanToPdf(out: string): number {
  const dir = mkdtempSync(join(work, 'scanimage-'));
  const start = performance.now();
  // Same device and settings as ours: gray, 300 dpi, A4 from the feeder, the Grid picture.
  execFileSync('scanimage', [
    '-d', device, '--source', feeder, '--mode', 'Gray', '--depth', '8', '--resolution', String(dpi),
    '-l', '0', '-t', '0', '-x', String(a4.widthMm), '-y', String(a4.heightMm), '--test-picture', 'Grid',
    '--format=pnm', `--batch=${join(dir, 'page%02d.pnm')}`,
  ], { env: { ...process.env, SANE_CONFIG_DIR: backend.configDir }, stdio: 'ignore' });
  const files = readdirSync(dir).filter((f) => f.endsWith('.pnm')).sort().map((f) => join(dir, f));
  execFileSync('img2pdf', ['--output', out, ...files]);
  const elapsed = performance.now() - start;
  if (files.length !== 10) throw new Error(`scanimage gave ${files.length} pages`);
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

async function wallTime(): Promise<void> {
  // Warm-up of both (worker thread started, page cache filled), then alternating rounds.
  await oursScanToPdf(join(work, 'ours.pdf'));
  baselineScanToPdf(join(work, 'baseline.pdf'));
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ours.push(await oursScanToPdf(join(work, 'ours.pdf')));
    baseline.push(baselineScanToPdf(join(work, 'baseline.pdf')));
  }
  const ratio = median(ours) / median(baseline);
  console.log(`(a) 10-sheet ADF batch, 300 dpi gray → PDF (median of ${rounds}):`);
  console.log(`    ours (device worker + pipeline) ${ms(median(ours))} [${ours.map(ms).join(', ')}]; scanimage --batch + img2pdf ${ms(median(baseline))} [${baseline.map(ms).join(', ')}]`);
  console.log(`    ratio ${ratio.toFixed(2)}× (bar ≤ ${bars.wallTimeRatio}×); PDF sizes: ours ${kb(readFileSync(join(work, 'ours.pdf')).length)}, baseline ${kb(readFileSync(join(work, 'baseline.pdf')).length)}`);
  if (ratio > bars.wallTimeRatio) failures.push(`(a) wall time ratio ${ratio.toFixed(2)}×`);
}

/** The page as a gray JPEG q75 (true one-component JPEG, from cjpeg), in a one-page PDF. */
async function grayJpegPdf(page: RawPage): Promise<Uint8Array> {
  const pgm = Buffer.concat([Buffer.from(`P5\n${page.width} ${page.height}\n255\n`, 'latin1'), page.data]);
  const jpeg = jpegWithDensity(execFileSync('cjpeg', ['-grayscale', '-quality', '75'], { input: pgm, maxBuffer: 1 << 28 }), page.dpi);
  const pdf = await PDFDocument.create();
  const image = await pdf.embedJpg(jpeg);
  const size: [number, number] = [(page.width * 72) / page.dpi, (page.height * 72) / page.dpi];
  pdf.addPage(size).drawImage(image, { x: 0, y: 0, width: size[0], height: size[1] });
  return pdf.save();
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Edit distance of `ref` to the closest substring of `text` (Sellers), or to all of it. */
function editDistance(ref: string, text: string, substring: boolean): number {
  let prev = Array.from({ length: text.length + 1 }, (_, j) => (substring ? 0 : j));
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= text.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === text[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return substring ? Math.min(...prev) : prev[text.length]!;
}

interface OcrSample { page: RawPage; label: string; errors: (text: string) => { errors: number; chars: number } }

async function bytesAndAccuracy(): Promise<void> {
  const samples: OcrSample[] = [];
  for (const letter of syntheticLetters(dpi).slice(0, 4)) {
    // The letter's own number and subject, as printed; matched anywhere in the page's text.
    const refs = [letter.fields.number, letter.fields.subject];
    samples.push({
      page: await grayPageFromJpeg(letter.jpeg, letter.dpi),
      label: letter.id,
      errors: (text) => ({ errors: refs.reduce((n, r) => n + editDistance(r, normalise(text), true), 0), chars: refs.reduce((n, r) => n + r.length, 0) }),
    });
  }
  const full = normalise(textPageLines().join(' '));
  samples.push({
    page: syntheticPage({ content: 'text', dpi, seed: 77, skewDegrees: 1.1, noise: 15, dust: 3 }),
    label: 'text page (full text)',
    errors: (text) => ({ errors: editDistance(full, normalise(text), false), chars: full.length }),
  });
  const ocr = createOcrService();
  let oursBytes = 0;
  let jpegBytes = 0;
  const tally = { ours: { errors: 0, chars: 0 }, jpeg: { errors: 0, chars: 0 } };
  try {
    for (const sample of samples) {
      const jpegPdf = await grayJpegPdf(sample.page);
      const oursPdf = await pipeline.buildPdf([await pipeline.process({ ...sample.page, data: sample.page.data.slice() })]);
      oursBytes += oursPdf.length;
      jpegBytes += jpegPdf.length;
      const oursErr = sample.errors((await ocr.recognizeFirstPage(oursPdf, 'application/pdf')).text);
      const jpegErr = sample.errors((await ocr.recognizeFirstPage(jpegPdf, 'application/pdf')).text);
      for (const [k, v] of [['ours', oursErr], ['jpeg', jpegErr]] as const) {
        tally[k].errors += v.errors;
        tally[k].chars += v.chars;
      }
      console.log(`    ${sample.label}: ours ${kb(oursPdf.length)} (CER ${(oursErr.errors / oursErr.chars * 100).toFixed(1)}%), gray JPEG q75 ${kb(jpegPdf.length)} (CER ${(jpegErr.errors / jpegErr.chars * 100).toFixed(1)}%)`);
    }
  } finally {
    await ocr.close();
  }
  const ratio = oursBytes / jpegBytes;
  const oursCer = tally.ours.errors / tally.ours.chars;
  const jpegCer = tally.jpeg.errors / tally.jpeg.chars;
  console.log(`(b) text pages at ${dpi} dpi, ${samples.length} pages: ours ${kb(oursBytes / samples.length)}/page vs gray JPEG q75 ${kb(jpegBytes / samples.length)}/page → ratio ${ratio.toFixed(3)}× (bar ≤ ${bars.bytesRatio}×)`);
  console.log(`    Tesseract (ind) character error rate: ours ${(oursCer * 100).toFixed(2)}%, gray JPEG ${(jpegCer * 100).toFixed(2)}% (bar: ours not higher)`);
  if (ratio > bars.bytesRatio) failures.push(`(b) bytes ratio ${ratio.toFixed(3)}×`);
  if (oursCer > jpegCer) failures.push(`(b) CER ours ${(oursCer * 100).toFixed(2)}% > JPEG ${(jpegCer * 100).toFixed(2)}%`);
}

/**
 * Event-loop delay while `during` runs: longest and 99th percentile, in ms; and how long main's
 * event loop was busy in all (event-loop utilization: its own work, unlike delay, which on a loaded
 * machine also counts the time the thread waited for a core).
 */
async function loopDelay(during: () => Promise<void>): Promise<{ max: number; p99: number; busyMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const utilization = performance.eventLoopUtilization();
  histogram.enable();
  await during();
  histogram.disable();
  return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6, busyMs: performance.eventLoopUtilization(utilization).active };
}

async function mainThreadStall(): Promise<void> {
  const start = performance.now();
  const pages: ProcessedPage[] = [];
  const ours = await loopDelay(async () => {
    for (let batch = 0; batch < 5; batch++) pages.push(...(await scanBatch(pipeline)));
    writeFileSync(join(work, 'fifty.pdf'), await pipeline.buildPdf(pages));
  });
  const elapsed = performance.now() - start;
  // The same measure on a main thread that does nothing for as long: what the machine's load alone causes.
  const idle = await loopDelay(() => new Promise((resolve) => setTimeout(resolve, elapsed)));
  console.log(`(c) 50-page batch (5 feeder loads, 300 dpi gray) → one PDF in ${ms(elapsed)}: longest main-thread stall ${ours.max.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms (bar: none over ${bars.stallMs} ms); main's event loop busy ${ms(ours.busyMs)} in all`);
  console.log(`    same machine, main thread idle for as long: longest ${idle.max.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms`);
  if (pages.length !== 50) failures.push(`(c) ${pages.length} pages instead of 50`);
  if (ours.max > bars.stallMs) failures.push(`(c) main-thread stall ${ours.max.toFixed(1)} ms`);
}

/** Runs a tool to its end without blocking this process (exit 0 expected; a SANE batch ends with 7, "out of documents"). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 || (command === 'scanimage' && code === 7) ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** Part (d): the same ten sheets from the eSCL rig through our driver and through sane-airscan. */
async function esclWallTime(): Promise<void> {
  const rig = await startEsclRig({ makeAndModel: 'Loket Rig', sheets: 10 });
  const config = mkdtempSync(join(work, 'airscan-'));
  writeFileSync(join(config, 'dll.conf'), 'airscan\n');
  writeFileSync(join(config, 'airscan.conf'), `[devices]\n"Loket Rig" = ${rig.url}, eSCL\n\n[options]\ndiscovery = disable\n`);
  const esclDevice = `escl:${rig.url}`;

  /** Our driver: the batch scanned into the spool; then, when `out` is given, on through the pipeline to one PDF. Answers [scanned, pdf] ms. */
  const ours = async (out: string | undefined): Promise<[number, number]> => {
    rig.loadFeeder(10);
    const scanId = `bench-escl-${Math.random().toString(36).slice(2)}`;
    const spool = mkdtempSync(join(work, 'spool-'));
    const processing: Promise<ProcessedPage>[] = [];
    const off = host.onEvent((event) => {
      if (out !== undefined && event.name === 'scanner.page' && event.payload.scanId === scanId) processing.push(pipeline.process({ file: event.payload.page.file }));
    });
    const start = performance.now();
    try {
      const { pages } = await host.request('scanner.scan', { device: esclDevice, scanId, settings: feederGray, spool }, { timeoutMs: 300_000 });
      const scanned = performance.now() - start;
      if (pages !== 10) throw new Error(`expected 10 pages, got ${pages}`);
      if (out === undefined) return [scanned, 0];
      writeFileSync(out, await pipeline.buildPdf(await Promise.all(processing)));
      return [scanned, performance.now() - start];
    } finally {
      off();
      await rm(spool, { recursive: true, force: true });
    }
  };
  // The rig answers from this process: the baseline's tools run without blocking it. Answers [scanned, pdf] ms.
  const baseline = async (out: string | undefined): Promise<[number, number]> => {
    rig.loadFeeder(10);
    const dir = mkdtempSync(join(work, 'airscan-out-'));
    const start = performance.now();
    await run('scanimage', [
      '-d', 'airscan:e0:Loket Rig', '--source', 'ADF', '--mode', 'Gray', '--resolution', String(dpi),
      '-l', '0', '-t', '0', '-x', String(a4.widthMm), '-y', String(a4.heightMm), '--format=pnm', `--batch=${join(dir, 'page%02d.pnm')}`,
    ], { ...process.env, SANE_CONFIG_DIR: config });
    const scanned = performance.now() - start;
    const files = readdirSync(dir).filter((f) => f.endsWith('.pnm')).sort().map((f) => join(dir, f));
    if (files.length !== 10) throw new Error(`scanimage via sane-airscan gave ${files.length} pages`);
    if (out !== undefined) await run('img2pdf', ['--output', out, ...files], process.env);
    const elapsed = performance.now() - start;
    rmSync(dir, { recursive: true, force: true });
    return [scanned, out === undefined ? 0 : elapsed];
  };

  try {
    // Warm-up of both (the rig renders its pages once, the worker connects, the pipeline's thread starts).
    await ours(join(work, 'ours-escl.pdf'));
    await baseline(join(work, 'baseline-escl.pdf'));
    const scanOurs: number[] = [];
    const scanBaseline: number[] = [];
    const pdfOurs: number[] = [];
    const pdfBaseline: number[] = [];
    for (let i = 0; i < rounds; i++) {
      scanOurs.push((await ours(undefined))[0]);
      scanBaseline.push((await baseline(undefined))[0]);
    }
    for (let i = 0; i < rounds; i++) {
      pdfOurs.push((await ours(join(work, 'ours-escl.pdf')))[1]);
      pdfBaseline.push((await baseline(join(work, 'baseline-escl.pdf')))[1]);
    }
    const ratio = median(scanOurs) / median(scanBaseline);
    const pdfRatio = median(pdfOurs) / median(pdfBaseline);
    console.log(`(d) 10-sheet ADF batch from an eSCL scanner (the test rig), 300 dpi gray (median of ${rounds}):`);
    console.log(`    scanned into page files: ours (eSCL driver in the device worker, pages fsynced) ${ms(median(scanOurs))} [${scanOurs.map(ms).join(', ')}]; scanimage via sane-airscan --batch ${ms(median(scanBaseline))} [${scanBaseline.map(ms).join(', ')}]`);
    console.log(`    ratio ${ratio.toFixed(2)}× (bar ≤ ${bars.esclWallTimeRatio}×)`);
    console.log(`    on to one PDF (for information): ours (+ page pipeline) ${ms(median(pdfOurs))} [${pdfOurs.map(ms).join(', ')}]; scanimage + img2pdf ${ms(median(pdfBaseline))} [${pdfBaseline.map(ms).join(', ')}] → ratio ${pdfRatio.toFixed(2)}×; PDF sizes: ours ${kb(readFileSync(join(work, 'ours-escl.pdf')).length)}, baseline ${kb(readFileSync(join(work, 'baseline-escl.pdf')).length)}`);
    if (ratio > bars.esclWallTimeRatio) failures.push(`(d) eSCL driver wall time ratio ${ratio.toFixed(2)}×`);
  } finally {
    await rig.close();
  }
}

const parts = new Set(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['a', 'b', 'c', 'd']);
// The figures depend on what else the machine runs: say so next to them.
const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');
console.log(`${availableParallelism()} CPUs, load average at start ${load()}`);
try {
  await host.start();
  if (parts.has('a')) await wallTime();
  if (parts.has('c')) await mainThreadStall();
  if (parts.has('b')) await bytesAndAccuracy();
  if (parts.has('d')) await esclWallTime();
} finally {
  await pipeline.close();
  await host.stop();
  rmSync(work, { recursive: true, force: true });
  backend.cleanup();
}
console.log(`load average at the end ${load()}`);
if (failures.length > 0) {
  console.log(`BELOW THE BAR: ${failures.join('; ')}`);
  process.exitCode = 1;
} else console.log('all figures within their bars');
