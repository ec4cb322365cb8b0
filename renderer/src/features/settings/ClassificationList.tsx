// Pengaturan → "Kode klasifikasi arsip": the office's classification list (seeded from the list
// shipped in resources/), searched by code or name as the admin types; a name is changed in its
// row (Enter or Simpan) and a new code is added below. A person who may not change it only searches.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, ReplyOf } from '../../../../common/ipc/index.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, fieldErrorText } from '../../i18n/index.ts';
import { issuesByField } from './field-errors.ts';

type Classification = ReplyOf<'letters.classification.save'>;
type RowState = { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

const searchDelayMs = 150;

function useClassificationSearch(query: string) {
  const bridge = useBridge();
  const [found, setFound] = useState<Classification[] | undefined>();
  const [error, setError] = useState<IpcError | undefined>();
  const latest = useRef(0);
  const [again, setAgain] = useState(0);

  useEffect(() => {
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      void bridge.invoke('letters.classifications', { query }).then((result) => {
        if (ticket !== latest.current) return;
        if (result.ok) { setFound(result.value); setError(undefined); } else setError(result.error);
      });
    }, searchDelayMs);
    return () => clearTimeout(timer);
  }, [bridge, query, again]);

  return { found, error, reload: () => setAgain((n) => n + 1) };
}

function AddCode({ onAdded }: { onAdded: (entry: Classification) => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [draft, setDraft] = useState({ code: '', name: '' });
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<IpcError | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const inputs = useRef(new Map<string, HTMLInputElement>());

  async function add(event: FormEvent) {
    event.preventDefault();
    const result = await bridge.invoke('letters.classification.add', draft);
    if (result.ok) {
      setDraft({ code: '', name: '' });
      setIssues(new Map());
      setFailure(undefined);
      setAdded(result.value.code);
      onAdded(result.value);
      inputs.current.get('code')?.focus();
      return;
    }
    const byField = issuesByField(result.error);
    setIssues(byField);
    setFailure(byField.size === 0 ? result.error : undefined);
    setAdded(undefined);
    inputs.current.get(byField.has('code') || !byField.has('name') ? 'code' : 'name')?.focus();
  }

  return (
    <form className="pa-add" onSubmit={(e) => void add(e)} noValidate aria-labelledby="class-add-title">
      <h3 id="class-add-title">{t('pengaturanAgenda.classification.addTitle')}</h3>
      <div className="pa-add-fields">
        {(['code', 'name'] as const).map((field) => {
          const issue = issues.get(field);
          const id = `class-add-${field}`;
          return (
            <div className={issue ? `field invalid pa-add-${field}` : `field pa-add-${field}`} key={field}>
              <label htmlFor={id}>{t(`pengaturanAgenda.classification.${field}`)}</label>
              <input
                id={id}
                ref={(el) => { if (el) inputs.current.set(field, el); else inputs.current.delete(field); }}
                type="text"
                value={draft[field]}
                onChange={(e) => { setDraft((d) => ({ ...d, [field]: e.target.value })); setAdded(undefined); }}
                maxLength={field === 'code' ? 30 : 200}
                inputMode={field === 'code' ? 'decimal' : undefined}
                autoComplete="off"
                aria-invalid={issue ? true : undefined}
                aria-describedby={issue ? `${id}-error ${id}-hint` : `${id}-hint`}
                data-testid={id}
              />
              {issue && <p className="field-error" id={`${id}-error`} data-testid={`class-add-error-${field}`}>{fieldErrorText(field === 'code' ? 'classificationCode' : 'classificationName', issue, language)}</p>}
              <p className="field-hint" id={`${id}-hint`}>{t(`pengaturanAgenda.classification.${field}Hint`)}</p>
            </div>
          );
        })}
      </div>
      <div className="form-actions">
        <button type="submit" className="button-secondary" data-testid="class-add">{t('pengaturanAgenda.classification.add')}</button>
        <p className="form-status" role="status" aria-live="polite">
          {added && <span className="saved" data-testid="class-added">✓ {t('pengaturanAgenda.classification.added', { code: added })}</span>}
        </p>
      </div>
      {failure && <p className="notice notice-error" role="alert">{errorText(failure, language)}</p>}
    </form>
  );
}

export function ClassificationList({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [query, setQuery] = useState('');
  const { found, error, reload } = useClassificationSearch(query);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [rows, setRows] = useState<Map<string, RowState>>(new Map());

  const setRow = (code: string, state: RowState | undefined) => setRows((m) => {
    const next = new Map(m);
    if (state) next.set(code, state); else next.delete(code);
    return next;
  });

  async function rename(entry: Classification) {
    const name = names.get(entry.code) ?? entry.name;
    if (name === entry.name) return;
    setRow(entry.code, { kind: 'saving' });
    const result = await bridge.invoke('letters.classification.save', { code: entry.code, name });
    if (result.ok) {
      setNames((m) => { const next = new Map(m); next.delete(entry.code); return next; });
      setRow(entry.code, { kind: 'saved' });
      reload();
      return;
    }
    const issue = issuesByField(result.error).get('name');
    setRow(entry.code, { kind: 'failed', message: issue !== undefined ? fieldErrorText('classificationName', issue, language) : errorText(result.error, language) });
  }

  function onNameKey(event: KeyboardEvent<HTMLInputElement>, entry: Classification) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void rename(entry);
    }
  }

  return (
    <section className="panel pa-classifications" aria-labelledby="class-title" data-testid="classification-list">
      <h2 id="class-title">{t('pengaturanAgenda.classification.title')}</h2>
      <p className="field-hint">{t('pengaturanAgenda.classification.intro')}</p>
      {!editable && <p className="pa-readonly" data-testid="class-readonly">{t('pengaturanAgenda.classification.readOnly')}</p>}
      <div className="field">
        <label htmlFor="class-search">{t('pengaturanAgenda.classification.search')}</label>
        <input id="class-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} maxLength={200} autoComplete="off" data-testid="class-search" />
      </div>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      <table className={editable ? 'pa-table pa-table-editable' : 'pa-table'} aria-labelledby="class-title" aria-busy={found === undefined}>
        <thead>
          <tr>
            <th scope="col">{t('pengaturanAgenda.classification.code')}</th>
            <th scope="col">{t('pengaturanAgenda.classification.name')}</th>
            {editable && <th scope="col"><span className="visually-hidden">{t('pengaturanAgenda.classification.actions')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {found?.length === 0 && <tr><td colSpan={editable ? 3 : 2} className="muted">{t('pengaturanAgenda.classification.none')}</td></tr>}
          {found?.map((entry) => {
            const row = rows.get(entry.code);
            const nameId = `class-name-${entry.code}`;
            return (
              <tr key={entry.code} data-testid={`class-row-${entry.code}`}>
                <th scope="row"><code>{entry.code}</code></th>
                <td>
                  {editable ? (
                    <>
                      <input
                        id={nameId}
                        type="text"
                        value={names.get(entry.code) ?? entry.name}
                        onChange={(e) => { const value = e.target.value; setNames((m) => new Map(m).set(entry.code, value)); setRow(entry.code, undefined); }}
                        onKeyDown={(e) => onNameKey(e, entry)}
                        maxLength={200}
                        aria-label={t('pengaturanAgenda.classification.nameFor', { code: entry.code })}
                        aria-invalid={row?.kind === 'failed' ? true : undefined}
                        aria-describedby={row?.kind === 'failed' ? `${nameId}-error` : undefined}
                        data-testid={nameId}
                      />
                      {row?.kind === 'failed' && <p className="field-error" id={`${nameId}-error`} data-testid={`class-error-${entry.code}`}>{row.message}</p>}
                    </>
                  ) : entry.name}
                </td>
                {editable && (
                  <td className="pa-row-actions">
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => void rename(entry)}
                      disabled={row?.kind === 'saving' || (names.get(entry.code) ?? entry.name) === entry.name}
                      aria-label={t('pengaturanAgenda.classification.saveFor', { code: entry.code })}
                      data-testid={`class-save-${entry.code}`}
                    >
                      {t('pengaturanAgenda.classification.save')}
                    </button>
                    <span role="status" aria-live="polite">{row?.kind === 'saved' && <span className="saved" data-testid={`class-saved-${entry.code}`}>✓</span>}</span>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {found !== undefined && found.length >= 20 && <p className="field-hint">{t('pengaturanAgenda.classification.more')}</p>}
      {editable && <AddCode onAdded={(entry) => setQuery(entry.code)} />}
    </section>
  );
}
