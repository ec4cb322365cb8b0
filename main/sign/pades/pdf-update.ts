// Incremental updates (ISO 32000-1 §7.5.6): changed and new objects are APPENDED after the last
// %%EOF with their own cross-reference section pointing back (/Prev) to the previous one. Earlier
// bytes are never rewritten, which is what keeps earlier signatures valid. pdf-lib parses the
// document and serialises single objects; its own save() rewrites the whole file, so it is not used.
import { PDFArray, PDFDocument, type PDFObject, type PDFRef } from 'pdf-lib';
import { AppError } from '../../../common/errors.ts';

const latin1 = new TextDecoder('latin1');
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

export interface LoadedPdf {
  bytes: Uint8Array;
  doc: PDFDocument;
  /** Offset of the last cross-reference section, and whether it is a stream (PDF 1.5) or a table. */
  prevXref: number;
  prevXrefIsStream: boolean;
}

/** Loads a PDF for an update; refuses encrypted or unreadable files (the file is left as it was). */
export async function loadForUpdate(bytes: Uint8Array): Promise<LoadedPdf> {
  const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.length - 2048)));
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? [...tail.matchAll(/startxref\s+(\d+)/g)].at(-1);
  if (!m) throw new AppError('PDF_UNSUPPORTED', undefined, { reason: 'no startxref' });
  const prevXref = Number(m[1]);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    throw new AppError('PDF_UNSUPPORTED', undefined, { reason: 'unparseable' }, { cause: err });
  }
  if (doc.isEncrypted) throw new AppError('PDF_UNSUPPORTED', 'PDF ini terenkripsi atau dilindungi kata sandi, sehingga tidak dapat ditandatangani. Berkas asli tidak diubah; minta versi tanpa kata sandi dari pembuatnya.', { reason: 'encrypted' });
  const head = latin1.decode(bytes.subarray(prevXref, prevXref + 4));
  const prevXrefIsStream = head !== 'xref';
  // New objects must be numbered above everything the file already uses — including object streams
  // and xref streams, which pdf-lib unpacks and forgets. The last section's /Size says where that is.
  const section = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const dictAt = prevXrefIsStream ? prevXref : section.indexOf('trailer', prevXref, 'latin1');
  const dictEnd = section.indexOf(prevXrefIsStream ? 'stream' : 'startxref', dictAt, 'latin1');
  const size = /\/Size\s+(\d+)/.exec(latin1.decode(bytes.subarray(dictAt, dictEnd)))?.[1];
  if (dictAt < 0 || size === undefined) throw new AppError('PDF_UNSUPPORTED', undefined, { reason: 'no trailer /Size' });
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, Number(size) - 1);
  return { bytes, doc, prevXref, prevXrefIsStream };
}

/** An object of the update: a pdf-lib object, or bytes written verbatim between "obj" and "endobj". */
export interface UpdateObject {
  ref: PDFRef;
  object: PDFObject | Uint8Array;
}

export interface WrittenUpdate {
  bytes: Uint8Array;
  /** Where each object's "N G obj" line starts in the new file, by object number. */
  offsets: Map<number, number>;
}

function serialise(object: PDFObject | Uint8Array): Uint8Array {
  if (object instanceof Uint8Array) return object;
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** Groups sorted object numbers into xref subsections: [first, count] runs. */
function subsections(numbers: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === n) last[1] += 1;
    else runs.push([n, 1]);
  }
  return runs;
}

/** Appends `objects` to `pdf.bytes` as one incremental update and returns the whole new file. */
export function appendUpdate(pdf: LoadedPdf, objects: UpdateObject[]): WrittenUpdate {
  const { doc, bytes } = pdf;
  const trailer = doc.context.trailerInfo;
  const chunks: Uint8Array[] = [bytes];
  let offset = bytes.length;
  const push = (chunk: Uint8Array) => { chunks.push(chunk); offset += chunk.length; };
  // The previous revision may end without an end-of-line after %%EOF.
  if (bytes[bytes.length - 1] !== 0x0a && bytes[bytes.length - 1] !== 0x0d) push(ascii('\n'));

  const offsets = new Map<number, number>();
  const generations = new Map<number, number>();
  for (const { ref, object } of objects) {
    offsets.set(ref.objectNumber, offset);
    generations.set(ref.objectNumber, ref.generationNumber);
    push(ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    push(serialise(object));
    push(ascii('\nendobj\n'));
  }

  const trailerEntries: string[] = [];
  const ref = (name: string, value: PDFObject | undefined) => { if (value !== undefined) trailerEntries.push(`/${name} ${latin1.decode(serialise(value))}`); };
  ref('Root', trailer.Root);
  ref('Info', trailer.Info);
  ref('ID', trailer.ID instanceof PDFArray ? trailer.ID : undefined);
  trailerEntries.push(`/Prev ${pdf.prevXref}`);

  const xrefOffset = offset;
  if (pdf.prevXrefIsStream) {
    // A document whose last section is an xref stream is continued with an xref stream, as
    // Acrobat expects; the stream is uncompressed so it stays readable and needs no filter.
    const xrefRef = doc.context.nextRef();
    offsets.set(xrefRef.objectNumber, xrefOffset);
    generations.set(xrefRef.objectNumber, 0);
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    const rows = Buffer.alloc(numbers.length * 7);
    numbers.forEach((n, i) => {
      rows.writeUInt8(1, i * 7);
      rows.writeUInt32BE(offsets.get(n)!, i * 7 + 1);
      rows.writeUInt16BE(generations.get(n)!, i * 7 + 5);
    });
    const index = subsections(numbers).flat().join(' ');
    const size = doc.context.largestObjectNumber + 1;
    push(ascii(`${xrefRef.objectNumber} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Index [${index}] /Length ${rows.length} ${trailerEntries.join(' ')} >>\nstream\n`));
    push(new Uint8Array(rows));
    push(ascii('\nendstream\nendobj\n'));
  } else {
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    let table = 'xref\n';
    for (const [first, count] of subsections(numbers)) {
      table += `${first} ${count}\n`;
      for (let n = first; n < first + count; n++) {
        table += `${String(offsets.get(n)).padStart(10, '0')} ${String(generations.get(n)).padStart(5, '0')} n\r\n`;
      }
    }
    push(ascii(`${table}trailer\n<< /Size ${doc.context.largestObjectNumber + 1} ${trailerEntries.join(' ')} >>\n`));
  }
  push(ascii(`startxref\n${xrefOffset}\n%%EOF\n`));
  return { bytes: new Uint8Array(Buffer.concat(chunks)), offsets };
}
