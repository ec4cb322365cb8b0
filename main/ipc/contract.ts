// The one IPC contract between the renderer and main: channel names, the zod schema of every
// request and reply, and the events main pushes. Both sides import this module; the router
// validates against it before any handler runs. The renderer may import nothing else from main/.
import { z } from 'zod';

export const errorCodes = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'INTERNAL',
  'NOT_FOUND',
  'STORAGE_FULL',
  'STORAGE_FAILED',
  'STORAGE_TOO_NEW',
  'STORAGE_CORRUPT',
  'DEVICE_WORKER_CRASHED',
  'DEVICE_TIMEOUT',
  'DEVICE_UNAVAILABLE',
  'TOKEN_MODULE_MISSING',
  'TOKEN_NOT_FOUND',
  'TOKEN_REMOVED',
  'TOKEN_FAILED',
  'PIN_INCORRECT',
  'PIN_INVALID',
  'PIN_LOCKED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_NOT_FOR_SIGNING',
  'PDF_UNSUPPORTED',
  'HOST_UNREACHABLE',
  'SCANNER_NOT_FOUND',
  'SCANNER_BUSY',
  'SCANNER_JAMMED',
  'SCANNER_COVER_OPEN',
  'SCANNER_NO_DOCS',
  'SCANNER_IO',
  'SCANNER_ACCESS_DENIED',
  'SCANNER_CANCELLED',
  'SCANNER_UNSUPPORTED',
  'SCANNER_INVALID',
  'SCANNER_FAILED',
  'IMPORT_EMPTY',
  'IMPORT_TOO_LARGE',
  'IMPORT_UNSUPPORTED',
  'IMPORT_CORRUPT',
  'IMPORT_ENCRYPTED',
  'IMPORT_UNREADABLE',
  'BLOB_CORRUPT',
  'OCR_FAILED',
  'AGENDA_NUMBERS_EXHAUSTED',
  // Scan image pipeline (main/scan/pipeline)
  'SCAN_PIPELINE_FAILED',
  // Signing outgoing letters (main/sign)
  'TSA_UNAVAILABLE',
  'REVOCATION_UNAVAILABLE',
  'SIGNER_ROLE_REQUIRED',
  'LETTER_NOT_READY_TO_SIGN',
] as const;
export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

const Empty = z.object({}).strict();

export const LanguageSchema = z.enum(['id', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/** Settings a person can change; stored in SQLite, one row per key. */
export const SettingsSchema = z.object({
  language: LanguageSchema,
  deskName: z.string().trim().min(1, 'Nama meja wajib diisi').max(80, 'Nama meja paling panjang 80 karakter'),
  officeName: z.string().trim().max(160, 'Nama kantor paling panjang 160 karakter'),
  serverUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Alamat server harus diawali http:// atau https:// (contoh: https://eoffice.contoh.go.id), atau dikosongkan' })]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const ConnectivitySchema = z.object({
  state: z.enum(['online', 'offline', 'unconfigured']),
  checkedAt: z.string().nullable(),
});
export type Connectivity = z.infer<typeof ConnectivitySchema>;

export const DeviceWorkerStatusSchema = z.object({
  state: z.enum(['starting', 'running', 'restarting', 'stopped']),
  restarts: z.number().int().nonnegative(),
  lastCrash: z.string().nullable(),
  /** Only when stopped: not started yet, closed by the app, or given up after repeated crashes. */
  reason: z.enum(['not-started', 'shutdown', 'crash-loop']).optional(),
});
export type DeviceWorkerStatus = z.infer<typeof DeviceWorkerStatusSchema>;

export const DashboardSchema = z.object({
  incomingToday: z.number().int().nonnegative(),
  incomingTotal: z.number().int().nonnegative(),
  outgoingTotal: z.number().int().nonnegative(),
  awaitingSignature: z.number().int().nonnegative(),
  outboxPending: z.number().int().nonnegative(),
  auditChainIntact: z.boolean(),
  auditEntries: z.number().int().nonnegative(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'browser-host']),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Every channel the renderer may invoke. Adding one here forces a handler (see router.ts). */
export const channels = {
  'app.info': { request: Empty, reply: AppInfoSchema },
  'dashboard.get': { request: Empty, reply: DashboardSchema },
  'settings.get': { request: Empty, reply: SettingsSchema },
  'settings.update': { request: SettingsSchema.partial().strict(), reply: SettingsSchema },
  'connectivity.get': { request: Empty, reply: ConnectivitySchema },
  'devices.status': { request: Empty, reply: DeviceWorkerStatusSchema },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;

export type Channel = keyof typeof channels;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ReplyOf<C extends Channel> = z.output<(typeof channels)[C]['reply']>;

/** Events main pushes to the renderer. */
export const events = {
  'settings.changed': SettingsSchema,
  'connectivity.changed': ConnectivitySchema,
  'devices.changed': DeviceWorkerStatusSchema,
  'dashboard.changed': Empty,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

export type InvokeResult<C extends Channel> = { ok: true; value: ReplyOf<C> } | { ok: false; error: IpcError };

/** What the preload (Electron) or the WebSocket bridge (browser host) exposes as window.loket. */
export interface LoketBridge {
  invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
