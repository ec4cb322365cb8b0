// The letter being registered beside an earlier agenda entry that may be the same letter: both
// documents and the fields that identify a letter, side by side, and the clerk's decision. Main holds
// the registration (DUPLICATE_SUSPECTED) until the clerk chooses to register it as a new letter.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuplicateWarning } from '../../../../../common/ipc/incoming.ts';
import { currentLanguage, formatDate } from '../../../i18n/index.ts';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { parseShownDate, type FormValues } from './letter-form.ts';

const compared = ['receivedDate', 'letterNumber', 'letterDate', 'sender', 'subject'] as const;

export function DuplicateComparison({ documentId, values, earlier, onRegister, onBack }: {
  documentId: string;
  values: FormValues;
  earlier: readonly DuplicateWarning[];
  onRegister(): void;
  onBack(): void;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const date = (value: string | null) => (value ? formatDate(value, language) : t('common.notAvailable'));
  const shown = (field: (typeof compared)[number], value: string | null) => (field === 'receivedDate' || field === 'letterDate' ? date(value) : value || t('common.notAvailable'));

  return (
    <section className="panel sm-compare" role="alertdialog" aria-labelledby="sm-compare-title" data-testid="sm-duplicate-compare">
      <h2 id="sm-compare-title" ref={heading} tabIndex={-1}>{t('suratMasuk.compare.title')}</h2>
      <p>{t('suratMasuk.compare.intro')}</p>
      {earlier.map((e) => (
        <div key={e.letterId} className="sm-compare-entry" data-testid="sm-compare-entry" data-letter-id={e.letterId}>
          <p className="sm-notice-title">{t(`suratMasuk.duplicates.${e.reason}`)} {t('suratMasuk.duplicates.link', { agenda: e.agendaLabel ?? '—', subject: e.subject })}</p>
          <table className="sm-compare-table">
            <thead>
              <tr><th scope="col" /><th scope="col">{t('suratMasuk.compare.thisLetter')}</th><th scope="col">{t('suratMasuk.compare.earlier', { agenda: e.agendaLabel ?? '—' })}</th></tr>
            </thead>
            <tbody>
              {compared.map((field) => {
                // The form holds dates as typed (hh/bb/tttt); both sides are shown alike.
                const mine = field === 'receivedDate' || field === 'letterDate' ? date(parseShownDate(values[field]) ?? null) : shown(field, values[field]);
                const theirs = shown(field, e[field]);
                return (
                  <tr key={field} className={mine.trim().toLowerCase() === theirs.trim().toLowerCase() ? 'sm-same' : undefined}>
                    <th scope="row">{t(`suratMasuk.fields.${field}`)}</th>
                    <td data-testid={`sm-compare-mine-${field}`}>{mine}</td>
                    <td data-testid={`sm-compare-earlier-${field}`}>{theirs}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="sm-compare-docs">
            <figure><figcaption>{t('suratMasuk.compare.thisLetter')}</figcaption><PdfPreview documentId={documentId} /></figure>
            <figure>
              <figcaption>{t('suratMasuk.compare.earlier', { agenda: e.agendaLabel ?? '—' })}</figcaption>
              {e.documentHash ? <PdfPreview documentId={e.documentHash} /> : <p className="muted">{t('suratMasuk.compare.noDocument')}</p>}
            </figure>
          </div>
        </div>
      ))}
      <div className="form-actions">
        <button type="button" className="button-primary" onClick={onRegister} data-testid="sm-dup-register">{t('suratMasuk.compare.register')}</button>
        {earlier[0] && <a href={`#/surat-masuk/${earlier[0].letterId}`} className="button-secondary" data-testid="sm-dup-open">{t('suratMasuk.compare.same')}</a>}
        <button type="button" className="button-secondary" onClick={onBack} data-testid="sm-dup-back">{t('suratMasuk.compare.back')}</button>
      </div>
    </section>
  );
}
