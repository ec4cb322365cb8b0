// What a person needs to know about a signing certificate (who, issued by whom, valid when, for
// what), and the refusal of certificates that must not sign: expired, not yet valid, or issued
// without the digitalSignature/nonRepudiation key usage.
import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from './errors.ts';
import { formatDay, formatMoment, type OfficeTimeZone } from './dates.ts';

export type KeyUsage =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment'
  | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

const keyUsageBits: KeyUsage[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment',
  'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

export interface CertificateInfo {
  /** Distinguished name, one attribute per line as OpenSSL prints it (e.g. "CN=Budi Santoso"). */
  subject: string;
  commonName: string;
  /** The subject's serialNumber attribute; Indonesian CAs often carry the NIK/NIP there. */
  subjectSerialNumber: string | null;
  issuer: string;
  issuerCommonName: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  /** null when the certificate has no keyUsage extension (any usage allowed). */
  keyUsage: KeyUsage[] | null;
  fingerprintSha256: string;
}

function attribute(dn: string, name: string): string | null {
  for (const line of dn.split('\n')) {
    if (line.startsWith(`${name}=`)) return line.slice(name.length + 1);
  }
  return null;
}

function readKeyUsage(der: Uint8Array): KeyUsage[] | null {
  const cert = pkijs.Certificate.fromBER(der);
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.15');
  if (!ext) return null;
  const bits = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result;
  if (!(bits instanceof asn1js.BitString)) return [];
  const bytes = bits.valueBlock.valueHexView;
  return keyUsageBits.filter((_, i) => (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1);
}

// A batch describes the same few certificates once per letter; parsing one (pkijs for the key
// usage) costs milliseconds, so the answers are kept by the certificate's SHA-256.
const described = new Map<string, CertificateInfo>();

export function describeCertificate(der: Uint8Array): CertificateInfo {
  const fingerprint = createHash('sha256').update(der).digest('hex');
  let info = described.get(fingerprint);
  if (info === undefined) {
    info = readCertificate(der, fingerprint);
    if (described.size >= 64) described.delete(described.keys().next().value!);
    described.set(fingerprint, info);
  }
  return { ...info, keyUsage: info.keyUsage && [...info.keyUsage] };
}

function readCertificate(der: Uint8Array, fingerprint: string): CertificateInfo {
  const x = new X509Certificate(der);
  return {
    subject: x.subject,
    commonName: attribute(x.subject, 'CN') ?? x.subject.split('\n').at(-1) ?? '',
    subjectSerialNumber: attribute(x.subject, 'serialNumber'),
    issuer: x.issuer,
    issuerCommonName: attribute(x.issuer, 'CN') ?? '',
    serialNumber: x.serialNumber,
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    keyUsage: readKeyUsage(der),
    fingerprintSha256: fingerprint,
  };
}

// A certificate's bounds are moments: written as the day at the office, or as the moment in UTC with
// its label where the office is not known (the device worker's own check).
const dateId = (iso: string, zone: OfficeTimeZone | null) => (zone === null ? formatMoment(iso, 'UTC', 'id', 'long') : formatDay(iso, zone, 'id', 'long'));

/** Why this certificate must not sign now, or null when it may. */
/** Key usages as a clerk reads them (RFC 5280 names are for engineers). */
const usageNames: Record<string, string> = {
  digitalSignature: 'tanda tangan digital', nonRepudiation: 'nirsangkal', keyEncipherment: 'penyandian kunci', dataEncipherment: 'penyandian data',
  keyAgreement: 'kesepakatan kunci', keyCertSign: 'menandatangani sertifikat', cRLSign: 'menandatangani daftar pencabutan',
  encipherOnly: 'hanya menyandikan', decipherOnly: 'hanya membuka sandi',
};

export function signingRefusal(info: CertificateInfo, now: Date = new Date(), zone: OfficeTimeZone | null = null): AppError | null {
  const details = { commonName: info.commonName, validFrom: info.validFrom, validTo: info.validTo, keyUsage: info.keyUsage };
  if (now.getTime() > Date.parse(info.validTo)) {
    return new AppError('CERTIFICATE_EXPIRED',
      `Sertifikat "${info.commonName}" sudah kedaluwarsa sejak ${dateId(info.validTo, zone)}, sehingga tidak dapat dipakai menandatangani. Dokumen tidak diubah; ajukan pembaruan sertifikat ke penerbitnya.`, details);
  }
  if (now.getTime() < Date.parse(info.validFrom)) {
    return new AppError('CERTIFICATE_NOT_YET_VALID',
      `Sertifikat "${info.commonName}" baru berlaku mulai ${dateId(info.validFrom, zone)}. Dokumen tidak diubah; periksa tanggal dan jam komputer.`, details);
  }
  if (info.keyUsage !== null && !info.keyUsage.includes('digitalSignature') && !info.keyUsage.includes('nonRepudiation')) {
    return new AppError('CERTIFICATE_NOT_FOR_SIGNING',
      `Sertifikat "${info.commonName}" tidak diterbitkan untuk tanda tangan elektronik (penggunaan kunci: ${info.keyUsage.map((u) => usageNames[u] ?? 'lainnya').join(', ') || 'tidak ada'}). Dokumen tidak diubah; pilih sertifikat penandatanganan.`, details);
  }
  return null;
}
