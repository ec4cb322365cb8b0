// Agenda numbers handed out in leased blocks per office, book (incoming/outgoing) and year, so a desk
// can give final numbers while offline. The counter only moves forward in one atomic UPDATE, so no
// number is ever handed out twice, whatever the number of desks or server instances.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ApiError } from '../http/errors.ts';
import { authenticate, isoNow, parse, requireRole, type Context, type CurrentUser } from '../http/context.ts';
import { actsAsSigner } from '../positions/signing-authority.ts';
import type { Book } from '../../common/protocol/primitives.ts';
import { LeaseBody, UnusedNumbersBody, type LeaseReply } from '../../common/protocol/numbering.ts';
import { serializeWrites } from '../db/dialect.ts';
import { appendAudit } from '../audit/log.ts';

export const numberingRoles = ['admin_kantor', 'operator_utama'] as const;
/** An official numbers the outgoing letters they sign, at their own desk. */
export const outgoingNumberingRoles = [...numberingRoles, 'signer'] as const;
const rolesFor = (book: Book) => (book === 'out' ? outgoingNumberingRoles : numberingRoles);

/** The role check of a book, where a Plh/Plt in their period numbers outgoing letters as the official would. */
async function requireNumbering(ctx: Context, me: CurrentUser, book: Book): Promise<void> {
  if (book === 'out' && !(rolesFor(book) as readonly string[]).includes(me.role) && await actsAsSigner(ctx.db, me, isoNow(ctx))) return;
  requireRole(me, rolesFor(book));
}


export function registerNumberingRoutes(app: FastifyInstance, ctx: Context): void {
  app.post('/numbering/lease', async (req, reply) => {
    const me = await authenticate(ctx, req);
    await requireNumbering(ctx, me, 'out');
    const body = parse(LeaseBody, req.body);
    await requireNumbering(ctx, me, body.book);
    const officeId = me.officeId!;
    const count = Math.min(body.count ?? ctx.config.numbering.blockSize, ctx.config.numbering.blockSize);
    const lease = await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('number_counters').values({ office_id: officeId, book: body.book, year: body.year, next_number: 1 })
        .onConflict((oc) => oc.columns(['office_id', 'book', 'year']).doNothing()).execute();
      const { next_number: next } = await trx.updateTable('number_counters')
        .set({ next_number: sql<number>`next_number + ${count}` })
        .where('office_id', '=', officeId).where('book', '=', body.book).where('year', '=', body.year)
        .returning('next_number').executeTakeFirstOrThrow();
      const row = { id: randomUUID(), office_id: officeId, book: body.book, year: body.year, device_id: me.deviceId, user_id: me.id,
        first_number: next - count, last_number: next - 1, leased_at: isoNow(ctx) };
      await trx.insertInto('number_leases').values(row).execute();
      await appendAudit(trx, [{ officeId, userId: me.id, deviceId: me.deviceId, action: 'numbering.leased', target: row.id,
        details: { book: row.book, year: row.year, first: row.first_number, last: row.last_number } }], row.leased_at);
      return row;
    });
    req.log.info({ officeId, book: lease.book, year: lease.year, first: lease.first_number, last: lease.last_number, deviceId: me.deviceId }, 'numbers leased');
    const reply_: LeaseReply = { leaseId: lease.id, book: body.book, year: lease.year, first: lease.first_number, last: lease.last_number };
    return reply.code(201).send(reply_);
  });

  /** A desk reports numbers of its lease it will never use (e.g. a block left over at year end); they stay retired. */
  app.post('/numbering/unused', async (req) => {
    const me = await authenticate(ctx, req);
    await requireNumbering(ctx, me, 'out');
    const body = parse(UnusedNumbersBody, req.body);
    const lease = await ctx.db.selectFrom('number_leases').selectAll().where('id', '=', body.leaseId).executeTakeFirst();
    if (!lease || lease.office_id !== me.officeId || lease.device_id !== me.deviceId) throw new ApiError(404, 'LEASE_NOT_FOUND');
    await requireNumbering(ctx, me, lease.book as Book);
    const outside = body.numbers.filter((n) => n < lease.first_number || n > lease.last_number);
    if (outside.length > 0) throw new ApiError(400, 'NUMBER_NOT_IN_LEASE', undefined, { numbers: outside });
    const numbers = [...new Set(body.numbers)];
    return ctx.db.transaction().execute(async (trx) => {
      await serializeWrites(trx);
      const used = await trx.selectFrom('letters').select('agenda_number')
        .where('office_id', '=', lease.office_id).where('direction', '=', lease.book as Book).where('year', '=', lease.year)
        .where('agenda_number', 'in', numbers).execute();
      if (used.length > 0) throw new ApiError(409, 'NUMBER_ALREADY_USED', undefined, { numbers: used.map((u) => u.agenda_number) });
      const reportedAt = isoNow(ctx);
      await trx.insertInto('unused_numbers')
        .values(numbers.map((number) => ({ office_id: lease.office_id, book: lease.book, year: lease.year, number, lease_id: lease.id, reported_at: reportedAt })))
        .onConflict((oc) => oc.columns(['office_id', 'book', 'year', 'number']).doNothing()).execute();
      await appendAudit(trx, [{ officeId: lease.office_id, userId: me.id, deviceId: me.deviceId, action: 'numbering.unused', target: lease.id, details: { numbers } }], reportedAt);
      return { recorded: numbers.length };
    });
  });
}
