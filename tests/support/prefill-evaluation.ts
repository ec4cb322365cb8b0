// Scores the OCR pre-fill on the evaluation letters: each file is imported as the desk imports it,
// its head read by the OCR service, and the proposals compared with what a clerk would write —
// exact match per field, and how often something is proposed where the letter prints nothing.
// Run directly on the tuning half while working on the extractor (OCR readings are cached per
// corpus and OCR worker version, so a change of the rules is scored in a second):
//   node tests/support/prefill-evaluation.ts tuning
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { importDocument } from '../../main/documents/import.ts';
import { createOcrService, type OcrResult, type OcrService } from '../../main/documents/ocr/ocr.ts';
import { proposeLetterFields, type LetterProposals } from '../../main/documents/prefill.ts';
import { shippedClassifications } from '../../main/letters/numbering/classifications.ts';
import { corpusHash, letterScans, type LetterScan } from './letter-scans.ts';

const root = join(import.meta.dirname, '..', '..');

export const scoredFields = ['number', 'date', 'subject', 'sender', 'addressee', 'sifat', 'attachmentCount', 'classificationCode'] as const;
export type ScoredField = (typeof scoredFields)[number];

export interface Reading { scan: LetterScan; ocr: OcrResult; ms: number }

/** The desk's PDF of each scan (as imported), read head-first by `ocr`. */
export async function readScans(scans: LetterScan[], ocr: OcrService, options: { cache?: boolean } = {}): Promise<Reading[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-prefill-eval-'));
  const cacheDir = join(root, '.cache', 'ocr-readings', `${corpusHash()}-${workerHash()}`);
  if (options.cache === true) mkdirSync(cacheDir, { recursive: true });
  try {
    const blobs = createBlobStore(join(dir, 'blobs'));
    const readings: Reading[] = [];
    for (const scan of scans) {
      const cached = join(cacheDir, `${scan.index}.json`);
      if (options.cache === true && existsSync(cached)) {
        readings.push({ scan, ...(JSON.parse(readFileSync(cached, 'utf8')) as { ocr: OcrResult; ms: number }) });
        continue;
      }
      const imported = await importDocument(blobs, scan.bytes, scan.name);
      const pdf = await blobs.read(imported.pdf.hash);
      const started = performance.now();
      const result = await ocr.readHead(pdf, 'application/pdf');
      const ms = performance.now() - started;
      if (options.cache === true) writeFileSync(cached, JSON.stringify({ ocr: result, ms }));
      readings.push({ scan, ocr: result, ms });
    }
    return readings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function workerHash(): string {
  const h = createHash('sha256');
  for (const f of ['main/documents/ocr/worker.ts', 'main/documents/ocr/ocr.ts']) h.update(readFileSync(join(root, f)));
  return h.digest('hex').slice(0, 12);
}

const officeCodes = new Set(shippedClassifications().map((c) => c.code));
export const isOfficeCode = (code: string) => officeCodes.has(code);

/** The office's code a clerk files the letter under: the number's code, or its nearest listed parent. */
function expectedCode(numberCode: string | undefined): string | undefined {
  if (numberCode === undefined) return undefined;
  const parts = numberCode.split('.');
  for (let n = parts.length; n > 0; n--) {
    const code = parts.slice(0, n).join('.');
    if (officeCodes.has(code)) return code;
  }
  return undefined;
}

const canonical = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** The truth and the proposal of one field, as comparable strings; undefined where there is none. */
export function fieldPair(field: ScoredField, scan: LetterScan, p: LetterProposals): { expected: string | undefined; proposed: string | undefined } {
  const t = scan.truth;
  const sifat = (u?: string, s?: string) => (u === undefined && s === undefined ? undefined : `${u ?? '—'}/${s ?? '—'}`);
  switch (field) {
    case 'number': return { expected: t.number, proposed: p.number?.value };
    case 'date': return { expected: t.date, proposed: p.date?.value };
    case 'subject': return { expected: t.subject, proposed: p.subject?.value };
    case 'sender': return { expected: t.sender, proposed: p.sender?.value };
    case 'addressee': return { expected: t.addressee, proposed: p.addressee?.value };
    case 'sifat': return { expected: sifat(t.urgency, t.security), proposed: sifat(p.urgency?.value, p.security?.value) };
    case 'attachmentCount': return { expected: t.attachmentCount?.toString(), proposed: p.attachmentCount?.value.toString() };
    case 'classificationCode': return { expected: expectedCode(t.numberCode), proposed: p.classificationCode?.value };
  }
}

export interface FieldScore {
  /** Letters that print the field, and how many of them got exactly the right proposal. */
  printed: number;
  exact: number;
  /** Letters that print the field and got a wrong proposal (worse than none). */
  wrong: number;
  /** Letters that print nothing for the field, and how many got a proposal anyway. */
  absent: number;
  falseProposals: number;
}

export interface Evaluation { letters: number; fields: Record<ScoredField, FieldScore>; misses: string[]; medianMs: number }

export function evaluate(readings: Reading[]): Evaluation {
  const fields = Object.fromEntries(scoredFields.map((f) => [f, { printed: 0, exact: 0, wrong: 0, absent: 0, falseProposals: 0 }])) as Record<ScoredField, FieldScore>;
  const misses: string[] = [];
  for (const { scan, ocr } of readings) {
    const proposals = proposeLetterFields(ocr, { isOfficeCode });
    for (const field of scoredFields) {
      const { expected, proposed } = fieldPair(field, scan, proposals);
      const score = fields[field];
      if (expected === undefined) {
        score.absent++;
        if (proposed !== undefined) { score.falseProposals++; misses.push(`${scan.id} [${scan.effect}, ${scan.font}] ${field}: prints nothing, proposed "${proposed}"`); }
        continue;
      }
      score.printed++;
      if (proposed !== undefined && canonical(proposed) === canonical(expected)) score.exact++;
      else {
        if (proposed !== undefined) score.wrong++;
        misses.push(`${scan.id} [${scan.effect}, ${scan.font}] ${field}: expected "${expected}", proposed "${proposed ?? '—'}"`);
      }
    }
  }
  const ms = readings.map((r) => r.ms).sort((a, b) => a - b);
  return { letters: readings.length, fields, misses, medianMs: ms[Math.floor(ms.length / 2)] ?? 0 };
}

export const percent = (n: number, of: number) => (of === 0 ? 100 : Math.round((1000 * n) / of) / 10);

export function report(title: string, e: Evaluation): string {
  const rows = scoredFields.map((f) => {
    const s = e.fields[f];
    return `  ${f.padEnd(19)} exact ${String(s.exact).padStart(2)}/${String(s.printed).padEnd(2)} = ${String(percent(s.exact, s.printed)).padStart(5)} %` +
      `   wrong ${String(s.wrong).padStart(2)}   false proposals ${s.falseProposals}/${s.absent}`;
  });
  const absent = scoredFields.reduce((n, f) => n + e.fields[f].absent, 0);
  const falseProposals = scoredFields.reduce((n, f) => n + e.fields[f].falseProposals, 0);
  return [
    `${title}: ${e.letters} letters, head read in ${Math.round(e.medianMs)} ms median (OCR only)`,
    ...rows,
    `  false-proposal rate (a proposal where the letter prints nothing): ${falseProposals}/${absent} = ${percent(falseProposals, absent)} %`,
  ].join('\n');
}

if (import.meta.main) {
  const half = process.argv[2] === 'held-out' ? 'held-out' : 'tuning';
  const ocr = createOcrService();
  try {
    const readings = await readScans(await letterScans(half), ocr, { cache: true });
    const e = evaluate(readings);
    console.log(report(`OCR pre-fill, ${half} half`, e));
    // The letters missed are shown for the tuning half only: the held-out half is not to be tuned on.
    if (process.argv.includes('--misses') && half === 'tuning') console.log(e.misses.join('\n'));
  } finally {
    await ocr.close();
  }
}
