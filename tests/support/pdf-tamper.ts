// Hand-made incremental updates, the way someone altering a signed letter would write them: raw
// bytes appended after the last %%EOF, with a classic cross-reference table, a cross-reference
// stream (Flate + PNG "Up" predictor, as Acrobat and qpdf write them), or a hybrid of both, and
// optionally objects packed into a new object stream. Written independently of Loket's own
// incremental writer (main/sign/pades/pdf-update.ts); pdf-lib only reads the file being altered.
import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject, type PDFRawStream } from 'pdf-lib';

export interface RawObject {
  num: number;
  gen?: number;
  /** What goes between "n g obj" and "endobj". */
  body: string | Buffer;
}

export interface RawUpdateOptions {
  xref?: 'table' | 'stream' | 'hybrid';
  /** Objects (not streams) packed into a new object stream instead of written plainly. */
  compress?: number[];
  /** Objects the update marks free. */
  free?: number[];
  /** Trailer entries to set or override (values in PDF syntax), e.g. { Root: '20 0 R' }. */
  trailer?: Record<string, string>;
  /** The previous section's offset; defaults to the file's last startxref. */
  prev?: number;
  /** Object numbers to assign extra offsets in the xref without writing them (re-pointing). */
  pointAt?: Record<number, number>;
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

export function lastStartxref(pdf: Uint8Array): number {
  const tail = latin1(pdf.subarray(Math.max(0, pdf.length - 1024)));
  const m = [...tail.matchAll(/startxref\s+(\d+)/g)].at(-1);
  if (!m) throw new Error('no startxref');
  return Number(m[1]);
}

/** A stream object's body with its /Length. */
export function streamBody(dict: string, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${bytes.length} >>\nstream\n`, 'latin1'), bytes, Buffer.from('\nendstream', 'latin1')]);
}

/** What an altering tool reads first: catalog, info, the next free object number, the pages. */
export async function inspect(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const ctx = doc.context;
  const root = ctx.trailerInfo.Root as PDFRef;
  const info = ctx.trailerInfo.Info instanceof PDFRef ? ctx.trailerInfo.Info : null;
  // pdf-lib forgets object and cross-reference streams once unpacked; the last trailer's /Size counts them.
  const tail = latin1(pdf.subarray(Math.max(0, lastStartxref(pdf) - 16)));
  const declared = Number(/\/Size\s+(\d+)/.exec(tail)?.[1] ?? 0);
  const size = Math.max(ctx.largestObjectNumber + 1, declared);
  const serialise = (object: PDFObject) => object.toString();
  return {
    doc, root, info, size,
    pageRefs: doc.getPages().map((p) => p.ref),
    pagesRef: doc.catalog.get(PDFName.of('Pages')) as PDFRef,
    /** The dictionary of object `ref`, as PDF syntax, with `edit` applied to a copy. */
    dictText(ref: PDFRef, edit?: (d: PDFDict) => void): string {
      const dict = ctx.lookup(ref, PDFDict).clone(ctx);
      edit?.(dict);
      return serialise(dict);
    },
    streamOf(ref: PDFRef): { dict: string; data: Buffer } {
      const stream = ctx.lookup(ref) as PDFRawStream;
      const dict = stream.dict.clone(ctx);
      dict.delete(PDFName.of('Length'));
      return { dict: serialise(dict).replace(/^<<|>>$/g, ''), data: Buffer.from(stream.contents) };
    },
    lookup: (ref: PDFRef) => ctx.lookup(ref),
    contentsOf(page: PDFRef): PDFRef {
      const contents = ctx.lookup(page, PDFDict).get(PDFName.of('Contents'));
      if (contents instanceof PDFRef) return contents;
      if (contents instanceof PDFArray) return contents.get(0) as PDFRef;
      throw new Error('page without contents');
    },
  };
}

/** PNG "Up" predictor rows, the usual encoding of cross-reference streams. */
function predictUp(rows: Buffer, width: number): Buffer {
  const out = Buffer.alloc((rows.length / width) * (width + 1));
  for (let r = 0; r < rows.length / width; r++) {
    out[r * (width + 1)] = 2;
    for (let i = 0; i < width; i++) out[r * (width + 1) + 1 + i] = (rows[r * width + i]! - (r > 0 ? rows[(r - 1) * width + i]! : 0)) & 0xff;
  }
  return out;
}

/** Appends one incremental update made of `objects` and returns the whole new file. */
export async function appendRawUpdate(pdf: Uint8Array, objects: RawObject[], options: RawUpdateOptions = {}): Promise<Uint8Array> {
  const { root, info, size } = await inspect(pdf);
  const style = options.xref ?? 'table';
  if (style === 'table' && (options.compress?.length ?? 0) > 0) throw new Error('a classic table cannot point into an object stream');
  const prev = options.prev ?? lastStartxref(pdf);
  const chunks: Buffer[] = [Buffer.from(pdf)];
  let offset = pdf.length;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    chunks.push(buf);
    offset += buf.length;
  };
  if (pdf[pdf.length - 1] !== 0x0a) push('\n');

  type Entry = { type: 0 } | { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };
  const entries = new Map<number, Entry>();
  let next = Math.max(size, ...objects.map((o) => o.num + 1));
  const compressed = objects.filter((o) => options.compress?.includes(o.num));
  for (const o of objects) {
    if (compressed.includes(o)) continue;
    entries.set(o.num, { type: 1, offset, gen: o.gen ?? 0 });
    push(`${o.num} ${o.gen ?? 0} obj\n`);
    push(o.body);
    push('\nendobj\n');
  }
  if (compressed.length > 0) {
    const stmNum = next++;
    let header = '';
    let body = '';
    compressed.forEach((o, index) => {
      header += `${o.num} ${body.length} `;
      body += `${o.body.toString()}\n`;
      entries.set(o.num, { type: 2, stream: stmNum, index });
    });
    const data = Buffer.from(header + body, 'latin1');
    entries.set(stmNum, { type: 1, offset, gen: 0 });
    push(`${stmNum} 0 obj\n`);
    push(streamBody(`/Type /ObjStm /N ${compressed.length} /First ${header.length} /Filter /FlateDecode`, deflateSync(data)));
    push('\nendobj\n');
  }
  for (const num of options.free ?? []) entries.set(num, { type: 0 });
  for (const [num, at] of Object.entries(options.pointAt ?? {})) entries.set(Number(num), { type: 1, offset: at, gen: 0 });

  const trailer: Record<string, string> = { Root: `${root.objectNumber} ${root.generationNumber} R`, ...(info ? { Info: `${info.objectNumber} 0 R` } : {}), Prev: String(prev), ...options.trailer };
  const runs = (nums: number[]) => {
    const sorted = [...nums].sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (const n of sorted) {
      const last = out.at(-1);
      if (last && last[0] + last[1] === n) last[1]++;
      else out.push([n, 1]);
    }
    return out;
  };
  const writeXrefStream = (own: Map<number, Entry>, xrefNum: number, extra: Record<string, string>) => {
    const at = offset;
    own.set(xrefNum, { type: 1, offset: at, gen: 0 });
    const index = runs([...own.keys()]);
    const rows = Buffer.alloc(own.size * 7);
    let r = 0;
    for (const [first, count] of index) {
      for (let n = first; n < first + count; n++, r++) {
        const e = own.get(n)!;
        rows.writeUInt8(e.type, r * 7);
        rows.writeUInt32BE(e.type === 1 ? e.offset : e.type === 2 ? e.stream : 0, r * 7 + 1);
        rows.writeUInt16BE(e.type === 1 ? e.gen : e.type === 2 ? e.index : 0, r * 7 + 5);
      }
    }
    const dict = Object.entries({ ...extra, Size: String(Math.max(next, xrefNum + 1)) }).map(([k, v]) => `/${k} ${v}`).join(' ');
    push(`${xrefNum} 0 obj\n`);
    push(streamBody(`/Type /XRef /W [1 4 2] /Index [${index.flat().join(' ')}] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> ${dict}`, deflateSync(predictUp(rows, 7))));
    push('\nendobj\n');
    return at;
  };

  let startxref: number;
  if (style === 'stream') {
    startxref = writeXrefStream(entries, next++, trailer);
  } else {
    const plain = new Map([...entries].filter(([, e]) => style === 'table' || e.type !== 2));
    const extra: Record<string, string> = {};
    if (style === 'hybrid') {
      const compressedOnly = new Map([...entries].filter(([, e]) => e.type === 2));
      extra.XRefStm = String(writeXrefStream(compressedOnly, next++, {}));
    }
    startxref = offset;
    let table = 'xref\n';
    for (const [first, count] of runs([...plain.keys()])) {
      table += `${first} ${count}\n`;
      for (let n = first; n < first + count; n++) {
        const e = plain.get(n)!;
        table += e.type === 1 ? `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n` : '0000000000 65535 f\r\n';
      }
    }
    const dict = Object.entries({ ...trailer, ...extra, Size: String(next) }).map(([k, v]) => `/${k} ${v}`).join(' ');
    push(`${table}trailer\n<< ${dict} >>\n`);
  }
  push(`startxref\n${startxref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}
