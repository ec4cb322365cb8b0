// Konsep at the desk, with the real store, blob store, file transfers and sync against the real
// server (SQLite and PostgreSQL): a drafter starts a nota dinas from its template, types (each save
// a new version in the outbox, offline too), attaches a PDF, sees the preview — the same PDF the
// signer gets — and submits it; the letter waits in Tanda Tangan with its number place and signature
// anchor. The server keeps the draft's latest version once, whatever order saves arrive in, and
// refuses another person's or another office's change to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { DraftContent } from '../../common/ipc/drafting.ts';
import { createLogger } from '../../common/logger.ts';
import type { MutationResult } from '../../common/protocol/sync.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import type { CallContext } from '../../main/ipc/router.ts';
import { findLetterPlaces } from '../../main/documents/letter-places.ts';
import { draftingHandlers } from '../../main/letters/drafting/drafting.ts';
import { lettersReadyToSign } from '../../main/letters/outgoing/import.ts';
import { shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { findAnchor } from '../../main/sign/pades/anchor.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { sampleDraft } from '../support/drafts.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type TestServer } from '../support/server.ts';

let tls: TestTls;
beforeAll(() => { tls = createTestTls(); });
afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

const nota = shippedTemplates().find((t) => t.type === 'nota_dinas')!;

async function attachmentPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('DAFTAR PEJABAT', { x: 100, y: 700, size: 14 });
  return doc.save();
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  let desk: TestDesk;
  let spool: string;
  let handlers: ReturnType<typeof draftingHandlers>;
  let transfers: ReturnType<typeof createTransfers>;
  beforeAll(async () => {
    srv = await startTestServer({ databases, tls });
    desk = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    await desk.sync.auth.login('staf.dinkes', demoPassword);
    spool = mkdtempSync(join(tmpdir(), 'loket-drafting-spool-'));
    transfers = createTransfers(spool, createLogger({ level: 'error' }));
    handlers = draftingHandlers({ store: desk.store, blobs: desk.blobs, transfers, actor: () => desk.sync.session.user()!.id, changed: () => undefined });
  });
  afterAll(async () => {
    await desk?.close();
    await srv?.close();
    databases.stop();
    rmSync(spool, { recursive: true, force: true });
  });

  /** A channel's handler called as the router calls it, a throw becoming a rejected promise. */
  async function call<C extends keyof typeof handlers>(channel: C, request: Parameters<(typeof handlers)[C]>[0]): Promise<Awaited<ReturnType<(typeof handlers)[C]>>> {
    const handler = handlers[channel] as (r: typeof request, ctx: CallContext) => ReturnType<(typeof handlers)[C]>;
    return (await handler(request, {} as CallContext)) as Awaited<ReturnType<(typeof handlers)[C]>>;
  }

  async function upload(bytes: Uint8Array): Promise<string> {
    const uploadId = crypto.randomUUID();
    await transfers.receive(uploadId, 0, bytes);
    return uploadId;
  }
  async function read(ref: { fileId: string; size: number }): Promise<Uint8Array> {
    const out = new Uint8Array(ref.size);
    let offset = 0;
    while (offset < ref.size) {
      const piece = await transfers.read(ref.fileId, offset);
      out.set(piece.chunk, offset);
      offset += piece.chunk.byteLength;
    }
    return out;
  }

  it('a drafter writes a nota dinas from its template, offline first, and the server keeps its last version once', async () => {
    const created = await call('drafting.create', { type: 'nota_dinas' });
    expect(created.content.body).toEqual(nota.body);
    // The template untouched is version 0 and stays on the desk: nobody wrote it.
    expect(created.version).toBe(0);
    expect(desk.store.outbox.listPending().filter((e) => e.entity === 'draft')).toEqual([]);
    const filled: DraftContent = sampleDraft(nota);
    let saved = await call('drafting.save', { id: created.id, version: created.version, content: { ...filled, hal: 'Penerapan TTE' } });
    expect(saved.version).toBe(1);
    saved = await call('drafting.save', { id: created.id, version: saved.version, content: filled });
    expect(saved.version).toBe(2);
    // A screen still holding version 1 cannot overwrite what version 2 says.
    const stale = await call('drafting.save', { id: created.id, version: 1, content: { ...filled, hal: 'lama' } }).catch((e: unknown) => e);
    expect((stale as AppError).code).toBe('DRAFT_CHANGED');

    const withAttachment = await call('drafting.attach', { id: created.id, uploadId: await upload(await attachmentPdf()), fileName: 'daftar pejabat.pdf' });
    expect(withAttachment.attachments).toEqual([expect.objectContaining({ name: 'daftar pejabat.pdf', pageCount: 1 })]);
    const pending = desk.store.outbox.listPending().filter((e) => e.entity === 'draft');
    expect(pending.map((e) => e.readable && e.entity === 'draft' && e.payload.version)).toEqual([1, 2, 3]);

    expect(await desk.sync.engine.syncNow()).toMatchObject({ counts: { pending: 0, rejected: 0, failed: 0 }, lastError: null });
    const row = await srv.server.db.selectFrom('drafts').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 3, subject: filled.hal, status: 'draft', type: 'nota_dinas', author_id: desk.sync.session.user()!.id });
    expect(JSON.parse(row.attachments)).toEqual([withAttachment.attachments[0]!.hash]);
    expect(JSON.parse(row.content)).toEqual(filled);
    // The server's history starts from the first text the drafter wrote, not from the empty template.
    const versions = await srv.server.db.selectFrom('draft_versions').select(['version', 'content']).where('draft_id', '=', created.id).orderBy('version').execute();
    expect(versions.map((v) => [v.version, (JSON.parse(v.content) as DraftContent).hal])).toEqual([[1, 'Penerapan TTE'], [2, filled.hal], [3, filled.hal]]);
  });

  it('the preview is the letter the signer gets: submitted, it waits in Tanda Tangan with its number place and anchor', async () => {
    const [draft] = await call('drafting.list', {});
    const preview = await read(await call('drafting.preview', { id: draft!.id }));
    const incomplete = await call('drafting.create', { type: 'nota_dinas' });
    const refused = await call('drafting.submit', { id: incomplete.id, signer: 'user-penandatangan-dinkes' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain('Hal');

    const submitted = await call('drafting.submit', { id: draft!.id, signer: 'user-penandatangan-dinkes' });
    expect(submitted.status).toBe('submitted');
    const letter = lettersReadyToSign(desk.store, 'user-penandatangan-dinkes').find((l) => l.id === submitted.letterId)!;
    expect(letter).toMatchObject({ subject: draft!.content.hal, addressee: 'Kepala Dinas Komunikasi dan Informatika' });
    const signed = new Uint8Array(await desk.blobs.read(letter.documentHash!));
    expect(Buffer.from(signed).equals(Buffer.from(preview))).toBe(true);
    expect((await PDFDocument.load(signed)).getPageCount()).toBe(2);
    expect((await findLetterPlaces(signed)).number).toHaveLength(1);
    expect(await findAnchor(signed, '${ttd_pengirim}')).not.toBeNull();
    // Submitted, the draft is not changed any more; both are in the activity log.
    const late = await call('drafting.save', { id: draft!.id, version: submitted.version, content: draft!.content }).catch((e: unknown) => e);
    expect((late as AppError).code).toBe('VALIDATION');
    expect(desk.store.audit.list().map((e) => e.action)).toEqual(expect.arrayContaining(['draft.created', 'draft.submitted', 'letter.drafted']));

    await desk.sync.engine.syncNow();
    const row = await srv.server.db.selectFrom('drafts').select(['status', 'letter_id']).where('id', '=', draft!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', letter_id: letter.id });
  });

  it('the server keeps the highest version whatever the order, and refuses another person or office', async () => {
    const author = await srv.login('staf.dinkes', 'desk-drafts-01');
    const colleague = await srv.login('operator.dinkes', 'desk-drafts-02');
    const other = await srv.login('operator.setda', 'desk-drafts-03');
    const draftId = uuidv7();
    const save = (version: number, hal: string) => ({ id: uuidv7(), kind: 'draft.save', payload: {
      draftId, version, type: 'nota_dinas', content: { ...sampleDraft(nota), hal }, attachments: [], status: 'draft', letterId: null, savedAt: '2026-03-02T09:00:00+07:00',
    } });
    const push = async (token: string, mutations: unknown[]) => ((await srv.call('POST', '/sync/push', { token, json: { mutations } })).json as { results: MutationResult[] }).results;
    const v3 = save(3, 'Versi tiga');
    expect((await push(author.accessToken, [v3]))[0]!.status).toBe('applied');
    expect((await push(author.accessToken, [save(2, 'Versi dua')]))[0]!.status).toBe('applied');
    expect((await push(author.accessToken, [v3]))[0]!.status).toBe('duplicate');
    expect((await srv.server.db.selectFrom('drafts').select(['subject', 'version']).where('id', '=', draftId).executeTakeFirstOrThrow())).toEqual({ subject: 'Versi tiga', version: 3 });
    expect((await push(colleague.accessToken, [save(4, 'Diubah orang lain')]))[0]).toMatchObject({ status: 'rejected', code: 'DRAFT_NOT_YOURS' });
    expect((await push(other.accessToken, [save(5, 'Kantor lain')]))[0]).toMatchObject({ status: 'rejected', code: 'DRAFT_NOT_YOURS' });
    const withMissing = save(6, 'Lampiran belum diunggah');
    withMissing.payload = { ...withMissing.payload, attachments: ['e'.repeat(64)] } as typeof withMissing.payload;
    expect((await push(author.accessToken, [withMissing]))[0]).toMatchObject({ status: 'rejected', code: 'BLOB_MISSING' });
    expect((await srv.server.db.selectFrom('drafts').select(['subject', 'version']).where('id', '=', draftId).executeTakeFirstOrThrow())).toEqual({ subject: 'Versi tiga', version: 3 });
  });
});
