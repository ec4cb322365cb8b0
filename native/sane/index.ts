// Typed wrapper over the SANE addon (build/Release/sane.node): discovery, options converted by the
// option's own type, and scanning as an async iterator of whole pages. Every failure of libsane
// becomes a SaneError with SANE's status and, mid-batch, how many pages were completed before it.
// A package of its own that imports nothing of the app; the app loads it only inside its device
// worker (a backend may crash).
import { createRequire } from 'node:module';
import { faultStatus, SaneError, SaneUnavailableError, type SaneErrorContext, type SaneStatus } from './sane-error.ts';

export { SaneError, SaneUnavailableError, type SaneErrorContext, type SaneFault, type SaneStatus } from './sane-error.ts';

export interface DeviceInfo {
  name: string;
  vendor: string;
  model: string;
  type: string;
}

export type OptionType = 'BOOL' | 'INT' | 'FIXED' | 'STRING' | 'BUTTON' | 'GROUP';
export type OptionUnit = 'NONE' | 'PIXEL' | 'BIT' | 'MM' | 'DPI' | 'PERCENT' | 'MICROSECOND';
/** BOOL → boolean, INT/FIXED → number (or number[] for array options), STRING → string. */
export type OptionValue = boolean | number | number[] | string;

export type OptionConstraint =
  | { kind: 'range'; min: number; max: number; quant: number }
  | { kind: 'wordList'; values: number[] }
  | { kind: 'stringList'; values: string[] };

export interface OptionDescriptor {
  index: number;
  name: string;
  title: string;
  description: string;
  type: OptionType;
  unit: OptionUnit;
  /** Bytes the backend reserves for the value (an array option holds size / 4 words). */
  size: number;
  capabilities: {
    softSelect: boolean;
    hardSelect: boolean;
    softDetect: boolean;
    emulated: boolean;
    automatic: boolean;
    inactive: boolean;
    advanced: boolean;
  };
  constraint: OptionConstraint | null;
  /** The current value; absent for groups, buttons and inactive or unreadable options. */
  value?: OptionValue;
}

export interface SetResult {
  /** The value the device actually uses, read back after setting (backends clamp and round). */
  value: OptionValue | undefined;
  /** The device did not take the value exactly as given. */
  inexact: boolean;
  /** Other options' descriptors or values may have changed: read options() again. */
  reloadOptions: boolean;
  /** The scan parameters (page size in pixels, format) may have changed. */
  reloadParams: boolean;
}

export type FrameFormat = 'GRAY' | 'RGB' | 'RED' | 'GREEN' | 'BLUE' | `FRAME_${number}`;

export interface ScanParameters {
  format: FrameFormat;
  lastFrame: boolean;
  bytesPerLine: number;
  pixelsPerLine: number;
  /** -1 while the height is unknown (hand scanners, ADFs with page-end detection). */
  lines: number;
  depth: number;
}

export interface ScannedPage {
  /** 1-based position in the batch. */
  number: number;
  /** The image as assembled: three-pass frames are interleaved into RGB, and `lines` is what arrived. */
  params: ScanParameters;
  /** False when the device announced lines = -1 and the height became known only at the end. */
  heightKnown: boolean;
  data: Buffer;
}

export interface ScanProgress {
  page: number;
  bytes: number;
  /** Null while the page height is unknown. */
  expectedBytes: number | null;
}

export interface ScanOptions {
  /** Keep feeding sheets until the feeder is empty (ADF); otherwise scan one page. */
  batch?: boolean;
  /** Aborting cancels the scan (sane_cancel); the iterator then throws SaneError CANCELLED. */
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

type NativeScanEvent =
  | { type: 'frame'; params: ScanParameters }
  | { type: 'data'; data: Buffer }
  | { type: 'page' }
  /** The scan's outcome, sent before the addon calls sane_cancel; 'end' follows once it returned. */
  | { type: 'stopping'; status: SaneStatus; during: string; pages: number }
  | { type: 'end'; status: SaneStatus; during: string; pages: number };

/** How long the wrapper waits for sane_cancel to return after a scan ended before calling the device stuck. */
const stopPatienceMs = 5_000;

interface NativeDevice {
  options(): OptionDescriptor[];
  get(name: string): OptionValue | undefined;
  set(name: string, value: OptionValue | null): SetResult;
  setAuto(name: string): SetResult;
  parameters(): ScanParameters;
  scan(batch: boolean, onEvent: (event: NativeScanEvent) => void): void;
  resume(): void;
  cancel(): void;
  /** Waits up to patienceMs (the addon's own bound when absent) for a running scan to stop; false when it did not and the handle was abandoned. */
  close(patienceMs?: number): boolean;
}

interface NativeBinding {
  listDevices(localOnly: boolean): Promise<DeviceInfo[]>;
  open(name: string): Promise<NativeDevice>;
  shutdown(): void;
}

let binding: NativeBinding | undefined;

// Loaded on first use, so a test or the worker can point SANE_CONFIG_DIR elsewhere first
// (sane_init reads it when the first call reaches libsane). The addon is optional: it is built only
// where libsane exists, and a computer without it (Windows, a desk without SANE) gets
// SaneUnavailableError from every call instead of a crash.
function native(): NativeBinding {
  if (binding === undefined) {
    const require = createRequire(import.meta.url);
    let loaded: NativeBinding;
    try {
      loaded = require('./build/Release/sane.node') as NativeBinding;
    } catch (err) {
      const code = (err as { code?: string } | null)?.code;
      const reason = code === 'MODULE_NOT_FOUND' ? 'the SANE addon was not built on this computer' : `libsane cannot be loaded (${(err as Error).message.split('\n')[0]})`;
      throw new SaneUnavailableError(reason, { cause: err });
    }
    // Closes handles and calls sane_exit even when the process leaves through process.exit().
    process.once('exit', () => loaded.shutdown());
    binding = loaded;
  }
  return binding;
}

/**
 * What the addon threw, as a SaneError: the addon gives every libsane failure a `status` (and an
 * `option` when an option was refused). Anything else is a fault of the binding itself and is
 * passed on as it is.
 */
function fromNative(err: unknown, context: SaneErrorContext): unknown {
  const { status, option } = (err ?? {}) as { status?: unknown; option?: unknown };
  if (err instanceof SaneError || typeof status !== 'string') return err;
  return new SaneError(faultStatus(status), typeof option === 'string' ? { ...context, option } : context, { cause: err });
}

export async function listDevices(options: { localOnly?: boolean } = {}): Promise<DeviceInfo[]> {
  try {
    return await native().listDevices(options.localOnly ?? false);
  } catch (err) {
    throw fromNative(err, { device: '', during: 'list devices' });
  }
}

export async function openDevice(name: string): Promise<ScannerDevice> {
  try {
    return new ScannerDevice(name, await native().open(name));
  } catch (err) {
    throw fromNative(err, { device: name, during: 'open' });
  }
}

interface Frame {
  params: ScanParameters;
  chunks: Buffer[];
  bytes: number;
}

const separateChannels = new Set<FrameFormat>(['RED', 'GREEN', 'BLUE']);

// Three-pass scanners send a page as a red, a green and a blue frame; the page is RGB.
function interleave(frames: Frame[], device: string, number: number): { params: ScanParameters; data: Buffer } {
  const byFormat = new Map(frames.map((f) => [f.params.format, f]));
  const [red, green, blue] = [byFormat.get('RED'), byFormat.get('GREEN'), byFormat.get('BLUE')];
  const first = frames[0];
  if (frames.length !== 3 || red === undefined || green === undefined || blue === undefined || first === undefined || first.params.depth % 8 !== 0) {
    throw new SaneError('UNSUPPORTED', { device, during: 'assemble page', pagesCompleted: number - 1 });
  }
  const sample = first.params.depth / 8;
  const planes = [red, green, blue].map((f) => Buffer.concat(f.chunks, f.bytes));
  const length = Math.min(...planes.map((p) => p.length));
  const samples = Math.floor(length / sample);
  const data = Buffer.alloc(samples * sample * 3);
  for (let s = 0; s < samples; s++) {
    for (let c = 0; c < 3; c++) {
      (planes[c] as Buffer).copy(data, (s * 3 + c) * sample, s * sample, (s + 1) * sample);
    }
  }
  const bytesPerLine = first.params.bytesPerLine * 3;
  return { params: { ...first.params, format: 'RGB', lastFrame: true, bytesPerLine, lines: Math.floor(data.length / bytesPerLine) }, data };
}

function assemble(frames: Frame[], device: string, number: number): ScannedPage {
  const first = frames[0];
  if (first === undefined) throw new SaneError('EOF', { device, during: 'read', pagesCompleted: number - 1 });
  const heightKnown = frames.every((f) => f.params.lines >= 0);
  if (frames.length > 1 || separateChannels.has(first.params.format)) {
    return { number, heightKnown, ...interleave(frames, device, number) };
  }
  const data = Buffer.concat(first.chunks, first.bytes);
  // A page that ends before its first line is a device fault, not an empty page.
  if (data.length < first.params.bytesPerLine || first.params.bytesPerLine <= 0) {
    throw new SaneError('EOF', { device, during: 'read', pagesCompleted: number - 1 });
  }
  return { number, heightKnown, params: { ...first.params, lines: Math.floor(data.length / first.params.bytesPerLine) }, data };
}

function expectedBytes(params: ScanParameters): number | null {
  if (params.lines < 0) return null;
  return params.bytesPerLine * params.lines * (separateChannels.has(params.format) ? 3 : 1);
}

/** An open SANE device. Options may be changed between pages of a batch, never during one. */
export class ScannerDevice {
  readonly name: string;
  #native: NativeDevice;
  #closed = false;
  /** The backend never returned from stopping a scan: every further call fails, close() abandons the handle. */
  #stuck = false;

  constructor(name: string, device: NativeDevice) {
    this.name = name;
    this.#native = device;
  }

  #call<T>(during: string, fn: (device: NativeDevice) => T): T {
    // Using a closed handle is a mistake of the caller, not something the device said.
    if (this.#closed) throw new Error(`SANE device ${this.name} is closed (${during})`);
    if (this.#stuck) throw new SaneError('IO_ERROR', { device: this.name, during, driverStuck: true });
    try {
      return fn(this.#native);
    } catch (err) {
      throw fromNative(err, { device: this.name, during });
    }
  }

  options(): OptionDescriptor[] {
    return this.#call('read options', (d) => d.options());
  }

  get(name: string): OptionValue | undefined {
    return this.#call(`read option ${name}`, (d) => d.get(name));
  }

  /** Sets by name, converting by the option's own type (resolution is FIXED in some backends, INT in others). */
  set(name: string, value: OptionValue | null = null): SetResult {
    return this.#call(`set option ${name}`, (d) => d.set(name, value));
  }

  /** Lets the backend choose the value itself (options with the `automatic` capability). */
  setAuto(name: string): SetResult {
    return this.#call(`set option ${name} automatically`, (d) => d.setAuto(name));
  }

  /** The backend's estimate of the next page before scanning starts. */
  parameters(): ScanParameters {
    return this.#call('get parameters', (d) => d.parameters());
  }

  /**
   * Scans one page, or a batch until the feeder is empty, yielding each page when it is complete.
   * The next sheet is fed only when the consumer asks for it, so options can change between
   * pages; leaving the loop early cancels the scan. A fault throws a SaneError whose
   * `pagesCompleted` counts the pages yielded before it: they are whole and stay the consumer's.
   */
  async *scan(options: ScanOptions = {}): AsyncGenerator<ScannedPage, void, undefined> {
    const { batch = false, signal, onProgress } = options;
    if (signal?.aborted) throw new SaneError('CANCELLED', { device: this.name, during: 'start' });
    // 'stuck': the addon said how the scan ended but sane_cancel has not returned within stopPatienceMs.
    const queue: (NativeScanEvent | { type: 'stuck' })[] = [];
    let wake: (() => void) | undefined;
    let stopWatch: NodeJS.Timeout | undefined;
    const deliver = (event: NativeScanEvent | { type: 'stuck' }) => {
      queue.push(event);
      const w = wake;
      wake = undefined;
      w?.();
    };
    const nextEvent = async () => {
      for (;;) {
        const event = queue.shift();
        if (event !== undefined) return event;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    this.#call('start', (d) =>
      d.scan(batch, (event) => {
        if (event.type === 'stopping') stopWatch = setTimeout(() => deliver({ type: 'stuck' }), stopPatienceMs);
        if (event.type === 'end') clearTimeout(stopWatch);
        deliver(event);
      }),
    );
    const cancel = () => this.#native.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    let ended = false;
    let outcome: Extract<NativeScanEvent, { type: 'stopping' }> | undefined;
    try {
      let frames: Frame[] = [];
      let number = 1;
      let pageBytes = 0;
      for (;;) {
        const event = await nextEvent();
        if (event.type === 'frame') {
          frames.push({ params: event.params, chunks: [], bytes: 0 });
        } else if (event.type === 'data') {
          const frame = frames.at(-1);
          if (frame === undefined) continue;
          frame.chunks.push(event.data);
          frame.bytes += event.data.length;
          pageBytes += event.data.length;
          const first = frames[0] as Frame;
          onProgress?.({ page: number, bytes: pageBytes, expectedBytes: expectedBytes(first.params) });
        } else if (event.type === 'page') {
          const page = assemble(frames, this.name, number);
          frames = [];
          pageBytes = 0;
          number++;
          yield page;
          if (batch) this.#native.resume();
        } else if (event.type === 'stopping') {
          outcome = event;
        } else {
          ended = true;
          const stuck = event.type === 'stuck';
          if (stuck) this.#stuck = true;
          const end = event.type === 'end' ? event : (outcome as NonNullable<typeof outcome>);
          // The feeder ran empty after at least one sheet: the batch is complete.
          const complete = end.status === 'GOOD' || (end.status === 'NO_DOCS' && batch && end.pages > 0 && end.during === 'start');
          if (complete && !stuck) return;
          // Whole pages stay the consumer's; a device that did not stop is a fault even after a complete batch.
          if (complete) throw new SaneError('IO_ERROR', { device: this.name, during: 'stop', pagesCompleted: end.pages, driverStuck: true });
          throw new SaneError(faultStatus(end.status), { device: this.name, during: end.during, pagesCompleted: end.pages, driverStuck: stuck });
        }
      }
    } finally {
      signal?.removeEventListener('abort', cancel);
      if (!ended) {
        // Left early (break, or the consumer threw): stop the device and wait until it is free.
        this.#native.cancel();
        for (;;) {
          const event = await nextEvent();
          if (event.type === 'end') break;
          if (event.type === 'stuck') {
            this.#stuck = true;
            break;
          }
        }
      }
    }
  }

  /** Cancels a running scan; the scan's iterator then throws SaneError CANCELLED. */
  cancel(): void {
    if (!this.#closed) this.#native.cancel();
  }

  /**
   * Cancels a running scan (waiting a few seconds for the backend's current call) and closes the
   * handle. Answers false when the backend did not let go: the handle is then abandoned, and the
   * device is usable again only in a new process.
   */
  close(): boolean {
    if (this.#closed) return true;
    this.#closed = true;
    return this.#native.close(this.#stuck ? 0 : undefined) && !this.#stuck;
  }
}
