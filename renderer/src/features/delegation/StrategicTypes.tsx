// Delegasi → "Jenis naskah strategis": the office's document types no Plh/Plt may sign (UU 30/2014
// art. 14), as checkboxes. Everyone sees the office's list; the admin kantor changes it and saves the
// whole list, sent with the next sync. Ticks not saved stay on screen when saving is refused (offline,
// or not allowed); a refusal of the server is shown with its reason.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DocumentTypeSchema, type DocumentType } from '../../../../common/ipc/drafting.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

const types = DocumentTypeSchema.options;

export function StrategicTypes() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const live = useLive('delegation.strategicTypes', 'sync.changed');
  // What the admin ticked and has not saved yet; null: showing the office's list as it is.
  const [edited, setEdited] = useState<ReadonlySet<DocumentType> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const data = live.value;
  if (data === undefined) return null;
  const shown = edited ?? new Set(data.documentTypes);
  const changed = edited !== null && (edited.size !== data.documentTypes.length || data.documentTypes.some((x) => !edited.has(x)));

  const toggle = (type: DocumentType) => {
    const next = new Set(shown);
    if (next.has(type)) next.delete(type); else next.add(type);
    setEdited(next);
  };
  const save = async () => {
    setSaving(true);
    const result = await bridge.invoke('delegation.setStrategicTypes', { documentTypes: types.filter((x) => shown.has(x)) });
    setSaving(false);
    if (result.ok) { setEdited(null); setError(null); live.reload(); } else setError(errorText(result.error, language));
  };

  return (
    <section className="panel" aria-labelledby="strategic-title" data-testid="strategic-types">
      <h2 id="strategic-title">{t('delegasi.strategic.title')}</h2>
      <p className="field-hint" id="strategic-meaning">{t('delegasi.strategic.meaning')}</p>
      <fieldset className="dp-choices" disabled={!data.canManage} aria-describedby="strategic-meaning">
        <legend className="visually-hidden">{t('delegasi.strategic.legend')}</legend>
        {types.map((type) => (
          <label key={type} className="dp-choice">
            <input type="checkbox" checked={shown.has(type)} onChange={() => toggle(type)} data-testid={`strategic-${type}`} />
            <span>{t(`delegasi.strategic.types.${type}`)}</span>
          </label>
        ))}
      </fieldset>
      <p className="field-hint" data-testid="strategic-state">
        {data.pending ? t('delegasi.strategic.pending')
          : data.updatedAt !== null ? t('delegasi.strategic.updated', { when: formatMoment(data.updatedAt, language) })
            : data.documentTypes.length === 0 ? t('delegasi.strategic.none') : null}
        {!data.canManage && <> {t('delegasi.strategic.adminOnly')}</>}
      </p>
      {data.canManage && !data.online && <p className="notice" data-testid="strategic-offline">{t('delegasi.strategic.offline')}</p>}
      {data.refused !== null && <p className="notice notice-error" role="alert" data-testid="strategic-refused">{t('delegasi.strategic.refused', { reason: data.refused })}</p>}
      {error && <p className="notice notice-error" role="alert" data-testid="strategic-error">{error}</p>}
      {data.canManage && (
        <div className="form-actions">
          <button type="button" className="button-primary" disabled={!changed || saving} onClick={() => void save()} data-testid="strategic-save">{t('delegasi.strategic.save')}</button>
          {changed && <button type="button" className="button-secondary" onClick={() => { setEdited(null); setError(null); }} data-testid="strategic-undo">{t('delegasi.strategic.undo')}</button>}
        </div>
      )}
    </section>
  );
}
