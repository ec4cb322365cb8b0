// The OpenAPI 3.1 description of the server, generated from the same zod schemas the handlers
// validate with (served at GET /openapi.json). Response bodies are described in prose here and typed
// in mutations.ts; every error is `{ error: { code, message } }` with a code from errors.ts.
import { z } from 'zod';
import * as api from '../../common/protocol/api.ts';
import { Mutation, PullQuery, PushRequest } from '../../common/protocol/mutations.ts';
import { serverMessages } from '../../common/protocol/errors.ts';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

const errorResponse = {
  description: 'Error: `code` for programs, `message` in Bahasa Indonesia for people.',
  content: { 'application/json': { schema: {
    type: 'object', required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message'], properties: {
      code: { type: 'string', enum: Object.keys(serverMessages) }, message: { type: 'string' }, details: { type: 'object' } } } },
  } } },
};

interface Op { summary: string; body?: z.ZodType; query?: z.ZodType; auth?: boolean; ok: string; okStatus?: number; bodyType?: string }

function operation(op: Op): Json {
  const out: Json = {
    summary: op.summary,
    responses: { [String(op.okStatus ?? 200)]: { description: op.ok }, '4XX': errorResponse, '5XX': errorResponse },
  };
  if (op.auth !== false) out.security = [{ bearer: [] }];
  if (op.body) out.requestBody = { required: true, content: { [op.bodyType ?? 'application/json']: { schema: schema(op.body) } } };
  if (op.query) {
    const q = schema(op.query) as { properties?: Record<string, Json>; required?: string[] };
    out.parameters = Object.entries(q.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s }));
  }
  return out;
}

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Loket central e-office server', version: '1' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Access token from /auth/login or /auth/refresh' } },
      schemas: { Mutation: schema(Mutation) },
    },
    paths: {
      '/health': { get: operation({ summary: 'Liveness and database reachability', auth: false, ok: '{ status: "ok", database }' }) },
      '/auth/login': { post: operation({ summary: 'Sign in on a desk (device); throttled, then locked after repeated failures', body: api.LoginBody, auth: false, ok: 'Session: access token, refresh token bound to the device, user' }) },
      '/auth/refresh': { post: operation({ summary: 'Rotate the refresh token; a reused token revokes its whole family', body: api.RefreshBody, auth: false, ok: 'A new session pair' }) },
      '/auth/logout': { post: operation({ summary: 'Revoke the session family of a refresh token', body: api.LogoutBody, auth: false, ok: 'Revoked', okStatus: 204 }) },
      '/auth/password': { post: operation({ summary: 'Change the own password; sessions on other desks end', body: api.PasswordBody, ok: 'Changed', okStatus: 204 }) },
      '/auth/me': { get: operation({ summary: 'The signed-in user with office, unit and position', ok: 'User' }) },
      '/org': { get: operation({ summary: 'Region, offices, units and positions', ok: 'Organisation' }) },
      '/admin/users': {
        get: operation({ summary: 'Users of an office (admin kantor: own office only)', query: api.UserListQuery, ok: '{ users }' }),
        post: operation({ summary: 'Create a user (admin kantor: own office only)', body: api.CreateUserBody, ok: 'The user', okStatus: 201 }),
      },
      '/admin/users/{id}': { patch: operation({ summary: 'Change name, role, position or active flag', body: api.UpdateUserBody, ok: 'The user' }) },
      '/admin/users/{id}/password': { post: operation({ summary: 'Reset a password; all the user\'s sessions end', body: api.ResetPasswordBody, ok: 'Reset', okStatus: 204 }) },
      '/sync/push': { post: operation({ summary: 'Apply mutations in outbox order, each at most once (see components.schemas.Mutation)', body: PushRequest, ok: '{ results: [{ id, status: applied | duplicate | rejected, code?, reason? }] }' }) },
      '/sync/pull': { get: operation({ summary: 'Change feed after a cursor, only what this user and office may see', query: PullQuery, ok: '{ changes: [{ seq, entity, entityId, op, data }], cursor, hasMore }' }) },
      '/numbering/lease': { post: operation({ summary: 'Lease a block of agenda numbers for the office, book and year', body: api.LeaseBody, ok: '{ leaseId, book, year, first, last }', okStatus: 201 }) },
      '/numbering/unused': { post: operation({ summary: 'Report numbers of an own lease that will never be used', body: api.UnusedNumbersBody, ok: '{ recorded }' }) },
      '/blobs': { post: operation({ summary: 'Declare an upload by SHA-256 and size; answers the offset to resume at', body: api.CreateBlobBody, ok: '{ sha256, size, offset, complete, maxChunkBytes }', okStatus: 201 }) },
      '/blobs/{sha256}/upload': {
        get: operation({ summary: 'Upload state', ok: '{ sha256, size, offset, complete }' }),
        head: operation({ summary: 'Upload state in Upload-Offset and Upload-Length headers', ok: 'Headers only' }),
        patch: operation({ summary: 'Append at the Upload-Offset header (Content-Length at most maxChunkBytes); bytes are kept as they arrive, so after a dropped connection the desk resumes from the offset the server reports; the hash is verified after the last byte', body: z.string(), bodyType: api.chunkContentType, ok: '{ offset, complete }' }),
      },
      '/admin/audit': { get: operation({ summary: 'Audit log export, oldest first (admin kantor: own office only)', query: api.AuditQuery, ok: '{ entries: [{ seq, at, source, officeId, userId, deviceId, action, target, details, prevHash, hash }], cursor, hasMore }' }) },
      '/admin/audit/verify': { get: operation({ summary: 'Recompute the whole hash chain (super admin)', ok: '{ ok, checked, brokenAtSeq? }' }) },
      '/blobs/{sha256}': { get: operation({ summary: 'Download a finished blob; a single Range: bytes=a-b is honoured (206)', ok: 'The bytes' }) },
    },
  };
}
