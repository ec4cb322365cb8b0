// Where blob bytes live. One interface so an S3-compatible store can replace the filesystem when an
// agency runs several server instances; the database only records which blobs exist and who sent them.
// An upload in progress belongs to its uploader (an office): each office sends its own bytes, so none
// can finish, watch or claim another's upload by knowing the hash, and its bytes prove it holds them.
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface BlobStore {
  /** Bytes of `uploader`'s unfinished upload received so far (0 when none). */
  received(sha256: string, uploader: string): Promise<number>;
  /**
   * Appends the bytes of `data` at `offset`, which must equal the bytes received so far, as they arrive;
   * returns the new count. When `data` fails midway (the desk's connection dropped) what arrived is
   * kept, made durable, and the error is rethrown: the desk resumes from there.
   */
  append(sha256: string, uploader: string, offset: number, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number>;
  /**
   * Hashes `uploader`'s received bytes: on a match the blob becomes readable (the same bytes as any
   * earlier copy, since the hash names them), otherwise the upload is discarded.
   */
  finish(sha256: string, uploader: string): Promise<boolean>;
  /** Size of a finished blob, or undefined. */
  size(sha256: string): Promise<number | undefined>;
  /** Bytes start..end (inclusive) of a finished blob. */
  read(sha256: string, start: number, end: number): Readable;
}

export class OffsetMismatch extends Error {
  readonly received: number;
  constructor(received: number) {
    super(`upload offset mismatch; server has ${received} bytes`);
    this.received = received;
  }
}

/** A long append is made durable every this many bytes, so a power cut mid-upload costs at most this much. */
const syncEveryBytes = 1024 * 1024;

export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The uploader's name hex-encoded: any office id is a safe directory name. */
  private partialDir(uploader: string): string { return join(this.root, 'partial', Buffer.from(uploader).toString('hex')); }
  private partialPath(sha: string, uploader: string): string { return join(this.partialDir(uploader), sha); }
  private finalPath(sha: string): string { return join(this.root, sha.slice(0, 2), sha); }

  async received(sha: string, uploader: string): Promise<number> {
    return (await stat(this.partialPath(sha, uploader)).catch(() => undefined))?.size ?? 0;
  }

  async append(sha: string, uploader: string, offset: number, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
    await mkdir(this.partialDir(uploader), { recursive: true });
    // Opened for appending: every write lands at the end, whatever else happened to the file.
    const file = await open(this.partialPath(sha, uploader), 'a');
    let received = offset;
    let synced = offset;
    try {
      const { size } = await file.stat();
      if (size !== offset) throw new OffsetMismatch(size);
      for await (const piece of data) {
        await file.write(piece);
        received += piece.length;
        if (received - synced >= syncEveryBytes) {
          await file.datasync();
          synced = received;
        }
      }
    } finally {
      // The offset a desk is told must survive a server crash, or a resumed upload would leave a hole;
      // this holds for bytes that came before a dropped connection too.
      try {
        if (received > synced) await file.datasync();
      } finally {
        await file.close();
      }
    }
    return received;
  }

  async finish(sha: string, uploader: string): Promise<boolean> {
    const partial = this.partialPath(sha, uploader);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(partial)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== sha) {
      await rm(partial, { force: true });
      return false;
    }
    await mkdir(join(this.root, sha.slice(0, 2)), { recursive: true });
    await rename(partial, this.finalPath(sha));
    return true;
  }

  async size(sha: string): Promise<number | undefined> {
    return (await stat(this.finalPath(sha)).catch(() => undefined))?.size;
  }

  read(sha: string, start: number, end: number): ReadStream {
    return createReadStream(this.finalPath(sha), { start, end });
  }
}
