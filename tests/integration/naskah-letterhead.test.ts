// An office's own logo in the letterhead: whatever its shape (the shipped one is upright, an office's
// may be square or wide), the kop's lines start to the right of it and none is hidden under it, as
// poppler reads the words' boxes; a very wide logo is set lower rather than pushing the names off.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layout, renderLetter } from '../../main/letters/drafting/render.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { sampleDraft } from '../support/drafts.ts';
import { drawnLogo } from '../support/logos.ts';

let work: string;
beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'loket-kop-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const surat = shippedTemplates().find((t) => t.type === 'surat_dinas')!;
const kop = { ...shippedLetterhead(), agency: 'DINAS PEKERJAAN UMUM DAN PENATAAN RUANG' };

/** The words of the letterhead (above the rule) with their left edges in points, as pdftotext -bbox reads them. */
function kopWords(pdf: Uint8Array, name: string): Array<{ word: string; xMin: number }> {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-']).toString('utf8');
  const kopBottom = layout.margin.top + layout.kop.logoHeight + 8;
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
    .filter((m) => Number(m[2]) < kopBottom).map((m) => ({ word: m[3]!, xMin: Number(m[1]) }));
}

describe('the letterhead with an office\'s own logo', () => {
  it.each([
    ['upright (the shipped one)', null, layout.kop.logoHeight * (240 / 280)],
    ['square', [120, 120], layout.kop.logoHeight],
    ['wide (4:1), set lower', [480, 120], layout.kop.logoHeight * 1.6],
  ] as const)('keeps every line right of a %s logo', async (name, size, logoWidth) => {
    const logo = size === null ? kop.logo : (await drawnLogo('png', [0.1, 0.3, 0.8], size[0], size[1])).toString('base64');
    const pdf = await renderLetter({ template: surat, letterhead: { ...kop, logo }, draft: { ...sampleDraft(surat), hal: 'Uji kop' } });
    const words = kopWords(pdf, name.replace(/\W+/g, '-'));
    expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(['PEKERJAAN', 'Telepon']));
    const logoRight = layout.margin.left + logoWidth;
    expect(Math.min(...words.map((w) => w.xMin))).toBeGreaterThan(logoRight);
  });
});
