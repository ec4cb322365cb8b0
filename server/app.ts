// Builds the HTTPS API: one Fastify instance over one database and one blob store, with structured
// JSON logs and one error shape. `createServer` is what `server/main.ts`, the desk's embedded default
// and the tests start.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ServerConfig } from './config.ts';
import { migrateToLatest, openDatabase, type Db } from './db/database.ts';
import { isPostgres } from './db/dialect.ts';
import { FileBlobStore, type BlobStore } from './blobs/store.ts';
import type { ErrorBody } from '../common/protocol/errors.ts';
import { serverMessages } from '../common/protocol/errors.ts';
import { openApiDocument } from './http/openapi.ts';
import { ApiError } from './http/errors.ts';
import type { Context } from './http/context.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerOrgRoutes, registerStructureRoutes } from './org/routes.ts';
import { registerSyncRoutes } from './sync/routes.ts';
import { registerNumberingRoutes } from './numbering/routes.ts';
import { registerBlobRoutes } from './blobs/routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerUpdateRoutes } from './updates/routes.ts';
import { registerVerificationRoutes } from './signing/verification.ts';
import { registerNaskahRoutes } from './naskah/routes.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  /** Listens on the configured host and port (0 = any free port) and returns the base URL. */
  listen(): Promise<string>;
  /** Base URL once listening, e.g. https://127.0.0.1:45123 */
  readonly url: string;
  /** Every route the server answers (method and URL pattern, e.g. GET /blobs/:sha256), as registered. */
  readonly routes: readonly ServerRoute[];
  close(): Promise<void>;
}

export interface ServerRoute { method: string; url: string }

export interface ServerOptions {
  /** The clock; tests move it forward to cross lockout and expiry windows. */
  now?: () => number;
  blobs?: BlobStore;
}

/** The token key: configured, or generated once and kept in the database so every instance signs alike. */
async function tokenSecret(db: Db, config: ServerConfig): Promise<string> {
  if (config.auth.tokenSecret) return config.auth.tokenSecret;
  await db.insertInto('server_settings').values({ key: 'token_secret', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('server_settings').select('value').where('key', '=', 'token_secret').executeTakeFirstOrThrow();
  return row.value;
}

function errorBody(code: keyof typeof serverMessages, message?: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message: message ?? serverMessages[code], details } : { code, message: message ?? serverMessages[code] } };
}

export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const ctx: Context = {
    db,
    config,
    blobs: options.blobs ?? new FileBlobStore(config.blobDir),
    tokenSecret: await tokenSecret(db, config),
    now: options.now ?? Date.now,
  };

  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: config.limits.jsonBodyBytes,
    ...(config.trustedProxies.length > 0 ? { trustProxy: config.trustedProxies } : {}),
    ...(config.tls ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } } : {}),
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return reply.code(err.status).send(errorBody(err.code, err.message, err.details));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE': return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return reply.code(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY': return reply.code(400).send(errorBody('MALFORMED_JSON'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Body parser refusals (bad JSON, prototype poisoning, bad Content-Length) are the sender's fault.
      const code = err instanceof SyntaxError ? 'MALFORMED_JSON' : 'VALIDATION';
      return reply.code(status).send(errorBody(code));
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL'));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('NOT_FOUND')));
  const routes: ServerRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  app.get('/health', async () => {
    await sql`select 1`.execute(db);
    return { status: 'ok', database: isPostgres(db) ? 'postgres' : 'sqlite' };
  });
  const openApi = openApiDocument();
  app.get('/openapi.json', async () => openApi);
  registerAuthRoutes(app, ctx);
  registerOrgRoutes(app, ctx);
  registerStructureRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerNumberingRoutes(app, ctx);
  registerBlobRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerUpdateRoutes(app, ctx);
  registerVerificationRoutes(app, ctx);
  registerNaskahRoutes(app, ctx);

  let url = '';
  return {
    app,
    db,
    get url() { return url; },
    routes,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      const { port } = new URL(address);
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
      return url;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
