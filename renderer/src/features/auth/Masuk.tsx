// Masuk: sign-in at a desk connected to a central server. Online the server checks the password;
// while the server is away, a person who signed in on this desk before is checked against the
// verifier kept here, and works in an offline session until the server is back.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../common/ipc/app.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { Icon } from '../../ui/icons.tsx';
import { ServerCaSettings } from '../sync/ServerCaSettings.tsx';

export function Masuk({ settings, server }: { settings: Settings | undefined; server: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const result = await bridge.invoke('auth.login', { username, password });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      setPassword('');
    }
  }

  return (
    <main className="masuk" data-testid="screen-masuk">
      <form className="panel masuk-card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="masuk-title">
        <div className="masuk-brand"><Icon name="logo" /><span>{t('app.name')}</span></div>
        <h1 id="masuk-title">{t('masuk.title')}</h1>
        <p className="field-hint">{t('masuk.desk', { desk: settings?.deskName ?? '' })}<br />{t('masuk.server')}: <code>{server}</code></p>
        <div className="field">
          <label htmlFor="masuk-username">{t('masuk.username')}</label>
          <input id="masuk-username" type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username}
            onChange={(e) => setUsername(e.target.value)} data-testid="masuk-username" autoFocus />
        </div>
        <div className="field">
          <label htmlFor="masuk-password">{t('masuk.password')}</label>
          <input id="masuk-password" type="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} data-testid="masuk-password" />
        </div>
        {error && <p className="notice notice-error" role="alert" data-testid="masuk-error">{errorText(error, currentLanguage())}</p>}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy || username.trim() === '' || password === ''} data-testid="masuk-submit">
            {busy ? t('masuk.signingIn') : t('masuk.submit')}
          </button>
        </div>
        <p className="field-hint">{t('masuk.offlineHint')}</p>
      </form>
      {/* Before anyone can sign in, the server must be trusted: its CA is chosen right here. */}
      {error && (error.code === 'SERVER_TLS_UNTRUSTED' || error.code === 'SERVER_CA_UNREADABLE') && <div className="masuk-card"><ServerCaSettings /></div>}
    </main>
  );
}
