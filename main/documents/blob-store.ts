// Content-addressed document store: every file (scan, import, signed PDF) is kept once under the
// SHA-256 of its bytes, in sharded folders (ab/cd/<hash>). Rows refer to documents by hash; the same
// bytes stored twice are detected; a blob is "saved" only once it is durable on disk (temp file,
// fsync, rename, folder fsync), so a crash or a full disk never leaves a half-written document.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError, fromSystemError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';

export interface PutResult {
  hash: string;
  size: number;
  /** True when these exact bytes were already stored (a second import or scan of the same file). */
  existed: boolean;
}

export type BlobCheck = 'ok' | 'missing' | 'corrupt';

/**
 * A blob written ahead of time, all but a span its writer fills in later (a PDF waiting for its
 * signature): the bulk is on disk and synced while other work goes on, and finishing writes only the
 * span before naming the file by the hash of the final bytes.
 */
export interface StagedBlob {
  /**
   * Stores `final`, which must equal the staged bytes outside the span; when it does not (another
   * length, other bytes), it is stored the ordinary way and the staged file is dropped.
   */
  finish(final: Uint8Array): Promise<PutResult>;
  /** Drops the staged file (the signature never came). */
  abandon(): Promise<void>;
}

export interface BlobStore {
  readonly root: string;
  put(bytes: Uint8Array): Promise<PutResult>;
  has(hash: string): Promise<boolean>;
  /** The whole blob, checked against its name; a mismatch is BLOB_CORRUPT, never silently served. */
  read(hash: string): Promise<Buffer>;
  /** A stream for large transfers (sync upload); the receiver verifies the hash at the end. */
  open(hash: string): ReadStream;
  verify(hash: string): Promise<BlobCheck>;
  /** Takes back a blob stored moments ago by an operation that then failed (no row refers to it). */
  remove(hash: string): Promise<void>;
  /** Writes `bytes` ahead, durably, but for `span` (byte offsets, end exclusive) that `finish` fills in. */
  stage(bytes: Uint8Array, span: { start: number; end: number }): Promise<StagedBlob>;
}

const hashPattern = /^[0-9a-f]{64}$/;

export function isBlobHash(value: string): boolean {
  return hashPattern.test(value);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function assertHash(hash: string): void {
  // The hash becomes a path: anything but 64 lowercase hex digits must never reach the file system.
  if (!hashPattern.test(hash)) throw new RangeError(`not a SHA-256 hex digest: ${JSON.stringify(hash).slice(0, 80)}`);
}

function storageError(err: unknown): AppError {
  return fromSystemError(err) ?? new AppError('STORAGE_FAILED', undefined, undefined, { cause: err });
}

/** Makes a folder's entries (a rename, a new sub-folder) durable. Windows cannot open folders; NTFS journals them. */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try { await handle.sync(); } finally { await handle.close(); }
}

async function hashFile(path: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
}

export function createBlobStore(root: string, options: { log?: Logger } = {}): BlobStore {
  const log = options.log;
  const pathOf = (hash: string) => join(root, hash.slice(0, 2), hash.slice(2, 4), hash);

  /** Renames a synced temp file to its blob path and makes the new entry durable. */
  async function moveIntoPlace(temp: string, target: string): Promise<void> {
    const dir = dirname(target);
    // mkdir returns the first folder it created; that folder's parent needs its own fsync.
    const created = await mkdir(dir, { recursive: true });
    await rename(temp, target);
    await fsyncDir(dir);
    if (created !== undefined) {
      for (let d = dir; d.length >= created.length && d !== root; d = dirname(d)) await fsyncDir(dirname(d));
    }
  }

  async function writeDurably(target: string, bytes: Uint8Array): Promise<void> {
    const dir = dirname(target);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    let handle: FileHandle | undefined;
    try {
      handle = await open(temp, 'wx', 0o644);
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      handle = undefined;
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await moveIntoPlace(temp, target);
  }

  async function put(bytes: Uint8Array): Promise<PutResult> {
    const hash = sha256Hex(bytes);
    const target = pathOf(hash);
    try {
      const existing = await hashFile(target);
      if (existing === hash) return { hash, size: bytes.byteLength, existed: true };
      if (existing !== null) log?.warn('blob on disk did not match its name; rewriting it from fresh bytes', { hash, found: existing });
      await writeDurably(target, bytes);
    } catch (err) {
      throw err instanceof AppError ? err : storageError(err);
    }
    log?.debug('blob stored', { hash, size: bytes.byteLength });
    return { hash, size: bytes.byteLength, existed: false };
  }

  return {
    root,
    put,

    async stage(bytes, span) {
      const temp = join(root, `.tmp-${randomBytes(8).toString('hex')}`);
      let handle: FileHandle | undefined;
      try {
        await mkdir(root, { recursive: true });
        handle = await open(temp, 'wx', 0o644);
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (err) {
        await handle?.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
        throw storageError(err);
      }
      const file = handle;
      let pending = true;
      const abandon = async () => {
        if (!pending) return;
        pending = false;
        await file.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
      };
      // Only the span may differ; a memcmp of the rest is cheap beside the disk write it saves.
      const sameOutsideSpan = (final: Uint8Array) => final.length === bytes.length
        && Buffer.compare(final.subarray(0, span.start), bytes.subarray(0, span.start)) === 0
        && Buffer.compare(final.subarray(span.end), bytes.subarray(span.end)) === 0;
      return {
        abandon,
        async finish(final) {
          if (!pending) throw new Error('staged blob already finished');
          if (!sameOutsideSpan(final)) {
            await abandon();
            return put(final);
          }
          const hash = sha256Hex(final);
          const target = pathOf(hash);
          try {
            await file.write(final, span.start, span.end - span.start, span.start);
            await file.sync();
            pending = false;
            await file.close();
            if ((await hashFile(target)) === hash) {
              await unlink(temp).catch(() => undefined);
              return { hash, size: final.byteLength, existed: true };
            }
            await moveIntoPlace(temp, target);
          } catch (err) {
            pending = true;
            await abandon();
            throw err instanceof AppError ? err : storageError(err);
          }
          log?.debug('blob stored', { hash, size: final.byteLength });
          return { hash, size: final.byteLength, existed: false };
        },
      };
    },

    async has(hash) {
      assertHash(hash);
      try {
        return (await stat(pathOf(hash))).isFile();
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') return false;
        throw storageError(err);
      }
    },

    async read(hash) {
      assertHash(hash);
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(hash));
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') throw new AppError('NOT_FOUND', 'Berkas dokumen tidak ditemukan di komputer ini. Sinkron ulang dari server atau pulihkan dari cadangan.', { hash });
        throw storageError(err);
      }
      if (sha256Hex(bytes) !== hash) {
        log?.error('blob content does not match its hash', { hash });
        throw new AppError('BLOB_CORRUPT', undefined, { hash });
      }
      return bytes;
    },

    open(hash) {
      assertHash(hash);
      return createReadStream(pathOf(hash));
    },

    async verify(hash) {
      assertHash(hash);
      let actual: string | null;
      try {
        actual = await hashFile(pathOf(hash));
      } catch (err) {
        throw storageError(err);
      }
      if (actual === null) return 'missing';
      return actual === hash ? 'ok' : 'corrupt';
    },

    async remove(hash) {
      assertHash(hash);
      try {
        await unlink(pathOf(hash));
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'ENOENT') throw storageError(err);
      }
    },
  };
}
