// RFC 3161 timestamps from the agency's timestamp authority (TSA): the proof that a signature
// existed at a time the signer's own clock cannot fake (PAdES B-T). The request carries only the
// SHA-256 of the signature value and a nonce; the answer is checked to be for exactly that.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '../../../common/errors.ts';
import { oid } from './cms.ts';

/** Something that timestamps data: the configured TSA over HTTP, or a stand-in in tests. */
export interface Timestamper {
  /** The timeStampToken (DER ContentInfo of SignedData over a TSTInfo) for SHA-256(data). */
  timestamp(data: Uint8Array): Promise<Uint8Array>;
}

const bufferSource = (bytes: Uint8Array) => bytes.slice().buffer;

/** The TSTInfo inside a timeStampToken: when, by which policy, over which hash. */
export interface TimestampInfo {
  genTime: Date;
  policy: string;
  serialNumber: string;
  hashAlgorithm: string;
  hashedMessage: Uint8Array;
  nonce: Uint8Array | null;
}

export function readTstInfo(eContent: Uint8Array): TimestampInfo {
  const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(bufferSource(eContent)).result });
  return {
    genTime: tst.genTime,
    policy: tst.policy,
    serialNumber: Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
    hashAlgorithm: tst.messageImprint.hashAlgorithm.algorithmId,
    hashedMessage: new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    nonce: tst.nonce ? new Uint8Array(tst.nonce.valueBlock.valueHexView) : null,
  };
}

function unavailable(url: string, reason: string, cause?: unknown): AppError {
  return new AppError('TSA_UNAVAILABLE', undefined, { url, reason }, { cause });
}

/** The TSA at `url` (RFC 3161 over HTTP: POST application/timestamp-query). */
export function httpTimestamper(url: string, options: { timeoutMs?: number } = {}): Timestamper {
  return {
    async timestamp(data) {
      const hash = createHash('sha256').update(data).digest();
      const nonce = randomBytes(8);
      // A positive INTEGER in its shortest form (no leading zero byte), so it comes back byte for byte:
      // a TSA re-encodes the nonce, and 0x00 0x3f… would return as 0x3f….
      nonce[0] = (nonce[0]! & 0x7f) || 0x01;
      const request = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oid.sha256 }),
          hashedMessage: new asn1js.OctetString({ valueHex: bufferSource(hash) }),
        }),
        nonce: new asn1js.Integer({ valueHex: bufferSource(nonce) }),
        // The TSA's certificate travels in the token, so a validator needs nothing else to check it.
        certReq: true,
      });
      let body: Uint8Array;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: new Uint8Array(request.toSchema().toBER(false)),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        if (!res.ok) throw unavailable(url, `HTTP ${res.status}`);
        body = new Uint8Array(await res.arrayBuffer());
      } catch (err) {
        throw err instanceof AppError ? err : unavailable(url, 'network', err);
      }
      let response: pkijs.TimeStampResp;
      try {
        response = pkijs.TimeStampResp.fromBER(bufferSource(body));
      } catch (err) {
        throw unavailable(url, 'not a TimeStampResp', err);
      }
      // granted (0) or grantedWithMods (1); anything else is a refusal.
      if (response.status.status > 1 || response.timeStampToken === undefined) throw unavailable(url, `status ${response.status.status}`);
      const token = new Uint8Array(response.timeStampToken.toSchema().toBER(false));
      const signed = new pkijs.SignedData({ schema: response.timeStampToken.content });
      const eContent = signed.encapContentInfo.eContent?.getValue();
      if (eContent === undefined) throw unavailable(url, 'token without TSTInfo');
      const info = readTstInfo(new Uint8Array(eContent));
      if (!Buffer.from(info.hashedMessage).equals(hash)) throw unavailable(url, 'token for another hash');
      if (!info.nonce || !Buffer.from(info.nonce).equals(nonce)) throw unavailable(url, 'nonce mismatch');
      return token;
    },
  };
}
