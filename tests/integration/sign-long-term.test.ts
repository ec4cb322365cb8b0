// Signatures that stay verifiable for years: the agency's timestamp authority vouches for when a
// letter was signed (B-T), and the certificates with the CA's OCSP answers are kept in the letter
// (B-LT). OpenSSL's own TSA and OCSP responder run on loopback; poppler's pdfsig and our validator
// judge the results. A letter signed while the TSA is unreachable is signed anyway and gets its
// timestamp later, without a single signed byte changing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { addLongTermValidation, timestampLatestSignature } from '../../main/sign/pades/long-term.ts';
import { signPdf } from '../../main/sign/pades/sign.ts';
import { httpTimestamper } from '../../main/sign/pades/timestamp.ts';
import { validatePdf } from '../../main/sign/pades/validate.ts';
import { parseCadesSignature, withSignatureTimestamp } from '../../main/sign/pades/cms.ts';
import { createNssTrustStore, pdfsig as runPdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startOcspResponder, startTimestampAuthority, type OcspResponder, type TimestampAuthority } from '../support/trust-services.ts';

let token: TestToken;
let session: TokenSession;
let tsa: TimestampAuthority;
let ocsp: OcspResponder;
let nssDir: string;
let work: string;
let letter: Uint8Array;

const pdfsig = (pdf: Uint8Array, name: string) => runPdfsig(pdf, { work, name, nssDir });
/** The DER a signature's /Contents holds, without its zero padding. */
const contentsOf = (pdf: Uint8Array, [, b, c]: [number, number, number, number]) => new Uint8Array(Buffer.from(Buffer.from(pdf.subarray(b + 1, c - 1)).toString('latin1').replace(/(00)+$/, ''), 'hex'));
const validOnly = { signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.' };

const stamp = {
  at: { page: 1, x: 300, y: 90 }, name: 'Budi Santoso, S.Kom., M.T.', nip: '198001012005011001',
  position: 'Kepala Dinas Komunikasi dan Informatika', verificationUrl: 'https://eoffice.contoh.go.id/verifikasi', documentId: '0190f5a2-7c1e-7b3a-9f00-5e1d2c3b4a59',
  timeZone: 'Asia/Jakarta' as const,
};

beforeAll(async () => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  work = join(token.dir, 'work');
  mkdirSync(work);
  nssDir = createNssTrustStore(join(token.dir, 'nss'), token.ca.certPath);
  session = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
  ocsp = await startOcspResponder(token.ca, join(token.dir, 'ocsp'), [{ der: token.keys.rsa.certificate.der }, { der: tsa.certificateDer }]);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Undangan rapat koordinasi TTE', { x: 60, y: 700, size: 12, font });
  letter = await doc.save();
});

afterAll(async () => {
  await tsa?.stop();
  await ocsp?.stop();
  session?.close();
  token?.cleanup();
});

describe('timestamps and long-term validation', () => {
  it('with the TSA reachable the signature carries a timestamp that pdfsig and our validator accept (B-T)', async () => {
    const before = Date.now();
    const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp, timestamper: httpTimestamper(tsa.url) });
    expect(signed.level).toBe('B-T');
    expect(signed.timestampError).toBeNull();

    const sig = pdfsig(signed.pdf, 'bt');
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ ...validOnly, total: true })]);
    const report = validatePdf(signed.pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    const [only] = report.signatures;
    expect(only!.timestamp).toMatchObject({ authority: 'Loket Test TSA', intact: true, trust: 'trusted' });
    expect(Date.parse(only!.timestamp!.time)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(only!.revocation.status).toBe('not-checked');
  });

  it("adds the certificates and the CA's OCSP answers in an update that keeps the signature valid (B-LT)", async () => {
    const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp, timestamper: httpTimestamper(tsa.url) });
    const lt = await addLongTermValidation(signed.pdf, { trustAnchors: [token.ca.certDer], ocspUrl: ocsp.url });
    expect(lt.revocation).toEqual([
      { commonName: 'Budi Santoso', status: 'good' },
      { commonName: 'Loket Test TSA', status: 'good' },
    ]);
    // An incremental update: the signed file is untouched, the DSS comes after it.
    expect(Buffer.from(lt.pdf.subarray(0, signed.pdf.length)).equals(Buffer.from(signed.pdf))).toBe(true);
    expect(Buffer.from(lt.pdf.subarray(signed.pdf.length)).toString('latin1')).toMatch(/\/DSS \d+ 0 R/);

    const sig = pdfsig(lt.pdf, 'blt');
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining(validOnly)]);
    const report = validatePdf(lt.pdf, { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(true);
    // The update after the signature only added validation data: the signed document is unchanged.
    expect(report.signatures[0]).toMatchObject({ coverage: 'allowed-additions', additions: ['validation-data'], changes: [], integrity: 'intact', trust: 'trusted', revocation: { status: 'good' }, timestamp: { intact: true } });
  });

  it('a page appended after the validation data is reported as a change after signing', async () => {
    const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id) });
    const lt = await addLongTermValidation(signed.pdf, { trustAnchors: [token.ca.certDer], ocspUrl: ocsp.url });
    const sneaky = Buffer.concat([Buffer.from(lt.pdf), Buffer.from('\n99 0 obj\n<< /Type /Page >>\nendobj\n')]);
    const report = validatePdf(new Uint8Array(sneaky), { trustAnchors: [token.ca.certDer] });
    expect(report.valid).toBe(false);
    expect(report.signatures[0]!.coverage).toBe('changed');
  });

  it('years later, with the certificate expired, a timestamped letter is still valid; one without a timestamp gets a warning, not a green verdict', async () => {
    const later = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
    const bt = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), timestamper: httpTimestamper(tsa.url) });
    expect(validatePdf(bt.pdf, { trustAnchors: [token.ca.certDer], now: later })).toMatchObject({ verdict: 'valid', valid: true });
    const bb = await signPdf(letter, { signer: session.signer(token.keys.rsa.id) });
    const report = validatePdf(bb.pdf, { trustAnchors: [token.ca.certDer], now: later });
    expect(report).toMatchObject({ verdict: 'warning', valid: false });
    expect(report.signatures[0]!.warnings).toEqual(['Sertifikat penanda tangan sudah kedaluwarsa. Tanpa stempel waktu, waktu penandatanganan hanya menurut komputer penanda tangan sendiri.']);
  });

  it('a timestamp that does not belong to the signature makes the signature not valid', async () => {
    const a = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), timestamper: httpTimestamper(tsa.url) });
    // Another reason, so B's signed bytes (and, RSA being deterministic, its signature value) differ from A's.
    const b = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), reason: 'Menyetujui' });
    // The token of signature A grafted onto signature B: intact in itself, but over another signature value.
    const tokenOfA = parseCadesSignature(contentsOf(a.pdf, a.byteRange)).timestampToken!;
    const grafted = withSignatureTimestamp(contentsOf(b.pdf, b.byteRange), tokenOfA);
    const pdf = Buffer.from(b.pdf);
    pdf.write(Buffer.from(grafted).toString('hex').toUpperCase().padEnd(b.byteRange[2] - b.byteRange[1] - 2, '0'), b.byteRange[1] + 1, 'latin1');
    const report = validatePdf(new Uint8Array(pdf), { trustAnchors: [token.ca.certDer] });
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]).toMatchObject({ integrity: 'intact', timestamp: { intact: false }, verdict: 'invalid' });
    expect(report.signatures[0]!.problems).toContain('Stempel waktu pada tanda tangan ini rusak atau bukan untuk tanda tangan ini.');
  });

  it('a revoked signer certificate is reported as revoked, and the signature as not valid', async () => {
    const revokedOcsp = await startOcspResponder(token.ca, join(token.dir, 'ocsp-revoked'), [{ der: token.keys.rsa.certificate.der, revoked: true }]);
    try {
      const signed = await signPdf(letter, { signer: session.signer(token.keys.rsa.id) });
      const lt = await addLongTermValidation(signed.pdf, { trustAnchors: [token.ca.certDer], ocspUrl: revokedOcsp.url });
      expect(lt.revocation).toEqual([{ commonName: 'Budi Santoso', status: 'revoked' }]);
      const report = validatePdf(lt.pdf, { trustAnchors: [token.ca.certDer] });
      expect(report.valid).toBe(false);
      expect(report.signatures[0]).toMatchObject({ integrity: 'intact', trust: 'untrusted', revocation: { status: 'revoked' } });
      expect(report.signatures[0]!.problems).toContain('Sertifikat penanda tangan telah dicabut oleh penerbitnya.');
    } finally {
      await revokedOcsp.stop();
    }
  });

  it('signs offline as B-B when the TSA is unreachable, and timestamps the same signature once it is back', async () => {
    tsa.setReachable(false);
    let offline;
    try {
      offline = await signPdf(letter, { signer: session.signer(token.keys.rsa.id), stamp, timestamper: httpTimestamper(tsa.url, { timeoutMs: 2000 }) });
    } finally {
      tsa.setReachable(true);
    }
    expect(offline.level).toBe('B-B');
    expect(offline.timestampError).toMatchObject({ code: 'TSA_UNAVAILABLE' });
    expect(pdfsig(offline.pdf, 'offline').signatures).toEqual([expect.objectContaining(validOnly)]);

    const upgraded = await timestampLatestSignature(offline.pdf, httpTimestamper(tsa.url));
    expect(upgraded.added).toBe(true);
    // Only the unsigned /Contents changed: both signed byte ranges are identical.
    const [a, b, c, d] = offline.byteRange;
    expect(upgraded.pdf.length).toBe(offline.pdf.length);
    expect(Buffer.from(upgraded.pdf.subarray(a, a + b)).equals(Buffer.from(offline.pdf.subarray(a, a + b)))).toBe(true);
    expect(Buffer.from(upgraded.pdf.subarray(c, c + d)).equals(Buffer.from(offline.pdf.subarray(c, c + d)))).toBe(true);
    const sig = pdfsig(upgraded.pdf, 'upgraded');
    expect(sig.signatures, sig.output).toEqual([expect.objectContaining({ ...validOnly, total: true })]);
    expect(validatePdf(upgraded.pdf, { trustAnchors: [token.ca.certDer] }).signatures[0]!.timestamp).toMatchObject({ intact: true, trust: 'trusted' });
    // Asked again, nothing changes.
    expect((await timestampLatestSignature(upgraded.pdf, httpTimestamper(tsa.url))).added).toBe(false);
  });
});
