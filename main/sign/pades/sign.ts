// PAdES baseline B-B signing (ETSI EN 319 142-1): one incremental update adds a signature field
// with its widget (visible stamp or invisible), a /Sig dictionary with /SubFilter
// /ETSI.CAdES.detached, a /Contents placeholder and the /ByteRange around it; the SHA-256 of the
// byte ranges goes into a CMS signature whose value the Signer computes (on the token, or at a
// remote service — which may also build the whole CMS, then checked here before it is embedded).
// Earlier bytes — and so earlier signatures — are never touched.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { constants, deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFContext } from 'pdf-lib';
import { AppError } from '../../../common/errors.ts';
import { findAnchor, type AnchorPosition } from './anchor.ts';
import { describeCertificate, signingRefusal } from '../../../common/certificate.ts';
import { buildCadesSignature, oid, parseCadesSignature, withSignatureTimestamp, type ParsedSignature } from './cms.ts';
import { appendUpdate, loadForUpdate, type UpdateObject } from './pdf-update.ts';
import { buildsItsOwnCms, type Signer } from '../../../common/signer.ts';
import { stampContent, stampSize, type StampOptions } from './stamp.ts';
import type { Timestamper } from './timestamp.ts';
import { verifySignatureValue } from './validate.ts';

/**
 * Where the stamp goes: a page and the stamp's lower-left corner in PDF points from the page's
 * lower-left corner, or the anchor text a template leaves in the signature block (the stamp's top
 * left corner is put on it, and the opaque stamp covers it).
 */
export type StampPlacement = { page: number; x: number; y: number } | { anchor: string };

export interface VisibleStamp extends Omit<StampOptions, 'signedAt'> {
  at: StampPlacement;
}

export interface SignPdfOptions {
  signer: Signer;
  /** Written to the signature dictionary's /M; PAdES B-B has no signing-time attribute. */
  signingTime?: Date;
  reason?: string;
  location?: string;
  /** Without a stamp the signature is invisible (a zero-size widget). */
  stamp?: VisibleStamp;
  /** The clock the certificate's validity is judged by. */
  now?: Date;
  /**
   * The agency's TSA: with it the signature gets a signature timestamp (B-T). When the TSA cannot
   * be reached the letter is still signed (B-B) and `timestampError` says why, so the caller can
   * queue the upgrade — a signature made on the token is never thrown away for a missing timestamp.
   */
  timestamper?: Timestamper;
}

export interface SignedPdf {
  pdf: Uint8Array;
  byteRange: [number, number, number, number];
  fieldName: string;
  /** URL in the stamp's QR code, when there is a stamp. */
  verificationUrl: string | null;
  certificateFingerprint: string;
  level: 'B-B' | 'B-T';
  timestampError: AppError | null;
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const byteRangePlaceholder = '[0 0000000000 0000000000 0000000000]';

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function countSignatureFields(context: PDFContext, fields: PDFArray | undefined): number {
  let count = 0;
  for (const item of fields?.asArray() ?? []) {
    const field = context.lookup(item);
    if (field instanceof PDFDict && field.get(PDFName.of('FT')) === PDFName.of('Sig')) count++;
  }
  return count;
}

/** Adds `ref` to the array found at `holder[key]`, and records which objects changed. */
function appendToArray(context: PDFContext, holder: PDFDict, holderRef: PDFRef | null, key: string, ref: PDFRef, changed: Map<number, UpdateObject>): void {
  const value = holder.get(PDFName.of(key));
  if (value instanceof PDFRef) {
    const array = context.lookup(value, PDFArray);
    array.push(ref);
    changed.set(value.objectNumber, { ref: value, object: array });
    return;
  }
  if (value instanceof PDFArray) value.push(ref);
  else holder.set(PDFName.of(key), context.obj([ref]));
  if (holderRef) changed.set(holderRef.objectNumber, { ref: holderRef, object: holder });
}

async function placeStamp(input: Uint8Array, at: StampPlacement): Promise<{ page: number; x: number; y: number }> {
  if (!('anchor' in at)) return at;
  const found = await findAnchor(input, at.anchor);
  if (found === null) {
    throw new AppError('VALIDATION', `Penanda posisi tanda tangan "${at.anchor}" tidak ditemukan di dokumen, sehingga letak cap tidak dapat ditentukan. Dokumen tidak diubah; periksa templat surat.`, { anchor: at.anchor });
  }
  return stampOverAnchor(found);
}

/** The stamp's place for an anchor found in the letter: its top left corner on the anchor, covering it. */
export function stampOverAnchor(found: AnchorPosition): { page: number; x: number; y: number } {
  return { page: found.page, x: found.x, y: Math.max(0, found.y + found.height - stampSize.height) };
}

/**
 * A PDF with the place for its signature made: the whole new file with /Contents still zeros, and
 * the SHA-256 of its byte ranges, which is what the token will sign. Nothing is signed yet.
 */
export interface PreparedSignature {
  bytes: Buffer;
  digest: Uint8Array;
  /** Offset of the "<" opening /Contents, and the bytes reserved for the CMS inside it. */
  contentsStart: number;
  reserve: number;
  byteRange: [number, number, number, number];
  fieldName: string;
  verificationUrl: string | null;
  certificateFingerprint: string;
}

export async function signPdf(input: Uint8Array, options: SignPdfOptions): Promise<SignedPdf> {
  return completeSignature(await prepareSignature(input, options), options);
}

/**
 * The first half of signPdf: the incremental update with the signature field, stamp and placeholder.
 * Only CPU and the certificate chain are needed, so a batch prepares the next letter meanwhile the
 * token signs the previous one.
 */
export async function prepareSignature(input: Uint8Array, options: Omit<SignPdfOptions, 'timestamper'>): Promise<PreparedSignature> {
  const { signer } = options;
  const [leafDer] = signer.certificateChain;
  if (leafDer === undefined) throw new Error('signer without certificate');
  const leaf = describeCertificate(leafDer);
  const refusal = signingRefusal(leaf, options.now, options.stamp?.timeZone ?? null);
  if (refusal) throw refusal;

  const signingTime = options.signingTime ?? new Date();
  const pdf = await loadForUpdate(input);
  const { doc } = pdf;
  const context = doc.context;
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new AppError('PDF_UNSUPPORTED', undefined, { reason: 'no catalog reference' });
  const catalog = doc.catalog;
  const place = options.stamp ? await placeStamp(input, options.stamp.at) : { page: 1, x: 0, y: 0 };
  const pages = doc.getPages();
  const page = pages[place.page - 1];
  if (page === undefined) {
    throw new AppError('VALIDATION', `Halaman ${place.page} tidak ada; dokumen ini hanya ${pages.length} halaman. Dokumen tidak diubah.`);
  }
  const changed = new Map<number, UpdateObject>();

  // AcroForm: referenced, direct in the catalog, or missing.
  let acroForm: PDFDict;
  let acroFormRef: PDFRef;
  const acroValue = catalog.get(PDFName.of('AcroForm'));
  if (acroValue instanceof PDFRef) {
    acroFormRef = acroValue;
    acroForm = context.lookup(acroValue, PDFDict);
  } else if (acroValue instanceof PDFDict) {
    acroForm = acroValue;
    acroFormRef = catalogRef;
  } else {
    acroForm = context.obj({ Fields: [] });
    acroFormRef = context.register(acroForm);
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    changed.set(catalogRef.objectNumber, { ref: catalogRef, object: catalog });
  }
  const existingFields = acroForm.get(PDFName.of('Fields'));
  const fieldName = `TandaTangan${countSignatureFields(context, existingFields instanceof PDFRef ? context.lookup(existingFields, PDFArray) : existingFields instanceof PDFArray ? existingFields : undefined) + 1}`;

  const sigRef = context.nextRef();
  const appearanceRef = context.nextRef();
  const fieldRef = context.nextRef();

  let rect = [0, 0, 0, 0];
  let verificationUrl: string | null = null;
  if (options.stamp) {
    const { content, url } = stampContent({ ...options.stamp, signedAt: signingTime });
    verificationUrl = url;
    const { x, y } = place;
    rect = [x, y, x + stampSize.width, y + stampSize.height];
    // Compressed with node's zlib: pdf-lib's flateStream (pako, in JS) costs several ms per stamp.
    // The fastest level: a stamp of a few kB comes out a few hundred bytes larger, in a third of the time.
    context.assign(appearanceRef, context.stream(deflateSync(content, { level: constants.Z_BEST_SPEED }), {
      Filter: 'FlateDecode', Type: 'XObject', Subtype: 'Form', BBox: [0, 0, stampSize.width, stampSize.height],
      Resources: {
        Font: {
          F1: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' },
          F2: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica-Bold', Encoding: 'WinAnsiEncoding' },
        },
      },
    }));
  } else {
    context.assign(appearanceRef, context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }));
  }
  // F 132 = Print + Locked: the stamp prints and cannot be moved or deleted in a viewer.
  context.assign(fieldRef, context.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of(fieldName), V: sigRef, F: 132,
    P: page.ref, Rect: rect, AP: { N: appearanceRef },
  }));
  appendToArray(context, page.node, page.ref, 'Annots', fieldRef, changed);
  appendToArray(context, acroForm, acroFormRef, 'Fields', fieldRef, changed);
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  changed.set(acroFormRef.objectNumber, { ref: acroFormRef, object: acroFormRef === catalogRef ? catalog : acroForm });

  // Room for the CMS: certificates, the signature, and a later signature timestamp (B-T).
  const reserve = signer.certificateChain.reduce((n, c) => n + c.length, 0) + 12_288;
  const sigDict = [
    '<<', '/Type /Sig', '/Filter /Adobe.PPKLite', '/SubFilter /ETSI.CAdES.detached',
    `/ByteRange ${byteRangePlaceholder}`,
    `/Contents <${'0'.repeat(reserve * 2)}>`,
    `/M (${pdfDate(signingTime)})`,
    `/Name ${PDFHexString.fromText(leaf.commonName).toString()}`,
    ...(options.reason ? [`/Reason ${PDFHexString.fromText(options.reason).toString()}`] : []),
    ...(options.location ? [`/Location ${PDFHexString.fromText(options.location).toString()}`] : []),
    '/Prop_Build << /App << /Name /Loket >> >>', '>>',
  ].join('\n');

  const written = appendUpdate(pdf, [
    { ref: sigRef, object: ascii(sigDict) },
    { ref: appearanceRef, object: context.lookup(appearanceRef)! },
    { ref: fieldRef, object: context.lookup(fieldRef)! },
    ...changed.values(),
  ]);
  const bytes = Buffer.from(written.bytes.buffer, written.bytes.byteOffset, written.bytes.length);
  const sigStart = written.offsets.get(sigRef.objectNumber)!;
  const rangeAt = bytes.indexOf(`/ByteRange ${byteRangePlaceholder}`, sigStart, 'latin1') + '/ByteRange '.length;
  const contentsStart = bytes.indexOf('/Contents <', sigStart, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsStart + reserve * 2 + 2;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  const rangeText = `[${byteRange.join(' ')}`;
  bytes.write(rangeText.padEnd(byteRangePlaceholder.length - 1, ' ') + ']', rangeAt, 'latin1');

  const digest = createHash('sha256').update(bytes.subarray(0, contentsStart)).update(bytes.subarray(contentsEnd)).digest();
  return { bytes, digest: new Uint8Array(digest), contentsStart, reserve, byteRange, fieldName, verificationUrl, certificateFingerprint: leaf.fingerprintSha256 };
}

/** The second half of signPdf: the CMS made by the signer (and timestamped) written into /Contents. */
export async function completeSignature(prepared: PreparedSignature, options: Pick<SignPdfOptions, 'signer' | 'timestamper'>): Promise<SignedPdf> {
  const { signer } = options;
  if (!buildsItsOwnCms(signer)) return embedSignature(prepared, await buildCadesSignature(prepared.digest, signer), options);
  const [cms] = await signer.batch.sign([prepared.digest]);
  return embedSignature(prepared, checkReceivedSignature(cms, prepared), options);
}

const refused = (reason: string) => new AppError('REMOTE_SIGNATURE_INVALID', undefined, { reason });

/**
 * A CMS that did not come from this process's own key (a remote signing service built it, or signed
 * its signed attributes) is embedded only when it is exactly the signature this letter needs: over
 * this letter's digest, by the certificate the letter was prepared for (also named in
 * signing-certificate-v2, as PAdES requires), and with a signature value that verifies.
 */
export function checkReceivedSignature(cms: Uint8Array | undefined, prepared: PreparedSignature): Uint8Array {
  if (cms === undefined) throw refused('no signature for this letter');
  let parsed: ParsedSignature;
  try {
    parsed = parseCadesSignature(cms);
  } catch {
    throw refused('not a CMS SignedData');
  }
  const digestMatches = parsed.messageDigest !== null && Buffer.from(parsed.messageDigest).equals(Buffer.from(prepared.digest));
  if (!digestMatches || parsed.digestAlgorithm !== oid.sha256 || parsed.contentType !== oid.data) throw refused('signed attributes are not for this letter');
  const signerDer = parsed.signerCertificate;
  const fingerprint = signerDer && createHash('sha256').update(signerDer).digest('hex');
  if (fingerprint !== prepared.certificateFingerprint) throw refused('signed by another certificate');
  if (parsed.signingCertificateHash === null || Buffer.from(parsed.signingCertificateHash).toString('hex') !== fingerprint) throw refused('no signing-certificate-v2 for the signer');
  if (!verifySignatureValue(parsed, new X509Certificate(signerDer!), 'sha256')) throw refused('signature value does not verify');
  return cms;
}

/**
 * A signature value a remote key made over signed attributes the desk built itself: embedded only
 * when it verifies with the certificate's public key (the attributes already name this letter's
 * digest and this certificate, so nothing else needs checking).
 */
export function checkSignatureValue(signedAttributes: Uint8Array, value: Uint8Array | undefined, certificateDer: Uint8Array): Uint8Array {
  if (value === undefined) throw refused('no signature for this letter');
  let verifies: boolean;
  try {
    verifies = verify('sha256', signedAttributes, { key: new X509Certificate(certificateDer).publicKey, dsaEncoding: 'der' }, value);
  } catch {
    // Bytes that are not a signature of this key's kind at all.
    verifies = false;
  }
  if (!verifies) throw refused('signature value does not verify');
  return value;
}

/** A CMS made for `prepared` written into its /Contents, with a signature timestamp when a TSA is configured. */
export async function embedSignature(prepared: PreparedSignature, signature: Uint8Array, options: Pick<SignPdfOptions, 'timestamper'>): Promise<SignedPdf> {
  const { bytes, contentsStart, reserve } = prepared;
  let cms = signature;
  let timestampError: AppError | null = null;
  if (options.timestamper) {
    try {
      cms = withSignatureTimestamp(cms, await options.timestamper.timestamp(parseCadesSignature(cms).signature));
    } catch (err) {
      timestampError = err instanceof AppError ? err : new AppError('TSA_UNAVAILABLE', undefined, undefined, { cause: err });
    }
  }
  if (cms.length > reserve) throw new Error(`CMS of ${cms.length} bytes exceeds the ${reserve} reserved`);
  bytes.write(Buffer.from(cms).toString('hex').toUpperCase(), contentsStart + 1, 'latin1');

  return {
    pdf: new Uint8Array(bytes), byteRange: prepared.byteRange, fieldName: prepared.fieldName, verificationUrl: prepared.verificationUrl,
    certificateFingerprint: prepared.certificateFingerprint, level: options.timestamper && timestampError === null ? 'B-T' : 'B-B', timestampError,
  };
}
