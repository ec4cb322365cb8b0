// Files between the renderer and the core, in pieces. The sandboxed renderer has no file paths, and
// no file travels as one message: a socket message holds at most 8 MB and Electron's IPC copies each
// message whole. A file the person picks arrives as pieces appended to a spool file on disk, which the
// core then reads (letters.import, sign.validate, sign.outgoing.import); a file the core hands out (a
// letter's PDF, the agenda book, a report, a page as JPG) is registered here and read back in pieces.
// Both sides forget what was not finished within a few minutes (the window was closed, say).
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileRef } from '../../common/ipc/documents.ts';
import { AppError, fromSystemError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { Capability, Desk } from '../app/desk.ts';
import type { Handlers } from '../ipc/router.ts';
import { defaultMaxImportBytes, tooLarge } from './import.ts';

/** What one documents.read answers at most: 3 MB of file is 4 MB of base64, half a socket message. */
export const readPieceBytes = 3 * 1024 * 1024;
/** A transfer not touched for this long is dropped with its spool file. */
const idleTtlMs = 10 * 60_000;
/** Uploads under way at once; a renderer that opens more is refused rather than filling the disk. */
const maxOpenUploads = 16;

export interface Transfers {
  /**
   * Appends a piece at `offset` (which must be what arrived so far); answers the bytes received. With
   * the whole file's `size` (the first piece says it), a file over the limit is refused before any of it is kept.
   */
  receive(uploadId: string, offset: number, bytes: Uint8Array, size?: number): Promise<number>;
  /** The whole upload, read from its spool file, which is then removed. */
  take(uploadId: string): Promise<Buffer>;
  /** Registers a file for the renderer to read: bytes made now (spooled to disk) or a file the core keeps. */
  offer(file: { bytes: Uint8Array } | { path: string }, fileName: string, mediaType: string): Promise<FileRef>;
  /** Up to readPieceBytes of an offered file from `offset`. */
  read(fileId: string, offset: number): Promise<{ chunk: Buffer; size: number }>;
  close(): Promise<void>;
}

interface Upload { path: string; size: number; touched: number }
interface Offered { path: string; size: number; spooled: boolean; touched: number }

function transferLost(): AppError {
  return new AppError('VALIDATION', 'Pengiriman berkas terputus di tengah jalan. Pilih berkasnya lagi.');
}

export function createTransfers(spoolDir: string, log: Logger, options: { maxUploadBytes?: number } = {}): Transfers {
  const maxUploadBytes = options.maxUploadBytes ?? defaultMaxImportBytes;
  // Whatever a crash left here belongs to a window that is gone.
  rmSync(spoolDir, { recursive: true, force: true });
  mkdirSync(spoolDir, { recursive: true });
  const uploads = new Map<string, Upload>();
  const offered = new Map<string, Offered>();

  async function dropIdle(): Promise<void> {
    const cutoff = Date.now() - idleTtlMs;
    for (const [id, u] of uploads) if (u.touched < cutoff) { uploads.delete(id); await rm(u.path, { force: true }); }
    for (const [id, f] of offered) if (f.touched < cutoff) { offered.delete(id); if (f.spooled) await rm(f.path, { force: true }); }
  }

  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw fromSystemError(err) ?? err;
    }
  }

  return {
    receive: (uploadId, offset, bytes, size) => guarded(async () => {
      await dropIdle();
      if (size !== undefined && size > maxUploadBytes) throw tooLarge(size, maxUploadBytes, 'berkas');
      let upload = uploads.get(uploadId);
      if (!upload) {
        if (offset !== 0) throw transferLost();
        if (uploads.size >= maxOpenUploads) throw new AppError('VALIDATION', 'Terlalu banyak berkas sedang dikirim. Tunggu sampai selesai lalu coba lagi.');
        upload = { path: join(spoolDir, `up-${randomUUID()}`), size: 0, touched: Date.now() };
        await writeFile(upload.path, new Uint8Array());
        uploads.set(uploadId, upload);
      }
      if (offset !== upload.size) throw new AppError('VALIDATION', 'Pengiriman berkas terputus di tengah jalan. Pilih berkasnya lagi.', { uploadId, offset, expected: upload.size });
      if (upload.size + bytes.byteLength > maxUploadBytes) {
        uploads.delete(uploadId);
        await rm(upload.path, { force: true });
        throw new AppError('IMPORT_TOO_LARGE', undefined, { maxBytes: maxUploadBytes });
      }
      const file = await open(upload.path, 'a');
      try {
        await file.write(bytes);
      } finally {
        await file.close();
      }
      upload.size += bytes.byteLength;
      upload.touched = Date.now();
      return upload.size;
    }),

    take: (uploadId) => guarded(async () => {
      const upload = uploads.get(uploadId);
      if (!upload) throw transferLost();
      uploads.delete(uploadId);
      try {
        return await readFile(upload.path);
      } finally {
        await rm(upload.path, { force: true });
      }
    }),

    offer: (file, fileName, mediaType) => guarded(async () => {
      await dropIdle();
      const fileId = randomUUID();
      let entry: Offered;
      if ('bytes' in file) {
        const path = join(spoolDir, `out-${fileId}`);
        await writeFile(path, file.bytes);
        entry = { path, size: file.bytes.byteLength, spooled: true, touched: Date.now() };
      } else {
        entry = { path: file.path, size: (await stat(file.path)).size, spooled: false, touched: Date.now() };
      }
      offered.set(fileId, entry);
      return { fileId, fileName, size: entry.size, mediaType };
    }),

    read: (fileId, offset) => guarded(async () => {
      const entry = offered.get(fileId);
      if (!entry) throw new AppError('NOT_FOUND', 'Berkas ini sudah tidak tersedia. Buka atau unduh lagi.');
      entry.touched = Date.now();
      const length = Math.max(0, Math.min(readPieceBytes, entry.size - offset));
      const chunk = Buffer.alloc(length);
      if (length > 0) {
        const handle = await open(entry.path, 'r');
        try {
          const { bytesRead } = await handle.read(chunk, 0, length, offset);
          if (bytesRead !== length) throw new AppError('STORAGE_FAILED');
        } finally {
          await handle.close();
        }
      }
      // The last piece read: the renderer has it all, the spooled copy can go.
      if (offset + length >= entry.size) {
        offered.delete(fileId);
        if (entry.spooled) await rm(entry.path, { force: true });
      }
      return { chunk, size: entry.size };
    }),

    async close() {
      uploads.clear();
      offered.clear();
      await rm(spoolDir, { recursive: true, force: true }).catch((err: unknown) => log.warn('transfers: spool folder not removed', { err }));
    },
  };
}

/** The two channels every file transfer uses. */
export function transferHandlers(transfers: Transfers): Pick<Handlers, 'documents.upload' | 'documents.read'> {
  return {
    'documents.upload': async ({ uploadId, offset, chunk, size }) => ({ received: await transfers.receive(uploadId, offset, Buffer.from(chunk, 'base64'), size) }),
    'documents.read': async ({ fileId, offset }) => {
      const { chunk, size } = await transfers.read(fileId, offset);
      return { chunk: chunk.toString('base64'), size };
    },
  };
}

export function transferCapability(desk: Desk): Capability {
  return { handlers: transferHandlers(desk.transfers) };
}
