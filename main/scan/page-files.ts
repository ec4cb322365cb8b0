// A scan session's pages on disk, written the moment each arrives from the device worker: the
// raw pixels and their shape, durably (temp file, fsync, rename, folder fsync). The desk can lose
// its device worker, its pipeline or main itself mid-batch and still hold every page it was sent;
// a small manifest remembers the clerk's order, turns and exclusions for when main starts again.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, fromSystemError } from '../ipc/errors.ts';
import type { QuarterTurn, RawPage } from './pipeline/types.ts';

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

export interface PageFiles {
  readonly dir: string;
  /** Keeps the page as `<id>.page`: one JSON header line (its shape), then the pixels. */
  write(id: string, page: RawPage): Promise<void>;
  /** The page as written, or undefined when its file is missing or damaged. */
  read(id: string): Promise<RawPage | undefined>;
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
    async write(id, page) {
      const { data, ...shape } = page;
      await writeDurably(dir, `${id}.page`, [Buffer.from(JSON.stringify(shape) + '\n'), data]);
      await syncDir(dir);
    },
    async read(id) {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(dir, `${id}.page`));
      } catch {
        return undefined;
      }
      const newline = bytes.indexOf(0x0a);
      if (newline < 0) return undefined;
      try {
        const shape = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Omit<RawPage, 'data'>;
        // A copy that owns its buffer: the pipeline takes it over (transfer).
        return { ...shape, data: new Uint8Array(bytes.subarray(newline + 1)) };
      } catch {
        return undefined;
      }
    },
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
