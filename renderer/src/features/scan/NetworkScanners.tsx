// Pindai's network scanners: the ones this desk remembers (entered by an admin, or found on the
// network and listed before), each with its address, how the desk trusts its HTTPS certificate
// (pinned when first reached, or trusted by a person) and when it last answered; an admin adds a
// scanner by its address (for one on another subnet, which discovery cannot find) or forgets one.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ReplyOf } from '../../../../common/ipc/index.ts';
import type { NetworkScanner } from '../../../../common/ipc/scan.ts';
import { useBridge, type Live } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDay } from '../../i18n/index.ts';

interface Props {
  remembered: Live<ReplyOf<'scan.network.list'>> & { reload(): void };
  /** A scanner was added or forgotten: search again. */
  onChanged(): void;
}

export function NetworkScanners({ remembered, onChanged }: Props) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [added, setAdded] = useState<NetworkScanner | null>(null);
  const scanners = remembered.value?.scanners ?? [];
  const editable = remembered.value?.editable ?? false;

  async function add(event: FormEvent) {
    event.preventDefault();
    const result = await bridge.invoke('scan.network.add', { url, ...(label.trim() ? { label } : {}) });
    if (!result.ok) return setFailure(result.error);
    setFailure(null);
    setAdded(result.value);
    setUrl('');
    setLabel('');
    onChanged();
  }

  async function remove(scanner: NetworkScanner) {
    if (!window.confirm(t('pindai.network.removeConfirm', { name: scanner.label ?? scanner.name }))) return;
    const result = await bridge.invoke('scan.network.remove', { url: scanner.url });
    if (!result.ok) return setFailure(result.error);
    setFailure(null);
    onChanged();
  }

  return (
    <details className="panel pindai-network" data-testid="pindai-network">
      <summary>{t('pindai.network.title', { count: scanners.length })}</summary>
      <p className="field-hint">{t('pindai.network.hint')}</p>
      {scanners.length > 0 && (
        <ul className="pindai-network-list">
          {scanners.map((s) => (
            <li key={s.url} data-testid="pindai-network-scanner" data-url={s.url}>
              <span><strong>{s.label ?? s.name}</strong> <span className="pindai-network-origin">· {t(`pindai.network.origin.${s.origin}`)}</span></span>
              <code>{s.url}</code>
              {s.certificate && (
                <span className="pindai-fingerprint" title={s.certificate.sha256}>
                  {s.certificate.trustedBy === 'first-use' ? t('pindai.network.pinnedFirstUse') : t('pindai.network.pinnedBy')}{' '}
                  <code>{s.certificate.sha256}</code>
                </span>
              )}
              <span className="field-hint">{s.lastSeenAt ? t('pindai.network.lastSeen', { date: formatDay(s.lastSeenAt, language) }) : t('pindai.network.neverSeen')}</span>
              {editable && <button type="button" className="button-link" onClick={() => void remove(s)}>{t('pindai.network.remove')}</button>}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form onSubmit={(e) => void add(e)} className="pindai-network-add">
          <div className="field">
            <label htmlFor="pindai-network-url">{t('pindai.network.url')}</label>
            <input id="pindai-network-url" type="text" inputMode="url" value={url} onChange={(e) => { setUrl(e.target.value); setFailure(null); }} placeholder="192.168.1.20 · https://192.168.1.20/eSCL" data-testid="pindai-network-url" />
          </div>
          <div className="field">
            <label htmlFor="pindai-network-label">{t('pindai.network.label')}</label>
            <input id="pindai-network-label" type="text" maxLength={80} value={label} onChange={(e) => setLabel(e.target.value)} placeholder={t('pindai.network.labelHint')} data-testid="pindai-network-label" />
          </div>
          <button type="submit" className="button-secondary" data-testid="pindai-network-add">{t('pindai.network.add')}</button>
          <p className="form-status" role="status" aria-live="polite">
            {added && <span className="saved">✓ {t('pindai.network.added', { url: added.url })}</span>}
          </p>
        </form>
      ) : (
        <p className="field-hint">{t('pindai.network.adminOnly')}</p>
      )}
      {failure && <p className="field-error" role="alert" data-testid="pindai-network-error">{errorText(failure, language)}</p>}
    </details>
  );
}
