// The desk's named scan profiles ("Surat biasa: ADF dupleks 200 dpi"), which one was used last,
// and which scanner.
// Each profile is one row of the key/value settings table (key `scan.profile:<id>`, JSON value):
// the settings repository ignores keys it does not know, and profiles need no query but "all".
// A row damaged on disk is skipped with a warning instead of breaking the Pindai screen.
import { ScanProfileSchema, type ScanProfile, type ScanSettings } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import { uuidv7 } from '../../common/ids.ts';
import type { RepositoryContext } from './store.ts';

const keyPrefix = 'scan.profile:';
const lastScannerKey = 'scan.lastScanner';

/** What a fresh desk offers, until the clerk saves profiles of their own. */
export const defaultScanProfiles: readonly ScanProfile[] = Object.freeze([
  { id: 'surat-biasa', name: 'Surat biasa: ADF dupleks 200 dpi', settings: { source: 'duplex', mode: 'gray', resolution: 200, paperSize: 'a4' }, lastUsedAt: null },
  { id: 'lampiran-berwarna', name: 'Lampiran berwarna 300 dpi', settings: { source: 'flatbed', mode: 'color', resolution: 300, paperSize: 'a4' }, lastUsedAt: null },
]);

export interface ScanProfilesRepository {
  /** Every profile by name; the defaults stand in for profiles never saved on this desk. */
  list(): { profiles: ScanProfile[]; lastUsedId: string | null };
  /** Creates (no id) or updates a profile; names are unique per desk. */
  save(input: { id?: string | undefined; name: string; settings: ScanSettings }, actor: string): ScanProfile;
  /** Remembers that a scan just used this profile. Unknown ids are ignored (the profile may have been removed). */
  markUsed(id: string): void;
  /** The scanner (its id) the desk scanned with last, offered first next time; null before the first scan. */
  lastScanner(): string | null;
  markScannerUsed(deviceId: string): void;
}

export function scanProfilesRepository(ctx: Omit<RepositoryContext, 'outbox'>): ScanProfilesRepository {
  const { audit } = ctx;
  const { db } = ctx;
  const selectAll = db.prepare(`SELECT key, value FROM settings WHERE key >= '${keyPrefix}' AND key < '${keyPrefix}\uffff'`);
  const selectLastScanner = db.prepare(`SELECT value FROM settings WHERE key = '${lastScannerKey}'`);
  const upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');

  function all(): ScanProfile[] {
    const saved = new Map<string, ScanProfile>();
    for (const row of selectAll.all() as { key: string; value: string }[]) {
      const parsed = ScanProfileSchema.safeParse(JSON.parse(row.value));
      if (parsed.success) saved.set(parsed.data.id, parsed.data);
      else ctx.log.warn('store: stored scan profile is invalid; skipped', { key: row.key });
    }
    for (const profile of defaultScanProfiles) if (!saved.has(profile.id)) saved.set(profile.id, profile);
    return [...saved.values()].sort((a, b) => a.name.localeCompare(b.name, 'id'));
  }

  const write = (profile: ScanProfile) => upsert.run(keyPrefix + profile.id, JSON.stringify(profile), ctx.now().toISOString());

  const save = db.transaction((input: { id?: string | undefined; name: string; settings: ScanSettings }, actor: string): ScanProfile => {
    const profiles = all();
    const existing = input.id === undefined ? undefined : profiles.find((p) => p.id === input.id);
    if (input.id !== undefined && existing === undefined) throw new AppError('NOT_FOUND', 'Profil pindai ini tidak ditemukan (mungkin sudah dihapus). Simpan sebagai profil baru.', { id: input.id });
    const name = input.name.trim();
    if (profiles.some((p) => p.id !== input.id && p.name.localeCompare(name, 'id', { sensitivity: 'base' }) === 0)) {
      throw new AppError('VALIDATION', `Nama profil "${name}" sudah dipakai. Pilih nama lain.`, { issues: [{ path: ['name'], message: 'Nama profil sudah dipakai' }] });
    }
    const profile: ScanProfile = { id: existing?.id ?? uuidv7(ctx.now().getTime()), name, settings: input.settings, lastUsedAt: existing?.lastUsedAt ?? null };
    write(profile);
    audit.append({ actor, action: existing ? 'scan-profile.updated' : 'scan-profile.created', entity: 'scan-profile', entityId: profile.id, details: { name, settings: input.settings } });
    return profile;
  });

  return {
    list() {
      const profiles = all();
      const lastUsed = profiles.reduce<ScanProfile | undefined>((best, p) => (p.lastUsedAt !== null && (best?.lastUsedAt ?? '') < p.lastUsedAt ? p : best), undefined);
      return { profiles, lastUsedId: lastUsed?.id ?? null };
    },
    save: (input, actor) => save.immediate(input, actor),
    markUsed(id) {
      const profile = all().find((p) => p.id === id);
      if (profile) write({ ...profile, lastUsedAt: ctx.now().toISOString() });
    },
    lastScanner() {
      const row = selectLastScanner.get() as { value: string } | undefined;
      const value: unknown = row === undefined ? null : JSON.parse(row.value);
      return typeof value === 'string' ? value : null;
    },
    markScannerUsed(deviceId) {
      upsert.run(lastScannerKey, JSON.stringify(deviceId), ctx.now().toISOString());
    },
  };
}
