// Kop dan templat naskah dinas of an office: every user of the office reads the current version; only
// the office's own admin kantor saves a new one. A save is one transaction: the version row, its row
// in the office's change feed (so every desk of the office gets it at its next pull) and the audit
// entry. The logo must be a blob the office has uploaded in full, and a whole PNG or JPEG within limits.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/log.ts';
import { blobsUsableBy } from '../blobs/access.ts';
import type { Database } from '../db/schema.ts';
import { serializeWrites } from '../db/dialect.ts';
import { insertRows } from '../db/insert-rows.ts';
import { appendChange, type MutationWrites } from '../feed/writes.ts';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, type Context, type CurrentUser } from '../http/context.ts';
import { IdParams } from '../../common/protocol/org.ts';
import { logoLimits, NaskahLetterhead, SaveNaskahBody, type NaskahReply, type NaskahVersionData } from '../../common/protocol/naskah.ts';
import { TemplateSchema } from '../../common/ipc/drafting.ts';
import { z } from 'zod';
import { checkLogo, LogoRefused } from '../../common/protocol/naskah-logo.ts';

const otherOffice = 'Kop dan templat naskah hanya dapat dilihat dan diubah untuk kantor Anda sendiri.';

/** Only the admin kantor of the office itself edits its kop and templates. */
function mayEdit(me: CurrentUser, officeId: string): void {
  if (me.role !== 'admin_kantor') throw new ApiError(403, 'FORBIDDEN', 'Hanya admin kantor yang dapat mengubah kop dan templat naskah kantornya.');
  if (me.officeId !== officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE', otherOffice);
}

function versionOf(row: Selectable<Database['naskah_versions']> & { full_name: string }): NaskahVersionData {
  return {
    id: row.id, officeId: row.office_id, version: row.version,
    letterhead: NaskahLetterhead.parse(JSON.parse(row.letterhead)), templates: z.array(TemplateSchema).parse(JSON.parse(row.templates)),
    createdBy: row.created_by, createdByName: row.full_name, createdAt: row.created_at,
  };
}

async function currentVersion(db: Context['db'], officeId: string): Promise<NaskahVersionData | null> {
  const row = await db.selectFrom('naskah_versions').innerJoin('users', 'users.id', 'naskah_versions.created_by')
    .selectAll('naskah_versions').select('users.full_name')
    .where('naskah_versions.office_id', '=', officeId).orderBy('naskah_versions.version', 'desc').limit(1).executeTakeFirst();
  return row ? versionOf(row) : null;
}

/** Reads the whole blob (it is small: its size was checked first). */
async function readBlob(ctx: Context, sha256: string, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.blobs.read(sha256, 0, size - 1)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The logo blob must be the office's own, complete, small enough, and a whole PNG or JPEG. */
async function checkLogoBlob(ctx: Context, officeId: string, sha256: string): Promise<void> {
  const usable = await blobsUsableBy(ctx.db, officeId, [sha256]);
  if (!usable.has(sha256)) throw new ApiError(400, 'BLOB_MISSING', 'Berkas logo belum selesai diunggah ke server. Tunggu unggahan selesai lalu simpan lagi.');
  const size = await ctx.blobs.size(sha256);
  if (size === undefined) throw new ApiError(400, 'BLOB_MISSING', 'Berkas logo belum selesai diunggah ke server. Tunggu unggahan selesai lalu simpan lagi.');
  if (size > logoLimits.maxBytes) throw new ApiError(400, 'NASKAH_LOGO_INVALID', `Berkas logo terlalu besar (${(size / 1_000_000).toFixed(1)} MB). Pakai logo paling besar 1 MB.`);
  try {
    checkLogo(await readBlob(ctx, sha256, size));
  } catch (err) {
    if (err instanceof LogoRefused) throw new ApiError(400, 'NASKAH_LOGO_INVALID', err.message);
    throw err;
  }
}

export function registerNaskahRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/offices/:id/naskah', async (req): Promise<NaskahReply> => {
    const me = await authenticate(ctx, req);
    const { id: officeId } = parse(IdParams, req.params);
    if (me.officeId !== officeId) throw new ApiError(403, 'FORBIDDEN_OFFICE', otherOffice);
    return { current: await currentVersion(ctx.db, officeId) };
  });

  app.put('/admin/offices/:id/naskah', async (req): Promise<NaskahVersionData> => {
    const me = await authenticate(ctx, req);
    const { id: officeId } = parse(IdParams, req.params);
    mayEdit(me, officeId);
    const body = parse(SaveNaskahBody, req.body);
    if (body.letterhead.logoSha256 !== null) await checkLogoBlob(ctx, officeId, body.letterhead.logoSha256);
    const at = isoNow(ctx);
    const id = randomUUID();
    const trx = await ctx.db.startTransaction().execute();
    try {
      // Under the feed's write lock: the feed row's seq is taken in commit order, as a push takes it.
      await serializeWrites(trx);
      const latest = await trx.selectFrom('naskah_versions').select(['id', 'version']).where('office_id', '=', officeId)
        .orderBy('version', 'desc').limit(1).executeTakeFirst();
      if ((latest?.id ?? null) !== body.basedOn) throw new ApiError(409, 'NASKAH_VERSION_STALE');
      const version = (latest?.version ?? 0) + 1;
      await trx.insertInto('naskah_versions').values({
        id, office_id: officeId, version, letterhead: JSON.stringify(body.letterhead), templates: JSON.stringify(body.templates), created_by: me.id, created_at: at,
      }).execute();
      const author = await trx.selectFrom('users').select('full_name').where('id', '=', me.id).executeTakeFirstOrThrow();
      const saved: NaskahVersionData = { id, officeId, version, letterhead: body.letterhead, templates: body.templates, createdBy: me.id, createdByName: author.full_name, createdAt: at };
      const writes: MutationWrites = { changes: [], audit: [] };
      appendChange(writes, officeId, null, { entity: 'naskah', entityId: id, op: 'upsert', data: saved }, at);
      await insertRows(trx, 'changes', writes.changes);
      await appendAudit(trx, [{ officeId, userId: me.id, deviceId: me.deviceId, action: 'office.naskah_saved', target: id,
        details: { version, logoSha256: body.letterhead.logoSha256, templates: body.templates.map((t) => t.type) } }], at);
      await trx.commit().execute();
      req.log.info({ by: me.id, officeId, version }, 'naskah saved');
      return saved;
    } catch (err) {
      await trx.rollback().execute();
      throw err;
    }
  });
}
