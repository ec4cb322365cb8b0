// Request schemas of the server's HTTP API besides sync (auth, people, numbering, blobs). The
// handlers validate with these and GET /openapi.json is generated from them, so the documentation
// cannot drift from what the server accepts. Desks may import this module; it depends on zod only.
import { z } from 'zod';
import { Book, Sha256 } from './mutations.ts';

export const minPasswordLength = 10;
/** Largest blob accepted; sizes stay within a 32-bit integer column on both databases. */
export const maxBlobBytes = 1024 * 1024 * 1024;
/** Content type of an upload chunk (PATCH /blobs/:sha256/upload), as in the tus protocol. */
export const chunkContentType = 'application/offset+octet-stream';

export const roles = ['super_admin', 'admin_kantor', 'operator_utama', 'verifier', 'signer', 'staff'] as const;
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

export const LeaseBody = z.object({
  book: Book,
  year: z.number().int().min(2000).max(2100),
  /** Fewer than the configured block when the desk needs only a few; never more. */
  count: z.number().int().min(1).optional(),
}).strict();
export const UnusedNumbersBody = z.object({ leaseId: z.uuid(), numbers: z.array(z.number().int().min(1)).min(1).max(10_000) }).strict();

export const CreateBlobBody = z.object({ sha256: Sha256, size: z.number().int().min(0).max(maxBlobBytes) }).strict();
export const ShaParams = z.object({ sha256: Sha256 }).strict();

export const AuditQuery = z.object({
  officeId: z.string().min(1).max(100).optional(),
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
}).strict();
