// Delegation (pendelegasian) in the sync protocol: the admin kantor, with the approval of the head
// recorded (who, when, the reference of the note or SK), gives an official's position to another
// official of the office for a period — Plh (pelaksana harian) while its holder is temporarily away,
// Plt (pelaksana tugas) while it is vacant — and may end it early; the office's document types that
// decide strategic matters of organisation, staffing or budget, which no Plh/Plt may sign (UU 30/2014
// art. 14). The server applies each once and checks it; every desk of the office keeps the delegations
// from the change feed, so who signs for whom is known offline. Imports zod and common/ only.
import { z } from 'zod';
import type { OfficeTimeZone } from '../ipc/app.ts';
import { DocumentTypeSchema } from '../ipc/drafting.ts';
import { formatMoment } from '../dates.ts';
import { IsoDate, IsoDateTime, mutation, outboxEntry, ServerId, Text, Uuid7 } from './primitives.ts';

/** Plh: the holder is temporarily away; Plt: the position is vacant. */
export const DelegationKind = z.enum(['plh', 'plt']);
export type DelegationKind = z.infer<typeof DelegationKind>;

/** The head's approval as written on the note or SK that orders the delegation. */
export const DelegationApproval = z.object({
  /** Who approved ("Dr. Ahmad Fauzi"); for the head's own position, the official above the office. */
  approverName: Text(200).min(1),
  approverPosition: Text(300).min(1),
  approvedOn: IsoDate,
  /** The note's or SK's number ("800/123/Dinkes/2026"). */
  reference: Text(200).min(1),
}).strict();
export type DelegationApproval = z.infer<typeof DelegationApproval>;

export const DelegationCreate = z.object({
  delegationId: Uuid7,
  positionId: ServerId,
  delegateUserId: ServerId,
  kind: DelegationKind,
  startsAt: IsoDateTime,
  /** The delegation ends by itself at this time. */
  endsAt: IsoDateTime,
  approval: DelegationApproval,
  /** Why ("cuti tahunan", "pensiun"). */
  reason: Text(500).min(1),
}).strict();
export type DelegationCreate = z.infer<typeof DelegationCreate>;

/** Ends a current delegation now, or withdraws an upcoming one (the holder came back early). */
export const DelegationEnd = z.object({ delegationId: Uuid7, reason: Text(500).min(1) }).strict();
export type DelegationEnd = z.infer<typeof DelegationEnd>;

/** The office's document types a Plh/Plt may not sign; the whole list, replacing the previous one. */
export const StrategicTypesSet = z.object({ documentTypes: z.array(DocumentTypeSchema).max(50) }).strict();
export type StrategicTypesSet = z.infer<typeof StrategicTypesSet>;

export const delegationMutations = [
  mutation('delegation.create', DelegationCreate),
  mutation('delegation.end', DelegationEnd),
  mutation('delegation.strategic_types', StrategicTypesSet),
] as const;

/** A desk's outbox entries: the mutation's own payload, as the admin kantor's desk wrote it. */
export const delegationOutbox = [
  outboxEntry('delegation', 'create', DelegationCreate),
  outboxEntry('delegation', 'end', DelegationEnd),
  outboxEntry('strategic_types', 'set', StrategicTypesSet),
] as const;

/** 'delegation': a delegation as every desk of the office keeps it. */
export const DelegationData = z.object({
  id: z.string().min(1),
  officeId: z.string(),
  positionId: z.string(),
  positionTitle: z.string(),
  delegateUserId: z.string(),
  delegateName: z.string(),
  delegateNip: z.string().nullable(),
  kind: DelegationKind,
  startsAt: z.string(),
  /** When it ends (ended early: the time it was ended). */
  endsAt: z.string(),
  /** Set when it was ended before its planned end. */
  endedEarly: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
  approval: DelegationApproval,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type DelegationData = z.infer<typeof DelegationData>;

/** 'strategic_types': the office's strategic document types (entity id: the office's id). */
export const StrategicTypesData = z.object({ documentTypes: z.array(z.string()), updatedAt: z.string(), updatedBy: z.string() });
export type StrategicTypesData = z.infer<typeof StrategicTypesData>;

export const delegationFeed = { delegation: DelegationData, strategic_types: StrategicTypesData } as const;

/** Where a delegation stands at `now`: not yet begun, in effect, or over (by its end or ended early). */
export function delegationPhase(d: Pick<DelegationData, 'startsAt' | 'endsAt'>, now: Date): 'upcoming' | 'current' | 'ended' {
  const t = now.getTime();
  if (t < Date.parse(d.startsAt)) return 'upcoming';
  return t < Date.parse(d.endsAt) ? 'current' : 'ended';
}

/**
 * How a signature claims its authority: for a position the signer holds (`self`: definitively, or as
 * its Plh/Plt during a delegation), or on behalf of a position one level up (`an`, atas nama) or two
 * levels up (`ub`, untuk beliau).
 */
export const SigningMode = z.enum(['self', 'an', 'ub']);
export type SigningMode = z.infer<typeof SigningMode>;

export const SigningClaim = z.object({
  /** Who signed (the signature may be pushed later by another person at the same desk). */
  signerUserId: ServerId,
  /** The position whose letter it is: the one printed first in the signature block. */
  positionId: ServerId,
  mode: SigningMode,
  /** The letter's document type, for the strategic-type check; null for a letter of no listed type. */
  documentType: DocumentTypeSchema.nullable(),
}).strict();
export type SigningClaim = z.infer<typeof SigningClaim>;

/**
 * Why a delegate may not sign as the position at `when`: their delegation has not begun or is over,
 * with its times in the office's zone. The desk (before the PIN is asked) and the server (refusing a
 * pushed signature) say it in the same words; each adds what happens to the letter.
 */
/** Why a Plh/Plt may not sign a letter of a type the office marks strategic, in the words the desk and the server both use. */
export function strategicRefusalReason(p: { documentType: string; signerName: string; kind: 'plh' | 'plt' }): string {
  return `Jenis naskah "${p.documentType.replaceAll('_', ' ')}" ditetapkan kantor sebagai keputusan strategis (organisasi, kepegawaian atau anggaran). `
    + `${p.signerName} memegang jabatannya sebagai ${p.kind === 'plh' ? 'Plh.' : 'Plt.'}, yang tidak berwenang menandatanganinya (UU 30/2014 pasal 14). Surat ini harus ditandatangani pejabat definitif.`;
}

export function delegationOutsideReason(p: {
  signerName: string; mode: SigningMode; positionTitle: string; when: string; zone: OfficeTimeZone;
  delegation: Pick<DelegationData, 'kind' | 'startsAt' | 'endsAt'>;
}): string {
  const momentText = (iso: string) => formatMoment(iso, p.zone, 'id', 'long');
  const as = p.mode === 'an' ? ` atas nama (a.n.) ${p.positionTitle}` : p.mode === 'ub' ? ` untuk beliau (u.b.) ${p.positionTitle}` : ` sebagai ${p.positionTitle}`;
  const kind = p.delegation.kind === 'plh' ? 'Plh.' : 'Plt.';
  const phase = p.when < p.delegation.startsAt ? `belum dimulai (mulai ${momentText(p.delegation.startsAt)})` : `sudah berakhir pada ${momentText(p.delegation.endsAt)}`;
  return `${p.signerName} tidak berwenang menandatangani${as} pada ${momentText(p.when)}: masa ${kind} ${p.positionTitle} ${phase}.`;
}
