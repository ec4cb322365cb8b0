// Ranged, resumable download of a blob the server holds (a letter another office delivered here),
// into the desk's content-addressed store. The bytes arrive in ranges of `chunkBytes`, each appended
// to a partial file as it comes, so a cut connection costs at most the range under way:
// the next attempt asks only for what is missing (`Range: bytes=<have>-`). The whole is checked
// against its SHA-256 before it enters the blob store; a mismatch is thrown away, never kept.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../documents/blob-store.ts';
import { AppError } from '../../common/errors.ts';
import { fromServerError } from './errors.ts';
import { refusalOf, ServerError, type ServerClient, type ServerReply } from './client.ts';

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

/** Not reachable now (network down, server stopped): the clerk's message says the part already here is kept. */
function asDeskError(err: unknown): unknown {
  const unreachable = (err instanceof ServerError || err instanceof AppError) && err.code === 'SERVER_UNREACHABLE';
  if (unreachable) return new AppError('DOWNLOAD_OFFLINE', undefined, undefined, { cause: err });
  if (err instanceof ServerError) return fromServerError(err);
  return err;
}

/**
 * Ranges asked for at once: the next ones are on their way (and the server reading them) while one is
 * written here; a request per range otherwise waits a round trip and the server's work each time.
 */
const rangesInFlight = 3;

/** The blob's bytes, from the local store when it is there already, else downloaded (resuming a partial file). */
export async function downloadBlob(o: BlobDownload): Promise<Buffer> {
  if (await o.blobs.has(o.sha256)) return o.blobs.read(o.sha256);
  const chunkBytes = o.chunkBytes ?? 1024 * 1024;
  await mkdir(o.partialDir, { recursive: true });
  const partial = join(o.partialDir, `${o.sha256}.part`);
  const ask = (start: number): Promise<ServerReply> => {
    const reply = o.token().then((token) => o.client.raw('GET', `/blobs/${o.sha256}`, { token, headers: { range: `bytes=${start}-${start + chunkBytes - 1}` } }));
    // A range left behind when an earlier one failed is not awaited: its failure is not an error of its own.
    reply.catch(() => undefined);
    return reply;
  };
  let have = await sizeOf(partial);
  let total: number | undefined;
  /** Ranges asked for and not yet written, in order; `next` is where the next one to ask for starts. */
  const ahead: Promise<ServerReply>[] = [];
  let next = have;
  const file = await open(partial, 'a');
  try {
    while (total === undefined || have < total) {
      if (ahead.length === 0) { ahead.push(ask(next)); next += chunkBytes; }
      let reply: ServerReply;
      try {
        reply = await ahead.shift()!;
      } catch (err) {
        throw asDeskError(err);
      }
      if (reply.status === 416 && have > 0) {
        // The partial file is longer than the blob (it cannot be this blob's start): start over.
        await file.truncate(0);
        ahead.length = 0;
        have = next = 0;
        total = undefined;
        continue;
      }
      if (reply.status >= 400) throw asDeskError(refusalOf(reply));
      if (reply.status === 200) {
        // A server that ignores Range answers the whole blob: keep that instead of the partial file.
        await file.truncate(0);
        ahead.length = 0;
        have = 0;
        total = next = reply.body.length;
      } else {
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(reply.headers['content-range'] ?? ''));
        if (!range || Number(range[1]) !== have) throw new AppError('DOWNLOAD_HASH_MISMATCH', undefined, { sha256: o.sha256, contentRange: reply.headers['content-range'] ?? null });
        total = Number(range[3]);
      }
      while (ahead.length < rangesInFlight - 1 && next < total) { ahead.push(ask(next)); next += chunkBytes; }
      // Not fsynced per range: a tail lost in a crash only makes the next attempt start earlier or,
      // if the file kept garbage, fail the hash check and start afresh; the blob store's put is durable.
      await file.write(reply.body);
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
