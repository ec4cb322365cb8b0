// A BSrE-style signing service for the remote signing tests, shaped like the calls BSrE's public
// clients make (see main/sign/signers/bsre.ts for what is published and what is assumed): HTTPS on
// 127.0.0.1 (test TLS CA), OAuth 2.0 client credentials, certificate holders by NIK with a
// passphrase or a TOTP code, and hash signing that answers a whole CMS per document digest. The CMS
// is built here with pkijs and signed in SoftHSM through bare pkcs11js — independently of the
// desk's CMS code, with its own choices (signing-certificate-v2 without issuerSerial, the chain
// in the order leaf, CA) — so the desk's check and embedding meet a CMS it did not write.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TestToken } from './softhsm.ts';
import { openHsmKeys } from './hsm-keys.ts';
import { bearerOf, jsonOf, startHttpsRig, type HttpsRig, type RigReply } from './service-rig.ts';
import type { TestTls } from './tls.ts';
import { totp, totpMatches } from './totp.ts';

export interface BsreTestHolder {
  nik: string;
  keyId: string;
  certificateDer: Uint8Array;
  passphrase: string;
  status: 'ISSUE' | 'EXPIRED' | 'SUSPEND';
}

export interface BsreTestService extends HttpsRig {
  url: string;
  clientId: string;
  clientSecret: string;
  holders: { budi: BsreTestHolder; expired: BsreTestHolder };
  /** A NIK BSrE does not know. */
  unknownNik: string;
  /** The TOTP code the holder's authenticator app shows now. */
  totp(): string;
  /** Sign requests answered, and how many digests each carried. */
  signRequests(): number[];
  lock(nik: string): void;
  unlock(nik: string): void;
}

const oids = {
  data: '1.2.840.113549.1.7.1', signedData: '1.2.840.113549.1.7.2', contentType: '1.2.840.113549.1.9.3', messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47', sha256: '2.16.840.1.101.3.4.2.1', rsaEncryption: '1.2.840.113549.1.1.1', ecdsaWithSha256: '1.2.840.10045.4.3.2',
};
// A copy: Buffer.slice() would share (and hand over) the whole pool behind a small Buffer.
const ab = (b: Uint8Array) => Uint8Array.from(b).buffer;

/** A CAdES detached SignedData over `digest`, built the way a service with its own toolkit would. */
function buildCms(digest: Uint8Array, certDer: Uint8Array, caDer: Uint8Array, sign: (hash: Uint8Array) => Uint8Array): Uint8Array {
  const cert = pkijs.Certificate.fromBER(ab(certDer));
  const ca = pkijs.Certificate.fromBER(ab(caDer));
  const certHash = createHash('sha256').update(certDer).digest();
  const signingCertificateV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(certHash) })] })] })] });
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: oids.contentType, values: [new asn1js.ObjectIdentifier({ value: oids.data })] }),
      new pkijs.Attribute({ type: oids.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
      new pkijs.Attribute({ type: oids.signingCertificateV2, values: [signingCertificateV2] }),
    ],
  });
  const toSign = Buffer.from(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const ec = cert.subjectPublicKeyInfo.algorithm.algorithmId === '1.2.840.10045.2.1';
  const signature = sign(createHash('sha256').update(toSign).digest());
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: oids.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: oids.data }),
    certificates: [cert, ca],
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oids.sha256 }),
      signedAttrs,
      signatureAlgorithm: ec ? new pkijs.AlgorithmIdentifier({ algorithmId: oids.ecdsaWithSha256 }) : new pkijs.AlgorithmIdentifier({ algorithmId: oids.rsaEncryption, algorithmParams: new asn1js.Null() }),
      signature: new asn1js.OctetString({ valueHex: ab(signature) }),
    })],
  });
  return new Uint8Array(new pkijs.ContentInfo({ contentType: oids.signedData, content: signedData.toSchema(true) }).toSchema().toBER(false));
}

export async function startBsreTestService(token: TestToken, tls: TestTls): Promise<BsreTestService> {
  const hsm = openHsmKeys(token);
  const holders = {
    budi: { nik: '3201010101800001', keyId: token.keys.rsa.id, certificateDer: token.keys.rsa.certificate.der, passphrase: 'Rahasia#Budi2024', status: 'ISSUE' },
    expired: { nik: '3201010101700003', keyId: token.keys.expired.id, certificateDer: token.keys.expired.certificate.der, passphrase: 'Rahasia#Lama2020', status: 'EXPIRED' },
  } satisfies BsreTestService['holders'];
  const byNik = new Map<string, BsreTestHolder>(Object.values(holders).map((h) => [h.nik, h]));
  const totpSecret = randomBytes(20);
  const clientId = 'loket-kabupaten-uji';
  const clientSecret = randomBytes(24).toString('base64url');
  const tokens = new Map<string, number>();
  const wrong = new Map<string, number>();
  const locked = new Set<string>();
  const signed: number[] = [];
  const refuse = (status: number, statusCode: number, message: string): RigReply => ({ status, json: { error: message, status_code: statusCode } });

  const rig = await startHttpsRig(tls, (req) => {
    if (req.path === '/oauth2/token' && req.method === 'POST') {
      const basic = typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8') : '';
      if (basic !== `${clientId}:${clientSecret}` || jsonOf(req)?.grant_type !== 'client_credentials') return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, Date.now() + 3_600_000);
      return { json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 } };
    }
    const accessToken = bearerOf(req);
    if (!accessToken || (tokens.get(accessToken) ?? 0) < Date.now()) return { status: 401, json: { error: 'unauthorized', message: 'Token tidak valid' } };

    const status = /^\/api\/user\/status\/(\d+)$/.exec(req.path);
    if (status && req.method === 'GET') {
      const holder = byNik.get(status[1]!);
      if (!holder) return { json: { status_code: 2011, status: 'NOT_REGISTERED', message: 'User tidak terdaftar' } };
      const state = locked.has(holder.nik) ? 'SUSPEND' : holder.status;
      return { json: { status_code: 1111, status: state, message: state === 'ISSUE' ? 'Sertifikat aktif' : `Sertifikat ${state}` } };
    }
    const certificate = /^\/api\/user\/certificate\/(\d+)$/.exec(req.path);
    if (certificate && req.method === 'GET') {
      const holder = byNik.get(certificate[1]!);
      if (!holder) return refuse(404, 2011, 'User tidak terdaftar');
      return { json: { certificate_chain: [Buffer.from(holder.certificateDer).toString('base64'), Buffer.from(token.ca.certDer).toString('base64')] } };
    }
    if (req.path === '/api/entity/sign/hash/pdf' && req.method === 'POST') {
      const body = jsonOf(req) ?? {};
      const holder = byNik.get(String(body.nik ?? ''));
      if (!holder) return refuse(400, 2011, 'User tidak terdaftar');
      if (locked.has(holder.nik)) return refuse(400, 2032, 'Akun anda terkunci karena passphrase salah berulang kali');
      const secretOk = typeof body.totp === 'string' ? totpMatches(totpSecret, body.totp) : body.passphrase === holder.passphrase;
      if (!secretOk) {
        const count = (wrong.get(holder.nik) ?? 0) + 1;
        wrong.set(holder.nik, count);
        if (count >= 3) locked.add(holder.nik);
        return refuse(400, 2031, typeof body.totp === 'string' ? 'TOTP anda salah' : 'Passphrase anda salah');
      }
      wrong.delete(holder.nik);
      if (holder.status === 'EXPIRED') return refuse(400, 2041, 'Sertifikat anda sudah kedaluwarsa');
      const properties = (typeof body.signaturePropertiesHashMap === 'object' && body.signaturePropertiesHashMap !== null ? body.signaturePropertiesHashMap : {}) as Record<string, { documentDigestBase64?: unknown }>;
      const cmsSignedDataHashMap: Record<string, string> = {};
      for (const [key, property] of Object.entries(properties)) {
        const digest = Buffer.from(String(property.documentDigestBase64 ?? ''), 'base64');
        if (digest.length !== 32) return refuse(400, 2051, 'documentDigestBase64 tidak valid');
        cmsSignedDataHashMap[key] = Buffer.from(buildCms(digest, holder.certificateDer, token.ca.certDer, (hash) => hsm.signHash(holder.keyId, hash))).toString('base64');
      }
      signed.push(Object.keys(cmsSignedDataHashMap).length);
      return { json: { data: { cmsSignedDataHashMap } } };
    }
    return refuse(404, 404, 'Tidak ditemukan');
  });
  return {
    ...rig,
    url: rig.origin,
    clientId, clientSecret, holders,
    unknownNik: '3201019999999999',
    totp: () => totp(totpSecret),
    signRequests: () => signed,
    lock: (nik) => { locked.add(nik); },
    unlock: (nik) => { locked.delete(nik); wrong.delete(nik); },
    stop: async () => {
      await rig.stop();
      hsm.close();
    },
  };
}
