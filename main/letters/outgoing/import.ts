// Outgoing letters ready for signature. Until the drafting-and-verification workflow exists, an
// outgoing letter enters it here: a PDF imported as an outgoing letter addressed to a signing
// official is "siap ditandatangani" at once. The file is checked like any softcopy (by content), and
// must reserve the place where signing writes its number.
import type { BlobStore } from '../../documents/blob-store.ts';
import { importDocument } from '../../documents/import.ts';
import { findLetterPlaces } from '../../documents/letter-places.ts';
import { AppError } from '../../../common/errors.ts';
import { parseAgendaTemplate, templateUses } from '../numbering/numbering.ts';
import type { Letter, Security } from '../../store/letters.ts';
import type { Store } from '../../store/store.ts';

export interface OutgoingImport {
  bytes: Uint8Array;
  fileName: string;
  subject: string;
  /** tujuan: to whom the letter goes. */
  addressee: string;
  /** The signing official's user id (or their name on a desk without accounts). */
  signer: string;
  /** Kode klasifikasi arsip from the desk's list; the number printed at signing may need it. */
  classificationCode?: string;
  /** Klasifikasi keamanan (default biasa): a rahasia letter's verification page shows only that it exists. */
  security?: Security;
}

function invalidClassification(message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path: ['classificationCode'], message }] });
}

/**
 * The code is asked for here, from the clerk who imports the letter, rather than at signing: the
 * signing official signs a batch and cannot fill it in there, while the clerk has the form open.
 * A code must be one of the desk's list, as in Catat.
 */
function checkClassification(store: Store, code: string | undefined): void {
  if (code === undefined) {
    if (templateUses(parseAgendaTemplate(store.agenda.outgoingConfig().template), 'klasifikasi')) {
      throw invalidClassification('Kode klasifikasi arsip wajib diisi karena format nomor surat kantor ini memakainya. Pilih kode dari daftar klasifikasi.');
    }
    return;
  }
  if (store.agenda.classification(code) === undefined) {
    throw invalidClassification(`Kode klasifikasi ${code} tidak ada di daftar klasifikasi arsip. Cari kode dari daftar, atau minta admin menambahkannya.`);
  }
}

/**
 * `alongside` runs in the transaction that creates the letter, for a record that must change with it
 * (the draft the letter was made from).
 */
export async function importOutgoingForSigning(store: Store, blobs: BlobStore, input: OutgoingImport, actor: string, alongside?: (letter: Letter) => void): Promise<Letter> {
  checkClassification(store, input.classificationCode);
  const imported = await importDocument(blobs, input.bytes, input.fileName);
  if (imported.mediaType !== 'application/pdf') {
    throw new AppError('IMPORT_UNSUPPORTED', 'Surat keluar yang akan ditandatangani harus berupa PDF. Simpan suratnya sebagai PDF lalu impor lagi.', { name: imported.displayName });
  }
  // Asked now, while the clerk has the file at hand: at signing the official could not fix the template.
  if ((await findLetterPlaces(input.bytes)).number.length === 0) throw new AppError('NUMBER_PLACE_MISSING', undefined, { name: imported.displayName });
  return store.transaction(() => {
    store.documents.upsert({ hash: imported.hash, mediaType: 'application/pdf', byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName });
    const letter = store.letters.create({
      direction: 'outgoing', status: 'ready_to_sign', subject: input.subject, addressee: input.addressee,
      documentHash: imported.hash, signerUserId: input.signer, classificationCode: input.classificationCode ?? null, security: input.security ?? 'biasa',
    }, actor);
    alongside?.(letter);
    return letter;
  });
}

/** Outgoing letters waiting for a signature, oldest first; for one signer when given. */
export function lettersReadyToSign(store: Store, signer?: string): Letter[] {
  return store.signatures.readyToSignLetterIds()
    .map((id) => store.letters.get(id))
    .filter((l): l is Letter => l !== undefined && (signer === undefined || l.signerUserId === signer));
}
