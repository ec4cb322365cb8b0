// Where a letter's signature stamp goes, at its signature block: the template's anchor text
// (${ttd_pengirim}) when the letter has one; else the place the signing official chose for this
// letter by dragging the stamp in the preview; else the place chosen before for a letter of the same
// layout (the first page's letterhead: same template, same sender); else just below the last line of
// text on the last page, in the right half where an Indonesian signature block stands — shown in the
// preview before signing, to be dragged elsewhere if it is wrong. A letter with no text to go by
// (a scan) has no place until the official drags one: it is never stamped blindly in a corner.
import { createHash } from 'node:crypto';
import { AppError } from '../../common/errors.ts';
import type { StampPlaceView } from '../../common/ipc/sign.ts';
import { openPdf } from '../documents/pdf.ts';
import type { Store } from '../store/store.ts';
import { signatureAnchor } from './batch.ts';
import { findAnchor } from './pades/anchor.ts';
import { stampOverAnchor, type StampPlacement } from './pades/sign.ts';
import { stampSize } from './pades/stamp.ts';

/** The share of the first page's height, from the top, that holds the letterhead (kop surat). */
const letterheadShare = 0.15;
/** Room left between the last line of text and the stamp, in points. */
const gapBelowText = 14;
const margin = 20;

/** What a letter's PDF says about where its stamp may go; read once per document. */
interface Layout {
  pages: { width: number; height: number }[];
  anchor: { page: number; x: number; y: number } | null;
  /** The letterhead's fingerprint; null when the first page has no text at its top (a scan). */
  fingerprint: string | null;
  /** Below the last text on the last page, right half; null when that page has no text. */
  belowText: { page: number; x: number; y: number } | null;
}

async function readLayout(pdf: Uint8Array): Promise<Layout> {
  const anchor = await findAnchor(pdf, signatureAnchor);
  const opened = await openPdf(pdf);
  try {
    const pages: Layout['pages'] = [];
    for (let n = 1; n <= opened.doc.numPages; n++) {
      const [x0 = 0, y0 = 0, x1 = 595, y1 = 842] = (await opened.doc.getPage(n)).view;
      pages.push({ width: x1 - x0, height: y1 - y0 });
    }
    const runs = async (n: number) => (await (await opened.doc.getPage(n)).getTextContent()).items
      .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i && i.str.trim() !== '')
      .map((i) => ({ str: i.str, x: i.transform[4] ?? 0, y: i.transform[5] ?? 0, width: i.width }));
    const first = pages[0]!;
    const head = (await runs(1)).filter((r) => r.y >= first.height * (1 - letterheadShare));
    const fingerprint = head.length === 0 ? null : createHash('sha256')
      .update(`${Math.round(first.width)}x${Math.round(first.height)}\n`)
      .update(head.map((r) => `${Math.round(r.x / 4)},${Math.round(r.y / 4)} ${r.str.replace(/\d+/g, '#')}`).sort().join('\n'))
      .digest('hex').slice(0, 32);
    const lastPage = pages.length;
    const last = pages[lastPage - 1]!;
    const lines = await runs(lastPage);
    const lowest = lines.length === 0 ? null : Math.min(...lines.map((r) => r.y));
    const belowText = lowest === null ? null : {
      page: lastPage,
      x: Math.max(margin, Math.min(last.width / 2, last.width - stampSize.width - margin)),
      y: Math.max(margin, lowest - gapBelowText - stampSize.height),
    };
    return { pages, anchor: anchor && stampOverAnchor(anchor), fingerprint, belowText };
  } finally {
    await opened.close();
  }
}

export interface StampPlaces {
  /** Where the stamp of this letter goes now, and why (source 'none': the official must place it). */
  of(letter: { id: string; documentHash: string }): Promise<StampPlaceView>;
  /** The placement signing uses; throws STAMP_PLACE_NEEDED for a letter with no place yet. */
  placement(letter: { id: string; documentHash: string }, pdf: Uint8Array): Promise<StampPlacement>;
  /** The official dragged the stamp here: remembered for the letter and its layout. */
  choose(letter: { id: string; documentHash: string }, at: { page: number; x: number; y: number }, actor: string): Promise<StampPlaceView>;
}

export function stampPlaces(deps: { store: Store; read(documentHash: string): Promise<Uint8Array> }): StampPlaces {
  const { store } = deps;
  /** Per document: its bytes never change, so neither does what they say. */
  const layouts = new Map<string, Promise<Layout>>();

  function layoutOf(documentHash: string, pdf?: Uint8Array): Promise<Layout> {
    let layout = layouts.get(documentHash);
    if (layout === undefined) {
      layout = (pdf ? Promise.resolve(pdf) : deps.read(documentHash)).then(readLayout);
      layouts.set(documentHash, layout);
      layout.catch(() => layouts.delete(documentHash));
    }
    return layout;
  }

  function resolve(letterId: string, layout: Layout): StampPlaceView {
    const view = (source: StampPlaceView['source'], at: { page: number; x: number; y: number }): StampPlaceView => {
      const page = layout.pages[at.page - 1] ?? layout.pages.at(-1)!;
      return { source, page: at.page, x: at.x, y: at.y, width: stampSize.width, height: stampSize.height, pageWidth: page.width, pageHeight: page.height };
    };
    if (layout.anchor) return view('anchor', layout.anchor);
    const chosen = store.stampPlaces.get('letter', letterId);
    if (chosen && chosen.page >= 1 && chosen.page <= layout.pages.length) return view('letter', chosen);
    const remembered = layout.fingerprint === null ? undefined : store.stampPlaces.get('layout', layout.fingerprint);
    if (remembered && remembered.page < layout.pages.length) return view('layout', { ...remembered, page: layout.pages.length - remembered.page });
    if (layout.belowText) return view('belowText', layout.belowText);
    const last = layout.pages.at(-1)!;
    return view('none', { page: layout.pages.length, x: Math.max(0, (last.width - stampSize.width) / 2), y: Math.max(0, (last.height - stampSize.height) / 2) });
  }

  return {
    async of(letter) {
      return resolve(letter.id, await layoutOf(letter.documentHash));
    },
    async placement(letter, pdf) {
      // The number written before signing does not move the signature block: the layout read from the imported PDF holds.
      const place = resolve(letter.id, await layoutOf(letter.documentHash).catch(() => readLayout(pdf)));
      if (place.source === 'none') throw new AppError('STAMP_PLACE_NEEDED', undefined, { letterId: letter.id });
      return { page: place.page, x: place.x, y: place.y };
    },
    async choose(letter, at, actor) {
      const layout = await layoutOf(letter.documentHash);
      if (layout.anchor) throw new AppError('VALIDATION', 'Surat ini punya penanda tempat tanda tangan dari templatnya, jadi tanda tangan selalu diletakkan di sana.');
      const page = layout.pages[at.page - 1];
      if (page === undefined) throw new AppError('VALIDATION', `Surat ini tidak punya halaman ${at.page}.`);
      // Kept whole on the page, whatever the drop.
      const x = Math.min(Math.max(0, at.x), Math.max(0, page.width - stampSize.width));
      const y = Math.min(Math.max(0, at.y), Math.max(0, page.height - stampSize.height));
      store.stampPlaces.save({
        letterId: letter.id, page: at.page, x, y,
        layout: layout.fingerprint === null ? null : { id: layout.fingerprint, pageFromEnd: layout.pages.length - at.page },
      }, actor);
      return resolve(letter.id, layout);
    },
  };
}
