// Periksa cannot be fooled: letters signed on the token (SoftHSM) at B-B, B-T and B-LT, with a
// cross-reference stream or a classic table, are altered every way we could think of — hand-made
// incremental updates, rewrites and incremental edits by qpdf, pdf-lib and MuPDF — and each result
// is judged by poppler's pdfsig, by `mutool sign -v` and by our validator. Both tools report any
// bytes after a signature as "edits" (they do not tell validation data from a changed page), so
// agreement means: where they see no edits we report the whole document; where their digest fails
// our integrity fails; where they see edits we report a change or name the allowed additions; and
// every alteration built to change the document is "changed after signing" for us, named by page or
// object. The agreement table is printed at the end.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { addLongTermValidation } from '../../main/sign/pades/long-term.ts';
import { signPdf } from '../../main/sign/pades/sign.ts';
import { httpTimestamper } from '../../main/sign/pades/timestamp.ts';
import { validatePdf, type SignatureReport, type ValidationReport } from '../../main/sign/pades/validate.ts';
import { mutoolEdit, mutoolVerify } from '../support/mutool.ts';
import { createNssTrustStore, pdfsig } from '../support/pdfsig.ts';
import { certify, documentTimestamp, emptySignatureField } from '../support/pdf-signature-fields.ts';
import { appendRawUpdate, inspect, lastStartxref, streamBody } from '../support/pdf-tamper.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startOcspResponder, startTimestampAuthority, type OcspResponder, type TimestampAuthority } from '../support/trust-services.ts';

type Style = 'stream' | 'table';
type Level = 'B-B' | 'B-T' | 'B-LT';
interface Base {
  style: Style;
  level: Level;
  /** The unsigned letter. */
  letter: Uint8Array;
  pdf: Uint8Array;
  /** Offset of a dead copy of page 1's content object in the classic letter (a "shadow" left before signing). */
  hiddenContentAt: number | null;
}
/** changed: altered after signing; modified: the signed bytes themselves no longer match; allowed: only what the rules allow was added; permitted: DocMDP allows it (a warning). */
type Expect = 'changed' | 'modified' | 'allowed' | 'permitted';
interface Case {
  name: string;
  tool: 'tangan' | 'qpdf' | 'pdf-lib' | 'mutool' | 'loket';
  expect: Expect;
  styles?: Style[];
  /** What our report must name (a change's description). */
  names?: RegExp;
  make(base: Base): Promise<Uint8Array> | Uint8Array;
}

let token: TestToken;
let session: TokenSession;
let tsa: TimestampAuthority;
let ocsp: OcspResponder;
let nssDir: string;
let work: string;
let anchors: Uint8Array[];
const bases: Base[] = [];
const table: string[][] = [];

const redBox = '0 0 1 rg 60 600 300 60 re f';

async function letterPdf(objectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('PEMERINTAH KABUPATEN CONTOH', { x: 170, y: 780, size: 14, font });
  page.drawText('Nomor: 800/123/DISKOMINFO/2026 — Hal: Undangan rapat', { x: 60, y: 720, size: 10, font });
  return doc.save({ useObjectStreams: objectStreams });
}

/** A classic-table letter with a dead copy of its page content object before the table: bytes no xref points to, yet. */
async function shadowedLetter(): Promise<{ pdf: Uint8Array; hiddenAt: number }> {
  const plain = Buffer.from(await letterPdf(false));
  const ins = await inspect(plain);
  const content = ins.contentsOf(ins.pageRefs[0]!).objectNumber;
  const xrefAt = lastStartxref(plain);
  const hidden = Buffer.from(`${content} 0 obj\n`, 'latin1');
  const shadow = Buffer.concat([hidden, streamBody('', redBox), Buffer.from('\nendobj\n', 'latin1')]);
  const tail = plain.subarray(xrefAt).toString('latin1').replace(/startxref\s+\d+/, `startxref\n${xrefAt + shadow.length}`);
  return { pdf: new Uint8Array(Buffer.concat([plain.subarray(0, xrefAt), shadow, Buffer.from(tail, 'latin1')])), hiddenAt: xrefAt };
}

const stamp = {
  at: { page: 1, x: 300, y: 90 }, name: 'Budi Santoso, S.Kom., M.T.', nip: '198001012005011001',
  position: 'Kepala Dinas Komunikasi dan Informatika', verificationUrl: 'https://eoffice.contoh.go.id/verifikasi', documentId: '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59',
  timeZone: 'Asia/Jakarta' as const,
};

beforeAll(async () => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  work = join(token.dir, 'corpus');
  mkdirSync(work);
  nssDir = createNssTrustStore(join(token.dir, 'nss'), token.ca.certPath);
  session = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
  ocsp = await startOcspResponder(token.ca, join(token.dir, 'ocsp'), [{ der: token.keys.rsa.certificate.der }, { der: tsa.certificateDer }]);
  anchors = [token.ca.certDer];
  const shadowed = await shadowedLetter();
  for (const style of ['stream', 'table'] as const) {
    const letter = style === 'stream' ? await letterPdf(true) : shadowed.pdf;
    const bb = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp });
    const bt = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp, timestamper: httpTimestamper(tsa.url) });
    const blt = await addLongTermValidation(bt.pdf, { trustAnchors: anchors, ocspUrl: ocsp.url });
    const hiddenContentAt = style === 'table' ? shadowed.hiddenAt : null;
    bases.push({ style, level: 'B-B', letter, pdf: bb.pdf, hiddenContentAt }, { style, level: 'B-T', letter, pdf: bt.pdf, hiddenContentAt }, { style, level: 'B-LT', letter, pdf: blt.pdf, hiddenContentAt });
  }
}, 300_000);

afterAll(async () => {
  if (table.length > 0) {
    const header = ['kasus', 'alat', 'dasar', 'pdfsig', 'mutool sign -v', 'Loket', 'yang disebut', 'sepakat'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
    const text = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...table.map(line)].join('\n');
    writeFileSync(join(work, '..', 'agreement.txt'), text);
    console.log(`\nAgreement with pdfsig and mutool (${table.length} files):\n${text}\n`);
  }
  await tsa?.stop();
  await ocsp?.stop();
  session?.close();
  token?.cleanup();
});

// ---- what an altering tool reads from the signed letter ----

async function signatureField(pdf: Uint8Array): Promise<{ field: PDFRef; sig: PDFRef; appearance: PDFRef; acroForm: PDFRef }> {
  const ins = await inspect(pdf);
  const catalog = ins.lookup(ins.root) as PDFDict;
  const acroForm = catalog.get(PDFName.of('AcroForm')) as PDFRef;
  const fields = (ins.lookup(acroForm) as PDFDict).get(PDFName.of('Fields')) as PDFArray;
  const field = fields.get(0) as PDFRef;
  const dict = ins.lookup(field) as PDFDict;
  const ap = dict.get(PDFName.of('AP')) as PDFDict;
  return { field, sig: dict.get(PDFName.of('V')) as PDFRef, appearance: ap.get(PDFName.of('N')) as PDFRef, acroForm };
}

/** The text of object `num` as the file's last definition of it writes it (uncompressed objects only). */
function rawObject(pdf: Uint8Array, num: number): string {
  const text = Buffer.from(pdf).toString('latin1');
  const at = [...text.matchAll(new RegExp(`(?:^|\\s)${num} 0 obj\\s`, 'g'))].at(-1)!.index!;
  const start = text.indexOf('obj', at) + 3;
  return text.slice(start, text.indexOf('endobj', start));
}

function tool(command: string, args: string[], pdf: Uint8Array, name: string): Uint8Array {
  const input = join(work, `${name}-in.pdf`);
  const output = join(work, `${name}-out.pdf`);
  writeFileSync(input, pdf);
  execFileSync(command, [...args.map((a) => a.replace('{in}', input).replace('{out}', output))], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(output));
}

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}-${++counter}`;

// ---- the corpus ----

const cases: Case[] = [
  {
    name: 'isi halaman diganti', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.contentsOf(ins.pageRefs[0]!).objectNumber, body: streamBody('', redBox) }]);
    },
  },
  {
    name: 'isi halaman ditambah (aliran isi kedua)', tool: 'tangan', expect: 'changed', names: /Halaman 1 diubah: isi halaman/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      const content = ins.contentsOf(page);
      return appendRawUpdate(pdf, [
        { num: ins.size, body: streamBody('', redBox) },
        { num: page.objectNumber, body: ins.dictText(page, (d) => d.set(PDFName.of('Contents'), ins.doc.context.obj([content, PDFRef.of(ins.size)]))) },
      ], { xref: 'stream' });
    },
  },
  {
    name: 'ukuran halaman diubah', tool: 'tangan', expect: 'changed', names: /ukuran halaman/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [{ num: page.objectNumber, body: ins.dictText(page, (d) => d.set(PDFName.of('MediaBox'), ins.doc.context.obj([0, 0, 300, 300]))) }]);
    },
  },
  {
    name: 'huruf diganti (sumber daya)', tool: 'tangan', expect: 'changed', names: /halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const resources = (ins.lookup(ins.pageRefs[0]!) as PDFDict).lookup(PDFName.of('Resources'), PDFDict);
      const fonts = resources.lookup(PDFName.of('Font'), PDFDict);
      const font = fonts.get(fonts.keys()[0]!) as PDFRef;
      return appendRawUpdate(pdf, [{ num: font.objectNumber, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]);
    },
  },
  {
    name: 'anotasi "DIBATALKAN" ditambahkan', tool: 'tangan', expect: 'changed', names: /Anotasi baru ditambahkan di halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [
        { num: ins.size, body: '<< /Type /Annot /Subtype /FreeText /Rect [60 600 400 660] /Contents (DIBATALKAN) /DA (/Helv 24 Tf 1 0 0 rg) >>' },
        { num: page.objectNumber, body: ins.dictText(page, (d) => (d.get(PDFName.of('Annots')) as PDFArray).push(PDFRef.of(ins.size))) },
      ]);
    },
  },
  {
    name: 'tampilan cap tanda tangan diganti', tool: 'tangan', expect: 'changed', names: /Tampilan kolom "TandaTangan1"/,
    async make({ pdf }) {
      const { appearance } = await signatureField(pdf);
      return appendRawUpdate(pdf, [{ num: appearance.objectNumber, body: streamBody('/Type /XObject /Subtype /Form /BBox [0 0 260 86]', '1 0 0 rg 0 0 260 86 re f') }]);
    },
  },
  {
    name: 'JavaScript saat dibuka (/OpenAction)', tool: 'tangan', expect: 'changed', names: /OpenAction/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.root.objectNumber, body: ins.dictText(ins.root).replace(/>>\s*$/, '/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>') }]);
    },
  },
  {
    name: 'JavaScript di /Names', tool: 'tangan', expect: 'changed', names: /Names/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.root.objectNumber, body: ins.dictText(ins.root).replace(/>>\s*$/, '/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (1) >>] >> >> >>') }], { xref: 'stream' });
    },
  },
  {
    name: 'halaman ditambahkan', tool: 'tangan', expect: 'changed', names: /Susunan halaman/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [
        { num: ins.size, body: streamBody('', redBox) },
        { num: ins.size + 1, body: `<< /Type /Page /Parent ${ins.pagesRef.objectNumber} 0 R /MediaBox [0 0 595 842] /Contents ${ins.size} 0 R >>` },
        { num: ins.pagesRef.objectNumber, body: ins.dictText(ins.pagesRef, (d) => {
          (d.get(PDFName.of('Kids')) as PDFArray).push(PDFRef.of(ins.size + 1));
          d.set(PDFName.of('Count'), PDFNumber.of(2));
        }) },
      ]);
    },
  },
  {
    name: 'halaman dihapus', tool: 'tangan', expect: 'changed', names: /Susunan halaman/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.pagesRef.objectNumber, body: '<< /Type /Pages /Kids [] /Count 0 >>' }]);
    },
  },
  {
    name: 'menyamar sebagai data validasi (DSS + isi halaman)', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const catalog = ins.dictText(ins.root, (d) => d.set(PDFName.of('DSS'), PDFRef.of(ins.size)));
      return appendRawUpdate(pdf, [
        { num: ins.size, body: `<< /Certs [${ins.size + 1} 0 R] >>` },
        { num: ins.size + 1, body: streamBody('', Buffer.from(token.ca.certDer)) },
        { num: ins.root.objectNumber, body: catalog },
        { num: ins.contentsOf(ins.pageRefs[0]!).objectNumber, body: streamBody('', redBox) },
      ], { xref: 'stream' });
    },
  },
  {
    name: 'isi halaman diganti dan didaftarkan di /DSS', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const content = ins.contentsOf(ins.pageRefs[0]!).objectNumber;
      return appendRawUpdate(pdf, [
        { num: ins.size, body: `<< /Certs [${content} 0 R] >>` },
        { num: ins.root.objectNumber, body: ins.dictText(ins.root, (d) => d.set(PDFName.of('DSS'), PDFRef.of(ins.size))) },
        { num: content, body: streamBody('', redBox) },
      ]);
    },
  },
  {
    name: 'halaman ditulis ulang di aliran objek baru', tool: 'tangan', expect: 'changed', names: /Halaman 1 diubah: ukuran halaman/, styles: ['stream'],
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [{ num: page.objectNumber, body: ins.dictText(page, (d) => d.set(PDFName.of('MediaBox'), ins.doc.context.obj([0, 0, 300, 300]))) }], { xref: 'stream', compress: [page.objectNumber] });
    },
  },
  {
    name: 'aliran objek lama ditulis ulang (nomornya dipakai lagi)', tool: 'tangan', expect: 'changed', names: /Sumber daya \(huruf, gambar\) halaman 1/, styles: ['stream'],
    async make({ pdf }) {
      // The object stream holding page 1's font gets a new definition; the font itself is not listed in the new xref.
      const ins = await inspect(pdf);
      const fonts = (ins.lookup(ins.pageRefs[0]!) as PDFDict).lookup(PDFName.of('Resources'), PDFDict).lookup(PDFName.of('Font'), PDFDict);
      const font = (fonts.get(fonts.keys()[0]!) as PDFRef).objectNumber;
      const text = Buffer.from(pdf).toString('latin1');
      for (const m of text.matchAll(/(\d+) 0 obj\s*<<([^>]*\/Type\s*\/ObjStm[^>]*)>>\s*stream\r?\n/g)) {
        const length = Number(/\/Length (\d+)/.exec(m[2]!)![1]);
        const first = Number(/\/First (\d+)/.exec(m[2]!)![1]);
        const data = inflateSync(Buffer.from(pdf.subarray(m.index! + m[0].length, m.index! + m[0].length + length))).toString('latin1');
        const numbers = data.slice(0, first).trim().split(/\s+/).map(Number).filter((_, i) => i % 2 === 0);
        if (!numbers.includes(font)) continue;
        let header = '';
        let body = '';
        for (const num of numbers) {
          header += `${num} ${body.length} `;
          body += `${num === font ? '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' : ins.lookup(PDFRef.of(num))!.toString()}\n`;
        }
        return appendRawUpdate(pdf, [{ num: Number(m[1]), body: streamBody(`/Type /ObjStm /N ${numbers.length} /First ${header.length}`, header + body) }], { xref: 'stream' });
      }
      throw new Error('the font is in no object stream');
    },
  },
  {
    name: 'tabel rujukan diarahkan ke salinan tersembunyi (shadow)', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/, styles: ['table'],
    async make({ pdf, hiddenContentAt }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [], { pointAt: { [ins.contentsOf(ins.pageRefs[0]!).objectNumber]: hiddenContentAt! } });
    },
  },
  {
    name: 'tabel rujukan diarahkan ke halaman sebelum ditandatangani (cap hilang)', tool: 'tangan', expect: 'changed', names: /dihapus dari halaman 1/, styles: ['table'],
    async make({ pdf, letter }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!.objectNumber;
      const at = Buffer.from(letter).indexOf(`\n${page} 0 obj`, 0, 'latin1') + 1;
      return appendRawUpdate(pdf, [], { pointAt: { [page]: at } });
    },
  },
  {
    name: 'objek isi halaman dibebaskan (free)', tool: 'tangan', expect: 'changed', names: /Isi halaman 1 dihapus/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [], { free: [ins.contentsOf(ins.pageRefs[0]!).objectNumber], xref: 'stream' });
    },
  },
  {
    name: 'katalog diganti lewat /Root', tool: 'tangan', expect: 'changed', names: /Katalog dokumen diganti/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.size, body: ins.dictText(ins.root).replace(/>>\s*$/, '/OpenAction [0 0 R /Fit] >>') }], { trailer: { Root: `${ins.size} 0 R` } });
    },
  },
  {
    name: 'informasi dokumen (/Info) diganti', tool: 'tangan', expect: 'changed', names: /Informasi dokumen/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.size, body: '<< /Title (Surat yang lain) /Author (Bukan Budi) >>' }], { trailer: { Info: `${ins.size} 0 R` } });
    },
  },
  {
    name: 'byte tambahan setelah %%EOF (komentar)', tool: 'tangan', expect: 'changed', names: /setelah akhir dokumen/,
    make: ({ pdf }) => new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from('% catatan yang tidak ditandatangani\n')])),
  },
  {
    name: 'objek halaman setelah %%EOF tanpa xref', tool: 'tangan', expect: 'changed', names: /setelah akhir dokumen/,
    make: ({ pdf }) => new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from('99 0 obj\n<< /Type /Page >>\nendobj\n')])),
  },
  {
    name: 'spasi setelah %%EOF', tool: 'tangan', expect: 'changed', names: /setelah akhir dokumen/,
    make: ({ pdf }) => new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from('\n\n  \n')])),
  },
  {
    name: 'isi halaman diubah lalu dikembalikan di pembaruan berikutnya', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const content = ins.contentsOf(ins.pageRefs[0]!).objectNumber;
      const original = ins.streamOf(PDFRef.of(content));
      const changed = await appendRawUpdate(pdf, [{ num: content, body: streamBody('', redBox) }]);
      return appendRawUpdate(changed, [{ num: content, body: streamBody(original.dict, original.data) }], { xref: 'stream' });
    },
  },
  {
    name: 'ekor berkas disalin (startxref menunjuk ke belakang)', tool: 'tangan', expect: 'changed', names: /bukan pembaruan dokumen yang sah/,
    make: ({ pdf }) => new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from('% tambahan\n'), Buffer.from(pdf.subarray(pdf.length - 200))])),
  },
  {
    name: '/Prev melompati revisi bertanda tangan', tool: 'tangan', expect: 'changed', names: /Tanda tangan "TandaTangan1" dihapus|Formulir dokumen|Katalog dokumen/,
    make: ({ pdf, letter }) => appendRawUpdate(pdf, [], { prev: lastStartxref(letter) }),
  },
  {
    name: 'kolom tanda tangan dilepas dari formulir dan halaman', tool: 'tangan', expect: 'changed', names: /Tanda tangan "TandaTangan1" dihapus/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const { acroForm } = await signatureField(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [
        { num: acroForm.objectNumber, body: '<< /Fields [] >>' },
        { num: page.objectNumber, body: ins.dictText(page, (d) => d.delete(PDFName.of('Annots'))) },
      ]);
    },
  },
  {
    name: 'kamus tanda tangan ditulis ulang (/M diganti)', tool: 'tangan', expect: 'changed',
    async make({ pdf }) {
      const { sig } = await signatureField(pdf);
      return appendRawUpdate(pdf, [{ num: sig.objectNumber, body: rawObject(pdf, sig.objectNumber).replace(/\/M \(D:\d+/, '/M (D:20200101000000') }]);
    },
  },
  {
    name: 'kolom isian baru ditambahkan', tool: 'tangan', expect: 'changed', names: /Kolom formulir baru "catatan"/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const { acroForm } = await signatureField(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [
        { num: ins.size, body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T (catatan) /V (dibatalkan) /Rect [60 600 400 660] /P ${page.objectNumber} 0 R >>` },
        { num: acroForm.objectNumber, body: ins.dictText(acroForm, (d) => (d.get(PDFName.of('Fields')) as PDFArray).push(PDFRef.of(ins.size))) },
        { num: page.objectNumber, body: ins.dictText(page, (d) => (d.get(PDFName.of('Annots')) as PDFArray).push(PDFRef.of(ins.size))) },
      ]);
    },
  },
  {
    name: 'kunci ganda di kamus halaman (/Contents dua kali)', tool: 'tangan', expect: 'changed', names: /Halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [
        { num: ins.size, body: streamBody('', redBox) },
        { num: page.objectNumber, body: ins.dictText(page).replace(/>>\s*$/, `/Contents ${ins.size} 0 R >>`) },
      ]);
    },
  },
  {
    name: 'berkas hibrida: halaman di aliran objek lewat /XRefStm', tool: 'tangan', expect: 'changed', names: /Halaman 1 diubah: ukuran halaman/, styles: ['table'],
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [{ num: page.objectNumber, body: ins.dictText(page, (d) => d.set(PDFName.of('MediaBox'), ins.doc.context.obj([0, 0, 300, 300]))) }], { xref: 'hybrid', compress: [page.objectNumber] });
    },
  },
  {
    name: 'isi halaman dengan /Length yang salah', tool: 'tangan', expect: 'changed', names: /Isi halaman 1/,
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [{ num: ins.contentsOf(ins.pageRefs[0]!).objectNumber, body: `<< /Length 5 >>\nstream\n${redBox}\nendstream` }]);
    },
  },
  {
    name: 'objek halaman ditulis ulang persis sama', tool: 'tangan', expect: 'allowed',
    async make({ pdf }) {
      const ins = await inspect(pdf);
      const page = ins.pageRefs[0]!;
      return appendRawUpdate(pdf, [{ num: page.objectNumber, body: ins.dictText(page) }]);
    },
  },
  // ---- allowed after a signature ----
  {
    name: 'tanda tangan kedua (penanda tangan Loket)', tool: 'loket', expect: 'allowed',
    async make({ pdf }) {
      return (await signPdf(pdf, { signer: session.signer(token.keys.ec.id, { pin: token.pin }), stamp: { ...stamp, at: { page: 1, x: 300, y: 200 } } })).pdf;
    },
  },
  {
    name: 'data validasi /DSS dengan /VRI, ditulis tangan', tool: 'tangan', expect: 'allowed',
    async make({ pdf }) {
      const ins = await inspect(pdf);
      return appendRawUpdate(pdf, [
        { num: ins.size, body: `<< /Type /DSS /Certs [${ins.size + 1} 0 R] /VRI << /ABCDEF0123456789ABCDEF0123456789ABCDEF01 ${ins.size + 2} 0 R >> >>` },
        { num: ins.size + 1, body: streamBody('', Buffer.from(token.ca.certDer)) },
        { num: ins.size + 2, body: `<< /Type /VRI /Cert [${ins.size + 1} 0 R] >>` },
        { num: ins.root.objectNumber, body: ins.dictText(ins.root, (d) => d.set(PDFName.of('DSS'), PDFRef.of(ins.size))) },
      ]);
    },
  },
  {
    name: 'stempel waktu dokumen (ETSI.RFC3161)', tool: 'tangan', expect: 'allowed',
    make: ({ pdf, style }) => documentTimestamp(pdf, httpTimestamper(tsa.url), { xref: style }),
  },
  {
    name: 'kolom tanda tangan kosong ditambahkan', tool: 'tangan', expect: 'allowed',
    make: ({ pdf }) => emptySignatureField(pdf),
  },
  // ---- other tools ----
  { name: 'qpdf menulis ulang berkas', tool: 'qpdf', expect: 'modified', make: ({ pdf }) => tool('qpdf', ['{in}', '{out}'], pdf, uniqueName('qpdf')) },
  { name: 'qpdf --linearize', tool: 'qpdf', expect: 'modified', make: ({ pdf }) => tool('qpdf', ['--linearize', '{in}', '{out}'], pdf, uniqueName('qpdf-lin')) },
  { name: 'qpdf --object-streams=generate', tool: 'qpdf', expect: 'modified', make: ({ pdf }) => tool('qpdf', ['--object-streams=generate', '{in}', '{out}'], pdf, uniqueName('qpdf-os')) },
  {
    name: 'pdf-lib: teks ditambahkan, disimpan ulang', tool: 'pdf-lib', expect: 'modified',
    async make({ pdf }) {
      const doc = await PDFDocument.load(pdf);
      const font = await doc.embedFont(StandardFonts.HelveticaBold);
      doc.getPages()[0]!.drawText('DIBATALKAN', { x: 60, y: 600, size: 36, font });
      return doc.save();
    },
  },
  { name: 'mutool clean menulis ulang', tool: 'mutool', expect: 'modified', make: ({ pdf }) => tool('mutool', ['clean', '{in}', '{out}'], pdf, uniqueName('mutool-clean')) },
  { name: 'MuPDF: anotasi, simpan inkremental', tool: 'mutool', expect: 'changed', names: /Anotasi baru ditambahkan di halaman 1/, make: ({ pdf }) => mutoolEdit(pdf, 'annotation', { work, name: uniqueName('mu-annot') }) },
  { name: 'MuPDF: isi halaman diganti, inkremental', tool: 'mutool', expect: 'changed', names: /Halaman 1 diubah: isi halaman/, make: ({ pdf }) => mutoolEdit(pdf, 'content', { work, name: uniqueName('mu-content') }) },
  { name: 'MuPDF: judul dokumen diganti, inkremental', tool: 'mutool', expect: 'changed', names: /Informasi dokumen/, make: ({ pdf }) => mutoolEdit(pdf, 'info', { work, name: uniqueName('mu-info') }) },
  { name: 'MuPDF: halaman ditambahkan, inkremental', tool: 'mutool', expect: 'changed', names: /Susunan halaman/, make: ({ pdf }) => mutoolEdit(pdf, 'page', { work, name: uniqueName('mu-page') }) },
];

interface Judged {
  ours: ValidationReport;
  first: SignatureReport;
  pdfsig: { signature: string; total: boolean } | undefined;
  mutool: { digestOk: boolean; edits: boolean } | undefined;
}

function judge(pdf: Uint8Array, name: string, field: string): Judged {
  const ours = validatePdf(pdf, { trustAnchors: anchors });
  const first = ours.signatures.find((s) => s.fieldName === field) ?? ours.signatures[0]!;
  const sig = pdfsig(pdf, { work, name, nssDir });
  const mu = mutoolVerify(pdf, { work, name: `${name}-mu` });
  return { ours, first, pdfsig: sig.signatures.find((s) => s.field === field), mutool: mu.signatures[0] };
}

/** The agreement rule of this corpus (see the top of the file); returns why it does not hold, or null. */
function disagreement({ first, pdfsig: p, mutool: m }: Judged, expected: Expect): string | null {
  const toolsSeeEdits = (p === undefined || !p.total) && (m === undefined || m.edits);
  const toolsDigestFails = (p !== undefined && p.signature !== 'Signature is Valid.') || (m !== undefined && !m.digestOk);
  if (!toolsSeeEdits && first.coverage !== 'whole') return 'the tools see no edits, we report some';
  if (toolsDigestFails && first.integrity === 'intact' && first.verdict === 'valid') return 'the tools see a broken digest, we do not';
  if (toolsSeeEdits && first.coverage === 'whole') return 'the tools see edits, we report none';
  if (expected === 'changed' && !(toolsSeeEdits && first.coverage === 'changed')) return 'a change after signing not reported as changed';
  if (expected === 'modified' && !(toolsDigestFails || p === undefined) ) return 'the tools still accept the rewritten signature';
  return null;
}

function row(c: Case, base: string, j: Judged, agree: string | null) {
  const p = j.pdfsig === undefined ? 'tidak ada' : `${j.pdfsig.signature === 'Signature is Valid.' ? 'sah' : 'RUSAK'}, ${j.pdfsig.total ? 'utuh' : 'ada tambahan'}`;
  const m = j.mutool === undefined ? 'tidak ada' : `${j.mutool.digestOk ? 'sah' : 'RUSAK'}, ${j.mutool.edits ? 'ada suntingan' : 'tak berubah'}`;
  const ours = `${j.ours.verdict}; ${j.first.integrity}, ${j.first.coverage}${j.first.additions.length ? ` (+${j.first.additions.join(',')})` : ''}`;
  const named = (j.first.changes[0]?.description ?? j.first.permittedChanges[0]?.description ?? j.first.problems[0] ?? '').slice(0, 70);
  table.push([c.name, c.tool, base, p, m, ours, named, agree === null ? 'ya' : `TIDAK: ${agree}`]);
}

describe('an adversarial corpus of altered signed letters', () => {
  const runs = cases.flatMap((c) => (['stream', 'table'] as const).filter((s) => c.styles?.includes(s) ?? true)
    .flatMap((style) => (['B-B', 'B-T', 'B-LT'] as const).map((level) => ({ c, style, level }))));

  it.each(runs.map((r) => [`${r.c.name} · ${r.style} · ${r.level}`, r] as const))('%s', async (_, { c, style, level }) => {
    const base = bases.find((b) => b.style === style && b.level === level)!;
    const pdf = await c.make(base);
    const name = uniqueName('case');
    const judged = judge(pdf, name, 'TandaTangan1');
    const why = disagreement(judged, c.expect);
    row(c, `${style} ${level}`, judged, why);
    const { ours, first } = judged;
    expect(why, JSON.stringify(first, null, 1)).toBeNull();
    switch (c.expect) {
      case 'changed':
        expect(ours.valid).toBe(false);
        expect(first.verdict).toBe('invalid');
        if (c.names) expect(first.changes.map((x) => x.description).join('\n') || first.problems.join('\n')).toMatch(c.names);
        break;
      case 'modified':
        expect(ours.valid).toBe(false);
        expect(first.verdict).toBe('invalid');
        break;
      case 'allowed':
        expect(first).toMatchObject({ integrity: 'intact', coverage: 'allowed-additions', changes: [], verdict: 'valid' });
        expect(ours.signatures.every((s) => s.verdict === 'valid'), JSON.stringify(ours.signatures.map((s) => [s.fieldName, s.problems]))).toBe(true);
        expect(ours.valid).toBe(true);
        break;
      case 'permitted':
        expect(first.verdict).toBe('warning');
        break;
    }
  });
});

describe('what a certification signature (DocMDP, FieldMDP) permits', () => {
  let form: Uint8Array;
  beforeAll(async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('Formulir permohonan', { x: 60, y: 780, size: 14, font });
    const f = doc.getForm();
    f.createTextField('nomor').addToPage(page, { x: 60, y: 700, width: 200, height: 20 });
    f.createTextField('perihal').addToPage(page, { x: 60, y: 660, width: 300, height: 20 });
    form = await doc.save({ useObjectStreams: false });
  });

  /** Fills a text field by hand: the field (merged with its widget) gets a new /V. */
  async function fillByHand(pdf: Uint8Array, field: string, value: string): Promise<Uint8Array> {
    const ins = await inspect(pdf);
    const acroForm = (ins.lookup(ins.root) as PDFDict).lookup(PDFName.of('AcroForm'), PDFDict);
    const ref = acroForm.lookup(PDFName.of('Fields'), PDFArray).asArray().find((r) => (ins.lookup(r as PDFRef) as PDFDict).lookup(PDFName.of('T'), PDFString, PDFHexString).decodeText() === field) as PDFRef;
    return appendRawUpdate(pdf, [{ num: ref.objectNumber, body: ins.dictText(ref).replace(/>>\s*$/, `/V (${value}) >>`) }]);
  }

  const docMdpCases: { name: string; p: 1 | 2 | 3; lock?: string[]; expect: Expect; names?: RegExp; make(certified: Uint8Array): Promise<Uint8Array> | Uint8Array }[] = [
    { name: 'P=2, isian diisi tangan', p: 2, expect: 'permitted', names: /Isian kolom formulir "nomor"/, make: (pdf) => fillByHand(pdf, 'nomor', '800/1/2026') },
    { name: 'P=2, isian diisi MuPDF', p: 2, expect: 'permitted', make: (pdf) => mutoolEdit(pdf, 'fill', { work, name: uniqueName('mu-fill'), value: '800/2/2026' }) },
    { name: 'P=1, isian diisi tangan', p: 1, expect: 'changed', names: /Kolom formulir "nomor"/, make: (pdf) => fillByHand(pdf, 'nomor', '800/3/2026') },
    { name: 'P=3, anotasi MuPDF', p: 3, expect: 'permitted', make: (pdf) => mutoolEdit(pdf, 'annotation', { work, name: uniqueName('mu-annot3') }) },
    { name: 'P=2, anotasi MuPDF', p: 2, expect: 'changed', names: /Anotasi baru/, make: (pdf) => mutoolEdit(pdf, 'annotation', { work, name: uniqueName('mu-annot2') }) },
    { name: 'P=1, data validasi (B-LT)', p: 1, expect: 'allowed', make: async (pdf) => (await addLongTermValidation(pdf, { trustAnchors: anchors, ocspUrl: ocsp.url })).pdf },
    { name: 'P=1, stempel waktu dokumen', p: 1, expect: 'allowed', make: (pdf) => documentTimestamp(pdf, httpTimestamper(tsa.url)) },
    { name: 'P=1, tanda tangan kedua', p: 1, expect: 'changed', names: /tidak mengizinkan perubahan apa pun/, make: async (pdf) => (await signPdf(pdf, { signer: session.signer(token.keys.rsa.id) })).pdf },
    { name: 'P=2, tanda tangan kedua', p: 2, expect: 'allowed', make: async (pdf) => (await signPdf(pdf, { signer: session.signer(token.keys.rsa.id) })).pdf },
    { name: 'P=2 + kunci FieldMDP "nomor", "nomor" diisi', p: 2, lock: ['nomor'], expect: 'changed', names: /Kolom formulir "nomor"/, make: (pdf) => fillByHand(pdf, 'nomor', '800/4/2026') },
    { name: 'P=2 + kunci FieldMDP "nomor", "perihal" diisi', p: 2, lock: ['nomor'], expect: 'permitted', names: /"perihal"/, make: (pdf) => fillByHand(pdf, 'perihal', 'Undangan') },
  ];

  it.each(docMdpCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const certified = await certify(form, session.signer(token.keys.rsa.id), c.p, c.lock ? { lock: c.lock } : {});
    expect(validatePdf(certified, { trustAnchors: anchors }).valid).toBe(true);
    const pdf = await c.make(certified);
    const judged = judge(pdf, uniqueName('docmdp'), 'Sertifikasi');
    const why = disagreement(judged, c.expect);
    row({ name: `DocMDP ${c.name}`, tool: 'tangan', expect: c.expect, make: () => pdf }, 'table B-B', judged, why);
    expect(why, JSON.stringify(judged.first, null, 1)).toBeNull();
    const { first } = judged;
    const described = [...first.changes, ...first.permittedChanges].map((x) => x.description).join('\n') || first.problems.join('\n');
    if (c.names) expect(described).toMatch(c.names);
    if (c.expect === 'changed') expect(first.verdict).toBe('invalid');
    if (c.expect === 'permitted') {
      expect(first).toMatchObject({ verdict: 'warning', changes: [], integrity: 'intact' });
      expect(first.permittedChanges.length).toBeGreaterThan(0);
      expect(judged.ours.valid).toBe(false);
    }
    if (c.expect === 'allowed') expect(first).toMatchObject({ verdict: 'valid', changes: [], coverage: 'allowed-additions' });
  });
});
