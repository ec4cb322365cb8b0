// The organisation in the server's API (region → offices → units → positions) and its people, as
// administrators manage them: the requests the server validates and the replies it gives. A position
// reports to a parent position, has a level, and is held by people over time (holdings: who, from
// when to when, in what capacity). Imports zod and common/ only.
import { z } from 'zod';
import { minPasswordLength, OfficeRole, RoleSchema } from './auth.ts';
import { positionLevels } from '../ipc/structure.ts';

export const CreateUserBody = z.object({
  username: z.string().trim().toLowerCase().min(3).max(100).regex(/^[a-z0-9._-]+$/),
  fullName: z.string().trim().min(1).max(200),
  nip: z.string().regex(/^\d{18}$/).nullable().default(null),
  role: OfficeRole,
  officeId: z.string().min(1).max(100),
  positionId: z.string().min(1).max(100).nullable().default(null),
  password: z.string().min(minPasswordLength).max(1000),
}).strict();
export const UpdateUserBody = z.object({
  fullName: z.string().trim().min(1).max(200).optional(),
  role: OfficeRole.optional(),
  positionId: z.string().min(1).max(100).nullable().optional(),
  active: z.boolean().optional(),
}).strict();
export const ResetPasswordBody = z.object({ newPassword: z.string().min(minPasswordLength).max(1000) }).strict();
export const UserListQuery = z.object({ officeId: z.string().min(1).max(100).optional() }).strict();
export const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();

/** The levels of the structure, highest first (eselon order of a regional office); the admin screen's contract names them. */
export { positionLevels };
export const PositionLevel = z.enum(positionLevels);
export type PositionLevel = z.infer<typeof PositionLevel>;
/** How a person holds a position: as its definitive holder, or as its Plh/Plt for a delegation's period. */
export const HoldingCapacity = z.enum(['definitive', 'plh', 'plt']);
export type HoldingCapacity = z.infer<typeof HoldingCapacity>;

export const OrgPosition = z.object({
  id: z.string().min(1),
  officeId: z.string(),
  unitId: z.string(),
  /** The position it reports to; null for the head of the office. */
  parentId: z.string().nullable(),
  title: z.string(),
  level: PositionLevel,
  isHead: z.boolean(),
  order: z.number().int(),
});
export type OrgPosition = z.infer<typeof OrgPosition>;

/** Who holds a position from when to when (endsAt null: still), in what capacity. */
export const OrgHolding = z.object({
  id: z.string().min(1),
  positionId: z.string().min(1),
  userId: z.string().min(1),
  fullName: z.string(),
  capacity: HoldingCapacity,
  startsAt: z.string(),
  endsAt: z.string().nullable(),
});
export type OrgHolding = z.infer<typeof OrgHolding>;

/** A route a disposition may take besides down the reporting line. */
export const OrgRoute = z.object({ fromPositionId: z.string().min(1), toPositionId: z.string().min(1) });
export type OrgRoute = z.infer<typeof OrgRoute>;

/**
 * GET /org: the region's organisation; desks keep its offices to send letters to. Positions of every
 * office; holdings and extra routes only of the caller's own office (no person of another office is named).
 */
export const OrgReply = z.object({
  regions: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  offices: z.array(z.object({ id: z.string().min(1), regionId: z.string(), code: z.string(), name: z.string() })),
  units: z.array(z.object({ id: z.string().min(1), officeId: z.string(), parentUnitId: z.string().nullable(), name: z.string() })),
  positions: z.array(OrgPosition),
  holdings: z.array(OrgHolding).default([]),
  routes: z.array(OrgRoute).default([]),
  /** The caller's office's disposition instructions, in its order (absent from older servers: the shipped list). */
  instructions: z.array(z.string()).optional(),
});
export type OrgReply = z.infer<typeof OrgReply>;

export const CreatePositionBody = z.object({
  officeId: z.string().min(1).max(100),
  unitId: z.string().min(1).max(100),
  parentId: z.string().min(1).max(100).nullable(),
  title: z.string().trim().min(1).max(200),
  level: PositionLevel,
}).strict();
export const UpdatePositionBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  parentId: z.string().min(1).max(100).nullable().optional(),
  level: PositionLevel.optional(),
  unitId: z.string().min(1).max(100).optional(),
}).strict();
/** Who holds the position from now on (null: vacant); the current holding ends, its history stays. */
export const AssignHolderBody = z.object({ userId: z.string().min(1).max(100).nullable() }).strict();
export const PositionReply = OrgPosition;
/** PUT /admin/offices/:id/disposition-routes: the office's whole set of extra routes (replaces the set). */
export const DispositionRoutesBody = z.object({
  routes: z.array(z.object({ fromPositionId: z.string().min(1).max(100), toPositionId: z.string().min(1).max(100) }).strict()).max(500),
}).strict().refine((b) => b.routes.every((r) => r.fromPositionId !== r.toPositionId), { message: 'Jalur disposisi harus menuju jabatan lain', path: ['routes'] });
export const DispositionRoutesReply = z.object({ routes: z.array(OrgRoute) });
/** PUT /admin/offices/:id/disposition-instructions: the office's list of instructions, in order (replaces the list). */
export const DispositionInstructionsBody = z.object({
  instructions: z.array(z.string().trim().min(1, 'Instruksi tidak boleh kosong').max(100, 'Instruksi paling banyak 100 karakter'))
    .min(1, 'Daftar instruksi paling sedikit satu').max(30, 'Daftar instruksi paling banyak 30'),
}).strict().refine((b) => new Set(b.instructions.map((i) => i.toLowerCase())).size === b.instructions.length, { message: 'Instruksi yang sama tertulis dua kali', path: ['instructions'] });
export const DispositionInstructionsReply = z.object({ instructions: z.array(z.string()) });
/** POST /admin/positions/:id/retire: the position leaves the structure; its holding ends, its history stays. */
export const RetirePositionBody = z.object({}).strict();

/**
 * GET /org/officials: the signing officials (pejabat penandatangan) of the caller's office — its active
 * users with the signer role — by name and position title, for the desk to address outgoing letters to.
 */
export const OfficialsReply = z.object({
  officials: z.array(z.object({ id: z.string().min(1), name: z.string(), nip: z.string().nullable(), position: z.string().nullable() })),
});
export type OfficialsReply = z.infer<typeof OfficialsReply>;

/** A user as the administration endpoints answer it; positionId is the position they hold now. */
export const UserReply = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  fullName: z.string(),
  nip: z.string().nullable(),
  role: RoleSchema,
  officeId: z.string().nullable(),
  positionId: z.string().nullable(),
  active: z.boolean(),
});
export type UserReply = z.infer<typeof UserReply>;
export const UserListReply = z.object({ users: z.array(UserReply) });
