// Writes an outgoing letter's number — and its date, where the letter asks for it — on the letter
// itself as it is signed, so the signed PDF carries what the agenda says, at the places the letter
// reserves (main/documents/letter-places.ts). The reserved text is covered and the value written over
// it in one incremental update, before the signature is made over the whole: earlier bytes (and an
// earlier signature) stay as they were.
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFContext, type PDFObject, type PDFPageLeaf } from 'pdf-lib';
import { AppError } from '../../common/errors.ts';
import type { LetterChanges } from '../store/letters.ts';
import { findLetterPlaces, winAnsiText, type FontFamily } from '../documents/letter-places.ts';
import { appendUpdate, loadForUpdate, type UpdateObject } from './pades/pdf-update.ts';
import { letterDateText } from '../letters/drafting/indonesian.ts';


/** The page's font dictionary, made the page's own where needed; objects that change are recorded. */
function pageFonts(context: PDFContext, node: PDFPageLeaf, changed: Map<number, UpdateObject>): PDFDict {
  const raw = node.get(PDFName.of('Resources'));
  let resources: PDFDict;
  if (raw instanceof PDFRef) {
    resources = context.lookup(raw, PDFDict);
    changed.set(raw.objectNumber, { ref: raw, object: resources });
  } else if (raw instanceof PDFDict) {
    resources = raw;
  } else {
    // Inherited from the page tree: the page gets its own copy, so other pages stay as they were.
    resources = node.Resources()?.clone(context) ?? context.obj({});
    node.set(PDFName.of('Resources'), resources);
  }
  const fonts = resources.get(PDFName.of('Font'));
  if (fonts instanceof PDFRef) {
    const dict = context.lookup(fonts, PDFDict);
    changed.set(fonts.objectNumber, { ref: fonts, object: dict });
    return dict;
  }
  if (fonts instanceof PDFDict) return fonts;
  const dict = context.obj({});
  resources.set(PDFName.of('Font'), dict);
  return dict;
}

const fixed = (n: number) => n.toFixed(2);

/** The standard font (never embedded) a value is written in, alike the reserved text's. */
const standardFont: Record<FontFamily, string> = { serif: 'Times-Roman', 'sans-serif': 'Helvetica', monospace: 'Courier' };

/**
 * The letter with its number (and date, where it has a place for one) written in its reserved
 * places. Throws NUMBER_PLACE_MISSING, changing nothing, when the letter reserves no place for its number.
 */
export async function writeLetterNumber(input: Uint8Array, values: { number: string; date: string | null }): Promise<Uint8Array> {
  const places = await findLetterPlaces(input);
  if (places.number.length === 0) throw new AppError('NUMBER_PLACE_MISSING');
  const writes = [
    ...places.number.map((place) => ({ place, text: values.number })),
    ...(values.date === null ? [] : places.date.map((place) => ({ place, text: letterDateText(values.date!) }))),
  ];
  const pdf = await loadForUpdate(input);
  const { context } = pdf.doc;
  const pages = pdf.doc.getPages();
  const changed = new Map<number, UpdateObject>();
  const added: UpdateObject[] = [];
  for (const pageNumber of new Set(writes.map((w) => w.place.page))) {
    const page = pages[pageNumber - 1]!;
    const fonts = pageFonts(context, page.node, changed);
    const onPage = writes.filter((w) => w.place.page === pageNumber);
    const fontNames = new Map<FontFamily, string>();
    for (const family of new Set(onPage.map((w) => w.place.family))) {
      let name = 'LoketNomor';
      for (let i = 1; fonts.has(PDFName.of(name)); i++) name = `LoketNomor${i}`;
      fonts.set(PDFName.of(name), context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: standardFont[family], Encoding: 'WinAnsiEncoding' }));
      fontNames.set(family, name);
    }
    // The letter's own content runs inside q … Q, so whatever state it leaves cannot move what is written here.
    const ops = ['Q', 'q', '1 1 1 rg'];
    for (const { place } of onPage) ops.push(`${fixed(place.x - 0.5)} ${fixed(place.y - 0.3 * place.size)} ${fixed(place.xEnd - place.x + 1)} ${fixed(1.3 * place.size)} re f`);
    ops.push('0 0 0 rg', 'BT');
    for (const { place, text } of onPage) ops.push(`/${fontNames.get(place.family)!} ${fixed(place.size)} Tf 1 0 0 1 ${fixed(place.x)} ${fixed(place.y)} Tm ${winAnsiText(text)} Tj`);
    ops.push('ET', 'Q');
    const before = context.register(context.stream('q'));
    const after = context.register(context.stream(ops.join('\n')));
    added.push({ ref: before, object: context.lookup(before)! }, { ref: after, object: context.lookup(after)! });
    const contents = page.node.get(PDFName.of('Contents'));
    const resolved: PDFObject | undefined = contents instanceof PDFRef ? context.lookup(contents) : contents;
    const streams = resolved instanceof PDFArray ? resolved.asArray() : contents === undefined ? [] : [contents];
    page.node.set(PDFName.of('Contents'), context.obj([before, ...streams, after]));
    changed.set(page.ref.objectNumber, { ref: page.ref, object: page.node });
  }
  return appendUpdate(pdf, [...added, ...changed.values()]).bytes;
}

/** The letter as signing will sign it: with the number (and date) it takes now written on it; unchanged when it takes none. */
export async function numberTheLetter(pdf: Uint8Array, numbered: LetterChanges): Promise<Uint8Array> {
  if (!numbered.letterNumber) return pdf;
  return writeLetterNumber(pdf, { number: numbered.letterNumber, date: numbered.letterDate ?? null });
}
