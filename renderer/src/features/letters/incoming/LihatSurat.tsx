// One registered letter: its agenda fields beside its PDF, Unduh / Cetak, and where it was sent (Kirim ke kantor lain).
import { useTranslation } from 'react-i18next';
import { useOpenedItem } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate } from '../../../i18n/index.ts';
import { fieldOrder } from './letter-form.ts';
import { KirimKeKantorLain } from '../delivery/Kiriman.tsx';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { LetterFileActions } from '../../../ui/LetterFile.tsx';

export function LihatSurat({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { value: letter, error, title } = useOpenedItem('letters.get', id, '#/surat-masuk', 'dashboard.changed');

  const shown = (field: (typeof fieldOrder)[number]): string => {
    if (!letter) return '';
    const value = letter[field];
    if (value === null || value === '') return t('common.notAvailable');
    if (field === 'receivedDate' || field === 'letterDate') return formatDate(String(value), language);
    if (field === 'urgency' || field === 'security') return t(`suratMasuk.${field}.${value}`);
    if (field === 'documentType') return t(`suratMasuk.documentTypes.${value}`);
    return String(value);
  };

  return (
    <section className="screen sm-lihat" data-testid="screen-surat-masuk-lihat" aria-labelledby="sm-lihat-title">
      <div className="screen-head">
        <h1 id="sm-lihat-title" ref={title} tabIndex={-1}>{letter ? t('suratMasuk.lihat.title', { agenda: letter.agendaLabel ?? '—' }) : t('common.loading')}</h1>
        <span className="form-actions">
          {letter && <a href={`#/disposisi/${letter.id}`} className="button-secondary" data-testid="sm-disposisi">{t('nav.disposisi')}</a>}
          <a href="#/surat-masuk" className="button-secondary">{t('suratMasuk.lihat.back')}</a>
        </span>
      </div>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {letter && (
        <div className="sm-catat-layout">
          <div className="sm-document">{letter.documentHash && <PdfPreview documentId={letter.documentHash} />}</div>
          <div className="km-side">
            <dl className="panel sm-details" data-testid="sm-details">
              {fieldOrder.map((f) => (
                <div key={f} className="sm-detail"><dt>{t(`suratMasuk.fields.${f}`)}</dt><dd data-testid={`sm-detail-${f}`}>{shown(f)}</dd></div>
              ))}
            </dl>
            <LetterFileActions letter={letter} testId="sm-file-actions" />
            <KirimKeKantorLain letterId={letter.id} />
          </div>
        </div>
      )}
    </section>
  );
}
