// Tanda Tangan's remote signers: signing in to the Cloud Signature Consortium service (its page opens
// in a new window — the system browser under Electron — and comes back to the desk by itself) and
// choosing a credential; the official's certificate at BSrE by the NIK from Pengaturan; and the
// dialog that asks, once per batch, what the service needs: PIN and OTP, or passphrase or TOTP code.
// What is typed lives only in the dialog's inputs until it is sent with the batch.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, ReplyOf } from '../../../../common/ipc/index.ts';
import type { CertificateView, RemoteCredentialView, SigningServices } from '../../../../common/ipc/sign.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';

export interface CscSignIn {
  sessionId: string;
  serviceName: string;
  credentials: RemoteCredentialView[];
}

export type BsreStatus = ReplyOf<'sign.bsre.status'>;

/** The CSC service: sign in, then its credentials to choose from (rendered by the caller). */
export function CscSignInPanel({ services, signIn, onSignedIn, onSignOut }: {
  services: SigningServices; signIn: CscSignIn | null; onSignedIn(signIn: CscSignIn): void; onSignOut(): void;
}) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [waiting, setWaiting] = useState<{ url: string; serviceName: string } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const configured = services.csc.url !== '' && services.csc.clientId !== null;

  async function login() {
    setError(null);
    const started = await bridge.invoke('sign.csc.login', {});
    if (!started.ok) {
      setError(started.error);
      return;
    }
    // Opened from the click (the browser's popup rule); Electron hands it to the system browser.
    window.open(started.value.authorizationUrl, '_blank', 'noopener');
    setWaiting({ url: started.value.authorizationUrl, serviceName: started.value.serviceName });
    const session = await bridge.invoke('sign.csc.session', { loginId: started.value.loginId });
    setWaiting(null);
    if (session.ok) onSignedIn(session.value); else setError(session.error);
  }

  if (!configured) return <p className="notice tt-notice-warn" data-testid="csc-not-configured">{t('tandaTangan.remote.cscNotConfigured')}</p>;
  return (
    <>
      {error && <p className="notice notice-error" role="alert" data-testid="csc-error" data-code={error.code}>{errorText(error, currentLanguage())}</p>}
      {waiting && (
        <p className="notice" role="status" data-testid="csc-waiting">
          {t('tandaTangan.remote.cscWaiting', { name: waiting.serviceName })}{' '}
          <a href={waiting.url} target="_blank" rel="noopener noreferrer" data-testid="csc-login-link">{t('tandaTangan.remote.cscOpenAgain')}</a>
        </p>
      )}
      {signIn ? (
        <div className="tt-signed-in">
          <p className="status-hint" data-testid="csc-signed-in">{t('tandaTangan.remote.cscSignedIn', { name: signIn.serviceName })}</p>
          <button type="button" className="tt-button-secondary" onClick={onSignOut} data-testid="csc-logout">{t('tandaTangan.remote.cscLogout')}</button>
        </div>
      ) : (
        <button type="button" className="button-primary" disabled={waiting !== null} onClick={() => void login()} data-testid="csc-login">{t('tandaTangan.remote.cscLogin')}</button>
      )}
    </>
  );
}

/** The official's NIK at BSrE, and why it cannot sign now when there is no certificate to show the reason on. */
export function BsrePanel({ services, status }: { services: SigningServices; status: BsreStatus | null }) {
  const { t } = useTranslation();
  return (
    <div data-testid="bsre-panel">
      <p className="status-hint">{services.official.nik ? t('tandaTangan.remote.bsreNik', { nik: services.official.nik }) : t('tandaTangan.remote.bsreNoNik')}</p>
      {status === null && <p className="status-hint">{t('tandaTangan.remote.bsreChecking')}</p>}
      {status?.refusal && !status.certificate && <p className="notice notice-error" role="alert" data-testid="bsre-refusal" data-code={status.refusal.code}>{errorText(status.refusal, currentLanguage())}</p>}
    </div>
  );
}

export type RemoteSecrets = { pin?: string; otp?: string } | { passphrase: string } | { totp: string };

/** Asks for what a remote batch needs, once: the credential's PIN and/or OTP, or BSrE's passphrase or TOTP code. */
export function RemoteSecretDialog({ kind, certificate, count, busy, error, onSubmit, onCancel }: {
  kind: { service: 'csc'; asks: RemoteCredentialView['asks'] } | { service: 'bsre' };
  certificate: CertificateView; count: number; busy: boolean; error: IpcError | null;
  onSubmit(secrets: RemoteSecrets): void; onCancel(): void;
}) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [otp, setOtp] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [useTotp, setUseTotp] = useState(false);
  const csc = kind.service === 'csc' ? kind.asks : null;
  const complete = csc ? (!csc.pin || pin !== '') && (!csc.otp || otp !== '') : passphrase !== '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!complete) return;
    if (csc) onSubmit({ ...(csc.pin ? { pin } : {}), ...(csc.otp ? { otp } : {}) });
    else onSubmit(useTotp ? { totp: passphrase } : { passphrase });
    setPin('');
    setOtp('');
    setPassphrase('');
  };
  const field = (label: string, value: string, set: (v: string) => void, testId: string, numeric: boolean, autoFocus: boolean) => (
    <label className="field">
      <span>{label}</span>
      <input type="password" autoComplete="off" autoFocus={autoFocus} value={value} onChange={(e) => set(e.target.value)} inputMode={numeric ? 'numeric' : 'text'} data-testid={testId} />
    </label>
  );
  return (
    <div className="tt-dialog-backdrop">
      <form className="tt-dialog panel" role="dialog" aria-modal="true" aria-labelledby="tt-secret-title" onSubmit={submit} data-testid="secret-dialog">
        <h2 id="tt-secret-title">{t(csc ? 'tandaTangan.secret.titleCsc' : 'tandaTangan.secret.titleBsre', { count })}</h2>
        <p className="status-hint">{t('tandaTangan.secret.for', { name: certificate.commonName })} {t('tandaTangan.secret.hint')}</p>
        {error && <p className="notice notice-error" role="alert" data-testid="secret-error" data-code={error.code}>{errorText(error, currentLanguage())}</p>}
        {csc?.pin && field(t('tandaTangan.secret.pin'), pin, setPin, 'secret-pin', true, true)}
        {csc?.otp && field(t('tandaTangan.secret.otp'), otp, setOtp, 'secret-otp', true, !csc.pin)}
        {!csc && (
          <>
            <div className="segmented" role="radiogroup" aria-label={t('tandaTangan.secret.with')}>
              {[false, true].map((totp) => (
                <label key={String(totp)} className={useTotp === totp ? 'segment checked' : 'segment'}>
                  <input type="radio" name="bsre-secret" checked={useTotp === totp} onChange={() => { setUseTotp(totp); setPassphrase(''); }} data-testid={totp ? 'secret-use-totp' : 'secret-use-passphrase'} />
                  <span>{t(totp ? 'tandaTangan.secret.totp' : 'tandaTangan.secret.passphrase')}</span>
                </label>
              ))}
            </div>
            {field(t(useTotp ? 'tandaTangan.secret.totp' : 'tandaTangan.secret.passphrase'), passphrase, setPassphrase, 'secret-passphrase', useTotp, true)}
          </>
        )}
        <div className="tt-actions">
          <button type="button" className="tt-button-secondary" onClick={onCancel}>{t('tandaTangan.cancel')}</button>
          <button type="submit" className="button-primary" disabled={busy || !complete} data-testid="secret-submit">{t('tandaTangan.secret.submit', { count })}</button>
        </div>
      </form>
    </div>
  );
}
