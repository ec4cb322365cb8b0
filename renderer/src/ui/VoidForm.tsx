// The form that voids (batal) a letter: the reason the person writes (required, at most 500
// characters), then Batalkan or Jangan dibatalkan. The voiding itself is the caller's: an incoming
// entry in Surat Masuk, an outgoing letter whose signature the server refused in Tanda Tangan.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../common/ipc/index.ts';
import { currentLanguage, errorText } from '../i18n/index.ts';

export interface VoidFormProps {
  /** Base of the element ids and test ids: `${id}-reason`, `${id}-error`, `${id}-confirm`. */
  id: string;
  formTestId: string;
  className: string;
  /** A heading, when the form stands on its own. */
  heading?: ReactNode;
  explain: string;
  labels: { reason: string; confirm: string; keep: string };
  initialReason?: string;
  /** Voids with the reason typed; null once done, else the refusal to show. */
  onVoid(reason: string): Promise<IpcError | null>;
  onDone(voided: boolean): void;
}

export function VoidForm({ id, formTestId, className, heading, explain, labels, initialReason = '', onVoid, onDone }: VoidFormProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [reason, setReason] = useState(initialReason);
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') { setError(t('suratMasuk.batal.reasonRequired')); return; }
    setSaving(true);
    const refusal = await onVoid(reason);
    setSaving(false);
    if (refusal === null) onDone(true);
    else setError(errorText(refusal, language));
  }

  return (
    <form className={className} onSubmit={(e) => void confirm(e)} noValidate data-testid={formTestId} aria-labelledby={heading ? `${id}-title` : undefined}>
      {heading && <h2 id={`${id}-title`}>{heading}</h2>}
      <p>{explain}</p>
      <div className={`field${error ? ' invalid' : ''}`}>
        <label htmlFor={`${id}-reason`}>{labels.reason}</label>
        <textarea id={`${id}-reason`} rows={2} maxLength={500} value={reason} autoFocus onChange={(e) => { setReason(e.target.value); setError(undefined); }}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} data-testid={`${id}-reason`} />
        {error && <p className="field-error" id={`${id}-error`} role="alert">{error}</p>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button-danger" disabled={saving} data-testid={`${id}-confirm`}>{labels.confirm}</button>
        <button type="button" className="button-secondary" onClick={() => onDone(false)}>{labels.keep}</button>
      </div>
    </form>
  );
}
