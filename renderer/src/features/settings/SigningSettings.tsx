// Pengaturan's "Tanda tangan elektronik" section: the token driver (PKCS#11 module) chosen among the
// known drivers found on this computer, "Otomatis" or a path typed in, and the TSA, OCSP and
// verification addresses. Empty means "not set here": main then uses its environment, else automatic.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../common/ipc/app.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, fieldErrorText } from '../../i18n/index.ts';
import { issuesByField } from './field-errors.ts';
import { SaveRow } from './SaveRow.tsx';

type UrlField = 'tsaUrl' | 'ocspUrl' | 'verifyUrl';
type Draft = { tokenModulePath: string } & Record<UrlField, string>;
const urlFields: UrlField[] = ['tsaUrl', 'ocspUrl', 'verifyUrl'];
const otherModule = 'other';

const draftOf = (s: Settings): Draft => ({ tokenModulePath: s.tokenModulePath ?? '', tsaUrl: s.tsaUrl ?? '', ocspUrl: s.ocspUrl ?? '', verifyUrl: s.verifyUrl ?? '' });

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: IpcError; issues: Map<string, string> };

export function SigningSettings({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const tokens = useLive('sign.tokens');
  const modules = tokens.value?.modules ?? [];
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  // "Lainnya (path)" stays chosen while the person types, even when the path matches no known driver yet.
  const [typingPath, setTypingPath] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const known = modules.some((m) => m.path === draft.tokenModulePath);
  const moduleChoice = typingPath || (draft.tokenModulePath !== '' && !known) ? otherModule : draft.tokenModulePath;
  const issues = status.kind === 'failed' ? status.issues : new Map<string, string>();

  function edit(patch: Partial<Draft>) {
    setDraft((prev) => ({ ...prev, ...patch }));
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  }

  function chooseModule(value: string) {
    setTypingPath(value === otherModule);
    edit({ tokenModulePath: value === otherModule ? '' : value });
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    const patch = { tokenModulePath: draft.tokenModulePath.trim(), tsaUrl: draft.tsaUrl.trim(), ocspUrl: draft.ocspUrl.trim(), verifyUrl: draft.verifyUrl.trim() };
    const result = await bridge.invoke('settings.update', patch);
    if (result.ok) {
      setDraft(draftOf(result.value));
      setStatus({ kind: 'saved' });
      tokens.reload();
    } else {
      setStatus({ kind: 'failed', error: result.error, issues: issuesByField(result.error) });
    }
  }

  const fieldError = (field: keyof Draft) => {
    const issue = issues.get(field);
    return issue && <p className="field-error" id={`setting-${field}-error`} data-testid={`settings-error-${field}`}>{fieldErrorText(field, issue, language)}</p>;
  };
  const describedBy = (field: keyof Draft) => (issues.has(field) ? `setting-${field}-error setting-${field}-hint` : `setting-${field}-hint`);

  return (
    <form className="panel signing-settings" onSubmit={(e) => void save(e)} noValidate aria-labelledby="signing-legend" data-testid="signing-settings">
      <h2 id="signing-legend">{t('pengaturanTtd.legend')}</h2>

      <div className={issues.has('tokenModulePath') ? 'field invalid' : 'field'}>
        <label htmlFor="setting-tokenModuleChoice">{t('pengaturanTtd.module')}</label>
        <select id="setting-tokenModuleChoice" value={moduleChoice} onChange={(e) => chooseModule(e.target.value)} aria-describedby={describedBy('tokenModulePath')} data-testid="settings-token-module">
          <option value="">{t('pengaturanTtd.moduleAuto')}</option>
          {modules.map((m) => <option key={m.path} value={m.path}>{`${m.name} (${m.path})`}</option>)}
          <option value={otherModule}>{t('pengaturanTtd.moduleOther')}</option>
        </select>
        {moduleChoice === otherModule && (
          <input
            id="setting-tokenModulePath"
            type="text"
            value={draft.tokenModulePath}
            onChange={(e) => edit({ tokenModulePath: e.target.value })}
            placeholder="/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
            spellCheck={false}
            autoComplete="off"
            aria-label={t('pengaturanTtd.modulePath')}
            aria-invalid={issues.has('tokenModulePath') ? true : undefined}
            aria-describedby={describedBy('tokenModulePath')}
            data-testid="settings-token-module-path"
          />
        )}
        {fieldError('tokenModulePath')}
        <p className="field-hint" id="setting-tokenModulePath-hint">{t('pengaturanTtd.moduleHint')}</p>
      </div>

      {urlFields.map((field) => (
        <div className={issues.has(field) ? 'field invalid' : 'field'} key={field}>
          <label htmlFor={`setting-${field}`}>{t(`pengaturanTtd.${field}`)}</label>
          <input
            id={`setting-${field}`}
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={2048}
            value={draft[field]}
            onChange={(e) => edit({ [field]: e.target.value })}
            aria-invalid={issues.has(field) ? true : undefined}
            aria-describedby={describedBy(field)}
            data-testid={`settings-${field}`}
          />
          {fieldError(field)}
          <p className="field-hint" id={`setting-${field}-hint`}>{t(`pengaturanTtd.${field}Hint`)}</p>
        </div>
      ))}

      <SaveRow saving={status.kind === 'saving'} saved={status.kind === 'saved'} label={t('pengaturan.save')} savedLabel={t('pengaturan.saved')} testId="signing-settings-save" />
      {status.kind === 'failed' && (
        <p className="notice notice-error" role="alert">{status.issues.size > 0 ? t('pengaturan.fixFields') : errorText(status.error, language)}</p>
      )}
    </form>
  );
}
