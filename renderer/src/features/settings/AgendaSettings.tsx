// Pengaturan's agenda sections: the number formats (incoming agenda, outgoing letters) and the
// classification list, editable or read-only as main says for the person at the desk (re-read at each
// sign-in or sign-out).
import { useTranslation } from 'react-i18next';
import { useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { AgendaNumberFormat } from './AgendaNumberFormat.tsx';
import { ClassificationList } from './ClassificationList.tsx';

export function AgendaSettings() {
  const { t } = useTranslation();
  const agenda = useLive('letters.agendaConfig', 'auth.changed');
  const outgoing = useLive('letters.outgoingConfig', 'auth.changed');
  if (!agenda.value || !outgoing.value) {
    const error = agenda.error ?? outgoing.error;
    return error
      ? <p className="notice notice-error" role="alert">{errorText(error, currentLanguage())}</p>
      : <p aria-busy="true">{t('common.loading')}</p>;
  }
  return (
    <>
      <AgendaNumberFormat book="in" saved={agenda.value.config} editable={agenda.value.editable} onSaved={agenda.reload} />
      <AgendaNumberFormat book="out" saved={outgoing.value.config} editable={outgoing.value.editable} onSaved={outgoing.reload} />
      <ClassificationList editable={agenda.value.editable} />
    </>
  );
}
