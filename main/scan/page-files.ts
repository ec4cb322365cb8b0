// A scan session's pages on disk, written the moment each arrives from the device worker: the
// raw pixels and their shape, durably (temp file, fsync, rename, folder fsync). The desk can lose
// its device worker or its pipeline mid-batch and still hold every page it was sent.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, fromSystemError } from '../ipc/errors.ts';
import type { RawPage } from './pipeline/types.ts';

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
  remove(id: string): Promise<void>;
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
    async remove(id) {
      await unlink(join(dir, `${id}.page`)).catch(() => undefined);
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
