// A scanned page on disk, written by the device worker the moment the scanner delivered it: one
// JSON header line saying what the bytes are (PageImageFormat: raster samples or a JPEG, and the
// resolution), then the scanner's bytes, written durably (temp file, fsync, rename, folder fsync).
// Only the file's path travels to main, and the page pipeline's thread reads the pixels from it,
// so a page never crosses main's event loop, and a page is kept even if the worker, the pipeline
// or main goes down mid-batch. The same format for every driver.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, fromSystemError } from '../../../common/errors.ts';
import type { PageImage, PageImageFormat } from './types.ts';

/** Writes `chunks` as `dir/name` so that the file is either whole or not there, also after a power cut. */
async function writeDurably(dir: string, name: string, chunks: Uint8Array[]): Promise<void> {
  const temp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', 0o600);
    for (const chunk of chunks) await handle.write(chunk);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, join(dir, name));
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw fromSystemError(err) ?? new AppError('STORAGE_FAILED', undefined, undefined, { cause: err });
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // NTFS journals renames; folders cannot be opened there
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Where the page with this id is kept in a spool folder; the id is the file's name. */
export function pagePath(dir: string, id: string): string {
  return join(dir, `${id}.page`);
}

/** Keeps a scanned page as `<dir>/<id>.page` and answers its path. */
export async function writePageFile(dir: string, id: string, image: PageImage): Promise<string> {
  const { data, ...format } = image;
  await writeDurably(dir, `${id}.page`, [Buffer.from(JSON.stringify(format satisfies PageImageFormat) + '\n'), data]);
  return pagePath(dir, id);
}

function isFormat(value: unknown): value is PageImageFormat {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return kind === 'raster' || kind === 'jpeg';
}

/** The page file as written, or undefined when it is missing or damaged. */
export async function readPageFile(path: string): Promise<{ format: PageImageFormat; data: Uint8Array } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  let format: unknown;
  try {
    format = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return undefined;
  }
  return isFormat(format) ? { format, data: bytes.subarray(newline + 1) } : undefined;
}
