// Signature fields Loket's own signer does not make, for the validator's corpus: a certification
// signature (DocMDP, optionally with a FieldMDP lock), a document timestamp (ETSI.RFC3161) and an
// empty signature field. Each is one hand-made incremental update (tests/support/pdf-tamper.ts),
// its /Contents filled afterwards like any signer does; the CMS of a certification comes from the
// token through Loket's CMS builder, a document timestamp's token from the test TSA.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { KeySigner } from '../../common/signer.ts';
import { buildCadesSignature } from '../../main/sign/pades/cms.ts';
import type { Timestamper } from '../../main/sign/pades/timestamp.ts';
import { appendRawUpdate, inspect, type RawObject } from './pdf-tamper.ts';

const placeholderRange = '[0 0000000000 0000000000 0000000000]';
const reserve = 16_384;

interface FieldOptions {
  name: string;
  /** The signature dictionary's entries other than /ByteRange and /Contents; null for an empty field. */
  signature: string | null;
  /** More entries of the field dictionary (e.g. a FieldMDP /Lock). */
  fieldExtra?: string;
  /** More catalog entries, given the signature dictionary's object number (e.g. /Perms). */
  catalogExtra?: (sigNum: number) => Record<string, string>;
  xref?: 'table' | 'stream';
}

/** Appends a signature field (invisible widget on page 1) and, with a signature dictionary, its placeholder. */
async function appendField(pdf: Uint8Array, options: FieldOptions): Promise<{ bytes: Buffer; byteRange: [number, number, number, number] | null }> {
  const ins = await inspect(pdf);
  const page = ins.pageRefs[0]!;
  const sigNum = ins.size;
  const fieldNum = ins.size + 1;
  const fieldRef = PDFRef.of(fieldNum);
  const objects: RawObject[] = [];
  if (options.signature !== null) {
    objects.push({ num: sigNum, body: `<< ${options.signature} /ByteRange ${placeholderRange} /Contents <${'0'.repeat(reserve * 2)}> >>` });
  }
  objects.push({
    num: fieldNum,
    body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${PDFString.of(options.name).toString()} ${options.signature === null ? '' : `/V ${sigNum} 0 R`} /F 132 /P ${page.objectNumber} 0 R /Rect [0 0 0 0] ${options.fieldExtra ?? ''} >>`,
  });
  const pageDict = ins.lookup(page) as PDFDict;
  const annots = pageDict.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    const list = (ins.lookup(annots) as PDFArray).asArray().map((r) => r.toString());
    objects.push({ num: annots.objectNumber, body: `[${[...list, `${fieldNum} 0 R`].join(' ')}]` });
  } else {
    objects.push({ num: page.objectNumber, body: ins.dictText(page, (d) => {
      const array = d.get(PDFName.of('Annots'));
      if (array instanceof PDFArray) array.push(fieldRef);
      else d.set(PDFName.of('Annots'), ins.doc.context.obj([fieldRef]));
    }) });
  }
  const catalog = ins.lookup(ins.root) as PDFDict;
  const acroForm = catalog.get(PDFName.of('AcroForm'));
  const extra = options.catalogExtra?.(sigNum) ?? {};
  // The extra entries are PDF syntax of their own: written in just before the catalog's closing ">>".
  const rawCatalog = (edit: (d: PDFDict) => void) => ins.dictText(ins.root, edit)
    .replace(/>>\s*$/, `${Object.entries(extra).map(([key, value]) => `/${key} ${value}`).join(' ')} >>`);
  if (acroForm instanceof PDFRef) {
    objects.push({ num: acroForm.objectNumber, body: ins.dictText(acroForm, (d) => {
      const fields = d.get(PDFName.of('Fields'));
      if (fields instanceof PDFArray) fields.push(fieldRef);
      else d.set(PDFName.of('Fields'), ins.doc.context.obj([fieldRef]));
      d.set(PDFName.of('SigFlags'), ins.doc.context.obj(3));
    }) });
    if (Object.keys(extra).length > 0) objects.push({ num: ins.root.objectNumber, body: rawCatalog(() => undefined) });
  } else {
    objects.push({ num: ins.root.objectNumber, body: rawCatalog((d) => {
      const form = acroForm instanceof PDFDict ? acroForm : ins.doc.context.obj({});
      const fields = form.get(PDFName.of('Fields'));
      if (fields instanceof PDFArray) fields.push(fieldRef);
      else form.set(PDFName.of('Fields'), ins.doc.context.obj([fieldRef]));
      form.set(PDFName.of('SigFlags'), ins.doc.context.obj(3));
      d.set(PDFName.of('AcroForm'), form);
    }) });
  }
  const bytes = Buffer.from(await appendRawUpdate(pdf, objects, { xref: options.xref ?? 'table' }));
  if (options.signature === null) return { bytes, byteRange: null };
  const rangeAt = bytes.indexOf(`/ByteRange ${placeholderRange}`, pdf.length, 'latin1') + '/ByteRange '.length;
  const contentsStart = bytes.indexOf('/Contents <', rangeAt, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsStart + reserve * 2 + 2;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  bytes.write(`[${byteRange.join(' ')}`.padEnd(placeholderRange.length - 1, ' ') + ']', rangeAt, 'latin1');
  return { bytes, byteRange };
}

function fill(bytes: Buffer, byteRange: [number, number, number, number], der: Uint8Array): Uint8Array {
  if (der.length > reserve) throw new Error('signature larger than its placeholder');
  bytes.write(Buffer.from(der).toString('hex').toUpperCase(), byteRange[1] + 1, 'latin1');
  return new Uint8Array(bytes);
}

const signedBytes = (bytes: Buffer, [a, b, c, d]: [number, number, number, number]) => Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]);

/**
 * A certification signature (ISO 32000-1 §12.8.2.2): DocMDP with permission `p` (1 no changes,
 * 2 form filling, 3 also annotations), optionally locking form fields by name (FieldMDP /Lock).
 */
export async function certify(pdf: Uint8Array, signer: KeySigner, p: 1 | 2 | 3, options: { lock?: string[] } = {}): Promise<Uint8Array> {
  const { bytes, byteRange } = await appendField(pdf, {
    name: 'Sertifikasi',
    signature: `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z) /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${p} /V /1.2 >> >>]`,
    ...(options.lock ? { fieldExtra: `/Lock << /Type /SigFieldLock /Action /Include /Fields [${options.lock.map((n) => PDFString.of(n).toString()).join(' ')}] >>` } : {}),
    catalogExtra: (sigNum) => ({ Perms: `<< /DocMDP ${sigNum} 0 R >>` }),
  });
  const digest = createHash('sha256').update(signedBytes(bytes, byteRange!)).digest();
  return fill(bytes, byteRange!, await buildCadesSignature(new Uint8Array(digest), signer));
}

/** A document timestamp (PAdES B-LTA's building block): the TSA's token over the whole file so far. */
export async function documentTimestamp(pdf: Uint8Array, timestamper: Timestamper, options: { xref?: 'table' | 'stream' } = {}): Promise<Uint8Array> {
  const { bytes, byteRange } = await appendField(pdf, {
    name: 'StempelWaktu',
    signature: '/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161',
    ...(options.xref ? { xref: options.xref } : {}),
  });
  return fill(bytes, byteRange!, await timestamper.timestamp(new Uint8Array(signedBytes(bytes, byteRange!))));
}

/** An empty signature field, for a further signer to sign later. */
export async function emptySignatureField(pdf: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array((await appendField(pdf, { name: 'TandaTanganBerikutnya', signature: null })).bytes);
}
