// The signer seam (DESIGN.md "Seams"): whatever holds the private key of a certificate — a PKCS#11
// token key, a Cloud Signature Consortium credential, a BSrE-style signing service. PAdES assembly,
// stamps, timestamps and validation see only this interface. Hash-only in every case: the desk
// prepares the PDF and hashes its byte ranges; only hashes leave the desk.
//
// Two shapes, because services differ in what they sign:
// - a key (KeySigner) signs the CMS signed attributes the desk builds and answers a signature value
//   (a token; CSC signatures/signHash);
// - a service that builds the CMS itself (CmsSigner) gets the document digest and answers the whole
//   CMS SignedData (BSrE-style), which the desk checks and embeds.

export type SignatureAlgorithm = 'rsa' | 'ecdsa-p256';

/**
 * Many signatures under one authorization: the PIN, OTP or passphrase typed once covers exactly the
 * inputs handed over together (the Cloud Signature Consortium binds the hashes to the authorization
 * at SCAL2), so a batch hands over all of them before the first signature.
 */
export interface BatchAuthorization {
  /** The most inputs one authorization may cover (the service's own limit). */
  limit: number;
  /** One output per input, in order; rejects as a whole when the authorization is refused. */
  sign(inputs: Uint8Array[]): Promise<Uint8Array[]>;
}

export interface KeySigner {
  /** DER certificates, the signer's own first, then its issuers (the root may be left out). */
  certificateChain: Uint8Array[];
  algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (the DER-encoded CMS signed attributes) with SHA-256 and returns the CMS signature
   * value: PKCS#1 v1.5 for RSA, a DER `ECDSA-Sig-Value` for ECDSA.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /**
   * Present on a remote key that is authorized once per batch: inputs are the letters' signed
   * attributes, outputs their signature values (as `sign`). A token, which signs in turn after one
   * login, has none.
   */
  batch?: BatchAuthorization;
}

export interface CmsSigner {
  /** DER certificates, the signer's own first, then its issuers (the root may be left out). */
  certificateChain: Uint8Array[];
  /**
   * Inputs are document digests (SHA-256 of a letter's byte ranges); outputs the DER ContentInfo of
   * a detached CMS SignedData over each, built by the service. The desk checks each before use.
   */
  batch: BatchAuthorization;
  buildsCms: true;
}

export type Signer = KeySigner | CmsSigner;

export function buildsItsOwnCms(signer: Signer): signer is CmsSigner {
  return 'buildsCms' in signer;
}
