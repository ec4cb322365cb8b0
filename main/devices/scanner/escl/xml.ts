// The XML that eSCL scanners speak, read and written without a library: a small, strict reader of
// elements, attributes, text, CDATA and namespaces (what ScannerCapabilities and ScannerStatus
// use), which refuses what a scanner has no reason to send (a DOCTYPE, entities it did not define
// in XML itself) instead of guessing, and the escaping for the ScanSettings the desk sends.
// Elements keep their namespace, but readers look them up by local name: devices put the same
// element under `scan:` or `pwg:` from one firmware to the next, and the tree says what it is.

export interface XmlElement {
  /** The namespace URI, '' when none is in scope. */
  ns: string;
  /** The local name, without its prefix. */
  name: string;
  /** Attribute values by local name (xmlns declarations left out). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The character data directly inside this element (CDATA included), entities decoded. */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string, at: number) {
    super(`${message} (at character ${at})`);
    this.name = 'XmlError';
  }
}

/** A scanner's reply larger than this is not XML the desk asked for. */
const maxLength = 2 * 1024 * 1024;
const maxDepth = 64;

const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const nameStart = /[A-Za-z_:\u00C0-\uFFFF]/;
const nameChar = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;

function decodeEntities(raw: string, at: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new XmlError(`unterminated entity "${whole}"`, at);
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || !/^#(x[0-9a-f]+|[0-9]+)$/i.test(body)) throw new XmlError(`bad character reference "${whole}"`, at);
      return String.fromCodePoint(code);
    }
    const value = predefined[body];
    if (value === undefined) throw new XmlError(`unknown entity "${whole}"`, at);
    return value;
  });
}

/** Parses a whole document and answers its root element. */
export function parseXml(input: string): XmlElement {
  if (input.length > maxLength) throw new XmlError('document too large', 0);
  let pos = input.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string): never => {
    throw new XmlError(message, pos);
  };
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos]!)) pos++;
  };
  const expect = (literal: string) => {
    if (!input.startsWith(literal, pos)) fail(`expected "${literal}"`);
    pos += literal.length;
  };
  const readName = (): string => {
    const start = pos;
    if (!nameStart.test(input[pos] ?? '')) fail('expected a name');
    while (pos < input.length && nameChar.test(input[pos]!)) pos++;
    return input.slice(start, pos);
  };
  const skipUntil = (end: string, what: string) => {
    const found = input.indexOf(end, pos);
    if (found < 0) fail(`unterminated ${what}`);
    pos = found + end.length;
  };

  /** Comments, processing instructions and white space between elements. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (input.startsWith('<!--', pos)) skipUntil('-->', 'comment');
      else if (input.startsWith('<?', pos)) skipUntil('?>', 'processing instruction');
      // A DOCTYPE can define entities (and expand them a billion times); nothing a scanner sends needs one.
      else if (input.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE not accepted from a scanner');
      else return;
    }
  };

  function readElement(scopes: Map<string, string>, depth: number): XmlElement {
    if (depth > maxDepth) fail('elements nested too deeply');
    expect('<');
    const qname = readName();
    const rawAttributes: [string, string][] = [];
    for (;;) {
      const before = pos;
      skipSpace();
      if (input.startsWith('/>', pos) || input[pos] === '>') break;
      if (pos === before) fail('expected white space before an attribute');
      const attr = readName();
      skipSpace();
      expect('=');
      skipSpace();
      const quote = input[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = input.indexOf(quote!, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = input.slice(pos + 1, end);
      if (raw.includes('<')) fail('"<" in an attribute value');
      rawAttributes.push([attr, decodeEntities(raw, pos)]);
      pos = end + 1;
    }
    // Namespace declarations first: they apply to the element's own name and attributes.
    let local = scopes;
    for (const [attr, value] of rawAttributes) {
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
        if (local === scopes) local = new Map(scopes);
        local.set(attr === 'xmlns' ? '' : attr.slice(6), value);
      }
    }
    const attributes: Record<string, string> = {};
    for (const [attr, value] of rawAttributes) {
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
      const colon = attr.indexOf(':');
      attributes[colon < 0 ? attr : attr.slice(colon + 1)] = value;
    }
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const ns = local.get(prefix);
    if (ns === undefined && prefix !== '') fail(`undeclared namespace prefix "${prefix}"`);
    const element: XmlElement = { ns: ns ?? '', name: colon < 0 ? qname : qname.slice(colon + 1), attributes, children: [], text: '' };
    if (input.startsWith('/>', pos)) {
      pos += 2;
      return element;
    }
    expect('>');
    for (;;) {
      const lt = input.indexOf('<', pos);
      if (lt < 0) fail(`unterminated element <${qname}>`);
      element.text += decodeEntities(input.slice(pos, lt), pos);
      pos = lt;
      if (input.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== qname) fail(`</${closing}> closes <${qname}>`);
        skipSpace();
        expect('>');
        return element;
      }
      if (input.startsWith('<![CDATA[', pos)) {
        const end = input.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        element.text += input.slice(pos + 9, end);
        pos = end + 3;
      } else if (input.startsWith('<!--', pos)) skipUntil('-->', 'comment');
      else if (input.startsWith('<?', pos)) skipUntil('?>', 'processing instruction');
      else if (input.startsWith('<!', pos)) fail('markup declaration inside an element');
      else element.children.push(readElement(local, depth + 1));
    }
  }

  skipMisc();
  if (input[pos] !== '<') fail('no root element');
  const root = readElement(new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0);
  skipMisc();
  if (pos < input.length) fail('content after the root element');
  return root;
}

/** The first child with this local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every child with this local name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the first child with this local name. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined ? undefined : found.text.trim();
}

/** A non-negative whole number in the first child with this local name; undefined when absent or not a number. */
export function childInt(element: XmlElement | undefined, name: string): number | undefined {
  const text = childText(element, name);
  return text !== undefined && /^\+?\d+$/.test(text) ? Number(text) : undefined;
}

/** Text made safe inside an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${Object.entries(predefined).find(([, v]) => v === c)![0]};`);
}
