// Imports a file the clerk picked or dropped: its bytes go to main in pieces (files/transfer.ts),
// then main checks them by content and keeps them as a document.
import type { IpcError, ReplyOf } from '../../../../../common/ipc/index.ts';
import type { DeskBridge } from '../../../bridge/index.ts';
import { sendFile } from '../../../files/transfer.ts';

export type ImportOutcome = { ok: true; value: ReplyOf<'letters.import'> } | { ok: false; error: IpcError };

export async function importFile(bridge: DeskBridge, file: File, onProgress: (share: number) => void): Promise<ImportOutcome> {
  const sent = await sendFile(bridge, file, onProgress);
  if (!sent.ok) return sent;
  return bridge.invoke('letters.import', { uploadId: sent.uploadId, name: file.name });
}
