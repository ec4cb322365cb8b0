// The desk's header: which desk and office this is, whether the central server answers, and a
// clear notice while the application core (main) itself is out of reach.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../common/ipc/app.ts';
import { useHostConnection, useLive } from '../bridge/hooks.ts';
import { SessionBadge } from '../features/auth/SessionBadge.tsx';

export function Header({ settings }: { settings: Settings | undefined }) {
  const { t } = useTranslation();
  const connectivity = useLive('connectivity.get', 'connectivity.changed');
  // The signed-in person's office is the office this desk works for; the desk setting names it when nobody is (standalone).
  const session = useLive('auth.session', 'auth.changed');
  const officeName = session.value?.user.officeName || settings?.officeName || '';
  const host = useHostConnection();
  const state = connectivity.value?.state;
  // Between reconnection attempts the state alternates disconnected/connecting: keep the notice
  // up from the first loss until the host answers again, instead of letting it flicker.
  const [lost, setLost] = useState(false);
  useEffect(() => {
    if (host === 'disconnected') setLost(true);
    else if (host === 'connected') setLost(false);
  }, [host]);

  return (
    <header className="header">
      <div className="header-desk">
        <span className="header-desk-name" data-testid="header-desk-name">{settings?.deskName ?? t('common.loading')}</span>
        <span className={settings && officeName === '' ? 'header-office muted' : 'header-office'} data-testid="header-office-name">
          {settings ? officeName || t('header.officeUnset') : ''}
        </span>
      </div>
      <div className="header-status">
        {state && (
          <span className={`pill pill-${state}`} data-testid="connectivity" data-state={state} title={t('header.connectivityLabel')}>
            <span className="dot" aria-hidden="true" />
            <span className="visually-hidden">{t('header.connectivityLabel')}: </span>
            {t(`header.connectivity.${state}`)}
          </span>
        )}
        <SessionBadge />
      </div>
      {lost && (
        <div className="host-banner" role="alert" data-testid="host-unreachable">
          <strong>{t('header.hostUnreachable')}</strong> {t('header.hostUnreachableHint')}
        </div>
      )}
    </header>
  );
}
