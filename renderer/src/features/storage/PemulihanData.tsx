// Pemulihan data: what the admin kantor sees when the desk's data file cannot be trusted. Found damaged
// at start, it is the whole screen (the desk waits); found by the background check, it stands above the
// current screen while work goes on. Either way the admin chooses: the last copy the desk kept, or a
// fresh start filled from the server. The damaged file is kept aside for support, never deleted. Only
// the admin kantor recovers a desk that has a server: signed in while the desk runs; on the waiting
// screen, where nobody can sign in, by typing their username and password here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { StorageStatus } from '../../../../common/ipc/storage.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

type Choice = { action: 'restore'; backupId: string } | { action: 'resync' };

function takenAtText(iso: string): string {
  return formatMoment(iso, currentLanguage(), 'long');
}

export function PemulihanData({ status }: { status: StorageStatus }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [choice, setChoice] = useState<Choice | undefined>(status.backups[0] ? { action: 'restore', backupId: status.backups[0].id } : status.canResync ? { action: 'resync' } : undefined);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | undefined>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signInHere = status.adminOnly && !status.deskRunning;

  async function recover() {
    if (!choice) return;
    setBusy(true);
    setError(undefined);
    const result = await bridge.invoke('storage.recover', signInHere ? { ...choice, admin: { username, password } } : choice);
    setBusy(false);
    setConfirming(false);
    if (!result.ok) setError(result.error);
  }

  const nothingToOffer = status.backups.length === 0 && !status.canResync;
  const panel = (
    <section className="panel pemulihan" aria-labelledby="pemulihan-title" data-testid="pemulihan-data">
      <h1 id="pemulihan-title" tabIndex={-1}>{t('pemulihan.title')}</h1>
      <p className="notice notice-error" role="alert" data-testid="pemulihan-problem">{status.problem}</p>
      <p>{status.deskRunning ? t('pemulihan.stillRunning') : t('pemulihan.waiting')}</p>
      <p className="field-hint">{t('pemulihan.keptAside')}</p>
      {status.adminOnly && status.deskRunning && <p className="field-hint" data-testid="pemulihan-admin-only">{t('pemulihan.adminOnly')}</p>}
      {nothingToOffer ? (
        <p className="notice notice-warn" data-testid="pemulihan-nothing">{t('pemulihan.nothingToOffer')}</p>
      ) : (
        <fieldset className="pemulihan-choices" disabled={busy}>
          <legend>{t('pemulihan.choose')}</legend>
          {status.backups.map((backup, i) => (
            <label key={backup.id} className="pemulihan-choice">
              <input type="radio" name="pemulihan" checked={choice?.action === 'restore' && choice.backupId === backup.id}
                onChange={() => { setChoice({ action: 'restore', backupId: backup.id }); setConfirming(false); }} data-testid={`pemulihan-backup-${i}`} />
              <span>
                <strong>{t('pemulihan.restore', { when: takenAtText(backup.takenAt) })}</strong>
                <span className="field-hint">{i === 0 ? t('pemulihan.restoreHintLatest') : t('pemulihan.restoreHint')}</span>
              </span>
            </label>
          ))}
          {status.canResync && (
            <label className="pemulihan-choice">
              <input type="radio" name="pemulihan" checked={choice?.action === 'resync'}
                onChange={() => { setChoice({ action: 'resync' }); setConfirming(false); }} data-testid="pemulihan-resync" />
              <span>
                <strong>{t('pemulihan.resync')}</strong>
                <span className="field-hint">{t('pemulihan.resyncHint')}</span>
              </span>
            </label>
          )}
        </fieldset>
      )}
      {signInHere && !nothingToOffer && (
        <fieldset className="pemulihan-admin" disabled={busy} data-testid="pemulihan-admin">
          <legend>{t('pemulihan.adminOnly')}</legend>
          <p className="field-hint">{t('pemulihan.adminSignIn')}</p>
          <div className="field">
            <label htmlFor="pemulihan-username">{t('pemulihan.username')}</label>
            <input id="pemulihan-username" type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username}
              onChange={(e) => setUsername(e.target.value)} data-testid="pemulihan-username" />
          </div>
          <div className="field">
            <label htmlFor="pemulihan-password">{t('pemulihan.password')}</label>
            <input id="pemulihan-password" type="password" autoComplete="current-password" value={password}
              onChange={(e) => setPassword(e.target.value)} data-testid="pemulihan-password" />
          </div>
        </fieldset>
      )}
      {error && <p className="notice notice-error" role="alert" data-testid="pemulihan-error">{errorText(error, currentLanguage())}</p>}
      {!nothingToOffer && (
        <div className="form-actions">
          {confirming ? (
            <>
              <span className="notice notice-warn">{choice?.action === 'resync' ? t('pemulihan.confirmResync') : t('pemulihan.confirmRestore')}</span>
              <button type="button" className="button-primary" disabled={busy} onClick={() => void recover()} data-testid="pemulihan-confirm">
                {busy ? t('pemulihan.working') : t('pemulihan.confirm')}
              </button>
              <button type="button" disabled={busy} onClick={() => setConfirming(false)}>{t('pemulihan.cancel')}</button>
            </>
          ) : (
            <button type="button" className="button-primary" disabled={!choice || (signInHere && (username.trim() === '' || password === ''))} onClick={() => setConfirming(true)} data-testid="pemulihan-start">
              {t('pemulihan.start')}
            </button>
          )}
        </div>
      )}
    </section>
  );
  return status.deskRunning ? panel : <main className="pemulihan-page" data-testid="screen-pemulihan">{panel}</main>;
}
