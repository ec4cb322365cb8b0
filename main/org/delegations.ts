// Delegasi at the desk: the office's delegations (Plh/Plt) as kept on this desk — so the list, and
// who signs for whom, are known offline — and the admin kantor's changes (a new delegation with the
// head's approval, an early end) written to the outbox for the next sync. The desk checks what it can
// (the period, one delegate per position at a time, Plh for a held position, Plt for a vacant one);
// the server checks everything again and a refusal shows on the screen with its reason.
import { localDate, startOfDay } from '../../common/dates.ts';
import { AppError } from '../../common/errors.ts';
import { uuidv7 } from '../../common/ids.ts';
import { delegationPhase } from '../../common/protocol/delegation.ts';
import type { Delegations, DelegationView } from '../../common/ipc/delegation.ts';
import type { Capability, Desk } from '../app/desk.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Handlers } from '../ipc/router.ts';
import type { EntryOf, OutboxPlan } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';

/** What the desk's delegation entries become at the server: each op is its own mutation with the payload the desk stored. */
export function planDelegation(entry: EntryOf<'delegation'>): OutboxPlan {
  const id = entry.mutationId;
  switch (entry.op) {
    case 'create': return { kind: 'send', mutation: { id, kind: 'delegation.create', payload: entry.payload }, blobs: [] };
    case 'end': return { kind: 'send', mutation: { id, kind: 'delegation.end', payload: entry.payload }, blobs: [] };
  }
}

export interface DelegationDeps {
  store: Store;
  user(): SessionUser | null;
  actor(): string;
  syncSoon(): void;
  now?: () => Date;
}

/** A change the desk already knows the server would refuse, with its reason and the form field it is about. */
function refused(message: string, field: string): never {
  throw new AppError('DELEGATION_REFUSED', message, { field });
}

export function delegationHandlers(deps: DelegationDeps): Pick<Handlers, 'delegation.list' | 'delegation.create' | 'delegation.end'> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  function list(): Delegations {
    const at = now();
    const positions = store.org.positions(at.toISOString());
    const titleOf = new Map(positions.map((p) => [p.id, p.title]));
    const people = new Map<string, { userId: string; name: string; positionTitle: string }>();
    for (const p of positions) if (p.holderId && p.holderName && !people.has(p.holderId)) people.set(p.holderId, { userId: p.holderId, name: p.holderName, positionTitle: p.title });
    const delegations: DelegationView[] = store.delegations.all().map((d) => ({
      id: d.id, positionId: d.positionId, positionTitle: d.positionTitle || titleOf.get(d.positionId) || 'Jabatan tidak dikenal',
      delegateUserId: d.delegateUserId, delegateName: d.delegateName || people.get(d.delegateUserId)?.name || 'Pegawai tidak dikenal',
      kind: d.kind, startsAt: d.startsAt, endsAt: d.endsAt, phase: delegationPhase(d, at),
      endedEarly: d.endedEarly && { at: d.endedEarly.at, reason: d.endedEarly.reason }, approval: d.approval, reason: d.reason,
      pending: d.pending, refused: d.refused,
    }));
    const user = deps.user();
    return {
      delegations, positions: positions.map((p) => ({ id: p.id, title: p.title, holderName: p.holderName })),
      people: [...people.values()], canManage: user !== null && user.roles.includes('admin_kantor'),
    };
  }

  function admin(): SessionUser {
    const user = deps.user();
    if (!user?.roles.includes('admin_kantor')) throw new AppError('DELEGATION_ADMIN_ONLY');
    return user;
  }

  return {
    'delegation.list': () => list(),
    'delegation.create': (r) => {
      admin();
      // The days are the office's. A delegation from today starts as it is recorded: no one acted in it
      // earlier today, and one ended early today is not in its way.
      const zone = store.settings.get().timeZone;
      const at = now();
      const startsAt = (r.from === localDate(at, zone) ? at : startOfDay(r.from, zone)).toISOString();
      const endsAt = new Date(startOfDay(r.until, zone).getTime() + 86_400_000).toISOString();
      if (Date.parse(endsAt) <= now().getTime()) refused('Masa delegasi sudah lewat: tanggal selesai harus hari ini atau sesudahnya.', 'until');
      const position = store.org.positions(startsAt).find((p) => p.id === r.positionId);
      if (!position) return refused('Jabatan ini tidak dikenal di meja ini. Tunggu sinkronisasi berikutnya lalu coba lagi.', 'positionId');
      if (position.holderId === r.delegateUserId) refused(`${position.holderName ?? 'Pegawai ini'} sudah memegang jabatan ini sendiri; pilih pejabat lain sebagai Plh/Plt.`, 'delegateUserId');
      if (r.kind === 'plh' && position.holderId === null) refused(`${position.title} kosong: tunjuk Plt (pelaksana tugas), bukan Plh.`, 'kind');
      if (r.kind === 'plt' && position.holderId !== null) refused(`${position.title} masih dijabat ${position.holderName ?? ''}: tunjuk Plh (pelaksana harian) selama beliau berhalangan, bukan Plt.`, 'kind');
      const overlap = store.delegations.all().find((d) => d.positionId === r.positionId && d.refused === null && d.startsAt < endsAt && d.endsAt > startsAt);
      if (overlap) refused(`${position.title} sudah didelegasikan kepada ${overlap.delegateName || 'pegawai lain'} pada masa yang bertumpang tindih. Akhiri delegasi itu lebih dulu atau pilih masa lain.`, 'from');
      store.delegations.create({
        delegationId: uuidv7(), positionId: r.positionId, delegateUserId: r.delegateUserId, kind: r.kind, startsAt, endsAt,
        approval: { approverName: r.approverName, approverPosition: r.approverPosition, approvedOn: r.approvedOn, reference: r.reference }, reason: r.reason,
      }, deps.actor());
      deps.syncSoon();
      return list();
    },
    'delegation.end': ({ delegationId, reason }) => {
      admin();
      const d = store.delegations.all().find((x) => x.id === delegationId);
      if (!d || delegationPhase(d, now()) === 'ended') throw new AppError('DELEGATION_REFUSED', 'Delegasi ini sudah berakhir atau tidak dikenal di meja ini.');
      store.delegations.end({ delegationId, reason }, deps.actor());
      deps.syncSoon();
      return list();
    },
  };
}

export function delegationCapability(desk: Desk): Capability {
  return {
    handlers: delegationHandlers({ store: desk.store, user: () => desk.sync.session.user(), actor: desk.actor, syncSoon: desk.syncSoon }),
  };
}
