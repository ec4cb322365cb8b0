// Every shipped template, filled in as a drafter would, drawn by poppler at 300 dpi and compared
// with its reference image (tests/integration/references/drafting/): a part of the layout that moves,
// a font that changes or a line that wraps elsewhere shows as pixels that differ. A pixel counts as
// different only when the other image has no pixel of its colour next to it, so anti-aliasing and
// one-pixel rounding between poppler versions pass. After a deliberate change of the layout, look at
// the new images and write them with LOKET_UPDATE_REFERENCES=1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLetter } from '../../main/letters/drafting/render.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { sampleDraft } from '../support/drafts.ts';

const references = join(import.meta.dirname, 'references', 'drafting');
const update = process.env.LOKET_UPDATE_REFERENCES === '1';
const dpi = 300;
/** Share of the page's pixels allowed to differ. A line of text moved by one point is far more. */
const tolerance = 0.0005;

let work: string;
beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'loket-drafting-reference-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Bitmap { width: number; height: number; ink: Uint8Array }

async function bitmapOf(png: Buffer): Promise<Bitmap> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, image.width, image.height).data;
  const ink = new Uint8Array(image.width * image.height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4]! < 128 ? 1 : 0;
  return { width: image.width, height: image.height, ink };
}

/** Pixels of `a` whose colour appears nowhere in the 3×3 neighbourhood of the same place in `b`. */
function unmatched(a: Bitmap, b: Bitmap): number {
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const v = a.ink[y * a.width + x]!;
      if (y < b.height && x < b.width && b.ink[y * b.width + x] === v) continue;
      let found = false;
      for (let dy = -1; dy <= 1 && !found; dy++) {
        for (let dx = -1; dx <= 1 && !found; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < b.height && xx >= 0 && xx < b.width && b.ink[yy * b.width + xx] === v) found = true;
        }
      }
      if (!found) count++;
    }
  }
  return count;
}

describe('the shipped templates against their reference images at 300 dpi', () => {
  const letterhead = shippedLetterhead();
  it.each(shippedTemplates().map((t) => [t.type, t] as const))('%s', async (type, template) => {
    const pdfPath = join(work, `${type}.pdf`);
    writeFileSync(pdfPath, await renderLetter({ template, letterhead, draft: sampleDraft(template) }));
    execFileSync('pdftoppm', ['-r', String(dpi), '-mono', '-png', '-singlefile', pdfPath, join(work, type)]);
    const rendered = readFileSync(join(work, `${type}.png`));
    const reference = join(references, `${type}.png`);
    if (update) {
      mkdirSync(references, { recursive: true });
      writeFileSync(reference, rendered);
    }
    expect(existsSync(reference), `${reference} (write it with LOKET_UPDATE_REFERENCES=1)`).toBe(true);
    const now = await bitmapOf(rendered);
    const then = await bitmapOf(readFileSync(reference));
    expect([now.width, now.height]).toEqual([then.width, then.height]);
    // A4 at 300 dpi (poppler rounds the width up).
    expect(Math.abs(now.width - (595.28 * dpi) / 72)).toBeLessThan(1.5);
    expect(Math.abs(now.height - (841.89 * dpi) / 72)).toBeLessThan(1.5);
    const differing = Math.max(unmatched(now, then), unmatched(then, now));
    expect(differing / (now.width * now.height)).toBeLessThanOrEqual(tolerance);
  });

  it('tells a letter whose signature block moved by a line from its reference', async () => {
    const template = shippedTemplates().find((t) => t.type === 'surat_dinas')!;
    const draft = sampleDraft(template);
    const moved = { ...draft, body: [...draft.body, { kind: 'paragraph' as const, runs: [{ text: 'Satu baris tambahan.' }] }] };
    const pdfPath = join(work, 'moved.pdf');
    writeFileSync(pdfPath, await renderLetter({ template, letterhead, draft: moved }));
    execFileSync('pdftoppm', ['-r', String(dpi), '-mono', '-png', '-singlefile', pdfPath, join(work, 'moved')]);
    const now = await bitmapOf(readFileSync(join(work, 'moved.png')));
    const then = await bitmapOf(readFileSync(join(references, 'surat_dinas.png')));
    expect(Math.max(unmatched(now, then), unmatched(then, now)) / (now.width * now.height)).toBeGreaterThan(tolerance);
  });
});
