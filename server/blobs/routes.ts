// Resumable blob transfer keyed by SHA-256, blobs before the rows that reference them:
//   POST  /blobs                 {sha256, size} → declares an upload, answers the offset to resume at
//   HEAD  /blobs/:sha256/upload  → Upload-Offset / Upload-Length headers (GET answers the same as JSON)
//   PATCH /blobs/:sha256/upload  Upload-Offset header + application/offset+octet-stream body of at
//                                most limits.chunkBytes, written to the blob store as it arrives
//   GET   /blobs/:sha256         the finished blob; honours a single `Range: bytes=a-b`
// Every office sends its own bytes (an upload, its offset and its state are the office's alone): a
// blob another office already holds is claimed only by uploading it, and asking about another office's
// upload answers 404 as for a blob nobody sent. Reading takes holding the blob or having been sent a
// letter carrying it (access.ts); an office sent it declares it complete without sending it again.
// The hash is verified when the last byte arrives; a mismatch discards the upload. Bytes are kept as
// they arrive, as in tus: a connection that drops mid-request costs only what was still on the wire,
// and a desk can send a whole scan in one request instead of waiting for an answer per chunk.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, type Context, type CurrentUser } from '../http/context.ts';
import { chunkContentType, CreateBlobBody, ShaParams, type DeclaredUploadReply, type UploadStateReply } from '../../common/protocol/blobs.ts';
import { OffsetMismatch } from './store.ts';
import { createUploadLanes } from './upload-lanes.ts';
import { appendAudit } from '../audit/log.ts';
import { blobsUsableBy } from './access.ts';
import { mayReadClassifiedScan } from '../feed/classified.ts';


function officeOf(user: CurrentUser): string {
  if (!user.officeId) throw new ApiError(403, 'FORBIDDEN');
  return user.officeId;
}

/** The office's own upload of the blob; 404 when it has declared none, whoever else has. */
async function uploadState(ctx: Context, officeId: string, sha256: string): Promise<UploadStateReply> {
  const row = await ctx.db.selectFrom('blob_holders').select(['size', 'complete']).where('sha256', '=', sha256).where('office_id', '=', officeId).executeTakeFirst();
  if (!row) throw new ApiError(404, 'NOT_FOUND');
  const complete = row.complete === 1;
  return { sha256, size: row.size, offset: complete ? row.size : await ctx.blobs.received(sha256, officeId), complete };
}

/** The office holds the blob (its bytes checked out, or it was sent them); the blob is readable from now on. */
async function markComplete(ctx: Context, me: CurrentUser, officeId: string, sha256: string, size: number, how: 'uploaded' | 'delivered'): Promise<void> {
  const at = isoNow(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('blob_holders').set({ complete: 1, completed_at: at }).where('sha256', '=', sha256).where('office_id', '=', officeId).execute();
    await trx.insertInto('blobs').values({ sha256, size, office_id: officeId, uploaded_by: me.id, complete: 1, created_at: at, completed_at: at })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ size, complete: 1, completed_at: at }).where('blobs.complete', '=', 0)).execute();
    await appendAudit(trx, [{ officeId, userId: me.id, deviceId: me.deviceId, action: how === 'uploaded' ? 'blob.stored' : 'blob.received', target: sha256, details: { size } }], at);
  });
}

async function mayRead(ctx: Context, officeId: string, sha256: string): Promise<boolean> {
  return (await blobsUsableBy(ctx.db, officeId, [sha256])).has(sha256);
}

function parseRange(header: string | undefined, size: number, reply: FastifyReply): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw new ApiError(416, 'RANGE_NOT_SATISFIABLE');
  let start: number;
  let end: number;
  if (m[1] === '') { start = Math.max(0, size - Number(m[2])); end = size - 1; } // suffix: the last N bytes
  else { start = Number(m[1]); end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1); }
  if (start > end || start >= size) {
    reply.header('Content-Range', `bytes */${size}`);
    throw new ApiError(416, 'RANGE_NOT_SATISFIABLE');
  }
  return { start, end };
}

export function registerBlobRoutes(app: FastifyInstance, ctx: Context): void {
  // The body reaches the handler as a stream (no buffering, no parser limit): the handler checks its
  // declared length against limits.chunkBytes and writes it to the blob store as it arrives.
  app.addContentTypeParser(chunkContentType, (_req, payload, done) => done(null, payload));
  const exclusive = createUploadLanes();
  const maxChunkBytes = ctx.config.limits.chunkBytes;
  const declared = (state: UploadStateReply): DeclaredUploadReply => ({ ...state, maxChunkBytes });

  app.post('/blobs', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const officeId = officeOf(me);
    const body = parse(CreateBlobBody, req.body);
    await ctx.db.insertInto('blob_holders').values({ sha256: body.sha256, office_id: officeId, size: body.size, uploaded_by: me.id, complete: 0, created_at: isoNow(ctx), completed_at: null })
      .onConflict((oc) => oc.columns(['sha256', 'office_id']).doNothing()).execute();
    const state = await uploadState(ctx, officeId, body.sha256);
    // Compared with the office's own declaration only: another office's says nothing here.
    if (state.size !== body.size) throw new ApiError(409, 'BLOB_SIZE_CONFLICT');
    if (!state.complete && body.size === 0) {
      // Nothing to send: the empty blob is complete once its hash checks out.
      await ctx.blobs.append(body.sha256, officeId, 0, []);
      if (!(await ctx.blobs.finish(body.sha256, officeId))) throw new ApiError(422, 'BLOB_HASH_MISMATCH');
      await markComplete(ctx, me, officeId, body.sha256, 0, 'uploaded');
      return reply.code(201).send(declared({ ...state, complete: true }));
    }
    if (!state.complete) {
      // Sent a letter carrying it (a delivered scan the office now registers): it may read it already.
      const stored = await ctx.db.selectFrom('blobs').select('size').where('sha256', '=', body.sha256).where('complete', '=', 1).executeTakeFirst();
      if (stored?.size === body.size && await mayRead(ctx, officeId, body.sha256)) {
        await markComplete(ctx, me, officeId, body.sha256, body.size, 'delivered');
        return reply.code(200).send(declared({ ...state, offset: body.size, complete: true }));
      }
    }
    return reply.code(state.complete ? 200 : 201).send(declared(state));
  });

  app.get('/blobs/:sha256/upload', { exposeHeadRoute: false }, async (req) => {
    const me = await authenticate(ctx, req);
    const { sha256 } = parse(ShaParams, req.params);
    return uploadState(ctx, officeOf(me), sha256);
  });

  app.head('/blobs/:sha256/upload', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { sha256 } = parse(ShaParams, req.params);
    const state = await uploadState(ctx, officeOf(me), sha256);
    return reply.code(200).header('Upload-Offset', String(state.offset)).header('Upload-Length', String(state.size)).header('Cache-Control', 'no-store').send();
  });

  app.patch('/blobs/:sha256/upload', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const officeId = officeOf(me);
    const { sha256 } = parse(ShaParams, req.params);
    if (req.headers['content-type'] !== chunkContentType) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE');
    const offset = Number(req.headers['upload-offset']);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiError(400, 'VALIDATION', 'Header Upload-Offset wajib diisi dengan bilangan bulat.');
    const length = Number(req.headers['content-length']);
    if (!Number.isSafeInteger(length) || length < 0) throw new ApiError(411, 'VALIDATION', 'Header Content-Length wajib diisi untuk setiap bagian unggahan.');
    if (length > maxChunkBytes) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', undefined, { maxChunkBytes });
    return exclusive(`${officeId}/${sha256}`, req.body as Readable, async (data) => {
      const state = await uploadState(ctx, officeId, sha256);
      if (state.complete) return { ...state };
      if (offset !== state.offset) throw new ApiError(409, 'BLOB_OFFSET_MISMATCH', undefined, { offset: state.offset });
      if (offset + length > state.size) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Bagian yang dikirim melebihi ukuran berkas yang didaftarkan.');
      let received: number;
      try {
        received = await ctx.blobs.append(sha256, officeId, offset, data);
      } catch (err) {
        if (err instanceof OffsetMismatch) throw new ApiError(409, 'BLOB_OFFSET_MISMATCH', undefined, { offset: err.received });
        if (req.raw.destroyed) {
          // The desk's connection dropped (or a newer request for this blob took over): what arrived is kept.
          req.log.info({ sha256, received: await ctx.blobs.received(sha256, officeId) }, 'upload interrupted; received bytes kept');
          throw new ApiError(400, 'BLOB_UPLOAD_INTERRUPTED');
        }
        throw err;
      }
      const progress: UploadStateReply = { ...state, offset: received };
      if (received < state.size) return reply.header('Upload-Offset', String(received)).send(progress);
      if (!(await ctx.blobs.finish(sha256, officeId))) {
        req.log.warn({ sha256, userId: me.id }, 'uploaded bytes do not match their SHA-256; upload discarded');
        throw new ApiError(422, 'BLOB_HASH_MISMATCH', undefined, { offset: 0 });
      }
      await markComplete(ctx, me, officeId, sha256, state.size, 'uploaded');
      return reply.header('Upload-Offset', String(received)).send({ ...progress, complete: true } satisfies UploadStateReply);
    });
  });

  app.get('/blobs/:sha256', async (req, reply) => {
    const me = await authenticate(ctx, req);
    const { sha256 } = parse(ShaParams, req.params);
    const row = await ctx.db.selectFrom('blobs').select(['size', 'complete']).where('sha256', '=', sha256).executeTakeFirst();
    if (!row || row.complete !== 1 || !(await mayRead(ctx, officeOf(me), sha256))) throw new ApiError(404, 'NOT_FOUND');
    // The scan of a classified letter: as absent as another office's to those not entitled to the letter.
    if (!(await mayReadClassifiedScan(ctx.db, me, sha256, isoNow(ctx)))) throw new ApiError(404, 'NOT_FOUND');
    const size = row.size;
    const range = parseRange(req.headers.range, size, reply);
    reply.header('Accept-Ranges', 'bytes').header('Content-Type', 'application/octet-stream').header('ETag', `"${sha256}"`);
    if (!range) {
      if (size === 0) return reply.header('Content-Length', '0').send(Buffer.alloc(0));
      return reply.header('Content-Length', String(size)).send(ctx.blobs.read(sha256, 0, size - 1));
    }
    return reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
      .header('Content-Length', String(range.end - range.start + 1)).send(ctx.blobs.read(sha256, range.start, range.end));
  });
}
