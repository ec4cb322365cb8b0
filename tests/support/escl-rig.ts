// An eSCL scanner for the tests, in the style of AirSane and NAPS2's eSCL server: HTTP or HTTPS
// on 127.0.0.1 with ScannerCapabilities, ScannerStatus, ScanJobs (POST → 201 + Location),
// NextDocument (a JPEG or a PDF per page, 404 when the feeder runs empty) and DELETE, a platen
// and a feeder holding real-looking letter pages (rendered text, each sheet named "Lembar 3 ·
// depan" so a person can tell them apart), and faults injected the way real devices show them:
// warming up (503 + Retry-After), a jam mid-batch (409 with ScannerAdfJam), an open hatch, an
// empty feeder (409 at ScanJobs, or 404 at the first NextDocument), a slow device (a page held,
// or 503 until it is ready, as NAPS2's server does), a dropped transfer, and a device that
// disappears mid-scan. It reads the settings documents with its own simple matching, not with the
// driver's XML code: Debian's sane-airscan scans from it too (tests/integration/escl-rig.test.ts).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { jpegWithDensity } from '../../main/documents/image-density.ts';
import { textPageLines } from './synthetic-pages.ts';

GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', 'Rig Serif');

const scanNs = 'http://schemas.hp.com/imaging/escl/2011/05/03';
const pwgNs = 'http://www.pwg.org/schemas/2010/12/sm';

export type RigColorMode = 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';
export type RigFormat = 'image/jpeg' | 'application/pdf';

export interface RigOptions {
  makeAndModel?: string;
  uuid?: string;
  /** Serve HTTPS with a self-signed certificate made for the rig (as devices do). */
  https?: boolean;
  platen?: boolean;
  adf?: boolean;
  duplex?: boolean;
  formats?: RigFormat[];
  colorModes?: RigColorMode[];
  resolutions?: number[];
  /** Sheets in the feeder when the rig starts. */
  sheets?: number;
  /** A feeder job's pages as one PDF from the first NextDocument (some MFPs do this), instead of one document per page. */
  pdfWholeBatch?: boolean;
  /**
   * Scanned letters to hand out instead of rendered pages (synthetic-letters.ts): sheet N's front is
   * letter N (cycling), as a scanner sends it, when a job asks for their resolution.
   */
  letters?: { dpi: number; jpegs: Buffer[] };
  /** ScannerStatus says nothing of the feeder (some devices): faults show only in the replies. */
  silentAdf?: boolean;
  /** The largest region, in 1/300 inch (default A4/Legal-capable). */
  maxWidth?: number;
  maxHeight?: number;
}

/** Faults and slowness, changeable while the rig runs. */
export interface RigFaults {
  /** The next this-many ScanJobs requests answer 503 (Retry-After: 1) while ScannerStatus says Testing. */
  warmingUp: number;
  /** The feeder jams when asked for the sheet after this many sheets of a job (NextDocument answers jamStatus). */
  jamAfterSheets: number | null;
  jamStatus: 409 | 500 | 404;
  /** The ADF hatch is open: ScanJobs from the feeder answers 409, ScannerStatus says ScannerAdfHatchOpen. */
  hatchOpen: boolean;
  /** How an empty feeder shows: 409 at ScanJobs (most devices) or a job whose first NextDocument is 404. */
  emptyFeeder: 'scanjobs-409' | 'nextdocument-404';
  /** Each page takes this long to scan. */
  pageMs: number;
  /** While a page is being scanned: hold NextDocument until it is ready, or answer 503 (Retry-After: 1) until then. */
  whileScanning: 'hold' | '503';
  /** After this many documents served in all, the device goes away: connections are cut and the port closed. */
  disappearAfterDocuments: number | null;
  /** The transfer of this document number (1-based, in all) is cut off half way, once. */
  dropDocument: number | null;
}

export interface RigJob {
  id: string;
  settings: { inputSource: string; colorMode: string; format: string; resolution: number; width: number; height: number; duplex: boolean };
  state: 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
  /** The documents served, in order, each with the sheet and side it shows. */
  documents: { sheet: number; side: 'depan' | 'belakang'; bytes: Buffer; contentType: string }[];
}

export interface EsclRig {
  /** The eSCL root (`http://127.0.0.1:port/eSCL`). */
  url: string;
  port: number;
  faults: RigFaults;
  /** Every job created, in order. */
  jobs: RigJob[];
  /** Every request, in order (method and path), for checking what a client did. */
  requests: { method: string; path: string }[];
  /** Puts this many sheets in the feeder. */
  loadFeeder(sheets: number): void;
  sheetsLeft(): number;
  /** The certificate's SHA-256 as Node reports it (colon-separated upper-case hex); undefined over HTTP. */
  certificateSha256(): string | undefined;
  /** The device makes itself a new certificate (after a reset or a firmware update). */
  replaceCertificate(): void;
  close(): Promise<void>;
}

const defaultFaults: RigFaults = {
  warmingUp: 0, jamAfterSheets: null, jamStatus: 409, hatchOpen: false, emptyFeeder: 'scanjobs-409',
  pageMs: 0, whileScanning: 'hold', disappearAfterDocuments: null, dropDocument: null,
};

/** A self-signed certificate as a device makes one (its own name, no authority). */
function selfSignedCertificate(commonName: string): { cert: Buffer; key: Buffer; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'loket-rig-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem',
      '-days', '2', '-subj', `/O=Loket Rig/CN=${commonName}`, '-addext', 'subjectAltName=DNS:loket-rig.local'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const sha256 = execFileSync('openssl', ['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha256'], { cwd: dir, encoding: 'utf8' }).trim().replace(/^.*=/, '');
    return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')), sha256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pageCache = new Map<string, Buffer>();

/**
 * One page as the device would scan it: the region asked for (1/300 inch) at `dpi`, a letter's
 * text with "Lembar N · side" on top; RGB24 as a colour JPEG, gray as a one-component JPEG
 * (cjpeg), as devices send them.
 */
function renderPage(sheet: number, side: 'depan' | 'belakang', settings: RigJob['settings']): Buffer {
  const key = `${sheet}|${side}|${settings.resolution}|${settings.colorMode}|${settings.width}|${settings.height}`;
  const cached = pageCache.get(key);
  if (cached) return cached;
  const dpi = settings.resolution;
  const width = Math.max(1, Math.round((settings.width * dpi) / 300));
  const height = Math.max(1, Math.round((settings.height * dpi) / 300));
  const mm = (v: number) => (v / 25.4) * dpi;
  const pt = (v: number) => (v * dpi) / 72;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fbfbf8';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#161616';
  ctx.font = `bold ${pt(16)}px "Rig Serif"`;
  ctx.fillText(`Lembar ${sheet} · ${side}`, mm(25), mm(22));
  ctx.font = `${pt(11)}px "Rig Serif"`;
  let y = mm(34);
  // Each sheet starts its text at a different line, so no two sheets are the same picture.
  const lines = textPageLines();
  for (let i = 0; y < height - mm(25); i++) {
    ctx.fillText(lines[(i + sheet * 3 + (side === 'belakang' ? 1 : 0)) % lines.length]!, mm(25), y);
    y += pt(16);
  }
  if (settings.colorMode === 'RGB24') {
    // A blue office stamp, so a colour page has colour.
    ctx.strokeStyle = 'rgb(40, 60, 170)';
    ctx.lineWidth = mm(0.8);
    ctx.beginPath();
    ctx.arc(mm(140), Math.min(height - mm(30), mm(240)), mm(16), 0, Math.PI * 2);
    ctx.stroke();
  }
  let jpeg: Buffer;
  if (settings.colorMode === 'RGB24') jpeg = canvas.encodeSync('jpeg', 85);
  else {
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const gray = Buffer.alloc(width * height);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4 + 1]!;
    jpeg = execFileSync('cjpeg', ['-grayscale', '-quality', '85'], { input: Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), gray]), maxBuffer: 1 << 28 });
  }
  const page = jpegWithDensity(jpeg, dpi);
  pageCache.set(key, page);
  return page;
}

async function pdfOf(jpegs: Buffer[], dpi: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const jpeg of jpegs) {
    const image = await pdf.embedJpg(jpeg);
    const size: [number, number] = [(image.width * 72) / dpi, (image.height * 72) / dpi];
    pdf.addPage(size).drawImage(image, { x: 0, y: 0, width: size[0], height: size[1] });
  }
  return Buffer.from(await pdf.save());
}

/** The text of the first element with this local name, whatever its prefix: the rig's own reading, not the driver's. */
function field(xml: string, name: string): string | undefined {
  return new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>\\s*([^<]*?)\\s*</(?:[\\w.-]+:)?${name}>`).exec(xml)?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startEsclRig(options: RigOptions = {}): Promise<EsclRig> {
  const makeAndModel = options.makeAndModel ?? 'Loket eSCL Rig';
  const uuid = options.uuid ?? randomUUID();
  const formats = options.formats ?? ['image/jpeg', 'application/pdf'];
  const colorModes = options.colorModes ?? ['BlackAndWhite1', 'Grayscale8', 'RGB24'];
  const resolutions = options.resolutions ?? [75, 100, 150, 200, 300, 600];
  const platen = options.platen ?? true;
  const adf = options.adf ?? true;
  const duplex = options.duplex ?? true;
  const maxWidth = options.maxWidth ?? 2550;
  const maxHeight = options.maxHeight ?? 4200;
  const faults: RigFaults = { ...defaultFaults };
  const jobs: RigJob[] = [];
  const requests: EsclRig['requests'] = [];
  let sheets = options.sheets ?? 10;
  let served = 0;
  let dropped = false;
  let warmingUpShown = false;
  let gone = false;
  let certificate = options.https ? selfSignedCertificate(makeAndModel) : undefined;
  /** Per job: the next sheet to feed, and its back side still to come in duplex. */
  const progress = new Map<string, { sheetsFed: number; backPending: number | null; nextReadyAt: number; done: boolean }>();

  const inputCaps = () => `
      <scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${maxWidth}</scan:MaxWidth>
      <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${maxHeight}</scan:MaxHeight>
      <scan:MaxScanRegions>1</scan:MaxScanRegions>
      <scan:SettingProfiles><scan:SettingProfile>
        <scan:ColorModes>${colorModes.map((m) => `<scan:ColorMode>${m}</scan:ColorMode>`).join('')}</scan:ColorModes>
        <scan:DocumentFormats>${formats.map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat>`).join('')}${formats.map((f) => `<scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('')}</scan:DocumentFormats>
        <scan:SupportedResolutions><scan:DiscreteResolutions>${resolutions.map((r) => `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`).join('')}</scan:DiscreteResolutions></scan:SupportedResolutions>
      </scan:SettingProfile></scan:SettingProfiles>`;

  const capabilitiesXml = () => `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>${makeAndModel}</pwg:MakeAndModel>
  <pwg:SerialNumber>RIG-0001</pwg:SerialNumber>
  <scan:UUID>${uuid}</scan:UUID>
  <scan:AdminURI></scan:AdminURI>
  ${platen ? `<scan:Platen><scan:PlatenInputCaps>${inputCaps()}</scan:PlatenInputCaps></scan:Platen>` : ''}
  ${adf ? `<scan:Adf><scan:AdfSimplexInputCaps>${inputCaps()}</scan:AdfSimplexInputCaps>${duplex ? `<scan:AdfDuplexInputCaps>${inputCaps()}</scan:AdfDuplexInputCaps>` : ''}<scan:FeederCapacity>50</scan:FeederCapacity><scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${duplex ? '<scan:AdfOption>Duplex</scan:AdfOption>' : ''}</scan:AdfOptions></scan:Adf>` : ''}
</scan:ScannerCapabilities>`;

  const adfState = () => {
    const jammed = jobs.some((j) => j.state === 'Aborted' && progress.get(j.id)?.done === true && faults.jamAfterSheets !== null);
    if (faults.hatchOpen) return 'ScannerAdfHatchOpen';
    if (jammed) return 'ScannerAdfJam';
    return sheets > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
  };

  const statusXml = () => `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus xmlns:scan="${scanNs}" xmlns:pwg="${pwgNs}">
  <pwg:Version>2.63</pwg:Version>
  <pwg:State>${warmingUpShown ? 'Testing' : jobs.some((j) => j.state === 'Processing') ? 'Processing' : 'Idle'}</pwg:State>
  ${adf && !options.silentAdf ? `<scan:AdfState>${adfState()}</scan:AdfState>` : ''}
  <scan:Jobs>${jobs.map((j) => `<scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/${j.id}</pwg:JobUri><pwg:JobUuid>${j.id}</pwg:JobUuid><pwg:ImagesCompleted>${j.documents.length}</pwg:ImagesCompleted><pwg:JobState>${j.state}</pwg:JobState></scan:JobInfo>`).join('')}</scan:Jobs>
</scan:ScannerStatus>`;

  const sockets = new Set<Socket>();
  const send = (res: ServerResponse, status: number, body: string | Buffer = '', headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...(body.length > 0 ? { 'Content-Length': String(Buffer.byteLength(body)) } : { 'Content-Length': '0' }), ...headers });
    res.end(body);
  };

  async function nextDocument(job: RigJob, res: ServerResponse): Promise<void> {
    const state = progress.get(job.id)!;
    if (job.state === 'Canceled') return send(res, 410);
    if (job.state === 'Aborted') return send(res, faults.jamStatus);
    if (state.done || job.state === 'Completed') {
      job.state = 'Completed';
      return send(res, 404);
    }
    const feeder = job.settings.inputSource === 'Feeder';
    let sheet: number;
    let side: 'depan' | 'belakang';
    if (feeder && state.backPending !== null) {
      sheet = state.backPending;
      side = 'belakang';
    } else if (feeder) {
      if (sheets === 0) {
        state.done = true;
        job.state = 'Completed';
        return send(res, 404);
      }
      if (faults.jamAfterSheets !== null && state.sheetsFed >= faults.jamAfterSheets) {
        state.done = true;
        job.state = 'Aborted';
        return send(res, faults.jamStatus);
      }
      sheet = state.sheetsFed + 1;
      side = 'depan';
    } else {
      sheet = 1;
      side = 'depan';
    }
    // A slow device: the page is not ready before nextReadyAt.
    if (faults.pageMs > 0) {
      if (state.nextReadyAt === 0) state.nextReadyAt = Date.now() + faults.pageMs;
      const wait = state.nextReadyAt - Date.now();
      if (wait > 0) {
        if (faults.whileScanning === '503') return send(res, 503, '', { 'Retry-After': '1' });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      state.nextReadyAt = 0;
    }
    if (faults.disappearAfterDocuments !== null && served >= faults.disappearAfterDocuments) {
      disappear();
      return;
    }
    const page = (n: number, s: 'depan' | 'belakang') => {
      const letters = options.letters;
      if (letters !== undefined && s === 'depan' && job.settings.resolution === letters.dpi) return letters.jpegs[(n - 1) % letters.jpegs.length]!;
      return renderPage(n, s, job.settings);
    };
    let pages = [{ sheet, side, bytes: page(sheet, side) }];
    if (feeder && options.pdfWholeBatch && job.settings.format === 'application/pdf') {
      // Every sheet of the feeder in one document.
      pages = [];
      for (let s = sheet; s <= sheets + state.sheetsFed; s++) {
        pages.push({ sheet: s, side: 'depan', bytes: page(s, 'depan') });
        if (job.settings.duplex) pages.push({ sheet: s, side: 'belakang', bytes: page(s, 'belakang') });
      }
    }
    const contentType = job.settings.format;
    const body = contentType === 'application/pdf' ? await pdfOf(pages.map((p) => p.bytes), job.settings.resolution) : pages[0]!.bytes;
    served++;
    if (faults.dropDocument === served && !dropped) {
      // Cut off half way; the document stays the next one, as NAPS2's server keeps it for a retry.
      dropped = true;
      served--;
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    for (const p of pages) job.documents.push({ sheet: p.sheet, side: p.side, bytes: body, contentType });
    if (feeder) {
      if (pages.length > 1) {
        sheets = 0;
        state.sheetsFed += pages.filter((p) => p.side === 'depan').length;
        state.done = true;
      } else if (side === 'depan') {
        sheets--;
        state.sheetsFed++;
        state.backPending = job.settings.duplex ? sheet : null;
      } else state.backPending = null;
    } else state.done = true;
    send(res, 200, body, { 'Content-Type': contentType, 'Content-Location': `/eSCL/ScanJobs/${job.id}/${job.documents.length}` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://rig').pathname.replace(/\/+$/, '');
    requests.push({ method: req.method ?? '', path });
    const body = await readBody(req);
    if (req.method === 'GET' && path === '/eSCL/ScannerCapabilities') return send(res, 200, capabilitiesXml(), { 'Content-Type': 'text/xml' });
    if (req.method === 'GET' && path === '/eSCL/ScannerStatus') return send(res, 200, statusXml(), { 'Content-Type': 'text/xml' });
    if (req.method === 'POST' && path === '/eSCL/ScanJobs') {
      if (faults.warmingUp > 0) {
        faults.warmingUp--;
        warmingUpShown = faults.warmingUp > 0;
        return send(res, 503, '', { 'Retry-After': '1' });
      }
      warmingUpShown = false;
      const settings: RigJob['settings'] = {
        inputSource: field(body, 'InputSource') ?? 'Platen',
        colorMode: field(body, 'ColorMode') ?? 'RGB24',
        format: field(body, 'DocumentFormatExt') ?? field(body, 'DocumentFormat') ?? 'image/jpeg',
        resolution: Number(field(body, 'XResolution') ?? 300),
        width: Number(field(body, 'Width') ?? 2550),
        height: Number(field(body, 'Height') ?? 3508),
        duplex: field(body, 'Duplex') === 'true',
      };
      const feeder = settings.inputSource === 'Feeder';
      const offered = (feeder ? adf : platen && settings.inputSource === 'Platen') && (!settings.duplex || duplex)
        && colorModes.includes(settings.colorMode as RigColorMode) && formats.includes(settings.format as RigFormat)
        && resolutions.includes(settings.resolution) && Number(field(body, 'YResolution') ?? settings.resolution) === settings.resolution
        && settings.width > 0 && settings.height > 0 && settings.width <= maxWidth && settings.height <= maxHeight;
      if (!offered) return send(res, 409);
      if (feeder && (faults.hatchOpen || (sheets === 0 && faults.emptyFeeder === 'scanjobs-409'))) return send(res, 409);
      if (jobs.some((j) => j.state === 'Processing')) return send(res, 503, '', { 'Retry-After': '2' });
      const job: RigJob = { id: randomUUID(), settings, state: 'Processing', documents: [] };
      jobs.push(job);
      progress.set(job.id, { sheetsFed: 0, backPending: null, nextReadyAt: 0, done: false });
      // Absolute, built from the Host the client sent (as NAPS2's server and many devices do).
      const scheme = certificate ? 'https' : 'http';
      return send(res, 201, '', { Location: `${scheme}://${req.headers.host ?? `127.0.0.1:${port}`}/eSCL/ScanJobs/${job.id}` });
    }
    const jobMatch = /^\/eSCL\/ScanJobs\/([\w-]+)(\/NextDocument)?$/.exec(path);
    const job = jobMatch ? jobs.find((j) => j.id === jobMatch[1]) : undefined;
    if (jobMatch && job === undefined) return send(res, 404);
    if (job && jobMatch?.[2] && req.method === 'GET') return nextDocument(job, res);
    if (job && !jobMatch?.[2] && req.method === 'DELETE') {
      if (job.state !== 'Processing') return send(res, 404);
      job.state = 'Canceled';
      return send(res, 200);
    }
    return send(res, 404);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, String(err));
      else res.destroy();
    });
  };
  const server = certificate ? https.createServer({ cert: certificate.cert, key: certificate.key }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function disappear(): void {
    if (gone) return;
    gone = true;
    server.close();
    for (const socket of sockets) socket.destroy();
  }

  return {
    url: `${certificate ? 'https' : 'http'}://127.0.0.1:${port}/eSCL`,
    port,
    faults,
    jobs,
    requests,
    loadFeeder(n) {
      sheets = n;
    },
    sheetsLeft: () => sheets,
    certificateSha256: () => certificate?.sha256,
    replaceCertificate() {
      if (!certificate) throw new Error('the rig serves HTTP');
      certificate = selfSignedCertificate(makeAndModel);
      (server as https.Server).setSecureContext({ cert: certificate.cert, key: certificate.key });
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      if (!gone) {
        gone = true;
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
