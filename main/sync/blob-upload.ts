// Resumable upload of one content-addressed blob (server/blobs/routes.ts): declare it, ask the
// server where to resume, append chunks from there. A connection lost mid-chunk costs at most that
// chunk; a crash of the desk or the server resumes from the server's offset. The server checks the
// SHA-256 when the last byte arrives.
import { ServerError, type ServerClient } from './transport.ts';

/** The tus chunk type the server requires (server/protocol/api.ts); repeated because the packaged desk does not carry server code. */
const chunkContentType = 'application/offset+octet-stream';

export interface UploadState { sha256: string; size: number; offset: number; complete: boolean }

export interface BlobUploadOptions {
  client: ServerClient;
  token: string;
  sha256: string;
  bytes: Buffer;
  chunkBytes: number;
  onProgress?: (sent: number, total: number) => void;
}

/** Uploads what the server does not have yet; resolves once the server holds the complete blob. */
export async function uploadBlob(o: BlobUploadOptions): Promise<void> {
  const { client, token, sha256, bytes } = o;
  let state = await client.json<UploadState>('POST', '/blobs', { token, json: { sha256, size: bytes.length } });
  o.onProgress?.(state.offset, bytes.length);
  let hashMismatches = 0;
  while (!state.complete) {
    const chunk = bytes.subarray(state.offset, Math.min(bytes.length, state.offset + o.chunkBytes));
    try {
      state = await client.json<UploadState>('PATCH', `/blobs/${sha256}/upload`, {
        token, body: chunk, headers: { 'content-type': chunkContentType, 'upload-offset': String(state.offset) },
      });
    } catch (err) {
      if (!(err instanceof ServerError)) throw err;
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
      throw err;
    }
    o.onProgress?.(state.offset, bytes.length);
  }
}
