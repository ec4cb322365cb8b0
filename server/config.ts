// The server's one configuration loader: an optional JSON file, then environment variables on top,
// validated by one schema so a typo stops the server at start instead of surfacing as a 500 later.
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { z } from 'zod';

const Sqlite = z.object({ kind: z.literal('sqlite'), file: z.string().min(1) }).strict();
const Postgres = z.object({
  kind: z.literal('postgres'),
  connectionString: z.string().min(1),
  poolSize: z.number().int().min(1).max(200).default(10),
}).strict();

export const ConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8443),
  /** PEM files; without them the server speaks plain HTTP, which is allowed on loopback only. */
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().nullable().default(null),
  database: z.discriminatedUnion('kind', [Sqlite, Postgres]),
  blobDir: z.string().min(1),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  auth: z.object({
    /** HMAC key for access tokens; when absent the key is generated once and kept in the database, so every instance shares it. */
    tokenSecret: z.string().min(32).optional(),
    accessTokenSeconds: z.number().int().min(30).default(900),
    refreshTokenDays: z.number().int().min(1).default(30),
    /** After this many consecutive failures each attempt must wait (doubling from throttleBaseMs). */
    throttleAfter: z.number().int().min(1).default(3),
    throttleBaseMs: z.number().int().min(1).default(2000),
    /** After this many consecutive failures the account is locked for lockMinutes. */
    lockAfter: z.number().int().min(2).default(10),
    lockMinutes: z.number().int().min(1).default(15),
    /** Failed sign-ins from one address, whatever the names, before it must wait lockMinutes (an office behind one NAT shares it). */
    sourceLimit: z.number().int().min(1).default(100),
    /** Failed sign-ins of one account from every address together before it is locked everywhere for lockMinutes. */
    accountCeiling: z.number().int().min(1).default(200),
  }).strict().default({ accessTokenSeconds: 900, refreshTokenDays: 30, throttleAfter: 3, throttleBaseMs: 2000, lockAfter: 10, lockMinutes: 15, sourceLimit: 100, accountCeiling: 200 }),
  /**
   * Reverse proxies (their addresses) whose X-Forwarded-For names the client's address, so sign-in
   * limits and the public verification page's rate limit count visitors, not the proxy; none by default.
   */
  trustedProxies: z.array(z.string().min(1)).default([]),
  numbering: z.object({ blockSize: z.number().int().min(1).max(10_000).default(50) }).strict().default({ blockSize: 50 }),
  /** electron-updater generic feed: the folder holding latest*.yml and the installers (GET /updates/<file>); null = no feed. */
  updates: z.object({ dir: z.string().min(1).nullable().default(null) }).strict().default({ dir: null }),
  limits: z.object({
    jsonBodyBytes: z.number().int().min(1024).default(1024 * 1024),
    chunkBytes: z.number().int().min(1024).default(8 * 1024 * 1024),
    pushMutations: z.number().int().min(1).default(500),
    /** Requests to the public verification page per visitor address and minute. */
    verifyPerMinute: z.number().int().min(1).default(60),
  }).strict().default({ jsonBodyBytes: 1024 * 1024, chunkBytes: 8 * 1024 * 1024, pushMutations: 500, verifyPerMinute: 60 }),
}).strict();

export type ServerConfig = z.infer<typeof ConfigSchema>;
export type ServerConfigInput = z.input<typeof ConfigSchema>;

/** Environment variables understood on top of the file; each names one setting. */
const envKeys = {
  LOKET_SERVER_HOST: 'host',
  LOKET_SERVER_PORT: 'port',
  LOKET_SERVER_TLS_CERT: 'tls.certFile',
  LOKET_SERVER_TLS_KEY: 'tls.keyFile',
  LOKET_SERVER_DATABASE: 'database',
  LOKET_SERVER_BLOB_DIR: 'blobDir',
  LOKET_SERVER_LOG_LEVEL: 'logLevel',
  LOKET_SERVER_TOKEN_SECRET: 'auth.tokenSecret',
  LOKET_SERVER_LEASE_BLOCK: 'numbering.blockSize',
  LOKET_SERVER_UPDATES_DIR: 'updates.dir',
  LOKET_SERVER_TRUSTED_PROXIES: 'trustedProxies',
} as const;

/** `postgres://…` selects PostgreSQL; anything else is the path of an SQLite file. */
export function databaseFromUrl(value: string): ServerConfigInput['database'] {
  return /^postgres(ql)?:\/\//.test(value) ? { kind: 'postgres', connectionString: value } : { kind: 'sqlite', file: value };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/**
 * Reads `file` (JSON; relative paths inside it are relative to the file) and then the environment.
 * Throws an Error naming every invalid setting.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): ServerConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.LOKET_SERVER_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file) {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const base = dirname(resolve(file));
    const rel = (p: unknown) => (typeof p === 'string' ? resolve(base, p) : p);
    const tls = raw.tls as Record<string, unknown> | null | undefined;
    if (tls) { tls.certFile = rel(tls.certFile); tls.keyFile = rel(tls.keyFile); }
    const db = raw.database as Record<string, unknown> | undefined;
    if (db?.kind === 'sqlite') db.file = rel(db.file);
    raw.blobDir = rel(raw.blobDir);
    const updates = raw.updates as Record<string, unknown> | undefined;
    if (updates?.dir) updates.dir = rel(updates.dir);
  }
  for (const [key, path] of Object.entries(envKeys)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    if (path === 'database') raw.database = databaseFromUrl(value);
    else if (path === 'trustedProxies') raw.trustedProxies = value.split(',').map((a) => a.trim()).filter((a) => a !== '');
    else if (path === 'port' || path === 'numbering.blockSize') setPath(raw, path, Number(value));
    else setPath(raw, path, value);
  }
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): ServerConfig {
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid server configuration: ${problems}`);
  }
  const config = parsed.data;
  if (config.tls === null && !isLoopback(config.host)) {
    throw new Error(`Invalid server configuration: plain HTTP is allowed on loopback only, but host is ${config.host}; configure tls.certFile and tls.keyFile`);
  }
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
