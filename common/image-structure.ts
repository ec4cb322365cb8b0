// How a PNG or JPEG file is put together, read without decoding a pixel: a PNG's chunks, each held to
// its checksum, up to IEND; a JPEG's marker segments from SOI through each scan to EOI. The walk and
// the ways a file breaks it are shared; what a file must also contain to be usable (a letterhead logo,
// an imported letter) is each reader's own call.
import { crc32 } from 'node:zlib';

/** Where the walk broke: the file ends mid-structure, a checksum fails, or a marker is not where one must be. */
export type ImageStructureFault = 'truncated' | 'checksum' | 'marker';

export class ImageStructureError extends Error {
  readonly fault: ImageStructureFault;
  /** Byte offset of the chunk or segment that broke. */
  readonly offset: number;
  /** The PNG chunk type, when a chunk's checksum failed. */
  readonly chunk: string | undefined;

  constructor(fault: ImageStructureFault, offset: number, chunk?: string) {
    super(`image structure: ${fault} at byte ${offset}${chunk === undefined ? '' : ` (${chunk})`}`);
    this.name = 'ImageStructureError';
    this.fault = fault;
    this.offset = offset;
    this.chunk = chunk;
  }
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && pngSignature.every((byte, i) => bytes[i] === byte);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface PngChunk {
  type: string;
  body: Uint8Array;
  /** Offset of the chunk's length field in the file. */
  offset: number;
}

/**
 * The chunks after the signature, in file order, each checked against its CRC; the walk ends after
 * IEND. Throws ImageStructureError when the file ends before IEND or a checksum fails.
 */
export function* pngChunks(bytes: Uint8Array): Generator<PngChunk, void, undefined> {
  if (!isPng(bytes)) throw new ImageStructureError('marker', 0);
  const view = viewOf(bytes);
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.byteLength) throw new ImageStructureError('truncated', at);
    const length = view.getUint32(at);
    if (length > bytes.byteLength - at - 12) throw new ImageStructureError('truncated', at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new ImageStructureError('checksum', at, type);
    yield { type, body: bytes.subarray(at + 8, at + 8 + length), offset: at };
    if (type === 'IEND') return;
    at += 12 + length;
  }
}

export interface PngHeader { width: number; height: number; bitDepth: number; colourType: number; compression: number; filter: number; interlace: number }

/** The IHDR chunk's fields, or null when the chunk is not the 13 bytes the format fixes. */
export function pngHeader(chunk: PngChunk): PngHeader | null {
  if (chunk.type !== 'IHDR' || chunk.body.byteLength !== 13) return null;
  const view = viewOf(chunk.body);
  const b = chunk.body;
  return { width: view.getUint32(0), height: view.getUint32(4), bitDepth: b[8]!, colourType: b[9]!, compression: b[10]!, filter: b[11]!, interlace: b[12]! };
}

export interface JpegSegment {
  marker: number;
  /** The segment's contents after its two length bytes. */
  body: Uint8Array;
  /** Offset of the segment's 0xFF marker byte in the file. */
  offset: number;
}

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;

/**
 * The marker segments after SOI, in file order (fill bytes and the parameterless TEM/RSTn markers
 * skipped); after a scan (SOS) its entropy-coded data is stepped over when the next segment is asked
 * for. The walk ends at EOI. Throws ImageStructureError when the file ends before EOI or a byte that
 * must start a marker does not.
 */
export function* jpegSegments(bytes: Uint8Array): Generator<JpegSegment, void, undefined> {
  if (!isJpeg(bytes)) throw new ImageStructureError('marker', 0);
  const view = viewOf(bytes);
  let at = 2;
  for (;;) {
    if (at + 2 > bytes.byteLength) throw new ImageStructureError('truncated', at);
    if (bytes[at] !== 0xff) throw new ImageStructureError('marker', at);
    const marker = bytes[at + 1]!;
    if (marker === 0xff) { at++; continue; }
    if (marker === 0xd9) return;
    if (marker === 0x01 || isRestart(marker)) { at += 2; continue; }
    if (at + 4 > bytes.byteLength) throw new ImageStructureError('truncated', at);
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.byteLength) throw new ImageStructureError('truncated', at);
    yield { marker, body: bytes.subarray(at + 4, at + 2 + length), offset: at };
    at += 2 + length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (at + 1 < bytes.byteLength && !(bytes[at] === 0xff && bytes[at + 1] !== 0x00 && !isRestart(bytes[at + 1]!))) at++;
    }
  }
}

/** Start-of-frame markers (baseline, progressive, lossless …), not DHT (C4), JPG (C8) or DAC (CC). */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** The frame size a start-of-frame segment declares, or null when the segment is too short to hold it. */
export function jpegFrameSize(segment: JpegSegment): { width: number; height: number } | null {
  if (!isStartOfFrame(segment.marker) || segment.body.byteLength < 6) return null;
  const view = viewOf(segment.body);
  return { height: view.getUint16(1), width: view.getUint16(3) };
}
