// One registered letter: its agenda fields beside its PDF, Unduh / Cetak, and where it was sent (Kirim ke kantor lain).
// A registered entry is corrected here (Koreksi: the changed fields go to main, into the activity
// log and the sync queue) or voided with a reason (Batalkan: the entry keeps its number, shown void).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { documentTypes } from '../../../../../common/letters.ts';
import type { IncomingLetter } from '../../../../../common/ipc/incoming.ts';
import { useBridge, useOpenedItem } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate } from '../../../i18n/index.ts';
import { dateFields, dateProblems, fieldOrder, issuesByLetterField, shownDate, toFields, typedDate, type FieldName, type FormValues } from './letter-form.ts';
import { KirimKeKantorLain } from '../delivery/Kiriman.tsx';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { LetterFileActions } from '../../../ui/LetterFile.tsx';
import { VoidForm } from '../../../ui/VoidForm.tsx';

const choices: Partial<Record<FieldName, readonly string[]>> = {
  urgency: ['biasa', 'segera', 'sangat_segera'],
  security: ['biasa', 'terbatas', 'rahasia'],
  documentType: documentTypes,
};

function formOf(letter: IncomingLetter): FormValues {
  return Object.fromEntries(fieldOrder.map((f) => [f, letter[f] === null ? '' : dateFields.has(f) ? shownDate(String(letter[f])) : String(letter[f])])) as FormValues;
}

/** Koreksi: the agenda fields as inputs; only what changed is sent. */
function Koreksi({ letter, onDone }: { letter: IncomingLetter; onDone(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [values, setValues] = useState<FormValues>(() => formOf(letter));
  const [issues, setIssues] = useState<Map<FieldName, string>>(new Map());
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    const original = formOf(letter);
    const all = toFields(values);
    const fields = Object.fromEntries(fieldOrder.filter((f) => values[f] !== original[f]).map((f) => [f, all[f]]));
    if (Object.keys(fields).length === 0) { onDone(); return; }
    const badDates = dateProblems(values);
    if (badDates.size > 0) {
      setIssues(new Map([...badDates].map(([field, problem]) => [field, t(`suratMasuk.form.date-${problem}`, { field: t(`suratMasuk.fields.${field}`), value: values[field] })] as const)));
      setError(t('suratMasuk.koreksi.fixFields'));
      return;
    }
    setSaving(true);
    const result = await bridge.invoke('letters.update', { id: letter.id, fields });
    setSaving(false);
    if (result.ok) { onDone(); return; }
    const byField = issuesByLetterField(result.error);
    setIssues(byField);
    setError(byField.size > 0 ? t('suratMasuk.koreksi.fixFields') : errorText(result.error, language));
  }

  return (
    <form className="panel sm-koreksi" onSubmit={(e) => void save(e)} noValidate data-testid="sm-koreksi" aria-labelledby="sm-koreksi-title">
      <h2 id="sm-koreksi-title">{t('suratMasuk.koreksi.title')}</h2>
      <p className="field-hint">{t('suratMasuk.koreksi.hint')}</p>
      <div className="sm-grid">
        {fieldOrder.map((field) => {
          const id = `sm-edit-${field}`;
          const issue = issues.get(field);
          const common = {
            id, value: values[field], 'data-testid': `sm-edit-${field}`, 'aria-invalid': issue ? true : undefined, 'aria-describedby': issue ? `${id}-error` : undefined,
          };
          const change = (typed: string) => {
            setValues((v) => ({ ...v, [field]: dateFields.has(field) ? typedDate(typed) : typed }));
            if (!issue) return;
            const remaining = new Map(issues);
            remaining.delete(field);
            setIssues(remaining);
            if (remaining.size === 0) setError(undefined);
          };
          const options = choices[field];
          return (
            <div key={field} className={`field sm-field-${field}${issue ? ' invalid' : ''}`}>
              <label htmlFor={id}>{t(`suratMasuk.fields.${field}`)}</label>
              {options ? (
                <select {...common} onChange={(e) => change(e.target.value)}>
                  {options.map((o) => <option key={o} value={o}>{t(`suratMasuk.${field === 'documentType' ? 'documentTypes' : field}.${o}`)}</option>)}
                </select>
              ) : field === 'summary' ? (
                <textarea {...common} rows={3} maxLength={2000} onChange={(e) => change(e.target.value)} />
              ) : (
                <input {...common} type={field === 'attachmentCount' ? 'number' : 'text'} autoComplete="off" onChange={(e) => change(e.target.value)}
                  inputMode={dateFields.has(field) ? 'numeric' : undefined} placeholder={dateFields.has(field) ? t('suratMasuk.form.datePlaceholder') : undefined} maxLength={dateFields.has(field) ? 10 : undefined} />
              )}
              {issue && <p className="field-error" id={`${id}-error`}>{issue}</p>}
            </div>
          );
        })}
      </div>
      {error && <p className="notice notice-error" role="alert" data-testid="sm-koreksi-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={saving} data-testid="sm-koreksi-save">{saving ? t('suratMasuk.form.saving') : t('suratMasuk.koreksi.save')}</button>
        <button type="button" className="button-secondary" onClick={onDone}>{t('suratMasuk.form.cancel')}</button>
      </div>
    </form>
  );
}

/** Batalkan: voids the entry with a reason the clerk writes; its number is never given again. */
function Batalkan({ letter, onDone }: { letter: IncomingLetter; onDone(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  return (
    <VoidForm
      id="sm-batal" formTestId="sm-batal" className="panel sm-batal"
      heading={t('suratMasuk.batal.title', { agenda: letter.agendaLabel ?? '—' })} explain={t('suratMasuk.batal.explain')}
      labels={{ reason: t('suratMasuk.batal.reason'), confirm: t('suratMasuk.batal.confirm'), keep: t('suratMasuk.batal.keep') }}
      onVoid={async (reason) => { const result = await bridge.invoke('letters.void', { id: letter.id, reason }); return result.ok ? null : result.error; }}
      onDone={onDone}
    />
  );
}

export function LihatSurat({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { value: letter, error, title } = useOpenedItem('letters.get', id, '#/surat-masuk', 'dashboard.changed');
  const [mode, setMode] = useState<'view' | 'koreksi' | 'batal'>('view');

  const shown = (field: (typeof fieldOrder)[number]): string => {
    if (!letter) return '';
    const value = letter[field];
    if (value === null || value === '') return t('common.notAvailable');
    if (field === 'receivedDate' || field === 'letterDate') return formatDate(String(value), language);
    if (field === 'urgency' || field === 'security') return t(`suratMasuk.${field}.${value}`);
    if (field === 'documentType') return t(`suratMasuk.documentTypes.${value}`);
    return String(value);
  };
  const isVoid = letter?.status === 'void';

  return (
    <section className="screen sm-lihat" data-testid="screen-surat-masuk-lihat" aria-labelledby="sm-lihat-title">
      <div className="screen-head">
        <h1 id="sm-lihat-title" ref={title} tabIndex={-1}>{letter ? t('suratMasuk.lihat.title', { agenda: letter.agendaLabel ?? '—' }) : t('common.loading')}</h1>
        <span className="form-actions">
          {letter && <a href={`#/disposisi/${letter.id}`} className="button-secondary" data-testid="sm-disposisi">{t('nav.disposisi')}</a>}
          {letter && !isVoid && mode === 'view' && (
            <>
              <button type="button" className="button-secondary" onClick={() => setMode('koreksi')} data-testid="sm-koreksi-open">{t('suratMasuk.koreksi.open')}</button>
              <button type="button" className="button-secondary" onClick={() => setMode('batal')} data-testid="sm-batal-open">{t('suratMasuk.batal.open')}</button>
            </>
          )}
          <a href="#/surat-masuk" className="button-secondary">{t('suratMasuk.lihat.back')}</a>
        </span>
      </div>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {isVoid && (
        <p className="notice notice-warn" role="status" data-testid="sm-void-notice">
          <strong>{t('suratMasuk.status.void')}</strong> — {t('suratMasuk.batal.notice', { reason: letter.voidReason ?? '' })}
        </p>
      )}
      {letter && (
        <div className="sm-catat-layout">
          <div className="sm-document">{letter.documentHash && <PdfPreview documentId={letter.documentHash} />}</div>
          <div className="km-side">
            {mode === 'koreksi' && !isVoid ? <Koreksi key={letter.updatedAt} letter={letter} onDone={() => setMode('view')} /> : (
              <dl className={`panel sm-details${isVoid ? ' sm-void' : ''}`} data-testid="sm-details">
                {fieldOrder.map((f) => (
                  <div key={f} className="sm-detail"><dt>{t(`suratMasuk.fields.${f}`)}</dt><dd data-testid={`sm-detail-${f}`}>{shown(f)}</dd></div>
                ))}
              </dl>
            )}
            {mode === 'batal' && !isVoid && <Batalkan letter={letter} onDone={() => setMode('view')} />}
            <LetterFileActions letter={letter} testId="sm-file-actions" />
            {!isVoid && <KirimKeKantorLain letterId={letter.id} />}
          </div>
        </div>
      )}
    </section>
  );
}
