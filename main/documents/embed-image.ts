// Images into a PDF through pdf-lib. Its JPEG reader looks at the whole ArrayBuffer under the bytes
// it is given, not at the view: bytes that share a larger buffer (Node's pool holds every Buffer
// under 4 KB, a base64 logo decoded, a small file read) read as no JPEG at all. The bytes are handed
// over in a buffer of their own (a copy: a Buffer's slice() would share the pool again).
import type { PDFDocument, PDFImage } from 'pdf-lib';

const ownBuffer = (bytes: Uint8Array): Uint8Array =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);

export function embedImage(pdf: PDFDocument, bytes: Uint8Array, kind: 'jpeg' | 'png'): Promise<PDFImage> {
  return kind === 'jpeg' ? pdf.embedJpg(ownBuffer(bytes)) : pdf.embedPng(ownBuffer(bytes));
}
