// Periksa answers every file, and never with a green verdict it has not earned. Whatever a person
// drops — random bytes, a photo, a truncated download, a signature with a damaged /ByteRange, a B-LT
// letter whose validation data was damaged, a multi-megabyte tail built to make a parser crawl,
// a decompression bomb, cross-reference sections that point at each other — validation neither
// throws nor hangs, and the report says in Bahasa Indonesia what is wrong. A single byte flipped
// anywhere in a signed letter is never "valid" (property-based, fast-check). The checks run in a
// worker thread: the desk's main thread keeps turning while a large file is read.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { addLongTermValidation } from '../../main/sign/pades/long-term.ts';
import { signPdf } from '../../main/sign/pades/sign.ts';
import { httpTimestamper } from '../../main/sign/pades/timestamp.ts';
import { validatePdf, type ValidationReport } from '../../main/sign/pades/validate.ts';
import { createSignatureValidator } from '../../main/sign/validation.ts';
import { appendRawUpdate, inspect, lastStartxref, streamBody } from '../support/pdf-tamper.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startOcspResponder, startTimestampAuthority, type OcspResponder, type TimestampAuthority } from '../support/trust-services.ts';

let token: TestToken;
let session: TokenSession;
let tsa: TimestampAuthority;
let ocsp: OcspResponder;
let anchors: Uint8Array[];
const signed: Record<'B-B' | 'B-T' | 'B-LT', Uint8Array> = { 'B-B': new Uint8Array(), 'B-T': new Uint8Array(), 'B-LT': new Uint8Array() };
let byteRanges: Record<'B-B' | 'B-T' | 'B-LT', [number, number, number, number]>;

const validate = (pdf: Uint8Array) => validatePdf(pdf, { trustAnchors: anchors });

/** Every report names what is wrong in Bahasa Indonesia when the verdict is not green. */
function explained(report: ValidationReport): boolean {
  if (report.verdict === 'valid' || report.verdict === 'unsigned') return true;
  const texts = [report.document.problem, ...report.warnings, ...report.signatures.flatMap((s) => [...s.problems, ...s.warnings])].filter((t): t is string => !!t);
  return texts.length > 0 && texts.every((t) => /\b(tidak|rusak|diubah|terpotong|bukan|dihapus|berkas|tanda tangan|dokumen|sertifikat)\b/i.test(t));
}

beforeAll(async () => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  mkdirSync(join(token.dir, 'robust'));
  session = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
  ocsp = await startOcspResponder(token.ca, join(token.dir, 'ocsp'), [{ der: token.keys.rsa.certificate.der }, { der: tsa.certificateDer }]);
  anchors = [token.ca.certDer];
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Undangan rapat koordinasi', { x: 60, y: 700, size: 12, font });
  const letter = await doc.save();
  const bb = await signPdf(letter, { signer: session.signer(token.keys.rsa.id) });
  const bt = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), timestamper: httpTimestamper(tsa.url) });
  signed['B-B'] = bb.pdf;
  signed['B-T'] = bt.pdf;
  signed['B-LT'] = (await addLongTermValidation(bt.pdf, { trustAnchors: anchors, ocspUrl: ocsp.url })).pdf;
  byteRanges = { 'B-B': bb.byteRange, 'B-T': bt.byteRange, 'B-LT': bt.byteRange };
  for (const level of ['B-B', 'B-T', 'B-LT'] as const) expect(validate(signed[level]).valid, level).toBe(true);
}, 120_000);

afterAll(async () => {
  await tsa?.stop();
  await ocsp?.stop();
  session?.close();
  token?.cleanup();
});

describe('any file gets an answer in Bahasa Indonesia', () => {
  it('random bytes, an empty file, a text file and a JPEG are "not a PDF"', () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300', 'hex');
    for (const input of [new Uint8Array(0), new Uint8Array(Buffer.from('Ini bukan PDF, hanya catatan.')), new Uint8Array(jpeg)]) {
      expect(validate(input)).toEqual({
        verdict: 'unreadable', signatures: [], warnings: [], valid: false,
        document: { state: 'not-pdf', problem: 'Berkas ini bukan PDF, sehingga tidak ada tanda tangan elektronik yang dapat diperiksa.' },
      });
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      const report = validate(bytes);
      return report.valid === false && explained(report);
    }), { numRuns: 300 });
  });

  it('random bytes behind a PDF header are damaged or truncated, never valid', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 8192 }), (bytes) => {
      const report = validate(new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes])));
      return report.valid === false && explained(report);
    }), { numRuns: 300 });
  });

  it('a file larger than the limit is refused by size before it is read', () => {
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    big.set(Buffer.from('%PDF-1.7\n'));
    expect(validate(big).document).toEqual({ state: 'too-large', problem: 'Berkas terlalu besar untuk diperiksa (paling besar 50 MB).' });
  });

  it('a truncated signed letter is reported as truncated, wherever it was cut', () => {
    const pdf = signed['B-T'];
    const report = validate(pdf.subarray(0, pdf.length - 40));
    expect(report.valid).toBe(false);
    expect(report.document.state).toBe('truncated');
    expect(report.document.problem).toMatch(/terpotong/);
    expect(report.signatures[0]!.problems.join(' ')).toMatch(/melewati akhir berkas \(\d+ byte tidak ada\)/);
    fc.assert(fc.property(fc.integer({ min: 0, max: pdf.length - 1 }), (cut) => {
      const r = validate(pdf.subarray(0, cut));
      return r.valid === false && explained(r);
    }), { numRuns: 200 });
  });

  it('a damaged /ByteRange is a damaged signature, not "no signature"', () => {
    const text = Buffer.from(signed['B-B']).toString('latin1');
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text)!;
    const shifted = text.replace(m[0], m[0].replace(` ${m[1]} `, ` ${Number(m[1]) + 1} `));
    const garbled = text.replace(m[0], m[0].replace(m[2]!, 'x'.repeat(m[2]!.length)));
    for (const damaged of [shifted, garbled]) {
      const report = validate(new Uint8Array(Buffer.from(damaged, 'latin1')));
      expect(report.verdict).toBe('invalid');
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]!.problems[0]).toMatch(/^Tanda tangan rusak: /);
    }
  });

  it('a corrupted certificate or OCSP answer in the /DSS is a warning, never a crash or a green verdict', async () => {
    const lt = Buffer.from(signed['B-LT']);
    const ins = await inspect(lt);
    expect(ins.doc.catalog.get(PDFName.of('DSS'))).toBeDefined();
    // appendDss keeps the DER uncompressed: find the signer's certificate after the signed range and spoil it.
    const cert = Buffer.from(token.keys.rsa.certificate.der);
    const at = lt.indexOf(cert, byteRanges['B-LT'][2] + byteRanges['B-LT'][3]);
    expect(at).toBeGreaterThan(0);
    const spoiled = Buffer.from(lt);
    spoiled.fill(0x00, at + 4, at + 40);
    const report = validate(new Uint8Array(spoiled));
    expect(report.verdict).toBe('warning');
    expect(report.warnings).toEqual(['1 sertifikat dalam data validasi jangka panjang (DSS) rusak dan diabaikan.']);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact', coverage: 'allowed-additions' });

    const ocspAt = lt.indexOf(Buffer.from([0x30, 0x82]), at + cert.length + 8);
    const badAnswer = Buffer.from(lt);
    for (let i = ocspAt + 200; i < ocspAt + 220; i++) badAnswer[i] = badAnswer[i]! ^ 0x55;
    const answer = validate(new Uint8Array(badAnswer));
    expect(answer.valid).toBe(false);
    expect(explained(answer)).toBe(true);
  });

  it('a crafted tail of many MB of "obj" without "endobj" is a change after signing, read in one pass', () => {
    const tail = Buffer.from('1 0 obj << /Type /Page /Contents [ '.repeat(60_000), 'latin1');
    expect(tail.length).toBeGreaterThan(2_000_000);
    const report = validate(new Uint8Array(Buffer.concat([Buffer.from(signed['B-T']), tail])));
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]!.changes[0]!.description).toBe(`Ada ${tail.length} byte tambahan setelah akhir dokumen (%%EOF) yang tidak ditandatangani siapa pun.`);
    // The same tail made to look like a revision: its startxref points into the unterminated objects.
    const fake = Buffer.concat([Buffer.from(signed['B-T']), tail, Buffer.from(`\nstartxref\n${signed['B-T'].length}\n%%EOF\n`)]);
    const faked = validate(new Uint8Array(fake));
    expect(faked.valid).toBe(false);
    expect(explained(faked)).toBe(true);
  });

  it('nesting a million arrays deep, a decompression bomb and cross-reference sections pointing at each other are each refused with a reason', async () => {
    const pdf = signed['B-B'];
    const ins = await inspect(pdf);
    const deep = await appendRawUpdate(pdf, [{ num: ins.pageRefs[0]!.objectNumber, body: '['.repeat(1_000_000) }]);
    // 96 MB of zeros, deflated to a few kB, as a "certificate" of the validation data.
    const bomb = await appendRawUpdate(pdf, [
      { num: ins.size, body: `<< /Certs [${ins.size + 1} 0 R] >>` },
      { num: ins.size + 1, body: streamBody('/Filter /FlateDecode', deflateSync(Buffer.alloc(96 * 1024 * 1024))) },
      { num: ins.root.objectNumber, body: ins.dictText(ins.root).replace(/>>\s*$/, `/DSS ${ins.size} 0 R >>`) },
    ], { xref: 'stream' });
    const loop = Buffer.from(await appendRawUpdate(pdf, [], { xref: 'table' }));
    const self = lastStartxref(loop);
    const looped = Buffer.from(loop.toString('latin1').replace(`/Prev ${lastStartxref(pdf)}`, `/Prev ${self}`.padEnd(`/Prev ${lastStartxref(pdf)}`.length)), 'latin1');
    for (const [name, file] of [['deep', deep], ['bomb', bomb], ['loop', new Uint8Array(looped)]] as const) {
      const report = validate(file);
      expect(report.valid, name).toBe(false);
      expect(explained(report), `${name}: ${JSON.stringify(report)}`).toBe(true);
    }
  });

  it('work a crafted file would make quadratic is bounded: "/ByteRange %" repeated on one long line, and 300 page objects redefined as strings that never end', async () => {
    const line = Buffer.from('/ByteRange % '.repeat(150_000), 'latin1');
    const comments = validate(new Uint8Array(Buffer.concat([Buffer.from(signed['B-B']), line])));
    expect(comments.verdict).toBe('invalid');

    const doc = await PDFDocument.create();
    for (let i = 0; i < 300; i++) doc.addPage([595, 842]);
    const letter = (await signPdf(await doc.save(), { signer: session.signer(token.keys.rsa.id) })).pdf;
    const ins = await inspect(letter);
    // Every page object now starts a string that runs to the end of the file, through 8 MB of filler.
    const crafted = await appendRawUpdate(letter, [
      ...ins.pageRefs.map((ref) => ({ num: ref.objectNumber, body: '(' })),
      { num: ins.size, body: streamBody('', Buffer.alloc(8 * 1024 * 1024, 0x61)) },
    ]);
    expect(validate(crafted).document).toEqual({ state: 'too-complex', problem: expect.stringMatching(/pemeriksaan dihentikan/) });
  });

  it('random edits of a signed letter\'s signed bytes (cuts, insertions, duplicated runs) never throw and are never valid', () => {
    const edit = fc.record({
      level: fc.constantFrom('B-B' as const, 'B-T' as const, 'B-LT' as const),
      at: fc.nat(), length: fc.integer({ min: 1, max: 2048 }), kind: fc.constantFrom('cut', 'insert', 'duplicate'), bytes: fc.uint8Array({ minLength: 1, maxLength: 512 }),
    });
    fc.assert(fc.property(edit, ({ level, at, length, kind, bytes }) => {
      const pdf = Buffer.from(signed[level]);
      // Edits touching the signed bytes (for B-LT, the validation data after them is covered by no signature).
      const [, , c, d] = byteRanges[level];
      const p = at % (level === 'B-LT' ? c + d : pdf.length);
      const changed = kind === 'cut' ? Buffer.concat([pdf.subarray(0, p), pdf.subarray(p + length)])
        : kind === 'insert' ? Buffer.concat([pdf.subarray(0, p), bytes, pdf.subarray(p)])
          : Buffer.concat([pdf.subarray(0, p + length), pdf.subarray(p, p + length), pdf.subarray(p + length)]);
      const report = validate(new Uint8Array(changed));
      return report.valid === false && explained(report);
    }), { numRuns: 300 });
  });
});

describe('a single byte flipped anywhere in a signed letter is never "valid"', () => {
  // The one flip that changes nothing: the letter case of a hex digit inside /Contents (A and a are
  // the same nibble), which leaves the signature's bytes as they were. Then the report must be the same.
  it.each(['B-B', 'B-T', 'B-LT'] as const)('%s', (level) => {
    const pdf = signed[level];
    const [, b, c, d] = byteRanges[level];
    // B-LT: the validation data after the signature is covered by no signature; its flips are the DSS tests' business.
    const end = level === 'B-LT' ? c + d : pdf.length;
    const original = validate(pdf);
    fc.assert(fc.property(fc.integer({ min: 0, max: end - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const flipped = new Uint8Array(pdf);
      flipped[at] = flipped[at]! ^ mask;
      const report = validate(flipped);
      const sameNibble = at > b && at < c - 1 && String.fromCharCode(pdf[at]!).toLowerCase() === String.fromCharCode(flipped[at]!).toLowerCase();
      if (sameNibble) return JSON.stringify(report) === JSON.stringify(original);
      return report.valid === false && report.verdict !== 'valid';
    }), { numRuns: 400 });
  });
});

describe('validation off the main thread', () => {
  it('answers the same report through the worker, and the main thread keeps turning while a 30 MB letter is checked', async () => {
    // A scanner's page image: 30 MB of incompressible data in one stream, shown on the page.
    const doc = await PDFDocument.create();
    const noise = new Uint8Array(30 * 1024 * 1024);
    for (let i = 0; i < noise.length; i += 65_536) crypto.getRandomValues(noise.subarray(i, i + 65_536));
    const scan = doc.context.register(doc.context.stream(noise, { Type: 'XObject', Subtype: 'Image', Width: 4000, Height: 7864, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }));
    doc.addPage([595, 842]).node.setXObject(PDFName.of('Im0'), scan);
    const big = (await signPdf(await doc.save(), { signer: session.signer(token.keys.rsa.id) })).pdf;

    const validator = createSignatureValidator({ log: collectingLogger() });
    try {
      const encoded = Buffer.from(big).toString('base64');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      // As Periksa's handler does: the bytes decoded from the IPC message are handed over, and moved
      // to the worker rather than copied on this thread (afterwards this thread no longer holds them).
      const handedOver = Buffer.from(encoded, 'base64');
      const checked = await validator.validate(handedOver, anchors);
      clearInterval(timer);
      expect(handedOver.byteLength).toBe(0);
      expect(checked.report).toEqual(validate(big));
      expect(checked.report.valid).toBe(true);
      expect(checked.documentHash).toBe(createHash('sha256').update(big).digest('hex'));
      // Run on this thread, the check would have let no timer fire until it was done.
      expect(ticks).toBeGreaterThan(5);
    } finally {
      await validator.close();
    }
  });

  it('a check that runs past its time limit is stopped and answered as too complex', async () => {
    const validator = createSignatureValidator({ log: collectingLogger(), timeoutMs: 0 });
    try {
      const { report } = await validator.validate(signed['B-T'], anchors);
      expect(report).toMatchObject({ verdict: 'unreadable', valid: false, document: { state: 'too-complex', problem: expect.stringMatching(/pemeriksaan dihentikan/) } });
    } finally {
      await validator.close();
    }
  });
});
