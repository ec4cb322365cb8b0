// GET /verifikasi?id=<letter id>: the public page behind the QR code of every letter signed at a desk
// (no sign-in, rate limited per visitor address). A letter the office voided (batal) says so first. It shows what the letter's security classification
// allows — biasa: number, date, subject, signer (name, position, office), signing time; terbatas: the
// same without the subject; rahasia: only that a signed letter with this id exists — and checks the
// visitor's file against the hashes of the signed file (server/signing/page.ts). Nothing else of the
// letter is revealed, and a letter the desks have not recorded as signed is "not found".
import type { FastifyInstance } from 'fastify';
import type { OfficeTimeZone } from '../../common/ipc/app.ts';
import { defaultOfficeTimeZone, recordedTimeZone } from '../office/time-zone.ts';
import { Uuid7 } from '../../common/protocol/primitives.ts';
import type { Context } from '../http/context.ts';
import { spend } from '../http/throttle.ts';
import { throttledPage, verificationPage, verificationPolicy, type Verification } from './page.ts';

/**
 * The zone a signing time is shown in: the office's (set by its admin kantor, as its desks show it);
 * for an office that never set one, the zone the signing desk stamped in, or WIB, in which desks
 * stamped before they sent it.
 */
function shownZone(office: string | null, stamped: string | null): OfficeTimeZone {
  return recordedTimeZone(office) ?? recordedTimeZone(stamped) ?? defaultOfficeTimeZone;
}

async function verification(ctx: Context, id: string | undefined): Promise<Verification> {
  if (id === undefined || id.trim() === '') return { kind: 'none' };
  if (!Uuid7.safeParse(id.trim().toLowerCase()).success) return { kind: 'malformed' };
  const letterId = id.trim().toLowerCase();
  const letter = await ctx.db.selectFrom('letters').innerJoin('offices', 'offices.id', 'letters.office_id')
    .select(['letters.letter_number', 'letters.letter_date', 'letters.subject', 'letters.security', 'letters.voided_at', 'letters.void_reason', 'offices.name as office', 'offices.time_zone as office_time_zone'])
    .where('letters.id', '=', letterId).executeTakeFirst();
  const signatures = letter === undefined ? [] : await ctx.db.selectFrom('letter_signatures').select(['signer_name', 'signer_position', 'signed_at', 'time_zone'])
    .where('letter_id', '=', letterId).orderBy('signed_at').execute();
  if (letter === undefined || signatures.length === 0) return { kind: 'not-found' };
  const voided = letter.voided_at === null ? null : { at: letter.voided_at, reason: letter.void_reason ?? '', timeZone: shownZone(letter.office_time_zone, null) };
  if (letter.security === 'rahasia') return { kind: 'secret', voided };
  const files = await ctx.db.selectFrom('signed_files').select('sha256').where('letter_id', '=', letterId).orderBy('recorded_at').execute();
  return {
    kind: 'signed', voided, letterNumber: letter.letter_number, letterDate: letter.letter_date, subject: letter.security === 'terbatas' ? null : letter.subject,
    office: letter.office, signatures: signatures.map((s) => ({ name: s.signer_name, position: s.signer_position, signedAt: s.signed_at, timeZone: shownZone(letter.office_time_zone, s.time_zone) })), fileHashes: files.map((f) => f.sha256),
  };
}

const statusOf: Record<Verification['kind'], number> = { none: 200, malformed: 400, 'not-found': 404, secret: 200, signed: 200 };

export function registerVerificationRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/verifikasi', async (req, reply) => {
    void reply.headers({
      'content-type': 'text/html; charset=utf-8', 'content-security-policy': verificationPolicy, 'cache-control': 'no-store',
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
    });
    const budget = await spend(ctx, `verifikasi:${req.ip}`, ctx.config.limits.verifyPerMinute);
    if (!budget.allowed) return reply.code(429).header('retry-after', String(budget.retryAfter)).send(throttledPage(budget.retryAfter));
    const query = req.query as Record<string, unknown>;
    const id = typeof query.id === 'string' ? query.id.slice(0, 100) : undefined;
    const found = await verification(ctx, id);
    return reply.code(statusOf[found.kind]).send(verificationPage(found, id ?? ''));
  });
}
