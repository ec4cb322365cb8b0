// Signing a letter drafted in Loket: the letter is rendered once more from its draft's final version
// (the same renderer and pinned kop and templates, so it reads as the preview did) with its number,
// its date and the signer block of who actually signs, and that is what is stamped and signed. Who
// signs decides the block: the chosen official signs it as drafted; the Plh/Plt of the official's
// position, while the delegation kept on this desk is in effect, signs with "Plh."/"Plt." before the
// position and their own name and NIP; a.n./u.b. stay as the draft wrote them. The claim sent with the
// signature (SigningClaim) names the position signed for and how, for the server to check again. A
// delegation that has not begun or is over, or a Plh/Plt's letter of a type the office marks strategic,
// is refused here, before the PIN, in the server's words.
import { AppError } from '../../common/errors.ts';
import type { DocumentType, DraftContent, SignerBlock } from '../../common/ipc/drafting.ts';
import { delegationOutsideReason, delegationPhase, strategicRefusalReason, type SigningClaim, type SigningMode } from '../../common/protocol/delegation.ts';
import type { SessionUser } from '../auth/session.ts';
import type { DraftRenderer } from '../letters/drafting/drafting.ts';
import { isStrategic } from '../org/strategic-types.ts';
import { signaturePositionLines } from '../letters/drafting/render.ts';
import type { DeskDelegation } from '../store/delegations.ts';
import type { Letter, LetterChanges } from '../store/letters.ts';
import type { Store } from '../store/store.ts';
import type { SignerIdentity } from './batch.ts';
import type { StampPlacement } from './pades/sign.ts';
import { stampOverAnchor } from './pades/sign.ts';

/** The draft a letter was made from: its final version, and the official its chain named (null: signed by whoever submitted it). */
export interface LetterDraft {
  draftId: string;
  type: DocumentType;
  content: DraftContent;
  attachments: string[];
  officialId: string | null;
}

/** How a person signs a drafted letter: the block printed, the stamp's words, the claim for the server. */
export interface SigningAs {
  block: SignerBlock;
  identity: SignerIdentity;
  authority: SigningClaim | null;
}

/** A drafted letter as it is signed: rendered with its values, where its stamp goes, and who signs it how. */
export interface ComposedLetter extends SigningAs {
  pdf: Uint8Array;
  at: StampPlacement;
}

export interface DraftedSigning {
  draftOf(letterId: string): LetterDraft | undefined;
  /** How `user` signs it now; throws SIGNING_NOT_AUTHORIZED with the reason when they may not. */
  signingAs(draft: LetterDraft, user: SessionUser | null): SigningAs;
  /** The officials whose drafted letters `userId` may sign now as the Plh/Plt of their position. */
  delegatedFrom(userId: string): Set<string>;
  /** The letter rendered as signed; null for a letter not made from a draft (an imported PDF). */
  compose(letter: Letter, numbered: LetterChanges, user: SessionUser | null): Promise<ComposedLetter | null>;
}

const levels: Record<SigningMode, number> = { self: 0, an: 1, ub: 2 };

export function draftedSigning(deps: { store: Store; renderer: DraftRenderer; now?: () => Date }): DraftedSigning {
  const { store, renderer } = deps;
  const now = deps.now ?? (() => new Date());

  function draftOf(letterId: string): LetterDraft | undefined {
    const chained = store.paraf.draftOfLetter(letterId);
    if (chained !== undefined) {
      const d = store.paraf.get(chained);
      const link = store.paraf.letterOf(chained);
      const v = d?.versions.find((x) => x.version === link?.version);
      if (d === undefined || v === undefined) return undefined;
      return { draftId: d.id, type: d.type, content: v.content, attachments: v.attachments, officialId: d.signerId };
    }
    const own = store.drafts.ofLetter(letterId);
    return own && { draftId: own.id, type: own.type, content: own.content, attachments: own.attachments, officialId: null };
  }

  /** The position `levels` steps up from `positionId` in the structure kept here; undefined when unknown. */
  function above(positionId: string, steps: number, at: string): string | undefined {
    const parent = new Map(store.org.positions(at).map((p) => [p.id, p.parentId]));
    let current: string | null | undefined = positionId;
    for (let i = 0; i < steps && current != null; i++) current = parent.get(current);
    return current ?? undefined;
  }

  /** The official's own (definitive) positions now, the one printed in the block first. */
  function officialPositions(officialId: string, printed: string, at: string): string[] {
    const held = store.org.positions(at).filter((p) => p.holderId === officialId);
    return [...held.filter((p) => p.title === printed), ...held.filter((p) => p.title !== printed)].map((p) => p.id);
  }

  /** The delegations to `userId` of a position the official holds: the one in effect first, else the latest. */
  function delegationsFor(userId: string, officialId: string, at: Date): DeskDelegation[] {
    const positions = new Set(officialPositions(officialId, '', at.toISOString()));
    const rank = (d: DeskDelegation) => (delegationPhase(d, at) === 'current' ? 0 : 1);
    return store.delegations.all()
      .filter((d) => d.delegateUserId === userId && d.refused === null && positions.has(d.positionId))
      .sort((a, b) => rank(a) - rank(b) || b.startsAt.localeCompare(a.startsAt));
  }

  const modeOf = (block: SignerBlock): SigningMode => (block.onBehalfOf?.length === 2 ? 'ub' : block.onBehalfOf?.length === 1 ? 'an' : 'self');
  const stampPosition = (block: SignerBlock) => signaturePositionLines(block).at(-1)!.replace(/,$/, '');

  function claim(userId: string, draft: LetterDraft, signerPosition: string | undefined, mode: SigningMode, at: string): SigningClaim | null {
    const positionId = signerPosition === undefined ? undefined : above(signerPosition, levels[mode], at);
    return positionId === undefined ? null : { signerUserId: userId, positionId, mode, documentType: draft.type };
  }

  function signingAs(draft: LetterDraft, user: SessionUser | null): SigningAs {
    const block = draft.content.signer;
    const mode = modeOf(block);
    const at = now();
    const iso = at.toISOString();
    // A desk without accounts, a letter submitted without a chain, or the chosen official: as drafted.
    if (user === null || draft.officialId === null || draft.officialId === user.id) {
      const identity = { name: block.name.trim() || (user?.name ?? ''), nip: block.nip.trim() || (user?.nip ?? ''), position: stampPosition(block) };
      return { block, identity, authority: user === null ? null : claim(user.id, draft, officialPositions(user.id, block.position, iso)[0], mode, iso) };
    }
    const [delegation] = delegationsFor(user.id, draft.officialId, at);
    if (delegation === undefined) {
      throw new AppError('SIGNING_NOT_AUTHORIZED', `${user.name} bukan penanda tangan surat ini dan tidak memegang jabatan penanda tangannya sebagai Plh. atau Plt. Surat tetap menunggu tanda tangan pejabatnya; tidak ada yang berubah.`);
    }
    if (delegationPhase(delegation, at) !== 'current') {
      const title = delegation.positionTitle || store.org.positions(iso).find((p) => p.id === delegation.positionId)?.title || block.position;
      throw new AppError('SIGNING_NOT_AUTHORIZED', `${delegationOutsideReason({
        signerName: user.name, mode: 'self', positionTitle: title, when: iso, zone: store.settings.get().timeZone, delegation,
      })} Surat tetap menunggu; tidak ada yang berubah.`);
    }
    if (isStrategic(store, user.officeId, draft.type)) {
      throw new AppError('SIGNING_STRATEGIC_REFUSED', `${strategicRefusalReason({ documentType: draft.type, signerName: user.name, kind: delegation.kind })} Surat tetap menunggu; tidak ada yang berubah.`);
    }
    // The delegate's own name and NIP; their pangkat is not known to Loket, so none is printed rather than the official's.
    const own: SignerBlock = { ...block, capacity: delegation.kind, name: user.name, nip: user.nip ?? '', rank: '' };
    return { block: own, identity: { name: user.name, nip: user.nip ?? '', position: stampPosition(own) }, authority: claim(user.id, draft, delegation.positionId, mode, iso) };
  }

  return {
    draftOf,
    signingAs,
    delegatedFrom(userId) {
      const at = now();
      const iso = at.toISOString();
      const current = store.delegations.all().filter((d) => d.delegateUserId === userId && d.refused === null && delegationPhase(d, at) === 'current');
      const positions = new Set(current.map((d) => d.positionId));
      return new Set(store.org.positions(iso).filter((p) => positions.has(p.id) && p.holderId !== null && p.holderId !== userId).map((p) => p.holderId!));
    },
    async compose(letter, numbered, user) {
      const draft = draftOf(letter.id);
      if (draft === undefined) return null;
      const number = numbered.letterNumber ?? letter.letterNumber;
      const date = numbered.letterDate ?? letter.letterDate;
      if (!number || !date) throw new AppError('LETTER_NOT_READY_TO_SIGN', 'Surat ini belum mendapat nomor dari buku surat keluar, jadi belum dapat ditandatangani. Surat tetap menunggu; tidak ada yang berubah.', { letterId: letter.id });
      const as = signingAs(draft, user);
      const { bytes, signatureAt } = await renderer.renderSigned({ type: draft.type, content: { ...draft.content, signer: as.block }, attachments: draft.attachments }, { number, date });
      return { ...as, pdf: bytes, at: stampOverAnchor(signatureAt) };
    },
  };
}
