// The printed lembar disposisi (A4 or A5 portrait), as offices still file it on paper: the office,
// the letter's agenda data (sender, number and date, received date, agenda number, sifat, subject)
// and every disposition of its trail in order — from whom, to whom, tembusan, instructions, notes,
// due date, when read and done, the reports. Set in the embedded DejaVu fonts, like the agenda book.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Trail } from '../../../common/ipc/disposition.ts';
import { defaultResourcesDir } from '../numbering/classifications.ts';
import { longDate, securityText, urgencyText, wrap } from '../incoming/agenda-book-pdf.ts';
import { formatDay, type OfficeTimeZone } from '../../../common/dates.ts';

const papers = { A4: [595.28, 841.89], A5: [419.53, 595.28] } as const;

export interface SheetOptions {
  paper: keyof typeof papers;
  officeName: string;
  /** When it was printed, in the footer. */
  printedAt: string;
  /** The office's time zone: the day a moment falls on there. */
  timeZone: OfficeTimeZone;
  resourcesDir?: string;
}

export async function dispositionSheetPdf(trail: Trail, options: SheetOptions): Promise<Uint8Array> {
  /** 2026-03-02T09:15:00.000Z → 2 Maret 2026, the day at the office. */
  const day = (iso: string | null) => (iso ? formatDay(iso, options.timeZone, 'id', 'long') : '');
  const fonts = join(options.resourcesDir ?? defaultResourcesDir, 'fonts');
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`Lembar Disposisi ${trail.letter.agenda ?? ''}`.trim());
  pdf.setProducer('Loket');
  const regular = await pdf.embedFont(readFileSync(join(fonts, 'DejaVuSans.ttf')), { subset: true });
  const bold = await pdf.embedFont(readFileSync(join(fonts, 'DejaVuSans-Bold.ttf')), { subset: true });
  const [width, height] = papers[options.paper];
  const small = options.paper === 'A5';
  const margin = small ? 28 : 40;
  const size = small ? 7.5 : 9.5;
  const line = size * 1.35;
  const inner = width - 2 * margin;
  let page: PDFPage = pdf.addPage([width, height]);
  let y = height - margin;

  const need = (h: number) => {
    if (y - h >= margin + line * 2) return;
    page = pdf.addPage([width, height]);
    y = height - margin;
  };
  const text = (s: string, x: number, font: PDFFont, sz = size) => page.drawText(s, { x, y: y - sz, size: sz, font, color: rgb(0.1, 0.12, 0.15) });
  /** A paragraph wrapped to `w` from `x`; returns its height. */
  const para = (s: string, x: number, w: number, font: PDFFont = regular) => {
    const lines = s.split('\n').flatMap((p) => wrap(p, font, size, w));
    need(lines.length * line);
    for (const l of lines) { text(l, x, font); y -= line; }
  };
  const rule = () => { page.drawLine({ start: { x: margin, y }, end: { x: width - margin, y }, thickness: 0.6, color: rgb(0.4, 0.45, 0.5) }); y -= line * 0.6; };

  // Heading.
  const title = 'LEMBAR DISPOSISI';
  text(options.officeName.toUpperCase(), margin + (inner - bold.widthOfTextAtSize(options.officeName.toUpperCase(), size + 1)) / 2, bold, size + 1);
  y -= line * 1.3;
  text(title, margin + (inner - bold.widthOfTextAtSize(title, size + 3)) / 2, bold, size + 3);
  y -= line * 1.8;
  rule();

  // The letter's agenda data, as label : value rows.
  const l = trail.letter;
  const rows: [string, string][] = [
    ['Surat dari', l.withheld ? '(rahasia)' : l.sender],
    ['Nomor surat', l.letterNumber ?? '—'],
    ['Tanggal surat', longDate(l.letterDate) || '—'],
    ['Diterima tanggal', day(l.receivedAt) || '—'],
    ['Nomor agenda', l.agenda ?? '—'],
    // Urgency and security on rows of their own: both are often "Biasa", and "Biasa, Biasa" reads as a slip.
    ['Sifat', urgencyText[l.urgency]],
    ['Klasifikasi keamanan', securityText[l.security]],
    ['Perihal', l.withheld ? '(rahasia — isi hanya untuk yang dituju)' : l.subject],
  ];
  const labelWidth = inner * 0.28;
  for (const [label, value] of rows) {
    const lines = wrap(value, regular, size, inner - labelWidth - 10);
    need(lines.length * line);
    text(label, margin, bold);
    text(':', margin + labelWidth - 6, regular);
    for (const v of lines) { text(v, margin + labelWidth + 4, regular); y -= line; }
  }
  y -= line * 0.4;
  rule();

  // The trail, in order, indented by how far down it was passed.
  para(`Status: ${{ registered: 'Tercatat, belum didisposisikan', in_disposition: 'Dalam disposisi', done: 'Selesai ditindaklanjuti' }[trail.state]}`, margin, inner, bold);
  y -= line * 0.3;
  for (const [i, n] of trail.nodes.entries()) {
    const x = margin + Math.min(n.depth, 4) * (small ? 10 : 16);
    const w = width - margin - x;
    need(line * 4);
    para(`${i + 1}. Dari ${n.from.title}${n.from.holderName ? ` (${n.from.holderName})` : ''}, ${day(n.createdAt)}${n.cancelledAt ? ' — DIBATALKAN' : ''}`, x, w, bold);
    const to = n.recipients.filter((r) => r.kind === 'to');
    const cc = n.recipients.filter((r) => r.kind === 'cc');
    para(`Kepada: ${to.map((r) => `${r.title}${r.holderName ? ` (${r.holderName})` : ''}`).join('; ')}`, x + 8, w - 8);
    if (cc.length > 0) para(`Tembusan: ${cc.map((r) => r.title).join('; ')}`, x + 8, w - 8);
    if (n.instructions.length > 0) para(`Instruksi: ${n.instructions.join('; ')}`, x + 8, w - 8);
    if (n.note) para(`Catatan: ${n.note}`, x + 8, w - 8);
    para(`Sifat: ${urgencyText[n.urgency]}${n.dueDate ? ` · Batas waktu: ${longDate(n.dueDate)}` : ''}`, x + 8, w - 8);
    for (const r of to) {
      const state = r.doneAt ? `selesai ${day(r.doneAt)}` : r.readAt ? `dibaca ${day(r.readAt)}` : 'belum dibaca';
      para(`${r.title}: ${state}${r.reportNote ? ` — Laporan: ${r.reportNote}` : ''}`, x + 8, w - 8);
      // The file itself stays in Loket; the paper says there is one, and which.
      if (r.hasReportFile) para(`Lampiran laporan: ${r.reportFileName ?? 'satu berkas'} (tersimpan di Loket)`, x + 16, w - 16);
    }
    y -= line * 0.4;
  }
  if (trail.nodes.length === 0) para('Belum ada disposisi.', margin, inner);

  // Footer on every page: validity without a wet signature, and when it was printed.
  const footer = `Disposisi ini sah melalui Loket dengan masuk sebagai pejabat yang bersangkutan, tanpa tanda tangan basah. Dicetak ${day(options.printedAt)}.`;
  const pages = pdf.getPages();
  for (const [i, p] of pages.entries()) {
    const lines = wrap(`${footer} Halaman ${i + 1} dari ${pages.length}.`, regular, size - 1.5, inner);
    lines.forEach((s, k) => p.drawText(s, { x: margin, y: margin - 4 - k * (size - 0.5), size: size - 1.5, font: regular, color: rgb(0.35, 0.38, 0.42) }));
  }
  return pdf.save();
}
