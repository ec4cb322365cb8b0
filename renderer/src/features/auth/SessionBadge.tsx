// Who is signed in at this desk, in the header, with the way out. Offline sessions say so: what
// they do waits for the server.
import { useTranslation } from 'react-i18next';
import { useBridge, useLive } from '../../bridge/hooks.ts';

export function SessionBadge() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const session = useLive('auth.session', 'auth.changed');
  const current = session.value;
  if (!current) return null;
  return (
    <div className="session-badge" data-testid="session-badge" data-mode={current.mode}>
      <span className="session-name">{current.user.name}</span>
      <span className="session-detail">
        {[current.user.position, current.user.officeName].filter(Boolean).join(' · ')}
        {current.mode === 'offline' && <> · <strong>{t('masuk.offlineSession')}</strong></>}
      </span>
      <button type="button" className="button-link" onClick={() => void bridge.invoke('auth.logout', {})} data-testid="logout">{t('masuk.logout')}</button>
    </div>
  );
}
