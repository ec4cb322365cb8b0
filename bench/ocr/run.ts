// OCR pre-fill benchmark, ours beside the Tesseract command line in one run. Not part of `npm test`:
//   node bench/ocr/run.ts [letters]        (default 12 letters of the evaluation set, every layout)
// For each letter, as the desk has it after import (a PDF):
//   ours, pre-fill  — the OCR service reads page 1's head (pdf.js raster, fast Indonesian model, in the
//                     worker thread) and the rules propose the fields: what the clerk waits for;
//   ours, page      — the whole page in one reading (what search gets, in the background);
//   tesseract CLI   — `tesseract page.png - -l ind` (Debian's build and model, its defaults) on the
//                     page image the PDF carries, as poppler's pdfimages extracts it.
// Alternating, after one warm-up of each. Prints medians and ratios; exits non-zero when the
// pre-fill's median is over the bar.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importDocument } from '../../main/documents/import.ts';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import { proposeLetterFields } from '../../main/documents/prefill.ts';
import { letterScans } from '../../tests/support/letter-scans.ts';

const bars = { prefillMedianMs: 1000 };
const count = Number(process.argv[2] ?? 12);
const work = mkdtempSync(join(tmpdir(), 'loket-bench-ocr-'));
const ocr = createOcrService();

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const ms = (v: number) => `${Math.round(v)} ms`;
const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');

/**
 * The CLI as installed; `threads: 1` as our worker reads (one thread; OpenMP's spinning threads fight
 * for a loaded machine's cores). Wall time, and CPU time: the shell that waited for it reads its
 * children's user + system ticks from /proc — a figure the other work on a shared machine disturbs far less.
 */
function cli(image: string, threads?: number): { ms: number; cpuMs: number } {
  const start = performance.now();
  const env = threads === undefined ? process.env : { ...process.env, OMP_THREAD_LIMIT: String(threads) };
  const stat = execFileSync('sh', ['-c', 'tesseract "$1" - -l ind >/dev/null 2>&1; cat /proc/$$/stat', 'sh', image], { env }).toString();
  const ms = performance.now() - start;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the state field (index 0 here): cutime and cstime are the 14th and 15th.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return { ms, cpuMs: (ticks * 1000) / 100 };
}

/** Wall and CPU time (every thread of this process: main, the OCR worker and tesseract.js's own) of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

console.log(`${availableParallelism()} CPUs, load average at start ${load()}`);
try {
  const blobs = createBlobStore(join(work, 'blobs'));
  const all = await letterScans();
  // Every layout and fault, spread over the set (a stride of 7 walks through the 9 layouts and the 8 faults).
  const chosen = Array.from({ length: count }, (_, i) => all[(i * 7) % all.length]!);
  const pages: Array<{ id: string; pdf: Buffer; image: string }> = [];
  for (const scan of chosen) {
    const imported = await importDocument(blobs, scan.bytes, scan.name);
    const pdf = await blobs.read(imported.pdf.hash);
    const dir = join(work, scan.id);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'letter.pdf'), pdf);
    execFileSync('pdfimages', ['-png', '-f', '1', '-l', '1', join(dir, 'letter.pdf'), join(dir, 'page')]);
    const image = readdirSync(dir).find((f) => f.endsWith('.png'))!;
    pages.push({ id: scan.id, pdf, image: join(dir, image) });
  }

  // Warm-up: the worker thread starts and loads the model; the CLI's files enter the page cache.
  const coldStart = performance.now();
  await ocr.readHead(pages[0]!.pdf, 'application/pdf');
  const cold = performance.now() - coldStart;
  cli(pages[0]!.image);

  const prefill: number[] = [];
  const prefillCpu: number[] = [];
  const whole: number[] = [];
  const baseline: number[] = [];
  const baselineCpu: number[] = [];
  const baseline1: number[] = [];
  const parts = { rasterMs: [] as number[], straightenMs: [] as number[], readMs: [] as number[] };
  const rows: string[] = [];
  for (const page of pages) {
    const a = await timed(async () => {
      const head = await ocr.readHead(page.pdf, 'application/pdf');
      return { head, fields: Object.keys(proposeLetterFields(head)).length };
    });
    const head = a.value.head;
    for (const k of ['rasterMs', 'straightenMs', 'readMs'] as const) parts[k].push(head.timings?.[k] ?? 0);
    const b = cli(page.image);
    const c = await timed(() => ocr.recognizeFirstPage(page.pdf, 'application/pdf'));
    const d = cli(page.image, 1);
    prefill.push(a.ms); prefillCpu.push(a.cpuMs); baseline.push(b.ms); baselineCpu.push(b.cpuMs); whole.push(c.ms); baseline1.push(d.ms);
    rows.push(`    ${page.id.padEnd(20)} pre-fill ${ms(a.ms).padStart(7)} [cpu ${ms(a.cpuMs)}] (${a.value.fields} fields; raster ${head.timings?.rasterMs} + straighten ${head.timings?.straightenMs} + read ${head.timings?.readMs})   whole page ${ms(c.ms).padStart(7)}   CLI ${ms(b.ms).padStart(7)} [cpu ${ms(b.cpuMs)}], 1 thread ${ms(d.ms).padStart(7)}`);
  }
  console.log(`OCR of page 1 for ${pages.length} letters of the evaluation set (median):`);
  console.log(rows.join('\n'));
  console.log(`  ours, pre-fill (head of page 1 → proposals)  ${ms(median(prefill))}, CPU ${ms(median(prefillCpu))}   (bar ≤ ${bars.prefillMedianMs} ms; first reading after start ${ms(cold)})`);
  console.log(`    of which page → raster ${ms(median(parts.rasterMs))}, straighten ${ms(median(parts.straightenMs))}, Tesseract on the head ${ms(median(parts.readMs))}`);
  console.log(`  ours, whole page in one reading              ${ms(median(whole))}`);
  console.log(`  tesseract CLI, whole page                    ${ms(median(baseline))}, CPU ${ms(median(baselineCpu))}   (one thread: ${ms(median(baseline1))})`);
  console.log(`  ratio pre-fill / CLI ${(median(prefill) / median(baseline)).toFixed(2)}× (one-thread CLI ${(median(prefill) / median(baseline1)).toFixed(2)}×; CPU time ${(median(prefillCpu) / median(baselineCpu)).toFixed(2)}×), whole page / CLI ${(median(whole) / median(baseline)).toFixed(2)}× (one-thread ${(median(whole) / median(baseline1)).toFixed(2)}×)`);
  console.log(`load average at the end ${load()}`);
  if (median(prefill) > bars.prefillMedianMs) {
    console.log(`BELOW THE BAR: pre-fill median ${ms(median(prefill))}`);
    process.exitCode = 1;
  } else console.log('pre-fill within its bar');
} finally {
  await ocr.close();
  rmSync(work, { recursive: true, force: true });
}
