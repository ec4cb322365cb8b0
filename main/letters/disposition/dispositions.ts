// Disposisi at the desk: what the person signed in may dispose and to whom (from the structure kept
// on this desk, so it works offline), the letter's trail as a tree, the personal to-do for Beranda,
// and the changes (dispose, pass on, read, report, cancel) written to the outbox for the next sync.
// The server checks every change again; a refusal shows on the trail and in Antrian Sinkron.
import { join } from 'node:path';
import { localDate } from '../../../common/dates.ts';
import { AppError } from '../../../common/errors.ts';
import type { DispositionLetter, PositionRef, Todo, TodoItem, Trail, TrailNode } from '../../../common/ipc/disposition.ts';
import { letterDispositionState } from '../../../common/protocol/disposition.ts';
import { uuidv7 } from '../../../common/ids.ts';
import type { Capability, Desk } from '../../app/desk.ts';
import type { SessionUser } from '../../auth/session.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { DeskDisposition } from '../../store/dispositions.ts';
import type { StaffedPosition } from '../../store/org.ts';
import type { Store } from '../../store/store.ts';
import { remoteNumber } from '../numbering/printed-number.ts';
import { createBlobStore, type BlobStore } from '../../documents/blob-store.ts';
import { documentMediaType, importDocument, type ImportMediaType } from '../../documents/import.ts';
import type { Transfers } from '../../documents/transfers.ts';
import { downloadBlob } from '../../remote/blob-download.ts';
import type { ServerClient } from '../../remote/client.ts';
import { dispositionSheetPdf } from './sheet.ts';

/** Roles of the front office, who see every letter of the office and its trail. */
const frontOffice: readonly string[] = ['admin_kantor', 'operator_utama'];
const dayMs = 86_400_000;

/** Items grouped by a key, each group in the items' order. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

export interface DispositionDeps {
  store: Store;
  user(): SessionUser | null;
  actor(): string;
  syncSoon(): void;
  now?: () => Date;
  /** A report's file: absent, reports go without one (the desk's own capability always has it). */
  files?: ReportFiles;
}

/**
 * Where a report's file comes from and goes to: the pieces the renderer sent (documents.upload), the
 * desk's content-addressed documents, and the server for a file attached at another desk.
 */
export interface ReportFiles {
  transfers: Pick<Transfers, 'take' | 'offer'>;
  blobs: BlobStore;
  client(): ServerClient | undefined;
  accessToken(): Promise<string>;
  /** Where a download waits between attempts. */
  partialDir: string;
}

const fileExtensions: Record<ImportMediaType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/tiff': 'tif' };

/** Due-date tone: overdue once the day has passed, soon from two days before. */
export function dueTone(dueDate: string | null, today: string): 'none' | 'soon' | 'overdue' {
  if (!dueDate) return 'none';
  const days = (Date.parse(dueDate) - Date.parse(today)) / dayMs;
  return days < 0 ? 'overdue' : days <= 2 ? 'soon' : 'none';
}

type DispositionChannels = 'disposition.todo' | 'disposition.trail' | 'disposition.create' | 'disposition.read' | 'disposition.report' | 'disposition.reportFile' | 'disposition.cancel' | 'disposition.sheet';

export function dispositionHandlers(deps: DispositionDeps): Pick<Handlers, DispositionChannels> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  /** The structure at this moment, looked up by position. */
  function structure() {
    const at = now().toISOString();
    const positions = store.org.positions(at);
    const byId = new Map(positions.map((p) => [p.id, p]));
    const user = deps.user();
    const held = user ? store.org.heldPositions(user.id, at) : [];
    return {
      positions, byId, held, heldIds: new Set(held.map((p) => p.id)), user,
      children: undefined as Map<string, StaffedPosition[]> | undefined, routes: undefined as ReturnType<Store['org']['routes']> | undefined, targets: new Map<string, PositionRef[]>(),
    };
  }
  type Structure = ReturnType<typeof structure>;
  const ref = (s: Structure, id: string): PositionRef => {
    const p = s.byId.get(id);
    return { id, title: p?.title ?? 'Jabatan tidak dikenal', holderName: p?.holderName ?? null };
  };

  /** The positions below `from` in the reporting line, and those the office allows it besides (worked out once per position and structure). */
  function targetsOf(s: Structure, from: StaffedPosition): PositionRef[] {
    const known = s.targets.get(from.id);
    if (known) return known;
    s.children ??= groupBy(s.positions.filter((p) => p.parentId !== null), (p) => p.parentId!);
    s.routes ??= store.org.routes();
    const below: StaffedPosition[] = [];
    const walk = (id: string) => { for (const c of s.children!.get(id) ?? []) { below.push(c); walk(c.id); } };
    walk(from.id);
    const extra = s.routes.filter((r) => r.fromPositionId === from.id).map((r) => s.byId.get(r.toPositionId)).filter((p) => p !== undefined);
    const seen = new Set<string>();
    const targets = [...extra, ...below].filter((p) => !seen.has(p.id) && seen.add(p.id)).map((p) => ref(s, p.id));
    s.targets.set(from.id, targets);
    return targets;
  }

  /** The letters of these ids as the screens show them (this desk's own row first, else the feed's), in one read each. */
  function lettersOf(letterIds: readonly string[], visible: (letterId: string) => boolean): Map<string, DispositionLetter> {
    const ids = [...new Set(letterIds)];
    const shown = new Map<string, DispositionLetter>();
    const withheld = (id: string, security: string) => security === 'rahasia' && !visible(id);
    for (const local of store.letters.getMany(ids)) {
      const hidden = withheld(local.id, local.security);
      shown.set(local.id, {
        id: local.id, agenda: local.agendaLabel ?? (local.agendaNumber !== null ? `${local.agendaNumber}/${local.agendaYear}` : null), letterNumber: local.letterNumber, letterDate: local.letterDate,
        receivedAt: local.receivedDate, sender: hidden ? '' : local.sender, subject: hidden ? '' : local.subject,
        urgency: local.urgency, security: local.security, withheld: hidden,
      });
    }
    for (const remote of store.dispositions.feedLetters(ids.filter((id) => !shown.has(id))).values()) {
      const hidden = withheld(remote.id, remote.security);
      shown.set(remote.id, {
        id: remote.id, agenda: remoteNumber(store, remote) ?? `${remote.agendaNumber}/${remote.year}`, letterNumber: remote.letterNumber, letterDate: remote.letterDate, receivedAt: remote.receivedAt,
        sender: hidden ? '' : remote.sender, subject: hidden ? '' : remote.subject,
        urgency: remote.urgency, security: remote.security, withheld: hidden,
      });
    }
    return shown;
  }

  /** Whether the person's positions are involved in any of the letter's dispositions (or they are the front office). */
  function involved(s: Structure, ds: readonly DeskDisposition[]): boolean {
    if (s.user?.roles.some((r) => frontOffice.includes(r))) return true;
    if (s.held.some((p) => p.level === 'kepala')) return true;
    return ds.some((d) => s.heldIds.has(d.fromPositionId) || d.recipients.some((r) => s.heldIds.has(r.positionId)));
  }

  function trail(letterId: string): Trail {
    const s = structure();
    const today = localDate(now(), store.settings.get().timeZone);
    const all = store.dispositions.ofLetter(letterId);
    const letter = lettersOf([letterId], () => involved(s, all)).get(letterId);
    if (!letter) throw new AppError('DISPOSITION_UNKNOWN');
    const byParent = groupBy(all, (d) => d.parentId);
    const nodes: TrailNode[] = [];
    const walk = (parentId: string | null, depth: number) => {
      for (const d of byParent.get(parentId) ?? []) {
        nodes.push({
          id: d.id, parentId: d.parentId, depth, from: ref(s, d.fromPositionId), instructions: d.instructions, note: d.note, urgency: d.urgency, dueDate: d.dueDate,
          dueTone: d.cancelledAt || d.recipients.every((r) => r.kind === 'cc' || r.doneAt) ? 'none' : dueTone(d.dueDate, today),
          createdAt: d.createdAt, cancelledAt: d.cancelledAt, pending: d.pending, refused: d.refused,
          canCancel: d.cancelledAt === null && s.heldIds.has(d.fromPositionId) && d.recipients.every((r) => r.readAt === null) && !(byParent.get(d.id)?.length),
          recipients: d.recipients.map((r) => ({ ...ref(s, r.positionId), kind: r.kind, readAt: r.readAt, doneAt: r.doneAt, reportNote: r.reportNote, hasReportFile: r.reportAttachment !== null,
            reportFileName: r.reportAttachment === null ? null : r.reportAttachmentName ?? store.documents.get(r.reportAttachment)?.originalName ?? null })),
        });
        walk(d.id, depth + 1);
      }
    };
    walk(null, 0);
    const state = letterDispositionState(all);
    const live = all.filter((d) => d.cancelledAt === null);
    const mine = live.flatMap((d) => d.recipients.filter((r) => s.heldIds.has(r.positionId)).map((r) => ({ dispositionId: d.id, positionId: r.positionId, kind: r.kind, readAt: r.readAt, doneAt: r.doneAt })));
    const options = state === 'done' ? [] : [
      // The head and the Sekretaris dispose the letter itself; everyone passes on what reached them.
      ...s.held.filter((p) => p.level === 'kepala' || p.level === 'sekretaris').map((p) => ({ from: ref(s, p.id), parentId: null, targets: targetsOf(s, p) })),
      ...mine.filter((m) => m.kind === 'to' && m.doneAt === null).flatMap((m) => {
        const p = s.byId.get(m.positionId);
        return p ? [{ from: ref(s, p.id), parentId: m.dispositionId, targets: targetsOf(s, p) }] : [];
      }),
    ].filter((o) => o.targets.length > 0);
    return {
      letter, state, nodes, options, instructions: store.org.instructions(),
      copyTargets: s.positions.filter((p) => !s.heldIds.has(p.id)).map((p) => ref(s, p.id)),
      mine,
    };
  }

  function todo(): Todo {
    const s = structure();
    const today = localDate(now(), store.settings.get().timeZone);
    const all = store.dispositions.all();
    const byLetter = groupBy(all, (d) => d.letterId);
    // Decided and ordered from the dispositions alone; the letters are read, in one go, only for the
    // items the reply carries, so a long to-do stays cheap.
    type Open = { d: DeskDisposition; r: DeskDisposition['recipients'][number] };
    const mineOpen: Open[] = [];
    const copiesOpen: Open[] = [];
    const sent: DeskDisposition[] = [];
    for (const d of all) {
      if (s.heldIds.has(d.fromPositionId)) sent.push(d);
      if (d.cancelledAt !== null) continue;
      for (const r of d.recipients) {
        if (!s.heldIds.has(r.positionId) || r.doneAt !== null || (r.kind === 'cc' && r.readAt !== null)) continue;
        (r.kind === 'to' ? mineOpen : copiesOpen).push({ d, r });
      }
    }
    const dueOrder = (a: Open, b: Open) => (a.r.readAt === null ? 0 : 1) - (b.r.readAt === null ? 0 : 1)
      || (a.d.dueDate ?? '9999').localeCompare(b.d.dueDate ?? '9999') || b.d.createdAt.localeCompare(a.d.createdAt);
    mineOpen.sort(dueOrder);
    copiesOpen.sort(dueOrder);
    sent.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const toMeOpen = mineOpen.slice(0, 200);
    const copiesShown = copiesOpen.slice(0, 100);
    const sentShown = sent.slice(0, 100);
    const heads = s.held.some((p) => p.level === 'kepala');
    // The office's letters as the server has them: registered on any desk of the office, this one's once synced.
    const undisposed = heads
      ? [...new Set(store.dispositions.officeLetters(200).map((l) => l.id))].filter((id) => !(byLetter.get(id) ?? []).some((d) => d.cancelledAt === null))
      : [];
    const letters = lettersOf([...toMeOpen, ...copiesShown].map((o) => o.d.letterId).concat(sentShown.map((d) => d.letterId), undisposed),
      (id) => involved(s, byLetter.get(id) ?? []));
    const item = ({ d, r }: Open): TodoItem[] => {
      const l = letters.get(d.letterId);
      return l ? [{
        dispositionId: d.id, letter: l, from: ref(s, d.fromPositionId), positionId: r.positionId, kind: r.kind, instructions: d.instructions, note: d.note,
        urgency: d.urgency, dueDate: d.dueDate, dueTone: dueTone(d.dueDate, today), createdAt: d.createdAt, readAt: r.readAt,
      }] : [];
    };
    const toMe = toMeOpen.flatMap(item);
    const copies = copiesShown.flatMap(item);
    const disposedByMe: Todo['disposedByMe'] = sentShown.flatMap((d) => {
      const l = letters.get(d.letterId);
      if (!l) return [];
      const acting = d.recipients.filter((r) => r.kind === 'to');
      return [{
        dispositionId: d.id, letter: l, createdAt: d.createdAt, dueDate: d.dueDate, cancelledAt: d.cancelledAt, pending: d.pending,
        dueTone: d.cancelledAt || acting.every((r) => r.doneAt) ? 'none' as const : dueTone(d.dueDate, today),
        recipients: acting.map((r) => ({ ...ref(s, r.positionId), readAt: r.readAt, doneAt: r.doneAt })),
        done: acting.filter((r) => r.doneAt !== null).length, total: acting.length,
      }];
    });
    const toDispose = undisposed.flatMap((id) => letters.get(id) ?? []).slice(0, 100);
    return {
      positions: s.held.map((p) => ref(s, p.id)), toMe, toMeTotal: mineOpen.length, copies, disposedByMe, toDispose,
      unread: mineOpen.filter((o) => o.r.readAt === null).length + copiesOpen.length,
    };
  }

  /** The signed-in person, or the refusal that says why none may act. */
  function signedIn(): SessionUser {
    const user = deps.user();
    if (!user) throw new AppError('DISPOSITION_SIGN_IN');
    return user;
  }
  function holding(s: Structure, positionId: string): void {
    if (s.held.length === 0) throw new AppError('DISPOSITION_NO_POSITION');
    if (!s.heldIds.has(positionId)) throw new AppError('DISPOSITION_NOT_ALLOWED');
  }
  function reportFiles(): ReportFiles {
    if (!deps.files) throw new Error('disposition handlers were assembled without report files');
    return deps.files;
  }

  function known(id: string): DeskDisposition {
    const d = store.dispositions.get(id);
    if (!d) throw new AppError('DISPOSITION_UNKNOWN');
    return d;
  }

  return {
    'disposition.todo': () => todo(),
    'disposition.trail': ({ id }) => trail(id),
    'disposition.create': (r) => {
      signedIn();
      const s = structure();
      holding(s, r.fromPositionId);
      const option = trail(r.letterId).options.find((o) => o.from.id === r.fromPositionId && o.parentId === r.parentId);
      if (!option || r.to.some((t) => !option.targets.some((o) => o.id === t))) throw new AppError('DISPOSITION_NOT_ALLOWED');
      store.dispositions.create({ dispositionId: uuidv7(), ...r, cc: r.cc.filter((c) => !r.to.includes(c)) }, deps.actor());
      deps.syncSoon();
      return trail(r.letterId);
    },
    'disposition.read': ({ items }) => {
      signedIn();
      const s = structure();
      let letterId: string | undefined;
      const unread: { dispositionId: string; positionId: string }[] = [];
      for (const { dispositionId, positionId } of items) {
        holding(s, positionId);
        const d = store.dispositions.get(dispositionId);
        if (!d) throw new AppError('DISPOSITION_UNKNOWN');
        letterId ??= d.letterId;
        const mine = d.recipients.find((r) => r.positionId === positionId);
        if (mine && mine.readAt === null && d.cancelledAt === null) unread.push({ dispositionId, positionId });
      }
      if (unread.length > 0) {
        store.transaction(() => { for (const u of unread) store.dispositions.markRead(u.dispositionId, u.positionId, deps.actor()); });
        deps.syncSoon();
      }
      return trail(letterId!);
    },
    'disposition.report': async ({ dispositionId, positionId, note, file }) => {
      signedIn();
      holding(structure(), positionId);
      const reportable = () => {
        const d = known(dispositionId);
        const mine = d.recipients.find((r) => r.positionId === positionId);
        if (!mine || mine.kind !== 'to' || mine.doneAt !== null || d.cancelledAt !== null) throw new AppError('DISPOSITION_NOT_ALLOWED');
        return d;
      };
      reportable();
      let attachment: string | null = null;
      let attachmentName: string | null = null;
      if (file) {
        const files = reportFiles();
        // A PDF or an image, checked as a letter's softcopy is (an unreadable or other file is refused with why), and kept by its hash.
        const imported = await importDocument(files.blobs, await files.transfers.take(file.uploadId), file.name.trim() || 'laporan');
        store.documents.upsert({ hash: imported.hash, mediaType: imported.mediaType, byteSize: imported.byteSize, pageCount: imported.pageCount, originalName: imported.displayName });
        attachment = imported.hash;
        // The name as shown here (no path, at most 200 characters), so that every desk of the office shows it too.
        attachmentName = imported.displayName;
      }
      // Checked again: the file took a while, and a sync may have brought a cancel meanwhile.
      const d = reportable();
      store.dispositions.report({ dispositionId, positionId, note, attachment, attachmentName }, deps.actor());
      deps.syncSoon();
      return trail(d.letterId);
    },
    'disposition.reportFile': async ({ dispositionId, positionId }) => {
      const d = known(dispositionId);
      // Whoever may read the trail may read its reports.
      const t = trail(d.letterId);
      const recipient = d.recipients.find((r) => r.positionId === positionId);
      const sha256 = recipient?.reportAttachment;
      if (!sha256) throw new AppError('NOT_FOUND', 'Laporan ini tidak berlampiran berkas.');
      const files = reportFiles();
      let bytes: Buffer;
      if (await files.blobs.has(sha256)) bytes = await files.blobs.read(sha256);
      else {
        let client: ServerClient | undefined;
        try { client = files.client(); } catch { client = undefined; }
        if (!client) throw new AppError('DISPOSITION_REPORT_FILE_OFFLINE');
        try {
          bytes = await downloadBlob({ client, token: files.accessToken, sha256, blobs: files.blobs, partialDir: files.partialDir });
        } catch (err) {
          throw err instanceof AppError && err.code === 'DOWNLOAD_OFFLINE' ? new AppError('DISPOSITION_REPORT_FILE_OFFLINE', undefined, undefined, { cause: err }) : err;
        }
      }
      const mediaType = documentMediaType(bytes);
      const title = t.nodes.flatMap((n) => n.recipients).find((r) => r.id === positionId)?.title ?? 'penerima';
      const name = `laporan-${(t.letter.agenda ?? 'surat').replace(/[^\w-]+/g, '-')}-${title.replace(/[^\w-]+/g, '-')}.${mediaType ? fileExtensions[mediaType] : 'bin'}`;
      return files.transfers.offer({ bytes }, name, mediaType ?? 'application/octet-stream');
    },
    'disposition.sheet': async ({ id, paper }) => {
      const t = trail(id);
      const at = now();
      const pdf = await dispositionSheetPdf(t, { paper, officeName: deps.user()?.officeName ?? '', printedAt: at.toISOString(), timeZone: store.settings.get().timeZone });
      store.transaction(() => store.audit.append({ actor: deps.actor(), action: 'disposition.sheet_printed', entity: 'letter', entityId: id, details: { paper } }));
      const agenda = (t.letter.agenda ?? 'surat').replace(/[^\w-]+/g, '-');
      return { pdf: Buffer.from(pdf).toString('base64'), fileName: `lembar-disposisi-${agenda}.pdf` };
    },
    'disposition.cancel': ({ dispositionId }) => {
      signedIn();
      const d = known(dispositionId);
      const node = trail(d.letterId).nodes.find((n) => n.id === dispositionId);
      if (!node?.canCancel) throw new AppError('DISPOSITION_CANNOT_CANCEL');
      store.dispositions.cancel(dispositionId, deps.actor());
      deps.syncSoon();
      return trail(d.letterId);
    },
  };
}

export function dispositionCapability(desk: Desk): Capability {
  return {
    handlers: dispositionHandlers({
      store: desk.store, user: () => desk.sync.session.user(), actor: desk.actor, syncSoon: desk.syncSoon,
      files: {
        transfers: desk.transfers, blobs: createBlobStore(desk.documentsDir, { log: desk.log }), client: () => desk.sync.client(),
        accessToken: () => desk.sync.auth.accessToken(), partialDir: join(desk.dataDir, 'downloads'),
      },
    }),
  };
}
