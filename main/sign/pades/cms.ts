// CMS SignedData for PAdES baseline B-B (ETSI EN 319 142-1 §5.1 / EN 319 122-1): detached content,
// SHA-256, signed attributes content-type, message-digest and signing-certificate-v2 — no
// signing-time attribute, PAdES carries the time in the signature dictionary's /M. Also the parser
// the validator uses to take a received signature apart.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeySigner } from '../../../common/signer.ts';

export const oid = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

const toBytes = (buf: ArrayBuffer | ArrayBufferView) => (buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
const bufferSource = (bytes: Uint8Array) => bytes.slice().buffer;

/** ESS signing-certificate-v2 (RFC 5035): SHA-256 of the signer's certificate plus issuer and serial. */
function signingCertificateV2(cert: pkijs.Certificate, certDer: Uint8Array): asn1js.Sequence {
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  // hashAlgorithm is left out: SHA-256 is its DEFAULT, and DER omits defaults.
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: bufferSource(certHash) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** One DER element: tag, definite length, contents. */
function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const lengthBytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) lengthBytes.unshift(n & 0xff);
  const head = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  return new Uint8Array(Buffer.concat([Uint8Array.from(head), ...contents]));
}

const derOf = (value: { toSchema(): asn1js.AsnType }) => toBytes(value.toSchema().toBER(false));
const oidDer = (value: string) => toBytes(new asn1js.ObjectIdentifier({ value }).toBER(false));
const universal = { integer: 0x02, octetString: 0x04, sequence: 0x30, set: 0x31 } as const;
const contextZero = 0xa0;
const versionOne = der(universal.integer, Uint8Array.of(1));
const messageDigestOid = oidDer(oid.messageDigest);
const signedDataOid = oidDer(oid.signedData);

/**
 * The parts of the signature that are the same for every letter a signer signs — certificates,
 * signer identifier, algorithms, the content-type and signing-certificate-v2 attributes — encoded
 * once (with pkijs) per signer, that is per batch. Only the document digest and the signature value
 * differ between letters.
 */
interface CadesTemplate {
  contentTypeAttribute: Uint8Array;
  signingCertificateAttribute: Uint8Array;
  signerIdentifier: Uint8Array;
  digestAlgorithm: Uint8Array;
  signatureAlgorithm: Uint8Array;
  /** SignedData from its version to its certificates: everything before the signer infos. */
  signedDataHead: Uint8Array;
}

const templates = new WeakMap<KeySigner, CadesTemplate>();

function templateFor(signer: KeySigner): CadesTemplate {
  let template = templates.get(signer);
  if (template !== undefined) return template;
  const [leafDer] = signer.certificateChain;
  if (leafDer === undefined) throw new Error('signer without certificate');
  const leaf = pkijs.Certificate.fromBER(bufferSource(leafDer));
  const digestAlgorithm = derOf(new pkijs.AlgorithmIdentifier({ algorithmId: oid.sha256 }));
  template = {
    contentTypeAttribute: derOf(new pkijs.Attribute({ type: oid.contentType, values: [new asn1js.ObjectIdentifier({ value: oid.data })] })),
    signingCertificateAttribute: derOf(new pkijs.Attribute({ type: oid.signingCertificateV2, values: [signingCertificateV2(leaf, leafDer)] })),
    signerIdentifier: derOf(new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber })),
    digestAlgorithm,
    signatureAlgorithm: derOf(signer.algorithm === 'rsa'
      ? new pkijs.AlgorithmIdentifier({ algorithmId: oid.rsaEncryption, algorithmParams: new asn1js.Null() })
      : new pkijs.AlgorithmIdentifier({ algorithmId: oid.ecdsaWithSha256 })),
    signedDataHead: new Uint8Array(Buffer.concat([
      versionOne,
      der(universal.set, digestAlgorithm),
      derOf(new pkijs.EncapsulatedContentInfo({ eContentType: oid.data })),
      der(contextZero, ...signer.certificateChain),
    ])),
  };
  templates.set(signer, template);
  return template;
}

/**
 * The signed attributes for a document digest (SHA-256 of the PDF byte ranges), DER-encoded as the
 * SET the signature covers (RFC 5652 §5.4): what the key signs, and all that leaves the desk.
 */
export function cadesSignedAttributes(documentDigest: Uint8Array, signer: KeySigner): Uint8Array {
  const template = templateFor(signer);
  const messageDigestAttribute = der(universal.sequence, messageDigestOid, der(universal.set, der(universal.octetString, documentDigest)));
  // In DER order (a SET OF is sorted by encoding): content-type, message-digest, signing-certificate-v2.
  return der(universal.set, template.contentTypeAttribute, messageDigestAttribute, template.signingCertificateAttribute);
}

/** The DER ContentInfo(SignedData) around signed attributes and the key's signature value over them. */
export function assembleCadesSignature(signedAttributes: Uint8Array, signature: Uint8Array, signer: KeySigner): Uint8Array {
  const template = templateFor(signer);
  // Stored as the [0] IMPLICIT field of the SignerInfo: the same contents under another tag.
  const implicit = Uint8Array.from(signedAttributes);
  implicit[0] = contextZero;
  const signerInfo = der(universal.sequence, versionOne, template.signerIdentifier, template.digestAlgorithm,
    implicit, template.signatureAlgorithm, der(universal.octetString, signature));
  const signedData = der(universal.sequence, template.signedDataHead, der(universal.set, signerInfo));
  return der(universal.sequence, signedDataOid, der(contextZero, signedData));
}

/**
 * Builds the DER ContentInfo(SignedData) over a document digest (SHA-256 of the PDF byte ranges).
 * The signer signs the DER of the signed attributes; nothing else leaves this function.
 */
export async function buildCadesSignature(documentDigest: Uint8Array, signer: KeySigner): Promise<Uint8Array> {
  const signedAttributes = cadesSignedAttributes(documentDigest, signer);
  return assembleCadesSignature(signedAttributes, await signer.sign(signedAttributes), signer);
}

export interface ParsedSignature {
  /** DER certificates carried in the signature. */
  certificates: Uint8Array[];
  /** The signer's certificate among them, found by issuer and serial number; null if absent. */
  signerCertificate: Uint8Array | null;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  /** The signed attributes re-tagged as SET: the exact bytes the signature covers. */
  signedAttributes: Uint8Array;
  messageDigest: Uint8Array | null;
  contentType: string | null;
  /** SHA-256 certificate hash from signing-certificate-v2, when present. */
  signingCertificateHash: Uint8Array | null;
  signingTime: Date | null;
  signature: Uint8Array;
  /** The encapsulated content (a timestamp token's TSTInfo); null for a detached signature. */
  content: Uint8Array | null;
  /** The RFC 3161 token of the signature-time-stamp unsigned attribute (PAdES B-T), when present. */
  timestampToken: Uint8Array | null;
  /** The parts no signature covers, which a validator checks for consistency (RFC 5652 §5.1, §5.3). */
  envelope: {
    signedDataVersion: number;
    /** PAdES allows exactly one SignerInfo. */
    signerCount: number;
    signerInfoVersion: number;
    /** The signer is named by subject key identifier rather than issuer and serial number. */
    signerByKeyId: boolean;
    eContentType: string;
    /** SignedData.digestAlgorithms: every digest algorithm its signers use. */
    digestAlgorithms: string[];
    unsignedAttributeTypes: string[];
    /** The signer identifier names the signer's certificate byte for byte (not just equal after name normalisation). */
    signerIdExact: boolean;
    /** The parameters of every digest algorithm identifier, and of the signature algorithm. */
    digestParameters: AlgorithmParameters[];
    signatureParameters: AlgorithmParameters;
  };
}

export type AlgorithmParameters = 'absent' | 'null' | 'other';

function parametersOf(algorithm: pkijs.AlgorithmIdentifier): AlgorithmParameters {
  const params = algorithm.algorithmParams as unknown;
  if (params === undefined || (params instanceof asn1js.Any && params.constructor === asn1js.Any)) return 'absent';
  return params instanceof asn1js.Null ? 'null' : 'other';
}

/** Takes a DER ContentInfo(SignedData) apart; throws on anything that is not one. */
export function parseCadesSignature(der: Uint8Array): ParsedSignature {
  const info = pkijs.ContentInfo.fromBER(bufferSource(der));
  if (info.contentType !== oid.signedData) throw new Error(`not SignedData: ${info.contentType}`);
  const signedData = new pkijs.SignedData({ schema: info.content });
  const [signerInfo] = signedData.signerInfos;
  if (!signerInfo?.signedAttrs) throw new Error('no signer with signed attributes');
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid = signerInfo.sid as unknown;
  const signerCert = sid instanceof pkijs.IssuerAndSerialNumber
    ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
    : undefined;
  const attr = (type: string) => signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0] as asn1js.AsnType | undefined;
  const md = attr(oid.messageDigest);
  const ct = attr(oid.contentType);
  const st = attr(oid.signingTime);
  const tst = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === oid.signatureTimeStampToken)?.values[0] as asn1js.AsnType | undefined;
  const eContent = signedData.encapContentInfo.eContent?.getValue();
  let certHash: Uint8Array | null = null;
  const scv2 = attr(oid.signingCertificateV2);
  if (scv2 instanceof asn1js.Sequence) {
    const firstId = (scv2.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value[0] as asn1js.Sequence | undefined;
    const hash = firstId?.valueBlock.value.find((v) => v instanceof asn1js.OctetString);
    if (hash instanceof asn1js.OctetString) certHash = new Uint8Array(hash.valueBlock.valueHexView);
  }
  return {
    certificates: certs.map((c) => toBytes(c.toSchema().toBER(false))),
    signerCertificate: signerCert ? toBytes(signerCert.toSchema().toBER(false)) : null,
    digestAlgorithm: signerInfo.digestAlgorithm.algorithmId,
    signatureAlgorithm: signerInfo.signatureAlgorithm.algorithmId,
    signedAttributes: toBytes(signerInfo.signedAttrs.encodedValue),
    messageDigest: md instanceof asn1js.OctetString ? new Uint8Array(md.valueBlock.valueHexView) : null,
    contentType: ct instanceof asn1js.ObjectIdentifier ? ct.valueBlock.toString() : null,
    signingCertificateHash: certHash,
    signingTime: st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime ? st.toDate() : null,
    signature: new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
    content: eContent === undefined ? null : new Uint8Array(eContent),
    timestampToken: tst ? toBytes(tst.toBER(false)) : null,
    envelope: {
      signedDataVersion: signedData.version,
      signerCount: signedData.signerInfos.length,
      signerInfoVersion: signerInfo.version,
      signerByKeyId: !(sid instanceof pkijs.IssuerAndSerialNumber),
      eContentType: signedData.encapContentInfo.eContentType,
      digestAlgorithms: signedData.digestAlgorithms.map((a) => a.algorithmId),
      unsignedAttributeTypes: signerInfo.unsignedAttrs?.attributes.map((a) => a.type) ?? [],
      signerIdExact: signerCert !== undefined && sid instanceof pkijs.IssuerAndSerialNumber
        && Buffer.from(sid.issuer.valueBeforeDecode).equals(Buffer.from(signerCert.issuer.valueBeforeDecode))
        && Buffer.from(sid.serialNumber.valueBlock.valueHexView).equals(Buffer.from(signerCert.serialNumber.valueBlock.valueHexView)),
      digestParameters: [...signedData.digestAlgorithms, signerInfo.digestAlgorithm].map(parametersOf),
      signatureParameters: parametersOf(signerInfo.signatureAlgorithm),
    },
  };
}

/**
 * The signature with an RFC 3161 token over its signature value added as the unsigned attribute
 * id-aa-signatureTimeStampToken (B-B → B-T). Signed attributes and signature value are untouched,
 * so the signature stays valid; only the CMS container grows.
 */
export function withSignatureTimestamp(der: Uint8Array, token: Uint8Array): Uint8Array {
  const info = pkijs.ContentInfo.fromBER(bufferSource(der));
  const signedData = new pkijs.SignedData({ schema: info.content });
  const [signerInfo] = signedData.signerInfos;
  if (!signerInfo) throw new Error('no signer to timestamp');
  const attribute = new pkijs.Attribute({ type: oid.signatureTimeStampToken, values: [asn1js.fromBER(bufferSource(token)).result] });
  const others = signerInfo.unsignedAttrs?.attributes.filter((a) => a.type !== oid.signatureTimeStampToken) ?? [];
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [...others, attribute] });
  const contentInfo = new pkijs.ContentInfo({ contentType: oid.signedData, content: signedData.toSchema(true) });
  return toBytes(contentInfo.toSchema().toBER(false));
}
