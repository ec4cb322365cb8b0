// Struktur Organisasi: the admin kantor's screen of the office's structure — the positions tree with
// who holds each (and who held it before), the extra routes a disposition may take, and the office's
// list of disposition instructions. The last structure read from the server stays on the desk, so the
// screen shows offline; a change needs the server and is refused with a clear reason while it is away.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

/** The levels of the structure, highest first (eselon order of a regional office). */
export const positionLevels = ['kepala', 'sekretaris', 'kepala_bidang', 'kepala_subbagian', 'fungsional', 'pelaksana'] as const;
export const StructureLevelSchema = z.enum(positionLevels, { error: 'Pilih tingkat jabatan' });

export const StructureHoldingSchema = z.object({
  userId: z.string(),
  name: z.string(),
  capacity: z.enum(['definitive', 'plh', 'plt']),
  startsAt: z.string(),
  /** null: still holds it. */
  endsAt: z.string().nullable(),
});
export type StructureHolding = z.infer<typeof StructureHoldingSchema>;

export const StructurePositionSchema = z.object({
  id: z.string(),
  title: z.string(),
  level: StructureLevelSchema,
  parentId: z.string().nullable(),
  unitId: z.string(),
  /** The definitive holder now (null: vacant). */
  holder: z.object({ userId: z.string(), name: z.string() }).nullable(),
  /** Everyone who held it or acted in it, oldest first. */
  history: z.array(StructureHoldingSchema),
});
export type StructurePosition = z.infer<typeof StructurePositionSchema>;

export const StructureViewSchema = z.object({
  /** Whether the person signed in may change the structure (admin kantor). */
  canManage: z.boolean(),
  /** Whether the server answers now: changes need it. */
  online: z.boolean(),
  /** When the structure shown was read from the server; null: never on this desk. */
  fetchedAt: z.string().nullable(),
  positions: z.array(StructurePositionSchema),
  units: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The office's active people, who may be made holders. */
  people: z.array(z.object({ userId: z.string(), name: z.string(), username: z.string() })),
  routes: z.array(z.object({ fromPositionId: z.string(), toPositionId: z.string() })),
  instructions: z.array(z.string()),
  /** The list Loket ships, to start again from. */
  shippedInstructions: z.array(z.string()),
});
export type StructureView = z.infer<typeof StructureViewSchema>;

const positionId = (what: string) => z.string({ error: `Pilih ${what}` }).min(1, `Pilih ${what}`).max(100);
const title = z.string({ error: 'Nama jabatan wajib diisi' }).trim().min(1, 'Nama jabatan wajib diisi').max(200, 'Nama jabatan paling banyak 200 karakter');

export const structure = defineContract({
  channels: {
    'structure.view': { request: Empty, reply: StructureViewSchema },
    /** Reads the structure from the server again (the screen's "Muat ulang"); offline, the one kept. */
    'structure.refresh': { request: Empty, reply: StructureViewSchema },
    'structure.position.create': {
      request: z.object({ title, level: StructureLevelSchema, parentId: positionId('atasan jabatan ini').nullable(), unitId: z.string().min(1, 'Pilih unit kerja').max(100) }).strict(),
      reply: StructureViewSchema,
    },
    'structure.position.update': {
      request: z.object({ positionId: positionId('jabatan'), title: title.optional(), level: StructureLevelSchema.optional(), parentId: positionId('atasan').nullable().optional() }).strict(),
      reply: StructureViewSchema,
    },
    'structure.position.retire': { request: z.object({ positionId: positionId('jabatan') }).strict(), reply: StructureViewSchema },
    'structure.holder.assign': {
      request: z.object({ positionId: positionId('jabatan'), userId: z.string().min(1, 'Pilih pegawai').max(100).nullable() }).strict(),
      reply: StructureViewSchema,
    },
    'structure.routes.save': {
      request: z.object({
        routes: z.array(z.object({ fromPositionId: positionId('jabatan pengirim'), toPositionId: positionId('jabatan penerima') }).strict()).max(500, 'Jalur tambahan paling banyak 500'),
      }).strict().refine((b) => b.routes.every((r) => r.fromPositionId !== r.toPositionId), { message: 'Jalur disposisi harus menuju jabatan lain, bukan jabatan itu sendiri', path: ['routes'] }),
      reply: StructureViewSchema,
    },
    'structure.instructions.save': {
      request: z.object({
        instructions: z.array(z.string().trim().min(1, 'Instruksi tidak boleh kosong; hapus barisnya bila tidak dipakai').max(100, 'Instruksi paling banyak 100 karakter'))
          .min(1, 'Daftar instruksi paling sedikit satu').max(30, 'Daftar instruksi paling banyak 30'),
      }).strict().refine((b) => new Set(b.instructions.map((i) => i.trim().toLowerCase())).size === b.instructions.length, { message: 'Instruksi yang sama tertulis dua kali', path: ['instructions'] }),
      reply: StructureViewSchema,
    },
  },
  events: {},
  errors: {
    STRUCTURE_ADMIN_ONLY: {
      id: 'Struktur organisasi hanya dapat diubah oleh admin kantor yang masuk dengan akunnya di server kantor.',
      en: 'The organisation structure can only be changed by the office administrator signed in with their office server account.',
    },
    STRUCTURE_OFFLINE: {
      id: 'Server kantor sedang tidak terjangkau. Perubahan struktur perlu server; isian Anda tetap di layar, simpan lagi setelah meja tersambung.',
      en: 'The office server cannot be reached. Changing the structure needs the server; what you typed stays on screen, save again once the desk is connected.',
    },
  },
});
