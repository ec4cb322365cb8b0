// The drafting capability's sync mutations: a draft saved at a desk, sent to its paraf chain, decided
// by each verifier in turn, signed by its signer. Every save keeps its version; the draft's row holds
// the highest, so saves arriving again or out of order never bring back older text. Who may act is
// checked here: the author saves and submits (not while verifiers read it), only the verifier whose
// turn it is — by the position they hold now — edits and decides, only people of the draft's office,
// a draft names only a kop-and-templates version of its own office,
// nothing after it is signed, and signing asks server/positions/signing-authority.ts. Each step re-sends the
// whole draft (chain, trail, versions) in the feed of the people of its chain.
import { randomUUID } from 'node:crypto';
import { Rejection } from '../http/errors.ts';
import { appendChange, officeOf, type Applier, type MutationWrites, type Trx } from '../feed/writes.ts';
import { heldPositions, holds, holdersOf } from '../positions/holdings.ts';
import { maySignFor } from '../positions/signing-authority.ts';
import type { CurrentUser } from '../http/context.ts';
import { DocumentTypeSchema, DraftContentSchema } from '../../common/ipc/drafting.ts';
import { defaultParafRestart, type DraftChainData, type ParafRestart } from '../../common/protocol/drafting.ts';
import { blobsUsableBy } from '../blobs/access.ts';
import { formatMoment } from '../../common/dates.ts';
import { officeTimeZone } from '../office/time-zone.ts';

type Chain = NonNullable<Awaited<ReturnType<typeof chainOf>>>;

/** How far ahead of the server's clock a desk's signing time may be (clocks drift), as for signature.record. */
const clockSkewMs = 5 * 60_000;

async function chainOf(trx: Trx, draftId: string) {
  return trx.selectFrom('draft_chains').selectAll().where('draft_id', '=', draftId).executeTakeFirst();
}

const verifiersOf = (chain: Chain): string[] => JSON.parse(chain.verifiers) as string[];

/** A draft of the user's office, or DRAFT_NOT_FOUND (another office's drafts are not shown to exist). */
async function officeDraft(trx: Trx, user: CurrentUser, draftId: string) {
  const officeId = officeOf(user);
  const draft = await trx.selectFrom('drafts').selectAll().where('id', '=', draftId).executeTakeFirst();
  if (!draft || draft.office_id !== officeId) throw new Rejection('DRAFT_NOT_FOUND');
  return draft;
}

async function restartPolicy(trx: Trx, officeId: string): Promise<ParafRestart> {
  const row = await trx.selectFrom('paraf_policies').select('restart').where('office_id', '=', officeId).executeTakeFirst();
  return row?.restart ?? defaultParafRestart;
}

async function addStep(trx: Trx, step: { id: string; draftId: string; round: number; action: 'submit' | 'approve' | 'return' | 'sign'; positionId: string | null; userId: string; version: number; note: string; at: string }, recordedAt: string) {
  const last = await trx.selectFrom('paraf_steps').select((eb) => eb.fn.max('seq').as('seq')).where('draft_id', '=', step.draftId).executeTakeFirst();
  await trx.insertInto('paraf_steps').values({
    id: step.id, draft_id: step.draftId, seq: Number(last?.seq ?? 0) + 1, round: step.round, action: step.action, position_id: step.positionId,
    user_id: step.userId, version: step.version, note: step.note, at: step.at, recorded_at: recordedAt,
  }).execute();
}

/** The draft with its chain, trail and versions, as the feed carries it. */
async function chainData(trx: Trx, draftId: string): Promise<{ data: DraftChainData; people: string[] } | undefined> {
  const draft = await trx.selectFrom('drafts').selectAll().where('id', '=', draftId).executeTakeFirst();
  const chain = await chainOf(trx, draftId);
  if (!draft || !chain) return undefined;
  const verifiers = verifiersOf(chain);
  const steps = await trx.selectFrom('paraf_steps').selectAll().where('draft_id', '=', draftId).orderBy('seq').execute();
  const versions = await trx.selectFrom('draft_versions').selectAll().where('draft_id', '=', draftId).orderBy('version').execute();
  const userIds = [...new Set([draft.author_id, chain.signer_id, ...steps.map((s) => s.user_id), ...versions.map((v) => v.saved_by)])];
  const names = new Map((await trx.selectFrom('users').select(['id', 'full_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.full_name]));
  const titles = new Map(verifiers.length === 0 ? [] : (await trx.selectFrom('positions').select(['id', 'title']).where('id', 'in', verifiers).execute()).map((p) => [p.id, p.title]));
  const at = chain.updated_at;
  const verifierHolders = (await Promise.all(verifiers.map((v) => holdersOf(trx, v, at)))).flat();
  return {
    people: [...new Set([draft.author_id, chain.signer_id, ...await signerDelegates(trx, chain.signer_id, at), ...verifierHolders, ...steps.map((s) => s.user_id)])],
    data: {
      id: draft.id, authorId: draft.author_id, authorName: names.get(draft.author_id) ?? draft.author_id, type: draft.type as DraftChainData['type'],
      version: draft.version, state: chain.state, round: chain.round, step: chain.step,
      verifiers: verifiers.map((positionId) => ({ positionId, title: titles.get(positionId) ?? positionId })),
      signerId: chain.signer_id, signerName: names.get(chain.signer_id) ?? chain.signer_id, classificationCode: chain.classification_code, letterId: chain.letter_id,
      trail: steps.map((s) => ({
        id: s.id, round: s.round, action: s.action, positionId: s.position_id, userId: s.user_id, userName: names.get(s.user_id) ?? s.user_id,
        version: s.version, note: s.note, at: s.at,
      })),
      versions: versions.map((v) => ({
        version: v.version, content: DraftContentSchema.parse(JSON.parse(v.content)), attachments: JSON.parse(v.attachments) as string[], savedBy: v.saved_by, savedAt: v.saved_at,
      })),
    },
  };
}

/** The Plh/Plt of the signer's positions whose period has not ended at `at`: they sign the signer's letters during it. */
async function signerDelegates(trx: Trx, signerId: string, at: string): Promise<string[]> {
  const positions = (await heldPositions(trx, signerId, at)).filter((h) => h.capacity === 'definitive').map((h) => h.positionId);
  if (positions.length === 0) return [];
  const rows = await trx.selectFrom('delegations').select('delegate_user_id').where('position_id', 'in', positions).where('ends_at', '>', at).execute();
  return rows.map((r) => r.delegate_user_id);
}

/**
 * A position was just delegated: the drafts its holder is to sign, still open, go to the new Plh/Plt
 * too (with everyone of their chain), so the delegate's desk can show and sign them during the period.
 */
export async function publishDraftsOfSigner(trx: Trx, writes: MutationWrites, officeId: string, signerId: string, at: string): Promise<void> {
  const open = await trx.selectFrom('draft_chains').innerJoin('drafts', 'drafts.id', 'draft_chains.draft_id').select('draft_chains.draft_id')
    .where('draft_chains.signer_id', '=', signerId).where('drafts.office_id', '=', officeId).where('draft_chains.state', 'in', ['in_review', 'approved']).execute();
  for (const row of open) await publish(trx, writes, officeId, row.draft_id, at);
}

/** Sends the draft as it now is to the feed of everyone in its chain (author, verifiers' holders, signer and its Plh/Plt). */
async function publish(trx: Trx, writes: MutationWrites, officeId: string, draftId: string, at: string): Promise<void> {
  const found = await chainData(trx, draftId);
  if (!found) return;
  for (const userId of found.people) appendChange(writes, officeId, userId, { entity: 'draft', entityId: draftId, op: 'upsert', data: found.data }, at);
}

export const saveDraft: Applier<'draft.save'> = async (trx, writes, user, p, at) => {
  const officeId = officeOf(user);
  const kept = await trx.selectFrom('drafts').select(['office_id', 'author_id', 'version']).where('id', '=', p.draftId).executeTakeFirst();
  if (kept && kept.office_id !== officeId) throw new Rejection('DRAFT_NOT_YOURS');
  const chain = kept ? await chainOf(trx, p.draftId) : undefined;
  if (chain?.state === 'signed') throw new Rejection('DRAFT_SIGNED');
  // While verifiers read it, only the one whose turn it is edits it; otherwise only its author.
  const reviewing = chain?.state === 'in_review' || chain?.state === 'approved';
  if (reviewing) {
    const current = verifiersOf(chain)[chain.step];
    if (current === undefined || !(await holds(trx, user.id, current, at))) throw new Rejection(kept?.author_id === user.id ? 'DRAFT_IN_REVIEW' : 'DRAFT_NOT_YOURS');
  } else if (kept && kept.author_id !== user.id) {
    throw new Rejection('DRAFT_NOT_YOURS');
  }
  // The kop and templates a draft names are its office's own: another office's version, or one the server never kept, would print a letterhead not the office's.
  const naskahVersion = p.content.naskahVersion;
  if (naskahVersion !== undefined) {
    const version = await trx.selectFrom('naskah_versions').select('office_id').where('id', '=', naskahVersion).executeTakeFirst();
    if (version?.office_id !== officeId) throw new Rejection('DRAFT_NASKAH_UNKNOWN');
  }
  const attachments = [...new Set(p.attachments)];
  if (attachments.length > 0) {
    // Only blobs the office holds or was sent, as for letters: another office's, known by its hash, is missing here.
    if ((await blobsUsableBy(trx, officeId, attachments)).size !== attachments.length) throw new Rejection('BLOB_MISSING');
  }
  const row = {
    type: p.type, subject: p.content.hal, content: JSON.stringify(p.content), attachments: JSON.stringify(p.attachments), status: p.status,
    letter_id: p.letterId, version: p.version, saved_at: p.savedAt, received_at: at,
  };
  const newer = kept === undefined || p.version > kept.version;
  if (!kept) await trx.insertInto('drafts').values({ id: p.draftId, office_id: officeId, author_id: user.id, ...row }).execute();
  else if (newer) await trx.updateTable('drafts').set(row).where('id', '=', p.draftId).execute();
  await trx.insertInto('draft_versions').values({
    draft_id: p.draftId, version: p.version, content: row.content, attachments: row.attachments, saved_by: user.id, saved_at: p.savedAt,
  }).onConflict((oc) => oc.columns(['draft_id', 'version']).doNothing()).execute();
  if (reviewing && newer) await publish(trx, writes, officeId, p.draftId, at);
  return { target: p.draftId, details: { version: p.version, status: p.status, kept: newer } };
};

export const submitDraft: Applier<'draft.submit'> = async (trx, writes, user, p, at) => {
  const draft = await officeDraft(trx, user, p.draftId);
  const officeId = draft.office_id;
  if (draft.author_id !== user.id) throw new Rejection('DRAFT_NOT_YOURS');
  if (p.version !== draft.version) throw new Rejection('DRAFT_VERSION_STALE');
  const chain = await chainOf(trx, p.draftId);
  if (chain?.state === 'signed') throw new Rejection('DRAFT_SIGNED');
  if (chain && chain.state !== 'returned') throw new Rejection('DRAFT_IN_REVIEW');
  const own = new Set((await heldPositions(trx, user.id, at)).map((h) => h.positionId));
  const valid = p.verifiers.length === 0 ? [] : await trx.selectFrom('positions').select('id').where('id', 'in', p.verifiers).where('office_id', '=', officeId).where('active', '=', 1).execute();
  if (valid.length !== p.verifiers.length || p.verifiers.some((v) => own.has(v))) throw new Rejection('VERIFIER_INVALID');
  const signer = await trx.selectFrom('users').select(['office_id', 'role', 'active']).where('id', '=', p.signerId).executeTakeFirst();
  if (signer?.office_id !== officeId || signer.role !== 'signer' || signer.active !== 1) throw new Rejection('SIGNER_INVALID');

  let step = 0;
  if (chain && (await restartPolicy(trx, officeId)) === 'from_returner' && chain.returned_by_position !== null) {
    step = Math.max(0, p.verifiers.indexOf(chain.returned_by_position));
  }
  const round = (chain?.round ?? 0) + 1;
  const state = step >= p.verifiers.length ? 'approved' as const : 'in_review' as const;
  const values = { signer_id: p.signerId, classification_code: p.classificationCode, verifiers: JSON.stringify(p.verifiers), step, state, round, returned_by_position: null, letter_id: null, updated_at: at };
  if (chain) await trx.updateTable('draft_chains').set(values).where('draft_id', '=', p.draftId).execute();
  else await trx.insertInto('draft_chains').values({ draft_id: p.draftId, office_id: officeId, ...values }).execute();
  await addStep(trx, { id: randomUUID(), draftId: p.draftId, round, action: 'submit', positionId: null, userId: user.id, version: p.version, note: '', at: p.submittedAt }, at);
  await publish(trx, writes, officeId, p.draftId, at);
  return { target: p.draftId, details: { version: p.version, round, verifiers: p.verifiers, signerId: p.signerId, startsAt: step } };
};

export const decideParaf: Applier<'paraf.decide'> = async (trx, writes, user, p, at) => {
  const draft = await officeDraft(trx, user, p.draftId);
  const chain = await chainOf(trx, p.draftId);
  if (!chain) throw new Rejection('PARAF_NOT_PENDING');
  if (chain.state === 'signed') throw new Rejection('DRAFT_SIGNED');
  if (chain.state !== 'in_review') throw new Rejection('PARAF_NOT_PENDING');
  const verifiers = verifiersOf(chain);
  const current = verifiers[chain.step]!;
  if (!(await holds(trx, user.id, current, at))) throw new Rejection('PARAF_NOT_YOUR_TURN');
  if (p.version !== draft.version) throw new Rejection('DRAFT_VERSION_STALE');
  if (p.verdict === 'approve') {
    const step = chain.step + 1;
    await trx.updateTable('draft_chains').set({ step, state: step >= verifiers.length ? 'approved' : 'in_review', updated_at: at }).where('draft_id', '=', p.draftId).execute();
  } else {
    await trx.updateTable('draft_chains').set({ state: 'returned', returned_by_position: current, updated_at: at }).where('draft_id', '=', p.draftId).execute();
  }
  await addStep(trx, { id: p.decisionId, draftId: p.draftId, round: chain.round, action: p.verdict, positionId: current, userId: user.id, version: p.version, note: p.note, at: p.decidedAt }, at);
  await publish(trx, writes, draft.office_id, p.draftId, at);
  return { target: p.draftId, details: { decisionId: p.decisionId, verdict: p.verdict, positionId: current, version: p.version, round: chain.round } };
};

/**
 * The official and their Plh/Plt may both have signed the draft, one of them offline: the second is
 * told who signed it first and when, and that their own letter is to be voided (its number kept as batal).
 */
async function signedFirst(trx: Trx, officeId: string, draftId: string): Promise<Rejection> {
  const step = await trx.selectFrom('paraf_steps').innerJoin('users', 'users.id', 'paraf_steps.user_id').select(['users.full_name', 'paraf_steps.at'])
    .where('paraf_steps.draft_id', '=', draftId).where('paraf_steps.action', '=', 'sign').orderBy('paraf_steps.seq', 'desc').executeTakeFirst();
  if (step === undefined) return new Rejection('DRAFT_SIGNED');
  const when = formatMoment(step.at, await officeTimeZone(trx, officeId), 'id', 'long');
  return new Rejection('DRAFT_SIGNED', `Konsep ini sudah ditandatangani oleh ${step.full_name} pada ${when}; tanda tangan kedua tidak diterima server. Batalkan surat ini agar nomornya tercatat batal.`);
}

export const signDraft: Applier<'draft.sign'> = async (trx, writes, user, p, at) => {
  const draft = await officeDraft(trx, user, p.draftId);
  const chain = await chainOf(trx, p.draftId);
  if (chain?.state === 'signed') throw await signedFirst(trx, draft.office_id, p.draftId);
  if (chain?.state !== 'approved') throw new Rejection('PARAF_INCOMPLETE');
  // Judged at the signing time (a desk may sign offline during a delegation and push after it), never one ahead of the server's clock.
  if (Date.parse(p.signedAt) > Date.parse(at) + clockSkewMs) throw new Rejection('SIGNER_NOT_AUTHORIZED', 'Waktu tanda tangan lebih lambat dari waktu server. Periksa jam meja penanda tangan; tanda tangan tidak diterima server.');
  if (!(await maySignFor(trx, draft.office_id, user.id, chain.signer_id, DocumentTypeSchema.safeParse(draft.type).data ?? null, p.signedAt))) throw new Rejection('SIGNER_NOT_AUTHORIZED');
  if (p.version !== draft.version) throw new Rejection('DRAFT_VERSION_STALE');
  const letter = await trx.selectFrom('letters').select('office_id').where('id', '=', p.letterId).executeTakeFirst();
  if (letter?.office_id !== draft.office_id) throw new Rejection('LETTER_NOT_FOUND');
  await trx.updateTable('draft_chains').set({ state: 'signed', letter_id: p.letterId, updated_at: at }).where('draft_id', '=', p.draftId).execute();
  await trx.updateTable('drafts').set({ status: 'submitted', letter_id: p.letterId }).where('id', '=', p.draftId).execute();
  await addStep(trx, { id: randomUUID(), draftId: p.draftId, round: chain.round, action: 'sign', positionId: null, userId: user.id, version: p.version, note: '', at: p.signedAt }, at);
  await publish(trx, writes, draft.office_id, p.draftId, at);
  return { target: p.draftId, details: { letterId: p.letterId, version: p.version } };
};

/** Every desk of the office keeps the policy from the feed, so each shows the office's choice. */
export const setParafPolicy: Applier<'paraf.policy'> = async (trx, writes, user, p, at) => {
  if (user.role !== 'admin_kantor') throw new Rejection('FORBIDDEN');
  const officeId = officeOf(user);
  await trx.insertInto('paraf_policies').values({ office_id: officeId, restart: p.restart, set_by: user.id, set_at: at })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ restart: p.restart, set_by: user.id, set_at: at })).execute();
  appendChange(writes, officeId, null, { entity: 'paraf_policy', entityId: officeId, op: 'upsert', data: { restart: p.restart, updatedAt: at, updatedBy: user.id } }, at);
  return { target: officeId, details: { restart: p.restart } };
};
