// Delegations (Plh/Plt) as this desk knows them: the office's feed rows ('delegation', the server's
// truth, kept for offline use) with this desk's own changes still on their way laid over them
// (outbox entries: a new delegation, an early end), so the admin kantor sees at once what they did
// and a refusal stays visible with its reason until a person acts on it in Antrian Sinkron. And the
// office's strategic document types ('strategic_types', one row per office), which no Plh/Plt signs,
// with the admin kantor's last change laid over them the same way.
import { DocumentTypeSchema, type DocumentType } from '../../common/ipc/drafting.ts';
import { DelegationData, StrategicTypesData, type DelegationCreate, type DelegationEnd, type StrategicTypesSet } from '../../common/protocol/delegation.ts';
import { readOutboxContent } from './outbox.ts';
import { problemOf } from './sync.ts';
import type { RepositoryContext } from './store.ts';

/** A delegation on this desk: the feed's row with this desk's open changes applied. */
export interface DeskDelegation extends DelegationData {
  pending: boolean;
  /** The server's reason for refusing this desk's change (see Antrian Sinkron); null when it did not. */
  refused: string | null;
}

/** The office's strategic document types as this desk knows them. */
export interface DeskStrategicTypes {
  documentTypes: DocumentType[];
  /** When and by whom the server last set them; null when the office never set them (or this desk has not pulled it yet). */
  updated: { at: string; by: string } | null;
  /** This desk's change has not reached the server yet (its list is the one shown). */
  pending: boolean;
  /** The server's reason for refusing this desk's last change (the office's list stays as it was); null when it did not. */
  refused: string | null;
}

export interface DelegationsRepository {
  /** Every delegation this desk knows of, earliest start first. */
  all(): DeskDelegation[];
  /** Written to the outbox with its audit entry. Until the server answers, its titles and names are empty (the caller names them from the structure). */
  create(p: DelegationCreate, actor: string): void;
  end(p: DelegationEnd, actor: string): void;
  /** The office's strategic types: the feed's row, or this desk's change while it is on its way. */
  strategicTypes(officeId: string | null): DeskStrategicTypes;
  /** The admin kantor's new list (the whole list), written to the outbox with its audit entry. */
  setStrategicTypes(officeId: string, p: StrategicTypesSet, actor: string): void;
}

export function delegationsRepository(ctx: RepositoryContext): DelegationsRepository {
  const { db, outbox, audit } = ctx;
  const selectRemote = db.prepare("SELECT data FROM remote_entities WHERE entity = 'delegation' ORDER BY seq").pluck();
  const selectOwn = db.prepare(`SELECT entity_id AS entityId, op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'delegation' AND state IN ('pending', 'in_progress', 'failed', 'rejected') ORDER BY seq`);

  function all(): DeskDelegation[] {
    const byId = new Map<string, DeskDelegation>();
    for (const raw of selectRemote.all() as string[]) {
      const parsed = DelegationData.safeParse(JSON.parse(raw));
      if (parsed.success) byId.set(parsed.data.id, { ...parsed.data, pending: false, refused: null });
      else ctx.log.warn('delegations: a delegation row of the feed is not understood');
    }
    for (const row of selectOwn.all() as { entityId: string; op: string; payload: string; state: string; lastError: string | null; createdAt: string }[]) {
      const change = readOutboxContent('delegation', row.op, row.payload);
      if (!change.readable || change.entity !== 'delegation') continue;
      const refused = row.state === 'rejected' ? (problemOf(row.lastError, row.createdAt)?.message ?? '') : null;
      let d = byId.get(row.entityId);
      if (change.op === 'create') {
        const p = change.payload;
        d ??= {
          id: p.delegationId, officeId: '', positionId: p.positionId, positionTitle: '',
          delegateUserId: p.delegateUserId, delegateName: '', delegateNip: null, kind: p.kind,
          startsAt: new Date(p.startsAt).toISOString(), endsAt: new Date(p.endsAt).toISOString(), endedEarly: null, approval: p.approval, reason: p.reason,
          createdBy: '', createdAt: row.createdAt, pending: true, refused: null,
        };
      }
      if (!d) continue;
      d = { ...d, pending: true, refused: refused ?? d.refused };
      if (change.op === 'end' && refused === null && d.endedEarly === null) {
        d.endedEarly = { at: row.createdAt, by: '', reason: change.payload.reason };
        if (Date.parse(row.createdAt) < Date.parse(d.endsAt)) d.endsAt = Date.parse(row.createdAt) > Date.parse(d.startsAt) ? row.createdAt : d.startsAt;
      }
      byId.set(d.id, d);
    }
    return [...byId.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  const selectStrategic = db.prepare("SELECT data FROM remote_entities WHERE entity = 'strategic_types' AND entity_id = ?").pluck();
  // The last change made here, whatever became of it: once one went through, an earlier refusal is history.
  const selectOwnStrategic = db.prepare(`SELECT op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'strategic_types' AND entity_id = ? ORDER BY seq DESC LIMIT 1`);

  function strategicTypes(officeId: string | null): DeskStrategicTypes {
    const raw = officeId === null ? undefined : selectStrategic.get(officeId) as string | undefined;
    const parsed = raw === undefined ? undefined : StrategicTypesData.safeParse(JSON.parse(raw));
    if (parsed?.success === false) ctx.log.warn('delegations: the strategic types row of the feed is not understood');
    const office = parsed?.success ? parsed.data : undefined;
    // A type this version does not draft is kept by the server but cannot be shown or checked here.
    const known = (types: readonly string[]) => types.flatMap((t) => { const r = DocumentTypeSchema.safeParse(t); return r.success ? [r.data] : []; });
    const kept: DeskStrategicTypes = {
      documentTypes: known(office?.documentTypes ?? []), updated: office ? { at: office.updatedAt, by: office.updatedBy } : null, pending: false, refused: null,
    };
    const own = officeId === null ? undefined : selectOwnStrategic.get(officeId) as { op: string; payload: string; state: string; lastError: string | null; createdAt: string } | undefined;
    if (own === undefined || own.state === 'done') return kept;
    const change = readOutboxContent('strategic_types', own.op, own.payload);
    if (!change.readable || change.entity !== 'strategic_types') return kept;
    if (own.state === 'rejected') return { ...kept, refused: problemOf(own.lastError, own.createdAt)?.message ?? '' };
    return { ...kept, documentTypes: known(change.payload.documentTypes), pending: true };
  }

  const setStrategic = db.transaction((officeId: string, p: StrategicTypesSet, actor: string) => {
    outbox.append({ entity: 'strategic_types', entityId: officeId, op: 'set', payload: p });
    audit.append({ actor, action: 'delegation.strategic_types_set', entity: 'office', entityId: officeId, details: { documentTypes: p.documentTypes } });
  });

  const create = db.transaction((p: DelegationCreate, actor: string) => {
    outbox.append({ entity: 'delegation', entityId: p.delegationId, op: 'create', payload: p });
    audit.append({ actor, action: 'delegation.created', entity: 'delegation', entityId: p.delegationId, details: {
      positionId: p.positionId, delegateUserId: p.delegateUserId, kind: p.kind, startsAt: p.startsAt, endsAt: p.endsAt,
      approval: { by: p.approval.approverName, on: p.approval.approvedOn, reference: p.approval.reference },
    } });
  });
  const end = db.transaction((p: DelegationEnd, actor: string) => {
    outbox.append({ entity: 'delegation', entityId: p.delegationId, op: 'end', payload: p });
    audit.append({ actor, action: 'delegation.ended', entity: 'delegation', entityId: p.delegationId, details: { reason: p.reason } });
  });

  return {
    all,
    create: (p, actor) => create.immediate(p, actor),
    end: (p, actor) => end.immediate(p, actor),
    strategicTypes,
    setStrategicTypes: (officeId, p, actor) => setStrategic.immediate(officeId, p, actor),
  };
}
