// Drafts in their paraf chain as this desk knows them: the feed's rows ('draft', sent by the server to
// the people of each chain) with this desk's submissions, decisions and signings still on their way
// laid over them (outbox entries of entity 'draft'), so a paraf given offline shows at once and a
// refusal stays visible with its reason until a person acts on it in Antrian Sinkron. And the letter a
// signer's desk made from a draft whose chain is complete.
import { DraftChainData, ParafPolicyData, defaultParafRestart, type DraftSign, type DraftSubmit, type ParafDecide, type ParafRestart } from '../../common/protocol/drafting.ts';
import { DraftContentSchema, type DraftContent } from '../../common/ipc/drafting.ts';
import { readOutboxContent } from './outbox.ts';
import { problemOf } from './sync.ts';
import type { RepositoryContext } from './store.ts';

/** A draft of a chain on this desk: the feed's row with this desk's open changes applied. */
export interface DeskChainDraft extends DraftChainData {
  /** A change of this desk to it has not reached the server yet. */
  pending: boolean;
  /** Why the server refused this desk's change to it (see Antrian Sinkron); null when it did not. */
  refused: string | null;
}

export interface ParafRepository {
  /** Every draft of a chain this desk knows of. */
  all(): DeskChainDraft[];
  get(draftId: string): DeskChainDraft | undefined;
  /** The author sends a version to the chain (their draft as saved, with its outbox entry, goes first). */
  submit(p: DraftSubmit, actor: string): void;
  decide(p: ParafDecide, actor: string): void;
  /** The verifier whose turn it is saved an edited version. */
  edit(draft: DraftChainData, version: number, content: DraftContent, actor: string): void;
  /** The letter this desk made from the draft for its signer; undefined when none yet. */
  letterOf(draftId: string): { letterId: string; version: number } | undefined;
  draftOfLetter(letterId: string): string | undefined;
  /** Must run in the transaction that creates the letter. */
  linkLetter(draftId: string, letterId: string, version: number): void;
  /** The draft's letter was signed here; must run in the signing transaction, after the letter's number was taken. */
  signed(p: DraftSign, actor: string): void;
  /** The office's choice of where chains restart after a return (admin kantor). */
  setPolicy(restart: ParafRestart, actor: string): void;
  /** The office's policy as this desk knows it: a choice made here on its way to the server, else the office's from the feed, else the default. */
  policy(officeId: string | null): DeskParafPolicy;
}

export interface DeskParafPolicy {
  restart: ParafRestart;
  /** 'waiting': chosen at this desk and not on the server yet; 'office': the office's as the server sent it; 'default': the office never chose. */
  state: 'waiting' | 'office' | 'default';
  /** When the server took the office's choice (state 'office'). */
  updatedAt: string | null;
  /** Why the server refused the last choice made at this desk (see Antrian Sinkron); the office's stays as it was. */
  refused: string | null;
}

export function parafRepository(ctx: RepositoryContext): ParafRepository {
  const { db, outbox, audit } = ctx;
  const selectRemote = db.prepare("SELECT data FROM remote_entities WHERE entity = 'draft' ORDER BY seq").pluck();
  const selectOwn = db.prepare(`SELECT entity_id AS entityId, op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE entity = 'draft' AND op IN ('save', 'submit', 'decide', 'sign') AND state IN ('pending', 'in_progress', 'failed', 'rejected') ORDER BY seq`);
  // The last choice made here, whatever became of it: once one went through, an earlier refusal is history.
  const selectOwnPolicy = db.prepare("SELECT op, payload, state, last_error AS lastError, created_at AS createdAt FROM outbox WHERE entity = 'paraf_policy' ORDER BY seq DESC LIMIT 1");
  const selectOfficePolicy = db.prepare("SELECT data FROM remote_entities WHERE entity = 'paraf_policy' AND entity_id = ?").pluck();
  const insertLink = db.prepare('INSERT INTO paraf_letters (draft_id, letter_id, version, created_at) VALUES (?, ?, ?, ?)');
  const selectLink = db.prepare('SELECT letter_id AS letterId, version FROM paraf_letters WHERE draft_id = ?');
  const selectLinkByLetter = db.prepare('SELECT draft_id FROM paraf_letters WHERE letter_id = ?').pluck();

  function all(): DeskChainDraft[] {
    const byId = new Map<string, DeskChainDraft>();
    for (const raw of selectRemote.all() as string[]) {
      const parsed = DraftChainData.safeParse(JSON.parse(raw));
      if (parsed.success) byId.set(parsed.data.id, { ...parsed.data, pending: false, refused: null });
      else ctx.log.warn('paraf: a draft row of the feed is not understood');
    }
    for (const row of selectOwn.all() as { entityId: string; op: string; payload: string; state: string; lastError: string | null; createdAt: string }[]) {
      const change = readOutboxContent('draft', row.op, row.payload);
      if (!change.readable || change.entity !== 'draft') continue;
      const refused = row.state === 'rejected' ? (problemOf(row.lastError, row.createdAt)?.message ?? '') : null;
      let d = byId.get(row.entityId);
      if (!d && change.op === 'submit' && refused === null) {
        // Sent from this desk and not in the feed yet: what the desk knows of it until the server answers.
        const p = change.payload;
        d = {
          id: p.draftId, authorId: '', authorName: '', type: 'nota_dinas', version: p.version, state: 'in_review', round: 0, step: 0,
          verifiers: p.verifiers.map((positionId) => ({ positionId, title: positionId })), signerId: p.signerId, signerName: '',
          classificationCode: p.classificationCode, letterId: null, trail: [], versions: [], pending: true, refused: null,
        };
      }
      if (!d) continue;
      const next: DeskChainDraft = { ...d, pending: true, refused: refused ?? d.refused };
      if (refused === null) {
        if (change.op === 'save' && change.payload.version > d.version) {
          // A verifier's edit (or the author's revision after a return) not on the server yet.
          const p = change.payload;
          next.version = p.version;
          next.versions = [...d.versions, { version: p.version, content: DraftContentSchema.parse(p.content), attachments: p.attachments, savedBy: '', savedAt: p.updatedAt }];
        }
        if (change.op === 'decide') {
          const p = change.payload;
          const positionId = d.verifiers[d.step]?.positionId ?? null;
          next.trail = [...d.trail, { id: p.decisionId, round: d.round, action: p.verdict, positionId, userId: '', userName: '', version: p.version, note: p.note, at: p.decidedAt }];
          if (p.verdict === 'return') next.state = 'returned';
          else { next.step = d.step + 1; next.state = next.step >= d.verifiers.length ? 'approved' : 'in_review'; }
        }
        if (change.op === 'submit' && d.state === 'returned') {
          const p = change.payload;
          Object.assign(next, { state: 'in_review', round: d.round + 1, step: 0, version: p.version, signerId: p.signerId, verifiers: p.verifiers.map((positionId) => d.verifiers.find((v) => v.positionId === positionId) ?? { positionId, title: positionId }) });
        }
        if (change.op === 'sign') { next.state = 'signed'; next.letterId = change.payload.letterId; }
      }
      byId.set(d.id, next);
    }
    return [...byId.values()];
  }

  const submit = db.transaction((p: DraftSubmit, actor: string) => {
    outbox.append({ entity: 'draft', entityId: p.draftId, op: 'submit', payload: p });
    audit.append({ actor, action: 'draft.submitted', entity: 'draft', entityId: p.draftId, details: { version: p.version, verifiers: p.verifiers, signerId: p.signerId } });
  });
  const decide = db.transaction((p: ParafDecide, actor: string) => {
    outbox.append({ entity: 'draft', entityId: p.draftId, op: 'decide', payload: p });
    audit.append({ actor, action: p.verdict === 'approve' ? 'paraf.approved' : 'paraf.returned', entity: 'draft', entityId: p.draftId, details: { version: p.version, note: p.note } });
  });
  const edit = db.transaction((d: DraftChainData, version: number, content: DraftContent, actor: string) => {
    const last = d.versions.at(-1);
    outbox.append({
      entity: 'draft', entityId: d.id, op: 'save',
      payload: { id: d.id, version, type: d.type, content, attachments: last?.attachments ?? [], status: 'draft', letterId: null, updatedAt: ctx.now().toISOString() },
    });
    audit.append({ actor, action: 'paraf.edited', entity: 'draft', entityId: d.id, details: { version } });
  });

  return {
    all,
    get: (draftId) => all().find((d) => d.id === draftId),
    submit: (p, actor) => submit.immediate(p, actor),
    decide: (p, actor) => decide.immediate(p, actor),
    edit: (d, version, content, actor) => edit.immediate(d, version, content, actor),
    letterOf: (draftId) => selectLink.get(draftId) as { letterId: string; version: number } | undefined,
    draftOfLetter: (letterId) => selectLinkByLetter.get(letterId) as string | undefined,
    linkLetter(draftId, letterId, version) {
      if (!db.inTransaction) throw new Error('store: paraf.linkLetter must run inside the transaction that creates the letter');
      insertLink.run(draftId, letterId, version, ctx.now().toISOString());
    },
    signed(p, actor) {
      if (!db.inTransaction) throw new Error('store: paraf.signed must run inside the signing transaction');
      outbox.append({ entity: 'draft', entityId: p.draftId, op: 'sign', payload: p });
      audit.append({ actor, action: 'draft.signed', entity: 'draft', entityId: p.draftId, details: { letterId: p.letterId, version: p.version } });
    },
    setPolicy(restart, actor) {
      db.transaction(() => {
        outbox.append({ entity: 'paraf_policy', entityId: 'office', op: 'set', payload: { restart } });
        audit.append({ actor, action: 'paraf.policy_set', entity: 'office', entityId: 'office', details: { restart } });
      }).immediate();
    },
    policy(officeId) {
      const raw = officeId === null ? undefined : selectOfficePolicy.get(officeId) as string | undefined;
      const parsed = raw === undefined ? undefined : ParafPolicyData.safeParse(JSON.parse(raw));
      if (parsed?.success === false) ctx.log.warn('paraf: the policy row of the feed is not understood');
      const office: DeskParafPolicy = parsed?.success
        ? { restart: parsed.data.restart, state: 'office', updatedAt: parsed.data.updatedAt, refused: null }
        : { restart: defaultParafRestart, state: 'default', updatedAt: null, refused: null };
      const own = selectOwnPolicy.get() as { op: string; payload: string; state: string; lastError: string | null; createdAt: string } | undefined;
      const change = own === undefined ? undefined : readOutboxContent('paraf_policy', own.op, own.payload);
      if (own === undefined || own.state === 'done' || !change?.readable || change.entity !== 'paraf_policy') return office;
      if (own.state === 'rejected') return { ...office, refused: problemOf(own.lastError, own.createdAt)?.message ?? '' };
      return { restart: change.payload.restart, state: 'waiting', updatedAt: null, refused: null };
    },
  };
}
