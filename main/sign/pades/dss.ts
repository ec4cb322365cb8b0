// The document security store (/DSS, ISO 32000-2 §12.8.4.3): certificates and revocation answers a
// validator needs long after signing, added to the catalog in an incremental update; and its reader,
// which works on the raw bytes so the validator stays synchronous.
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import { AppError } from '../../../common/errors.ts';
import { appendUpdate, loadForUpdate, type UpdateObject } from './pdf-update.ts';

const latin1 = new TextDecoder('latin1');

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

export interface DssContents {
  certs: Uint8Array[];
  ocsps: Uint8Array[];
}

/** The text of the last "N G obj" … "endobj" of object N in the file (later revisions win). */
function objectText(text: string, objectNumber: number): { start: number; end: number } | null {
  const matches = [...text.matchAll(new RegExp(`(?:^|[\\r\\n\\s])${objectNumber}\\s+0\\s+obj\\b`, 'g'))];
  const last = matches.at(-1);
  if (last === undefined) return null;
  const end = text.indexOf('endobj', last.index);
  return { start: last.index, end: end < 0 ? text.length : end };
}

function streamBytes(bytes: Uint8Array, text: string, objectNumber: number): Uint8Array | null {
  const at = objectText(text, objectNumber);
  if (at === null) return null;
  const body = text.slice(at.start, at.end);
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(body);
  const streamAt = /stream\r?\n/.exec(body);
  if (!length || !streamAt) return null;
  const from = at.start + streamAt.index + streamAt[0].length;
  const raw = bytes.subarray(from, from + Number(length[1]));
  return /\/Filter\s*\/FlateDecode/.test(body.slice(0, streamAt.index)) ? new Uint8Array(inflateSync(raw)) : raw;
}

/**
 * Reads the /DSS of the file's latest revision straight from its bytes. A DSS kept inside a
 * compressed object stream is not found (the validator then reports revocation as not checked).
 */
export function readDss(bytes: Uint8Array): DssContents {
  const text = latin1.decode(bytes);
  const ref = [...text.matchAll(/\/DSS\s+(\d+)\s+0\s+R/g)].at(-1);
  const empty: DssContents = { certs: [], ocsps: [] };
  if (ref === undefined) return empty;
  const at = objectText(text, Number(ref[1]));
  if (at === null) return empty;
  const dict = text.slice(at.start, at.end);
  const list = (key: string) => [...(new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dict)?.[1] ?? '').matchAll(/(\d+)\s+0\s+R/g)]
    .map((m) => streamBytes(bytes, text, Number(m[1])))
    .filter((s): s is Uint8Array => s !== null);
  return { certs: list('Certs'), ocsps: list('OCSPs') };
}
