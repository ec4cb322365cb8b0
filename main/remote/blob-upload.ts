// Resumable upload of one content-addressed blob (server/blobs/routes.ts): declare it, ask the
// server where to resume, append from there in requests as large as the server accepts. The server
// keeps every byte as it arrives, so a connection lost mid-request costs only what was still on the
// wire, and a scan goes in one request instead of waiting for an answer per chunk (on a slow,
// lossy link those waits cost more than a tenth of the time). A crash of the desk or the server
// resumes from the server's offset. The server checks the SHA-256 when the last byte arrives.
import { chunkContentType, DeclaredUploadReply, UploadStateReply } from '../../common/protocol/blobs.ts';
import { ServerError, type ServerClient } from './client.ts';

/** Per request when the server does not say (a server from before it did). */
const fallbackChunkBytes = 1024 * 1024;
/**
 * The first request of an upload, and the first after a failure, carries only this much: the offset
 * the desk was told may already be behind (the bytes of a dropped request can still be arriving), and
 * a refused request has sent its body for nothing. Once the server took a probe, the upload is this
 * request's alone (server/blobs/routes.ts stops an older one), so the rest goes in full.
 */
const probeBytes = 64 * 1024;

export interface BlobUploadOptions {
  client: ServerClient;
  token: string;
  sha256: string;
  bytes: Buffer;
  /** Most bytes per request, below the server's own limit (tests); default: the server's limit. */
  chunkBytes?: number;
  /** Bytes the server has or that are on their way to it, as they go. */
  onProgress?: (sent: number, total: number) => void;
}

/** Uploads what the server does not have yet; resolves once the server holds the complete blob. */
export async function uploadBlob(o: BlobUploadOptions): Promise<void> {
  const { client, token, sha256, bytes } = o;
  const declare = () => client.json('POST', '/blobs', DeclaredUploadReply, { token, json: { sha256, size: bytes.length } });
  const declared = await declare();
  const perRequest = Math.min(o.chunkBytes ?? Infinity, declared.maxChunkBytes ?? fallbackChunkBytes);
  let state: UploadStateReply = declared;
  o.onProgress?.(state.offset, bytes.length);
  let probe = true;
  let hashMismatches = 0;
  let reconnected = false;
  while (!state.complete) {
    const start = state.offset;
    const chunk = bytes.subarray(start, Math.min(bytes.length, start + (probe ? Math.min(probeBytes, perRequest) : perRequest)));
    try {
      state = await client.json('PATCH', `/blobs/${sha256}/upload`, UploadStateReply, {
        token, body: chunk, retryStaleConnection: false,
        headers: { 'content-type': chunkContentType, 'upload-offset': String(start) },
        onBodySent: (n) => o.onProgress?.(start + n, bytes.length),
      });
      probe = false;
      reconnected = false;
    } catch (err) {
      if (!(err instanceof ServerError)) throw err;
      probe = true;
      if (err.code === 'BLOB_OFFSET_MISMATCH' && typeof err.details?.offset === 'number') {
        // Another attempt (or the previous run before a crash) got further: continue from the server's offset.
        state = { ...state, offset: err.details.offset };
        continue;
      }
      if (err.code === 'BLOB_HASH_MISMATCH' && hashMismatches++ === 0) {
        // The server discarded what it had; the desk's bytes were verified on reading, so send them once more.
        state = { ...state, offset: 0 };
        continue;
      }
      if (err.code === 'SERVER_UNREACHABLE' && !reconnected) {
        // The connection dropped mid-request (or a kept-alive one had closed): the server kept what
        // arrived, so ask where it got to, once; a second drop in a row is the sync engine's to retry later.
        reconnected = true;
        state = await declare();
        continue;
      }
      throw err;
    }
    o.onProgress?.(state.offset, bytes.length);
  }
}
