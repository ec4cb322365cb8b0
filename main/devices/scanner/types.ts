// The scanner seam of the device worker, in the desk's own terms (as NAPS2's IScanDriver): a driver
// lists devices, says what each can do, and scans pages with the desk's settings. SANE (sane/) is
// one driver; a network (eSCL) or Windows (WIA) driver is another folder beside it and one line in
// drivers.ts. Nothing of a driver's own vocabulary (SANE option names and statuses, eSCL's XML)
// passes this interface, so the scan session and the page pipeline never learn which driver scanned.
import type { ErrorCode } from '../../../common/ipc/index.ts';
import type { PaperSize, ScanMode, ScanSettings, ScanSource } from '../../../common/ipc/scan.ts';

export type { PaperSize, ScanMode, ScanSettings, ScanSource } from '../../../common/ipc/scan.ts';

/** A scanner as the desk knows it. */
export interface Scanner {
  /** `<driver>:<the driver's own name for it>` (`sane:fujitsu:fi-7160:1234`): unique across drivers. */
  id: string;
  /** The driver that reaches it (`sane`). */
  driver: string;
  /** What the clerk reads in the list ("FUJITSU fi-7160", "Pemindai uji (demo)"). */
  label: string;
  vendor: string;
  model: string;
  /** Attached to this computer, or on the network (at `address` when the driver knows it). */
  connection: 'local' | 'network';
  /** Host name or IP address of a network scanner; null for a local one, or when the driver does not say. */
  address: string | null;
  /** A stand-in for missing hardware (SANE's test backend): the desk offers it only while no real scanner is listed. */
  demo: boolean;
  /** The certificate a network scanner reached over HTTPS presented; absent otherwise. */
  certificate?: ScannerCertificate;
  capabilities: ScannerCapabilities;
}

/**
 * What a network scanner reached over HTTPS proves itself with. Such devices carry certificates
 * they made themselves, which no authority vouches for: the desk trusts the one a device presents
 * the first time (its SHA-256 is pinned) and refuses another later until an admin trusts it.
 */
export interface ScannerCertificate {
  /** SHA-256 of the certificate (DER), as colon-separated upper-case hex pairs. */
  sha256: string;
  /** Its subject's common name (often the device's own host name), or '' when it has none. */
  subject: string;
  issuer: string;
  /** Expiry, ISO 8601. */
  validTo: string;
}

/** Per desk, for the drivers of network scanners: the addresses entered by hand and the certificates trusted. */
export interface NetworkScannerSettings {
  /** Scanners the desk knows by address (entered by an admin, or found before): asked directly, not only by discovery. */
  known: { url: string; label: string | null }[];
  /** Pinned certificates by the scanner's origin (`https://host:port`). */
  trusted: { origin: string; sha256: string }[];
}

/** What a scanner can do, in the desk's terms. */
export interface ScannerCapabilities {
  /** Glass, feeder one side, feeder both sides; never empty. */
  sources: ScanSource[];
  /** The colour modes it offers; empty when it offers no choice (it scans in its one mode). */
  modes: ScanMode[];
  /** The desk's usual resolutions (dpi) that it can scan at. */
  resolutions: number[];
  /** The largest area it scans, in millimetres; null when it does not say (a page is then as long as it makes it). */
  maxArea: { widthMm: number; heightMm: number } | null;
  /** The paper sizes that fit into maxArea whole; a larger sheet is scanned cut to maxArea. */
  paperSizes: PaperSize[];
}

/**
 * A device as its driver lists it, by the driver's own name; the service makes its id and adds its
 * capabilities. A device found but not usable now (a network scanner that does not answer, whose
 * certificate changed) is listed too: its capabilities() says why.
 */
export type FoundScanner = Omit<Scanner, 'id' | 'driver' | 'capabilities'> & { name: string };

/**
 * A page as it came from the scanner: uncompressed samples, as local scanners deliver them, or a
 * JPEG the scanner compressed itself, as network scanners do. Plain data: it is written to the
 * spool as it is and read back by the page pipeline.
 */
export type PageImage = RasterImage | JpegImage;

export interface RasterImage {
  kind: 'raster';
  width: number;
  height: number;
  channels: 1 | 3;
  /** Bits per sample; 1-bit pages are lineart with 1 = black. */
  depth: 1 | 8 | 16;
  /** Bytes from the start of one row to the next: at least the row's samples, more where the device pads rows. */
  bytesPerLine: number;
  /** The byte order of 16-bit samples. */
  littleEndian: boolean;
  /** The resolution the device scanned at. */
  dpi: number;
  data: Uint8Array;
}

export interface JpegImage {
  kind: 'jpeg';
  dpi: number;
  data: Uint8Array;
}

/** What describes a page's bytes: the image without them (a page file's header). */
export type PageImageFormat = Omit<RasterImage, 'data'> | Omit<JpegImage, 'data'>;

export interface ScannedPage {
  /** 1-based place in this scan's batch. */
  number: number;
  image: PageImage;
}

export interface ScanProgress {
  page: number;
  bytes: number;
  /** Null while the page's length is not known (a feeder that detects the page end). */
  expectedBytes: number | null;
}

/** The codes a scan ends with when the device reports a fault (SCANNER_JAMMED, SCANNER_COVER_OPEN…). */
export type ScannerFault = Extract<ErrorCode, `SCANNER_${string}`>;

/**
 * Tests only, honoured by a worker started with fault injection: the device fails with `fault`
 * when asked for the sheet after page `afterPage`, the way a feeder jams mid-batch.
 */
export interface InjectedFault {
  afterPage: number;
  fault: ScannerFault;
}

/** Tests only: a simulated device's own knobs (the SANE test backend's picture or read delay), by the driver's names. */
export type TestOptions = Record<string, string | number | boolean>;

export interface ScanRun {
  /** Aborted to cancel: the scan ends with SCANNER_CANCELLED, the pages before it kept. */
  signal: AbortSignal;
  onProgress(progress: ScanProgress): void;
  injectFault?: InjectedFault;
}

export interface PreparedScan {
  /** The resolution the device will scan at: devices round and clamp the one asked for. */
  resolution: number;
  /**
   * One page from the glass, or sheets from the feeder (adf, duplex) until it runs empty, each
   * yielded when whole; the next sheet is fed only when asked for. A fault throws an AppError with
   * a SCANNER_* code and the clerk's message, whose details.pagesCompleted counts the pages
   * yielded before it: those are whole and stay the caller's.
   */
  pages(run: ScanRun): AsyncIterable<ScannedPage>;
}

/** A scanner driver inside the device worker. Device names are the driver's own (`test:0`), without the driver's prefix. */
export interface ScanDriver {
  /** The first part of its devices' ids. */
  readonly name: string;
  /**
   * The devices it sees now; may take seconds (network scanners are asked). Throws
   * SCANNER_DRIVER_UNAVAILABLE when the driver cannot work on this computer at all (no libsane).
   */
  list(): Promise<FoundScanner[]>;
  capabilities(device: string): Promise<ScannerCapabilities>;
  /**
   * Sets the device up for settings already within its capabilities (see settings.ts) and says
   * what it will really do; refuses what it cannot before any paper moves.
   */
  prepare(device: string, settings: ScanSettings): Promise<PreparedScan>;
  /** Releases the device: another program may use it, and the next use opens it afresh. */
  close(device: string): Promise<void>;
  /** Releases every device: the worker is closing. */
  closeAll(): Promise<void>;
  /** Tests only: sets a simulated device's own knobs; a driver without simulated devices leaves it out. */
  setTestOptions?(device: string, options: TestOptions): Promise<void>;
  /** Takes the desk's settings for network scanners; a driver of local devices leaves it out. */
  configure?(settings: NetworkScannerSettings): void;
}
