// The signer seam (DESIGN.md "Seams"): anything that holds a private key and can sign for a
// certificate — a PKCS#11 token key now, a remote signing service later. PAdES assembly, stamps and
// validation see only this interface.

export type SignatureAlgorithm = 'rsa' | 'ecdsa-p256';

export interface Signer {
  /** DER certificates, the signer's own first, then its issuers (the root may be left out). */
  certificateChain: Uint8Array[];
  algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (the DER-encoded CMS signed attributes) with SHA-256 and returns the CMS signature
   * value: PKCS#1 v1.5 for RSA, a DER `ECDSA-Sig-Value` for ECDSA.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
