// The network scanners a desk remembers (Pindai). Each scanner is one
// row of the key/value settings table (key `scan.network:<url>`, JSON value), like scan profiles:
// an office has a handful. A scanner found on the network is remembered once listed, so the desk
// asks it directly next time; over HTTPS the certificate it presented first is pinned then (trust
// on first use), and only a person may replace it. Every change is in the activity log.
import { NetworkScannerSchema, ScannerCertificateSchema, type NetworkScanner, type ScannerCertificate } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import type { RepositoryContext } from './store.ts';

const keyPrefix = 'scan.network:';

export interface SeenScanner {
  url: string;
  /** What it was listed as. */
  name: string;
  address: string;
  /** The certificate it presented over HTTPS (accepted: pinned already, or first use). */
  certificate: ScannerCertificate | null;
}

export interface NetworkScannersRepository {
  list(): NetworkScanner[];
  get(url: string): NetworkScanner | undefined;
  /** Remembers a scanner entered by hand (an existing one keeps its certificate and becomes manual). */
  add(input: { url: string; label: string | null; address: string }, actor: string): NetworkScanner;
  remove(url: string, actor: string): boolean;
  /** Records scanners just listed: new ones are remembered, a first certificate is pinned. */
  seen(scanners: SeenScanner[], actor: string): void;
  /** Pins the certificate a person checked and trusted, replacing the one before. */
  trust(url: string, certificate: ScannerCertificate, actor: string): NetworkScanner;
}

export function networkScannersRepository(ctx: Omit<RepositoryContext, 'outbox'>): NetworkScannersRepository {
  const { audit, db } = ctx;
  const selectAll = db.prepare(`SELECT key, value FROM settings WHERE key >= '${keyPrefix}' AND key < '${keyPrefix}\uffff' ORDER BY key`);
  const selectOne = db.prepare('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');

  function parse(key: string, value: string): NetworkScanner | undefined {
    const parsed = NetworkScannerSchema.safeParse(JSON.parse(value));
    if (parsed.success) return parsed.data;
    ctx.log.warn('store: stored network scanner is invalid; skipped', { key });
    return undefined;
  }

  function get(url: string): NetworkScanner | undefined {
    const row = selectOne.get(keyPrefix + url) as { value: string } | undefined;
    return row === undefined ? undefined : parse(keyPrefix + url, row.value);
  }

  const write = (scanner: NetworkScanner) => upsert.run(keyPrefix + scanner.url, JSON.stringify(scanner), ctx.now().toISOString());
  const pin = (certificate: ScannerCertificate, trustedBy: string) => ({ ...ScannerCertificateSchema.parse(certificate), trustedAt: ctx.now().toISOString(), trustedBy });

  const add = db.transaction((input: { url: string; label: string | null; address: string }, actor: string): NetworkScanner => {
    const existing = get(input.url);
    const scanner: NetworkScanner = existing
      ? { ...existing, label: input.label ?? existing.label, origin: 'manual' }
      : { url: input.url, label: input.label, name: input.label ?? input.address, address: input.address, origin: 'manual', certificate: null, lastSeenAt: null, addedAt: ctx.now().toISOString() };
    write(scanner);
    audit.append({ actor, action: 'scanner.network-added', entity: 'network-scanner', entityId: input.url, details: { label: input.label } });
    return scanner;
  });

  const forget = db.transaction((url: string, actor: string): boolean => {
    if (get(url) === undefined) return false;
    remove.run(keyPrefix + url);
    audit.append({ actor, action: 'scanner.network-removed', entity: 'network-scanner', entityId: url, details: {} });
    return true;
  });

  const seen = db.transaction((scanners: SeenScanner[], actor: string) => {
    const at = ctx.now().toISOString();
    for (const s of scanners) {
      const existing = get(s.url);
      const scanner: NetworkScanner = existing
        ? { ...existing, name: s.name, address: s.address, lastSeenAt: at }
        : { url: s.url, label: null, name: s.name, address: s.address, origin: 'found', certificate: null, lastSeenAt: at, addedAt: at };
      if (scanner.certificate === null && s.certificate !== null) {
        scanner.certificate = pin(s.certificate, 'first-use');
        audit.append({ actor, action: 'scanner.certificate-trusted', entity: 'network-scanner', entityId: s.url, details: { sha256: s.certificate.sha256, subject: s.certificate.subject, firstUse: true } });
      }
      write(scanner);
    }
  });

  const trust = db.transaction((url: string, certificate: ScannerCertificate, actor: string): NetworkScanner => {
    const existing = get(url);
    if (existing === undefined) throw new AppError('NOT_FOUND', 'Pemindai jaringan ini tidak diingat meja ini lagi. Cari pemindai lagi.', { url });
    const scanner: NetworkScanner = { ...existing, certificate: pin(certificate, actor) };
    write(scanner);
    audit.append({ actor, action: 'scanner.certificate-trusted', entity: 'network-scanner', entityId: url, details: { sha256: certificate.sha256, subject: certificate.subject, replaced: existing.certificate?.sha256 ?? null } });
    return scanner;
  });

  return {
    list: () => (selectAll.all() as { key: string; value: string }[]).flatMap((row) => parse(row.key, row.value) ?? []),
    get,
    add: (input, actor) => add.immediate(input, actor),
    remove: (url, actor) => forget.immediate(url, actor),
    seen: (scanners, actor) => {
      if (scanners.length > 0) seen.immediate(scanners, actor);
    },
    trust: (url, certificate, actor) => trust.immediate(url, certificate, actor),
  };
}
