// Checks every signature in a received PDF the way the person at Tanda Tangan → Periksa needs it:
// who signed and when, whether the signed bytes are intact, whether the signature covers the whole
// document (bytes appended afterwards are reported), and whether the signer's certificate chains
// to a configured trust anchor (the agency's CA list in resources/trust/, a test CA in tests).
// Signatures are found by their /ByteRange in the raw bytes, so a damaged file is still reported on.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCertificate, type CertificateInfo } from '../../../common/certificate.ts';
import { oid, parseCadesSignature, type ParsedSignature } from './cms.ts';
import { readDss } from './dss.ts';
import { readOcspResponse, type RevocationStatus } from './revocation.ts';
import { readTstInfo } from './timestamp.ts';

/** unsupported: the signature uses algorithms Loket cannot check (it is neither confirmed nor refuted). */
export type Integrity = 'intact' | 'modified' | 'unsupported';
export type Coverage = 'whole' | 'signed-later' | 'unsigned-additions';
export type Trust = 'trusted' | 'untrusted';

export interface SignatureReport {
  fieldName: string | null;
  subFilter: string | null;
  byteRange: [number, number, number, number];
  signer: CertificateInfo | null;
  /** /M of the signature dictionary: the time the signer's computer claims (no timestamp in B-B). */
  signingTime: string | null;
  integrity: Integrity;
  /**
   * whole: the signature covers the file to its last byte; signed-later: bytes after it were added
   * by a later revision that another signature covers; unsigned-additions: bytes were appended that
   * no signature covers.
   */
  coverage: Coverage;
  /**
   * Bytes of the file after this signature's range. For the latest signature with coverage 'whole'
   * these can only be validation data (a /DSS update, PAdES B-LT), which changes nothing signed.
   */
  bytesAfter: number;
  trust: Trust;
  /** The RFC 3161 signature timestamp (PAdES B-T), when the signature carries one. */
  timestamp: TimestampReport | null;
  /** The signer certificate's status from an OCSP answer kept in the document (B-LT), if any. */
  revocation: RevocationReport;
  /** What is wrong, in Bahasa Indonesia, for the report; empty when the signature is valid. */
  problems: string[];
}

export interface TimestampReport {
  /** The time the timestamp authority vouches for. */
  time: string;
  authority: string | null;
  /** The token is signed by its authority and is over this signature's value. */
  intact: boolean;
  trust: Trust;
}

export interface RevocationReport {
  /** not-checked: the document keeps no OCSP answer for the signer's certificate. */
  status: RevocationStatus | 'not-checked';
  /** When the responder gave the answer. */
  producedAt: string | null;
}

export interface ValidationReport {
  signatures: SignatureReport[];
  /** Every signature intact and trusted, and the last one covering the whole document. */
  valid: boolean;
}

const latin1 = new TextDecoder('latin1');

/** Reads every certificate (PEM, possibly several per file, or DER) in a trust-anchor directory. */
export function loadTrustAnchors(dir: string): Uint8Array[] {
  const anchors: Uint8Array[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(pem|crt|cer|der)$/i.test(name)) continue;
    const raw = readFileSync(join(dir, name));
    const pem = raw.toString('latin1');
    if (pem.includes('-----BEGIN CERTIFICATE-----')) {
      for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)) {
        anchors.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
      }
    } else {
      anchors.push(new Uint8Array(raw));
    }
  }
  return anchors;
}

/** The text of the indirect object around `at` ("N G obj" … "endobj"), or a window around it. */
function enclosingObject(text: string, at: number): { text: string; objectNumber: number | null } {
  const before = text.lastIndexOf(' obj', at);
  const head = before < 0 ? null : /(\d+)\s+\d+\s*$/.exec(text.slice(Math.max(0, before - 24), before));
  const end = text.indexOf('endobj', at);
  return {
    text: text.slice(before < 0 ? Math.max(0, at - 2048) : before, end < 0 ? at + 2048 : end),
    objectNumber: head ? Number(head[1]) : null,
  };
}

function pdfStringValue(dict: string, key: string): string | null {
  const literal = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`).exec(dict);
  if (literal) return literal[1]!.replace(/\\(.)/g, '$1');
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f\\s]*)>`).exec(dict);
  if (!hex) return null;
  const bytes = Buffer.from(hex[1]!.replace(/\s+/g, ''), 'hex');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('latin1');
}

/** "D:20261123091500Z" / "D:20261123161500+07'00'" → ISO time. */
function parsePdfDate(value: string | null): string | null {
  const m = value && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Walks issuer links from the signer to a trust anchor; every certificate must be valid at `at`. */
function chainToAnchor(signer: X509Certificate, pool: X509Certificate[], anchors: X509Certificate[], at: Date): { trusted: boolean; problem: string | null } {
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const validAt = (c: X509Certificate) => Date.parse(c.validFrom) <= at.getTime() && at.getTime() <= Date.parse(c.validTo);
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (!validAt(current)) {
      return { trusted: false, problem: `Sertifikat "${describeName(current)}" tidak berlaku pada waktu penandatanganan (berlaku ${current.validFrom} s.d. ${current.validTo}).` };
    }
    if (isAnchor(current)) return { trusted: true, problem: null };
    const issuer = [...anchors, ...pool].find((c) => c.subject === current.issuer && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    if (issuer.fingerprint256 === current.fingerprint256) break;
    current = issuer;
  }
  return { trusted: false, problem: 'Sertifikat penanda tangan tidak berantai ke penerbit sertifikat yang dipercaya (daftar CA instansi).' };
}

function describeName(c: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? c.subject;
}

// Signatures made elsewhere (other e-office systems, Acrobat) may use SHA-384/512; all are checked.
const digestNames: Record<string, string> = {
  [oid.sha256]: 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms with the hash they imply; rsaEncryption takes the signer's digest algorithm. */
const signatureHashes: Record<string, string | null> = {
  [oid.rsaEncryption]: null, [oid.sha256WithRsa]: 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  [oid.ecdsaWithSha256]: 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

export function verifySignatureValue(parsed: ParsedSignature, cert: X509Certificate, digestName: string): boolean {
  const hash = signatureHashes[parsed.signatureAlgorithm] ?? digestName;
  try {
    return verify(hash, parsed.signedAttributes, { key: cert.publicKey, dsaEncoding: 'der' }, parsed.signature);
  } catch {
    return false;
  }
}

/**
 * Whether the bytes after the last signature are only a B-LT update: the catalog gaining /DSS, the
 * DSS dictionary, the streams it lists, and the cross-reference stream. Any other object (a page,
 * its content, an annotation) makes them unsigned additions.
 */
function onlyValidationData(tail: string): boolean {
  const objects = [...tail.matchAll(/(\d+)\s+\d+\s+obj\b([\s\S]*?)endobj/g)].map((m) => ({ number: Number(m[1]), body: m[2]! }));
  const dss = objects.find((o) => /^\s*<<\s*\/(?:Certs|OCSPs|CRLs|VRI)\b/.test(o.body) && !/\/Type\b/.test(o.body));
  if (dss === undefined) return false;
  const listed = new Set([...dss.body.matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1])));
  const rest = tail.replace(/(\d+)\s+\d+\s+obj\b[\s\S]*?endobj/g, '');
  // Outside the objects only a cross-reference table and trailer may follow.
  if (/\b(?:obj|stream)\b/.test(rest.replace(/startxref|endstream/g, ''))) return false;
  return objects.every((o) => o === dss
    || (/\/Type\s*\/Catalog\b/.test(o.body) && new RegExp(`/DSS\\s+${dss.number}\\s+0\\s+R`).test(o.body))
    || (listed.has(o.number) && /^\s*<<\s*\/Length\s+\d+\s*>>\s*stream/.test(o.body))
    || /\/Type\s*\/XRef\b/.test(o.body));
}

/** Checks the signature timestamp token: signed by its TSA, over this signature value, TSA trusted. */
function checkTimestamp(parsed: ParsedSignature, anchors: X509Certificate[], now: Date): TimestampReport {
  const broken: TimestampReport = { time: '', authority: null, intact: false, trust: 'untrusted' };
  try {
    const token = parseCadesSignature(parsed.timestampToken!);
    if (token.content === null || token.signerCertificate === null) return broken;
    const info = readTstInfo(token.content);
    const tsa = new X509Certificate(token.signerCertificate);
    const imprintHash = digestNames[info.hashAlgorithm];
    const tokenHash = digestNames[token.digestAlgorithm];
    if (imprintHash === undefined || tokenHash === undefined) return broken;
    const overThisSignature = createHash(imprintHash).update(parsed.signature).digest().equals(info.hashedMessage);
    const tokenIntact = token.messageDigest !== null && createHash(tokenHash).update(token.content).digest().equals(token.messageDigest)
      && verifySignatureValue(token, tsa, tokenHash);
    // The TSA's certificate is judged at the time it vouched for, as its own token says.
    const chain = chainToAnchor(tsa, token.certificates.map((der) => new X509Certificate(der)), anchors, info.genTime.getTime() <= now.getTime() ? info.genTime : now);
    return {
      time: info.genTime.toISOString(),
      authority: describeName(tsa),
      intact: overThisSignature && tokenIntact,
      trust: chain.trusted ? 'trusted' : 'untrusted',
    };
  } catch {
    return broken;
  }
}

/** The signer's status from the first OCSP answer in the document that is about its certificate. */
function revocationOf(cert: X509Certificate, pool: X509Certificate[], ocsps: Uint8Array[]): RevocationReport {
  const issuer = pool.find((c) => c.subject === cert.issuer && cert.checkIssued(c) && cert.verify(c.publicKey));
  if (issuer === undefined) return { status: 'not-checked', producedAt: null };
  for (const der of ocsps) {
    const answer = readOcspResponse(der, new Uint8Array(cert.raw), new Uint8Array(issuer.raw));
    if (answer !== null) return { status: answer.status, producedAt: answer.producedAt };
  }
  return { status: 'not-checked', producedAt: null };
}

export interface FoundSignature {
  range: [number, number, number, number];
  /** Where the /ByteRange key is in the file. */
  at: number;
}

/** Every signature's /ByteRange in the file's text (latin1), in file order, each once. */
export function findSignatureRanges(text: string): FoundSignature[] {
  const seen = new Set<string>();
  const found: FoundSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const key = range.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ range, at: m.index });
  }
  return found;
}

export function validatePdf(bytes: Uint8Array, options: { trustAnchors: Uint8Array[]; now?: Date }): ValidationReport {
  const text = latin1.decode(bytes);
  const anchors = options.trustAnchors.map((der) => new X509Certificate(der));
  const found = findSignatureRanges(text);
  const dss = readDss(bytes);
  const furthest = Math.max(0, ...found.map(({ range }) => range[2] + range[3]));
  const validationDataOnly = found.length > 0 && furthest < bytes.length && onlyValidationData(text.slice(furthest));

  const signatures = found.map(({ range, at }): SignatureReport => {
    const [a, b, c, d] = range;
    const problems: string[] = [];
    const sigObject = enclosingObject(text, at);
    const field = sigObject.objectNumber === null ? null
      : new RegExp(`/V\\s+${sigObject.objectNumber}\\s+\\d+\\s+R`).exec(text);
    const fieldName = field ? pdfStringValue(enclosingObject(text, field.index).text, 'T') : null;
    const end = c + d;
    const coverage: Coverage = end === bytes.length || (end === furthest && validationDataOnly) ? 'whole' : end === furthest ? 'unsigned-additions' : 'signed-later';
    if (coverage === 'unsigned-additions') {
      problems.push(`Tanda tangan tidak mencakup seluruh dokumen: ada ${bytes.length - end} byte yang ditambahkan setelah penandatanganan dan tidak ditandatangani siapa pun.`);
    }
    const report: SignatureReport = {
      fieldName,
      subFilter: /\/SubFilter\s*\/([^\s/<>[\]]+)/.exec(sigObject.text)?.[1] ?? null,
      byteRange: range,
      signer: null,
      signingTime: parsePdfDate(pdfStringValue(sigObject.text, 'M')),  // the CMS signing-time, if any, is taken below
      integrity: 'modified',
      coverage,
      bytesAfter: bytes.length - Math.min(end, bytes.length),
      trust: 'untrusted',
      timestamp: null,
      revocation: { status: 'not-checked', producedAt: null },
      problems,
    };
    const structureOk = a === 0 && b > 0 && c > b && end <= bytes.length && bytes[b] === 0x3c && bytes[c - 1] === 0x3e;
    let parsed: ParsedSignature;
    try {
      if (!structureOk) throw new Error('byte range does not frame /Contents');
      parsed = parseCadesSignature(new Uint8Array(Buffer.from(latin1.decode(bytes.subarray(b + 1, c - 1)), 'hex')));
    } catch {
      problems.push('Struktur tanda tangan rusak: isi tanda tangan tidak dapat dibaca. Dokumen telah diubah atau rusak setelah ditandatangani.');
      return report;
    }
    const cert = parsed.signerCertificate ? new X509Certificate(parsed.signerCertificate) : null;
    if (cert === null) {
      problems.push('Sertifikat penanda tangan tidak disertakan dalam tanda tangan, sehingga tanda tangan tidak dapat diperiksa.');
      return report;
    }
    report.signer = describeCertificate(parsed.signerCertificate!);
    // Signers outside PAdES (adbe.pkcs7.detached) often leave /M out and carry the CMS signing-time.
    report.signingTime ??= parsed.signingTime?.toISOString() ?? null;

    const digestName = digestNames[parsed.digestAlgorithm];
    if (digestName === undefined || !(parsed.signatureAlgorithm in signatureHashes)) {
      report.integrity = 'unsupported';
      problems.push(`Tanda tangan ini memakai algoritma yang belum dapat diperiksa Loket (${parsed.digestAlgorithm}, ${parsed.signatureAlgorithm}); keasliannya belum dapat dipastikan. Periksa dengan aplikasi validasi lain.`);
      return report;
    }
    const digest = createHash(digestName).update(bytes.subarray(a, a + b)).update(bytes.subarray(c, end)).digest();
    const digestMatches = parsed.messageDigest !== null && digest.equals(parsed.messageDigest);
    const signatureMatches = verifySignatureValue(parsed, cert, digestName);
    if (digestMatches && signatureMatches) {
      report.integrity = 'intact';
    } else {
      problems.push(digestMatches
        ? 'Nilai tanda tangan tidak cocok dengan sertifikat penanda tangan.'
        : 'Dokumen telah diubah setelah ditandatangani: isi yang ditandatangani tidak lagi sama.');
    }
    if (parsed.signingCertificateHash && !createHash('sha256').update(parsed.signerCertificate!).digest().equals(parsed.signingCertificateHash)) {
      problems.push('Atribut signing-certificate-v2 tidak menunjuk ke sertifikat penanda tangan.');
      report.integrity = 'modified';
    }
    const pool = [...parsed.certificates, ...dss.certs].map((der) => new X509Certificate(der));
    if (parsed.timestampToken) {
      report.timestamp = checkTimestamp(parsed, anchors, options.now ?? new Date());
      if (!report.timestamp.intact) problems.push('Stempel waktu pada tanda tangan ini rusak atau bukan untuk tanda tangan ini.');
      else if (report.timestamp.trust !== 'trusted') problems.push('Stempel waktu berasal dari penyedia (TSA) yang tidak dipercaya.');
    }
    // A timestamp the agency trusts fixes the time the certificate is judged at; otherwise the
    // signer's own clock (/M) is all there is.
    const judgedAt = report.timestamp?.intact && report.timestamp.trust === 'trusted' ? new Date(report.timestamp.time)
      : report.signingTime ? new Date(report.signingTime) : (options.now ?? new Date());
    const chain = chainToAnchor(cert, pool, anchors, judgedAt);
    report.trust = chain.trusted ? 'trusted' : 'untrusted';
    if (chain.problem) problems.push(chain.problem);
    report.revocation = revocationOf(cert, [...pool, ...anchors], dss.ocsps);
    if (report.revocation.status === 'revoked') {
      problems.push('Sertifikat penanda tangan telah dicabut oleh penerbitnya.');
      report.trust = 'untrusted';
    }
    return report;
  });

  return {
    signatures,
    valid: signatures.some((s) => s.coverage === 'whole') && signatures.every((s) => s.integrity === 'intact' && s.trust === 'trusted'),
  };
}
