// Letters delivered between offices through the system. Sending: the request goes to the outbox
// (entity 'delivery', one entry per "Kirim ke kantor lain", with its audit entry in the same
// transaction) and the outbox entries are what the letter's view shows as sent or still waiting.
// Receiving: the change feed's `delivery` rows (remote_entities), and which local agenda entry
// registered each one, so a delivered letter is offered until it is registered here, and only once.
import { DeliveryData } from '../../common/protocol/delivery.ts';
import { readOutboxContent, type OutboxState } from './outbox.ts';
import { problemOf, type OutboxProblem } from './sync.ts';
import type { RepositoryContext } from './store.ts';

/** A `delivery` row of the change feed as pulled, read through the feed's schema. */
export interface ReceivedDeliveryRow {
  letterId: string;
  data: DeliveryData;
  /** The local agenda entry that registered it; null while it waits. */
  registeredAs: string | null;
}

/** One office a letter was sent to from this desk, as its latest outbox entry for that office stands. */
export interface SentDelivery {
  officeId: string;
  state: OutboxState;
  problem: OutboxProblem | null;
  requestedAt: string;
}

export interface DeliveriesRepository {
  /** Asks the server to deliver a registered letter to other offices: an outbox entry and an audit entry, one transaction. */
  requestSend(letterId: string, toOfficeIds: readonly string[], actor: string): void;
  /** The offices this desk sent the letter to, in the order they were chosen. */
  sent(letterId: string): SentDelivery[];
  /** Delivered letters not registered here yet, the latest delivered first. A row this desk cannot read is left out (and logged). */
  waiting(): ReceivedDeliveryRow[];
  received(letterId: string): ReceivedDeliveryRow | undefined;
  /** Records that a local agenda entry registered the delivered letter; runs inside the registration's transaction. */
  markRegistered(deliveredLetterId: string, letterId: string): void;
  /** The delivered letter a local agenda entry registered, if it registered one. */
  registeredFrom(letterId: string): string | undefined;
}

export function deliveriesRepository(ctx: RepositoryContext): DeliveriesRepository {
  const { outbox, audit } = ctx;
  const { db } = ctx;
  const selectSent = db.prepare(`SELECT payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'delivery' AND entity_id = ? AND op = 'deliver' ORDER BY seq`);
  const receivedColumns = `r.entity_id AS letterId, r.data AS data, d.letter_id AS registeredAs
    FROM remote_entities AS r LEFT JOIN delivered_letter_registrations AS d ON d.delivered_letter_id = r.entity_id`;
  // A delivery another desk of this office registered comes back from the server with its registration.
  const selectWaiting = db.prepare(`SELECT ${receivedColumns} WHERE r.entity = 'delivery' AND d.letter_id IS NULL
    AND json_extract(r.data, '$.registration') IS NULL ORDER BY r.seq DESC`);
  const selectReceived = db.prepare(`SELECT ${receivedColumns} WHERE r.entity = 'delivery' AND r.entity_id = ?`);
  const selectRegisteredFrom = db.prepare('SELECT delivered_letter_id FROM delivered_letter_registrations WHERE letter_id = ?').pluck();
  const insertRegistration = db.prepare('INSERT INTO delivered_letter_registrations (delivered_letter_id, letter_id, registered_at) VALUES (?, ?, ?)');
  type Row = { letterId: string; data: string; registeredAs: string | null };
  const toRow = (row: Row): ReceivedDeliveryRow | undefined => {
    const data = DeliveryData.safeParse(JSON.parse(row.data));
    if (data.success) return { letterId: row.letterId, data: data.data, registeredAs: row.registeredAs };
    ctx.log.warn('deliveries: a delivery row of the feed is not understood', { letterId: row.letterId });
    return undefined;
  };

  const requestSend = db.transaction((letterId: string, toOfficeIds: readonly string[], actor: string) => {
    outbox.append({ entity: 'delivery', entityId: letterId, op: 'deliver', payload: { toOfficeIds: [...toOfficeIds] } });
    audit.append({ actor, action: 'letter.delivery-requested', entity: 'letter', entityId: letterId, details: { toOfficeIds } });
  });

  return {
    requestSend: (letterId, toOfficeIds, actor) => requestSend.immediate(letterId, toOfficeIds, actor),
    sent(letterId) {
      const byOffice = new Map<string, SentDelivery>();
      for (const row of selectSent.all(letterId) as { payload: string; state: OutboxState; lastError: string | null; createdAt: string }[]) {
        const request = readOutboxContent('delivery', 'deliver', row.payload);
        if (!request.readable || request.op !== 'deliver') continue; // shown in Antrian Sinkron instead
        const problem = problemOf(row.lastError, row.createdAt);
        // A later request for the same office (sent again after a refusal) is the one that counts.
        for (const officeId of request.payload.toOfficeIds) {
          byOffice.delete(officeId);
          byOffice.set(officeId, { officeId, state: row.state, problem, requestedAt: row.createdAt });
        }
      }
      return [...byOffice.values()];
    },
    waiting: () => (selectWaiting.all() as Row[]).map(toRow).filter((r) => r !== undefined),
    received(letterId) {
      const row = selectReceived.get(letterId) as Row | undefined;
      return row ? toRow(row) : undefined;
    },
    registeredFrom: (letterId) => selectRegisteredFrom.get(letterId) as string | undefined,
    markRegistered(deliveredLetterId, letterId) {
      if (!db.inTransaction) throw new Error('store: deliveries.markRegistered must run inside the registration transaction');
      insertRegistration.run(deliveredLetterId, letterId, ctx.now().toISOString());
    },
  };
}
