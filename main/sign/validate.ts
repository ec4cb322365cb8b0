// Checks every signature in a received PDF the way the person at Tanda Tangan → Periksa needs it:
// who signed and when, whether the signed bytes are intact, whether the signature covers the whole
// document (bytes appended afterwards are reported), and whether the signer's certificate chains
// to a configured trust anchor (the agency's CA list in resources/trust/, a test CA in tests).
// Signatures are found by their /ByteRange in the raw bytes, so a damaged file is still reported on.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCertificate, type CertificateInfo } from './certificate.ts';
import { oid, parseCadesSignature, type ParsedSignature } from './cms.ts';

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
  /** Bytes of the file after this signature's range. */
  bytesAfter: number;
  trust: Trust;
  /** What is wrong, in Bahasa Indonesia, for the report; empty when the signature is valid. */
  problems: string[];
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

function verifySignatureValue(parsed: ParsedSignature, cert: X509Certificate, digestName: string): boolean {
  const hash = signatureHashes[parsed.signatureAlgorithm] ?? digestName;
  try {
    return verify(hash, parsed.signedAttributes, { key: cert.publicKey, dsaEncoding: 'der' }, parsed.signature);
  } catch {
    return false;
  }
}

export function validatePdf(bytes: Uint8Array, options: { trustAnchors: Uint8Array[]; now?: Date }): ValidationReport {
  const text = latin1.decode(bytes);
  const anchors = options.trustAnchors.map((der) => new X509Certificate(der));
  const seen = new Set<string>();
  const found: { range: [number, number, number, number]; at: number }[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const key = range.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ range, at: m.index });
  }
  const furthest = Math.max(0, ...found.map(({ range }) => range[2] + range[3]));

  const signatures = found.map(({ range, at }): SignatureReport => {
    const [a, b, c, d] = range;
    const problems: string[] = [];
    const sigObject = enclosingObject(text, at);
    const field = sigObject.objectNumber === null ? null
      : new RegExp(`/V\\s+${sigObject.objectNumber}\\s+\\d+\\s+R`).exec(text);
    const fieldName = field ? pdfStringValue(enclosingObject(text, field.index).text, 'T') : null;
    const end = c + d;
    const coverage: Coverage = end === bytes.length ? 'whole' : end === furthest ? 'unsigned-additions' : 'signed-later';
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
    const judgedAt = report.signingTime ? new Date(report.signingTime) : (options.now ?? new Date());
    const pool = parsed.certificates.map((der) => new X509Certificate(der));
    const chain = chainToAnchor(cert, pool, anchors, judgedAt);
    report.trust = chain.trusted ? 'trusted' : 'untrusted';
    if (chain.problem) problems.push(chain.problem);
    return report;
  });

  return {
    signatures,
    valid: signatures.some((s) => s.coverage === 'whole') && signatures.every((s) => s.integrity === 'intact' && s.trust === 'trusted'),
  };
}
