// The desk's settings: one row per key, JSON values, defaults for whatever was never set. The shape
// and the rules (common/ipc/app.ts) are checked on the way in and again on the way out, so a
// value damaged on disk falls back to its default instead of breaking the app.
import { SettingsSchema, type Settings } from '../../common/ipc/app.ts';
import { AppError } from '../../common/errors.ts';
import type { RepositoryContext } from './store.ts';

const defaultSettings: Readonly<Settings> = Object.freeze({ language: 'id', deskName: 'Meja Loket', officeName: '', timeZone: 'Asia/Jakarta', serverUrl: '', tokenModulePath: '', tsaUrl: '', ocspUrl: '', verifyUrl: '', cscUrl: '', bsreUrl: '', signingMethods: {} });

export interface SettingsRepository {
  get(): Settings;
  /** Saves the changed keys and records who changed what in the audit log, in one transaction. */
  update(patch: Partial<Settings>, actor: string): Settings;
}

const patchSchema = SettingsSchema.partial().strict();

export function settingsRepository(ctx: Omit<RepositoryContext, 'outbox'>): SettingsRepository {
  const { audit } = ctx;
  const { db } = ctx;
  const selectAll = db.prepare('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');

  function get(): Settings {
    const settings: Record<string, unknown> = { ...defaultSettings };
    for (const { key, value } of selectAll.all() as { key: string; value: string }[]) {
      if (!Object.hasOwn(SettingsSchema.shape, key)) continue;
      const parsed = SettingsSchema.shape[key as keyof Settings].safeParse(JSON.parse(value));
      if (parsed.success) settings[key] = parsed.data;
      else ctx.log.warn('store: stored setting is invalid; using the default', { key });
    }
    return settings as Settings;
  }

  const update = db.transaction((patch: Partial<Settings>, actor: string): Settings => {
    const parsed = patchSchema.safeParse(patch);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new AppError('VALIDATION', first ? `Pengaturan tidak disimpan: ${first.message}` : undefined, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const before = get();
    const at = ctx.now().toISOString();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(parsed.data) as [keyof Settings, unknown][]) {
      if (value === undefined || value === before[key]) continue;
      upsert.run(key, JSON.stringify(value), at);
      changed[key] = { from: before[key], to: value };
    }
    if (Object.keys(changed).length === 0) return before;
    audit.append({ actor, action: 'settings.updated', entity: 'settings', details: { changed } });
    return get();
  });

  return { get, update: (patch, actor) => update.immediate(patch, actor) };
}
