// Pengaturan's "Sertifikat CA instansi": the certificate of the authority that issued the agency
// server's certificate, picked from a file the server's administrator gives (PEM or DER). Main checks
// and keeps it in the data folder; a CA given when the desk was started (--server-ca) takes its place.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ServerCa } from '../../../../common/ipc/sync.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDay } from '../../i18n/index.ts';

function base64(bytes: ArrayBuffer): string {
  let binary = '';
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

function Certificates({ ca }: { ca: ServerCa }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <ul className="ca-list" data-testid="server-ca-certificates">
      {ca.certificates.map((c) => (
        <li key={c.fingerprint} data-testid="server-ca-certificate">
          <strong>{c.subject}</strong>
          <span className={c.expired ? 'field-error' : 'field-hint'}>
            {' · '}{t(c.expired ? 'pengaturan.serverCa.expired' : 'pengaturan.serverCa.validTo', { date: formatDay(c.validTo, language) })}
          </span>
          {!c.isCa && <span className="field-hint">{' · '}{t('pengaturan.serverCa.notCa')}</span>}
          <br /><code className="ca-fingerprint" title={t('pengaturan.serverCa.fingerprint')}>{c.fingerprint}</code>
        </li>
      ))}
    </ul>
  );
}

export function ServerCaSettings() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const ca = useLive('sync.serverCa');
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<IpcError | undefined>();
  const [saved, setSaved] = useState(false);

  async function pick(file: File | undefined) {
    if (!file) return;
    setSaved(false);
    const result = await bridge.invoke('sync.serverCa.set', { contentBase64: base64(await file.arrayBuffer()) });
    if (input.current) input.current.value = '';
    if (!result.ok) { setError(result.error); return; }
    setError(undefined);
    setSaved(true);
    ca.reload();
  }

  async function clear() {
    setSaved(false);
    const result = await bridge.invoke('sync.serverCa.clear', {});
    if (!result.ok) { setError(result.error); return; }
    setError(undefined);
    ca.reload();
  }

  const value = ca.value;
  return (
    <section className="panel" aria-labelledby="server-ca-title" data-testid="server-ca" data-source={value?.source}>
      <h2 id="server-ca-title">{t('pengaturan.serverCa.title')}</h2>
      <p className="field-hint">{t('pengaturan.serverCa.hint')}</p>
      {value?.source === 'none' && <p data-testid="server-ca-none">{t('pengaturan.serverCa.none')}</p>}
      {value?.source === 'option' && <p data-testid="server-ca-option">{t('pengaturan.serverCa.option', { file: value.file ?? '' })}</p>}
      {value && value.certificates.length > 0 && <Certificates ca={value} />}
      {value && value.source !== 'option' && (
        <div className="form-actions">
          <input ref={input} type="file" hidden accept=".pem,.crt,.cer,.der,application/x-pem-file,application/x-x509-ca-cert"
            onChange={(e) => void pick(e.target.files?.[0])} data-testid="server-ca-file" />
          <button type="button" className="button-primary" onClick={() => input.current?.click()} data-testid="server-ca-pick">
            {t(value.source === 'settings' ? 'pengaturan.serverCa.replace' : 'pengaturan.serverCa.pick')}
          </button>
          {value.source === 'settings' && (
            <button type="button" className="button-secondary" onClick={() => void clear()} data-testid="server-ca-clear">{t('pengaturan.serverCa.clear')}</button>
          )}
        </div>
      )}
      <p className="form-status" role="status" aria-live="polite">
        {saved && <span className="saved" data-testid="server-ca-saved">✓ {t('pengaturan.serverCa.saved')}</span>}
      </p>
      {error && <p className="notice notice-error" role="alert" data-testid="server-ca-error">{errorText(error, currentLanguage())}</p>}
    </section>
  );
}
