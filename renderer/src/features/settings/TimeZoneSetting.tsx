// Pengaturan → "Zona waktu kantor": WIB, WITA or WIT, in which every date and time is shown and
// printed (lists, the stamp, Periksa, the buku agenda, lembar disposisi, reports). On a desk with a
// server it is the office's record on the server: only the admin kantor changes it (main refuses
// others too), and the change reaches every desk of the office at sync; a standalone desk's user may.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeTimeZone, Settings } from '../../../../common/ipc/app.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

const zones: OfficeTimeZone[] = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
const adminRoles: readonly string[] = ['admin_kantor', 'super_admin'];

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: IpcError };

export function TimeZoneSetting({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const session = useLive('auth.session', 'auth.changed');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const sync = useLive('sync.status', 'sync.changed');
  const withServer = (sync.value?.server ?? null) !== null;
  const mayChange = !withServer || (session.value?.user.roles.some((r) => adminRoles.includes(r)) ?? false);

  async function choose(zone: OfficeTimeZone) {
    setStatus({ kind: 'saving' });
    const result = await bridge.invoke('settings.update', { timeZone: zone });
    setStatus(result.ok ? { kind: 'saved' } : { kind: 'failed', error: result.error });
  }

  return (
    <section className="panel" aria-labelledby="time-zone-title" data-testid="time-zone-setting">
      <h2 id="time-zone-title">{t('pengaturan.timeZone.title')}</h2>
      <div className="field">
        <label htmlFor="setting-timeZone">{t('pengaturan.timeZone.label')}</label>
        <select id="setting-timeZone" value={settings.timeZone} disabled={!mayChange || status.kind === 'saving'}
          onChange={(e) => void choose(e.target.value as OfficeTimeZone)} aria-describedby="setting-timeZone-hint" data-testid="time-zone">
          {zones.map((z) => <option key={z} value={z}>{t(`pengaturan.timeZone.zones.${z.replace('/', '_')}`)}</option>)}
        </select>
        <p className="field-hint" id="setting-timeZone-hint">
          {mayChange ? t('pengaturan.timeZone.hint', { now: formatMoment(new Date().toISOString(), currentLanguage()) }) : t('pengaturan.timeZone.adminOnly')}
        </p>
        {withServer && <p className="field-hint" data-testid="time-zone-from-server">{t('pengaturan.timeZone.fromServer')}</p>}
      </div>
      <p className="form-status" role="status" aria-live="polite">
        {status.kind === 'saved' && <span className="saved" data-testid="time-zone-saved">✓ {t('pengaturan.saved')}</span>}
      </p>
      {status.kind === 'failed' && <p className="notice notice-error" role="alert" data-testid="time-zone-error">{errorText(status.error, currentLanguage())}</p>}
    </section>
  );
}
