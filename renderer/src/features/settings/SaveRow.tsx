// The save button of a Pengaturan section and the "saved" confirmation beside it, the same in every
// section (desk, agenda number format, signing).
import { useTranslation } from 'react-i18next';

export function SaveRow(props: { saving: boolean; saved: boolean; label: string; savedLabel: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" className="button-primary" disabled={props.saving} data-testid={props.testId}>
        {props.saving ? t('pengaturan.saving') : props.label}
      </button>
      <p className="form-status" role="status" aria-live="polite">
        {props.saved && <span className="saved" data-testid={`${props.testId.replace(/-save$/, '')}-saved`}>✓ {props.savedLabel}</span>}
      </p>
    </div>
  );
}
