// Softcopy import on a real document store: the clerk drops an e-mail attachment, and the file is
// judged by what it contains. Every refusal says why in Bahasa Indonesia and leaves nothing stored.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import UTIF from 'utif2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore, sha256Hex, type BlobStore } from '../../main/documents/blob-store.ts';
import { jpegWithDensity, pngWithDensity } from '../../main/documents/image-density.ts';
import { importDocument, importFile, safeDisplayName } from '../../main/documents/import.ts';
import { openPdf } from '../../main/documents/pdf.ts';
import { AppError } from '../../common/errors.ts';
import { seededRandom } from '../support/synthetic-letters.ts';

const cleanups: Array<() => void> = [];
afterEach(() => { while (cleanups.length > 0) cleanups.pop()!(); });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loket-import-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

function freshStore(): { root: string; store: BlobStore } {
  const root = tempDir();
  return { root, store: createBlobStore(root) };
}

async function letterPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`Surat undangan, halaman ${i}`, { x: 60, y: 760, size: 14, font });
  return doc.save();
}

/** A small "photo" of a page: text on paper with noise, so it compresses like a real one. */
function pageImage(width: number, height: number, seed = 1): { rgba: Uint8ClampedArray; jpeg: (dpi: number) => Buffer; png: (dpi: number) => Buffer } {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#222';
  ctx.font = '18px "DejaVu Sans"';
  ctx.fillText('Nomor : 005/12/2026', 20, 40);
  const random = seededRandom(seed);
  const image = ctx.getImageData(0, 0, width, height);
  for (let i = 0; i < image.data.length; i += 4) {
    const v = Math.max(0, Math.min(255, image.data[i]! - random() * 50));
    image.data[i] = v; image.data[i + 1] = v; image.data[i + 2] = v;
  }
  ctx.putImageData(image, 0, 0);
  return {
    rgba: image.data,
    jpeg: (dpi) => jpegWithDensity(canvas.encodeSync('jpeg', 90), dpi),
    png: (dpi) => pngWithDensity(canvas.toBuffer('image/png'), dpi),
  };
}

/** A two-page uncompressed TIFF at 200 dpi, like a fax-to-file or an old scanner's output. */
function twoPageTiff(width: number, height: number): Buffer {
  const pages = [pageImage(width, height, 1).rgba, pageImage(width, height, 2).rgba];
  const size = width * height * 4;
  const base = 4096;
  const ifds = pages.map((_, i) => ({
    t256: [width], t257: [height], t258: [8, 8, 8, 8], t259: [1], t262: [2], t273: [base + i * size], t277: [4], t278: [height], t279: [size],
    t282: [[200, 1]], t283: [[200, 1]], t284: [1], t296: [2], t338: [1],
  }));
  const header = new Uint8Array(UTIF.encode(ifds as unknown as UTIF.IFD[]));
  const out = Buffer.alloc(base + 2 * size);
  out.set(header, 0);
  pages.forEach((rgba, i) => out.set(rgba, base + i * size));
  return out;
}

/** A full disk is staged on a tiny tmpfs, which needs mount rights (root in CI and here). */
const canMount = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'loket-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try { await work; } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the import to be refused');
}

async function pdfPageSizes(store: BlobStore, hash: string): Promise<Array<[number, number]>> {
  const opened = await openPdf(await store.read(hash));
  try {
    const sizes: Array<[number, number]> = [];
    for (let n = 1; n <= opened.doc.numPages; n++) {
      const vp = (await opened.doc.getPage(n)).getViewport({ scale: 1 });
      sizes.push([Math.round(vp.width), Math.round(vp.height)]);
    }
    return sizes;
  } finally {
    await opened.close();
  }
}

describe('the clerk imports a softcopy letter', () => {
  it('a PDF attachment is stored as it is, with its page count', async () => {
    const { root, store } = freshStore();
    const bytes = await letterPdf(3);
    const doc = await importDocument(store, bytes, 'Undangan Rapat.pdf');
    expect(doc).toEqual({
      hash: sha256Hex(bytes), mediaType: 'application/pdf', byteSize: bytes.length, existed: false, pageCount: 3,
      displayName: 'Undangan Rapat.pdf', pdf: { hash: sha256Hex(bytes), byteSize: bytes.length },
    });
    expect(filesUnder(root)).toHaveLength(1);
    expect(Buffer.from(await store.read(doc.hash)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a JPEG photo of a letter becomes a one-page PDF of its real size, and the original is kept', async () => {
    const { root, store } = freshStore();
    const jpeg = pageImage(400, 566).jpeg(100);
    const doc = await importDocument(store, jpeg, 'IMG_20260312.jpg');
    expect(doc.mediaType).toBe('image/jpeg');
    expect(doc.pageCount).toBe(1);
    expect(doc.pdf.hash).not.toBe(doc.hash);
    expect(filesUnder(root)).toHaveLength(2);
    expect(Buffer.from(await store.read(doc.hash)).equals(jpeg)).toBe(true);
    // 400 × 566 px at 100 dpi is 288 × 408 pt.
    expect(await pdfPageSizes(store, doc.pdf.hash)).toEqual([[288, 408]]);
  });

  it('a PNG without a resolution is fitted to the width of an A4 page', async () => {
    const { store } = freshStore();
    const png = pageImage(300, 424).png(0);
    const doc = await importDocument(store, png, 'scan.png');
    expect(doc.mediaType).toBe('image/png');
    expect(await pdfPageSizes(store, doc.pdf.hash)).toEqual([[595, 841]]);
  });

  it('a two-page TIFF becomes a two-page PDF', async () => {
    const { store } = freshStore();
    const tiff = twoPageTiff(200, 283);
    const doc = await importDocument(store, tiff, 'faks.tif');
    expect(doc.mediaType).toBe('image/tiff');
    expect(doc.pageCount).toBe(2);
    expect(await pdfPageSizes(store, doc.pdf.hash)).toEqual([[72, 102], [72, 102]]);
  });

  it('the same attachment imported twice is recognised as already stored', async () => {
    const { root, store } = freshStore();
    const jpeg = pageImage(200, 200).jpeg(150);
    const first = await importDocument(store, jpeg, 'a.jpg');
    // The copy comes a minute later: nothing in the PDF made from the image may depend on the time.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    const second = await importDocument(store, Buffer.from(jpeg), 'salinan a.jpg').finally(() => vi.useRealTimers());
    expect(first.existed).toBe(false);
    expect(second.existed).toBe(true);
    expect(second.hash).toBe(first.hash);
    expect(second.pdf.hash).toBe(first.pdf.hash);
    expect(filesUnder(root)).toHaveLength(2);
  });

  it('a file from disk is read only after its size is checked', async () => {
    const { root, store } = freshStore();
    const dir = tempDir();
    const path = join(dir, 'surat.pdf');
    writeFileSync(path, await letterPdf(1));
    expect((await importFile(store, path)).pageCount).toBe(1);
    const huge = join(dir, 'arsip-besar.pdf');
    writeFileSync(huge, '');
    truncateSync(huge, 60 * 1024 * 1024);
    const err = await refusal(importFile(store, huge));
    expect(err.code).toBe('IMPORT_TOO_LARGE');
    expect(err.message).toContain('melebihi batas 50 MB');
    expect((await refusal(importFile(store, join(dir, 'sudah-dihapus.pdf')))).code).toBe('IMPORT_UNREADABLE');
    expect(filesUnder(root)).toHaveLength(1);
  });
});

describe('a file that cannot be imported is refused with a clear reason, and nothing is stored', () => {
  it('a Word document renamed to .pdf is recognised by its content', async () => {
    const { root, store } = freshStore();
    const docx = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.alloc(200, 1)]);
    const err = await refusal(importDocument(store, docx, 'undangan.pdf'));
    expect(err.code).toBe('IMPORT_UNSUPPORTED');
    expect(err.message).toContain('dokumen Office');
    const text = await refusal(importDocument(store, Buffer.from('Ini hanya teks biasa, bukan PDF.'), 'surat.pdf'));
    expect(text.code).toBe('IMPORT_UNSUPPORTED');
    expect(text.message).toContain('PDF, JPG, PNG, atau TIFF');
    expect(filesUnder(root)).toEqual([]);
  });

  it('a PDF cut off during download', async () => {
    const { root, store } = freshStore();
    const bytes = await letterPdf(2);
    const err = await refusal(importDocument(store, bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'terpotong.pdf'));
    expect(err.code).toBe('IMPORT_CORRUPT');
    expect(err.message).toContain('rusak atau tidak utuh');
    expect(filesUnder(root)).toEqual([]);
  });

  it('a PDF whose insides are damaged although its ends look right', async () => {
    const { root, store } = freshStore();
    const garbage = Buffer.from('%PDF-1.7\n' + 'x'.repeat(500) + '\ntrailer\n<< /Root 99 0 R >>\n%%EOF\n');
    expect((await refusal(importDocument(store, garbage, 'rusak.pdf'))).code).toBe('IMPORT_CORRUPT');
    expect(filesUnder(root)).toEqual([]);
  });

  it('images cut off or damaged', async () => {
    const { root, store } = freshStore();
    const jpeg = pageImage(200, 200).jpeg(150);
    expect((await refusal(importDocument(store, jpeg.subarray(0, jpeg.length - 300), 'foto.jpg'))).code).toBe('IMPORT_CORRUPT');
    const png = Buffer.from(pageImage(200, 200).png(150));
    expect((await refusal(importDocument(store, png.subarray(0, png.length - 100), 'scan.png'))).code).toBe('IMPORT_CORRUPT');
    png[60] = png[60]! ^ 0xff;
    expect((await refusal(importDocument(store, png, 'scan.png'))).code).toBe('IMPORT_CORRUPT');
    const tiff = twoPageTiff(50, 50);
    expect((await refusal(importDocument(store, tiff.subarray(0, tiff.length - 1000), 'faks.tif'))).code).toBe('IMPORT_CORRUPT');
    expect(filesUnder(root)).toEqual([]);
  });

  it('a password-protected PDF asks for its protection to be removed', async () => {
    const { root, store } = freshStore();
    const dir = tempDir();
    writeFileSync(join(dir, 'plain.pdf'), await letterPdf(1));
    // qpdf (Debian package) encrypts it with AES-256 and a user password, as a sender's office suite would.
    execFileSync('qpdf', ['--encrypt', 'rahasia', 'pemilik', '256', '--', join(dir, 'plain.pdf'), join(dir, 'locked.pdf')]);
    const err = await refusal(importFile(store, join(dir, 'locked.pdf')));
    expect(err.code).toBe('IMPORT_ENCRYPTED');
    expect(err.message).toBe('Berkas PDF ini dilindungi kata sandi. Buka proteksinya lalu impor ulang.');
    expect(filesUnder(root)).toEqual([]);
  });

  it('an empty file, and a file over the office\'s limit', async () => {
    const { root, store } = freshStore();
    const empty = await refusal(importDocument(store, new Uint8Array(0), 'kosong.pdf'));
    expect(empty.code).toBe('IMPORT_EMPTY');
    expect(empty.message).toContain('kosong (0 byte)');
    const big = await refusal(importDocument(store, await letterPdf(1), 'surat.pdf', { maxBytes: 100 }));
    expect(big.code).toBe('IMPORT_TOO_LARGE');
    expect(filesUnder(root)).toEqual([]);
  });

  const story = 'a disk that fills up between the photo and its PDF takes the photo back';
  (canMount ? it : it.skip)(canMount ? story : `${story} (skipped: cannot mount a 64 KiB tmpfs here)`, async () => {
    const root = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', root], { stdio: 'ignore' });
    cleanups.push(() => execFileSync('umount', [root], { stdio: 'ignore' }));
    const store = createBlobStore(root);
    const jpeg = pageImage(300, 300, 7).jpeg(150);
    expect(jpeg.length).toBeGreaterThan(34 * 1024);
    expect(jpeg.length).toBeLessThan(56 * 1024);
    const log = collectingLogger();
    const err = await refusal(importDocument(store, jpeg, 'foto.jpg', { log }));
    expect(err.code).toBe('STORAGE_FULL');
    // The photo itself fitted and was stored; the PDF did not, so the photo was taken back.
    expect(log.lines.some((l) => String(l.msg).startsWith('import rolled back'))).toBe(true);
    expect(filesUnder(root)).toEqual([]);
  });
});

describe('the file name is only ever shown, never used as a path', () => {
  it('keeps emoji and readable text, drops control and direction-override characters, flattens separators', async () => {
    expect(safeDisplayName('../../Windows/System32/undangan.pdf')).toBe('..-..-Windows-System32-undangan.pdf');
    expect(safeDisplayName('C:\\Users\\tu\\Surat 📄 penting.pdf')).toBe('C:-Users-tu-Surat 📄 penting.pdf');
    expect(safeDisplayName('surat\u202Efdp.exe')).toBe('suratfdp.exe');
    expect(safeDisplayName('nota\u0000\u0007\n dinas.pdf')).toBe('nota dinas.pdf');
    expect(safeDisplayName('👨‍👩‍👧 keluarga.png')).toBe('👨‍👩‍👧 keluarga.png');
    expect(safeDisplayName('..')).toBe('dokumen tanpa nama');
    expect([...safeDisplayName('a'.repeat(500))]).toHaveLength(200);

    const { root, store } = freshStore();
    const log = collectingLogger();
    const doc = await importDocument(store, await letterPdf(1), '../../etc/passwd 📄\u202E.pdf', { log });
    expect(doc.displayName).toBe('..-..-etc-passwd 📄.pdf');
    // Only hash-named files exist in the store, whatever the name was.
    expect(filesUnder(root).every((f) => /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).toBe(true);
  });
});
