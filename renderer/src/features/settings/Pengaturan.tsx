// Pengaturan: the desk's own settings. The display language applies (and is saved) at once; desk
// name, office name and server address are saved together, and main's validation problems are
// shown next to the field they concern. The office's agenda number format and classification list
// follow (AgendaSettings), and for the admin kantor the office's desks' log chains (DeskChains).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language, Settings } from '../../../../common/ipc/app.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { applyLanguage, currentLanguage, errorText, fieldErrorText } from '../../i18n/index.ts';
import { AgendaSettings } from './AgendaSettings.tsx';
import { DeskChains } from './DeskChains.tsx';
import { issuesByField } from './field-errors.ts';
import { RemoteSigningSettings } from './RemoteSigningSettings.tsx';
import { ServerCaSettings } from '../sync/ServerCaSettings.tsx';
import { SigningSettings } from './SigningSettings.tsx';
import { ParafPolicySetting } from './ParafPolicySetting.tsx';
import { TimeZoneSetting } from './TimeZoneSetting.tsx';
import { KopTemplat } from './KopTemplat.tsx';
import { SaveRow } from './SaveRow.tsx';

type TextField = 'deskName' | 'officeName' | 'serverUrl';
type Draft = Pick<Settings, TextField>;

const textFields: { field: TextField; testId: string; maxLength: number; inputMode?: 'url'; autoComplete: string }[] = [
  { field: 'deskName', testId: 'settings-desk-name', maxLength: 80, autoComplete: 'off' },
  { field: 'officeName', testId: 'settings-office-name', maxLength: 160, autoComplete: 'organization' },
  { field: 'serverUrl', testId: 'settings-server-url', maxLength: 2048, inputMode: 'url', autoComplete: 'url' },
];

function draftOf(settings: Settings): Draft {
  return { deskName: settings.deskName, officeName: settings.officeName, serverUrl: settings.serverUrl };
}

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: IpcError } | { kind: 'languageSaved' } | { kind: 'languageFailed'; error: IpcError };

function LanguageChoice({ saved, onChange, outcome }: { saved: Language; onChange: (language: Language) => void; outcome: Status }) {
  const { t } = useTranslation();
  return (
    <fieldset className="panel" aria-describedby="language-hint">
      <legend>{t('pengaturan.language.legend')}</legend>
      <p className="field-hint" id="language-hint">{t('pengaturan.language.hint')}</p>
      <div className="segmented">
        {(['id', 'en'] as const).map((language) => (
          <label key={language} className={saved === language ? 'segment checked' : 'segment'}>
            <input
              type="radio"
              name="language"
              value={language}
              checked={saved === language}
              onChange={() => onChange(language)}
              data-testid={`settings-language-${language}`}
            />
            <span lang={language}>{t(`pengaturan.language.${language}`)}</span>
          </label>
        ))}
      </div>
      <p className="form-status" role="status" aria-live="polite">
        {outcome.kind === 'languageSaved' && <span className="saved" data-testid="settings-language-saved">✓ {t('pengaturan.language.saved')}</span>}
      </p>
      {outcome.kind === 'languageFailed' && <p className="notice notice-error" role="alert">{errorText(outcome.error, currentLanguage())}</p>}
    </fieldset>
  );
}

function AboutApp() {
  const { t } = useTranslation();
  const info = useLive('app.info');
  if (!info.value) return null;
  return (
    <section className="panel about" aria-labelledby="about-title">
      <h2 id="about-title">{t('pengaturan.about')}</h2>
      <dl>
        <dt>{t('pengaturan.version')}</dt>
        <dd data-testid="app-version">{info.value.version}</dd>
        <dt>{t('pengaturan.shell')}</dt>
        <dd>{t(`pengaturan.shells.${info.value.shell}`)}</dd>
        <dt>{t('pengaturan.dataDir')}</dt>
        <dd><code>{info.value.dataDir}</code></dd>
      </dl>
    </section>
  );
}

export function Pengaturan({ settings }: { settings: Settings | undefined }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [draft, setDraft] = useState<Draft | undefined>(settings && draftOf(settings));
  const [fieldIssues, setFieldIssues] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const inputs = useRef(new Map<TextField, HTMLInputElement>());
  // What an empty server address means depends on how the desk was started: the embedded server of
  // `npm start`, or no server at all (standalone).
  const syncStatus = useLive('sync.status', 'sync.changed');
  const defaultServer = settings?.serverUrl === '' ? syncStatus.value?.server ?? null : undefined;

  // The form starts from the saved settings once they arrive; later changes (e.g. the language
  // saved from this screen) must not wipe what the person is typing.
  useEffect(() => {
    if (settings && !draft) setDraft(draftOf(settings));
  }, [settings, draft]);

  if (!settings || !draft) return <section className="screen" aria-busy="true"><h1 tabIndex={-1}>{t('pengaturan.title')}</h1><p>{t('common.loading')}</p></section>;

  async function changeLanguage(next: Language) {
    applyLanguage(next);
    const result = await bridge.invoke('settings.update', { language: next });
    if (result.ok) {
      setStatus({ kind: 'languageSaved' });
    } else if (settings) {
      applyLanguage(settings.language);
      setStatus({ kind: 'languageFailed', error: result.error });
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setStatus({ kind: 'saving' });
    const result = await bridge.invoke('settings.update', draft);
    if (result.ok) {
      setDraft(draftOf(result.value));
      setFieldIssues(new Map());
      setStatus({ kind: 'saved' });
      return;
    }
    const issues = issuesByField(result.error);
    setFieldIssues(issues);
    setStatus({ kind: 'failed', error: result.error });
    const firstInvalid = textFields.find(({ field }) => issues.has(field));
    if (firstInvalid) inputs.current.get(firstInvalid.field)?.focus();
  }

  function edit(field: TextField, value: string) {
    setDraft((prev) => prev && { ...prev, [field]: value });
    if (status.kind === 'saved' || status.kind === 'languageSaved' || status.kind === 'languageFailed') setStatus({ kind: 'idle' });
  }

  const formMessage = status.kind === 'failed'
    ? (fieldIssues.size > 0 ? t('pengaturan.fixFields') : errorText(status.error, language))
    : undefined;

  return (
    <section className="screen" data-testid="screen-pengaturan" aria-labelledby="pengaturan-title">
      <div className="screen-head">
        <h1 id="pengaturan-title" tabIndex={-1}>{t('pengaturan.title')}</h1>
      </div>

      <LanguageChoice saved={language} onChange={(next) => void changeLanguage(next)} outcome={status} />

      <form className="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="desk-legend">
        <h2 id="desk-legend">{t('pengaturan.desk.legend')}</h2>
        {textFields.map(({ field, testId, maxLength, inputMode, autoComplete }) => {
          const issue = fieldIssues.get(field);
          const id = `setting-${field}`;
          return (
            <div className={issue ? 'field invalid' : 'field'} key={field}>
              <label htmlFor={id}>{t(`pengaturan.desk.${field}`)}</label>
              <input
                id={id}
                ref={(el) => { if (el) inputs.current.set(field, el); else inputs.current.delete(field); }}
                type="text"
                value={draft[field]}
                onChange={(e) => edit(field, e.target.value)}
                maxLength={maxLength}
                inputMode={inputMode}
                autoComplete={autoComplete}
                spellCheck={field !== 'serverUrl'}
                aria-invalid={issue ? true : undefined}
                aria-describedby={issue ? `${id}-error ${id}-hint` : `${id}-hint`}
                data-testid={testId}
              />
              {issue && <p className="field-error" id={`${id}-error`} data-testid={`settings-error-${field}`}>{fieldErrorText(field, issue, language)}</p>}
              <p className="field-hint" id={`${id}-hint`} data-testid={`settings-hint-${field}`}>
                {field !== 'serverUrl' ? t(`pengaturan.desk.${field}Hint`)
                  : defaultServer ? t('pengaturan.desk.serverUrlHintEmbedded', { url: defaultServer })
                    : t('pengaturan.desk.serverUrlHint')}
              </p>
            </div>
          );
        })}
        <SaveRow saving={status.kind === 'saving'} saved={status.kind === 'saved'} label={t('pengaturan.save')} savedLabel={t('pengaturan.saved')} testId="settings-save" />
        {formMessage && <p className="notice notice-error" role="alert" data-testid="settings-form-error">{formMessage}</p>}
      </form>

      {/* Who may change these depends on the server in use: a changed server address starts them afresh. */}
      <ServerCaSettings />

      <TimeZoneSetting settings={settings} />

      <AgendaSettings key={settings.serverUrl} />

      <SigningSettings settings={settings} />

      <RemoteSigningSettings settings={settings} />
      <KopTemplat />
      <DeskChains />
      <ParafPolicySetting />

      <AboutApp />
    </section>
  );
}
