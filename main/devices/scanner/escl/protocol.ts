// eSCL's documents (Mopria/AirScan; the HP "escl" and PWG semantic-model schemas): a scanner's
// ScannerCapabilities and ScannerStatus read into plain values, the desk's capabilities made from
// them, and the ScanSettings a job is created with. Devices differ in what they fill in and in
// which namespace they put it, so elements are found by their place in the tree and anything
// unknown is passed over; a document that says nothing usable (no source) is refused.
import { deskResolutions, fittingPaperSizes } from '../settings.ts';
import type { ScanMode, ScannerCapabilities, ScanSource } from '../types.ts';
import { child, childInt, childrenNamed, childText, escapeXml, parseXml, type XmlElement } from './xml.ts';

export const scanNs = 'http://schemas.hp.com/imaging/escl/2011/05/03';
export const pwgNs = 'http://www.pwg.org/schemas/2010/12/sm';

/** eSCL measures regions in three-hundredths of an inch. */
export const unitsPerInch = 300;

export type EsclResolutions = { kind: 'discrete'; values: number[] } | { kind: 'range'; min: number; max: number; step: number };

/** What one input source (glass, feeder, feeder both sides) offers. */
export interface EsclInputCaps {
  /** Largest region, in 1/300 inch; null when the device does not say. */
  maxWidth: number | null;
  maxHeight: number | null;
  /** eSCL colour modes: RGB24, Grayscale8, BlackAndWhite1… */
  colorModes: string[];
  /** Document formats (MIME types, lower case). */
  formats: string[];
  /** The device lists scan:DocumentFormatExt: the format goes there too when a job is created. */
  formatExt: boolean;
  resolutions: EsclResolutions[];
}

export interface EsclCapabilities {
  makeAndModel: string | null;
  uuid: string | null;
  platen: EsclInputCaps | null;
  adfSimplex: EsclInputCaps | null;
  adfDuplex: EsclInputCaps | null;
}

export class EsclDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EsclDocumentError';
  }
}

function parseRoot(text: string, expected: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (err) {
    throw new EsclDocumentError(`${expected}: not well-formed XML`, { cause: err });
  }
  if (root.name !== expected) throw new EsclDocumentError(`expected ${expected}, got ${root.name}`);
  return root;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function resolutionsOf(supported: XmlElement | undefined): EsclResolutions[] {
  const out: EsclResolutions[] = [];
  const discrete: number[] = [];
  for (const list of childrenNamed(supported, 'DiscreteResolutions')) {
    for (const res of childrenNamed(list, 'DiscreteResolution')) {
      const x = childInt(res, 'XResolution');
      const y = childInt(res, 'YResolution');
      // The desk scans square pixels; 300×600 and the like are left out.
      if (x !== undefined && x > 0 && x === (y ?? x)) discrete.push(x);
    }
  }
  if (discrete.length > 0) out.push({ kind: 'discrete', values: unique(discrete).sort((a, b) => a - b) });
  for (const range of childrenNamed(supported, 'ResolutionRange')) {
    const x = child(range, 'XResolution');
    const y = child(range, 'YResolution');
    const min = Math.max(childInt(x, 'Min') ?? 0, childInt(y, 'Min') ?? 0);
    const max = Math.min(childInt(x, 'Max') ?? 0, childInt(y, 'Max') ?? childInt(x, 'Max') ?? 0);
    const step = Math.max(1, childInt(x, 'Step') ?? 1);
    if (max > 0 && min <= max) out.push({ kind: 'range', min, max, step });
  }
  return out;
}

function inputCapsOf(caps: XmlElement | undefined): EsclInputCaps | null {
  if (caps === undefined) return null;
  const colorModes: string[] = [];
  const formats: string[] = [];
  const resolutions: EsclResolutions[] = [];
  let formatExt = false;
  for (const profile of childrenNamed(child(caps, 'SettingProfiles'), 'SettingProfile')) {
    for (const mode of childrenNamed(child(profile, 'ColorModes'), 'ColorMode')) colorModes.push(mode.text.trim());
    for (const format of child(profile, 'DocumentFormats')?.children ?? []) {
      if (format.name === 'DocumentFormatExt') formatExt = true;
      if (format.name === 'DocumentFormat' || format.name === 'DocumentFormatExt') formats.push(format.text.trim().toLowerCase());
    }
    resolutions.push(...resolutionsOf(child(profile, 'SupportedResolutions')));
  }
  // An element that is there but lists nothing (`<scan:AdfDuplexInputCaps/>`) offers nothing.
  if (colorModes.length === 0 && resolutions.length === 0) return null;
  return {
    maxWidth: childInt(caps, 'MaxWidth') ?? null,
    maxHeight: childInt(caps, 'MaxHeight') ?? null,
    colorModes: unique(colorModes),
    formats: unique(formats),
    formatExt,
    resolutions,
  };
}

export function parseCapabilities(text: string): EsclCapabilities {
  const root = parseRoot(text, 'ScannerCapabilities');
  const adf = child(root, 'Adf');
  const adfSimplex = inputCapsOf(child(adf, 'AdfSimplexInputCaps'));
  // Some feeders say "Duplex" among their options and describe only the one side.
  const duplexOption = childrenNamed(child(adf, 'AdfOptions'), 'AdfOption').some((o) => o.text.trim() === 'Duplex');
  const adfDuplex = inputCapsOf(child(adf, 'AdfDuplexInputCaps')) ?? (duplexOption ? adfSimplex : null);
  const capabilities: EsclCapabilities = {
    makeAndModel: childText(root, 'MakeAndModel') || null,
    uuid: childText(root, 'UUID') || null,
    platen: inputCapsOf(child(child(root, 'Platen'), 'PlatenInputCaps')),
    adfSimplex,
    adfDuplex,
  };
  if (capabilities.platen === null && adfSimplex === null && adfDuplex === null) throw new EsclDocumentError('ScannerCapabilities lists neither a platen nor a feeder');
  return capabilities;
}

/** The caps of the source the desk asks for. */
export function inputCapsFor(capabilities: EsclCapabilities, source: ScanSource): EsclInputCaps | null {
  return source === 'flatbed' ? capabilities.platen : source === 'adf' ? capabilities.adfSimplex : capabilities.adfDuplex;
}

/** Whether a source scans at exactly this resolution. */
export function offersResolution(caps: EsclInputCaps, dpi: number): boolean {
  return caps.resolutions.some((r) => (r.kind === 'discrete' ? r.values.includes(dpi) : dpi >= r.min && dpi <= r.max && (dpi - r.min) % r.step === 0));
}

/** The resolution the source scans at for the one asked: that one, else the nearest it offers. */
export function nearestResolution(caps: EsclInputCaps, dpi: number): number {
  if (offersResolution(caps, dpi)) return dpi;
  const candidates = caps.resolutions.flatMap((r) => (r.kind === 'discrete' ? r.values : [r.min, r.max, Math.min(r.max, r.min + Math.round((dpi - r.min) / r.step) * r.step)]));
  const usable = candidates.filter((c) => c > 0);
  if (usable.length === 0) return dpi;
  return usable.reduce((best, c) => (Math.abs(c - dpi) < Math.abs(best - dpi) || (Math.abs(c - dpi) === Math.abs(best - dpi) && c > best) ? c : best));
}

/**
 * The eSCL colour mode a desk mode is scanned in. Lineart is scanned in gray: eSCL's 1-bit mode
 * comes only in formats the desk does not read (JPEG has no 1-bit), and the page pipeline makes
 * every text page 1-bit anyway.
 */
export function colorModeFor(caps: EsclInputCaps, mode: ScanMode): string | undefined {
  const wanted = mode === 'color' ? ['RGB24'] : mode === 'gray' ? ['Grayscale8'] : ['Grayscale8'];
  return wanted.find((m) => caps.colorModes.includes(m));
}

/** The document format a job asks for: JPEG, which every eSCL scanner offers; PDF where JPEG is not offered. */
export function documentFormatFor(caps: EsclInputCaps): 'image/jpeg' | 'application/pdf' | undefined {
  if (caps.formats.includes('image/jpeg')) return 'image/jpeg';
  if (caps.formats.includes('application/pdf')) return 'application/pdf';
  // A device that lists no format at all still sends JPEG, the format eSCL requires.
  return caps.formats.length === 0 ? 'image/jpeg' : undefined;
}

const sourceOrder: ScanSource[] = ['flatbed', 'adf', 'duplex'];
const modeOrder: ScanMode[] = ['color', 'gray', 'lineart'];

/** The desk's view of an eSCL scanner: what any of its sources can do (each source is checked again when a scan is prepared). */
export function deskCapabilities(capabilities: EsclCapabilities): ScannerCapabilities {
  const sources = sourceOrder.filter((s) => {
    const caps = inputCapsFor(capabilities, s);
    return caps !== null && documentFormatFor(caps) !== undefined;
  });
  const all = sources.map((s) => inputCapsFor(capabilities, s)!);
  const modes = modeOrder.filter((m) => all.some((caps) => colorModeFor(caps, m) !== undefined));
  const resolutions = deskResolutions.filter((dpi) => all.some((caps) => offersResolution(caps, dpi)));
  const widths = all.map((c) => c.maxWidth).filter((v): v is number => v !== null);
  const heights = all.map((c) => c.maxHeight).filter((v): v is number => v !== null);
  const toMm = (units: number) => Math.round(((units * 25.4) / unitsPerInch) * 10) / 10;
  const maxArea = widths.length > 0 && heights.length > 0 ? { widthMm: toMm(Math.max(...widths)), heightMm: toMm(Math.max(...heights)) } : null;
  return { sources, modes, resolutions, maxArea, paperSizes: fittingPaperSizes(maxArea) };
}

export interface EsclJobInfo {
  /** The job's URI path as the device names it (`/eSCL/ScanJobs/<id>`). */
  uri: string;
  /** Pending, Processing, Completed, Canceled, Aborted… */
  state: string;
  reasons: string[];
}

export interface EsclStatus {
  /** Idle, Processing, Testing, Stopped, Down; null when not said. */
  state: string | null;
  /** ScannerAdfLoaded, ScannerAdfEmpty, ScannerAdfJam, ScannerAdfDoorOpen…; null when not said. */
  adfState: string | null;
  jobs: EsclJobInfo[];
}

export function parseStatus(text: string): EsclStatus {
  const root = parseRoot(text, 'ScannerStatus');
  return {
    state: childText(root, 'State') || null,
    adfState: childText(root, 'AdfState') || null,
    jobs: childrenNamed(child(root, 'Jobs'), 'JobInfo').map((job) => ({
      uri: childText(job, 'JobUri') ?? childText(job, 'JobUuid') ?? '',
      state: childText(job, 'JobState') ?? '',
      reasons: childrenNamed(child(job, 'JobStateReasons'), 'JobStateReason').map((r) => r.text.trim()),
    })),
  };
}

export interface EsclScanRequest {
  source: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: string;
  format: string;
  formatExt: boolean;
  resolution: number;
  /** The region from the top-left corner, in 1/300 inch. */
  width: number;
  height: number;
}

/** The ScanSettings document that creates a job, its elements in the order devices are known to accept. */
export function scanSettingsXml(request: EsclScanRequest): string {
  const el = (name: string, value: string | number) => `<${name}>${escapeXml(String(value))}</${name}>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<scan:ScanSettings xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}">`,
    el('pwg:Version', '2.0'),
    '<pwg:ScanRegions pwg:MustHonor="false"><pwg:ScanRegion>',
    el('pwg:ContentRegionUnits', 'escl:ThreeHundredthsOfInches'),
    el('pwg:XOffset', 0),
    el('pwg:YOffset', 0),
    el('pwg:Width', request.width),
    el('pwg:Height', request.height),
    '</pwg:ScanRegion></pwg:ScanRegions>',
    el('pwg:InputSource', request.source),
    el('scan:ColorMode', request.colorMode),
    el('pwg:DocumentFormat', request.format),
    request.formatExt ? el('scan:DocumentFormatExt', request.format) : '',
    el('scan:XResolution', request.resolution),
    el('scan:YResolution', request.resolution),
    request.source === 'Feeder' ? el('scan:Duplex', request.duplex ? 'true' : 'false') : '',
    '</scan:ScanSettings>',
  ].join('');
}
