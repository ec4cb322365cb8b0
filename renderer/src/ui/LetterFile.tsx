// A letter's PDF to take away: Unduh (save it) and Cetak (open it in the PDF viewer, whose print
// button prints it), in every view of a letter. The file comes from main in pieces (letters.pdf, then
// documents.read); a signed letter's document is its signed PDF, so that is what is saved or printed.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, LoketBridge } from '../../../common/ipc/index.ts';
import { useBridge } from '../bridge/hooks.ts';
import { offerDownload } from '../files/download.ts';
import { receiveFile } from '../files/transfer.ts';
import { currentLanguage, errorText } from '../i18n/index.ts';

export interface LetterFileOf {
  subject: string;
  letterNumber: string | null;
  documentHash: string | null;
}

/** The PDF's file name: the letter's number (else its subject), made safe for a file system. */
export const pdfName = (letter: LetterFileOf) => `${(letter.letterNumber ?? letter.subject).replace(/[^\p{L}\p{N}.-]+/gu, '-')}.pdf`;

type Got = { ok: true; bytes: Uint8Array } | { ok: false; error: IpcError };

export async function letterPdf(bridge: LoketBridge, documentHash: string): Promise<Got> {
  const ref = await bridge.invoke('letters.pdf', { documentId: documentHash });
  return ref.ok ? receiveFile(bridge, ref.value) : ref;
}

export const downloadLetter = (bytes: Uint8Array, letter: LetterFileOf) => offerDownload(bytes, pdfName(letter), 'application/pdf');

/** Opens the PDF in a new window, where the viewer's own print button prints it with the printer's settings. */
export function printLetter(bytes: Uint8Array): void {
  window.open(URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' })), '_blank', 'noopener');
}

/** The Unduh / Cetak buttons of a letter view, and what went wrong getting the file. */
export function LetterFileActions({ letter, testId = 'letter-file' }: { letter: LetterFileOf; testId?: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const documentHash = letter.documentHash;
  if (documentHash === null) return null;

  async function take(then: (bytes: Uint8Array) => void) {
    setBusy(true);
    setError(null);
    const got = await letterPdf(bridge, documentHash!);
    setBusy(false);
    if (got.ok) then(got.bytes); else setError(got.error);
  }

  return (
    <div className="letter-file" data-testid={testId}>
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void take((bytes) => downloadLetter(bytes, letter))} data-testid={`${testId}-download`}>
        {t('letterFile.download')}
      </button>
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void take(printLetter)} data-testid={`${testId}-print`}>
        {t('letterFile.print')}
      </button>
      {error && <p className="notice notice-error" role="alert" data-testid={`${testId}-error`}>{errorText(error, currentLanguage())}</p>}
    </div>
  );
}
