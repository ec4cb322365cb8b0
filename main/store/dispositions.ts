// Dispositions as this desk knows them: the office's feed rows ('disposition', the server's truth)
// with this desk's own changes still on their way laid over them (outbox entries of entity
// 'disposition': a new disposition, a read, a report, a cancel), so a disposition written offline
// shows at once and its refusal stays visible until a person acts on it in Antrian Sinkron.
import { DispositionData, type DispositionCreate, type DispositionReport } from '../../common/protocol/disposition.ts';
import { LetterData } from '../../common/protocol/letters.ts';
import { readOutboxContent } from './outbox.ts';
import { problemOf } from './sync.ts';
import type { RepositoryContext } from './store.ts';

/** A disposition on this desk: the feed's row with this desk's open changes applied. */
export interface DeskDisposition extends DispositionData {
  /** A change of this desk to it has not reached the server yet. */
  pending: boolean;
  /** Why the server refused this desk's change to it (see Antrian Sinkron); null when it did not. */
  refused: string | null;
}

export interface DispositionsRepository {
  /** Every disposition this desk knows of, oldest first. */
  all(): DeskDisposition[];
  /** The office's incoming letters as the feed carries them (other desks' registrations included), newest first. */
  officeLetters(limit: number): LetterData[];
  create(p: DispositionCreate, actor: string): void;
  markRead(dispositionId: string, positionId: string, actor: string): void;
  report(p: DispositionReport, actor: string): void;
  cancel(dispositionId: string, actor: string): void;
}

export function dispositionsRepository(ctx: RepositoryContext): DispositionsRepository {
  const { db, outbox, audit } = ctx;
  const selectRemote = db.prepare("SELECT data FROM remote_entities WHERE entity = 'disposition' ORDER BY seq").pluck();
  const selectLetters = db.prepare("SELECT data FROM remote_entities WHERE entity = 'letter' AND json_extract(data, '$.direction') = 'in' ORDER BY seq DESC LIMIT ?").pluck();
  const selectOwn = db.prepare(`SELECT entity_id AS entityId, op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'disposition' AND state IN ('pending', 'in_progress', 'failed', 'rejected') ORDER BY seq`);

  function all(): DeskDisposition[] {
    const byId = new Map<string, DeskDisposition>();
    for (const raw of selectRemote.all() as string[]) {
      const parsed = DispositionData.safeParse(JSON.parse(raw));
      if (parsed.success) byId.set(parsed.data.id, { ...parsed.data, pending: false, refused: null });
      else ctx.log.warn('dispositions: a disposition row of the feed is not understood');
    }
    for (const row of selectOwn.all() as { entityId: string; op: string; payload: string; state: string; lastError: string | null; createdAt: string }[]) {
      const change = readOutboxContent('disposition', row.op, row.payload);
      if (!change.readable || change.entity !== 'disposition') continue;
      const refused = row.state === 'rejected' ? (problemOf(row.lastError, row.createdAt)?.message ?? '') : null;
      let d = byId.get(row.entityId);
      if (change.op === 'create') {
        const p = change.payload;
        d ??= {
          id: p.dispositionId, letterId: p.letterId, parentId: p.parentId, fromPositionId: p.fromPositionId, fromUserId: '', instructions: p.instructions,
          note: p.note, urgency: p.urgency, dueDate: p.dueDate, createdAt: row.createdAt, cancelledAt: null, pending: true, refused: null,
          recipients: [...p.to.map((positionId) => ({ positionId, kind: 'to' as const })), ...p.cc.filter((c) => !p.to.includes(c)).map((positionId) => ({ positionId, kind: 'cc' as const }))]
            .map((r) => ({ ...r, readAt: null, readBy: null, doneAt: null, doneBy: null, reportNote: null, reportAttachment: null })),
        };
      }
      if (!d) continue;
      d = { ...d, pending: true, refused: refused ?? d.refused };
      if (refused === null) {
        if (change.op === 'cancel') d.cancelledAt ??= row.createdAt;
        if (change.op === 'read') d.recipients = d.recipients.map((r) => (r.positionId === change.payload.positionId ? { ...r, readAt: r.readAt ?? row.createdAt } : r));
        if (change.op === 'report') {
          const p = change.payload;
          d.recipients = d.recipients.map((r) => (r.positionId === p.positionId
            ? { ...r, readAt: r.readAt ?? row.createdAt, doneAt: r.doneAt ?? row.createdAt, reportNote: p.note, reportAttachment: p.attachment } : r));
        }
      }
      byId.set(d.id, d);
    }
    return [...byId.values()];
  }

  const create = db.transaction((p: DispositionCreate, actor: string) => {
    outbox.append({ entity: 'disposition', entityId: p.dispositionId, op: 'create', payload: p });
    audit.append({ actor, action: 'disposition.created', entity: 'letter', entityId: p.letterId, details: { dispositionId: p.dispositionId, from: p.fromPositionId, to: p.to, cc: p.cc } });
  });
  const markRead = db.transaction((dispositionId: string, positionId: string, actor: string) => {
    outbox.append({ entity: 'disposition', entityId: dispositionId, op: 'read', payload: { dispositionId, positionId } });
    audit.append({ actor, action: 'disposition.read', entity: 'disposition', entityId: dispositionId, details: { positionId } });
  });
  const report = db.transaction((p: DispositionReport, actor: string) => {
    outbox.append({ entity: 'disposition', entityId: p.dispositionId, op: 'report', payload: p });
    audit.append({ actor, action: 'disposition.reported', entity: 'disposition', entityId: p.dispositionId, details: { positionId: p.positionId, attachment: p.attachment } });
  });
  const cancel = db.transaction((dispositionId: string, actor: string) => {
    outbox.append({ entity: 'disposition', entityId: dispositionId, op: 'cancel', payload: { dispositionId } });
    audit.append({ actor, action: 'disposition.cancelled', entity: 'disposition', entityId: dispositionId });
  });

  return {
    all,
    officeLetters: (limit) => (selectLetters.all(limit) as string[]).flatMap((raw) => {
      const parsed = LetterData.safeParse(JSON.parse(raw));
      return parsed.success ? [parsed.data] : [];
    }),
    create: (p, actor) => create.immediate(p, actor),
    markRead: (id, positionId, actor) => markRead.immediate(id, positionId, actor),
    report: (p, actor) => report.immediate(p, actor),
    cancel: (id, actor) => cancel.immediate(id, actor),
  };
}
