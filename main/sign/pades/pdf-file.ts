// A PDF file as its revisions (ISO 32000-1 §7.5): each "startxref … %%EOF" ends a revision, whose
// objects are found through its chain of cross-reference sections — classic tables, cross-reference
// streams, and hybrid files that have both — with objects kept compressed in object streams. The
// validator asks for the state of the document as of a revision (the one a signature covers, the
// last one) and reads objects from it. Sections and objects are parsed once and shared between
// revisions; all work is charged to the file's Budget.
import {
  charged, decodeStream, Lexer, PdfDict, PdfName, PdfRef, PdfStream, PdfSyntaxError, readIndirectObject, type Budget, type PdfObject, type PdfValue,
} from './pdf-syntax.ts';

export type XrefEntry =
  | { type: 0 }
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number };

interface XrefSection {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  prev: number | null;
  /** A hybrid file's /XRefStm: a cross-reference stream read after this table's own entries. */
  hybrid: number | null;
}

/** Where a revision ends: "startxref <xrefAt> %%EOF". */
export interface RevisionEnd {
  xrefAt: number;
  startxrefAt: number;
  /** Just after "%%EOF". */
  eofEnd: number;
  /** After the end-of-line marker that may follow "%%EOF". */
  end: number;
}

interface ObjectStream {
  data: Uint8Array;
  first: number;
  /** [object number, offset from /First] per index. */
  index: [number, number][];
}

const maxSections = 4096;
const maxRefHops = 32;

const ascii = (s: string) => Buffer.from(s, 'latin1');

export class PdfFile {
  private readonly sections = new Map<number, XrefSection>();
  private readonly objects = new Map<string, PdfObject>();
  private readonly objectStreams = new Map<string, ObjectStream>();
  private readonly states = new Map<number, RevisionState>();
  /** Every "startxref n %%EOF" in the file, in file order. */
  readonly ends: RevisionEnd[];
  readonly bytes: Uint8Array;
  readonly budget: Budget;

  constructor(bytes: Uint8Array, budget: Budget) {
    this.bytes = bytes;
    this.budget = budget;
    this.ends = findRevisionEnds(bytes);
  }

  /** The document as the revision ending at `end` presents it. Throws PdfSyntaxError when its cross-reference chain does not read. */
  state(end: RevisionEnd): RevisionState {
    let state = this.states.get(end.xrefAt);
    if (state === undefined) {
      state = this.buildState(end);
      this.states.set(end.xrefAt, state);
    }
    return state;
  }

  private buildState(end: RevisionEnd): RevisionState {
    const entries = new Map<number, XrefEntry>();
    const trailer = new Map<string, PdfValue>();
    const visited = new Set<number>();
    const merge = (section: XrefSection) => {
      this.budget.lex(section.entries.size * 8);
      for (const [num, entry] of section.entries) if (!entries.has(num)) entries.set(num, entry);
      for (const key of ['Root', 'Info', 'Encrypt', 'ID']) {
        const value = section.trailer.get(key);
        if (value !== undefined && !trailer.has(key)) trailer.set(key, value);
      }
    };
    let at: number | null = end.xrefAt;
    while (at !== null) {
      if (visited.has(at)) throw new PdfSyntaxError('cross-reference sections point back to each other', at);
      if (visited.size >= maxSections) throw new PdfSyntaxError('too many cross-reference sections', at);
      visited.add(at);
      const section = this.section(at);
      merge(section);
      if (section.hybrid !== null) merge(this.section(section.hybrid));
      at = section.prev;
    }
    return new RevisionState(this, end, entries, new PdfDict(trailer, false));
  }

  private section(at: number): XrefSection {
    let section = this.sections.get(at);
    if (section === undefined) {
      if (!(at > 0 && at < this.bytes.length)) throw new PdfSyntaxError('cross-reference offset outside the file', at);
      const lexer = new Lexer(this.bytes, at);
      section = lexer.peekWord() === 'xref' ? charged(this.budget, lexer, at, () => this.table(lexer)) : this.xrefStream(at);
      this.sections.set(at, section);
    }
    return section;
  }

  private table(lexer: Lexer): XrefSection {
    const start = lexer.pos;
    lexer.word();
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      if (lexer.peekWord() === 'trailer') break;
      const first = lexer.integer();
      const count = lexer.integer();
      if (first === null || count === null) throw new PdfSyntaxError('cross-reference table damaged', lexer.pos);
      if (count * 18 > this.bytes.length - lexer.pos) throw new PdfSyntaxError('cross-reference table longer than the file', lexer.pos);
      for (let i = 0; i < count; i++) {
        const offset = lexer.integer();
        const gen = lexer.integer();
        const kind = lexer.word();
        if (offset === null || gen === null || (kind !== 'n' && kind !== 'f')) throw new PdfSyntaxError('cross-reference entry damaged', lexer.pos);
        const num = first + i;
        if (entries.has(num)) throw new PdfSyntaxError(`object ${num} listed twice in one cross-reference section`, lexer.pos);
        // "0000000000 00000 n" is how some writers leave a gap: a null object.
        entries.set(num, kind === 'n' && offset > 0 ? { type: 1, offset, gen } : { type: 0 });
      }
    }
    lexer.word();
    const trailer = lexer.value();
    this.budget.lex(lexer.pos - start);
    if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError('trailer is not a dictionary', lexer.pos);
    return { entries, trailer, prev: offsetValue(trailer.get('Prev')), hybrid: offsetValue(trailer.get('XRefStm')) };
  }

  private xrefStream(at: number): XrefSection {
    const head = new Lexer(this.bytes, at);
    const num = head.integer();
    const gen = head.integer();
    if (num === null || gen === null) throw new PdfSyntaxError('no cross-reference section at the offset startxref gives', at);
    // A cross-reference stream's /Length must be direct: there is no table yet to resolve it with.
    const { object } = readIndirectObject(this.bytes, at, { num, gen }, this.budget, () => null);
    if (!(object instanceof PdfStream) || !isName(object.dict.get('Type'), 'XRef')) throw new PdfSyntaxError('object at the cross-reference offset is not a cross-reference stream', at);
    const dict = object.dict;
    const widths = dict.get('W');
    if (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 8)) {
      throw new PdfSyntaxError('cross-reference stream /W damaged', at);
    }
    const [w0, w1, w2] = widths as [number, number, number];
    const size = dict.get('Size');
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new PdfSyntaxError('cross-reference stream /Size damaged', at);
    const index = dict.get('Index') ?? [0, size];
    if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      throw new PdfSyntaxError('cross-reference stream /Index damaged', at);
    }
    const data = decodeStream(this.bytes, object, this.budget);
    const rowLength = w0 + w1 + w2;
    if (rowLength === 0) throw new PdfSyntaxError('cross-reference stream /W damaged', at);
    const field = (row: number, from: number, width: number) => {
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + data[row + from + i]!;
      return v;
    };
    const entries = new Map<number, XrefEntry>();
    let row = 0;
    for (let i = 0; i < index.length; i += 2) {
      const first = index[i] as number;
      const count = index[i + 1] as number;
      if (row + count * rowLength > data.length) throw new PdfSyntaxError('cross-reference stream shorter than its /Index', at);
      for (let n = first; n < first + count; n++, row += rowLength) {
        const type = w0 === 0 ? 1 : field(row, 0, w0);
        const f2 = field(row, w0, w1);
        const f3 = field(row, w0 + w1, w2);
        if (entries.has(n)) throw new PdfSyntaxError(`object ${n} listed twice in one cross-reference section`, at);
        // Any other type is a reference to the null object (§7.5.8.3).
        entries.set(n, type === 1 && f2 > 0 ? { type: 1, offset: f2, gen: f3 } : type === 2 ? { type: 2, stream: f2, index: f3 } : { type: 0 });
      }
    }
    this.budget.lex(entries.size * 8);
    return { entries, trailer: dict, prev: offsetValue(dict.get('Prev')), hybrid: null };
  }

  /** The object `num` as `entry` defines it in `state`; parsed once whichever revision asks. */
  objectFor(num: number, entry: XrefEntry, state: RevisionState): PdfObject | undefined {
    if (entry.type === 0) return undefined;
    if (entry.type === 1) {
      const key = `o${entry.offset}:${num}:${entry.gen}`;
      if (this.objects.has(key)) return this.objects.get(key);
      const object = readIndirectObject(this.bytes, entry.offset, { num, gen: entry.gen }, this.budget, (ref) => {
        const length = ref.num === num ? undefined : state.entries.get(ref.num);
        if (length?.type !== 1) return null;
        const value = readIndirectObject(this.bytes, length.offset, { num: ref.num, gen: length.gen }, this.budget, () => null).object;
        return typeof value === 'number' ? value : null;
      }).object;
      this.objects.set(key, object);
      return object;
    }
    // Keyed by where the object stream itself lies: a later revision may redefine that stream.
    const container = state.entries.get(entry.stream);
    if (container?.type !== 1) throw new PdfSyntaxError(`object stream ${entry.stream} of object ${num} is missing`, 0);
    const key = `s${container.offset}:${entry.index}:${num}`;
    if (this.objects.has(key)) return this.objects.get(key);
    const stream = this.objectStream(entry.stream, container);
    const slot = stream.index[entry.index];
    if (slot === undefined || slot[0] !== num) throw new PdfSyntaxError(`object ${num} is not where its object stream says`, container.offset);
    const lexer = new Lexer(stream.data, stream.first + slot[1]);
    const object = charged(this.budget, lexer, stream.first + slot[1], () => lexer.value());
    this.budget.lex(lexer.pos - stream.first - slot[1]);
    this.objects.set(key, object);
    return object;
  }

  private objectStream(num: number, entry: { offset: number; gen: number }): ObjectStream {
    const key = `${entry.offset}:${num}`;
    let stream = this.objectStreams.get(key);
    if (stream !== undefined) return stream;
    const { object } = readIndirectObject(this.bytes, entry.offset, { num, gen: entry.gen }, this.budget, () => null);
    if (!(object instanceof PdfStream) || !isName(object.dict.get('Type'), 'ObjStm')) throw new PdfSyntaxError(`object ${num} is not an object stream`, entry.offset);
    const n = object.dict.get('N');
    const first = object.dict.get('First');
    const data = decodeStream(this.bytes, object, this.budget);
    if (typeof n !== 'number' || typeof first !== 'number' || !Number.isInteger(n) || n < 0 || n * 4 > data.length || !(first >= 0 && first <= data.length)) {
      throw new PdfSyntaxError(`object stream ${num} header damaged`, entry.offset);
    }
    const lexer = new Lexer(data, 0);
    const index: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const objectNumber = lexer.integer();
      const offset = lexer.integer();
      if (objectNumber === null || offset === null || lexer.pos > first) throw new PdfSyntaxError(`object stream ${num} header damaged`, entry.offset);
      index.push([objectNumber, offset]);
    }
    this.budget.lex(lexer.pos);
    stream = { data, first, index };
    this.objectStreams.set(key, stream);
    return stream;
  }
}

/** The document as of one revision: the merged cross-reference entries and trailer. */
export class RevisionState {
  readonly file: PdfFile;
  readonly end: RevisionEnd;
  readonly entries: Map<number, XrefEntry>;
  readonly trailer: PdfDict;

  constructor(file: PdfFile, end: RevisionEnd, entries: Map<number, XrefEntry>, trailer: PdfDict) {
    this.file = file;
    this.end = end;
    this.entries = entries;
    this.trailer = trailer;
  }

  /** Object `num`, or undefined when the revision does not define it (or frees it). Throws PdfSyntaxError when it does not read. */
  get(num: number): PdfObject | undefined {
    const entry = this.entries.get(num);
    return entry === undefined ? undefined : this.file.objectFor(num, entry, this);
  }

  /** Follows references to the value itself. */
  resolve(value: PdfValue | undefined): PdfObject | undefined {
    let v: PdfObject | undefined = value;
    for (let hops = 0; v instanceof PdfRef; hops++) {
      if (hops >= maxRefHops) throw new PdfSyntaxError('references form a loop', 0);
      v = this.get(v.num);
    }
    return v;
  }

  /** The dictionary a value is or refers to (a stream's dictionary too), else undefined. */
  dict(value: PdfValue | undefined): PdfDict | undefined {
    const v = this.resolve(value);
    return v instanceof PdfDict ? v : v instanceof PdfStream ? v.dict : undefined;
  }

  array(value: PdfValue | undefined): PdfValue[] | undefined {
    const v = this.resolve(value);
    return Array.isArray(v) ? v : undefined;
  }

  catalog(): PdfDict | undefined {
    return this.dict(this.trailer.get('Root'));
  }
}

export const isName = (value: PdfObject | undefined, name: string) => value instanceof PdfName && value.name === name;

const offsetValue = (value: PdfValue | undefined): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null);

/** Finds "startxref n %%EOF" markers with a plain byte search: linear in the file's size whatever it holds. */
function findRevisionEnds(bytes: Uint8Array): RevisionEnd[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const keyword = ascii('startxref');
  const eof = ascii('%%EOF');
  const ends: RevisionEnd[] = [];
  for (let at = buffer.indexOf(keyword); at >= 0; at = buffer.indexOf(keyword, at + keyword.length)) {
    let p = at + keyword.length;
    while (p < buffer.length && isWhite(buffer[p]!)) p++;
    let xrefAt = 0;
    const digits = p;
    while (p < buffer.length && buffer[p]! >= 0x30 && buffer[p]! <= 0x39 && p - digits < 16) xrefAt = xrefAt * 10 + (buffer[p++]! - 0x30);
    if (p === digits) continue;
    while (p < buffer.length && isWhite(buffer[p]!)) p++;
    if (!buffer.subarray(p, p + eof.length).equals(eof)) continue;
    const eofEnd = p + eof.length;
    const eol = buffer[eofEnd] === 0x0d && buffer[eofEnd + 1] === 0x0a ? 2 : buffer[eofEnd] === 0x0a || buffer[eofEnd] === 0x0d ? 1 : 0;
    // "startxref 0" is the placeholder a linearized file's first-page section carries: not a revision.
    if (xrefAt > 0 && xrefAt < at) ends.push({ xrefAt, startxrefAt: at, eofEnd, end: eofEnd + eol });
  }
  return ends;
}

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
