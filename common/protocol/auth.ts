// Sign-in in the server's API: a desk (device) signs a person in with username and password, and
// keeps its session alive with a rotating refresh token. The requests the server validates and the
// replies the desk reads. Imports zod only.
import { z } from 'zod';

export const minPasswordLength = 10;

export const roles = ['super_admin', 'admin_kantor', 'operator_utama', 'verifier', 'signer', 'staff'] as const;
export const RoleSchema = z.enum(roles);
/** The roles an office's own people hold (super_admin is the region's). */
export const OfficeRole = z.enum(['admin_kantor', 'operator_utama', 'verifier', 'signer', 'staff']);

const DeviceId = z.string().min(8).max(100).regex(/^[\w-]+$/);
export const LoginBody = z.object({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(1000),
  deviceId: DeviceId,
  deviceName: z.string().trim().min(1).max(200),
}).strict();
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200), deviceId: DeviceId }).strict();
export const LogoutBody = z.object({ refreshToken: z.string().min(1).max(200) }).strict();
export const PasswordBody = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().max(1000) }).strict();

/** POST /auth/refresh: a new session pair; the refresh token presented is spent. */
export const SessionReply = z.object({
  accessToken: z.string().min(1),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string().min(1),
  refreshTokenExpiresAt: z.iso.datetime(),
});
export type SessionReply = z.infer<typeof SessionReply>;

/** POST /auth/login: the session pair and who signed in. */
export const LoginReply = SessionReply.extend({
  user: z.object({
    id: z.string().min(1),
    username: z.string().min(1),
    fullName: z.string(),
    role: RoleSchema,
    officeId: z.string().nullable(),
    positionId: z.string().nullable(),
  }),
});
export type LoginReply = z.infer<typeof LoginReply>;

/** GET /auth/me: the signed-in person with office and position (names null when the organisation row is gone). */
export const MeReply = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  fullName: z.string(),
  nip: z.string().nullable(),
  role: RoleSchema,
  office: z.object({ id: z.string().min(1), name: z.string().nullable() }).nullable(),
  position: z.object({ id: z.string().min(1), title: z.string().nullable(), unit: z.string().nullable() }).nullable(),
});
export type MeReply = z.infer<typeof MeReply>;
