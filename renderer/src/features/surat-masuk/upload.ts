// Sends a file the clerk picked or dropped to main: the renderer has no file paths, so the bytes go
// over the bridge in base64 pieces (a socket message holds at most 8 MB), then main imports them.
import type { IpcError, ReplyOf } from '../../../../main/ipc/contract.ts';
import type { DeskBridge } from '../../bridge/index.ts';

/** 3 MB of file = 4 MB of base64: well inside one message. */
const pieceBytes = 3 * 1024 * 1024;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

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

/** Offers bytes as a download (the agenda book) without a server route: a blob URL, revoked after use. */
export function download(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
