// The test signing services' HSM: keys of a SoftHSM test token (tests/support/softhsm.ts) used
// through bare pkcs11js, the way a signing service drives its HSM — deliberately not through the
// desk's own token code, which is what the tests check. Signs a SHA-256 hash the service received:
// RSA as PKCS#1 v1.5 over the DigestInfo, ECDSA over the hash (answered as a DER ECDSA-Sig-Value).
import pkcs11js from 'pkcs11js';
import type { TestToken } from './softhsm.ts';

export interface HsmKeys {
  /** The signature over a SHA-256 `hash` with the key whose CKA_ID is `keyId` (hex). */
  signHash(keyId: string, hash: Uint8Array): Uint8Array;
  close(): void;
}

// DigestInfo ::= SEQUENCE { AlgorithmIdentifier sha256 NULL, OCTET STRING (32) } — its DER head.
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const CKU_CONTEXT_SPECIFIC = 2;

function derInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = Buffer.from(bytes.subarray(i));
  const value = body[0]! & 0x80 ? Buffer.concat([Buffer.of(0), body]) : body;
  return Buffer.concat([Buffer.of(0x02, value.length), value]);
}

export function openHsmKeys(token: TestToken): HsmKeys {
  // SoftHSM reads its configuration at C_Initialize: the token's own, for this process.
  process.env.SOFTHSM2_CONF = token.conf;
  const p11 = new pkcs11js.PKCS11();
  p11.load(token.module);
  try { p11.C_Initialize(); } catch { /* already initialised in this process (the desk's token code in the same test) */ }
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).serialNumber.trim() === token.serial);
  if (slot === undefined) throw new Error(`test token ${token.serial} not found: was SoftHSM initialised with another SOFTHSM2_CONF in this process?`);
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  try { p11.C_Login(session, pkcs11js.CKU_USER, token.pin); } catch { /* the token is logged in for the process already */ }
  const keys = new Map<string, { handle: pkcs11js.Handle; ec: boolean; alwaysAuthenticate: boolean }>();

  function key(keyId: string) {
    let found = keys.get(keyId);
    if (found) return found;
    p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(keyId, 'hex') }]);
    const [handle] = p11.C_FindObjects(session, 1);
    p11.C_FindObjectsFinal(session);
    if (handle === undefined) throw new Error(`no private key ${keyId} on the test token`);
    const [type, always] = p11.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_KEY_TYPE }, { type: pkcs11js.CKA_ALWAYS_AUTHENTICATE }]);
    // CK_ULONG and CK_BBOOL in the platform's byte order (little-endian here).
    found = { handle, ec: Number((type!.value as Buffer).readBigUInt64LE(0)) === pkcs11js.CKK_EC, alwaysAuthenticate: (always!.value as Buffer)[0] === 1 };
    keys.set(keyId, found);
    return found;
  }

  return {
    signHash(keyId, hash) {
      const { handle, ec, alwaysAuthenticate } = key(keyId);
      p11.C_SignInit(session, { mechanism: ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, handle);
      if (alwaysAuthenticate) p11.C_Login(session, CKU_CONTEXT_SPECIFIC, token.pin);
      const input = ec ? Buffer.from(hash) : Buffer.concat([sha256DigestInfo, hash]);
      const signature = p11.C_Sign(session, input, Buffer.alloc(512));
      if (!ec) return new Uint8Array(signature);
      const half = signature.length / 2;
      const body = Buffer.concat([derInteger(signature.subarray(0, half)), derInteger(signature.subarray(half))]);
      return new Uint8Array(Buffer.concat([Buffer.of(0x30, body.length), body]));
    },
    close() {
      try { p11.C_CloseSession(session); } catch { /* already closed with the process's other sessions */ }
    },
  };
}
