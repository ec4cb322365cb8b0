// Checks every signature in a received PDF the way the person at Tanda Tangan → Periksa needs it:
// who signed and when, whether the signed bytes are intact, whether the document was changed after
// signing (decided by parsing each revision and comparing its objects — see changes.ts), whether
// the signer's certificate chains to a configured trust anchor (the agency's CA list in
// resources/trust/, a test CA in tests), and whether every timestamp holds. A signature is valid
// only when all of that holds; what does not break it but deserves a look is a warning, never a
// green verdict. Any input gets an answer — not a PDF, truncated, damaged, too large, no signature —
// and reading a file costs work linear in its size (pdf-syntax.ts's Budget).
import { createHash, verify, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCertificate, type CertificateInfo } from '../../../common/certificate.ts';
import { assertReadable, compareRevisions, type Addition, type Change, type Permissions } from './changes.ts';
import { oid, parseCadesSignature, type ParsedSignature } from './cms.ts';
import { isName, PdfFile, type RevisionEnd, type RevisionState } from './pdf-file.ts';
import { Budget, decodeStream, PdfDict, PdfLimitError, PdfName, PdfStream, PdfString, PdfSyntaxError, type PdfValue } from './pdf-syntax.ts';
import { ocspResponseIntact, readOcspResponse, type RevocationStatus } from './revocation.ts';
import { readTstInfo } from './timestamp.ts';

/** The largest file Periksa checks: a scanned letter of many pages is well below it. */
export const maxValidatedBytes = 50 * 1024 * 1024;

/** unsupported: the signature uses algorithms Loket cannot check (it is neither confirmed nor refuted). */
export type Integrity = 'intact' | 'modified' | 'unsupported';
/**
 * whole: nothing was added after the signature; allowed-additions: later revisions only added what
 * the rules allow (validation data, timestamps, further signatures); changed: the document was
 * changed after signing; unknown: the file is too damaged to tell.
 */
export type Coverage = 'whole' | 'allowed-additions' | 'changed' | 'unknown';
export type Trust = 'trusted' | 'untrusted';
/** valid: all holds; warning: holds, with something to look at; indeterminate: cannot be confirmed; invalid: does not hold. */
export type Verdict = 'valid' | 'warning' | 'indeterminate' | 'invalid';
export type DocumentState = 'readable' | 'not-pdf' | 'truncated' | 'damaged' | 'too-large' | 'too-complex';

export type { Addition, Change } from './changes.ts';

export interface SignatureReport {
  /** A person's signature, or a document timestamp (an authority vouching the document existed then). */
  kind: 'signature' | 'document-timestamp';
  fieldName: string | null;
  subFilter: string | null;
  byteRange: [number, number, number, number] | null;
  signer: CertificateInfo | null;
  /** /M of the signature dictionary: the time the signer's computer claims (no timestamp in B-B). */
  signingTime: string | null;
  integrity: Integrity;
  coverage: Coverage;
  /** What later revisions added that the rules allow. */
  additions: Addition[];
  /** Changes after signing that no rule allows, by page and object. */
  changes: Change[];
  /** Changes the certification signature's DocMDP allows (form filling, annotations). */
  permittedChanges: Change[];
  /** Bytes of the file after this signature's range. */
  bytesAfter: number;
  trust: Trust;
  /** The RFC 3161 signature timestamp (PAdES B-T), when the signature carries one. */
  timestamp: TimestampReport | null;
  /** The signer certificate's status from an OCSP answer kept in the document (B-LT), if any. */
  revocation: RevocationReport;
  verdict: Verdict;
  /** Why the signature is not valid, in Bahasa Indonesia; empty when it is. */
  problems: string[];
  /** What deserves a look though the signature holds, in Bahasa Indonesia. */
  warnings: string[];
}

export interface TimestampReport {
  /** The time the timestamp authority vouches for. */
  time: string;
  authority: string | null;
  /** The token is signed by its authority and is over this signature's value. */
  intact: boolean;
  trust: Trust;
}

export interface RevocationReport {
  /** not-checked: the document keeps no OCSP answer for the signer's certificate. */
  status: RevocationStatus | 'not-checked';
  /** When the responder gave the answer. */
  producedAt: string | null;
}

export interface ValidationReport {
  /** unsigned: a readable document without signatures; unreadable: no signature could be found in what was given. */
  verdict: Verdict | 'unsigned' | 'unreadable';
  document: { state: DocumentState; problem: string | null };
  signatures: SignatureReport[];
  /** About the document as a whole (damaged validation data), in Bahasa Indonesia. */
  warnings: string[];
  /** The green verdict: every signature valid, nothing to warn about. */
  valid: boolean;
}

export interface ValidateOptions {
  trustAnchors: Uint8Array[];
  now?: Date;
}

const documentProblems: Record<Exclude<DocumentState, 'readable'>, string> = {
  'not-pdf': 'Berkas ini bukan PDF, sehingga tidak ada tanda tangan elektronik yang dapat diperiksa.',
  truncated: 'Berkas PDF ini terpotong: bagian akhirnya tidak ada (mungkin unduhan atau salinan yang belum selesai). Minta kiriman ulang berkas aslinya.',
  damaged: 'Berkas PDF ini rusak: strukturnya tidak dapat dibaca sebagaimana mestinya, sehingga perubahan setelah penandatanganan tidak dapat dipastikan.',
  'too-large': `Berkas terlalu besar untuk diperiksa (paling besar ${maxValidatedBytes / 1024 / 1024} MB).`,
  'too-complex': 'Struktur berkas ini tidak wajar (jauh lebih rumit dari ukurannya), sehingga pemeriksaan dihentikan. Berkas kemungkinan rusak atau sengaja dibuat untuk mengelabui pemeriksa.',
};

const problemTexts = {
  byteRange: 'Tanda tangan rusak: rentang byte yang ditandatangani (/ByteRange) tidak sah.',
  dictionary: 'Tanda tangan rusak: data tanda tangan di dalam dokumen tidak dapat dibaca.',
  framing: 'Tanda tangan rusak: rentang byte yang ditandatangani tidak tepat mengapit isi tanda tangan (/Contents).',
  contents: 'Tanda tangan rusak: isi tanda tangan (/Contents) tidak utuh.',
  unreadable: 'Struktur tanda tangan rusak: isi tanda tangan tidak dapat dibaca. Dokumen telah diubah atau rusak setelah ditandatangani.',
  envelope: 'Struktur tanda tangan tidak konsisten: bagian yang tidak ikut ditandatangani telah diubah.',
  noRevision: 'Tanda tangan tidak berakhir pada akhir sebuah versi dokumen, sehingga tidak jelas dokumen mana yang ditandatangani.',
  removed: 'Tanda tangan ini sudah dilepas dari dokumen oleh perubahan sesudahnya; dokumen yang tampil bukan lagi dokumen yang ditandatangani.',
  signedRevisionUnreadable: 'Versi dokumen yang ditandatangani tidak dapat dibaca utuh, sehingga perubahan sesudahnya tidak dapat dipastikan.',
  latestUnreadable: 'Bagian dokumen yang ditambahkan setelah penandatanganan rusak, sehingga perubahannya tidak dapat dipastikan.',
  encrypted: 'Dokumen terenkripsi: perubahan setelah penandatanganan tidak dapat diperiksa Loket.',
  timestampBroken: 'Stempel waktu pada tanda tangan ini rusak atau bukan untuk tanda tangan ini.',
  timestampUntrusted: 'Stempel waktu berasal dari penyedia (TSA) yang tidak dipercaya.',
  revoked: 'Sertifikat penanda tangan telah dicabut oleh penerbitnya.',
  revocationUnknown: 'Penerbit sertifikat menjawab status sertifikat penanda tangan "tidak diketahui".',
  unknownUnsigned: 'Tanda tangan membawa atribut tambahan yang tidak dikenal Loket.',
} as const;

const beyondEnd = (missing: number) => `Rentang yang ditandatangani melewati akhir berkas (${missing} byte tidak ada): berkas ini terpotong, atau ditulis ulang seluruhnya setelah ditandatangani.`;

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

/** "D:20261123091500Z" / "D:20261123161500+07'00'" → ISO time. */
function parsePdfDate(value: string | null): string | null {
  const m = value && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const parseCertificate = (der: Uint8Array): X509Certificate | null => {
  try {
    return new X509Certificate(der);
  } catch {
    return null;
  }
};

/** `cert` is signed by `issuer`'s key; false on anything unexpected. */
const issuedBy = (cert: X509Certificate, issuer: X509Certificate) => {
  try {
    return cert.issuer === issuer.subject && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
};

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
    const issuer = [...anchors, ...pool].find((c) => issuedBy(current, c));
    if (!issuer) break;
    if (issuer.fingerprint256 === current.fingerprint256) break;
    current = issuer;
  }
  return { trusted: false, problem: 'Sertifikat penanda tangan tidak berantai ke penerbit sertifikat yang dipercaya (daftar CA instansi).' };
}

function describeName(c: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? c.subject;
}

/**
 * Certificates carried along (in a signature, a timestamp token or the /DSS), sorted out: sound
 * ones; damaged ones (unreadable, or not signed by their issuer); and ones whose issuer is nowhere
 * to be found, which cannot be checked. Only sound ones are used.
 */
function sortCertificates(ders: Uint8Array[], known: X509Certificate[]): { certs: X509Certificate[]; damaged: number; unverifiable: number } {
  const parsed = ders.map(parseCertificate);
  const readable = parsed.filter((c): c is X509Certificate => c !== null);
  const all = [...readable, ...known];
  const certs: X509Certificate[] = [];
  let damaged = parsed.length - readable.length;
  let unverifiable = 0;
  for (const cert of readable) {
    if (known.some((k) => k.fingerprint256 === cert.fingerprint256)) certs.push(cert);
    else if (cert.subject === cert.issuer) {
      if (issuedBy(cert, cert)) certs.push(cert);
      else damaged++;
    } else {
      const issuers = all.filter((c) => c !== cert && c.subject === cert.issuer);
      if (issuers.length === 0) unverifiable++;
      else if (issuers.some((i) => issuedBy(cert, i))) certs.push(cert);
      else damaged++;
    }
  }
  return { certs, damaged, unverifiable };
}

const unverifiableWarning = 'Ada sertifikat yang disertakan tanpa penerbitnya, sehingga tidak dapat diperiksa; sertifikat itu diabaikan.';

// Signatures made elsewhere (other e-office systems, Acrobat) may use SHA-384/512; all are checked.
const digestNames: Record<string, string> = {
  [oid.sha256]: 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms with the hash they imply; rsaEncryption takes the signer's digest algorithm. */
const signatureHashes: Record<string, string | null> = {
  [oid.rsaEncryption]: null, [oid.sha256WithRsa]: 'sha256', '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
  [oid.ecdsaWithSha256]: 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};
const tstInfoOid = '1.2.840.113549.1.9.16.1.4';

export function verifySignatureValue(parsed: ParsedSignature, cert: X509Certificate, digestName: string): boolean {
  const hash = signatureHashes[parsed.signatureAlgorithm] ?? digestName;
  try {
    return verify(hash, parsed.signedAttributes, { key: cert.publicKey, dsaEncoding: 'der' }, parsed.signature);
  } catch {
    return false;
  }
}

/**
 * The unsigned envelope of a CMS agrees with itself (RFC 5652 §5.1, §5.3): one signer, the version
 * numbers its contents call for, the signer's digest algorithm listed, the content type attribute
 * equal to the encapsulated content's type. Nothing checks these bytes otherwise.
 */
function envelopeConsistent(parsed: ParsedSignature): boolean {
  const e = parsed.envelope;
  const expectedVersion = e.eContentType !== oid.data || e.signerByKeyId ? 3 : 1;
  // RSA identifiers carry NULL parameters (or, tolerated, none); ECDSA ones none (RFC 4055, RFC 5758).
  const ecdsa = parsed.signatureAlgorithm.startsWith('1.2.840.10045.');
  const signatureParameters = ecdsa ? e.signatureParameters === 'absent' : e.signatureParameters !== 'other';
  return e.signerCount === 1 && e.signedDataVersion === expectedVersion && e.signerInfoVersion === (e.signerByKeyId ? 3 : 1)
    && e.digestAlgorithms.includes(parsed.digestAlgorithm) && parsed.contentType === e.eContentType
    && (e.signerByKeyId || e.signerIdExact) && signatureParameters && e.digestParameters.every((p) => p !== 'other');
}

/**
 * Checks an RFC 3161 token: signed by its TSA, over the data `imprintOf` hashes, TSA trusted at the
 * time it vouches for. Used for a signature's timestamp and for a document timestamp.
 */
function checkTimestampToken(tokenDer: Uint8Array, imprintOf: (hash: string) => Buffer, anchors: X509Certificate[], now: Date): TimestampReport & { tsa: X509Certificate | null } {
  const broken = { time: '', authority: null, intact: false, trust: 'untrusted' as const, tsa: null };
  try {
    const token = parseCadesSignature(tokenDer);
    if (token.content === null || token.signerCertificate === null || token.envelope.eContentType !== tstInfoOid || !envelopeConsistent(token)) return broken;
    const info = readTstInfo(token.content);
    const tsa = parseCertificate(token.signerCertificate);
    const imprintHash = digestNames[info.hashAlgorithm];
    const tokenHash = digestNames[token.digestAlgorithm];
    if (tsa === null || imprintHash === undefined || tokenHash === undefined || !(token.signatureAlgorithm in signatureHashes)) return broken;
    const overThis = imprintOf(imprintHash).equals(info.hashedMessage);
    const tokenIntact = token.messageDigest !== null && createHash(tokenHash).update(token.content).digest().equals(token.messageDigest)
      && verifySignatureValue(token, tsa, tokenHash)
      && (token.signingCertificateHash === null || createHash('sha256').update(token.signerCertificate).digest().equals(token.signingCertificateHash));
    const carried = sortCertificates(token.certificates, anchors);
    // The TSA's certificate is judged at the time it vouched for, as its own token says.
    const chain = chainToAnchor(tsa, carried.certs, anchors, info.genTime.getTime() <= now.getTime() ? info.genTime : now);
    return {
      time: info.genTime.toISOString(),
      authority: describeName(tsa),
      intact: overThis && tokenIntact && carried.damaged === 0 && carried.unverifiable === 0,
      trust: chain.trusted ? 'trusted' : 'untrusted',
      tsa,
    };
  } catch {
    return broken;
  }
}

/** The signer's status from the first OCSP answer in the document that is about its certificate. */
function revocationOf(cert: X509Certificate, pool: X509Certificate[], ocsps: Uint8Array[]): RevocationReport {
  const issuer = pool.find((c) => issuedBy(cert, c));
  if (issuer === undefined) return { status: 'not-checked', producedAt: null };
  for (const der of ocsps) {
    const answer = readOcspResponse(der, new Uint8Array(cert.raw), new Uint8Array(issuer.raw));
    if (answer !== null) return { status: answer.status, producedAt: answer.producedAt };
  }
  return { status: 'not-checked', producedAt: null };
}

export interface FoundSignature {
  range: [number, number, number, number];
  /** Where the /ByteRange key is in the file. */
  at: number;
}

/**
 * Every "/ByteRange [a b c d]" in the raw bytes, in file order, each range once: how a damaged file
 * is still reported on, and how a signature a later revision detached is still found.
 */
export function scanSignatureRanges(bytes: Uint8Array): FoundSignature[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const key = Buffer.from('/ByteRange', 'latin1');
  const seen = new Set<string>();
  const found: FoundSignature[] = [];
  // Each occurrence is read within a few dozen bytes (white space, "[", four integers, "]"), so the
  // scan stays linear however many occurrences a file holds.
  const white = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
  for (let at = buffer.indexOf(key); at >= 0; at = buffer.indexOf(key, at + key.length)) {
    let p = at + key.length;
    const skip = () => {
      for (let n = 0; n < 32 && white(bytes[p]); n++) p++;
    };
    skip();
    if (bytes[p] !== 0x5b) continue;
    p++;
    const range: number[] = [];
    for (let i = 0; i < 4; i++) {
      skip();
      const start = p;
      let n = 0;
      while (p - start < 12 && bytes[p]! >= 0x30 && bytes[p]! <= 0x39) n = n * 10 + (bytes[p++]! - 0x30);
      if (p === start) break;
      range.push(n);
    }
    skip();
    if (range.length !== 4 || bytes[p] !== 0x5d) continue;
    const text = range.join(' ');
    if (seen.has(text)) continue;
    seen.add(text);
    found.push({ range: range as [number, number, number, number], at });
  }
  return found;
}

/** A signature dictionary as the document's form presents it. */
interface SignatureField {
  name: string | null;
  /** null: the signature dictionary is there but does not read. */
  dict: PdfDict | null;
}

/** The signature fields of a revision that hold a signature (or document timestamp), in form order. */
function signatureFields(state: RevisionState): SignatureField[] {
  const found: SignatureField[] = [];
  const acroForm = state.dict(state.catalog()?.get('AcroForm'));
  const stack: { value: PdfValue; name: string; type: string | null; depth: number }[] = [];
  const push = (list: PdfValue | undefined, name: string, type: string | null, depth: number) => {
    const items = state.array(list) ?? [];
    for (let i = items.length - 1; i >= 0; i--) stack.push({ value: items[i]!, name, type, depth });
  };
  push(acroForm?.get('Fields'), '', null, 0);
  const seen = new Set<PdfDict>();
  while (stack.length > 0) {
    const { value, name: parentName, type: parentType, depth } = stack.pop()!;
    const field = state.dict(value);
    if (field === undefined || seen.has(field) || depth > 32) continue;
    seen.add(field);
    const partial = field.get('T');
    const name = partial instanceof PdfString ? (parentName ? `${parentName}.${partial.text()}` : partial.text()) : parentName;
    const ft = field.get('FT');
    const type = ft instanceof PdfName ? ft.name : parentType;
    const v = field.get('V');
    if (type === 'Sig' && v !== undefined) {
      try {
        const dict = state.dict(v);
        if (dict !== undefined) found.push({ name: name || null, dict });
      } catch (err) {
        if (!(err instanceof PdfSyntaxError)) throw err;
        found.push({ name: name || null, dict: null });
      }
    }
    if (field.get('Kids') !== undefined) push(field.get('Kids'), name, type, depth + 1);
  }
  return found;
}

/** DocMDP in force for a signature made on `state`, and the fields FieldMDP locks (ISO 32000-1 §12.8.2.2–3). */
function permissionsOf(state: RevisionState): Permissions {
  const permissions: Permissions = { docMdp: null, locked: new Set() };
  const references = (sig: PdfDict | undefined) => (state.array(sig?.get('Reference')) ?? []).map((r) => state.dict(r)).filter((r): r is PdfDict => r !== undefined);
  const certifier = state.dict(state.dict(state.catalog()?.get('Perms'))?.get('DocMDP'));
  for (const ref of references(certifier)) {
    if (!isName(ref.get('TransformMethod'), 'DocMDP')) continue;
    const p = state.dict(ref.get('TransformParams'))?.get('P') ?? 2;
    permissions.docMdp = p === 1 || p === 3 ? p : 2;
  }
  const lock = (params: PdfDict | undefined) => {
    if (params === undefined || permissions.locked === 'all') return;
    const names = (state.array(params.get('Fields')) ?? []).filter((f): f is PdfString => f instanceof PdfString).map((f) => f.text());
    if (isName(params.get('Action'), 'All') || isName(params.get('Action'), 'Exclude')) {
      // "Exclude" locks every field but the ones listed; treated as locking all, the stricter reading.
      permissions.locked = 'all';
    } else for (const n of names) permissions.locked.add(n);
  };
  const acroForm = state.dict(state.catalog()?.get('AcroForm'));
  for (const value of state.array(acroForm?.get('Fields')) ?? []) {
    const field = state.dict(value);
    if (field === undefined) continue;
    lock(state.dict(field.get('Lock')));
    for (const ref of references(state.dict(field.get('V')))) {
      if (isName(ref.get('TransformMethod'), 'FieldMDP')) lock(state.dict(ref.get('TransformParams')));
    }
  }
  return permissions;
}

interface ValidationData {
  /** The sound certificates of the /DSS. */
  certs: X509Certificate[];
  ocsps: Uint8Array[];
  warnings: string[];
}

/**
 * The certificates and OCSP answers of the document security store (/DSS) of the latest revision.
 * Nothing signs them, so each is checked on its own; a damaged one is left out, with a warning.
 */
function readValidationData(state: RevisionState, anchors: X509Certificate[]): ValidationData {
  const data: ValidationData = { certs: [], ocsps: [], warnings: [] };
  const warn = (text: string) => {
    if (!data.warnings.includes(text)) data.warnings.push(text);
  };
  const damaged = 'Data validasi jangka panjang (DSS) dalam dokumen rusak sebagian; bagian yang rusak diabaikan.';
  try {
    const dssValue = state.catalog()?.get('DSS');
    if (dssValue === undefined) return data;
    const dss = state.resolve(dssValue);
    if (!(dss instanceof PdfDict)) {
      warn(damaged);
      return data;
    }
    const streams = (key: string): Uint8Array[] => {
      const out: Uint8Array[] = [];
      for (const item of state.array(dss.get(key)) ?? []) {
        try {
          const stream = state.resolve(item);
          if (!(stream instanceof PdfStream)) throw new PdfSyntaxError('not a stream', 0);
          out.push(decodeStream(state.file.bytes, stream, state.file.budget));
        } catch (err) {
          if (!(err instanceof PdfSyntaxError)) throw err;
          warn(damaged);
        }
      }
      return out;
    };
    const certs = sortCertificates(streams('Certs'), anchors);
    data.certs = certs.certs;
    if (certs.damaged > 0) warn(`${certs.damaged} sertifikat dalam data validasi jangka panjang (DSS) rusak dan diabaikan.`);
    if (certs.unverifiable > 0) warn(unverifiableWarning);
    for (const der of streams('OCSPs')) {
      if (ocspResponseIntact(der, [...data.certs, ...anchors])) data.ocsps.push(der);
      else warn('Jawaban status sertifikat (OCSP) dalam data validasi jangka panjang (DSS) rusak atau tidak ditandatangani penerbitnya, dan diabaikan.');
    }
  } catch (err) {
    if (!(err instanceof PdfSyntaxError)) throw err;
    warn(damaged);
  }
  return data;
}

function emptyReport(found: { range: [number, number, number, number] | null; fieldName: string | null; subFilter: string | null; kind: SignatureReport['kind'] }, fileLength: number): SignatureReport {
  return {
    kind: found.kind, fieldName: found.fieldName, subFilter: found.subFilter, byteRange: found.range, signer: null, signingTime: null,
    integrity: 'modified', coverage: 'unknown', additions: [], changes: [], permittedChanges: [],
    bytesAfter: found.range === null ? 0 : Math.max(0, fileLength - (found.range[2] + found.range[3])),
    trust: 'untrusted', timestamp: null, revocation: { status: 'not-checked', producedAt: null }, verdict: 'invalid', problems: [], warnings: [],
  };
}

/**
 * Whether `bytes[start, end)` is a sequence of DER elements: definite, minimal lengths, each
 * constructed element exactly filled by its children. ISO 32000-1 §12.8.3.3.1 asks for a
 * DER-encoded signature; holding to it means no byte of the unsigned envelope can change unnoticed.
 */
function isDer(bytes: Uint8Array, start: number, end: number, depth = 0): boolean {
  if (depth > 64) return false;
  let p = start;
  while (p < end) {
    const tag = bytes[p++]!;
    // Universal tag 0 is end-of-contents, which only indefinite lengths use.
    if (tag === 0) return false;
    if ((tag & 0x1f) === 0x1f) {
      if (bytes[p] === 0x80) return false;
      while (p < end && (bytes[p]! & 0x80) !== 0) p++;
      p++;
    }
    if (p >= end) return false;
    const first = bytes[p++]!;
    let length = first;
    if (first & 0x80) {
      const n = first & 0x7f;
      if (n === 0 || n > 4 || bytes[p] === 0) return false;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
      if (length < 0x80) return false;
    }
    if (p + length > end) return false;
    if ((tag & 0x20) !== 0 && !isDer(bytes, p, p + length, depth + 1)) return false;
    p += length;
  }
  return p === end;
}

const isHexDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/**
 * The DER inside /Contents: hex digits only, the encoding's own length, then zeros (the room left
 * for later). Anything else there is not a signature as written and is refused.
 */
function contentsDer(bytes: Uint8Array, b: number, c: number): Uint8Array | null {
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e || (c - b - 2) % 2 !== 0) return null;
  for (let i = b + 1; i < c - 1; i++) if (!isHexDigit(bytes[i]!)) return null;
  const all = Buffer.from(Buffer.from(bytes.subarray(b + 1, c - 1)).toString('latin1'), 'hex');
  // DER SEQUENCE header: 0x30, then a short or long definite length.
  if (all[0] !== 0x30 || all.length < 2) return null;
  let length = all[1]!;
  let head = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (all[2 + i] ?? 0);
    head = 2 + n;
  }
  const end = head + length;
  if (end > all.length) return null;
  for (let i = end; i < all.length; i++) if (all[i] !== 0) return null;
  const der = new Uint8Array(all.subarray(0, end));
  return isDer(der, 0, der.length) ? der : null;
}

interface Context {
  bytes: Uint8Array;
  anchors: X509Certificate[];
  now: Date;
  file: PdfFile | null;
  latest: RevisionState | null;
  /** Bytes after the end of the last revision (its "%%EOF" and end-of-line). */
  trailing: number;
  validation: ValidationData;
}

/** The signature's own checks: the CMS over its byte ranges, the signer's chain, timestamps, revocation. */
function checkCms(report: SignatureReport, der: Uint8Array, ctx: Context): void {
  const [a, b, c, d] = report.byteRange!;
  const { bytes, anchors, now } = ctx;
  const problems = report.problems;
  const hashRanges = (hash: string) => createHash(hash).update(bytes.subarray(a, a + b)).update(bytes.subarray(c, c + d)).digest();

  if (report.kind === 'document-timestamp') {
    const token = checkTimestampToken(der, hashRanges, anchors, now);
    report.timestamp = { time: token.time, authority: token.authority, intact: token.intact, trust: token.trust };
    report.signingTime = token.time || null;
    if (token.tsa !== null) report.signer = describeCertificate(new Uint8Array(token.tsa.raw));
    report.integrity = token.intact ? 'intact' : 'modified';
    report.trust = token.trust;
    if (!token.intact) problems.push('Stempel waktu dokumen rusak atau bukan untuk dokumen ini: isi yang distempel tidak lagi sama.');
    else if (token.trust !== 'trusted') problems.push(problemTexts.timestampUntrusted);
    return;
  }

  let parsed: ParsedSignature;
  try {
    parsed = parseCadesSignature(der);
  } catch {
    problems.push(problemTexts.unreadable);
    return;
  }
  const cert = parsed.signerCertificate ? parseCertificate(parsed.signerCertificate) : null;
  if (cert === null) {
    problems.push('Sertifikat penanda tangan tidak disertakan dalam tanda tangan (atau rusak), sehingga tanda tangan tidak dapat diperiksa.');
    return;
  }
  report.signer = describeCertificate(parsed.signerCertificate!);
  // Signers outside PAdES (adbe.pkcs7.detached) often leave /M out and carry the CMS signing-time.
  report.signingTime ??= parsed.signingTime?.toISOString() ?? null;

  const digestName = digestNames[parsed.digestAlgorithm];
  if (digestName === undefined || !(parsed.signatureAlgorithm in signatureHashes)) {
    report.integrity = 'unsupported';
    problems.push(`Tanda tangan ini memakai algoritma yang belum dapat diperiksa Loket (${parsed.digestAlgorithm}, ${parsed.signatureAlgorithm}); keasliannya belum dapat dipastikan. Periksa dengan aplikasi validasi lain.`);
    return;
  }
  const digestMatches = parsed.messageDigest !== null && hashRanges(digestName).equals(parsed.messageDigest);
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
  if (!envelopeConsistent(parsed)) {
    problems.push(problemTexts.envelope);
    report.integrity = 'modified';
  }
  const carried = sortCertificates(parsed.certificates, [...anchors, ...ctx.validation.certs]);
  if (carried.damaged > 0) problems.push('Sertifikat yang disertakan dalam tanda tangan rusak.');
  if (carried.unverifiable > 0) report.warnings.push(unverifiableWarning);
  if (parsed.envelope.unsignedAttributeTypes.some((t) => t !== oid.signatureTimeStampToken)) report.warnings.push(problemTexts.unknownUnsigned);

  const pool = [...carried.certs, ...ctx.validation.certs];
  if (parsed.timestampToken) {
    const token = checkTimestampToken(parsed.timestampToken, (hash) => createHash(hash).update(parsed.signature).digest(), anchors, now);
    report.timestamp = { time: token.time, authority: token.authority, intact: token.intact, trust: token.trust };
    if (!token.intact) problems.push(problemTexts.timestampBroken);
    else if (token.trust !== 'trusted') problems.push(problemTexts.timestampUntrusted);
  }
  // A timestamp the agency trusts fixes the time the certificate is judged at; otherwise the
  // signer's own clock (/M) is all there is.
  const judgedAt = report.timestamp?.intact && report.timestamp.trust === 'trusted' ? new Date(report.timestamp.time)
    : report.signingTime ? new Date(report.signingTime) : now;
  const chain = chainToAnchor(cert, pool, anchors, judgedAt);
  report.trust = chain.trusted ? 'trusted' : 'untrusted';
  if (chain.problem) problems.push(chain.problem);
  else if (judgedAt !== now && !(report.timestamp?.intact && report.timestamp.trust === 'trusted') && Date.parse(cert.validTo) < now.getTime()) {
    report.warnings.push('Sertifikat penanda tangan sudah kedaluwarsa. Tanpa stempel waktu, waktu penandatanganan hanya menurut komputer penanda tangan sendiri.');
  }
  report.revocation = revocationOf(cert, [...pool, ...anchors], ctx.validation.ocsps);
  if (report.revocation.status === 'revoked') {
    problems.push(problemTexts.revoked);
    report.trust = 'untrusted';
  } else if (report.revocation.status === 'unknown') problems.push(problemTexts.revocationUnknown);
}

/** Which revision the signature covers, and what happened to the document after it. */
function checkChanges(report: SignatureReport, ctx: Context): void {
  const [, , c, d] = report.byteRange!;
  const end = c + d;
  const { file, latest } = ctx;
  if (file === null) return;
  const revision: RevisionEnd | undefined = file.ends.find((e) => e.end === end || e.eofEnd === end);
  if (revision === undefined) {
    report.problems.push(problemTexts.noRevision);
    return;
  }
  const later = file.ends.filter((e) => e.end > revision.end);
  if (later.length === 0 && ctx.trailing === 0) {
    report.coverage = 'whole';
    return;
  }
  const changes: Change[] = [];
  const seen = new Set<string>();
  const note = (list: Change[], items: Change[]) => {
    for (const item of items) {
      if (seen.has(item.description)) continue;
      seen.add(item.description);
      list.push(item);
    }
  };
  let previous: RevisionState;
  try {
    previous = file.state(revision);
    if (previous.trailer.get('Encrypt') !== undefined) {
      report.problems.push(problemTexts.encrypted);
      return;
    }
    // The signed revision must read completely: what it shows is what every later one is compared with.
    assertReadable(previous);
  } catch (err) {
    if (!(err instanceof PdfSyntaxError)) throw err;
    report.problems.push(problemTexts.signedRevisionUnreadable);
    return;
  }
  const permissions = permissionsOf(previous);
  // Each later revision against the one before it: a change made and undone later is still a change.
  let previousEnd = revision.end;
  for (const [index, next] of later.entries()) {
    // A revision's cross-reference section lies in its own bytes; one pointing back is bytes dressed up as an update.
    if (next.xrefAt < previousEnd) {
      note(changes, [{ page: null, object: null, description: `Ada bagian setelah penandatanganan (sampai byte ${next.end}) yang bukan pembaruan dokumen yang sah: penunjuk akhirnya mengarah ke bagian sebelumnya.` }]);
      break;
    }
    previousEnd = next.end;
    try {
      const state = file.state(next);
      const comparison = compareRevisions(previous, state, permissions);
      note(changes, comparison.changes);
      note(report.permittedChanges, comparison.permitted);
      for (const addition of comparison.additions) if (!report.additions.includes(addition)) report.additions.push(addition);
      previous = state;
    } catch (err) {
      if (!(err instanceof PdfSyntaxError)) throw err;
      note(changes, [{ page: null, object: null, description: `Pembaruan ke-${index + 1} setelah penandatanganan rusak, sehingga isinya tidak dapat diperiksa.` }]);
      break;
    }
  }
  if (latest === null) report.problems.push(problemTexts.latestUnreadable);
  if (ctx.trailing > 0) note(changes, [{ page: null, object: null, description: `Ada ${ctx.trailing} byte tambahan setelah akhir dokumen (%%EOF) yang tidak ditandatangani siapa pun.` }]);
  report.changes.push(...changes);
  report.coverage = report.changes.length > 0 || latest === null ? 'changed' : 'allowed-additions';
  if (report.changes.length > 0) {
    const listed = report.changes.slice(0, 3).map((change) => change.description.replace(/\.$/, '')).join('; ');
    report.problems.push(`Dokumen diubah setelah ditandatangani: ${listed}${report.changes.length > 3 ? `; dan ${report.changes.length - 3} perubahan lain` : ''}.`);
  }
  if (report.permittedChanges.length > 0) {
    report.warnings.push(`Setelah ditandatangani, dokumen diubah dengan cara yang diizinkan sertifikasinya (${report.permittedChanges.length} perubahan: isian formulir atau anotasi). Periksa apakah perubahan itu wajar.`);
  }
}

function verdictOf(report: SignatureReport): Verdict {
  if (report.problems.length === 0) return report.warnings.length > 0 ? 'warning' : 'valid';
  const cannotTell = report.integrity === 'unsupported' || (report.integrity === 'intact' && report.coverage !== 'changed' && report.coverage !== 'unknown'
    && report.revocation.status !== 'revoked' && report.timestamp?.intact !== false);
  return cannotTell ? 'indeterminate' : 'invalid';
}

function header(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).subarray(0, 1024).includes('%PDF-');
}

/** The answer for a file whose signatures cannot be looked at: not a PDF, too large, damaged, … */
export function unreadableReport(state: Exclude<DocumentState, 'readable'>): ValidationReport {
  return { verdict: 'unreadable', document: { state, problem: documentProblems[state] }, signatures: [], warnings: [], valid: false };
}

export function validatePdf(bytes: Uint8Array, options: ValidateOptions): ValidationReport {
  if (bytes.length > maxValidatedBytes) return unreadableReport('too-large');
  if (!header(bytes)) return unreadableReport('not-pdf');
  try {
    return validateReadable(bytes, options);
  } catch (err) {
    if (err instanceof PdfLimitError) return unreadableReport('too-complex');
    if (err instanceof PdfSyntaxError || err instanceof RangeError) return unreadableReport('damaged');
    throw err;
  }
}

function validateReadable(bytes: Uint8Array, options: ValidateOptions): ValidationReport {
  const anchors = options.trustAnchors.map(parseCertificate).filter((c): c is X509Certificate => c !== null);
  const file = new PdfFile(bytes, new Budget(bytes.length));
  const last = file.ends.at(-1);
  let state: DocumentState = 'readable';
  let latest: RevisionState | null = null;
  let fields: SignatureField[] = [];
  if (last === undefined) state = 'truncated';
  else {
    try {
      latest = file.state(last);
      if (latest.catalog() === undefined) throw new PdfSyntaxError('no catalog', 0);
      fields = signatureFields(latest);
    } catch (err) {
      if (!(err instanceof PdfSyntaxError)) throw err;
      latest = null;
      state = 'damaged';
    }
  }
  const ctx: Context = {
    bytes, anchors, now: options.now ?? new Date(), file: last === undefined ? null : file, latest,
    trailing: last === undefined ? 0 : bytes.length - last.end,
    validation: latest === null ? { certs: [], ocsps: [], warnings: [] } : readValidationData(latest, anchors),
  };

  const reports: SignatureReport[] = [];
  const covered = new Set<string>();
  /** Signature fields whose dictionary does not read: matched below with the byte ranges found in the raw bytes. */
  const unreadableFields: (string | null)[] = [];
  for (const field of fields) {
    if (field.dict === null) {
      unreadableFields.push(field.name);
      continue;
    }
    const subFilter = field.dict.get('SubFilter');
    const kind = isName(field.dict.get('Type'), 'DocTimeStamp') || isName(subFilter, 'ETSI.RFC3161') ? 'document-timestamp' : 'signature';
    const rangeValue = field.dict.get('ByteRange');
    const range = Array.isArray(rangeValue) && rangeValue.length === 4 && rangeValue.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
      ? rangeValue as [number, number, number, number] : null;
    const report = emptyReport({ range, fieldName: field.name, subFilter: subFilter instanceof PdfName ? subFilter.name : null, kind }, bytes.length);
    const time = field.dict.get('M');
    report.signingTime = time instanceof PdfString ? parsePdfDate(time.text()) : null;
    if (range !== null) covered.add(range.join(' '));
    // The byte range must frame a hex string in the file; that it is this dictionary's /Contents is
    // the signed revision's business — a later redefinition of the dictionary is a change found below.
    if (range === null || !(field.dict.get('Contents') instanceof PdfString)) report.problems.push(problemTexts.byteRange);
    else checkSignature(report, ctx);
    reports.push(report);
  }
  // Signatures the form no longer shows (a later revision detached them), or all of them when the structure does not read.
  for (const { range } of scanSignatureRanges(bytes)) {
    if (covered.has(range.join(' '))) continue;
    const [a, b, c, d] = range;
    const frames = a === 0 && b > 0 && c > b && bytes[b] === 0x3c && bytes[c - 1] === 0x3e;
    const beyond = c + d > bytes.length;
    // In a readable document only a signature whose range ends a revision is one that was detached; a
    // range running past the end is a truncated file's signature whatever the structure says.
    if (latest !== null && !beyond && !(frames && file.ends.some((e) => e.end === c + d || e.eofEnd === c + d))) continue;
    const unreadable = unreadableFields.length > 0;
    const report = emptyReport({ range, fieldName: unreadable ? unreadableFields.shift()! : null, subFilter: null, kind: 'signature' }, bytes.length);
    if (unreadable) {
      report.problems.push(problemTexts.dictionary);
      if (frames && !beyond) checkCms(report, contentsDer(bytes, b, c) ?? new Uint8Array(0), ctx);
    } else if (beyond && b < c) {
      state = state === 'readable' ? 'truncated' : state;
      report.problems.push(beyondEnd(c + d - bytes.length));
    } else if (!frames) report.problems.push(problemTexts.framing);
    else {
      checkSignature(report, ctx);
      report.problems.push(latest === null ? documentProblems[state === 'readable' ? 'damaged' : state] : problemTexts.removed);
    }
    reports.push(report);
  }
  for (const name of unreadableFields) {
    const report = emptyReport({ range: null, fieldName: name, subFilter: null, kind: 'signature' }, bytes.length);
    report.problems.push(problemTexts.dictionary);
    reports.push(report);
  }
  for (const report of reports) report.verdict = verdictOf(report);

  const warnings = ctx.validation.warnings;
  let verdict: ValidationReport['verdict'];
  if (reports.length === 0) verdict = state === 'readable' ? 'unsigned' : 'unreadable';
  else {
    const order: Verdict[] = ['valid', 'warning', 'indeterminate', 'invalid'];
    verdict = reports.map((r) => r.verdict).reduce((w, v) => (order.indexOf(v) > order.indexOf(w) ? v : w), 'valid' as Verdict);
    if (verdict === 'valid' && (warnings.length > 0 || state !== 'readable')) verdict = 'warning';
  }
  return {
    verdict,
    document: { state, problem: state === 'readable' ? null : documentProblems[state] },
    signatures: reports,
    warnings,
    valid: verdict === 'valid',
  };
}

/** The byte range, /Contents, CMS and changes of one signature found in the form. */
function checkSignature(report: SignatureReport, ctx: Context): void {
  const [a, b, c, d] = report.byteRange!;
  const { bytes } = ctx;
  if (!(a === 0 && b > 0 && c > b + 1)) {
    report.problems.push(problemTexts.byteRange);
    return;
  }
  if (c + d > bytes.length) {
    report.problems.push(beyondEnd(c + d - bytes.length));
    return;
  }
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) {
    report.problems.push(problemTexts.framing);
    return;
  }
  const der = contentsDer(bytes, b, c);
  if (der === null) {
    report.problems.push(problemTexts.contents);
    return;
  }
  checkCms(report, der, ctx);
  checkChanges(report, ctx);
}
