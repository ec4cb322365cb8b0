// Paraf at the desk: a drafter sends a draft to verifiers (positions of the office, in the order
// chosen) and an official; each verifier in turn sees it in their to-do, reads the letter as it will
// be signed, edits it or compares versions, and approves (paraf) or returns it with notes — offline
// too: decisions go to the outbox and out with the next sync, where the server checks them again.
// Once every verifier has initialled it, the signer's desk makes the outgoing letter from the last
// version, so it waits in Tanda Tangan; signing it reports back to the chain (main/sign/batch.ts).
import { formatMoment } from '../../../common/dates.ts';
import { AppError } from '../../../common/errors.ts';
import { uuidv7 } from '../../../common/ids.ts';
import type { ChainDraft, ParafDetail, ParafPolicy, paraf } from '../../../common/ipc/paraf.ts';
import type { Logger } from '../../../common/logger.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import type { SessionUser } from '../../auth/session.ts';
import { createBlobStore, type BlobStore } from '../../documents/blob-store.ts';
import type { Transfers } from '../../documents/transfers.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { DeskChainDraft } from '../../store/paraf.ts';
import type { Store } from '../../store/store.ts';
import { deskDraftRenderer, type DraftRenderer } from '../drafting/drafting.ts';
import { importOutgoingForSigning } from '../outgoing/import.ts';
import { compareDrafts } from './compare.ts';
import { draftedSigning } from '../../sign/drafted.ts';

export interface ParafDeps {
  store: Store;
  /** The desk is connected to an office server. */
  hasServer(): boolean;
  blobs: BlobStore;
  renderer: DraftRenderer;
  transfers: Pick<Transfers, 'offer'>;
  user(): SessionUser | null;
  actor(): string;
  /** Work went into the outbox. */
  changed(): void;
  /** The officials whose letters `userId` signs now as the Plh/Plt of their position (main/sign/drafted.ts); none by default. */
  delegatedFrom?(userId: string): Set<string>;
  log: Logger;
  now?: () => Date;
}

type ParafChannels = keyof typeof paraf.channels;

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', 'Konsep ini tidak ditemukan di meja ini. Sinkronkan meja lalu muat ulang daftarnya.', { id });
}

export function parafHandlers(deps: ParafDeps): Pick<Handlers, ParafChannels> & { prepareForSigning(): Promise<number>; withdrawSignedElsewhere(): number } {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  const me = (): SessionUser => {
    const user = deps.user();
    if (user === null) throw new AppError('AUTH_REQUIRED');
    return user;
  };
  const held = (userId: string) => new Set(store.org.heldPositions(userId, now().toISOString()).map((p) => p.id));
  /** The officials whose initialled drafts `userId` signs now: themself, and those whose position they hold as Plh/Plt. */
  const signsFor = (userId: string) => new Set([userId, ...(deps.delegatedFrom?.(userId) ?? [])]);
  const titleOf = (positionId: string) => store.org.positions(now().toISOString()).find((p) => p.id === positionId)?.title ?? positionId;

  function view(d: DeskChainDraft, userId: string, mine: Set<string>): ChainDraft {
    const current = d.state === 'in_review' ? d.verifiers[d.step]?.positionId : undefined;
    const last = d.versions.at(-1);
    return {
      id: d.id, type: d.type, hal: last?.content.hal ?? store.drafts.get(d.id)?.content.hal ?? '', authorName: d.authorName,
      state: d.pending && d.trail.length === 0 ? 'sending' : d.state, version: d.version, round: d.round,
      verifiers: d.verifiers.map((v, i) => ({
        positionId: v.positionId, title: v.title === v.positionId ? titleOf(v.positionId) : v.title,
        state: d.state === 'approved' || d.state === 'signed' || i < d.step ? 'done' as const : i === d.step && d.state === 'in_review' ? 'current' as const : 'waiting' as const,
      })),
      signerName: d.signerName, myTurn: current !== undefined && mine.has(current),
      mine: d.authorId === userId || (d.authorId === '' && store.drafts.get(d.id)?.author === userId),
      pending: d.pending, refused: d.refused,
      returnNote: d.state === 'returned' ? d.trail.filter((t) => t.action === 'return').at(-1)?.note ?? null : null,
      updatedAt: d.trail.at(-1)?.at ?? last?.savedAt ?? '',
    };
  }

  function chain(id: string): DeskChainDraft {
    const d = store.paraf.get(id);
    if (d === undefined) throw notFound(id);
    return d;
  }

  /** The attachments of `hashes` not on this desk yet (downloaded with the next sync: ./attachments.ts). */
  async function notHere(hashes: readonly string[]): Promise<number> {
    let missing = 0;
    for (const hash of hashes) if (!(await deps.blobs.has(hash))) missing++;
    return missing;
  }

  async function detail(d: DeskChainDraft): Promise<ParafDetail> {
    const user = me();
    const last = d.versions.at(-1);
    const content = last?.content ?? store.drafts.get(d.id)?.content;
    if (content === undefined) throw notFound(d.id);
    const attachments = last?.attachments ?? store.drafts.get(d.id)?.attachments ?? [];
    const names = new Map(d.trail.map((t) => [t.userId, t.userName]));
    names.set(d.authorId, d.authorName);
    return {
      ...view(d, user.id, held(user.id)), content,
      attachments: { count: attachments.length, missing: await notHere(attachments) },
      trail: d.trail.map((t) => ({ action: t.action, round: t.round, positionTitle: t.positionId === null ? null : titleOf(t.positionId), userName: t.userName || user.name, version: t.version, note: t.note, at: t.at })),
      versions: d.versions.map((v) => ({ version: v.version, savedByName: names.get(v.savedBy) ?? v.savedBy, savedAt: v.savedAt })),
    };
  }

  /** The draft at my turn, or the refusal that says why not. */
  function atMyTurn(id: string, version: number): DeskChainDraft {
    const d = chain(id);
    const user = me();
    if (d.state === 'signed') throw new AppError('VALIDATION', 'Konsep ini sudah ditandatangani; tidak ada lagi yang perlu diparaf.', { id });
    if (d.state !== 'in_review' || !view(d, user.id, held(user.id)).myTurn) {
      throw new AppError('VALIDATION', 'Belum giliran Anda memaraf konsep ini, atau konsep ini tidak sedang menunggu paraf.', { id });
    }
    if (version !== d.version) throw new AppError('DRAFT_CHANGED', undefined, { id, version: d.version });
    return d;
  }

  function versionOf(d: DeskChainDraft, version: number | undefined) {
    const v = version === undefined ? d.versions.at(-1) : d.versions.find((x) => x.version === version);
    if (v === undefined) throw new AppError('NOT_FOUND', `Versi ${version ?? ''} konsep ini belum ada di meja ini. Sinkronkan meja lalu coba lagi.`, { id: d.id, version });
    return v;
  }

  function policy(): ParafPolicy {
    const user = deps.user();
    const kept = store.paraf.policy(user?.officeId ?? null);
    return {
      restart: kept.restart, state: kept.state, updatedAt: kept.updatedAt, refused: kept.refused,
      canManage: deps.hasServer() && user !== null && user.roles.includes('admin_kantor'), server: deps.hasServer(),
    };
  }

  return {
    'paraf.policy': () => policy(),
    'paraf.setPolicy': ({ restart }) => {
      if (!policy().canManage) throw new AppError('PARAF_POLICY_ADMIN_ONLY');
      store.paraf.setPolicy(restart, deps.actor());
      deps.changed();
      return policy();
    },
    'paraf.verifiers': () => {
      const user = me();
      const mine = held(user.id);
      return store.org.positions(now().toISOString()).filter((p) => !mine.has(p.id) && p.holderId !== null)
        .map((p) => ({ positionId: p.id, title: p.title, holderName: p.holderName }));
    },
    'paraf.todo': () => {
      const user = deps.user();
      if (user === null) return { toVerify: [], sentByMe: [], toSign: [] };
      const mine = held(user.id);
      const all = store.paraf.all().map((d) => ({ d, v: view(d, user.id, mine) }));
      return {
        toVerify: all.filter((x) => x.v.myTurn).map((x) => x.v).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)),
        sentByMe: all.filter((x) => x.v.mine).map((x) => x.v).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
        toSign: ((officials) => all.filter((x) => x.d.state === 'approved' && officials.has(x.d.signerId)).map((x) => x.v))(signsFor(user.id)),
      };
    },
    'paraf.get': ({ id }) => detail(chain(id)),
    'paraf.preview': async ({ id, version }) => {
      const d = chain(id);
      const v = versionOf(d, version);
      const bytes = await deps.renderer.render({ type: d.type, content: v.content, attachments: v.attachments }, { whileMissing: 'notice' });
      return deps.transfers.offer({ bytes }, `konsep-v${v.version}.pdf`, 'application/pdf');
    },
    'paraf.edit': ({ id, version, content }) => {
      const d = atMyTurn(id, version);
      if (content.type !== d.type) throw new AppError('VALIDATION', 'Jenis naskah sebuah konsep tidak dapat diganti.', { id });
      // The kop and templates the draft was started with stay its own, whatever the editing screen sent.
      const pinned = d.versions.at(-1)?.content.naskahVersion;
      const { naskahVersion: _asSent, ...typed } = content;
      store.paraf.edit(d, d.version + 1, pinned === undefined ? typed : { ...typed, naskahVersion: pinned }, deps.actor());
      deps.changed();
      return detail(chain(id));
    },
    'paraf.decide': ({ id, version, verdict, note }) => {
      atMyTurn(id, version);
      if (verdict === 'return' && note === '') throw new AppError('PARAF_NOTE_REQUIRED');
      store.paraf.decide({ decisionId: uuidv7(), draftId: id, version, verdict, note, decidedAt: now().toISOString() }, deps.actor());
      deps.changed();
      return detail(chain(id));
    },
    'paraf.compare': ({ id, from, to }) => {
      const d = chain(id);
      return compareDrafts(versionOf(d, from).content, versionOf(d, to).content);
    },
    /**
     * Makes the outgoing letter of each draft fully initialled and addressed to me — or to the official
     * whose position I hold now as Plh/Plt — once; returns how many it made. The letter waits for the
     * official the chain named; who signs it, and how the block then reads, is decided at signing.
     */
    async prepareForSigning() {
      const user = deps.user();
      if (user === null) return 0;
      const officials = signsFor(user.id);
      let made = 0;
      for (const d of store.paraf.all()) {
        if (d.state !== 'approved' || !officials.has(d.signerId) || store.paraf.letterOf(d.id) !== undefined) continue;
        const v = d.versions.find((x) => x.version === d.version);
        if (v === undefined) continue;
        // Its lampiran are downloaded with the sync; the letter is made at the round that brings the last one.
        if (await notHere(v.attachments) > 0) continue;
        try {
          const bytes = await deps.renderer.render({ type: d.type, content: v.content, attachments: v.attachments });
          await importOutgoingForSigning(store, deps.blobs, {
            bytes, fileName: `${deps.renderer.templateOf(d.type, v.content.naskahVersion).name} - ${v.content.hal}.pdf`, subject: v.content.hal,
            addressee: v.content.addressees.filter((a) => a.trim() !== '').join('; '), signer: d.signerId, classificationCode: d.classificationCode ?? undefined,
          }, deps.actor(), (letter) => store.paraf.linkLetter(d.id, letter.id, v.version));
          made++;
        } catch (err) {
          deps.log.warn('paraf: the letter of an initialled draft was not made', { draftId: d.id, code: (err as { code?: unknown }).code });
        }
      }
      if (made > 0) deps.changed();
      return made;
    },
    /**
     * The official and their Plh/Plt both have the draft's letter waiting: once the feed says one of
     * them signed it (with a letter made at their desk), the letter waiting here is voided (batal) with
     * who signed it and when, so no one signs it a second time. It was never numbered, so no number is
     * lost; returns how many it voided.
     */
    withdrawSignedElsewhere() {
      let voided = 0;
      for (const d of store.paraf.all()) {
        const link = d.state === 'signed' && d.letterId !== null ? store.paraf.letterOf(d.id) : undefined;
        if (link === undefined || link.letterId === d.letterId || store.letters.get(link.letterId)?.status !== 'ready_to_sign') continue;
        const signing = d.trail.findLast((s) => s.action === 'sign');
        const by = signing === undefined ? '' : ` oleh ${signing.userName} pada ${formatMoment(signing.at, store.settings.get().timeZone, 'id', 'long')}`;
        store.letters.voidLetter(link.letterId, `Konsep ini sudah ditandatangani${by} di meja lain; surat ini tidak perlu ditandatangani lagi.`, deps.actor());
        voided++;
      }
      if (voided > 0) deps.changed();
      return voided;
    },
  };
}

export function parafCapability(desk: Desk): Capability {
  const blobs = createBlobStore(desk.documentsDir, { log: desk.log.child({ part: 'paraf' }) });
  const renderer = deskDraftRenderer(desk);
  const drafted = draftedSigning({ store: desk.store, renderer });
  const log = desk.log.child({ part: 'paraf' });
  const handlers = parafHandlers({
    store: desk.store, hasServer: () => desk.sync.serverUrl() !== '', blobs, renderer, transfers: desk.transfers, user: () => desk.sync.session.user(), actor: desk.actor,
    delegatedFrom: (userId) => drafted.delegatedFrom(userId),
    changed: () => { desk.bus.emit('dashboard.changed', {}); desk.syncSoon(); }, log,
  });
  // A chain completed elsewhere reaches this desk with a pull: the signer's letter is made then, one
  // round at a time (a round already running makes what the next would); one signed elsewhere is withdrawn.
  let running: Promise<unknown> | null = null;
  const unsubscribe = desk.bus.subscribe((name) => {
    if (name !== 'sync.changed' || running !== null) return;
    try {
      handlers.withdrawSignedElsewhere();
    } catch (err) {
      log.warn('paraf: a letter signed elsewhere was not withdrawn here', { code: (err as { code?: unknown }).code });
    }
    running = handlers.prepareForSigning().finally(() => { running = null; });
  });
  const { prepareForSigning: _prepare, withdrawSignedElsewhere: _withdraw, ...channels } = handlers;
  return { handlers: channels, close: async () => { unsubscribe(); await running; } };
}
