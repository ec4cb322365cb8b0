// Sends a file the clerk picked or dropped to main: the renderer has no file paths, so the bytes go
// over the bridge in base64 pieces (a socket message holds at most 8 MB), then main imports them.
import type { IpcError, ReplyOf } from '../../../../../common/ipc/index.ts';
import type { DeskBridge } from '../../../bridge/index.ts';
import { toBase64 } from '../../../files/base64.ts';

/** 3 MB of file = 4 MB of base64: well inside one message. */
const pieceBytes = 3 * 1024 * 1024;

export type ImportOutcome = { ok: true; value: ReplyOf<'letters.import'> } | { ok: false; error: IpcError };

export async function importFile(bridge: DeskBridge, file: File, onProgress: (share: number) => void): Promise<ImportOutcome> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const uploadId = crypto.randomUUID();
  for (let offset = 0; offset < bytes.length; offset += pieceBytes) {
    const sent = await bridge.invoke('letters.upload', { uploadId, offset, chunk: toBase64(bytes.subarray(offset, offset + pieceBytes)) });
    if (!sent.ok) return sent;
    onProgress(Math.min(1, (offset + pieceBytes) / bytes.length));
  }
  return bridge.invoke('letters.import', { uploadId, name: file.name });
}
