// The signing official signs the letters waiting for them in one go: PIN once, a result per
// letter, every signature audited and queued for sync. Real SQLite store, real blob store, real
// SoftHSM token, OpenSSL's TSA on loopback, pdfsig as the independent judge.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { createBlobStore, type BlobStore } from '../../main/documents/blob-store.ts';
import { openTokenModule, type TokenSession } from '../../main/devices/token/token.ts';
import { AppError } from '../../common/errors.ts';
import { signBatch, type BatchProgress } from '../../main/sign/batch.ts';
import { importOutgoingForSigning, lettersReadyToSign } from '../../main/letters/outgoing/import.ts';
import { httpTimestamper } from '../../main/sign/pades/timestamp.ts';
import { upgradeAwaitingTimestamps } from '../../main/sign/upgrade.ts';
import { validatePdf } from '../../main/sign/pades/validate.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { createNssTrustStore, pdfsig as runPdfsig } from '../support/pdfsig.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { startOcspResponder, startTimestampAuthority, type TimestampAuthority } from '../support/trust-services.ts';

let token: TestToken;
let session: TokenSession;
let tsa: TimestampAuthority;
let store: Store;
let blobs: BlobStore;
let work: string;
let nssDir: string;

const identity = { name: 'Budi Santoso, S.Kom., M.T.', nip: '198001012005011001', position: 'Kepala Dinas Komunikasi dan Informatika' };
const verificationUrl = 'https://eoffice.contoh.go.id/verifikasi';
const actor = 'pejabat:budi';

async function letterPdf(subject: string, withAnchor: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Nomor : ......', { x: 60, y: 740, size: 11, font });
  page.drawText(`Hal: ${subject}`, { x: 60, y: 720, size: 11, font });
  if (withAnchor) page.drawText('${ttd_pengirim}', { x: 320, y: 200, size: 10, font });
  return doc.save();
}

async function readyLetters(subjects: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, subject] of subjects.entries()) {
    const letter = await importOutgoingForSigning(store, blobs, { bytes: await letterPdf(subject, i % 2 === 0), fileName: `${subject}.pdf`, subject, addressee: 'Para Camat', signer: 'budi' }, 'meja:umum');
    ids.push(letter.id);
  }
  return ids;
}

function blobCount(): number {
  const walk = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.tmp') ? 0 : 1), 0);
  return walk(blobs.root);
}

beforeAll(async () => {
  token = createTestToken();
  process.env.SOFTHSM2_CONF = token.conf;
  work = join(token.dir, 'work');
  mkdirSync(work);
  nssDir = createNssTrustStore(join(token.dir, 'nss'), token.ca.certPath);
  session = openTokenModule(token.module, collectingLogger()).login({ serial: token.serial }, token.pin);
  tsa = await startTimestampAuthority(token.ca, join(token.dir, 'tsa'));
  store = openStore(join(token.dir, 'loket.db'), { log: collectingLogger() });
  blobs = createBlobStore(join(token.dir, 'documents'));
});

afterAll(async () => {
  store?.close();
  await tsa?.stop();
  session?.close();
  token?.cleanup();
});

describe('outgoing letters ready to sign', () => {
  it('a PDF imported as an outgoing letter for the official is waiting for their signature', async () => {
    const [id] = await readyLetters(['Surat edaran jam kerja']);
    const letter = store.letters.get(id!)!;
    expect(letter).toMatchObject({ direction: 'outgoing', status: 'ready_to_sign', subject: 'Surat edaran jam kerja', addressee: 'Para Camat', signerUserId: 'budi' });
    expect(lettersReadyToSign(store, 'budi').map((l) => l.id)).toContain(id);
    expect(lettersReadyToSign(store, 'orang-lain')).toEqual([]);
  });

  it('a file that is not a PDF is refused with the reason and nothing is recorded', async () => {
    const before = lettersReadyToSign(store).length;
    await expect(importOutgoingForSigning(store, blobs, { bytes: new TextEncoder().encode('bukan pdf'), fileName: 'surat.pdf', subject: 'X', addressee: 'Y', signer: 'budi' }, 'meja:umum'))
      .rejects.toMatchObject({ code: 'IMPORT_UNSUPPORTED' });
    expect(lettersReadyToSign(store).length).toBe(before);
  });
});

describe('signing a batch', () => {
  it('signs three letters with one PIN, reporting progress; each is valid for pdfsig, audited and queued for sync', async () => {
    const ids = await readyLetters(['Undangan rapat', 'Nota dinas anggaran', 'Surat pengantar data']);
    const outboxBefore = store.outbox.countPending();
    const progress: BatchProgress[] = [];
    const results = await signBatch(ids, { store, blobs, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, timestamper: httpTimestamper(tsa.url), actor, onProgress: (p) => progress.push(p) });

    expect(results.map((r) => [r.outcome, r.level, r.error])).toEqual([['signed', 'B-T', null], ['signed', 'B-T', null], ['signed', 'B-T', null]]);
    expect(progress.map((p) => [p.done, p.total, p.result.letterId])).toEqual(ids.map((id, i) => [i + 1, 3, id]));
    for (const [i, id] of ids.entries()) {
      const letter = store.letters.get(id)!;
      expect(letter.status).toBe('signed');
      const pdf = new Uint8Array(await blobs.read(letter.documentHash!));
      const sig = runPdfsig(pdf, { work, name: `batch-${i}`, nssDir });
      expect(sig.signatures, sig.output).toEqual([{ field: 'TandaTangan1', signature: 'Signature is Valid.', certificate: 'Certificate is Trusted.', total: true }]);
      expect(validatePdf(pdf, { trustAnchors: [token.ca.certDer] }).valid).toBe(true);
      const [signature] = store.signatures.forLetter(id);
      expect(signature).toMatchObject({ level: 'B-T', documentHash: letter.documentHash, certificateFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const audited = store.audit.list({ limit: 10_000 }).filter((e) => e.action === 'letter.signed' && e.entityId === id);
      expect(audited).toHaveLength(1);
      expect(JSON.parse(audited[0]!.details)).toMatchObject({ certificateFingerprint: signature!.certificateFingerprint, documentHash: letter.documentHash, level: 'B-T' });
    }
    // Per letter: the letter's update and the signature itself.
    expect(store.outbox.countPending() - outboxBefore).toBe(6);
    expect(store.outbox.listPending(10_000).flatMap((m) => (m.readable && m.entity === 'signature' && m.op === 'create' ? [m.payload.letterId] : []))).toEqual(expect.arrayContaining(ids));
  });

  it("with the CA's OCSP responder configured, letters get their validation data too (B-LT)", async () => {
    const ocsp = await startOcspResponder(token.ca, join(token.dir, 'ocsp'), [{ der: token.keys.rsa.certificate.der }, { der: tsa.certificateDer }]);
    try {
      const ids = await readyLetters(['Surat jangka panjang']);
      const results = await signBatch(ids, { store, blobs, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, timestamper: httpTimestamper(tsa.url), longTerm: { trustAnchors: [token.ca.certDer], ocspUrl: ocsp.url }, actor });
      expect(results[0]).toMatchObject({ outcome: 'signed', level: 'B-LT' });
      const pdf = new Uint8Array(await blobs.read(store.letters.get(ids[0]!)!.documentHash!));
      expect(runPdfsig(pdf, { work, name: 'batch-lt', nssDir }).signatures.map((s) => [s.signature, s.certificate])).toEqual([['Signature is Valid.', 'Certificate is Trusted.']]);
      expect(validatePdf(pdf, { trustAnchors: [token.ca.certDer] })).toMatchObject({ valid: true, signatures: [{ revocation: { status: 'good' }, timestamp: { intact: true } }] });
      expect(store.signatures.forLetter(ids[0]!)[0]!.level).toBe('B-LT');
    } finally {
      await ocsp.stop();
    }
  });

  it('a letter that is no longer waiting is reported, and the others are still signed', async () => {
    const [first, second] = await readyLetters(['Sudah ditandatangani', 'Masih menunggu']);
    const options = { store, blobs, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, timestamper: httpTimestamper(tsa.url), actor };
    await signBatch([first!], options);
    const results = await signBatch([first!, second!], options);
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([['failed', 'LETTER_NOT_READY_TO_SIGN'], ['signed', null]]);
  });

  it('a letter picked twice in one batch is signed once', async () => {
    const [twice, once] = await readyLetters(['Dipilih dua kali', 'Dipilih sekali']);
    const options = { store, blobs, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, timestamper: httpTimestamper(tsa.url), actor };
    const results = await signBatch([twice!, twice!, once!, twice!], options);
    expect(results.map((r) => [r.letterId, r.outcome])).toEqual([[twice, 'signed'], [once, 'signed']]);
    expect(store.signatures.forLetter(twice!)).toHaveLength(1);
  });

  it('signs offline as B-B when the TSA is away, and the queue adds the timestamp once it answers (audited)', async () => {
    const ids = await readyLetters(['Surat saat luring']);
    tsa.setReachable(false);
    const quick = httpTimestamper(tsa.url, { timeoutMs: 2000 });
    const results = await signBatch(ids, { store, blobs, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, timestamper: quick, actor });
    expect(results[0]).toMatchObject({ outcome: 'signed', level: 'B-B' });
    expect(store.signatures.awaitingTimestamp().map((s) => s.letterId)).toEqual(ids);

    const stillAway = await upgradeAwaitingTimestamps({ store, blobs, timestamper: quick, actor, log: collectingLogger() });
    expect(stillAway).toEqual({ upgraded: 0, failed: 1 });
    expect(store.signatures.forLetter(ids[0]!)[0]).toMatchObject({ level: 'B-B', upgradeAttempts: 1, upgradeError: 'TSA_UNAVAILABLE' });

    tsa.setReachable(true);
    expect(await upgradeAwaitingTimestamps({ store, blobs, timestamper: quick, actor, log: collectingLogger() })).toEqual({ upgraded: 1, failed: 0 });
    const letter = store.letters.get(ids[0]!)!;
    const [signature] = store.signatures.forLetter(ids[0]!);
    expect(signature).toMatchObject({ level: 'B-T', documentHash: letter.documentHash });
    const pdf = new Uint8Array(await blobs.read(letter.documentHash!));
    expect(runPdfsig(pdf, { work, name: 'upgraded', nssDir }).signatures.map((s) => s.signature)).toEqual(['Signature is Valid.']);
    expect(validatePdf(pdf, { trustAnchors: [token.ca.certDer] }).signatures[0]!.timestamp).toMatchObject({ intact: true, trust: 'trusted' });
    const actions = store.audit.list({ limit: 10_000 }).filter((e) => e.entityId === ids[0]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['letter.signed', 'signature.timestamp-failed', 'signature.timestamped']));
    expect(store.signatures.awaitingTimestamp()).toEqual([]);
  });

  it('a full disk stops the batch: letters stored before it are signed, it and the rest keep waiting, no signed copy is left without its row', async () => {
    const ids = await readyLetters(['Satu', 'Dua', 'Tiga', 'Empat', 'Lima', 'Enam']);
    const unsignedHashes = ids.map((id) => store.letters.get(id)!.documentHash);
    let puts = 0;
    // The third signed PDF meets a full disk; the letters after it may already be signed and on their way.
    const fullDisk: BlobStore = { ...blobs, put: async (bytes) => { puts += 1; if (puts === 3) throw new AppError('STORAGE_FULL'); return blobs.put(bytes); } };
    const blobsBefore = blobCount();
    const results = await signBatch(ids, { store, blobs: fullDisk, signer: session.signer(token.keys.rsa.id), identity, verificationUrl, actor });
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([
      ['signed', null], ['signed', null],
      ...Array.from({ length: 4 }, () => ['waiting', 'STORAGE_FULL']),
    ]);
    for (const [i, id] of ids.entries()) {
      if (i < 2) {
        expect(store.letters.get(id)!.status).toBe('signed');
      } else {
        expect(store.letters.get(id)).toMatchObject({ status: 'ready_to_sign', documentHash: unsignedHashes[i] });
        expect(store.signatures.forLetter(id)).toEqual([]);
      }
    }
    expect(blobCount()).toBe(blobsBefore + 2);
  });

  // Last: pulling the token deletes it for the rest of this file.
  it('stops when the token is pulled out mid-batch: signed letters stay signed, the rest keep waiting, nothing half-written', async () => {
    const ids = await readyLetters(['Pertama', 'Kedua', 'Ketiga']);
    const unsignedHashes = ids.map((id) => store.letters.get(id)!.documentHash);
    // The token is pulled the moment it has made the first signature; the batch is then still
    // storing that letter and preparing the next.
    const onToken = session.signer(token.keys.rsa.id);
    const signer = { ...onToken, sign: async (data: Uint8Array) => { const signature = await onToken.sign(data); token.remove(); return signature; } };
    const blobsBefore = blobCount();
    const results = await signBatch(ids, { store, blobs, signer, identity, verificationUrl, actor });
    expect(results.map((r) => [r.outcome, r.error?.code ?? null])).toEqual([['signed', null], ['waiting', 'TOKEN_REMOVED'], ['waiting', 'TOKEN_REMOVED']]);
    expect(results[1]!.error!.message).toMatch(/^Token dicabut/);
    expect(store.letters.get(ids[0]!)!.status).toBe('signed');
    expect(store.signatures.forLetter(ids[0]!)).toHaveLength(1);
    for (const [i, id] of ids.entries()) {
      if (i === 0) continue;
      expect(store.letters.get(id)).toMatchObject({ status: 'ready_to_sign', documentHash: unsignedHashes[i] });
      expect(store.signatures.forLetter(id)).toEqual([]);
    }
    // No signed copy without its row: exactly one new blob, the first letter's.
    expect(blobCount()).toBe(blobsBefore + 1);
  });
});
