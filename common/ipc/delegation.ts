// Delegasi: the admin kantor's screen of the office's delegations (Plh/Plt) — current, upcoming and
// ended, each with the head's approval — creating one and ending one early. Kept on the desk, so the
// list shows offline; changes go through the outbox and the server checks them again.
import { z } from 'zod';
import { defineContract, Empty, IdSchema, isoDate } from './base.ts';
import { DocumentTypeSchema } from './drafting.ts';

export const DelegationViewSchema = z.object({
  id: z.string(),
  positionId: z.string(),
  positionTitle: z.string(),
  delegateUserId: z.string(),
  delegateName: z.string(),
  kind: z.enum(['plh', 'plt']),
  startsAt: z.string(),
  endsAt: z.string(),
  phase: z.enum(['upcoming', 'current', 'ended']),
  endedEarly: z.object({ at: z.string(), reason: z.string() }).nullable(),
  approval: z.object({ approverName: z.string(), approverPosition: z.string(), approvedOn: z.string(), reference: z.string() }),
  reason: z.string(),
  /** Not yet applied by the server. */
  pending: z.boolean(),
  /** The server's reason for refusing it (see Antrian Sinkron). */
  refused: z.string().nullable(),
});
export type DelegationView = z.infer<typeof DelegationViewSchema>;

export const DelegationsSchema = z.object({
  delegations: z.array(DelegationViewSchema),
  /** The office's positions, with their holder now (null: vacant). */
  positions: z.array(z.object({ id: z.string(), title: z.string(), holderName: z.string().nullable() })),
  /** The office's people holding a position definitively, who may be made Plh/Plt. */
  people: z.array(z.object({ userId: z.string(), name: z.string(), positionTitle: z.string() })),
  /** Whether the person signed in manages delegations (admin kantor). */
  canManage: z.boolean(),
});
export type Delegations = z.infer<typeof DelegationsSchema>;

/** The office's strategic document types (UU 30/2014 art. 14: no Plh/Plt signs them), as this desk knows them. */
export const StrategicTypesSchema = z.object({
  documentTypes: z.array(DocumentTypeSchema),
  /** When the server last set them; null: the office never set them, or this desk has not received it yet. */
  updatedAt: z.string().nullable(),
  /** The admin kantor's change is on its way to the server. */
  pending: z.boolean(),
  /** The server's reason for refusing the last change from this desk (see Antrian Sinkron). */
  refused: z.string().nullable(),
  /** Whether the person signed in sets them (admin kantor of an office). */
  canManage: z.boolean(),
  /** Whether the server answered the last check: setting them needs it. */
  online: z.boolean(),
});
export type StrategicTypes = z.infer<typeof StrategicTypesSchema>;

const text = (what: string, max: number) => z.string().trim().min(1, `${what} wajib diisi`).max(max, `${what} paling banyak ${max} karakter`);

export const delegation = defineContract({
  channels: {
    'delegation.list': { request: Empty, reply: DelegationsSchema },
    'delegation.create': {
      request: z.object({
        positionId: z.string().min(1, 'Pilih jabatan yang didelegasikan').max(100),
        delegateUserId: z.string().min(1, 'Pilih pelaksana (Plh/Plt)').max(100),
        kind: z.enum(['plh', 'plt']),
        /** First and last day (inclusive), in the desk's time zone. */
        from: isoDate('Tanggal mulai'),
        until: isoDate('Tanggal selesai'),
        approverName: text('Nama pejabat yang menyetujui', 200),
        approverPosition: text('Jabatan pejabat yang menyetujui', 300),
        approvedOn: isoDate('Tanggal persetujuan'),
        reference: text('Nomor nota dinas/SK', 200),
        reason: text('Alasan', 500),
      }).strict().refine((r) => r.until >= r.from, { message: 'Tanggal selesai tidak boleh sebelum tanggal mulai', path: ['until'] }),
      reply: DelegationsSchema,
    },
    'delegation.end': { request: z.object({ delegationId: IdSchema, reason: text('Alasan', 500) }).strict(), reply: DelegationsSchema },
    'delegation.strategicTypes': { request: Empty, reply: StrategicTypesSchema },
    /** The whole list, replacing the office's; sent to the server with the next sync (refused offline). */
    'delegation.setStrategicTypes': { request: z.object({ documentTypes: z.array(DocumentTypeSchema).max(50) }).strict(), reply: StrategicTypesSchema },
  },
  events: {},
  errors: {
    DELEGATION_ADMIN_ONLY: {
      id: 'Delegasi hanya dapat diatur oleh admin kantor yang masuk dengan akunnya di server kantor.',
      en: 'Delegations can only be managed by the office administrator signed in with their office server account.',
    },
    STRATEGIC_TYPES_OFFLINE: {
      id: 'Jenis naskah strategis hanya dapat diubah saat meja ini tersambung ke server kantor. Pilihan Anda masih ada di layar; simpan lagi setelah tersambung.',
      en: 'Strategic document types can only be changed while this desk is connected to the office server. Your choice is still on screen; save again once connected.',
    },
    DELEGATION_REFUSED: {
      id: 'Delegasi ini tidak dapat dibuat.',
      en: 'This delegation cannot be made.',
    },
  },
});
