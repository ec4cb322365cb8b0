// The signing official signs outgoing letters with the USB token (real SoftHSM2, keys generated on
// the token), and anyone who receives them can check them. Every signature is judged by independent
// validators — poppler's pdfsig with the test CA in an NSS store, and `openssl cms -verify` — and by
// our own validator, which must agree with them on intact, modified and appended-to files.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFNumber, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { signPdf } from '../../main/sign/pades/sign.ts';
import type { Signer } from '../../common/signer.ts';
import { loadTrustAnchors, validatePdf } from '../../main/sign/pades/validate.ts';
import { darkPixels, renderPage } from '../support/pdf-render.ts';
import { createNssTrustStore, pdfsig as runPdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';

let token: TestToken;
let session: TokenSession;
let nssDir: string;
let work: string;
let letter: Uint8Array;

function pdfsig(pdf: Uint8Array, name: string) {
  return runPdfsig(pdf, { work, name, nssDir });
}

/** `openssl cms -verify` over the bytes the /ByteRange covers, with the test CA as the only anchor. */
function opensslVerifies(pdf: Uint8Array, byteRange: [number, number, number, number], name: string): { ok: boolean; output: string } {
  const [a, b, c, d] = byteRange;
  const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const hex = Buffer.from(pdf.subarray(b + 1, c - 1)).toString('latin1').replace(/(00)+$/, '');
  writeFileSync(join(work, `${name}.content`), content);
  writeFileSync(join(work, `${name}.p7s`), Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
  const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, `${name}.p7s`),
    '-content', join(work, `${name}.content`), '-CAfile', token.ca.certPath, '-out', '/dev/null'], { encoding: 'utf8' });
  return { ok: run.status === 0 && run.stderr.includes('Verification successful'), output: run.stderr };
}

function renderFirstPage(pdf: Uint8Array, name: string, dpi: number) {
  return renderPage(pdf, { work, name, dpi });
}

async function makeLetter(options: { objectStreams: boolean; subject: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('PEMERINTAH KABUPATEN CONTOH', { x: 170, y: 780, size: 14, font });
  page.drawText(`Nomor: 800/123/DISKOMINFO/2026 — Hal: ${options.subject}`, { x: 60, y: 720, size: 10, font });
  page.drawText('Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi.', { x: 60, y: 690, size: 10, font });
  return doc.save({ useObjectStreams: options.objectStreams });
}

const stamp = {
  at: { page: 1, x: 300, y: 90 }, name: 'Budi Santoso, S.Kom., M.T.', nip: '198001012005011001',
  position: 'Kepala Dinas Komunikasi dan Informatika', verificationUrl: 'https://eoffice.contoh.go.id/verifikasi', documentId: '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59',
  timeZone: 'Asia/Jakarta' as const,
};

beforeAll(async () => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  process.env.LOKET_TOKEN_FAULTS = '{}';
  work = join(token.dir, 'work');
  nssDir = join(token.dir, 'nss');
  mkdirSync(work);
  createNssTrustStore(nssDir, token.ca.certPath);
  session = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  letter = await makeLetter({ objectStreams: true, subject: 'Undangan Rapat' });
});
afterAll(() => {
  session?.close();
  token?.cleanup();
});

describe('signing a letter on the token', () => {
  it('an RSA signature with a visible stamp is valid and trusted for pdfsig, openssl and us', async () => {
    const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp, reason: 'Menyetujui isi surat' });
    expect(Buffer.from(signed.pdf.subarray(0, letter.length)).equals(Buffer.from(letter))).toBe(true);

    const sig = pdfsig(signed.pdf, 'rsa');
    expect(sig.signatures, sig.output).toEqual([{ field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true }]);
    expect(sig.output).toContain('Signature Type: ETSI.CAdES.detached');
    expect(sig.output).not.toContain('Syntax Error');
    const cms = opensslVerifies(signed.pdf, signed.byteRange, 'rsa');
    expect(cms.ok, cms.output).toBe(true);

    const report = validatePdf(signed.pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    expect(report.signatures).toEqual([expect.objectContaining({
      fieldName: 'TandaTangan1', subFilter: 'ETSI.CAdES.detached', integrity: 'intact', coverage: 'whole', trust: 'trusted', problems: [],
      signer: expect.objectContaining({ commonName: 'Budi Santoso', subjectSerialNumber: '198001012005011001' }),
    })]);
    // The letter's id only: the hash of the signed file cannot be inside that file; the verification page holds it.
    expect(signed.verificationUrl).toBe('https://eoffice.contoh.go.id/verifikasi?id=0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59');
  });

  it('the stamp is visible on the rendered page and its QR code opens the verification page of this letter', async () => {
    const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp });
    const dpi = 200;
    const page = renderFirstPage(signed.pdf, 'stamp', dpi);
    const blank = renderFirstPage(letter, 'blank', dpi);
    // The stamp's rectangle (PDF points from the bottom-left) in pixels from the top-left.
    const scale = dpi / 72;
    const { x, y } = stamp.at;
    const box = { x0: Math.round(x * scale), x1: Math.round((x + 260) * scale), y0: Math.round(page.height - (y + 86) * scale), y1: Math.round(page.height - y * scale) };
    expect(darkPixels(blank, box)).toBe(0);
    expect(darkPixels(page, box)).toBeGreaterThan(2_000);
    const qr = jsqr.default(page.rgba, page.width, page.height);
    expect(qr?.data).toBe(`https://eoffice.contoh.go.id/verifikasi?id=${stamp.documentId}`);
    expect(qr?.data).toBe(signed.verificationUrl);
  });

  it('the stamp lands on the anchor the template left in the signature block, on whichever page it fell', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('Isi surat yang panjang ...', { x: 60, y: 700, size: 10, font });
    const second = doc.addPage([595, 842]);
    second.drawText('Kepala Dinas Komunikasi dan Informatika,', { x: 300, y: 420, size: 10, font });
    second.drawText('${ttd_pengirim}', { x: 300, y: 380, size: 10, font });
    const withAnchor = await doc.save();

    const signed = await signPdf(withAnchor, { signer: session.signer(token.keys.rsa.id), stamp: { ...stamp, at: { anchor: '${ttd_pengirim}' } } });
    const reread = await PDFDocument.load(signed.pdf);
    const [page1, page2] = reread.getPages();
    expect(page1!.node.Annots()?.size() ?? 0).toBe(0);
    const widget = reread.context.lookup(page2!.node.Annots()!.get(0), PDFDict);
    const rect = widget.lookup(PDFName.of('Rect'), PDFArray).asArray().map((n) => Math.round((n as PDFNumber).asNumber()));
    // Top-left corner on the anchor's line: x at its start, top edge at baseline + font size.
    expect(rect).toEqual([300, 380 + 10 - 86, 300 + 260, 380 + 10]);
    expect(pdfsig(signed.pdf, 'anchor').signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);

    await expect(signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp: { ...stamp, at: { anchor: '${ttd_pengirim}' } } }))
      .rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('"${ttd_pengirim}" tidak ditemukan') });
  });

  it('a P-256 key that asks for the PIN at every signature signs a letter with a classic xref table', async () => {
    const classic = await makeLetter({ objectStreams: false, subject: 'Nota Dinas' });
    // /M has whole seconds; the certificate was issued minutes ago, so the time must be after that.
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signed = await signPdf(classic, { signer: session.signer(token.keys.ec.id, { pin: token.pin }), signingTime });

    const sig = pdfsig(signed.pdf, 'ec');
    expect(sig.signatures, sig.output).toEqual([{ field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true }]);
    expect(opensslVerifies(signed.pdf, signed.byteRange, 'ec').ok).toBe(true);
    const report = validatePdf(signed.pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    expect(report.signatures[0]).toMatchObject({ signingTime: signingTime.toISOString(), signer: { commonName: 'Siti Rahmawati' } });
  });

  it('a token without CKM_SHA256_RSA_PKCS still produces a signature pdfsig accepts', async () => {
    process.env.LOKET_TOKEN_FAULTS = JSON.stringify({ hideMechanisms: ['CKM_SHA256_RSA_PKCS'] });
    try {
      const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id) });
      expect(pdfsig(signed.pdf, 'fallback').signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);
    } finally {
      process.env.LOKET_TOKEN_FAULTS = '{}';
    }
  });

  it('a second signature is appended and keeps the first one valid', async () => {
    const first = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp });
    const second = await signPdf(first.pdf, { signer: session.signer(token.keys.ec.id, { pin: token.pin }), stamp: { ...stamp, at: { page: 1, x: 300, y: 200 }, name: 'Siti Rahmawati, S.H.', nip: '198502022010012002', position: 'Sekretaris Daerah' } });
    // Append-only: every byte of the first signed file is still there, in place.
    expect(Buffer.from(second.pdf.subarray(0, first.pdf.length)).equals(Buffer.from(first.pdf))).toBe(true);

    const sig = pdfsig(second.pdf, 'two');
    expect(sig.signatures, sig.output).toEqual([
      { field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: false },
      { field: 'TandaTangan2', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true },
    ]);
    expect(opensslVerifies(second.pdf, first.byteRange, 'two-first').ok).toBe(true);
    expect(opensslVerifies(second.pdf, second.byteRange, 'two-second').ok).toBe(true);
    const report = validatePdf(second.pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    // The first signature's document gained only a further signature: not a change.
    expect(report.signatures.map((s) => [s.fieldName, s.integrity, s.coverage, s.additions, s.verdict])).toEqual([
      ['TandaTangan1', 'intact', 'allowed-additions', ['signature'], 'valid'],
      ['TandaTangan2', 'intact', 'whole', [], 'valid'],
    ]);
  });

  it('is refused with the reason when the certificate has expired, and nothing is signed', async () => {
    const certs = session.listCertificates();
    const expired = certs.find((c) => c.id === token.keys.expired.id)!;
    const remote: Signer = {
      certificateChain: [expired.der],
      algorithm: 'ecdsa-p256',
      sign: () => { throw new Error('an expired certificate must not reach the signer'); },
    };
    await expect(signPdf(letter, { signer: remote })).rejects.toMatchObject({ code: 'CERTIFICATE_EXPIRED', message: expect.stringContaining('sudah kedaluwarsa sejak') });
    const notForSigning = certs.find((c) => c.id === token.keys.noSigning.id)!;
    await expect(signPdf(letter, { signer: { ...remote, certificateChain: [notForSigning.der] } })).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOR_SIGNING' });
  });
});

describe('checking a received letter', () => {
  let signed: Awaited<ReturnType<typeof signPdf>>;
  beforeAll(async () => {
    signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp });
  });

  it('a single byte changed anywhere in the signed ranges is caught by pdfsig and by us (sampled)', () => {
    const [a, b, c, d] = signed.byteRange;
    // A fixed spread of positions through both ranges: the letter body, the stamp, the dictionaries, the xref.
    const positions = [...Array.from({ length: 6 }, (_, i) => a + Math.floor(((i + 0.5) * b) / 6)), ...Array.from({ length: 6 }, (_, i) => c + Math.floor(((i + 0.5) * d) / 6))];
    for (const at of positions) {
      const tampered = new Uint8Array(signed.pdf);
      tampered[at] = tampered[at]! ^ 0x04;
      const sig = pdfsig(tampered, `flip-${at}`);
      expect(sig.signatures.every((s) => s.signature !== 'Signature is Valid.'), `pdfsig still valid after flipping byte ${at}:\n${sig.output}`).toBe(true);
      const report = validatePdf(tampered, { trustAnchors: [token.ca.certDer] });
      expect(report.valid, `byte ${at}`).toBe(false);
      expect(report.signatures.every((s) => s.integrity === 'modified'), `byte ${at}`).toBe(true);
    }
  });

  it('bytes appended after signing are reported as a change after signing', () => {
    const extra = Buffer.from('\n% catatan tambahan yang tidak ditandatangani\n');
    const appended = new Uint8Array(Buffer.concat([signed.pdf, extra]));
    const sig = pdfsig(appended, 'appended');
    expect(sig.signatures.map((s) => s.total)).toEqual([false]);
    const report = validatePdf(appended, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact', coverage: 'changed', bytesAfter: extra.length, verdict: 'invalid' });
    expect(report.signatures[0]!.changes).toEqual([{ page: null, object: null, description: `Ada ${extra.length} byte tambahan setelah akhir dokumen (%%EOF) yang tidak ditandatangani siapa pun.` }]);
    expect(report.signatures[0]!.problems[0]).toBe(`Dokumen diubah setelah ditandatangani: Ada ${extra.length} byte tambahan setelah akhir dokumen (%%EOF) yang tidak ditandatangani siapa pun.`);
  });

  it('a signature from a CA the agency does not trust is intact but untrusted', () => {
    const report = validatePdf(signed.pdf, { trustAnchors: [] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact', trust: 'untrusted' });
    expect(report.signatures[0]!.problems).toEqual([expect.stringContaining('tidak berantai ke penerbit sertifikat yang dipercaya')]);
  });

  it("trusts a signer whose CA is in the agency's trust folder (PEM or DER files)", () => {
    const trustDir = join(token.dir, 'trust');
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'bukan-sertifikat.txt'), 'diabaikan');
    expect(loadTrustAnchors(trustDir)).toEqual([]);
    copyFileSync(token.ca.certPath, join(trustDir, 'ca-instansi.pem'));
    writeFileSync(join(trustDir, 'ca-instansi-lain.der'), token.ca.certDer);
    const anchors = loadTrustAnchors(trustDir);
    expect(anchors.map((a) => Buffer.from(a).equals(Buffer.from(token.ca.certDer)))).toEqual([true, true]);
    expect(validatePdf(signed.pdf, { trustAnchors: anchors }).signatures[0]).toMatchObject({ trust: 'trusted' });
  });

  it('an unsigned letter has no signatures and is not valid', () => {
    expect(validatePdf(letter, { trustAnchors: [token.ca.certDer] })).toEqual({ verdict: 'unsigned', document: { state: 'readable', problem: null }, signatures: [], warnings: [], valid: false });
  });
});
