// Addressees outside the system (a company, a ministry, a citizen) of this office's letters: the
// letter goes to them by email or on paper. Adding them and marking one sent are outbox entries of
// entity 'delivery' (ops 'deliver' with `external`, and 'external_sent'), each with its audit entry
// in one transaction; the server's answer comes back in the change feed as `external_delivery` rows
// for every desk of the office. What a desk shows is the server's row where it has one, with what
// this desk asked for and has not synced yet laid over it — so it works offline and agrees after sync.
import { ExternalDeliveryData, type ExternalAddresseeRequest } from '../../common/protocol/delivery.ts';
import { readOutboxContent, type OutboxState } from './outbox.ts';
import { problemOf, type OutboxProblem } from './sync.ts';
import type { RepositoryContext } from './store.ts';

export type ExternalChannel = ExternalAddresseeRequest['channel'];

/** An addressee as the desk asks for it; its id is a UUIDv7 made by the desk, so the addressee can be marked sent before the server has it. */
export type NewExternalAddressee = ExternalAddresseeRequest;

export interface ExternalAddresseeRow {
  id: string;
  letterId: string;
  name: string;
  channel: ExternalChannel;
  email: string | null;
  /** When it was sent (the server's time, or this desk's mark not synced yet); null while it must still go out. */
  sentAt: string | null;
  /** Whether the server knows the addressee; false while this desk's request waits in the outbox. */
  synced: boolean;
  /** The server refused this desk's request (adding it or marking it sent): the reason, shown until a person acts in Antrian Sinkron. */
  problem: OutboxProblem | null;
}

export interface ExternalDeliveriesRepository {
  /** Marks addressees outside the system for a letter: an outbox entry and an audit entry, one transaction. */
  request(letterId: string, addressees: readonly NewExternalAddressee[], actor: string): void;
  /** Records that one was sent (by email or on paper): an outbox entry and an audit entry, one transaction. */
  markSent(letterId: string, externalId: string, actor: string): void;
  /** The letter's addressees outside the system, in the order they were added. */
  ofLetter(letterId: string): ExternalAddresseeRow[];
  /** Every addressee of the office's letters that must still go out, oldest first. */
  pending(): ExternalAddresseeRow[];
}

type OutboxRow = { entityId: string; op: string; payload: string; state: OutboxState; lastError: string | null; createdAt: string };

export function externalDeliveriesRepository(ctx: RepositoryContext): ExternalDeliveriesRepository {
  const { outbox, audit } = ctx;
  const { db } = ctx;
  const remoteColumns = "SELECT data FROM remote_entities WHERE entity = 'external_delivery'";
  const selectRemoteOf = db.prepare(`${remoteColumns} AND json_extract(data, '$.letterId') = ?`).pluck();
  const selectRemoteAll = db.prepare(remoteColumns).pluck();
  const outboxColumns = `SELECT entity_id AS entityId, op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'delivery' AND (op = 'external_sent' OR (op = 'deliver' AND json_extract(payload, '$.external') IS NOT NULL))`;
  const selectOutboxOf = db.prepare(`${outboxColumns} AND entity_id = ? ORDER BY seq`);
  const selectOutboxAll = db.prepare(`${outboxColumns} AND state <> 'done' ORDER BY seq`);

  /** The server's rows, then this desk's requests not synced yet laid over them. */
  function merge(remote: readonly string[], entries: readonly OutboxRow[]): ExternalAddresseeRow[] {
    const rows = new Map<string, ExternalAddresseeRow & { order: string }>();
    for (const json of remote) {
      const parsed = ExternalDeliveryData.safeParse(JSON.parse(json));
      if (!parsed.success) {
        ctx.log.warn('external deliveries: a row of the feed is not understood');
        continue;
      }
      const d = parsed.data;
      rows.set(d.id, { id: d.id, letterId: d.letterId, name: d.name, channel: d.channel, email: d.email, sentAt: d.sentAt, synced: true, problem: null, order: `${d.markedAt}#${String(d.position).padStart(4, '0')}` });
    }
    for (const e of entries) {
      const request = readOutboxContent('delivery', e.op, e.payload);
      // An entry this desk cannot read is shown in Antrian Sinkron instead.
      if (!request.readable || request.entity !== 'delivery') continue;
      const problem = e.state === 'rejected' ? problemOf(e.lastError, e.createdAt) : null;
      if (request.op === 'deliver') {
        (request.payload.external ?? []).forEach((a, i) => {
          const known = rows.get(a.id);
          if (known) { if (problem) known.problem = problem; return; }
          rows.set(a.id, { id: a.id, letterId: e.entityId, name: a.name, channel: a.channel, email: a.email ?? null, sentAt: null, synced: false, problem, order: `${e.createdAt}#${String(i).padStart(4, '0')}` });
        });
      } else {
        const row = rows.get(request.payload.externalId);
        if (!row) continue;
        if (problem) row.problem = problem;
        // A mark already pushed counts too: the server's row says so only after the next pull, and in
        // between the letter's view would offer "Tandai sudah dikirim" again. A discarded mark (done,
        // with the person's reason kept) does not.
        else if (row.sentAt === null && !(e.state === 'done' && e.lastError !== null)) row.sentAt = e.createdAt;
      }
    }
    return [...rows.values()].sort((a, b) => a.order.localeCompare(b.order)).map(({ order: _order, ...row }) => row);
  }

  const request = db.transaction((letterId: string, addressees: readonly NewExternalAddressee[], actor: string) => {
    outbox.append({ entity: 'delivery', entityId: letterId, op: 'deliver', payload: { toOfficeIds: [], external: [...addressees] } });
    // Ids and channels only: names and addresses of citizens do not belong in the activity log.
    audit.append({ actor, action: 'letter.external-requested', entity: 'letter', entityId: letterId, details: { external: addressees.map((a) => ({ id: a.id, channel: a.channel })) } });
  });
  const markSent = db.transaction((letterId: string, externalId: string, actor: string) => {
    outbox.append({ entity: 'delivery', entityId: letterId, op: 'external_sent', payload: { externalId } });
    audit.append({ actor, action: 'letter.external-sent', entity: 'letter', entityId: letterId, details: { externalId } });
  });

  return {
    request: (letterId, addressees, actor) => request.immediate(letterId, addressees, actor),
    markSent: (letterId, externalId, actor) => markSent.immediate(letterId, externalId, actor),
    ofLetter: (letterId) => merge(selectRemoteOf.all(letterId) as string[], selectOutboxOf.all(letterId) as OutboxRow[]),
    pending: () => merge(selectRemoteAll.all() as string[], selectOutboxAll.all() as OutboxRow[]).filter((r) => r.sentAt === null),
  };
}
