// Reading PDFs with pdf.js (pure JavaScript, works the same on Windows): one place that knows how
// to open a document offline (fonts from node_modules, never a URL) and how pdf.js names its failures.
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { getDocument, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// pdf.js in Node reads these with fs; the trailing separator is required.
const standardFontDataUrl = join(pdfjsRoot, 'standard_fonts') + sep;
// JPEG 2000 and colour-profile decoders of pdf.js, for scanned PDFs that carry such images.
const wasmUrl = join(pdfjsRoot, 'wasm') + sep;

export type PdfOpenFailure = 'password' | 'invalid';

export class PdfOpenError extends Error {
  readonly reason: PdfOpenFailure;
  constructor(reason: PdfOpenFailure, options?: { cause?: unknown }) {
    super(reason === 'password' ? 'PDF needs a password to open' : 'PDF cannot be parsed', options);
    this.name = 'PdfOpenError';
    this.reason = reason;
  }
}

export interface OpenedPdf {
  readonly doc: PDFDocumentProxy;
  close(): Promise<void>;
}

/** Opens a PDF strictly (no silent repair of a damaged file). The bytes are copied: pdf.js may detach them. */
export async function openPdf(bytes: Uint8Array): Promise<OpenedPdf> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl,
    wasmUrl,
    useSystemFonts: false,
    stopAtErrors: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    return { doc, close: () => task.destroy() };
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const name = (err as { name?: unknown } | null)?.name;
    throw new PdfOpenError(name === 'PasswordException' ? 'password' : 'invalid', { cause: err });
  }
}
