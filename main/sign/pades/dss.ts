// The document security store (/DSS, ISO 32000-2 §12.8.4.3): certificates and revocation answers a
// validator needs long after signing, added to the catalog in an incremental update. The validator
// reads it back through its own parser (validate.ts).
import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import { AppError } from '../../../common/errors.ts';
import { appendUpdate, loadForUpdate, type UpdateObject } from './pdf-update.ts';

/** Appends /DSS (merged with one already there) to the catalog in an incremental update. */
export async function appendDss(input: Uint8Array, add: { certs: Uint8Array[]; ocsps: Uint8Array[] }): Promise<Uint8Array> {
  const loaded = await loadForUpdate(input);
  const { context, catalog } = loaded.doc;
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new AppError('PDF_UNSUPPORTED', undefined, { reason: 'no catalog reference' });
  const existing = catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const updates: UpdateObject[] = [];
  const streams = (key: string, items: readonly Uint8Array[]) => {
    const refs = [...(existing?.lookupMaybe(PDFName.of(key), PDFArray)?.asArray() ?? [])];
    for (const bytes of items) {
      // Uncompressed: a few KB per letter, and readable by the raw reader below.
      const ref = context.register(context.stream(bytes));
      updates.push({ ref, object: context.lookup(ref)! });
      refs.push(ref);
    }
    return refs;
  };
  const dss = context.obj({});
  for (const [key, items] of [['Certs', add.certs], ['OCSPs', add.ocsps], ['CRLs', []]] as const) {
    const refs = streams(key, items);
    if (refs.length > 0) dss.set(PDFName.of(key), context.obj(refs));
  }
  const dssRef = context.register(dss);
  catalog.set(PDFName.of('DSS'), dssRef);
  updates.push({ ref: dssRef, object: dss }, { ref: catalogRef, object: catalog });
  return appendUpdate(loaded, updates).bytes;
}
