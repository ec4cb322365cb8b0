// The visible signature stamp: who signed (name, NIP, position), when, the words "Ditandatangani
// secara elektronik", and a QR code whose URL opens the letter's page on the office server's public
// verification page (/verifikasi).
// Drawn as plain PDF operators (Helvetica, filled squares for the QR) so no font or image is embedded.
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { formatMoment, type OfficeTimeZone } from '../../../common/dates.ts';

export interface StampText {
  name: string;
  nip: string;
  /** Jabatan, e.g. "Kepala Dinas Komunikasi dan Informatika". */
  position: string;
  signedAt: Date;
}

export interface StampOptions extends StampText {
  /**
   * The office server's public verification page; the letter's id is added as the query parameter
   * `id`. null when the desk knows no such page: the QR then names the letter only (urn:uuid:…),
   * a code that cannot be checked until the letter reaches a server.
   */
  verificationUrl: string | null;
  documentId: string;
  /** The office's time zone: the signing time as the office reads it, with WIB/WITA/WIT. */
  timeZone: OfficeTimeZone;
}

export const stampSize = { width: 260, height: 86 } as const;

/**
 * What the QR code carries. Only the letter's id: the signed file's hash cannot be inside the file it
 * is the hash of, and the verification page holds it (recorded by the desk at signing and synced).
 */
export function verificationLink(options: Pick<StampOptions, 'verificationUrl' | 'documentId'>): string {
  if (options.verificationUrl === null) return `urn:uuid:${options.documentId}`;
  const url = new URL(options.verificationUrl);
  url.searchParams.set('id', options.documentId);
  return url.toString();
}

/** PDF literal string in WinAnsi (Latin-1 range); characters outside it become '?'. */
function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    const c = code > 0xff ? '?' : ch;
    out += c === '(' || c === ')' || c === '\\' ? `\\${c}` : c;
  }
  return `(${out})`;
}

/** Shortens a line to roughly fit `width` points (Helvetica averages about half an em per character). */
function fit(text: string, size: number, width: number): string {
  const max = Math.floor(width / (size * 0.5));
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3))}...`;
}

/** "5 Desember 2026 06.30 WITA": when it was signed, at the office. */
export function stampDate(date: Date, zone: OfficeTimeZone): string {
  return formatMoment(date, zone, 'id', 'long');
}

/** The content stream of the stamp's appearance (a form XObject of stampSize), and the URL in its QR. */
export function stampContent(options: StampOptions): { content: string; url: string } {
  const url = verificationLink(options);
  const { width, height } = stampSize;
  // The whole URL as one byte-mode segment: working out the optimal mix of modes took longer than
  // the rest of the stamp, and for our URLs (hex id and hash) it gives the same symbol version.
  const qr = QRCode.create([{ data: Buffer.from(url), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const qrSide = height - 6;
  const cell = qrSide / (n + 2 * quiet);
  const ops: string[] = ['q', '1 1 1 rg', `0 0 ${width} ${height} re f`, '0.2 0.2 0.2 RG 0.8 w', `0.4 0.4 ${width - 0.8} ${height - 0.8} re S`, '0 0 0 rg'];
  // The QR in module units (one unit per module, row 0 at the top), each run of dark modules in a
  // row one rectangle, all filled at once so no seam shows between neighbours.
  ops.push('q', `${cell.toFixed(4)} 0 0 ${cell.toFixed(4)} ${(3 + quiet * cell).toFixed(3)} ${(3 + quiet * cell).toFixed(3)} cm`);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(row, col)) continue;
      const start = col;
      while (col + 1 < n && qr.modules.get(row, col + 1)) col++;
      ops.push(`${start} ${n - 1 - row} ${col + 1 - start} 1 re`);
    }
  }
  ops.push('f', 'Q');
  const textX = qrSide + 10;
  const textWidth = width - textX - 4;
  const lines: [font: string, size: number, text: string][] = [
    ['F2', 7.5, 'Ditandatangani secara elektronik'],
    ['F1', 7, `pada ${stampDate(options.signedAt, options.timeZone)}`],
    ['F2', 8.5, options.name],
    // An official without a NIP on record (a non-civil-servant head, a desk without accounts) gets no empty "NIP" line.
    ...(options.nip.trim() === '' ? [] : [['F1', 7.5, `NIP ${options.nip}`] as [string, number, string]]),
    ['F1', 7.5, options.position],
  ];
  let y = height - 14;
  ops.push('BT');
  for (const [font, size, text] of lines) {
    ops.push(`/${font} ${size} Tf 1 0 0 1 ${textX} ${y.toFixed(2)} Tm ${pdfText(fit(text, size, textWidth))} Tj`);
    y -= size + 6;
  }
  ops.push('ET', 'Q');
  return { content: ops.join('\n'), url };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
