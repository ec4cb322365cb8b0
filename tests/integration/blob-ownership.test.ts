// A scan belongs to the offices holding it: an office that knows only the SHA-256 of another office's
// scan can neither read it, nor attach it to a letter of its own, nor learn anything about it or its
// upload. It claims the blob only by uploading the bytes. An office sent a letter carrying the scan
// may read it and register it without sending it again. A draft's or a disposition report's attachment
// is held by the office the same way.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { chunkContentType } from '../../common/protocol/blobs.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';

describe.each(backendNames())('blobs between offices (%s)', (backend) => {
  let tls: TestTls;
  const databases = new Databases(backend);
  let srv: TestServer;
  let dinkes: Session;
  let disdik: Session;
  let setda: Session;
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    [dinkes, disdik, setda] = await Promise.all([srv.login('operator.dinkes', 'desk-blob-dinkes'), srv.login('operator.disdik', 'desk-blob-disdik'), srv.login('operator.setda', 'desk-blob-setda')]);
  });
  afterAll(async () => {
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const declare = (s: Session, bytes: Buffer) => srv.call('POST', '/blobs', { token: s.accessToken, json: { sha256: sha(bytes), size: bytes.length } });
  const append = (s: Session, hash: string, offset: number, bytes: Buffer) => srv.call('PATCH', `/blobs/${hash}/upload`, {
    token: s.accessToken, body: bytes, headers: { 'content-type': chunkContentType, 'upload-offset': String(offset) } });
  async function upload(s: Session, bytes: Buffer) {
    expect((await declare(s, bytes)).json).toMatchObject({ offset: 0, complete: false });
    return append(s, sha(bytes), 0, bytes);
  }
  async function register(s: Session, attachments: string[]): Promise<MutationResult> {
    const block = (await srv.call('POST', '/numbering/lease', { token: s.accessToken, json: { book: 'in', year: 2026, count: 1 } })).json as { first: number };
    const letterId = uuidv7();
    const reply = await srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [{ id: uuidv7(), kind: 'letter.register', payload: {
      letterId, direction: 'in', year: 2026, agendaNumber: block.first, receivedAt: null, letterNumber: '005/1/2026', letterDate: '2026-03-01',
      sender: 'Kecamatan Selatan', addressee: 'Kepala Dinas', subject: 'Undangan', summary: '', urgency: 'biasa', security: 'biasa', classification: '005', attachments } }] } });
    return { ...(reply.json as { results: MutationResult[] }).results[0]!, letterId } as MutationResult & { letterId: string };
  }

  it('knowing the hash of another office\'s scan gives nothing: no bytes, no attachment, no upload state', async () => {
    const scan = randomBytes(200_000);
    const hash = sha(scan);
    expect((await upload(dinkes, scan)).json).toMatchObject({ complete: true });
    expect(await register(dinkes, [hash])).toMatchObject({ status: 'applied' });

    // The upload's state is the office's own: another office hears what it would for a hash nobody sent.
    expect((await srv.call('GET', `/blobs/${hash}/upload`, { token: disdik.accessToken })).status).toBe(404);
    expect((await srv.call('HEAD', `/blobs/${hash}/upload`, { token: disdik.accessToken })).status).toBe(404);
    expect((await srv.call('GET', `/blobs/${hash}`, { token: disdik.accessToken })).status).toBe(404);
    // Declaring it is not holding it: the office is asked for the bytes from the first one.
    const declared = await declare(disdik, scan);
    expect(declared.status).toBe(201);
    expect(declared.json).toMatchObject({ offset: 0, complete: false });
    expect(await register(disdik, [hash])).toMatchObject({ status: 'rejected', code: 'BLOB_MISSING' });
    expect((await srv.call('GET', `/blobs/${hash}`, { token: disdik.accessToken })).status).toBe(404);
    // Bytes that are not the scan prove nothing.
    expect((await append(disdik, hash, 0, randomBytes(scan.length))).status).toBe(422);
    expect((await srv.call('GET', `/blobs/${hash}`, { token: disdik.accessToken })).status).toBe(404);

    // The bytes themselves do: the office holds the scan now, as the one that first sent it.
    expect((await append(disdik, hash, 0, scan)).json).toMatchObject({ complete: true });
    expect(await register(disdik, [hash])).toMatchObject({ status: 'applied' });
    const read = await srv.call('GET', `/blobs/${hash}`, { token: disdik.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.equals(scan)).toBe(true);
  });

  it('an upload under way is its uploader\'s alone', async () => {
    const scan = randomBytes(300_000);
    const hash = sha(scan);
    expect((await declare(dinkes, scan)).status).toBe(201);
    expect((await append(dinkes, hash, 0, scan.subarray(0, 100_000))).json).toMatchObject({ offset: 100_000, complete: false });
    expect((await srv.call('HEAD', `/blobs/${hash}/upload`, { token: disdik.accessToken })).status).toBe(404);
    // Another office starts at 0 and cannot write into (or finish) the first office's upload.
    expect((await declare(disdik, scan)).json).toMatchObject({ offset: 0 });
    expect((await append(disdik, hash, 100_000, scan.subarray(100_000)))).toMatchObject({ status: 409 });
    expect((await srv.call('HEAD', `/blobs/${hash}/upload`, { token: dinkes.accessToken })).headers['upload-offset']).toBe('100000');
  });

  it('an office sent a letter carrying a scan reads it, and registers it without uploading it again', async () => {
    const scan = randomBytes(50_000);
    const hash = sha(scan);
    await upload(dinkes, scan);
    const own = await register(dinkes, [hash]) as MutationResult & { letterId: string };
    expect((await srv.call('GET', `/blobs/${hash}`, { token: setda.accessToken })).status).toBe(404);
    await srv.call('POST', '/sync/push', { token: dinkes.accessToken, json: { mutations: [{ id: uuidv7(), kind: 'letter.deliver', payload: { letterId: own.letterId, toOfficeIds: ['office-setda'] } }] } });
    expect((await srv.call('GET', `/blobs/${hash}`, { token: setda.accessToken })).body.equals(scan)).toBe(true);
    expect((await declare(setda, scan)).json).toMatchObject({ complete: true });
    expect(await register(setda, [hash])).toMatchObject({ status: 'applied' });
  });

  it('a draft or a disposition report naming another office\'s blob by its hash is refused, as a letter is; its own is kept', async () => {
    const foreign = randomBytes(40_000);
    await upload(dinkes, foreign);
    const ownBytes = randomBytes(40_000);
    await upload(disdik, ownBytes);
    const [staff, head] = await Promise.all([srv.login('staf.disdik', 'desk-blob-staf-disdik'), srv.login('penandatangan.disdik', 'desk-blob-head-disdik')]);
    const pushOne = async (s: Session, kind: string, payload: unknown) => {
      const reply = await srv.call('POST', '/sync/push', { token: s.accessToken, json: { mutations: [{ id: uuidv7(), kind, payload }] } });
      const [r] = (reply.json as { results: MutationResult[] }).results;
      return r!.status === 'rejected' ? r!.code : r!.status;
    };
    const draft = (attachments: string[]) => ({
      draftId: uuidv7(), version: 1, type: 'nota_dinas', attachments, status: 'draft', letterId: null, savedAt: '2026-03-02T09:00:00Z',
      content: { type: 'nota_dinas', sifat: 'Biasa', lampiran: '1 berkas', hal: 'Laporan', addressees: ['Kepala Dinas'], addresseePlace: 'Tempat', from: 'Sekretaris', tembusan: [],
        body: [{ kind: 'paragraph', runs: [{ text: 'Isi.' }] }], signer: { position: 'Sekretaris', name: 'Dewi', rank: '', nip: '' } } });
    expect(await pushOne(staff, 'draft.save', draft([sha(foreign)]))).toBe('BLOB_MISSING');
    expect(await pushOne(staff, 'draft.save', draft([sha(ownBytes)]))).toBe('applied');

    const letter = await register(disdik, []) as MutationResult & { letterId: string };
    const dispositionId = uuidv7();
    expect(await pushOne(head, 'disposition.create', {
      dispositionId, letterId: letter.letterId, parentId: null, fromPositionId: 'position-disdik-penandatangan', to: ['position-disdik-staf'], cc: [],
      instructions: ['Laporkan'], note: '', urgency: 'biasa', dueDate: null })).toBe('applied');
    const report = (attachment: string) => pushOne(staff, 'disposition.report', { dispositionId, positionId: 'position-disdik-staf', note: 'Selesai.', attachment });
    expect(await report(sha(foreign))).toBe('BLOB_MISSING');
    expect(await report(sha(ownBytes))).toBe('applied');
  });
});
