// The image pipeline's public shapes: what the scan session hands in (a raw page as the scanner
// delivered it) and what it gets back (the page encoded compactly, a thumbnail, and what the
// pipeline found: blank or not, skew, colour). Plain data only: it crosses a worker-thread boundary.

/** Clockwise quarter turns, in degrees. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/** A page as the scanner delivered it: rows packed without padding, 8-bit gray/RGB or 1-bit lineart (1 = black). */
export interface RawPage {
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  /** The scan resolution; the PDF page gets the paper's size from it (A4 stays A4). */
  dpi: number;
  data: Uint8Array;
}

/** A page the device worker kept on disk (main/devices/scanner/spool.ts): the pipeline's thread reads its pixels itself. */
export interface ScannedPageFile {
  file: string;
}

/**
 * The page image as it goes into the PDF, always in scan orientation (after deskew); the page's
 * `rotation` is applied when it is placed, so turning a page never re-encodes it.
 * - bilevel: 1 bit per pixel, rows padded to whole bytes, 1 = white (PDF DeviceGray), Flate-compressed;
 * - jpeg: a page with colour content, at reduced resolution.
 */
export type EncodedPageImage =
  | { format: 'bilevel'; width: number; height: number; dpi: number; data: Uint8Array }
  | { format: 'jpeg'; width: number; height: number; dpi: number; data: Uint8Array };

export interface Thumbnail {
  mediaType: 'image/jpeg';
  /** About 160 px wide, already turned by the page's rotation. */
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ProcessedPage {
  image: EncodedPageImage;
  thumbnail: Thumbnail;
  /** The paper's size in PDF points (1/72 inch), in scan orientation. */
  pageSize: { width: number; height: number };
  /**
   * True when the page carries no content (blank sheet, scanner noise, dust, edge shadow). The
   * pipeline only flags it: the caller decides whether to leave it out, and can always restore it.
   */
  blank: boolean;
  /** Share of the page covered by real marks (marks larger than dust, away from the border), 0–1; blank below blank.ts's `blankThreshold`. */
  blankScore: number;
  /** The skew found on the scanned page, in degrees (positive: content turned clockwise); 0 on a blank page (not measured). */
  skewDegrees: number;
  /** True when the skew was corrected (deskew on and the skew worth correcting). */
  deskewed: boolean;
  /** Turn applied when the page is shown and placed in the PDF. */
  rotation: QuarterTurn;
  /** True when the page has colour content (stamp, signature ink, letterhead) and is kept in colour. */
  colour: boolean;
}

export interface ProcessOptions {
  /** Straighten a skewed page (default true). */
  deskew?: boolean;
  /** Turn the page clockwise by this much (default 0). */
  rotate?: QuarterTurn;
}

export interface PdfOptions {
  /** Document title (PDF metadata), e.g. the letter's subject. */
  title?: string;
}

export interface PagePipeline {
  /**
   * Processes one page off the main thread. A scanned page is given by its file, which the
   * pipeline's thread reads. When a RawPage's `data` spans its whole ArrayBuffer, that buffer is
   * transferred (it is empty for the caller afterwards); otherwise the pixels are copied.
   */
  process(page: RawPage | ScannedPageFile, options?: ProcessOptions): Promise<ProcessedPage>;
  /** The same page turned further by `by` (clockwise); the encoded image is untouched, only the thumbnail is redrawn. */
  rotate(page: ProcessedPage, by: QuarterTurn): Promise<ProcessedPage>;
  /** One PDF with the pages in the order given, each page the paper's size. */
  buildPdf(pages: ProcessedPage[], options?: PdfOptions): Promise<Uint8Array>;
  /** The page as a JPEG file (for the regulation asking for JPG per page), turned by its rotation. */
  exportJpeg(page: ProcessedPage): Promise<Uint8Array>;
  /** Ends the worker thread; pending calls fail with SCAN_PIPELINE_FAILED. */
  close(): Promise<void>;
}
