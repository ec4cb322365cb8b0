// Files to and from the core the way the renderer moves them (renderer/src/files/transfer.ts): up in
// base64 pieces with documents.upload, back with documents.read. For tests that call the router.
import type { Channel, InvokeResult, RequestOf } from '../../common/ipc/index.ts';
import type { FileRef } from '../../common/ipc/documents.ts';

type Call = <C extends Channel>(channel: C, payload: RequestOf<C>) => Promise<InvokeResult<C>>;

/** Sends bytes in pieces of `pieceBytes`; answers the uploadId a channel that takes a file names. */
export async function sendBytes(call: Call, bytes: Uint8Array, pieceBytes = 3 * 1024 * 1024): Promise<string> {
  const uploadId = crypto.randomUUID();
  let offset = 0;
  do {
    const piece = bytes.subarray(offset, offset + pieceBytes);
    const sent = await call('documents.upload', { uploadId, offset, chunk: Buffer.from(piece).toString('base64') });
    if (!sent.ok) throw new Error(`documents.upload failed: ${sent.error.code} ${sent.error.message}`);
    offset += piece.byteLength;
  } while (offset < bytes.byteLength);
  return uploadId;
}

/** Reads a file the core handed out, every piece. */
export async function receiveBytes(call: Call, ref: FileRef): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let offset = 0;
  do {
    const got = await call('documents.read', { fileId: ref.fileId, offset });
    if (!got.ok) throw new Error(`documents.read failed: ${got.error.code} ${got.error.message}`);
    const piece = Buffer.from(got.value.chunk, 'base64');
    if (piece.byteLength === 0) break;
    pieces.push(piece);
    offset += piece.byteLength;
  } while (offset < ref.size);
  return Buffer.concat(pieces);
}
