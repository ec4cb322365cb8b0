// Pengaturan → "Aturan paraf": where a paraf chain restarts after a verifier returns a draft — from
// its first verifier, or from the verifier who returned it. The office's server keeps the choice and
// applies it when the drafter sends the draft again; only the admin kantor changes it, and every desk of
// the office shows the office's choice (from the change feed).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ParafPolicy } from '../../../../common/ipc/paraf.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

const choices: ParafPolicy['restart'][] = ['from_start', 'from_returner'];

export function ParafPolicySetting() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const live = useLive('paraf.policy', 'dashboard.changed');
  const [error, setError] = useState<IpcError | null>(null);
  const policy = live.value;
  if (policy === undefined || !policy.server) return null;

  async function choose(restart: ParafPolicy['restart']) {
    const r = await bridge.invoke('paraf.setPolicy', { restart });
    setError(r.ok ? null : r.error);
    live.reload();
  }

  return (
    <section className="panel" aria-labelledby="paraf-policy-title" data-testid="paraf-policy">
      <h2 id="paraf-policy-title">{t('pengaturan.parafPolicy.title')}</h2>
      <fieldset className="dp-choices" disabled={!policy.canManage} aria-describedby="paraf-policy-hint">
        <legend>{t('pengaturan.parafPolicy.legend')}</legend>
        {choices.map((c) => (
          <label key={c} className="dp-choice">
            <input type="radio" name="paraf-restart" value={c} checked={policy.restart === c} onChange={() => void choose(c)} data-testid={`paraf-policy-${c}`} />
            <span>{t(`pengaturan.parafPolicy.${c}`)}</span>
          </label>
        ))}
      </fieldset>
      <p className="field-hint" id="paraf-policy-hint" data-testid="paraf-policy-state">
        {policy.state === 'waiting' ? t('pengaturan.parafPolicy.waiting')
          : policy.state === 'office' && policy.updatedAt !== null ? t('pengaturan.parafPolicy.office', { when: formatMoment(policy.updatedAt, currentLanguage()) })
            : t('pengaturan.parafPolicy.default')}
        {!policy.canManage && <> {t('pengaturan.parafPolicy.adminOnly')}</>}
      </p>
      {policy.refused !== null && <p className="notice notice-error" role="alert" data-testid="paraf-policy-refused">{policy.refused}</p>}
      {error && <p className="notice notice-error" role="alert" data-testid="paraf-policy-error">{errorText(error, currentLanguage())}</p>}
    </section>
  );
}
