// Pengaturan's remote signing: how the signed-in official signs (USB token, the Cloud Signature
// Consortium service, or BSrE with their NIK), and the remote services' addresses and client
// credentials. Addresses are desk settings; the client ID and secret go to main's secret store
// through their own channel — the secret is sent once and never shown back, only "tersimpan".
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings, SigningMethod } from '../../../../common/ipc/app.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { SigningServices } from '../../../../common/ipc/sign.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, fieldErrorText } from '../../i18n/index.ts';
import { issuesByField } from './field-errors.ts';
import { SaveRow } from './SaveRow.tsx';

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: IpcError; issues: Map<string, string> };
const methods: SigningMethod[] = ['token', 'csc', 'bsre'];
const remoteServices = ['csc', 'bsre'] as const;
type Service = (typeof remoteServices)[number];

function FieldError({ field, issues }: { field: string; issues: Map<string, string> }) {
  const issue = issues.get(field);
  return issue ? <p className="field-error" id={`setting-${field}-error`} data-testid={`settings-error-${field}`}>{fieldErrorText(field, issue, currentLanguage())}</p> : null;
}

/** The signed-in official's own way of signing; Tanda Tangan starts from it. */
function OwnMethod({ services, onSaved }: { services: SigningServices; onSaved(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [method, setMethod] = useState<SigningMethod>(services.official.method);
  const [nik, setNik] = useState(services.official.nik ?? '');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const issues = status.kind === 'failed' ? status.issues : new Map<string, string>();

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    const result = await bridge.invoke('sign.method.save', { method, nik: method === 'bsre' ? nik.trim() : '' });
    if (result.ok) {
      setStatus({ kind: 'saved' });
      onSaved();
    } else {
      setStatus({ kind: 'failed', error: result.error, issues: issuesByField(result.error) });
    }
  }

  return (
    <form className="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="signing-method-legend" data-testid="signing-method-settings">
      <h2 id="signing-method-legend">{t('pengaturanTtd.method.legend')}</h2>
      <p className="field-hint">{services.official.name ? t('pengaturanTtd.method.hintFor', { name: services.official.name }) : t('pengaturanTtd.method.hintDesk')}</p>
      <div className="segmented" role="radiogroup" aria-label={t('pengaturanTtd.method.legend')}>
        {methods.map((m) => (
          <label key={m} className={method === m ? 'segment checked' : 'segment'}>
            <input type="radio" name="signing-method" value={m} checked={method === m} onChange={() => { setMethod(m); setStatus({ kind: 'idle' }); }} data-testid={`settings-method-${m}`} />
            <span>{t(`tandaTangan.method.${m}`)}</span>
          </label>
        ))}
      </div>
      {method === 'bsre' && (
        <div className={issues.has('nik') ? 'field invalid' : 'field'}>
          <label htmlFor="setting-nik">{t('pengaturanTtd.method.nik')}</label>
          <input id="setting-nik" type="text" inputMode="numeric" autoComplete="off" maxLength={16} value={nik} onChange={(e) => setNik(e.target.value)}
            aria-invalid={issues.has('nik') ? true : undefined} aria-describedby="setting-nik-hint" data-testid="settings-nik" />
          <FieldError field="nik" issues={issues} />
          <p className="field-hint" id="setting-nik-hint">{t('pengaturanTtd.method.nikHint')}</p>
        </div>
      )}
      <SaveRow saving={status.kind === 'saving'} saved={status.kind === 'saved'} label={t('pengaturan.save')} savedLabel={t('pengaturan.saved')} testId="signing-method-save" />
      {status.kind === 'failed' && status.issues.size === 0 && <p className="notice notice-error" role="alert">{errorText(status.error, currentLanguage())}</p>}
    </form>
  );
}

type Draft = Record<Service, { url: string; clientId: string; clientSecret: string }>;
const draftOf = (services: SigningServices, settings: Settings): Draft => ({
  csc: { url: settings.cscUrl ?? '', clientId: services.csc.clientId ?? '', clientSecret: '' },
  bsre: { url: settings.bsreUrl ?? '', clientId: services.bsre.clientId ?? '', clientSecret: '' },
});

/** The services' addresses (settings) and client credentials (secret store). */
function Services({ services, settings, onSaved }: { services: SigningServices; settings: Settings; onSaved(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [draft, setDraft] = useState<Draft>(() => draftOf(services, settings));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const issues = status.kind === 'failed' ? status.issues : new Map<string, string>();

  function edit(service: Service, patch: Partial<Draft[Service]>) {
    setDraft((prev) => ({ ...prev, [service]: { ...prev[service], ...patch } }));
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    const saved = await bridge.invoke('settings.update', { cscUrl: draft.csc.url.trim(), bsreUrl: draft.bsre.url.trim() });
    if (!saved.ok) {
      setStatus({ kind: 'failed', error: saved.error, issues: issuesByField(saved.error) });
      return;
    }
    for (const service of remoteServices) {
      const { clientId, clientSecret } = draft[service];
      if (clientId.trim() === (services[service].clientId ?? '') && clientSecret === '') continue;
      const result = await bridge.invoke('sign.services.client', { service, clientId: clientId.trim(), ...(clientSecret !== '' ? { clientSecret } : {}) });
      if (!result.ok) {
        const byField = new Map([...issuesByField(result.error)].map(([field, message]) => [`${service}-${field}`, message]));
        setStatus({ kind: 'failed', error: result.error, issues: byField });
        return;
      }
    }
    setDraft((prev) => ({ csc: { ...prev.csc, clientSecret: '' }, bsre: { ...prev.bsre, clientSecret: '' } }));
    setStatus({ kind: 'saved' });
    onSaved();
  }

  return (
    <form className="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="remote-services-legend" data-testid="remote-services-settings">
      <h2 id="remote-services-legend">{t('pengaturanTtd.remote.legend')}</h2>
      <p className="field-hint">{t('pengaturanTtd.remote.hint')}</p>
      {remoteServices.map((service) => {
        const urlField = service === 'csc' ? 'cscUrl' : 'bsreUrl';
        const state = services[service];
        return (
          <fieldset key={service} className="remote-service" data-testid={`settings-${service}`}>
            <legend>{t(`pengaturanTtd.remote.${service}`)}</legend>
            <div className={issues.has(urlField) ? 'field invalid' : 'field'}>
              <label htmlFor={`setting-${urlField}`}>{t('pengaturanTtd.remote.url')}</label>
              <input id={`setting-${urlField}`} type="text" inputMode="url" autoComplete="off" spellCheck={false} maxLength={2048} value={draft[service].url}
                placeholder={state.fromEnvironment && draft[service].url === '' ? state.url : undefined}
                onChange={(e) => edit(service, { url: e.target.value })} aria-invalid={issues.has(urlField) ? true : undefined} aria-describedby={`setting-${urlField}-hint`} data-testid={`settings-${urlField}`} />
              <FieldError field={urlField} issues={issues} />
              <p className="field-hint" id={`setting-${urlField}-hint`}>{t(`pengaturanTtd.remote.${urlField}Hint`)}{state.fromEnvironment && ` ${t('pengaturanTtd.remote.fromEnvironment')}`}</p>
            </div>
            <div className="field">
              <label htmlFor={`setting-${service}-clientId`}>{t('pengaturanTtd.remote.clientId')}</label>
              <input id={`setting-${service}-clientId`} type="text" autoComplete="off" spellCheck={false} maxLength={200} value={draft[service].clientId}
                onChange={(e) => edit(service, { clientId: e.target.value })} data-testid={`settings-${service}-client-id`} />
              <FieldError field={`${service}-clientId`} issues={issues} />
            </div>
            <div className="field">
              <label htmlFor={`setting-${service}-clientSecret`}>{t('pengaturanTtd.remote.clientSecret')}</label>
              <input id={`setting-${service}-clientSecret`} type="password" autoComplete="new-password" maxLength={500} value={draft[service].clientSecret}
                placeholder={state.secretSaved ? t('pengaturanTtd.remote.secretSaved') : ''} aria-describedby={`setting-${service}-clientSecret-hint`}
                onChange={(e) => edit(service, { clientSecret: e.target.value })} data-testid={`settings-${service}-client-secret`} />
              <FieldError field={`${service}-clientSecret`} issues={issues} />
              <p className="field-hint" id={`setting-${service}-clientSecret-hint`} data-testid={`settings-${service}-secret-state`}>
                {state.secretSaved ? t('pengaturanTtd.remote.secretKept') : t('pengaturanTtd.remote.secretHint')}
              </p>
            </div>
          </fieldset>
        );
      })}
      <SaveRow saving={status.kind === 'saving'} saved={status.kind === 'saved'} label={t('pengaturan.save')} savedLabel={t('pengaturan.saved')} testId="remote-services-save" />
      {status.kind === 'failed' && (
        <p className="notice notice-error" role="alert">{status.issues.size > 0 ? t('pengaturan.fixFields') : errorText(status.error, currentLanguage())}</p>
      )}
    </form>
  );
}

export function RemoteSigningSettings({ settings }: { settings: Settings }) {
  // A change of the signed-in person changes whose method is shown.
  const services = useLive('sign.services', 'auth.changed');
  if (!services.value) return null;
  return (
    <>
      <OwnMethod key={services.value.official.name ?? ''} services={services.value} onSaved={services.reload} />
      <Services services={services.value} settings={settings} onSaved={services.reload} />
    </>
  );
}
