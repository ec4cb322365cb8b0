// Revocation status of certificates over OCSP (RFC 6960): asking the CA's responder while signing
// (B-LT keeps its answers in the PDF), and reading an answer back when a signature is checked.
// Requests and answers are built and checked here with asn1js/pkijs and node:crypto, synchronously
// where no network is involved, so the validator stays a plain function of the file's bytes.
import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../../../common/errors.ts';

const bufferSource = (bytes: Uint8Array) => bytes.slice().buffer;

/**
 * A validator asks about the same few answers once per certificate it checks; pkijs parsing is the
 * bulk of that work, so each answer is parsed once (kept while the caller holds its bytes).
 */
const parsedAnswers = new WeakMap<Uint8Array, pkijs.BasicOCSPResponse | null>();

/** The BasicOCSPResponse of a successful answer, or null. Throws on what is not an OCSPResponse. */
function basicResponse(responseDer: Uint8Array): pkijs.BasicOCSPResponse | null {
  if (parsedAnswers.has(responseDer)) return parsedAnswers.get(responseDer)!;
  const response = pkijs.OCSPResponse.fromBER(bufferSource(responseDer));
  const basic = response.responseStatus.valueBlock.valueDec !== 0 || !response.responseBytes ? null
    : pkijs.BasicOCSPResponse.fromBER(bufferSource(new Uint8Array(response.responseBytes.response.valueBlock.valueHexView)));
  parsedAnswers.set(responseDer, basic);
  return basic;
}
const sha1 = '1.3.14.3.2.26';
const ocspAccessMethod = '1.3.6.1.5.5.7.48.1';
const authorityInfoAccess = '1.3.6.1.5.5.7.1.1';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface OcspAnswer {
  status: RevocationStatus;
  producedAt: string;
  thisUpdate: string;
  revokedAt: string | null;
}

/** The OCSP responder URL from the certificate's Authority Information Access, if it names one. */
export function ocspUrlOf(certificateDer: Uint8Array): string | null {
  const cert = pkijs.Certificate.fromBER(bufferSource(certificateDer));
  const ext = cert.extensions?.find((e) => e.extnID === authorityInfoAccess);
  const aia = ext?.parsedValue as pkijs.InfoAccess | undefined;
  const location = aia?.accessDescriptions.find((d) => d.accessMethod === ocspAccessMethod)?.accessLocation;
  return location && location.type === 6 ? String(location.value) : null;
}

/** CertID with SHA-1 (what every responder accepts): hashes of the issuer's name and key, the serial. */
function certId(cert: pkijs.Certificate, issuer: pkijs.Certificate): pkijs.CertID {
  const nameHash = createHash('sha1').update(new Uint8Array(issuer.subject.toSchema().toBER(false))).digest();
  const keyHash = createHash('sha1').update(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: sha1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: bufferSource(nameHash) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: bufferSource(keyHash) }),
    serialNumber: cert.serialNumber,
  });
}

/** Asks `url` about `certificateDer` (issued by `issuerDer`); returns the DER OCSPResponse after checking it. */
export async function fetchOcsp(url: string, certificateDer: Uint8Array, issuerDer: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
  const cert = pkijs.Certificate.fromBER(bufferSource(certificateDer));
  const issuer = pkijs.Certificate.fromBER(bufferSource(issuerDer));
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId(cert, issuer) })];
  let body: Uint8Array;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: new Uint8Array(request.toSchema(true).toBER(false)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw new AppError('REVOCATION_UNAVAILABLE', undefined, { url }, { cause: err });
  }
  const answer = readOcspResponse(body, certificateDer, issuerDer);
  if (answer === null) throw new AppError('REVOCATION_UNAVAILABLE', undefined, { url, reason: 'answer not for this certificate or not signed by its CA' });
  return body;
}

const signatureHashes: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512', '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

/** The answer is signed by `ca` itself or by a responder certificate `ca` issued for OCSP signing. */
function signedByCaOrDelegate(basic: pkijs.BasicOCSPResponse, ca: X509Certificate): boolean {
  const delegated = (basic.certs ?? []).map((c) => new X509Certificate(new Uint8Array(c.toSchema().toBER(false))))
    .filter((c) => c.checkIssued(ca) && c.verify(ca.publicKey) && (c.keyUsage ?? []).includes('1.3.6.1.5.5.7.3.9'));
  const hash = signatureHashes[basic.signatureAlgorithm.algorithmId];
  if (hash === undefined) return false;
  const tbs = basic.tbsResponseData.tbsView;
  const signature = basic.signature.valueBlock.valueHexView;
  return [ca, ...delegated].some((signer) => {
    try {
      return verify(hash, tbs, { key: signer.publicKey, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  });
}

/**
 * Whether an OCSP response kept in a document is whole: a successful answer signed by one of the
 * `cas` (or their delegated responder). A damaged one is worth a warning, whoever it is about.
 */
export function ocspResponseIntact(responseDer: Uint8Array, cas: X509Certificate[]): boolean {
  try {
    const basic = basicResponse(responseDer);
    return basic !== null && cas.some((ca) => signedByCaOrDelegate(basic, ca));
  } catch {
    return false;
  }
}

/**
 * The status an OCSP response gives `certificateDer`, or null when the response is not a valid,
 * signed answer about that certificate from its CA (or a responder the CA delegated to).
 */
export function readOcspResponse(responseDer: Uint8Array, certificateDer: Uint8Array, issuerDer: Uint8Array): OcspAnswer | null {
  try {
    const basic = basicResponse(responseDer);
    if (basic === null) return null;
    const cert = pkijs.Certificate.fromBER(bufferSource(certificateDer));
    const issuerX = new X509Certificate(issuerDer);
    const issuer = pkijs.Certificate.fromBER(bufferSource(issuerDer));

    if (!signedByCaOrDelegate(basic, issuerX)) return null;

    const expected = certId(cert, issuer);
    const single = basic.tbsResponseData.responses.find((r) => r.certID.serialNumber.isEqual(expected.serialNumber)
      && Buffer.from(r.certID.issuerKeyHash.valueBlock.valueHexView).equals(Buffer.from(expected.issuerKeyHash.valueBlock.valueHexView)));
    if (!single) return null;
    const tag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
    const status: RevocationStatus = tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
    let revokedAt: string | null = null;
    if (status === 'revoked') {
      const time = (single.certStatus as asn1js.Constructed).valueBlock.value[0];
      if (time instanceof asn1js.GeneralizedTime) revokedAt = time.toDate().toISOString();
    }
    return { status, producedAt: basic.tbsResponseData.producedAt.toISOString(), thisUpdate: single.thisUpdate.toISOString(), revokedAt };
  } catch {
    return null;
  }
}
