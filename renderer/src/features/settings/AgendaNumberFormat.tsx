// Pengaturan → "Nomor agenda surat masuk" and "Nomor surat keluar": the office's number template and
// unit code of each book, with the number the next letter would get shown as the admin types (main
// renders it, so the preview is exactly what registration or signing will write). A person who may
// not change it sees it read-only.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, ReplyOf } from '../../../../common/ipc/index.ts';
import type { AgendaConfig } from '../../../../common/ipc/numbering.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, fieldErrorText } from '../../i18n/index.ts';
import { issuesByField } from './field-errors.ts';
import { SaveRow } from './SaveRow.tsx';

type Field = keyof AgendaConfig;
type Preview = ReplyOf<'letters.agendaConfig.preview'>;
/** The incoming agenda ('in') or the outgoing book ('out'): its channels, its texts and its test ids. */
export type Book = 'in' | 'out';
const bookParts = {
  in: { preview: 'letters.agendaConfig.preview', save: 'letters.agendaConfig.save', texts: 'pengaturanAgenda.format', id: 'agenda' },
  out: { preview: 'letters.outgoingConfig.preview', save: 'letters.outgoingConfig.save', texts: 'pengaturanAgenda.outgoingFormat', id: 'outgoing' },
} as const;
type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: IpcError };

/** The parts of a template, in the order the hint lists them (numbering.ts knows the same ones). */
const placeholders = ['urut', 'urut:4', 'kode_unit', 'klasifikasi', 'tahun', 'bulan', 'bulan_romawi'] as const;
/** Typing pauses this long before main renders the preview. */
const previewDelayMs = 200;

const fields: { field: Field; testId: string; maxLength: number; errorKey: string }[] = [
  { field: 'template', testId: 'template', maxLength: 120, errorKey: 'agendaTemplate' },
  { field: 'unitCode', testId: 'unit-code', maxLength: 20, errorKey: 'agendaUnitCode' },
];

function PlaceholderList({ book }: { book: Book }) {
  const { t } = useTranslation();
  const { texts, id } = bookParts[book];
  return (
    <dl className="pa-placeholders" id={`${id}-placeholders`}>
      {placeholders.map((p) => (
        <div key={p}>
          <dt><code>{`{${p}}`}</code></dt>
          <dd>{t(`${texts}.placeholders.${p.replace(':', '_')}`)}</dd>
        </div>
      ))}
    </dl>
  );
}

function PreviewLine({ book, preview }: { book: Book; preview: Preview | undefined }) {
  const { t } = useTranslation();
  const { texts, id } = bookParts[book];
  return (
    <div className="pa-preview" role="status" aria-live="polite">
      <span className="pa-preview-label">{t(`${texts}.preview`)}</span>
      <output data-testid={`${id}-preview`}>{preview?.label ?? '—'}</output>
      {preview?.sampleClassification && <span className="field-hint">{t(`${texts}.previewClassification`, { code: preview.sampleClassification })}</span>}
      {preview && !preview.numbersHeld && <span className="field-hint">{t(`${texts}.noNumbersHeld`)}</span>}
    </div>
  );
}

export function AgendaNumberFormat({ book, saved, editable, onSaved }: { book: Book; saved: AgendaConfig; editable: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const { texts, id: bookId } = bookParts[book];
  const bridge = useBridge();
  const language = currentLanguage();
  const [draft, setDraft] = useState<AgendaConfig>(saved);
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [preview, setPreview] = useState<Preview | undefined>();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const inputs = useRef(new Map<Field, HTMLInputElement>());
  const latestPreview = useRef(0);

  // The read-only view follows what is saved (another admin may change it); an editor keeps typing.
  useEffect(() => {
    if (!editable) setDraft(saved);
  }, [editable, saved]);

  useEffect(() => {
    const ticket = ++latestPreview.current;
    const timer = setTimeout(() => {
      void bridge.invoke(bookParts[book].preview, draft).then((result) => {
        if (ticket !== latestPreview.current) return;
        if (result.ok) {
          setPreview(result.value);
          setIssues(new Map());
        } else {
          setPreview(undefined);
          setIssues(issuesByField(result.error));
        }
      });
    }, previewDelayMs);
    return () => clearTimeout(timer);
  }, [bridge, book, draft]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    const result = await bridge.invoke(bookParts[book].save, draft);
    if (result.ok) {
      setDraft(result.value.config);
      setIssues(new Map());
      setStatus({ kind: 'saved' });
      onSaved();
      return;
    }
    const byField = issuesByField(result.error);
    setIssues(byField);
    setStatus({ kind: 'failed', error: result.error });
    const firstInvalid = fields.find(({ field }) => byField.has(field));
    if (firstInvalid) inputs.current.get(firstInvalid.field)?.focus();
  }

  function edit(field: Field, value: string) {
    setDraft((prev) => ({ ...prev, [field]: value }));
    if (status.kind !== 'saving') setStatus({ kind: 'idle' });
  }

  if (!editable) {
    return (
      <section className="panel" aria-labelledby={`${bookId}-format-title`} data-testid={`${bookId}-format`}>
        <h2 id={`${bookId}-format-title`}>{t(`${texts}.title`)}</h2>
        <p className="pa-readonly" data-testid={`${bookId}-readonly`}>{t('pengaturanAgenda.readOnly')}</p>
        <dl className="pa-values">
          <dt>{t(`${texts}.template`)}</dt>
          <dd><code data-testid={`${bookId}-template-value`}>{saved.template}</code></dd>
          <dt>{t(`${texts}.unitCode`)}</dt>
          <dd><code data-testid={`${bookId}-unit-code-value`}>{saved.unitCode}</code></dd>
        </dl>
        <PreviewLine book={book} preview={preview} />
      </section>
    );
  }

  const formError = status.kind === 'failed' && issues.size === 0 ? errorText(status.error, language) : undefined;

  return (
    <form className="panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby={`${bookId}-format-title`} data-testid={`${bookId}-format`}>
      <h2 id={`${bookId}-format-title`}>{t(`${texts}.title`)}</h2>
      <p className="field-hint">{t(`${texts}.intro`)}</p>
      {fields.map(({ field, testId, maxLength, errorKey }) => {
        const issue = issues.get(field);
        const id = `${bookId}-${field}`;
        const describedBy = [issue && `${id}-error`, `${id}-hint`, field === 'template' && `${bookId}-placeholders`].filter(Boolean).join(' ');
        return (
          <div className={issue ? 'field invalid' : 'field'} key={field}>
            <label htmlFor={id}>{t(`${texts}.${field}`)}</label>
            <input
              id={id}
              ref={(el) => { if (el) inputs.current.set(field, el); else inputs.current.delete(field); }}
              type="text"
              className="pa-mono"
              value={draft[field]}
              onChange={(e) => edit(field, e.target.value)}
              maxLength={maxLength}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={issue ? true : undefined}
              aria-describedby={describedBy}
              data-testid={`${bookId}-${testId}`}
            />
            {issue && <p className="field-error" id={`${id}-error`} data-testid={`${bookId}-error-${field}`}>{fieldErrorText(errorKey, issue, language)}</p>}
            <p className="field-hint" id={`${id}-hint`}>{t(`${texts}.${field}Hint`)}</p>
            {field === 'template' && <PlaceholderList book={book} />}
          </div>
        );
      })}
      <PreviewLine book={book} preview={preview} />
      <SaveRow saving={status.kind === 'saving'} saved={status.kind === 'saved'} label={t(`${texts}.save`)} savedLabel={t(`${texts}.saved`)} testId={`${bookId}-save`} />
      {formError && <p className="notice notice-error" role="alert" data-testid={`${bookId}-form-error`}>{formError}</p>}
    </form>
  );
}
