// Translates between the desk's terms (source flatbed / ADF / duplex, colour mode, dpi, paper
// size) and a SANE device's own option names and values, which differ from backend to backend
// ("ADF Duplex", "Automatic Document Feeder", "Color"/"Colour", resolution as INT or FIXED).
// Nothing outside this driver sees these names. The scan always sets the whole option set:
// backends keep values across close and open, so a setting left out would silently carry over
// from an earlier scan.
import type { OptionDescriptor, OptionValue } from '../../../../native/sane/index.ts';
import { deskResolutions, fittingPaperSizes, paperSizesMm, refuseUnavailable } from '../settings.ts';
import type { ScanMode, ScannerCapabilities, ScanSettings, ScanSource } from '../types.ts';

/** What a SANE device can do, with the device's own value for each choice the desk offers. */
export interface SaneCapabilities {
  sources: Partial<Record<ScanSource, string>>;
  modes: Partial<Record<ScanMode, string>>;
  resolutions: number[];
  /** The largest scan area, in millimetres (null: the device has no geometry options). */
  maxArea: { widthMm: number; heightMm: number } | null;
  /** The names of the options the device has: a setting for an option it lacks is left out. */
  optionNames: ReadonlySet<string>;
}

/** One SANE option to set, by its name; null for a button. */
export interface SaneSetting {
  name: string;
  value: OptionValue | null;
}

function stringChoices(option: OptionDescriptor | undefined): string[] {
  return option?.constraint?.kind === 'stringList' && !option.capabilities.inactive ? option.constraint.values : [];
}

function classifySource(value: string): ScanSource | undefined {
  if (/duplex/i.test(value)) return 'duplex';
  if (/flatbed|platen|glass/i.test(value)) return 'flatbed';
  if (/adf|feeder|automatic document/i.test(value)) return 'adf';
  return undefined;
}

function classifyMode(value: string): ScanMode | undefined {
  if (/^colou?r$/i.test(value)) return 'color';
  if (/^gr[ae]y/i.test(value)) return 'gray';
  if (/^(lineart|binary|black ?& ?white)$/i.test(value)) return 'lineart';
  return undefined;
}

function firstOfEach<K extends string>(values: string[], classify: (v: string) => K | undefined): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const value of values) {
    const kind = classify(value);
    if (kind !== undefined && out[kind] === undefined) out[kind] = value;
  }
  return out;
}

export function capabilitiesOf(options: OptionDescriptor[]): SaneCapabilities {
  const byName = new Map(options.map((o) => [o.name, o]));
  const sourceValues = stringChoices(byName.get('source'));
  // A device without a source option has just its glass (or just its feeder); SANE does not say which.
  const sources = sourceValues.length > 0 ? firstOfEach(sourceValues, classifySource) : { flatbed: '' };
  const modes = firstOfEach(stringChoices(byName.get('mode')), classifyMode);

  const resolution = byName.get('resolution')?.constraint;
  let resolutions: number[] = [];
  if (resolution?.kind === 'range') resolutions = deskResolutions.filter((r) => r >= resolution.min && r <= resolution.max);
  else if (resolution?.kind === 'wordList') resolutions = deskResolutions.filter((r) => resolution.values.includes(r));

  const brX = byName.get('br-x')?.constraint;
  const brY = byName.get('br-y')?.constraint;
  const maxArea = brX?.kind === 'range' && brY?.kind === 'range' ? { widthMm: brX.max, heightMm: brY.max } : null;
  return { sources, modes, resolutions, maxArea, optionNames: new Set(byName.keys()) };
}

const sourceOrder: ScanSource[] = ['flatbed', 'adf', 'duplex'];
const modeOrder: ScanMode[] = ['color', 'gray', 'lineart'];

/** The capabilities in the desk's terms, the device's own values left behind. */
export function deskCapabilities(caps: SaneCapabilities): ScannerCapabilities {
  return {
    sources: sourceOrder.filter((s) => caps.sources[s] !== undefined),
    modes: modeOrder.filter((m) => caps.modes[m] !== undefined),
    resolutions: caps.resolutions,
    maxArea: caps.maxArea,
    paperSizes: fittingPaperSizes(caps.maxArea),
  };
}

/**
 * The full option set for these settings on this device, in an order that keeps each option
 * active (mode and source switch others on and off, geometry comes after resolution).
 */
export function deviceSettings(settings: ScanSettings, caps: SaneCapabilities): SaneSetting[] {
  refuseUnavailable(settings, deskCapabilities(caps));
  const source = caps.sources[settings.source] as string;
  const mode = caps.modes[settings.mode];

  const list: SaneSetting[] = [];
  if (mode !== undefined) list.push({ name: 'mode', value: mode });
  // The test backend (and some others) offer 16-bit samples; the pipeline takes 8-bit gray/RGB or 1-bit lineart.
  if (settings.mode !== 'lineart') list.push({ name: 'depth', value: 8 });
  if (source !== '') list.push({ name: 'source', value: source });
  list.push({ name: 'resolution', value: settings.resolution });
  if (caps.maxArea !== null) {
    const paper = paperSizesMm[settings.paperSize];
    list.push(
      { name: 'tl-x', value: 0 },
      { name: 'tl-y', value: 0 },
      { name: 'br-x', value: Math.min(paper.widthMm, caps.maxArea.widthMm) },
      { name: 'br-y', value: Math.min(paper.heightMm, caps.maxArea.heightMm) },
    );
  }
  return list.filter((s) => caps.optionNames.has(s.name));
}
