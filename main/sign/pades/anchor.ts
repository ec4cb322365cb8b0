// Finds where a letter asks to be signed: the anchor text a template leaves in the signature block
// (e.g. "${ttd_pengirim}"), so the stamp lands there whatever the length of the letter above it.
import { openPdf } from '../../documents/pdf.ts';

export interface AnchorPosition {
  /** 1-based page number. */
  page: number;
  /** Baseline start of the anchor text, in PDF points from the page's lower-left corner. */
  x: number;
  y: number;
  /** Height of the anchor's line (its font size, in points). */
  height: number;
}

/** The first occurrence of `anchor` in reading order, or null when the letter has none. */
export async function findAnchor(pdf: Uint8Array, anchor: string): Promise<AnchorPosition | null> {
  const opened = await openPdf(pdf);
  try {
    for (let page = 1; page <= opened.doc.numPages; page++) {
      const content = await (await opened.doc.getPage(page)).getTextContent();
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const at = item.str.indexOf(anchor);
        if (at < 0) continue;
        const [, , , , e = 0, f = 0] = item.transform as number[];
        // A text run carries one width; the anchor's offset inside it is estimated by its share of characters.
        return { page, x: e + (item.width * at) / Math.max(1, item.str.length), y: f, height: item.height };
      }
    }
    return null;
  } finally {
    await opened.close();
  }
}
