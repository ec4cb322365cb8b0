// Files between the renderer and main, in pieces (main/documents/transfers.ts): the sandboxed
// renderer has no file paths, and no file travels as one message (a socket message holds at most
// 8 MB). A picked file goes up as base64 pieces with documents.upload and is then named by its
// uploadId; a file main hands out (a FileRef) comes back with documents.read.
import type { FileRef } from '../../../common/ipc/documents.ts';
import type { IpcError, LoketBridge } from '../../../common/ipc/index.ts';
import { fromBase64, toBase64 } from './base64.ts';

/** 3 MB of file = 4 MB of base64: well inside one message. */
const pieceBytes = 3 * 1024 * 1024;

export type Sent = { ok: true; uploadId: string } | { ok: false; error: IpcError };
export type Received = { ok: true; bytes: Uint8Array } | { ok: false; error: IpcError };

/** Sends a picked file to main in pieces; an empty file is one empty piece (main then says it is empty). */
export async function sendFile(bridge: LoketBridge, file: Blob, onProgress?: (share: number) => void): Promise<Sent> {
  const uploadId = crypto.randomUUID();
  let offset = 0;
  do {
    const piece = new Uint8Array(await file.slice(offset, offset + pieceBytes).arrayBuffer());
    // The first piece says the whole size: main refuses a file over its limit before keeping any of it.
    const sent = await bridge.invoke('documents.upload', { uploadId, offset, chunk: toBase64(piece), ...(offset === 0 ? { size: file.size } : {}) });
    if (!sent.ok) return sent;
    offset += piece.byteLength;
    onProgress?.(file.size === 0 ? 1 : offset / file.size);
  } while (offset < file.size);
  return { ok: true, uploadId };
}

/** Reads a file main handed out, piece by piece, into one array. */
export async function receiveFile(bridge: LoketBridge, ref: FileRef): Promise<Received> {
  const bytes = new Uint8Array(ref.size);
  let offset = 0;
  do {
    const got = await bridge.invoke('documents.read', { fileId: ref.fileId, offset });
    if (!got.ok) return got;
    const piece = fromBase64(got.value.chunk);
    if (piece.byteLength === 0) break;
    bytes.set(piece, offset);
    offset += piece.byteLength;
  } while (offset < ref.size);
  return { ok: true, bytes };
}
