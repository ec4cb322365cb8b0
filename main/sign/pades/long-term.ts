// Long-term validation of a signed letter (PAdES B-T and B-LT, ETSI EN 319 142-1 §5.3–5.4):
// a letter signed offline gets its signature timestamp later, and the certificates and OCSP answers
// a validator needs years from now go into the document security store (/DSS) in an incremental
// update.
import { X509Certificate } from 'node:crypto';
import { AppError } from '../../../common/errors.ts';
import { parseCadesSignature, withSignatureTimestamp, type ParsedSignature } from './cms.ts';
import { appendDss } from './dss.ts';
import { fetchOcsp, ocspUrlOf, readOcspResponse, type RevocationStatus } from './revocation.ts';
import type { Timestamper } from './timestamp.ts';
import { scanSignatureRanges } from './validate.ts';

const latin1 = new TextDecoder('latin1');

interface LatestSignature {
  contentsStart: number;
  contentsEnd: number;
  parsed: ParsedSignature;
}

/** The signature added last: the one whose byte range reaches furthest into the file. */
function latestSignature(pdf: Uint8Array): LatestSignature {
  const found = scanSignatureRanges(pdf);
  const latest = found.sort((x, y) => (y.range[2] + y.range[3]) - (x.range[2] + x.range[3]))[0];
  if (latest === undefined) throw new AppError('PDF_UNSUPPORTED', 'Dokumen ini belum ditandatangani, sehingga tidak ada tanda tangan yang dapat dilengkapi.', { reason: 'no signature' });
  const [, b, c] = latest.range;
  const hex = latin1.decode(pdf.subarray(b + 1, c - 1));
  return { contentsStart: b, contentsEnd: c, parsed: parseCadesSignature(new Uint8Array(Buffer.from(hex, 'hex'))) };
}

/**
 * Adds a signature timestamp to the letter's latest signature, in place: /Contents lies outside the
 * signed byte ranges and was reserved with room for it, so no signed byte changes. A signature that
 * already has one is returned as it is.
 */
export async function timestampLatestSignature(pdf: Uint8Array, timestamper: Timestamper): Promise<{ pdf: Uint8Array; added: boolean }> {
  const latest = latestSignature(pdf);
  if (latest.parsed.timestampToken !== null) return { pdf, added: false };
  const hex = latin1.decode(pdf.subarray(latest.contentsStart + 1, latest.contentsEnd - 1)).replace(/(00)+$/, '');
  const token = await timestamper.timestamp(latest.parsed.signature);
  const upgraded = Buffer.from(withSignatureTimestamp(new Uint8Array(Buffer.from(hex, 'hex')), token)).toString('hex').toUpperCase();
  const room = latest.contentsEnd - latest.contentsStart - 2;
  if (upgraded.length > room) throw new AppError('PDF_UNSUPPORTED', 'Ruang tanda tangan di dokumen ini tidak cukup untuk stempel waktu. Tanda tangan tetap sah tanpa stempel waktu.', { needed: upgraded.length, room });
  const out = Buffer.from(pdf);
  out.write(upgraded.padEnd(room, '0'), latest.contentsStart + 1, 'latin1');
  return { pdf: new Uint8Array(out), added: true };
}

export interface CertificateRevocation {
  commonName: string;
  status: RevocationStatus;
}

/** The issuer of `cert` among `pool`, or null (a root, or the chain is incomplete). */
function issuerIn(cert: X509Certificate, pool: X509Certificate[]): X509Certificate | null {
  if (cert.subject === cert.issuer && cert.verify(cert.publicKey)) return null;
  return pool.find((c) => c.subject === cert.issuer && cert.checkIssued(c) && cert.verify(c.publicKey)) ?? null;
}

/**
 * B-LT: puts every certificate of the latest signature's chain (and its timestamp authority's) and
 * a fresh OCSP answer for each non-root certificate into the /DSS, as one incremental update that
 * keeps every signature valid. The responder is the one the certificate names (AIA), else
 * `ocspUrl`. Fails with REVOCATION_UNAVAILABLE (the letter unchanged) when no answer can be had.
 */
export async function addLongTermValidation(pdf: Uint8Array, options: { trustAnchors: Uint8Array[]; ocspUrl?: string; timeoutMs?: number }): Promise<{ pdf: Uint8Array; revocation: CertificateRevocation[] }> {
  const { parsed } = latestSignature(pdf);
  const token = parsed.timestampToken ? parseCadesSignature(parsed.timestampToken) : null;
  const derOf = new Map<string, Uint8Array>();
  const add = (der: Uint8Array) => derOf.set(new X509Certificate(der).fingerprint256, der);
  [...parsed.certificates, ...(token?.certificates ?? []), ...options.trustAnchors].forEach(add);
  const pool = [...derOf.values()].map((der) => new X509Certificate(der));

  const starts = [parsed.signerCertificate, token?.signerCertificate].filter((c): c is Uint8Array => c != null).map((der) => new X509Certificate(der));
  const chainCerts = new Map<string, X509Certificate>();
  for (let cert of starts) {
    for (let depth = 0; depth < 6 && !chainCerts.has(cert.fingerprint256); depth++) {
      chainCerts.set(cert.fingerprint256, cert);
      const issuer = issuerIn(cert, pool);
      if (issuer === null) break;
      cert = issuer;
    }
  }
  const ocsps: Uint8Array[] = [];
  const revocation: CertificateRevocation[] = [];
  for (const cert of chainCerts.values()) {
    const issuer = issuerIn(cert, pool);
    if (issuer === null) continue;
    const der = new Uint8Array(cert.raw);
    const url = ocspUrlOf(der) ?? options.ocspUrl;
    if (url === undefined) throw new AppError('REVOCATION_UNAVAILABLE', undefined, { reason: 'no OCSP responder', subject: cert.subject });
    const answerDer = await fetchOcsp(url, der, new Uint8Array(issuer.raw), options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    ocsps.push(answerDer);
    revocation.push({ commonName: /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject, status: readOcspResponse(answerDer, der, new Uint8Array(issuer.raw))!.status });
  }
  const certs = [...chainCerts.values()].map((c) => new Uint8Array(c.raw));
  return { pdf: await appendDss(pdf, { certs, ocsps }), revocation };
}
