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
  /** Every disposition this desk knows of, oldest first. The objects are shared between reads: never change them. */
  all(): readonly DeskDisposition[];
  /** The dispositions of one letter, oldest first (shared objects, as all()). */
  ofLetter(letterId: string): readonly DeskDisposition[];
  /** One disposition, or undefined when this desk does not know it. */
  get(dispositionId: string): DeskDisposition | undefined;
  /** The office's incoming letters as the feed carries them (other desks' registrations included), newest first. */
  officeLetters(limit: number): LetterData[];
  /** Letters as the feed carries them, by id, in one read (shared objects: never change them). */
  feedLetters(letterIds: readonly string[]): Map<string, LetterData>;
  create(p: DispositionCreate, actor: string): void;
  markRead(dispositionId: string, positionId: string, actor: string): void;
  report(p: DispositionReport, actor: string): void;
  cancel(dispositionId: string, actor: string): void;
}

interface OwnRow { entityId: string; op: string; payload: string; state: string; lastError: string | null; createdAt: string }

export function dispositionsRepository(ctx: RepositoryContext): DispositionsRepository {
  const { db, outbox, audit } = ctx;
  // The feed's rows are parsed once and kept: a row changes only when the feed brings it again with a
  // higher seq, so the count and the sum of the seqs tell whether anything changed since the last read,
  // and only the rows whose seq moved are read and parsed again. Beranda and the trail are read after
  // every sync; parsing a thousand rows through the schema each time held the desk for a tenth of a second.
  const selectVersion = db.prepare("SELECT count(*) || ':' || total(seq) FROM remote_entities WHERE entity = 'disposition'").pluck();
  const selectSeqs = db.prepare("SELECT entity_id AS id, seq FROM remote_entities WHERE entity = 'disposition' ORDER BY seq");
  const selectOne = db.prepare("SELECT data FROM remote_entities WHERE entity = 'disposition' AND entity_id = ?").pluck();
  const selectLetterIds = db.prepare("SELECT entity_id FROM remote_entities WHERE entity = 'letter' AND json_extract(data, '$.direction') = 'in' ORDER BY seq DESC LIMIT ?").pluck();
  // Letters of the feed, parsed once per seq: the to-do names a letter per item.
  const selectLetters = db.prepare("SELECT entity_id AS id, seq, data FROM remote_entities WHERE entity = 'letter' AND entity_id IN (SELECT value FROM json_each(?))");
  const letters = new Map<string, { seq: number; letter: LetterData }>();
  function feedLetters(ids: readonly string[]): Map<string, LetterData> {
    const found = new Map<string, LetterData>();
    if (ids.length === 0) return found;
    for (const row of selectLetters.all(JSON.stringify(ids)) as { id: string; seq: number; data: string }[]) {
      const kept = letters.get(row.id);
      if (kept?.seq === row.seq) { found.set(row.id, kept.letter); continue; }
      const parsed = LetterData.safeParse(JSON.parse(row.data));
      if (!parsed.success) continue;
      letters.set(row.id, { seq: row.seq, letter: parsed.data });
      found.set(row.id, parsed.data);
    }
    return found;
  }
  const selectOwn = db.prepare(`SELECT entity_id AS entityId, op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'disposition' AND state IN ('pending', 'in_progress', 'failed', 'rejected') ORDER BY seq`);

  let feed = { version: '', rows: [] as DeskDisposition[], seqs: new Map<string, number>(), byId: new Map<string, DeskDisposition>(), byLetter: new Map<string, DeskDisposition[]>() };
  function feedRows(): typeof feed {
    const version = selectVersion.get() as string;
    if (version === feed.version) return feed;
    const rows: DeskDisposition[] = [];
    const seqs = new Map<string, number>();
    for (const { id, seq } of selectSeqs.all() as { id: string; seq: number }[]) {
      let d = feed.seqs.get(id) === seq ? feed.byId.get(id) : undefined;
      if (!d) {
        const parsed = DispositionData.safeParse(JSON.parse(selectOne.get(id) as string));
        if (!parsed.success) { ctx.log.warn('dispositions: a disposition row of the feed is not understood'); continue; }
        d = { ...parsed.data, pending: false, refused: null };
      }
      rows.push(d);
      seqs.set(id, seq);
    }
    const byLetter = new Map<string, DeskDisposition[]>();
    for (const d of rows) {
      const list = byLetter.get(d.letterId);
      if (list) list.push(d);
      else byLetter.set(d.letterId, [d]);
    }
    feed = { version, rows, seqs, byId: new Map(rows.map((d) => [d.id, d])), byLetter };
    return feed;
  }

  /** This desk's open changes laid over the feed's rows; `letterId` limits it to one letter. */
  function overlaid(letterId?: string): DeskDisposition[] {
    const f = feedRows();
    const own = selectOwn.all() as OwnRow[];
    const base = letterId === undefined ? f.rows : (f.byLetter.get(letterId) ?? []);
    if (own.length === 0) return base.slice();
    const byId = new Map(base.map((d) => [d.id, d]));
    for (const row of own) {
      const change = readOutboxContent('disposition', row.op, row.payload);
      if (!change.readable || change.entity !== 'disposition') continue;
      const refused = row.state === 'rejected' ? (problemOf(row.lastError, row.createdAt)?.message ?? '') : null;
      let d = byId.get(row.entityId);
      if (change.op === 'create') {
        const p = change.payload;
        if (letterId !== undefined && p.letterId !== letterId) continue;
        d ??= {
          id: p.dispositionId, letterId: p.letterId, parentId: p.parentId, fromPositionId: p.fromPositionId, fromUserId: '', instructions: p.instructions,
          note: p.note, urgency: p.urgency, dueDate: p.dueDate, createdAt: row.createdAt, cancelledAt: null, pending: true, refused: null,
          recipients: [...p.to.map((positionId) => ({ positionId, kind: 'to' as const })), ...p.cc.filter((c) => !p.to.includes(c)).map((positionId) => ({ positionId, kind: 'cc' as const }))]
            .map((r) => ({ ...r, readAt: null, readBy: null, doneAt: null, doneBy: null, reportNote: null, reportAttachment: null, reportAttachmentName: null })),
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
            ? { ...r, readAt: r.readAt ?? row.createdAt, doneAt: r.doneAt ?? row.createdAt, reportNote: p.note, reportAttachment: p.attachment, reportAttachmentName: p.attachmentName ?? null } : r));
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
    all: () => overlaid(),
    ofLetter: (letterId) => overlaid(letterId),
    get: (dispositionId) => {
      const d = feedRows().byId.get(dispositionId);
      return d ? overlaid(d.letterId).find((x) => x.id === dispositionId) : overlaid().find((x) => x.id === dispositionId);
    },
    officeLetters: (limit) => {
      const ids = selectLetterIds.all(limit) as string[];
      const found = feedLetters(ids);
      return ids.flatMap((id) => found.get(id) ?? []);
    },
    feedLetters,
    create: (p, actor) => create.immediate(p, actor),
    markRead: (id, positionId, actor) => markRead.immediate(id, positionId, actor),
    report: (p, actor) => report.immediate(p, actor),
    cancel: (id, actor) => cancel.immediate(id, actor),
  };
}
