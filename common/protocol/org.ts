// The organisation in the server's API (region → offices → units → positions) and its people, as
// administrators manage them: the requests the server validates and the replies it gives. Imports
// zod and common/ only.
import { z } from 'zod';
import { minPasswordLength, OfficeRole, RoleSchema } from './auth.ts';

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

/** GET /org: the region's organisation; desks keep its offices to send letters to. */
export const OrgReply = z.object({
  regions: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  offices: z.array(z.object({ id: z.string().min(1), regionId: z.string(), code: z.string(), name: z.string() })),
  units: z.array(z.object({ id: z.string().min(1), officeId: z.string(), parentUnitId: z.string().nullable(), name: z.string() })),
  positions: z.array(z.object({ id: z.string().min(1), unitId: z.string(), title: z.string(), isHead: z.boolean() })),
});
export type OrgReply = z.infer<typeof OrgReply>;

/**
 * GET /org/officials: the signing officials (pejabat penandatangan) of the caller's office — its active
 * users with the signer role — by name and position title, for the desk to address outgoing letters to.
 */
export const OfficialsReply = z.object({
  officials: z.array(z.object({ id: z.string().min(1), name: z.string(), nip: z.string().nullable(), position: z.string().nullable() })),
});
export type OfficialsReply = z.infer<typeof OfficialsReply>;

/** A user as the administration endpoints answer it. */
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
