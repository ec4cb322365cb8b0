// eSCL documents as scanners write them, read on inputs the reader was not written against: a
// generator (fast-check) writes ScannerCapabilities the many ways real firmware does — any
// namespace prefixes or a default namespace, declarations anywhere, comments, white space, a BOM,
// entities and CDATA in text, vendor elements the reader has never heard of, several setting
// profiles, formats in either element and any case, discrete resolutions (some not square) or
// ranges — and the desk's capabilities must follow from what the generator meant, not from how it
// wrote it. Broken or hostile XML (a DOCTYPE with entities, a mismatched tag, an undeclared prefix)
// is refused with an error, never half-read. Plus what a scanner's status and an address typed by
// a person mean.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseScannerUrl, originOf } from '../../main/devices/scanner/escl/address.ts';
import { statusFault } from '../../main/devices/scanner/escl/faults.ts';
import { deskCapabilities, EsclDocumentError, parseCapabilities, parseStatus, pwgNs, scanNs, scanSettingsXml } from '../../main/devices/scanner/escl/protocol.ts';
import { parseXml, XmlError } from '../../main/devices/scanner/escl/xml.ts';
import { deskResolutions, fittingPaperSizes } from '../../main/devices/scanner/settings.ts';

type Mode = 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';
type Format = 'image/jpeg' | 'application/pdf' | 'image/png';

interface SourceModel {
  /** The modes, split over one or more setting profiles. */
  profiles: { modes: Mode[]; formats: { format: Format; ext: boolean; upper: boolean }[] }[];
  resolutions: { kind: 'discrete'; values: number[]; oddOnes: number[] } | { kind: 'range'; min: number; max: number; step: number };
  maxWidth: number;
  maxHeight: number;
}

interface CapsModel {
  model: string;
  platen: SourceModel | null;
  simplex: SourceModel | null;
  duplex: 'own' | 'option' | 'none';
  duplexSource: SourceModel | null;
  style: { scan: string; pwg: string; defaultScan: boolean; bom: boolean; declaration: boolean; comments: boolean; vendor: boolean; cdata: boolean; indent: string };
}

const modeArb = fc.constantFrom<Mode>('RGB24', 'Grayscale8', 'BlackAndWhite1');
const formatArb = fc.record({ format: fc.constantFrom<Format>('image/jpeg', 'application/pdf', 'image/png'), ext: fc.boolean(), upper: fc.boolean() });
const sourceArb: fc.Arbitrary<SourceModel> = fc.record({
  profiles: fc.array(fc.record({ modes: fc.array(modeArb, { minLength: 1, maxLength: 3 }), formats: fc.array(formatArb, { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  resolutions: fc.oneof(
    fc.record({ kind: fc.constant('discrete' as const), values: fc.uniqueArray(fc.constantFrom(75, 100, 150, 200, 240, 300, 400, 600, 1200), { minLength: 1, maxLength: 6 }), oddOnes: fc.array(fc.constantFrom(150, 300, 600), { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('range' as const), min: fc.constantFrom(50, 75, 100), max: fc.constantFrom(300, 600, 1200), step: fc.constantFrom(1, 25, 50) }),
  ),
  maxWidth: fc.integer({ min: 2400, max: 3600 }),
  maxHeight: fc.integer({ min: 3300, max: 5400 }),
});
const prefixArb = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((p) => !p.startsWith('xml'));
const capsArb: fc.Arbitrary<CapsModel> = fc.record({
  model: fc.stringMatching(/^[A-Za-z0-9 &<>'"-]{1,30}$/).map((s) => s.trim() || 'Scanner'),
  platen: fc.option(sourceArb, { nil: null }),
  simplex: fc.option(sourceArb, { nil: null }),
  duplex: fc.constantFrom<'own' | 'option' | 'none'>('own', 'option', 'none'),
  duplexSource: fc.option(sourceArb, { nil: null }),
  style: fc.record({ scan: prefixArb, pwg: prefixArb, defaultScan: fc.boolean(), bom: fc.boolean(), declaration: fc.boolean(), comments: fc.boolean(), vendor: fc.boolean(), cdata: fc.boolean(), indent: fc.constantFrom('', '\n', '\n  ', '\r\n\t') }),
}).filter((m) => m.style.scan !== m.style.pwg && (m.platen !== null || m.simplex !== null));

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Writes the model as a scanner's firmware might. */
function writeCapabilities(m: CapsModel): string {
  const { style } = m;
  const sp = style.indent;
  const s = (name: string) => (style.defaultScan ? name : `${style.scan}:${name}`);
  const p = (name: string) => `${style.pwg}:${name}`;
  const el = (name: string, inner: string) => `${sp}<${name}>${inner}</${name}>`;
  const comment = style.comments ? `${sp}<!-- firmware 2.4.1 -->` : '';
  const vendor = style.vendor ? `${sp}<vnd:Quirks xmlns:vnd="http://vendor.example/escl"><vnd:Mode>Fast</vnd:Mode><vnd:Empty/></vnd:Quirks>` : '';
  const source = (src: SourceModel) => [
    el(s('MinWidth'), '16'), el(s('MaxWidth'), String(src.maxWidth)), el(s('MinHeight'), '16'), el(s('MaxHeight'), String(src.maxHeight)), comment, vendor,
    el(s('SettingProfiles'), src.profiles.map((profile) => el(s('SettingProfile'), [
      el(s('ColorModes'), profile.modes.map((mode) => el(s('ColorMode'), mode)).join('')),
      el(s('DocumentFormats'), profile.formats.map((f) => {
        const value = f.upper ? f.format.toUpperCase() : f.format;
        return f.ext ? el(s('DocumentFormatExt'), value) : el(p('DocumentFormat'), value);
      }).join('')),
      el(s('SupportedResolutions'), src.resolutions.kind === 'discrete'
        ? el(s('DiscreteResolutions'), [
          ...src.resolutions.values.map((r) => el(s('DiscreteResolution'), el(s('XResolution'), String(r)) + el(s('YResolution'), String(r)))),
          // Not square: the desk cannot use these.
          ...src.resolutions.oddOnes.map((r) => el(s('DiscreteResolution'), el(s('XResolution'), String(r)) + el(s('YResolution'), String(r * 2)))),
        ].join(''))
        : el(s('ResolutionRange'), el(s('XResolution'), el(s('Min'), String(src.resolutions.min)) + el(s('Max'), String(src.resolutions.max)) + el(s('Step'), String(src.resolutions.step)) + el(s('Normal'), '300'))
          + el(s('YResolution'), el(s('Min'), String(src.resolutions.min)) + el(s('Max'), String(src.resolutions.max)) + el(s('Step'), String(src.resolutions.step))))),
    ].join(''))).join('')),
  ].join('');
  const model = style.cdata ? `<![CDATA[${m.model}]]>` : escape(m.model);
  const adfParts = [
    m.simplex ? el(s('AdfSimplexInputCaps'), source(m.simplex)) : '',
    m.duplex === 'own' && m.duplexSource ? el(s('AdfDuplexInputCaps'), source(m.duplexSource)) : '',
    el(s('FeederCapacity'), '50'),
    m.duplex === 'option' ? el(s('AdfOptions'), el(s('AdfOption'), 'DetectPaperLoaded') + el(s('AdfOption'), 'Duplex')) : '',
  ].join('');
  const namespaces = style.defaultScan ? `xmlns="${scanNs}" xmlns:${style.pwg}="${pwgNs}"` : `xmlns:${style.scan}="${scanNs}" xmlns:${style.pwg}="${pwgNs}"`;
  return [
    style.bom ? '\uFEFF' : '',
    style.declaration ? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' : '',
    comment,
    `<${s('ScannerCapabilities')} ${namespaces}>`,
    el(p('Version'), '2.63'),
    el(p('MakeAndModel'), model),
    el(s('UUID'), '4509a320-00a0-008f-00b6-002507510eca'),
    m.platen ? el(s('Platen'), el(s('PlatenInputCaps'), source(m.platen))) : '',
    m.simplex || m.duplex === 'own' ? el(s('Adf'), adfParts) : '',
    vendor,
    `${sp}</${s('ScannerCapabilities')}>`,
  ].join('');
}

/** What the desk should conclude from the model, computed without the reader. */
function meant(m: CapsModel) {
  const sources: ['flatbed' | 'adf' | 'duplex', SourceModel | null][] = [
    ['flatbed', m.platen],
    ['adf', m.simplex],
    ['duplex', m.duplex === 'own' ? m.duplexSource : m.duplex === 'option' ? m.simplex : null],
  ];
  const formatsOf = (src: SourceModel) => src.profiles.flatMap((p) => p.formats.map((f) => f.format));
  // Scanned as JPEG, or PDF where JPEG is not offered; a source listing no format at all sends JPEG.
  const usable = (src: SourceModel) => formatsOf(src).length === 0 || formatsOf(src).some((f) => f === 'image/jpeg' || f === 'application/pdf');
  const offered = sources.filter((entry): entry is ['flatbed' | 'adf' | 'duplex', SourceModel] => entry[1] !== null && usable(entry[1]));
  const modesOf = (src: SourceModel) => src.profiles.flatMap((p) => p.modes);
  const resolutionOk = (src: SourceModel, dpi: number) => src.resolutions.kind === 'discrete' ? src.resolutions.values.includes(dpi) : dpi >= src.resolutions.min && dpi <= src.resolutions.max && (dpi - src.resolutions.min) % src.resolutions.step === 0;
  const all = offered.map(([, src]) => src);
  const modes = (['color', 'gray', 'lineart'] as const).filter((mode) => all.some((src) => modesOf(src).includes(mode === 'color' ? 'RGB24' : 'Grayscale8')));
  const toMm = (units: number) => Math.round(((units * 25.4) / 300) * 10) / 10;
  const maxArea = all.length === 0 ? null : { widthMm: toMm(Math.max(...all.map((s) => s.maxWidth))), heightMm: toMm(Math.max(...all.map((s) => s.maxHeight))) };
  return {
    sources: offered.map(([name]) => name),
    modes,
    resolutions: deskResolutions.filter((dpi) => all.some((src) => resolutionOk(src, dpi))),
    maxArea,
    paperSizes: fittingPaperSizes(maxArea),
  };
}

describe('ScannerCapabilities, however a scanner writes them', () => {
  it('give the desk the sources, colour modes, resolutions and area the scanner means', () => {
    fc.assert(fc.property(capsArb, (model) => {
      const xml = writeCapabilities(model);
      const parsed = parseCapabilities(xml);
      expect(parsed.makeAndModel).toBe(model.model);
      expect(deskCapabilities(parsed)).toEqual(meant(model));
    }), { numRuns: 400 });
  });

  it('are refused, not half-read, when broken or hostile', () => {
    const valid = `<scan:ScannerCapabilities xmlns:scan="${scanNs}"><scan:Platen><scan:PlatenInputCaps><scan:SettingProfiles><scan:SettingProfile><scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes></scan:SettingProfile></scan:SettingProfiles></scan:PlatenInputCaps></scan:Platen></scan:ScannerCapabilities>`;
    expect(() => parseCapabilities(valid)).not.toThrow();
    const hostile = [
      // A billion laughs: entities are never expanded, the DOCTYPE is refused.
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${valid.replace('RGB24', '&lol2;')}`,
      valid.replace('</scan:Platen>', '</scan:Adf>'),
      valid.replace('xmlns:scan=', 'xmlns:other='),
      valid.slice(0, -10),
      valid.replace('RGB24', '&nbsp;'),
      `${valid}<extra/>`,
      '<pwg:ScannerStatus xmlns:pwg="x"/>',
      `<scan:ScannerCapabilities xmlns:scan="${scanNs}"><scan:Platen/></scan:ScannerCapabilities>`,
      '',
      'HTTP/1.1 500',
    ];
    for (const text of hostile) expect(() => parseCapabilities(text), text.slice(0, 60)).toThrow(EsclDocumentError);
  });
});

describe('the XML reader', () => {
  interface Node { name: string; text: string; children: Node[] }
  const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
  /** Text XML can carry: no control characters but tab, newline and carriage return, no lone surrogates, no U+FFFE/FFFF. */
  const xmlChar = (c: number) => (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && (c < 0xd800 || c > 0xdfff) && c !== 0xfffe && c !== 0xffff;
  const textArb = fc.string({ maxLength: 12 }).filter((t) => [...t].every((ch) => xmlChar(ch.charCodeAt(0))) && !/[\ud800-\udfff]/.test(t));
  /** Trees up to `depth` levels deep. */
  const nodeArb = (depth: number): fc.Arbitrary<Node> => fc.record({ name: nameArb, text: textArb, children: depth === 0 ? fc.constant([]) : fc.array(nodeArb(depth - 1), { maxLength: 3 }) });

  const write = (n: Node, cdata: boolean): string => `<${n.name}>${cdata && !n.text.includes(']]>') ? `<![CDATA[${n.text}]]>` : escape(n.text).replace(/\r/g, '&#13;')}${n.children.map((c) => write(c, !cdata)).join('')}</${n.name}>`;
  const shape = (e: { name: string; text: string; children: unknown[] }): Node => ({ name: e.name, text: e.text, children: (e.children as { name: string; text: string; children: unknown[] }[]).map(shape) });

  it('reads back any tree of elements and text, escaped or in CDATA', () => {
    fc.assert(fc.property(nodeArb(3), fc.boolean(), (tree, cdata) => {
      expect(shape(parseXml(write(tree, cdata)))).toEqual(tree);
    }), { numRuns: 300 });
  });

  it('throws XmlError on anything that is not one well-formed element', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (junk) => {
      try {
        parseXml(junk);
      } catch (err) {
        expect(err).toBeInstanceOf(XmlError);
      }
    }), { numRuns: 300 });
  });
});

describe('ScannerStatus', () => {
  const status = (state: string, adf?: string) => parseStatus(`<?xml version="1.0"?><scan:ScannerStatus xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}"><pwg:Version>2.0</pwg:Version><pwg:State>${state}</pwg:State>${adf ? `<scan:AdfState>${adf}</scan:AdfState>` : ''}<scan:Jobs><scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/7</pwg:JobUri><pwg:JobState>Aborted</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>JobCanceledBySystem</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo></scan:Jobs></scan:ScannerStatus>`);

  it('says what stopped a feeder, as the desk’s faults, and nothing for a loaded or busy one', () => {
    expect(status('Processing', 'ScannerAdfJam').jobs).toEqual([{ uri: '/eSCL/ScanJobs/7', state: 'Aborted', reasons: ['JobCanceledBySystem'] }]);
    const cases: [string, string | undefined, boolean, string | undefined][] = [
      ['Idle', 'ScannerAdfJam', true, 'SCANNER_JAMMED'],
      ['Idle', 'ScannerAdfMispick', true, 'SCANNER_JAMMED'],
      ['Idle', 'ScannerAdfHatchOpen', true, 'SCANNER_COVER_OPEN'],
      ['Idle', 'ScannerAdfDoorOpen', true, 'SCANNER_COVER_OPEN'],
      ['Idle', 'ScannerAdfEmpty', true, 'SCANNER_NO_DOCS'],
      ['Idle', 'ScannerAdfLoaded', true, undefined],
      ['Processing', 'ScannerAdfProcessing', true, undefined],
      // The glass does not care about the feeder.
      ['Idle', 'ScannerAdfEmpty', false, undefined],
      ['Down', undefined, false, 'SCANNER_FAILED'],
      ['Testing', undefined, false, undefined],
    ];
    for (const [state, adf, feeder, fault] of cases) expect(statusFault(status(state, adf), feeder), `${state} ${adf} ${feeder}`).toBe(fault);
  });
});

describe('a scanner’s address as a person types it', () => {
  it('becomes one eSCL root, scheme, port and path always written', () => {
    expect(normaliseScannerUrl('192.168.1.20')).toBe('http://192.168.1.20:80/eSCL');
    expect(normaliseScannerUrl(' 192.168.1.20:8080 ')).toBe('http://192.168.1.20:8080/eSCL');
    expect(normaliseScannerUrl('https://scanner.kantor.local/eSCL/')).toBe('https://scanner.kantor.local:443/eSCL');
    expect(normaliseScannerUrl('HTTPS://10.0.0.5:9096/escl')).toBe('https://10.0.0.5:9096/escl');
    expect(normaliseScannerUrl('http://[fe80::1]:80/eSCL')).toBe('http://[fe80::1]:80/eSCL');
    for (const bad of ['', 'ftp://10.0.0.5/', 'http://user:pw@10.0.0.5/eSCL', 'http://10.0.0.5/eSCL?x=1', 'http://']) expect(normaliseScannerUrl(bad), bad).toBeUndefined();
    expect(originOf('https://10.0.0.5:443/eSCL')).toBe('https://10.0.0.5:443');
  });
});

describe('the ScanSettings a job is created with', () => {
  it('names the region, source, mode, format and resolution, in the order devices accept', () => {
    const xml = scanSettingsXml({ source: 'Feeder', duplex: true, colorMode: 'Grayscale8', format: 'image/jpeg', formatExt: true, resolution: 200, width: 2480, height: 3508 });
    const names = [...xml.matchAll(/<([\w:]+)[ >]/g)].map((m) => m[1]);
    expect(names).toEqual(['scan:ScanSettings', 'pwg:Version', 'pwg:ScanRegions', 'pwg:ScanRegion', 'pwg:ContentRegionUnits', 'pwg:XOffset', 'pwg:YOffset', 'pwg:Width', 'pwg:Height', 'pwg:InputSource', 'scan:ColorMode', 'pwg:DocumentFormat', 'scan:DocumentFormatExt', 'scan:XResolution', 'scan:YResolution', 'scan:Duplex']);
    const root = parseXml(xml);
    expect(root.ns).toBe(scanNs);
    expect(root.children.find((c) => c.name === 'InputSource')).toMatchObject({ ns: pwgNs, text: 'Feeder' });
    expect(scanSettingsXml({ source: 'Platen', duplex: false, colorMode: 'RGB24', format: 'image/jpeg', formatExt: false, resolution: 300, width: 2550, height: 3300 })).not.toMatch(/Duplex|DocumentFormatExt/);
  });
});
