// Outgoing letters ready for signature. Until the drafting-and-verification workflow exists, an
// outgoing letter enters it here: a PDF imported as an outgoing letter addressed to a signing
// official is "siap ditandatangani" at once. The file is checked like any softcopy (by content).
import type { BlobStore } from '../documents/blob-store.ts';
import { importDocument } from '../documents/import.ts';
import { AppError } from '../ipc/errors.ts';
import type { Letter } from '../store/letters.ts';
import type { Store } from '../store/store.ts';

export interface OutgoingImport {
  bytes: Uint8Array;
  fileName: string;
  subject: string;
  /** tujuan: to whom the letter goes. */
  addressee: string;
  /** The signing official's user id (or their name on a desk without accounts). */
  signer: string;
}

export async function importOutgoingForSigning(store: Store, blobs: BlobStore, input: OutgoingImport, actor: string): Promise<Letter> {
  const imported = await importDocument(blobs, input.bytes, input.fileName);
  if (imported.mediaType !== 'application/pdf') {
    throw new AppError('IMPORT_UNSUPPORTED', 'Surat keluar yang akan ditandatangani harus berupa PDF. Simpan suratnya sebagai PDF lalu impor lagi.', { name: imported.displayName });
  }
  return store.transaction(() => {
    store.documents.upsert({ hash: imported.hash, mediaType: 'application/pdf', byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName });
    return store.letters.create({
      direction: 'outgoing', status: 'ready_to_sign', subject: input.subject, addressee: input.addressee,
      documentHash: imported.hash, signerUserId: input.signer,
    }, actor);
  });
}

/** Outgoing letters waiting for a signature, oldest first; for one signer when given. */
export function lettersReadyToSign(store: Store, signer?: string): Letter[] {
  return store.signatures.readyToSignLetterIds()
    .map((id) => store.letters.get(id))
    .filter((l): l is Letter => l !== undefined && (signer === undefined || l.signerUserId === signer));
}
