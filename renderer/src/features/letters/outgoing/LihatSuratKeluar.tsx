// One outgoing letter: its PDF beside its state (with the reason, once void), number, date, sender, addressee and signing official,
// Unduh / Cetak (the signed PDF once signed), and — once it
// is signed and numbered — Kirim ke kantor lain (the same panel as an incoming letter's view) and
// its addressees outside the system (Penerima di luar sistem).
import { useTranslation } from 'react-i18next';
import { useOpenedItem } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate } from '../../../i18n/index.ts';
import { KirimKeKantorLain } from '../delivery/Kiriman.tsx';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { PenerimaLuarSistem } from '../delivery/PenerimaLuarSistem.tsx';
import { LetterFileActions } from '../../../ui/LetterFile.tsx';

const shownFields = ['status', 'letterNumber', 'letterDate', 'sender', 'addressee', 'signerName', 'subject'] as const;

export function LihatSuratKeluar({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { value: letter, error, title } = useOpenedItem('outgoing.get', id, '#/surat-keluar', 'dashboard.changed');

  const shown = (field: (typeof shownFields)[number]): string => {
    if (!letter) return '';
    if (field === 'status') return t(`suratKeluar.status.${letter.status}`);
    const value = letter[field];
    if (value === null || value === '') return field === 'letterNumber' ? t('suratKeluar.unnumbered') : t('common.notAvailable');
    return field === 'letterDate' ? formatDate(value, language) : value;
  };
  const numbered = letter !== undefined && letter.agendaNumber !== null && (letter.status === 'signed' || letter.status === 'sent');

  return (
    <section className="screen sm-lihat" data-testid="screen-surat-keluar-lihat" aria-labelledby="sk-lihat-title">
      <div className="screen-head">
        <h1 id="sk-lihat-title" ref={title} tabIndex={-1}>{letter ? letter.subject : t('common.loading')}</h1>
        <a href="#/surat-keluar" className="button-secondary">{t('suratKeluar.back')}</a>
      </div>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {letter?.status === 'void' && (
        <p className="notice notice-warn" role="status" data-testid="sk-void-notice">
          <strong>{t('suratKeluar.status.void')}</strong> — {t('suratKeluar.voidNotice', { reason: letter.voidReason ?? '' })}
        </p>
      )}
      {letter && (
        <div className="sm-catat-layout">
          <div className="sm-document">{letter.documentHash && <PdfPreview documentId={letter.documentHash} />}</div>
          <div className="km-side">
            <dl className="panel sm-details" data-testid="sk-details">
              {shownFields.map((f) => (
                <div key={f} className="sm-detail"><dt>{t(`suratKeluar.fields.${f}`)}</dt><dd data-testid={`sk-detail-${f}`}>{shown(f)}</dd></div>
              ))}
            </dl>
            <LetterFileActions letter={letter} testId="sk-file-actions" />
            {numbered
              ? <><KirimKeKantorLain letterId={letter.id} /><PenerimaLuarSistem letter={letter} /></>
              : letter.status !== 'void' && <p className="status-hint" data-testid="sk-not-sendable">{t('suratKeluar.notSendable')}</p>}
          </div>
        </div>
      )}
    </section>
  );
}
