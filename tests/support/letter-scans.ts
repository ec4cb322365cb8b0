// The evaluation letters as files a clerk would import (a scanner's JPEG or PDF, a fax PNG, a
// phone photo), with their truth. Generating them takes a minute or two, so they are kept under
// .cache/letter-corpus/<hash of the generator's sources>/ and made again only when the generator changes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusFontFiles, corpusHalf, corpusLetter, corpusSize, type CorpusFont, type CorpusLayout, type CorpusTruth } from './letter-corpus.ts';
import { scanEffects, scanLetter, scannedLetterPdf, type ScanEffect } from './scan-effects.ts';

export interface LetterScan {
  id: string;
  index: number;
  layout: CorpusLayout;
  font: CorpusFont;
  effect: ScanEffect;
  half: 'tuning' | 'held-out';
  truth: CorpusTruth;
  /** The file as it reaches the desk. */
  name: string;
  bytes: Buffer;
}

const root = join(import.meta.dirname, '..', '..');

/** Changes whenever the generator, the scanner faults or the fonts change. */
export function corpusHash(): string {
  const h = createHash('sha256');
  for (const f of ['tests/support/letter-corpus.ts', 'tests/support/scan-effects.ts', 'tests/support/letter-scans.ts']) h.update(readFileSync(join(root, f)));
  for (const f of corpusFontFiles) h.update(f);
  return h.digest('hex').slice(0, 16);
}

async function makeScan(index: number): Promise<Omit<LetterScan, 'bytes'> & { bytes: Buffer }> {
  const letter = await corpusLetter(index);
  // 9 layouts and 8 faults: over 72 letters every layout meets every fault once.
  const effect = scanEffects[index % scanEffects.length]!;
  const pages = scanLetter(letter.pdf, effect, 7919 * (index + 1));
  const asImage = pages.length === 1 && (effect === 'foto-ponsel' || effect === 'faks' || index % 2 === 0);
  const bytes = asImage ? pages[0]!.image : Buffer.from(await scannedLetterPdf(pages));
  const name = asImage ? `surat-${letter.id}.${pages[0]!.kind === 'png' ? 'png' : 'jpg'}` : `surat-${letter.id}.pdf`;
  return { id: letter.id, index, layout: letter.layout, font: letter.font, effect, half: corpusHalf(index), truth: letter.truth, name, bytes };
}

/** The whole set (or one half), from the cache when the generator has not changed. */
export async function letterScans(half?: 'tuning' | 'held-out'): Promise<LetterScan[]> {
  const dir = join(root, '.cache', 'letter-corpus', corpusHash());
  mkdirSync(dir, { recursive: true });
  const scans: LetterScan[] = [];
  for (let index = 0; index < corpusSize; index++) {
    if (half !== undefined && corpusHalf(index) !== half) continue;
    const meta = join(dir, `${index}.json`);
    if (!existsSync(meta)) {
      const { bytes, ...rest } = await makeScan(index);
      writeFileSync(join(dir, rest.name), bytes);
      // Written last and atomically: a half-written letter is made again next time.
      writeFileSync(`${meta}.tmp`, JSON.stringify(rest));
      renameSync(`${meta}.tmp`, meta);
    }
    const rest = JSON.parse(readFileSync(meta, 'utf8')) as Omit<LetterScan, 'bytes'>;
    scans.push({ ...rest, bytes: readFileSync(join(dir, rest.name)) });
  }
  return scans;
}
