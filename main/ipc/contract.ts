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
  // Sign-in and sync with the central server (main/auth, main/sync)
  'AUTH_NO_SERVER',
  'AUTH_REQUIRED',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_OFFLINE_UNKNOWN',
  'AUTH_THROTTLED',
  'AUTH_LOCKED',
  'AUTH_DISABLED',
  'SERVER_INSECURE',
  'SERVER_UNREACHABLE',
  'SERVER_TLS_UNTRUSTED',
  'SERVER_TLS_EXPIRED',
  'SERVER_TLS_HOSTNAME',
  'SERVER_CA_UNREADABLE',
  'SERVER_REFUSED',
  'SYNC_ENTRY_NOT_ACTIONABLE',
  // Incoming letters (main/letters)
  'LETTER_ALREADY_REGISTERED',
  // JPG per page from the Pindai screen (main/scan)
  'SCAN_PAGE_EXCLUDED',
  // Agenda number format and classification list in Pengaturan (main/letters/agenda-settings.ts)
  'ADMIN_ROLE_REQUIRED',
  // Letters delivered between offices (main/letters/deliveries.ts, main/sync/blob-download.ts)
  'DELIVERY_ROLE_REQUIRED',
  'DELIVERY_NOT_SENDABLE',
  'DOWNLOAD_OFFLINE',
  'DOWNLOAD_HASH_MISMATCH',
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

/** A POSIX path, a Windows drive path or a UNC path: a PKCS#11 module is loaded by its full path. */
const absolutePath = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const signingServiceUrl = (error: string) => z.union([z.literal(''), z.url({ protocol: /^https?$/, error })]).optional();

/** Settings a person can change; stored in SQLite, one row per key. */
export const SettingsSchema = z.object({
  language: LanguageSchema,
  deskName: z.string().trim().min(1, 'Nama meja wajib diisi').max(80, 'Nama meja paling panjang 80 karakter'),
  officeName: z.string().trim().max(160, 'Nama kantor paling panjang 160 karakter'),
  serverUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Alamat server harus diawali http:// atau https:// (contoh: https://eoffice.contoh.go.id), atau dikosongkan' })]),
  // Tanda tangan elektronik (optional keys, the store defaults them to ''): '' = not set here (the
  // LOKET_* environment variable, else automatic).
  tokenModulePath: z.union([z.literal(''), z.string().regex(absolutePath, 'Path driver token harus path lengkap (contoh: /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so atau C:\\Windows\\System32\\eTPKCS11.dll), atau pilih Otomatis')]).optional(),
  tsaUrl: signingServiceUrl('Alamat layanan cap waktu (TSA) harus diawali http:// atau https:// (contoh: http://tsa.contoh.go.id), atau dikosongkan'),
  ocspUrl: signingServiceUrl('Alamat layanan OCSP harus diawali http:// atau https:// (contoh: http://ocsp.contoh.go.id), atau dikosongkan'),
  verifyUrl: signingServiceUrl('Alamat halaman verifikasi harus diawali http:// atau https:// (contoh: https://eoffice.contoh.go.id/verifikasi), atau dikosongkan'),
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

// --- Sign-in and sync with the central server (main/auth, main/sync) ---
export const SessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  nip: z.string().nullable(),
  position: z.string().nullable(),
  roles: z.array(z.string()),
  officeId: z.string().nullable(),
  officeName: z.string().nullable(),
});
export const DeskSessionSchema = z.object({ user: SessionUserSchema, mode: z.enum(['online', 'offline']), since: z.string() }).nullable();
export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Nama pengguna wajib diisi').max(100),
  password: z.string().min(1, 'Kata sandi wajib diisi').max(1000),
}).strict();
const QueueCountsSchema = z.object({ pending: z.number().int(), in_progress: z.number().int(), failed: z.number().int(), rejected: z.number().int() });
export const UploadProgressSchema = z.object({ sha256: z.string(), sent: z.number().int().nonnegative(), total: z.number().int().nonnegative() });
export const SyncStatusSchema = z.object({
  /** idle: nothing to do or waiting for the next round; waiting: retrying after a failure (see nextAttemptAt). */
  state: z.enum(['unconfigured', 'signed-out', 'idle', 'syncing', 'waiting']),
  server: z.string().nullable(),
  counts: QueueCountsSchema,
  uploads: z.array(UploadProgressSchema),
  lastSyncAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;
export const QueueItemSchema = z.object({
  seq: z.number().int(),
  mutationId: z.string(),
  entity: z.string(),
  entityId: z.string(),
  op: z.string(),
  /** What a person recognises: the letter's subject and agenda number. */
  title: z.string(),
  state: z.enum(['pending', 'in_progress', 'failed', 'rejected', 'done']),
  attempts: z.number().int(),
  createdAt: z.string(),
  problem: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  upload: UploadProgressSchema.nullable(),
  /** Whether "Ubah" applies: a rejected letter whose fields a person can correct. */
  editable: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;
const QueueSeq = z.object({ seq: z.number().int().min(1) }).strict();
/** The letter fields the server checks, correctable from Antrian Sinkron before sending again. */
export const QueueEditSchema = z.object({
  seq: z.number().int().min(1),
  changes: z.object({
    letterNumber: z.string().trim().min(1, 'Nomor surat wajib diisi').max(200).optional(),
    letterDate: z.iso.date({ error: 'Tanggal surat harus berformat TTTT-BB-HH' }).optional(),
    sender: z.string().trim().min(1, 'Pengirim wajib diisi').max(500).optional(),
    subject: z.string().trim().min(1, 'Perihal wajib diisi').max(1000).optional(),
    summary: z.string().trim().max(5000).optional(),
  }).strict(),
}).strict();

// ── Surat masuk: registering incoming letters, search, agenda book (main/letters) ──────────────

/** The 11 official document types of the regulations, plus "lainnya". */
export const documentTypes = [
  'telaah_staf', 'nota_dinas_dalam', 'nota_dinas', 'surat_keterangan_kerja', 'surat_perintah', 'surat_umum',
  'surat_keterangan', 'surat_pengantar', 'surat_biasa', 'surat_gaji_berkala', 'surat_pernyataan_melaksanakan_tugas', 'lainnya',
] as const;
export const UrgencySchema = z.enum(['biasa', 'segera', 'sangat_segera']);
export const SecuritySchema = z.enum(['biasa', 'terbatas', 'rahasia']);
export const IncomingStatusSchema = z.enum(['registered', 'in_disposition', 'done']);

const isoDate = (what: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${what} harus berupa tanggal (tttt-bb-hh)`).refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, `${what} bukan tanggal yang ada di kalender`);

/** A document id: the SHA-256 of an imported file or of a saved scan's PDF. */
export const DocumentIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'Dokumen surat belum dipilih atau tidak dikenal');

/** The agenda fields a clerk fills in (Catat). Cross-field rules (dates) are checked by main/letters. */
export const IncomingLetterFieldsSchema = z.object({
  receivedDate: isoDate('Tanggal terima'),
  letterNumber: z.string().trim().min(1, 'Nomor surat wajib diisi').max(120, 'Nomor surat paling panjang 120 karakter'),
  letterDate: isoDate('Tanggal surat'),
  sender: z.string().trim().min(1, 'Pengirim wajib diisi').max(200, 'Pengirim paling panjang 200 karakter'),
  addressee: z.string().trim().max(200, 'Tujuan paling panjang 200 karakter'),
  subject: z.string().trim().min(1, 'Perihal wajib diisi').max(500, 'Perihal paling panjang 500 karakter'),
  summary: z.string().trim().max(2000, 'Ringkasan paling panjang 2000 karakter'),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classificationCode: z.string().trim().regex(/^\d{3}(\.\d+)*$/, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1.2'),
  documentType: z.enum(documentTypes, { error: 'Pilih jenis naskah dari daftar' }),
  attachmentCount: z.number({ error: 'Jumlah lampiran harus berupa angka' }).int('Jumlah lampiran harus bilangan bulat').min(0, 'Jumlah lampiran tidak boleh negatif').max(999, 'Jumlah lampiran paling banyak 999'),
});
export type IncomingLetterFields = z.infer<typeof IncomingLetterFieldsSchema>;

export const IncomingLetterSchema = z.object({
  id: z.string(),
  status: IncomingStatusSchema,
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  receivedDate: z.string().nullable(),
  letterNumber: z.string().nullable(),
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classificationCode: z.string().nullable(),
  documentType: z.string().nullable(),
  attachmentCount: z.number().int(),
  documentHash: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IncomingLetter = z.infer<typeof IncomingLetterSchema>;

/** An earlier entry that may be the same letter: shown as a warning with a link, never a refusal. */
export const DuplicateWarningSchema = z.object({
  reason: z.enum(['same-number', 'similar-text']),
  letterId: z.string(),
  agendaLabel: z.string().nullable(),
  receivedDate: z.string().nullable(),
  subject: z.string(),
  sender: z.string(),
});
export type DuplicateWarning = z.infer<typeof DuplicateWarningSchema>;

const ProposalSchema = z.object({ status: z.literal('proposed'), value: z.string(), confidence: z.number(), evidence: z.string() });
export const LetterProposalsSchema = z.object({
  number: ProposalSchema.optional(),
  date: ProposalSchema.optional(),
  subject: ProposalSchema.optional(),
  sender: ProposalSchema.optional(),
});
export type LetterProposalsReply = z.infer<typeof LetterProposalsSchema>;

export const ImportedDocumentSchema = z.object({
  documentId: z.string(),
  displayName: z.string(),
  pageCount: z.number().int(),
  /** Set when these exact bytes are already an agenda entry. */
  registeredAs: z.object({ letterId: z.string(), agendaLabel: z.string().nullable() }).nullable(),
});

export const IncomingSearchSchema = z.object({
  text: z.string().max(500).optional(),
  receivedFrom: isoDate('Tanggal awal').optional(),
  receivedTo: isoDate('Tanggal akhir').optional(),
  urgency: UrgencySchema.optional(),
  security: SecuritySchema.optional(),
  classification: z.string().regex(/^\d{1,3}(\.\d+)*$/, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1').optional(),
  status: IncomingStatusSchema.optional(),
  limit: z.number().int().min(1).max(500).optional(),
}).strict();

export const ClassificationSchema = z.object({
  code: z.string().trim().regex(/^\d{3}(\.\d+)*$/, 'Kode klasifikasi berbentuk angka seperti 005 atau 800.1.2'),
  name: z.string().trim().min(1, 'Nama klasifikasi wajib diisi').max(200, 'Nama klasifikasi paling panjang 200 karakter'),
});

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Isi berkas tidak terbaca');

export const incomingLetterChannels = {
  /** One piece of a file picked or dropped in the renderer (which has no file paths); ≤ 4 MB each. */
  'letters.upload': {
    request: z.object({ uploadId: z.uuid(), offset: z.number().int().min(0), chunk: Base64Schema.max(6_000_000) }).strict(),
    reply: z.object({ received: z.number().int() }),
  },
  /** Imports an upload (checked by content) as a document. */
  'letters.import': { request: z.object({ uploadId: z.uuid(), name: z.string().max(1000) }).strict(), reply: ImportedDocumentSchema },
  /** A stored document (a saved scan, an earlier import) described like an import, to register it by id. */
  'letters.document': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: ImportedDocumentSchema },
  /** OCR of page 1 in the worker, then proposals for the form; the text is kept for search. */
  'letters.propose': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: LetterProposalsSchema },
  'letters.duplicates': {
    request: z.object({ documentId: DocumentIdSchema, sender: z.string().max(200), letterNumber: z.string().max(120) }).strict(),
    reply: z.array(DuplicateWarningSchema),
  },
  'letters.register': {
    request: z.object({ documentId: DocumentIdSchema, fields: IncomingLetterFieldsSchema }).strict(),
    reply: z.object({ letter: IncomingLetterSchema, warnings: z.array(DuplicateWarningSchema) }),
  },
  'letters.update': {
    request: z.object({ id: z.string().length(36), fields: IncomingLetterFieldsSchema.partial() }).strict(),
    reply: IncomingLetterSchema,
  },
  'letters.search': { request: IncomingSearchSchema, reply: z.array(IncomingLetterSchema) },
  'letters.get': { request: z.object({ id: z.string().length(36) }).strict(), reply: IncomingLetterSchema },
  /** The letter's PDF (or a just-imported document's), base64: the browser host serves only the renderer. */
  'letters.pdf': { request: z.object({ documentId: DocumentIdSchema }).strict(), reply: z.object({ pdf: z.string() }) },
  'letters.senders': { request: z.object({ prefix: z.string().max(200) }).strict(), reply: z.array(z.string()) },
  'letters.classifications': { request: z.object({ query: z.string().max(200) }).strict(), reply: z.array(ClassificationSchema) },
  'letters.classification.save': { request: ClassificationSchema.strict(), reply: ClassificationSchema },
  /** The agenda book of a date range as a PDF (A4 landscape), base64. */
  'letters.agendaBook': {
    request: z.object({ from: isoDate('Tanggal awal'), to: isoDate('Tanggal akhir') }).strict(),
    reply: z.object({ pdf: z.string(), fileName: z.string(), entries: z.number().int() }),
  },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Surat masuk ─────────────────────────────────────────────────────────────────────────

// ── Pengaturan: agenda number format and classification list (main/letters/agenda-settings.ts) ──
/** The agency's incoming agenda number format; main checks that the template parses and holds {urut}. */
export const AgendaConfigSchema = z.object({
  template: z.string().trim().min(1, 'Format nomor agenda wajib diisi, misalnya {urut:4}/{kode_unit}/{tahun}.').max(120, 'Format nomor agenda paling panjang 120 karakter.'),
  unitCode: z.string().trim().min(1, 'Kode unit wajib diisi, misalnya UMUM.').max(20, 'Kode unit paling panjang 20 karakter.')
    .regex(/^[^\s{}]+$/, 'Kode unit tidak boleh memuat spasi atau tanda { }; misalnya UMUM atau SEKR-UMUM.'),
});
export type AgendaConfig = z.infer<typeof AgendaConfigSchema>;
export const AgendaSettingsSchema = z.object({
  config: AgendaConfigSchema,
  /** Whether the person at the desk may change the format and the classification list (see agenda-settings.ts). */
  editable: z.boolean(),
});
export const agendaSettingsChannels = {
  'letters.agendaConfig': { request: Empty, reply: AgendaSettingsSchema },
  'letters.agendaConfig.save': { request: AgendaConfigSchema.strict(), reply: AgendaSettingsSchema },
  /** The label the next registered letter would get with this format (nothing is saved or taken). */
  'letters.agendaConfig.preview': {
    request: AgendaConfigSchema.strict(),
    reply: z.object({ label: z.string(), sampleClassification: z.string().nullable(), numbersHeld: z.boolean() }),
  },
  /** A new classification code; one the list already has is refused (its name is changed with letters.classification.save). */
  'letters.classification.add': { request: ClassificationSchema.strict(), reply: ClassificationSchema },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Pengaturan: agenda ──────────────────────────────────────────────────────────────────

// ── Kiriman antarkantor: letters delivered between offices (main/letters/deliveries.ts) ───────
export const OfficeSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
export const DeliveryOfficesSchema = z.object({
  /** The region's other offices (this one left out), from GET /org or, offline, as last fetched. */
  offices: z.array(OfficeSchema),
  /** When the list was fetched from the server; null when it never was. */
  fetchedAt: z.string().nullable(),
  /** Why the person at the desk may not send letters to other offices; null when they may. */
  refusal: IpcErrorSchema.nullable(),
});
export const SentDeliverySchema = z.object({
  officeId: z.string(),
  officeName: z.string(),
  /** waiting: still in the outbox; sent: the server delivered it; rejected: the server refused (see Antrian Sinkron); discarded by a person. */
  state: z.enum(['waiting', 'sent', 'rejected', 'discarded']),
  problem: z.string().nullable(),
  requestedAt: z.string(),
});
export const ReceivedDeliverySchema = z.object({
  letterId: z.string(),
  fromOfficeId: z.string(),
  fromOfficeName: z.string(),
  deliveredAt: z.string(),
  letterNumber: z.string(),
  letterDate: z.string(),
  subject: z.string(),
  summary: z.string(),
  urgency: UrgencySchema,
  security: SecuritySchema,
  classification: z.string(),
  /** The sending office's agenda entry, e.g. "12/2026". */
  senderAgenda: z.string(),
  hasDocument: z.boolean(),
  /** The local agenda entry that registered it; null while it waits. */
  registeredAs: z.string().nullable(),
});
export type ReceivedDelivery = z.infer<typeof ReceivedDeliverySchema>;
const LetterIdSchema = z.object({ letterId: z.string().length(36) }).strict();
export const deliveryChannels = {
  'deliveries.offices': { request: Empty, reply: DeliveryOfficesSchema },
  /** Sends a registered letter to other offices: written to the outbox, sent by the next sync after the letter itself. */
  'deliveries.send': {
    request: z.object({ letterId: z.string().length(36), toOfficeIds: z.array(z.string().min(1).max(100)).min(1, 'Pilih paling sedikit satu kantor tujuan').max(100) }).strict(),
    reply: z.array(SentDeliverySchema),
  },
  'deliveries.sent': { request: LetterIdSchema, reply: z.array(SentDeliverySchema) },
  /** Letters other offices sent here and not registered here yet. */
  'deliveries.received': { request: Empty, reply: z.array(ReceivedDeliverySchema) },
  /** One delivered letter with its PDF downloaded into this desk's document store (resumed where a cut left it). */
  'deliveries.open': { request: LetterIdSchema, reply: z.object({ delivery: ReceivedDeliverySchema, document: ImportedDocumentSchema }) },
  /** Registers a delivered letter in this office's agenda (own agenda number, normal registration) and remembers which it was. */
  'deliveries.register': {
    request: z.object({ letterId: z.string().length(36), documentId: DocumentIdSchema, fields: IncomingLetterFieldsSchema }).strict(),
    reply: z.object({ letter: IncomingLetterSchema, warnings: z.array(DuplicateWarningSchema) }),
  },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Kiriman antarkantor ─────────────────────────────────────────────────────────────────

// ── Surat Keluar (main/letters/outgoing.ts): the office's outgoing letters, listed and opened ────
export const OutgoingLetterSchema = z.object({
  id: z.string(),
  /** siap ditandatangani (ready_to_sign) → ditandatangani (signed) → terkirim (sent); draft and in_verification come with drafting. */
  status: z.enum(['draft', 'in_verification', 'ready_to_sign', 'signed', 'sent']),
  /** Given from the outgoing book when the letter is signed; null before. */
  agendaNumber: z.number().int().nullable(),
  agendaYear: z.number().int().nullable(),
  agendaLabel: z.string().nullable(),
  letterNumber: z.string().nullable(),
  /** The day it was signed and numbered (YYYY-MM-DD); null before. */
  letterDate: z.string().nullable(),
  sender: z.string(),
  addressee: z.string(),
  subject: z.string(),
  documentHash: z.string().nullable(),
  createdAt: z.string(),
});
export type OutgoingLetter = z.infer<typeof OutgoingLetterSchema>;
export const outgoingChannels = {
  /** The office's outgoing letters, newest first. */
  'outgoing.list': { request: Empty, reply: z.array(OutgoingLetterSchema) },
  'outgoing.get': { request: z.object({ id: z.string().length(36) }).strict(), reply: OutgoingLetterSchema },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Surat Keluar ─────────────────────────────────────────────────────────────────────────

// ── Penerima di luar sistem (main/letters/external.ts): a letter by email or on paper ─────────────
export const ExternalAddresseeInputSchema = z.object({
  name: z.string().max(500),
  channel: z.enum(['email', 'print']),
  email: z.string().max(500).optional(),
}).strict();
export type ExternalAddresseeInput = z.infer<typeof ExternalAddresseeInputSchema>;
export const ExternalAddresseeSchema = z.object({
  id: z.string(),
  letterId: z.string(),
  letterSubject: z.string(),
  letterNumber: z.string().nullable(),
  name: z.string(),
  channel: z.enum(['email', 'print']),
  email: z.string().nullable(),
  /** null while the letter must still go out to this addressee. */
  sentAt: z.string().nullable(),
  /** false while this desk's request waits for sync. */
  synced: z.boolean(),
  problem: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type ExternalAddressee = z.infer<typeof ExternalAddresseeSchema>;
const ExternalLetterSchema = z.object({ letterId: z.string().length(36) }).strict();
export const externalChannels = {
  'external.list': { request: ExternalLetterSchema, reply: z.array(ExternalAddresseeSchema) },
  /** Every addressee of the office's letters that must still go out (Perlu dikirim di luar sistem). */
  'external.pending': { request: Empty, reply: z.array(ExternalAddresseeSchema) },
  'external.add': {
    request: z.object({ letterId: z.string().length(36), addressees: z.array(ExternalAddresseeInputSchema).min(1, 'Tambahkan paling sedikit satu penerima').max(50) }).strict(),
    reply: z.array(ExternalAddresseeSchema),
  },
  'external.markSent': { request: z.object({ letterId: z.string().length(36), externalId: z.string().length(36) }).strict(), reply: z.array(ExternalAddresseeSchema) },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Penerima di luar sistem ──────────────────────────────────────────────────────────────

// --- Scanning at the desk (main/scan, Pindai screen) ---
export const ScanSourceSchema = z.enum(['flatbed', 'adf', 'duplex']);
export type ScanSource = z.infer<typeof ScanSourceSchema>;
export const ScanModeSchema = z.enum(['color', 'gray', 'lineart']);
export type ScanMode = z.infer<typeof ScanModeSchema>;
export const PaperSizeSchema = z.enum(['a4', 'f4', 'letter', 'legal']);
export type PaperSize = z.infer<typeof PaperSizeSchema>;
export const ScanSettingsSchema = z.object({
  source: ScanSourceSchema,
  mode: ScanModeSchema,
  resolution: z.number().int().min(50, 'Resolusi paling rendah 50 dpi').max(1200, 'Resolusi paling tinggi 1200 dpi'),
  paperSize: PaperSizeSchema,
}).strict();
export type ScanSettings = z.infer<typeof ScanSettingsSchema>;
/** A scanner as the Pindai screen offers it: what it can do, in the desk's own terms. */
export const ScannerChoiceSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** SANE's test backend standing in for missing hardware ("Pemindai uji (demo)"). */
  demo: z.boolean(),
  sources: z.array(ScanSourceSchema),
  modes: z.array(ScanModeSchema),
  resolutions: z.array(z.number().int()),
});
export type ScannerChoice = z.infer<typeof ScannerChoiceSchema>;
export const ScanProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  settings: ScanSettingsSchema,
  lastUsedAt: z.string().nullable(),
});
export type ScanProfile = z.infer<typeof ScanProfileSchema>;
export const ScanProfileInputSchema = z.object({
  /** Absent: a new profile. */
  id: z.string().min(1).optional(),
  name: z.string().trim().min(1, 'Nama profil wajib diisi').max(80, 'Nama profil paling panjang 80 karakter'),
  settings: ScanSettingsSchema,
}).strict();
export const ScanPageSchema = z.object({
  id: z.string(),
  /** Clockwise quarter turn applied when shown and saved. */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  blank: z.boolean(),
  colour: z.boolean(),
  /** Left out of the letter: detected blank, or deleted by the clerk. Either can be restored. */
  excluded: z.enum(['blank', 'deleted']).nullable(),
  /** A new letter begins at this page when the stack is saved as several letters. */
  startsLetter: z.boolean(),
});
export type ScanPage = z.infer<typeof ScanPageSchema>;
export const ScanFaultSchema = z.object({ code: ErrorCodeSchema, message: z.string(), pagesKept: z.number().int().nonnegative() });
export type ScanFault = z.infer<typeof ScanFaultSchema>;
export const ScanSessionSchema = z.object({
  id: z.string(),
  scanning: z.object({ scanId: z.string(), device: z.string(), page: z.number().int(), fraction: z.number().min(0).max(1).nullable() }).nullable(),
  pages: z.array(ScanPageSchema),
  fault: ScanFaultSchema.nullable(),
});
export type ScanSession = z.infer<typeof ScanSessionSchema>;
const ScanPageRef = z.object({ pageId: z.string().min(1) }).strict();
export const ScanPlacementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('append') }).strict(),
  z.object({ kind: z.literal('insert'), before: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('replace'), pageId: z.string().min(1) }).strict(),
]);
export type ScanPlacement = z.infer<typeof ScanPlacementSchema>;
export const SavedScanLetterSchema = z.object({
  /** The document id (SHA-256 of the PDF) the letters register refers to. */
  documentId: z.string(),
  pageCount: z.number().int().positive(),
  byteSize: z.number().int().nonnegative(),
  /** These exact bytes were stored before (the same pages saved twice). */
  existed: z.boolean(),
});

export const scanChannels = {
  'scan.scanners': { request: Empty, reply: z.array(ScannerChoiceSchema) },
  'scan.profiles.list': { request: Empty, reply: z.object({ profiles: z.array(ScanProfileSchema), lastUsedId: z.string().nullable() }) },
  'scan.profiles.save': { request: ScanProfileInputSchema, reply: ScanProfileSchema },
  'scan.session.get': { request: Empty, reply: z.object({ session: ScanSessionSchema, thumbnails: z.record(z.string(), z.string()) }) },
  /** Starts a scan and answers at once; pages, progress and a fault arrive as scan.* events. */
  'scan.start': {
    request: z.object({ device: z.string().min(1, 'Pilih pemindai'), settings: ScanSettingsSchema, profileId: z.string().min(1).optional(), placement: ScanPlacementSchema.default({ kind: 'append' }) }).strict(),
    reply: z.object({ scanId: z.string() }),
  },
  'scan.cancel': { request: Empty, reply: z.object({ cancelled: z.boolean() }) },
  'scan.page.move': { request: ScanPageRef.extend({ toIndex: z.number().int().nonnegative() }).strict(), reply: ScanSessionSchema },
  'scan.page.rotate': { request: ScanPageRef.extend({ turn: z.enum(['left', 'right']) }).strict(), reply: ScanSessionSchema },
  'scan.page.delete': { request: ScanPageRef, reply: ScanSessionSchema },
  'scan.page.restore': { request: ScanPageRef, reply: ScanSessionSchema },
  'scan.letter.split': { request: ScanPageRef.extend({ startsLetter: z.boolean() }).strict(), reply: ScanSessionSchema },
  /** A new letter begins after every blank separator sheet. */
  'scan.letter.splitAtBlanks': { request: Empty, reply: ScanSessionSchema },
  /** One PDF per letter into the document store; answers once every file is fsynced and its row committed. */
  'scan.save': { request: z.object({ title: z.string().trim().max(200).optional() }).strict(), reply: z.object({ letters: z.array(SavedScanLetterSchema) }) },
  'scan.discard': { request: Empty, reply: ScanSessionSchema },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of Pindai ──────────────────────────────────────────────────────────────────────────────

// ── Pindai: JPG per page (main/scan; one regulation asks for a JPG of each page) ───────────────
export const scanJpegChannels = {
  /** One kept page as a JPG file at its scan resolution, turned as the clerk sees it; named by its place in the stack (halaman-3.jpg). */
  'scan.page.jpeg': { request: ScanPageRef, reply: z.object({ fileName: z.string().min(1), jpeg: z.string().min(1) }) },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;
// ── end of JPG per page ────────────────────────────────────────────────────────────────────────

// ── Tanda Tangan: tokens, signing letters, checking signatures (main/sign) ─────────────────────

const TokenFlagsSchema = z.object({
  loginRequired: z.boolean(), pinInitialized: z.boolean(), pinCountLow: z.boolean(),
  pinFinalTry: z.boolean(), pinLocked: z.boolean(), pinToBeChanged: z.boolean(),
});
export const TokenSummarySchema = z.object({ label: z.string(), serial: z.string(), manufacturer: z.string(), model: z.string(), flags: TokenFlagsSchema });
export type TokenSummaryView = z.infer<typeof TokenSummarySchema>;
export const TokensStateSchema = z.object({
  /** The PKCS#11 module in use, null when none is installed or configured. */
  modulePath: z.string().nullable(),
  modules: z.array(z.object({ name: z.string(), path: z.string() })),
  tokens: z.array(TokenSummarySchema),
  /** Why no token can be listed (module missing, worker down), in Bahasa Indonesia. */
  problem: IpcErrorSchema.nullable(),
  /** The SoftHSM demo token: offered when no real token driver is installed; its PIN is shown. */
  demo: z.object({ possible: z.boolean(), active: z.boolean(), pin: z.string().nullable() }),
});
export type TokensState = z.infer<typeof TokensStateSchema>;
export const CertificateViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  subject: z.string(),
  commonName: z.string(),
  /** NIK/NIP that Indonesian CAs often put in the subject's serialNumber. */
  subjectSerialNumber: z.string().nullable(),
  issuer: z.string(),
  issuerCommonName: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  keyUsage: z.array(z.string()).nullable(),
  fingerprintSha256: z.string(),
  alwaysAuthenticate: z.boolean(),
  /** Why this certificate may not sign (expired, not yet valid, not for signing, no key); null when it may. */
  refusal: IpcErrorSchema.nullable(),
});
export type CertificateView = z.infer<typeof CertificateViewSchema>;
export const SignerIdentitySchema = z.object({
  /** The signed-in official; null on a desk without accounts. */
  user: z.object({ name: z.string(), nip: z.string().nullable(), position: z.string().nullable() }).nullable(),
  /** Why this person may not sign here; null when they may. */
  refusal: IpcErrorSchema.nullable(),
});
export const LetterToSignSchema = z.object({
  id: z.string(), subject: z.string(), addressee: z.string(), createdAt: z.string(), pageCount: z.number().int().nullable(),
});
export const LetterResultSchema = z.object({
  letterId: z.string(),
  subject: z.string(),
  outcome: z.enum(['signed', 'failed', 'waiting']),
  level: z.enum(['B-B', 'B-T', 'B-LT']).nullable(),
  error: IpcErrorSchema.nullable(),
});
export type LetterResultView = z.infer<typeof LetterResultSchema>;
export const SignatureReportSchema = z.object({
  fieldName: z.string().nullable(),
  signer: z.object({ commonName: z.string(), subjectSerialNumber: z.string().nullable(), issuerCommonName: z.string(), validFrom: z.string(), validTo: z.string() }).nullable(),
  signingTime: z.string().nullable(),
  integrity: z.enum(['intact', 'modified', 'unsupported']),
  coverage: z.enum(['whole', 'signed-later', 'unsigned-additions']),
  trust: z.enum(['trusted', 'untrusted']),
  timestamp: z.object({ time: z.string(), authority: z.string().nullable(), intact: z.boolean(), trust: z.enum(['trusted', 'untrusted']) }).nullable(),
  revocation: z.object({ status: z.enum(['good', 'revoked', 'unknown', 'not-checked']), producedAt: z.string().nullable() }),
  problems: z.array(z.string()),
});
export const ValidationReportSchema = z.object({ fileName: z.string(), documentHash: z.string(), signatures: z.array(SignatureReportSchema), valid: z.boolean() });
export type ValidationReportView = z.infer<typeof ValidationReportSchema>;
const PdfBase64Schema = z.string().min(1, 'Berkas PDF kosong').max(70_000_000, 'Berkas terlalu besar (paling besar 50 MB)').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Isi berkas tidak terbaca');

export const signingChannels = {
  /** The module, the tokens present now; starts watching for insertion and removal (sign.tokens.changed). */
  'sign.tokens': { request: Empty, reply: TokensStateSchema },
  /** Makes the demo token (no real token driver installed); answers the tokens state with it. */
  'sign.demo.create': { request: Empty, reply: TokensStateSchema },
  /** C_Login with the PIN typed just now; the PIN is passed on once and kept nowhere. */
  'sign.login': {
    request: z.object({ serial: z.string().min(1), pin: z.string().min(1, 'PIN wajib diisi').max(64) }).strict(),
    reply: z.object({ sessionId: z.string(), token: TokenSummarySchema, certificates: z.array(CertificateViewSchema) }),
  },
  'sign.logout': { request: z.object({ sessionId: z.string() }).strict(), reply: z.null() },
  'sign.identity': { request: Empty, reply: SignerIdentitySchema },
  'sign.letters': { request: Empty, reply: z.array(LetterToSignSchema) },
  /** Signs the letters in order; progress arrives as sign.progress events. `pin` only for keys that ask at every signature. */
  'sign.batch': {
    request: z.object({ sessionId: z.string(), certificateId: z.string(), letterIds: z.array(z.string().length(36)).min(1, 'Pilih paling sedikit satu surat').max(500), pin: z.string().min(1).max(64).optional() }).strict(),
    reply: z.object({ results: z.array(LetterResultSchema) }),
  },
  /** Imports a PDF as an outgoing letter addressed to a signing official: it is then ready to sign. */
  'sign.outgoing.import': {
    request: z.object({
      pdf: PdfBase64Schema, fileName: z.string().max(255),
      subject: z.string().trim().min(1, 'Perihal wajib diisi').max(500, 'Perihal paling panjang 500 karakter'),
      addressee: z.string().trim().min(1, 'Tujuan wajib diisi').max(200, 'Tujuan paling panjang 200 karakter'),
      signer: z.string().trim().min(1, 'Pilih pejabat penandatangan').max(200),
      /** Kode klasifikasi arsip (as in Catat); required by main when the number template prints {klasifikasi}. */
      classificationCode: IncomingLetterFieldsSchema.shape.classificationCode.optional(),
    }).strict(),
    reply: LetterToSignSchema,
  },
  /** Checks every signature of a dropped PDF (Periksa). */
  'sign.validate': { request: z.object({ pdf: PdfBase64Schema, fileName: z.string().max(255) }).strict(), reply: ValidationReportSchema },
  /** The report of sign.validate as a PDF to save (base64). */
  'sign.report.pdf': { request: z.object({ report: ValidationReportSchema }).strict(), reply: z.object({ pdf: z.string(), fileName: z.string() }) },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;

export const signingEvents = {
  'sign.tokens.changed': TokensStateSchema,
  'sign.progress': z.object({ done: z.number().int(), total: z.number().int(), result: LetterResultSchema }),
} as const satisfies Record<string, z.ZodType>;
// ── end of Tanda Tangan ────────────────────────────────────────────────────────────────────────

/** Every channel the renderer may invoke. Adding one here forces a handler (see router.ts). */
export const channels = {
  'app.info': { request: Empty, reply: AppInfoSchema },
  'dashboard.get': { request: Empty, reply: DashboardSchema },
  'settings.get': { request: Empty, reply: SettingsSchema },
  'settings.update': { request: SettingsSchema.partial().strict(), reply: SettingsSchema },
  'connectivity.get': { request: Empty, reply: ConnectivitySchema },
  'devices.status': { request: Empty, reply: DeviceWorkerStatusSchema },
  ...signingChannels,
  // Sign-in and sync (main/auth, main/sync)
  'auth.session': { request: Empty, reply: DeskSessionSchema },
  'auth.login': { request: LoginRequestSchema, reply: DeskSessionSchema },
  'auth.logout': { request: Empty, reply: DeskSessionSchema },
  'sync.status': { request: Empty, reply: SyncStatusSchema },
  'sync.now': { request: Empty, reply: SyncStatusSchema },
  'sync.queue': { request: Empty, reply: z.object({ items: z.array(QueueItemSchema) }) },
  'sync.retry': { request: QueueSeq, reply: QueueItemSchema },
  'sync.discard': { request: QueueSeq, reply: QueueItemSchema },
  'sync.edit': { request: QueueEditSchema, reply: QueueItemSchema },
  ...incomingLetterChannels,
  ...agendaSettingsChannels,
  ...scanChannels,
  ...scanJpegChannels,
  ...deliveryChannels,
  ...outgoingChannels,
  ...externalChannels,
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
  ...signingEvents,
  // Sign-in and sync (main/auth, main/sync)
  'auth.changed': DeskSessionSchema,
  'sync.changed': SyncStatusSchema,
  // Scanning at the desk (main/scan): each page arrives with its thumbnail (a data: URL)
  'scan.changed': ScanSessionSchema,
  'scan.page': z.object({ pageId: z.string(), thumbnail: z.string() }),
  'scan.progress': z.object({ scanId: z.string(), page: z.number().int(), fraction: z.number().min(0).max(1).nullable() }),
  'scan.fault': ScanFaultSchema,
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
