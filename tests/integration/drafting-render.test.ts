// The letters Loket drafts, as poppler reads and draws them: every shipped template makes an A4
// letter whose parts land where Permendagri 1/2023's layout puts them (inside the margins, the
// letterhead at the top, the signature block with room for the stamp under its anchor), its fonts
// embedded, the places for the number and date found where signing writes them, and the number
// written there at signing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import type { SignerBlock, Template } from '../../common/ipc/drafting.ts';
import { blanks, layout, placeholders, renderLetter, renderLetterPlaced } from '../../main/letters/drafting/render.ts';
import { shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { findAnchor } from '../../main/sign/pades/anchor.ts';
import { stampSize } from '../../main/sign/pades/stamp.ts';
import { letterDateText } from '../../main/letters/drafting/indonesian.ts';
import { longDraft, sampleDraft } from '../support/drafts.ts';

let work: string;
beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'loket-drafting-render-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const letterhead = shippedLetterhead();
const templates = shippedTemplates();

/** A word as pdftotext -bbox reads it: page (1-based) and box in points from the page's top-left. */
interface Word { page: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number }

function words(pdf: Uint8Array, name: string): Word[] {
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, pdf);
  const html = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' });
  const found: Word[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0] === '<page ') { page++; continue; }
    const decoded = m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
    found.push({ page, text: decoded, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
  }
  return found;
}

/** pdffonts' table: each font's name and whether it is embedded. */
function fonts(pdf: Uint8Array, name: string): Array<{ name: string; embedded: boolean }> {
  const path = join(work, `${name}-fonts.pdf`);
  writeFileSync(path, pdf);
  return execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '')
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name … emb sub uni objectId gen: "emb" is the fifth column from the end.
      return { name: cols[0]!, embedded: cols.at(-5) === 'yes' };
    });
}

const one = (all: Word[], text: string): Word => {
  const hits = all.filter((w) => w.text === text);
  expect(hits, `exactly one "${text}"`).toHaveLength(1);
  return hits[0]!;
};

const right = layout.page.width - layout.margin.right;
const tolerance = 0.6;

describe.each(templates.map((t): [string, Template] => [t.name, t]))('the %s template', (_name, template) => {
  let pdf: Uint8Array;
  let all: Word[];
  beforeAll(async () => {
    pdf = await renderLetter({ template, letterhead, draft: sampleDraft(template) });
    all = words(pdf, template.type);
  });

  it('is one A4 page with every word inside the margins', async () => {
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([width, height]).toEqual([layout.page.width, layout.page.height]);
    expect(all.length).toBeGreaterThan(40);
    for (const w of all) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(layout.margin.left - tolerance);
      expect(w.xMax, w.text).toBeLessThanOrEqual(right + tolerance);
      expect(w.yMin, w.text).toBeGreaterThanOrEqual(layout.margin.top - tolerance);
      expect(w.yMax, w.text).toBeLessThanOrEqual(layout.page.height - layout.margin.bottom + tolerance);
    }
  });

  it('embeds its fonts (Liberation Sans, Arial-metric)', () => {
    const used = fonts(pdf, template.type);
    expect(used.length).toBeGreaterThanOrEqual(2);
    for (const f of used) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.name).toMatch(/LiberationSans/);
    }
  });

  it('opens with the letterhead, the government and agency names above the double rule, then the parts in order', () => {
    const government = all.find((w) => w.text === 'PEMERINTAH')!;
    const agency = all.find((w) => w.text === 'INFORMATIKA' && w.yMin < 120)!;
    expect(government.yMin).toBeLessThan(layout.margin.top + 12);
    expect(agency.yMin).toBeGreaterThan(government.yMax - 1);
    const number = one(all, blanks.number);
    const date = all.find((w) => w.text.includes(blanks.date) && w.text !== blanks.number)!;
    const anchor = one(all, placeholders.signature);
    const name = all.find((w) => w.text === 'Fauzi,')!;
    // Below the letterhead, then the signature block last of the letter's own parts (tembusan aside).
    expect(number.yMin).toBeGreaterThan(agency.yMax + 20);
    expect(anchor.yMin).toBeGreaterThan(number.yMax);
    expect(anchor.yMin).toBeGreaterThan(date.yMin - 1);
    expect(name.yMin).toBeGreaterThan(anchor.yMin);
    if (template.layout === 'surat') {
      // Place and date top right, Nomor … Hal at the left margin.
      expect(date.xMin).toBeGreaterThan(layout.rightColumn - 1);
      const label = all.filter((w) => w.text === 'Nomor' && Math.abs(w.yMin - number.yMin) < 1);
      expect(label).toHaveLength(1);
      expect(label[0]!.xMin).toBeCloseTo(layout.margin.left, 0);
      expect(one(all, 'Hal').yMin).toBeGreaterThan(number.yMin);
      expect(all.find((w) => w.text === 'Yth.')!.xMin).toBeCloseTo(layout.rightColumn, 0);
    } else if (template.layout === 'nota') {
      const title = one(all, template.title!.split(' ')[0]!);
      expect(title.yMin).toBeLessThan(number.yMin);
      expect(number.xMin).toBeCloseTo(layout.labelValue, 0);
      expect(one(all, 'Dari').yMin).toBeLessThan(one(all, 'Tanggal').yMin);
    } else {
      // The title centred, the number under it, the date above the signature block.
      const title = all.filter((w) => w.yMin < number.yMin && w.yMin > agency.yMax && w.text === template.title!.split(' ')[0]);
      expect(title).toHaveLength(1);
      const line = all.filter((w) => Math.abs(w.yMin - title[0]!.yMin) < 1);
      const centre = (Math.min(...line.map((w) => w.xMin)) + Math.max(...line.map((w) => w.xMax))) / 2;
      expect(centre).toBeCloseTo((layout.margin.left + right) / 2, 0);
      expect(date.yMin).toBeGreaterThan(number.yMin);
      expect(date.xMin).toBeGreaterThan(layout.rightColumn - 60);
    }
  });

  it('keeps room for the stamp under the signature anchor, and the name below it', () => {
    const anchor = one(all, placeholders.signature);
    expect(anchor.xMin).toBeCloseTo(layout.rightColumn, 0);
    const name = all.find((w) => w.text === 'Fauzi,')!;
    // Signing puts the stamp's top edge on the anchor's line and its bottom stampSize.height below.
    expect(name.yMin - (anchor.yMax - layout.anchorSize)).toBeGreaterThanOrEqual(stampSize.height);
    const between = all.filter((w) => w.yMin > anchor.yMax && w.yMax < name.yMin);
    expect(between).toEqual([]);
    // The stamp, its left edge on the anchor, ends inside the right margin.
    expect(layout.stampWidth).toBe(stampSize.width);
    expect(anchor.xMin + stampSize.width).toBeLessThanOrEqual(right + tolerance);
    if (template.signerNip) expect(all.some((w) => w.text === 'NIP.')).toBe(true);
    else expect(all.some((w) => w.text === 'NIP.')).toBe(false);
  });

  it('shows dotted blanks for the number and the date, as a draft does before numbering, and the anchor where signing puts the stamp', async () => {
    expect(all.filter((w) => w.text === blanks.number)).toHaveLength(1);
    expect(all.filter((w) => w.text.includes(blanks.date) && w.text !== blanks.number)).toHaveLength(1);
    expect(all.map((w) => w.text).join(' ')).not.toMatch(/\$\{(nomor|tanggal)\}/);
    const anchor = await findAnchor(pdf, placeholders.signature);
    expect(anchor?.page).toBe(1);
    expect(anchor!.x).toBeCloseTo(layout.rightColumn, 0);
  });
});

describe('signing for another', () => {
  const template = templates.find((t) => t.type === 'surat_dinas')!;
  /** The signature block's lines, top to bottom, as pdftotext reads them (anchor excluded). */
  async function blockLines(signer: Partial<SignerBlock>, name: string): Promise<string[]> {
    const draft = sampleDraft(template);
    const all = words(await renderLetter({ template, letterhead, draft: { ...draft, signer: { ...draft.signer, ...signer } } }), name);
    const anchor = one(all, placeholders.signature);
    const near = all.filter((w) => w.page === anchor.page && w.yMin > anchor.yMin - 90 && w.text !== placeholders.signature);
    const lines = new Map<number, Word[]>();
    for (const w of near) {
      const key = [...lines.keys()].find((y) => Math.abs(y - w.yMin) < 2) ?? w.yMin;
      lines.set(key, [...(lines.get(key) ?? []), w]);
    }
    // The block's lines start at the right column; the body's start at the left margin.
    return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, ws]) => ws.sort((a, b) => a.xMin - b.xMin))
      .filter((ws) => Math.abs(ws[0]!.xMin - layout.rightColumn) < 1).map((ws) => ws.map((w) => w.text).join(' '));
  }

  it('prints "Plh." / "Plt." before the position a delegate signs for, with the delegate\'s own name', async () => {
    const lines = await blockLines({ capacity: 'plh', name: 'Sri Handayani', position: 'Kepala Dinas Komunikasi dan Informatika' }, 'plh');
    expect(lines.join(' | ')).toContain('Plh. Kepala Dinas Komunikasi dan');
    expect(lines).toContain('Sri Handayani');
    expect((await blockLines({ capacity: 'plt', position: 'Kepala Bidang Aplikasi' }, 'plt')).join(' | ')).toContain('Plt. Kepala Bidang Aplikasi,');
  });

  it('prints "a.n." over the signer\'s position one level down, and "u.b." two levels down', async () => {
    const an = await blockLines({ position: 'Sekretaris', onBehalfOf: ['Kepala Dinas'] }, 'an');
    expect(an.slice(0, 2)).toEqual(['a.n. Kepala Dinas', 'Sekretaris,']);
    const ub = await blockLines({ position: 'Kepala Subbagian Umum', onBehalfOf: ['Kepala Dinas', 'Sekretaris'] }, 'ub');
    expect(ub.slice(0, 4)).toEqual(['a.n. Kepala Dinas', 'Sekretaris', 'u.b.', 'Kepala Subbagian Umum,']);
    // A Plh may sign on behalf too: "a.n. Kepala Dinas / Plh. Sekretaris,".
    expect((await blockLines({ capacity: 'plh', position: 'Sekretaris', onBehalfOf: ['Kepala Dinas'] }, 'an-plh')).slice(0, 2)).toEqual(['a.n. Kepala Dinas', 'Plh. Sekretaris,']);
  });
});

describe('one renderer for the preview and the letter', () => {
  it('makes the same bytes for the same draft, and other bytes when a field changes', async () => {
    const template = templates.find((t) => t.type === 'nota_dinas')!;
    const draft = sampleDraft(template);
    const a = await renderLetter({ template, letterhead, draft });
    const b = await renderLetter({ template, letterhead, draft: structuredClone(draft) });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await renderLetter({ template, letterhead, draft: { ...draft, hal: 'Perubahan Jadwal' } });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    expect(words(c, 'changed').map((w) => w.text).join(' ')).toContain('Perubahan Jadwal');
  });

  it('prints bold and italic runs in the bold and italic faces', async () => {
    const template = templates.find((t) => t.type === 'surat_dinas')!;
    const draft = { ...sampleDraft(template), body: [{ kind: 'paragraph' as const, runs: [{ text: 'biasa ' }, { text: 'tebal', bold: true }, { text: ' dan ' }, { text: 'miring', italic: true }] }] };
    const used = fonts(await renderLetter({ template, letterhead, draft }), 'styles').map((f) => f.name.replace(/-\d+$/, ''));
    expect(new Set(used)).toEqual(new Set(['LiberationSans', 'LiberationSans-Bold', 'LiberationSans-Italic']));
  });
});

describe('a letter longer than a page', () => {
  it('numbers the pages after the first "- 2 -" at the top centre, stays inside the margins and keeps the signature block whole', async () => {
    const template = templates.find((t) => t.type === 'surat_dinas')!;
    const pdf = await renderLetter({ template, letterhead, draft: longDraft(template) });
    const all = words(pdf, 'long');
    const pages = Math.max(...all.map((w) => w.page));
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let page = 2; page <= pages; page++) {
      const top = all.filter((w) => w.page === page).sort((a, b) => a.yMin - b.yMin).slice(0, 3);
      expect(top.map((w) => w.text)).toEqual(['-', String(page), '-']);
      const centre = (top[0]!.xMin + top[2]!.xMax) / 2;
      expect(centre).toBeCloseTo(layout.page.width / 2, 0);
    }
    expect(all.filter((w) => w.text === 'PEMERINTAH').map((w) => w.page)).toEqual([1]);
    for (const w of all) expect(w.yMax, `${w.text} on page ${w.page}`).toBeLessThanOrEqual(layout.page.height - layout.margin.bottom + tolerance);
    const anchor = one(all, placeholders.signature);
    const name = all.find((w) => w.text === 'Fauzi,')!;
    expect(name.page).toBe(anchor.page);
    expect(anchor.page).toBeGreaterThanOrEqual(pages - 1);
    const heading = one(all, 'Tembusan:');
    const lastCopy = all.filter((w) => w.text === '2.' && w.page === heading.page && w.yMin > heading.yMin);
    expect(lastCopy).toHaveLength(1);
    expect(one(all, '(sebagai').page).toBe(heading.page);
    // Every row of the 30-row table is there, in order.
    const rows = all.filter((w) => w.text === 'nomor').length;
    expect(rows).toBe(30);
  });
});

describe('attachments', () => {
  it('appends the pages of attached PDFs after the letter as its lampiran', async () => {
    const attachment = await PDFDocument.create();
    attachment.addPage([595.28, 841.89]).drawText('LAMPIRAN DATA PEJABAT', { x: 100, y: 700, size: 14 });
    attachment.addPage([595.28, 841.89]);
    const template = templates.find((t) => t.type === 'surat_undangan')!;
    const pdf = await renderLetter({ template, letterhead, draft: sampleDraft(template), attachments: [await attachment.save()] });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(3);
    expect(words(pdf, 'attached').filter((w) => w.page === 2).map((w) => w.text)).toEqual(['LAMPIRAN', 'DATA', 'PEJABAT']);
  });

  it('refuses a file that is not a PDF with a message that says which attachment', async () => {
    const template = templates.find((t) => t.type === 'surat_undangan')!;
    const refused = await renderLetter({ template, letterhead, draft: sampleDraft(template), attachments: [new TextEncoder().encode('bukan pdf')] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain('Lampiran ke-1');
  });
});

describe.each(templates.map((t): [string, Template] => [t.name, t]))('the %s template at signing', (_name, template) => {
  const values = { number: '000.1.2.3/17/Diskominfo/2026', date: '2026-03-02' };

  it('prints the number and the date where the preview had its blanks, the rest of the letter where it was, and tells where the stamp goes', async () => {
    const draft = sampleDraft(template);
    const preview = await renderLetter({ template, letterhead, draft });
    const signed = await renderLetterPlaced({ template, letterhead, draft, values });
    const before = words(preview, `${template.type}-preview`);
    const after = words(signed.bytes, `${template.type}-signed`);
    const text = after.map((w) => w.text).join(' ');
    expect(text).toContain(values.number);
    expect(text).toContain(letterDateText(values.date));
    expect(text).not.toContain('${');
    expect(text).not.toContain('…………');
    // Every word of the preview but the blanks and the anchor is in the signed letter, in the same place.
    const key = (w: Word) => `${w.page} ${w.text} ${w.xMin.toFixed(1)} ${w.yMin.toFixed(1)}`;
    const kept = new Set(after.map(key));
    // (A centred title line "NOMOR …" is centred again around its number.)
    const fixed = before.filter((w) => !w.text.includes('……') && w.text !== placeholders.signature && w.text !== 'NOMOR');
    expect(fixed.filter((w) => !kept.has(key(w))).map((w) => w.text)).toEqual([]);
    // The number starts where its blank did (a centred title line aside).
    const blank = one(before, blanks.number);
    const number = one(after, values.number);
    if (template.layout !== 'berjudul') expect(number.xMin).toBeCloseTo(blank.xMin, 0);
    expect(number.yMin).toBeCloseTo(blank.yMin, 0);
    // The renderer's own word on where the stamp goes is where the preview's anchor is.
    const anchor = (await findAnchor(preview, placeholders.signature))!;
    expect(signed.signatureAt.page).toBe(anchor.page);
    expect(signed.signatureAt.x).toBeCloseTo(anchor.x, 0);
    expect(signed.signatureAt.y).toBeCloseTo(anchor.y, 0);
  });
});
