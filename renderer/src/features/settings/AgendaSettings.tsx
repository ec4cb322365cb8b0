// Pengaturan's agenda sections: the number format and the classification list, editable or read-only
// as main says for the person at the desk (re-read at each sign-in or sign-out).
import { useTranslation } from 'react-i18next';
import { useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { AgendaNumberFormat } from './AgendaNumberFormat.tsx';
import { ClassificationList } from './ClassificationList.tsx';

export function AgendaSettings() {
  const { t } = useTranslation();
  const agenda = useLive('letters.agendaConfig', 'auth.changed');
  if (!agenda.value) {
    return agenda.error
      ? <p className="notice notice-error" role="alert">{errorText(agenda.error, currentLanguage())}</p>
      : <p aria-busy="true">{t('common.loading')}</p>;
  }
  return (
    <>
      <AgendaNumberFormat saved={agenda.value.config} editable={agenda.value.editable} onSaved={agenda.reload} />
      <ClassificationList editable={agenda.value.editable} />
    </>
  );
}
