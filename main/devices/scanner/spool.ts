// A scan session's pages on disk, each written by the device worker the moment the scanner
// delivered it: the scanner's own bytes and the scan parameters, durably (temp file, fsync,
// rename, folder fsync). Only the file's path travels to main, and the page pipeline's thread
// reads the pixels from it, so a page never crosses main's event loop. The desk can lose its
// device worker, its pipeline or main itself mid-batch and still hold every page it was sent;
// a small manifest remembers the clerk's order, turns and exclusions for when main starts again.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScannedPageMessage } from './service.ts';
import { AppError, fromSystemError } from '../../../common/errors.ts';
import type { QuarterTurn } from '../../scan/pipeline/types.ts';

/** What the clerk did to each page, in stack order. */
export interface PageManifest {
  pages: { id: string; rotation: QuarterTurn; excluded: 'blank' | 'deleted' | null; startsLetter: boolean }[];
}

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

/** What a page file says about its pixels: the scanner's parameters and the effective resolution. */
export interface PageFileHeader {
  params: ScannedPageMessage['params'];
  dpi: number;
}

/** Keeps a scanned page as `<dir>/<id>.page` (one JSON header line, then the scanner's bytes) and answers its path. */
export async function writePageFile(dir: string, id: string, header: PageFileHeader, data: Uint8Array): Promise<string> {
  const name = `${id}.page`;
  await writeDurably(dir, name, [Buffer.from(JSON.stringify(header) + '\n'), data]);
  await syncDir(dir);
  return join(dir, name);
}

/** The page file as written, or undefined when it is missing or damaged. */
export async function readPageFile(path: string): Promise<{ header: PageFileHeader; data: Uint8Array } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as PageFileHeader;
    return { header, data: bytes.subarray(newline + 1) };
  } catch {
    return undefined;
  }
}

export interface PageFiles {
  readonly dir: string;
  /** Where the page with this id is kept. */
  path(id: string): string;
  /** The ids of the pages on disk, oldest first (ids are UUIDv7). */
  ids(): Promise<string[]>;
  remove(id: string): Promise<void>;
  /** Replaces the manifest (atomically; not fsynced: it is a convenience, the pages are the record). */
  writeManifest(manifest: PageManifest): Promise<void>;
  readManifest(): Promise<PageManifest | undefined>;
  /** Removes the session's folder (after the pages were saved as documents, or discarded). */
  clear(): Promise<void>;
}

export async function openPageFiles(dir: string): Promise<PageFiles> {
  await mkdir(dir, { recursive: true });
  return {
    dir,
    path: (id) => join(dir, `${id}.page`),
    async ids() {
      return (await readdir(dir)).filter((f) => f.endsWith('.page')).map((f) => f.slice(0, -'.page'.length)).sort();
    },
    async writeManifest(manifest) {
      const temp = join(dir, `.manifest-${randomBytes(6).toString('hex')}`);
      await writeFile(temp, JSON.stringify(manifest));
      await rename(temp, join(dir, 'session.json'));
    },
    async readManifest() {
      try {
        return JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as PageManifest;
      } catch {
        return undefined;
      }
    },
    async remove(id) {
      await unlink(join(dir, `${id}.page`)).catch(() => undefined);
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
