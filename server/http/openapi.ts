// The OpenAPI 3.1 description of the server, generated from the same zod schemas the handlers
// validate requests with and desks validate replies with (served at GET /openapi.json); every error
// is `{ error: { code, message } }` with a code from common/protocol/errors.ts.
import { z } from 'zod';
import * as audit from '../../common/protocol/audit.ts';
import * as auth from '../../common/protocol/auth.ts';
import * as blobs from '../../common/protocol/blobs.ts';
import * as numbering from '../../common/protocol/numbering.ts';
import * as naskah from '../../common/protocol/naskah.ts';
import * as org from '../../common/protocol/org.ts';
import { Change, Mutation } from '../../common/protocol/index.ts';
import { PullQuery, PullReply, PushReply, PushRequest } from '../../common/protocol/sync.ts';
import { serverMessages } from '../../common/protocol/errors.ts';

/** The letter id the QR code carries. */
const VerificationQuery = z.object({ id: z.string().optional() });

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'input'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
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

interface Op { summary: string; body?: z.ZodType; query?: z.ZodType; auth?: boolean; ok: string; okStatus?: number; bodyType?: string; reply?: z.ZodType }

function operation(op: Op): Json {
  const ok: Json = { description: op.ok };
  if (op.reply) ok.content = { 'application/json': { schema: schema(op.reply, 'output') } };
  const out: Json = {
    summary: op.summary,
    responses: { [String(op.okStatus ?? 200)]: ok, '4XX': errorResponse, '5XX': errorResponse },
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
      schemas: { Mutation: schema(Mutation), Change: schema(Change, 'output') },
    },
    paths: {
      '/health': { get: operation({ summary: 'Liveness and database reachability', auth: false, ok: '{ status: "ok", database }' }) },
      '/auth/login': { post: operation({ summary: 'Sign in on a desk (device); throttled, then locked after repeated failures', body: auth.LoginBody, auth: false, ok: 'Session: access token, refresh token bound to the device, user', reply: auth.LoginReply }) },
      '/auth/refresh': { post: operation({ summary: 'Rotate the refresh token; a reused token revokes its whole family', body: auth.RefreshBody, auth: false, ok: 'A new session pair', reply: auth.SessionReply }) },
      '/auth/logout': { post: operation({ summary: 'Revoke the session family of a refresh token', body: auth.LogoutBody, auth: false, ok: 'Revoked', okStatus: 204 }) },
      '/auth/password': { post: operation({ summary: 'Change the own password; sessions on other desks end', body: auth.PasswordBody, ok: 'Changed', okStatus: 204 }) },
      '/auth/me': { get: operation({ summary: 'The signed-in user with office, unit and position', ok: 'User', reply: auth.MeReply }) },
      '/org': { get: operation({ summary: 'Region, offices, units and positions', ok: 'Organisation', reply: org.OrgReply }) },
      '/admin/users': {
        get: operation({ summary: 'Users of an office (admin kantor: own office only)', query: org.UserListQuery, ok: '{ users }', reply: org.UserListReply }),
        post: operation({ summary: 'Create a user (admin kantor: own office only)', body: org.CreateUserBody, ok: 'The user', okStatus: 201, reply: org.UserReply }),
      },
      '/admin/users/{id}': { patch: operation({ summary: 'Change name, role, position or active flag', body: org.UpdateUserBody, ok: 'The user', reply: org.UserReply }) },
      '/admin/users/{id}/unlock': { post: operation({ summary: 'Lift every sign-in lock and count of the user\'s account', ok: 'Unlocked', okStatus: 204 }) },
      '/admin/users/{id}/password': { post: operation({ summary: 'Reset a password; all the user\'s sessions end', body: org.ResetPasswordBody, ok: 'Reset', okStatus: 204 }) },
      '/admin/positions': { post: operation({ summary: 'Add a position to an office\'s structure (admin kantor: own office only)', body: org.CreatePositionBody, ok: 'The position', okStatus: 201, reply: org.PositionReply }) },
      '/admin/positions/{id}': { patch: operation({ summary: 'Rename a position, move it under another position of its office, change its level or unit', body: org.UpdatePositionBody, ok: 'The position', reply: org.PositionReply }) },
      '/admin/positions/{id}/holder': { put: operation({ summary: 'Who holds the position from now on (null: vacant); the holding before ends, its history stays', body: org.AssignHolderBody, ok: 'Assigned', okStatus: 204 }) },
      '/admin/positions/{id}/retire': { post: operation({ summary: 'Retire a position with no active position below it; its holdings end, their history stays, its extra routes go', body: org.RetirePositionBody, ok: 'Retired', okStatus: 204 }) },
      '/admin/offices/{id}/disposition-routes': { put: operation({ summary: 'Replace the office\'s extra disposition routes (between its active positions)', body: org.DispositionRoutesBody, ok: 'The routes', reply: org.DispositionRoutesReply }) },
      '/admin/offices/{id}/disposition-instructions': { put: operation({ summary: 'Replace the office\'s list of disposition instructions, in order', body: org.DispositionInstructionsBody, ok: 'The instructions', reply: org.DispositionInstructionsReply }) },
      '/offices/{id}/naskah': { get: operation({ summary: 'The office\'s current kop and templates (own office only); current is null while it uses the shipped defaults', ok: '{ current }', reply: naskah.NaskahReply }) },
      '/admin/offices/{id}/naskah': { put: operation({ summary: 'Save the office\'s kop and templates as its next version (its own admin kantor only): the logo a blob the office uploaded, a whole PNG or JPEG of at most 1 MB and 4000 px a side; basedOn must be the current version (else NASKAH_VERSION_STALE); delivered to the office\'s desks as a naskah feed row', body: naskah.SaveNaskahBody, ok: 'The saved version', reply: naskah.NaskahVersionData }) },
      '/sync/push': { post: operation({ summary: 'Apply mutations in outbox order, each at most once (see components.schemas.Mutation)', body: PushRequest, ok: 'One result per mutation: applied, duplicate or rejected with code and reason', reply: PushReply }) },
      '/sync/pull': { get: operation({ summary: 'Change feed after a cursor, only what this user and office may see', query: PullQuery, ok: 'The changes after the cursor (see components.schemas.Change), the next cursor, and whether more wait', reply: PullReply }) },
      '/numbering/lease': { post: operation({ summary: 'Lease a block of agenda numbers for the office, book and year', body: numbering.LeaseBody, ok: 'The block: numbers first to last', okStatus: 201, reply: numbering.LeaseReply }) },
      '/numbering/unused': { post: operation({ summary: 'Report numbers of an own lease that will never be used', body: numbering.UnusedNumbersBody, ok: 'How many numbers were retired', reply: numbering.UnusedNumbersReply }) },
      '/blobs': { post: operation({ summary: 'Declare an upload by SHA-256 and size; answers the offset to resume at', body: blobs.CreateBlobBody, ok: 'The upload state and the most bytes per append', okStatus: 201, reply: blobs.DeclaredUploadReply }) },
      '/blobs/{sha256}/upload': {
        get: operation({ summary: 'Upload state', ok: 'The upload state', reply: blobs.UploadStateReply }),
        head: operation({ summary: 'Upload state in Upload-Offset and Upload-Length headers', ok: 'Headers only' }),
        patch: operation({ summary: 'Append at the Upload-Offset header (Content-Length at most maxChunkBytes); bytes are kept as they arrive, so after a dropped connection the desk resumes from the offset the server reports; the hash is verified after the last byte', body: z.string(), bodyType: blobs.chunkContentType, ok: 'The upload state after the append', reply: blobs.UploadStateReply }),
      },
      '/admin/audit': { get: operation({ summary: 'Audit log export, oldest first (admin kantor: own office only)', query: audit.AuditQuery, ok: 'Entries of the chain after the cursor', reply: audit.AuditExportReply }) },
      '/admin/audit/verify': { get: operation({ summary: 'Recompute the whole hash chain (super admin)', ok: 'Whether the chain holds, and where it breaks', reply: audit.ChainCheckReply }) },
      '/blobs/{sha256}': { get: operation({ summary: 'Download a finished blob; a single Range: bytes=a-b is honoured (206)', ok: 'The bytes' }) },
      '/verifikasi': { get: operation({ summary: 'Public verification page of a signed letter (HTML in Bahasa Indonesia; no sign-in; rate limited per visitor address)', query: VerificationQuery, auth: false, ok: 'The page (text/html): what the letter\'s security classification allows, and a check of the visitor\'s file' }) },
    },
  };
}
