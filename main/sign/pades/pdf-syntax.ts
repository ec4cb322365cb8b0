// The PDF object syntax (ISO 32000-1 §7.2–7.3) read straight from a file's bytes, for the validator,
// which must judge files it did not write and files made to fool it. Every read is bounded: nesting
// depth is capped, and all reading of one file draws on one work budget proportional to its size,
// so a crafted file ends in a PdfSyntaxError or PdfLimitError, never in a hang or a stack overflow.
// Nothing here repairs a file; what does not read as written is reported as damaged.
import { constants, inflateSync } from 'node:zlib';

export class PdfName {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }
}

/** A string's bytes, and where its token lies in the buffer it was read from ("(" / "<" to after ")" / ">"). */
export class PdfString {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
  }

  /** The text of a text string (§7.9.2.2): UTF-16BE with its byte order mark, else PDFDocEncoding read as Latin-1. */
  text(): string {
    const b = this.bytes;
    if (b[0] === 0xfe && b[1] === 0xff) {
      const swapped = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
      return swapped.swap16().toString('utf16le');
    }
    return Buffer.from(b).toString('latin1');
  }
}

export class PdfRef {
  readonly num: number;
  readonly gen: number;

  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfValue>;
  /** A key appeared twice: readers disagree on which one counts, so such a dictionary never equals another. */
  readonly ambiguous: boolean;

  constructor(map: Map<string, PdfValue>, ambiguous: boolean) {
    this.map = map;
    this.ambiguous = ambiguous;
  }

  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

/** A stream: its dictionary and where its data lies in the buffer; `complete` when "endstream" follows the data exactly. */
export class PdfStream {
  readonly dict: PdfDict;
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly complete: boolean;

  constructor(dict: PdfDict, dataStart: number, dataEnd: number, complete: boolean) {
    this.dict = dict;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
    this.complete = complete;
  }
}

export type PdfObject = PdfValue | PdfStream;

/** The file does not read as PDF syntax at `at`. */
export class PdfSyntaxError extends Error {
  readonly at: number;

  constructor(message: string, at: number) {
    super(message);
    this.name = 'PdfSyntaxError';
    this.at = at;
  }
}

/** Reading the file would take more work than any honest file of its size needs. */
export class PdfLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfLimitError';
  }
}

/** The work allowed for one file: bytes lexed and bytes decompressed, both proportional to its size. */
export class Budget {
  private lexed: number;
  private inflated: number;

  constructor(fileSize: number) {
    this.lexed = 24 * fileSize + 4_000_000;
    this.inflated = 16 * fileSize + 32_000_000;
  }

  lex(bytes: number): void {
    this.lexed -= bytes;
    if (this.lexed < 0) throw new PdfLimitError('lexing budget exhausted');
  }

  inflate(bytes: number): void {
    this.inflated -= bytes;
    if (this.inflated < 0) throw new PdfLimitError('decompression budget exhausted');
  }

  /** What may still be inflated, for zlib's maxOutputLength. */
  inflateRoom(): number {
    return Math.max(0, this.inflated);
  }
}

const maxDepth = 64;

// 1: white space (§7.2.2 Table 1), 2: delimiter (Table 2), 0: regular.
const charClass = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) charClass[c] = 1;
for (const c of '()<>[]{}/%') charClass[c.charCodeAt(0)] = 2;

const escapes: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const hexValue = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** A literal string's bytes with its escapes (§7.3.4.2) resolved. */
function unescape(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let p = 0; p < raw.length;) {
    const c = raw[p++]!;
    if (c !== 0x5c) {
      out[n++] = c;
      continue;
    }
    const e = raw[p++];
    if (e === undefined) break;
    const simple = escapes[e];
    if (simple !== undefined) out[n++] = simple;
    else if (e >= 0x30 && e <= 0x37) {
      let v = e - 0x30;
      for (let i = 0; i < 2 && raw[p]! >= 0x30 && raw[p]! <= 0x37; i++) v = v * 8 + (raw[p++]! - 0x30);
      out[n++] = v & 0xff;
    } else if (e === 0x0d) {
      if (raw[p] === 0x0a) p++;
    } else if (e !== 0x0a) out[n++] = e;
  }
  return out.slice(0, n);
}

/** Reads objects from `bytes`, starting at `pos`. */
export class Lexer {
  readonly bytes: Uint8Array;
  pos: number;

  constructor(bytes: Uint8Array, pos: number) {
    this.bytes = bytes;
    this.pos = pos;
  }

  skipSpace(): void {
    const b = this.bytes;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (charClass[c] === 1) p++;
      else if (c === 0x25) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
      } else break;
    }
    this.pos = p;
  }

  /** The run of regular characters at the position (a keyword or a number), without moving on. */
  peekWord(): string {
    this.skipSpace();
    let end = this.pos;
    while (end < this.bytes.length && charClass[this.bytes[end]!] === 0 && end - this.pos < 64) end++;
    return Buffer.from(this.bytes.subarray(this.pos, end)).toString('latin1');
  }

  word(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  /** A non-negative integer, or null (the position is then unchanged). */
  integer(): number | null {
    this.skipSpace();
    const start = this.pos;
    let p = start;
    let n = 0;
    while (isDigit(this.bytes[p]) && p - start < 16) n = n * 10 + (this.bytes[p++]! - 0x30);
    if (p === start || (p < this.bytes.length && charClass[this.bytes[p]!] === 0)) return null;
    this.pos = p;
    return n;
  }

  expectWord(word: string): void {
    const at = this.pos;
    if (this.word() !== word) throw new PdfSyntaxError(`expected ${word}`, at);
  }

  value(depth = 0): PdfValue {
    if (depth > maxDepth) throw new PdfSyntaxError('nesting too deep', this.pos);
    this.skipSpace();
    const b = this.bytes;
    const at = this.pos;
    const c = b[at];
    if (c === undefined) throw new PdfSyntaxError('unexpected end of data', at);
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (b[at + 1] === 0x3c) return this.dictionary(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.numberOrRef();
    const word = this.word();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfSyntaxError(`unexpected ${word === '' ? String.fromCharCode(c) : word}`, at);
  }

  private name(): PdfName {
    const b = this.bytes;
    let p = this.pos + 1;
    const out: number[] = [];
    while (p < b.length && charClass[b[p]!] === 0) {
      if (b[p] === 0x23 && p + 2 < b.length && hexValue(b[p + 1]!) >= 0 && hexValue(b[p + 2]!) >= 0) {
        out.push(hexValue(b[p + 1]!) * 16 + hexValue(b[p + 2]!));
        p += 3;
      } else out.push(b[p++]!);
      if (out.length > 256) throw new PdfSyntaxError('name too long', this.pos);
    }
    this.pos = p;
    return new PdfName(Buffer.from(out).toString('latin1'));
  }

  private literalString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
    // First find where the string ends (a tight loop, nothing allocated), then decode it.
    let p = start + 1;
    let nesting = 1;
    let escaped = false;
    while (p < b.length) {
      const c = b[p++]!;
      if (c === 0x5c) {
        escaped = true;
        p++;
      } else if (c === 0x28) nesting++;
      else if (c === 0x29 && --nesting === 0) break;
    }
    if (nesting !== 0 || p > b.length) {
      // Where reading stopped, so the caller charges the whole scan to the budget.
      this.pos = Math.min(p, b.length);
      throw new PdfSyntaxError('unterminated string', start);
    }
    this.pos = p;
    const raw = b.subarray(start + 1, p - 1);
    return new PdfString(escaped ? unescape(raw) : Uint8Array.from(raw), start, p);
  }

  private hexString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
    let p = start + 1;
    const out: number[] = [];
    let high = -1;
    while (p < b.length && b[p] !== 0x3e) {
      const c = b[p++]!;
      if (charClass[c] === 1) continue;
      const v = hexValue(c);
      if (v < 0) {
        this.pos = p;
        throw new PdfSyntaxError('not a hex digit in a hex string', p - 1);
      }
      if (high < 0) high = v;
      else {
        out.push(high * 16 + v);
        high = -1;
      }
    }
    if (p >= b.length) {
      this.pos = p;
      throw new PdfSyntaxError('unterminated hex string', start);
    }
    if (high >= 0) out.push(high * 16);
    this.pos = p + 1;
    return new PdfString(Uint8Array.from(out), start, p + 1);
  }

  private dictionary(depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const map = new Map<string, PdfValue>();
    let ambiguous = false;
    for (;;) {
      this.skipSpace();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return new PdfDict(map, ambiguous);
      }
      if (b[this.pos] !== 0x2f) throw new PdfSyntaxError('dictionary key is not a name', this.pos);
      const key = this.name().name;
      const value = this.value(depth + 1);
      if (map.has(key)) ambiguous = true;
      // A null value is the same as the key being absent (§7.3.7).
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
  }

  private numberOrRef(): number | PdfRef {
    const b = this.bytes;
    const start = this.pos;
    let p = start;
    if (b[p] === 0x2b || b[p] === 0x2d) p++;
    while (p < b.length && (isDigit(b[p]) || b[p] === 0x2e) && p - start < 64) p++;
    const text = Buffer.from(b.subarray(start, p)).toString('latin1');
    const n = Number(text === '-' || text === '+' || text === '.' ? 'NaN' : text);
    if (!Number.isFinite(n) || (p < b.length && charClass[b[p]!] === 0)) throw new PdfSyntaxError(`bad number ${text}`, start);
    this.pos = p;
    if (!/^\d+$/.test(text)) return n;
    // "n g R": an indirect reference.
    const generation = this.integer();
    if (generation !== null) {
      this.skipSpace();
      if (b[this.pos] === 0x52 && (this.pos + 1 >= b.length || charClass[b[this.pos + 1]!] !== 0)) {
        this.pos++;
        return new PdfRef(n, generation);
      }
    }
    this.pos = p;
    return n;
  }
}

/**
 * The indirect object "num gen obj … endobj" at `at`. A stream's /Length may be an indirect
 * object; `lengthOf` resolves it (one level, never recursing into another stream).
 */
export function readIndirectObject(bytes: Uint8Array, at: number, expected: { num: number; gen: number }, budget: Budget, lengthOf: (ref: PdfRef) => number | null): { object: PdfObject; end: number } {
  const lexer = new Lexer(bytes, at);
  return charged(budget, lexer, at, () => readObjectAt(lexer, bytes, at, expected, budget, lengthOf));
}

/** Runs a read, charging what the lexer went through to the budget even when the read fails. */
export function charged<T>(budget: Budget, lexer: Lexer, from: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof PdfSyntaxError) budget.lex(Math.max(0, lexer.pos - from));
    throw err;
  }
}

function readObjectAt(lexer: Lexer, bytes: Uint8Array, at: number, expected: { num: number; gen: number }, budget: Budget, lengthOf: (ref: PdfRef) => number | null): { object: PdfObject; end: number } {
  const num = lexer.integer();
  const gen = lexer.integer();
  if (num !== expected.num || gen !== expected.gen) throw new PdfSyntaxError(`object ${expected.num} ${expected.gen} not found at its offset`, at);
  lexer.expectWord('obj');
  const value = lexer.value();
  lexer.skipSpace();
  budget.lex(lexer.pos - at);
  if (!(value instanceof PdfDict) || lexer.peekWord() !== 'stream') return { object: value, end: lexer.pos };
  lexer.pos += 'stream'.length;
  // The keyword is followed by CRLF or LF (§7.3.8.1); a lone CR is tolerated.
  if (bytes[lexer.pos] === 0x0d) lexer.pos++;
  if (bytes[lexer.pos] === 0x0a) lexer.pos++;
  const dataStart = lexer.pos;
  const declared = value.get('Length');
  const length = typeof declared === 'number' ? declared : declared instanceof PdfRef ? lengthOf(declared) : null;
  if (length === null || !Number.isInteger(length) || length < 0) throw new PdfSyntaxError('stream without a usable /Length', at);
  const dataEnd = Math.min(bytes.length, dataStart + length);
  const after = new Lexer(bytes, dataEnd);
  after.skipSpace();
  const complete = dataStart + length <= bytes.length && after.peekWord() === 'endstream';
  return { object: new PdfStream(value, dataStart, dataEnd, complete), end: complete ? after.pos + 'endstream'.length : dataEnd };
}

const filterName = (v: PdfValue | undefined): string | null | undefined => {
  if (v === undefined) return null;
  if (v instanceof PdfName) return v.name;
  if (Array.isArray(v) && v.length === 0) return null;
  if (Array.isArray(v) && v.length === 1 && v[0] instanceof PdfName) return v[0].name;
  return undefined;
};

/** The PNG row predictors (§7.4.4.4, Table 10) that cross-reference and object streams use. */
function unpredict(data: Uint8Array, parms: PdfDict | undefined): Uint8Array {
  const predictor = parms?.get('Predictor') ?? 1;
  if (predictor === 1) return data;
  if (typeof predictor !== 'number' || predictor < 10 || predictor > 15) throw new PdfSyntaxError(`predictor ${String(predictor)} not supported`, 0);
  const colors = Number(parms?.get('Colors') ?? 1);
  const bits = Number(parms?.get('BitsPerComponent') ?? 8);
  const columns = Number(parms?.get('Columns') ?? 1);
  const bpp = Math.max(1, Math.ceil((colors * bits) / 8));
  const rowLength = Math.ceil((colors * bits * columns) / 8);
  if (!(rowLength > 0 && rowLength < 1 << 20)) throw new PdfSyntaxError('bad predictor columns', 0);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)]!;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowLength + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLength + i - bpp]! : 0;
      let v: number;
      if (type === 0) v = raw;
      else if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new PdfSyntaxError(`PNG filter ${type} unknown`, 0);
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}

/**
 * A stream's decoded data, for the streams the validator reads: cross-reference and object streams
 * and the /DSS contents. Unfiltered or FlateDecode (with PNG predictors); anything else is refused.
 */
export function decodeStream(bytes: Uint8Array, stream: PdfStream, budget: Budget): Uint8Array {
  if (!stream.complete) throw new PdfSyntaxError('stream data does not end where its /Length says', stream.dataStart);
  const raw = bytes.subarray(stream.dataStart, stream.dataEnd);
  const filter = filterName(stream.dict.get('Filter'));
  if (filter === null) return raw;
  if (filter !== 'FlateDecode') throw new PdfSyntaxError(`filter ${filter ?? '(several)'} not supported here`, stream.dataStart);
  const parmsValue = stream.dict.get('DecodeParms');
  const parms = parmsValue instanceof PdfDict ? parmsValue : Array.isArray(parmsValue) && parmsValue[0] instanceof PdfDict ? parmsValue[0] : undefined;
  let inflated: Uint8Array;
  try {
    // Z_SYNC_FLUSH: a stream whose deflate data lacks its final block still gives what it holds, as readers do.
    inflated = new Uint8Array(inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.min(budget.inflateRoom() + 1, 256 * 1024 * 1024) }));
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PdfLimitError('stream inflates beyond the budget');
    throw new PdfSyntaxError('compressed stream is damaged', stream.dataStart);
  }
  budget.inflate(inflated.length);
  return unpredict(inflated, parms);
}
