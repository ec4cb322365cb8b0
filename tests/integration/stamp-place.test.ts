// Where the stamp goes on letters without the template's signature marker: a scanned letter (no text
// to go by) is not stamped anywhere until the official places it, and is then stamped there; a letter
// with text gets the place below its last line; a place chosen for one letter serves the next letter
// with the same letterhead, counted from its last page, and a letter of another letterhead does not
// take it. Real SQLite, real PDFs read by pdf.js.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { stampPlaces, type StampPlaces } from '../../main/sign/stamp-place.ts';

async function pdf(head: string | null, pages = 1, body = true): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 0; n < pages; n++) {
    const page = doc.addPage([595, 842]);
    // A scan has no text: only marks on the page.
    page.drawRectangle({ x: 60, y: 700, width: 400, height: 60, borderWidth: 1 });
    if (head !== null && n === 0) page.drawText(head, { x: 150, y: 790, size: 14, font });
    if (body) page.drawText(`Isi halaman ${n + 1}`, { x: 60, y: 500, size: 11, font });
  }
  return doc.save();
}

describe('the stamp\'s place on a letter without the signature marker', () => {
  let dir: string;
  let store: Store;
  let places: StampPlaces;
  const files = new Map<string, Uint8Array>();
  const letter = async (id: string, bytes: Promise<Uint8Array>) => {
    files.set(`hash-${id}`, await bytes);
    return { id, documentHash: `hash-${id}` };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loket-stamp-place-'));
    store = openStore(join(dir, 'loket.db'), { log: collectingLogger() });
    places = stampPlaces({ store, read: async (hash) => files.get(hash)! });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a scanned letter has no place until the official drags one, and is not stamped before', async () => {
    const scan = await letter('0190b3a0-0000-7000-8000-000000000001', pdf(null, 1, false));
    expect((await places.of(scan)).source).toBe('none');
    await expect(places.placement(scan, files.get(scan.documentHash)!)).rejects.toMatchObject({ code: 'STAMP_PLACE_NEEDED' });
    await places.choose(scan, { page: 1, x: 320, y: 200 }, 'uji');
    expect(await places.placement(scan, files.get(scan.documentHash)!)).toEqual({ page: 1, x: 320, y: 200 });
  });

  it('a letter with text gets the place below its last line on the last page, never the bottom-right corner', async () => {
    const typed = await letter('0190b3a0-0000-7000-8000-000000000002', pdf('DINAS PERHUBUNGAN', 2));
    expect(await places.of(typed)).toMatchObject({ source: 'belowText', page: 2, y: 500 - 14 - 86 });
  });

  it('the place chosen for one letter serves the next of the same letterhead, counted from the last page; another letterhead does not take it', async () => {
    const first = await letter('0190b3a0-0000-7000-8000-000000000003', pdf('DINAS KESEHATAN'));
    await places.choose(first, { page: 1, x: 330, y: 330 }, 'uji');
    expect(await places.of(first)).toMatchObject({ source: 'letter', page: 1, x: 330, y: 330 });
    // A two-page letter of the same letterhead: the signature block is on its last page.
    const next = await letter('0190b3a0-0000-7000-8000-000000000004', pdf('DINAS KESEHATAN', 2));
    expect(await places.of(next)).toMatchObject({ source: 'layout', page: 2, x: 330, y: 330 });
    const other = await letter('0190b3a0-0000-7000-8000-000000000005', pdf('DINAS PENDIDIKAN'));
    expect((await places.of(other)).source).toBe('belowText');
  });

  it('a drop partly off the page keeps the whole stamp on it', async () => {
    const edge = await letter('0190b3a0-0000-7000-8000-000000000006', pdf('DINAS SOSIAL'));
    expect(await places.choose(edge, { page: 1, x: 560, y: -40 }, 'uji')).toMatchObject({ x: 595 - 260, y: 0 });
    await expect(places.choose(edge, { page: 3, x: 10, y: 10 }, 'uji')).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
