// Ranged, resumable download of a blob the server holds (a letter another office delivered here),
// into the desk's content-addressed store. The bytes arrive in ranges of `chunkBytes`, each appended
// and flushed to a partial file as it comes, so a cut connection costs at most the range under way:
// the next attempt asks only for what is missing (`Range: bytes=<have>-`). The whole is checked
// against its SHA-256 before it enters the blob store; a mismatch is thrown away, never kept.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../documents/blob-store.ts';
import { AppError } from '../ipc/errors.ts';
import type { ServerErrorCode } from '../../server/protocol/errors.ts';
import { fromServerError } from './errors.ts';
import { ServerError, type ServerClient, type ServerReply } from './transport.ts';

export interface BlobDownload {
  client: ServerClient;
  /** Asked before each range: a long download may outlive one access token. */
  token: () => Promise<string>;
  sha256: string;
  blobs: BlobStore;
  /** Where partial downloads wait between attempts (one `<sha256>.part` file each). */
  partialDir: string;
  chunkBytes?: number;
  onProgress?: (received: number, total: number) => void;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return 0;
    throw err;
  }
}

/** The server's refusal as ServerError (what ServerClient.json does for a JSON call). */
function refusal(reply: ServerReply): ServerError {
  let error: { code?: ServerErrorCode; message?: string; details?: Record<string, unknown> } | undefined;
  try { error = (JSON.parse(reply.body.toString('utf8')) as { error?: typeof error }).error; } catch { error = undefined; }
  return new ServerError(error?.code ?? 'INTERNAL', error?.message ?? `Server menjawab ${reply.status}.`, reply.status, error?.details);
}

/** Not reachable now (network down, server stopped): the clerk's message says the part already here is kept. */
function asDeskError(err: unknown): unknown {
  const unreachable = (err instanceof ServerError || err instanceof AppError) && err.code === 'SERVER_UNREACHABLE';
  if (unreachable) return new AppError('DOWNLOAD_OFFLINE', undefined, undefined, { cause: err });
  if (err instanceof ServerError) return fromServerError(err);
  return err;
}

/** The blob's bytes, from the local store when it is there already, else downloaded (resuming a partial file). */
export async function downloadBlob(o: BlobDownload): Promise<Buffer> {
  if (await o.blobs.has(o.sha256)) return o.blobs.read(o.sha256);
  const chunkBytes = o.chunkBytes ?? 1024 * 1024;
  await mkdir(o.partialDir, { recursive: true });
  const partial = join(o.partialDir, `${o.sha256}.part`);
  let have = await sizeOf(partial);
  let total: number | undefined;
  const file = await open(partial, 'a');
  try {
    while (total === undefined || have < total) {
      let reply: ServerReply;
      try {
        reply = await o.client.raw('GET', `/blobs/${o.sha256}`, { token: await o.token(), headers: { range: `bytes=${have}-${have + chunkBytes - 1}` } });
      } catch (err) {
        throw asDeskError(err);
      }
      if (reply.status === 416 && have > 0) {
        // The partial file is longer than the blob (it cannot be this blob's start): start over.
        await file.truncate(0);
        have = 0;
        total = undefined;
        continue;
      }
      if (reply.status >= 400) throw asDeskError(refusal(reply));
      if (reply.status === 200) {
        // A server that ignores Range answers the whole blob: keep that instead of the partial file.
        await file.truncate(0);
        have = 0;
        total = reply.body.length;
      } else {
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(reply.headers['content-range'] ?? ''));
        if (!range || Number(range[1]) !== have) throw new AppError('DOWNLOAD_HASH_MISMATCH', undefined, { sha256: o.sha256, contentRange: reply.headers['content-range'] ?? null });
        total = Number(range[3]);
      }
      await file.write(reply.body);
      await file.sync();
      have += reply.body.length;
      o.onProgress?.(have, total);
      if (reply.body.length === 0 && have < total) throw new AppError('DOWNLOAD_HASH_MISMATCH', undefined, { sha256: o.sha256 });
    }
  } finally {
    await file.close();
  }
  const bytes = await readFile(partial);
  const actual = createHash('sha256').update(bytes).digest('hex');
  // Whether it matches or not, the partial file is done with: a mismatch must be downloaded afresh.
  await unlink(partial);
  if (actual !== o.sha256) throw new AppError('DOWNLOAD_HASH_MISMATCH', undefined, { sha256: o.sha256, actual });
  await o.blobs.put(bytes);
  return bytes;
}
