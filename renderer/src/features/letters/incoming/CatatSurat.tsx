// Catat: register an incoming letter. The document (dropped or picked) is shown beside the form;
// OCR's proposals fill empty fields and stay marked "usulan" until the clerk accepts or edits them.
// Keyboard-first: Tab through the fields in agenda order, Enter or Ctrl+S saves, Esc twice leaves.
// Opened with a document id (a letter saved in Pindai), the form starts with that document loaded;
// opened with a delivered letter's id (Kiriman dari kantor lain), with its downloaded PDF and the
// fields the sending office registered, and it is saved as that delivery's registration here.
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { maxImportBytes } from '../../../../../common/ipc/documents.ts';
import type { DuplicateWarning } from '../../../../../common/ipc/incoming.ts';
import type { IpcError, ReplyOf } from '../../../../../common/ipc/index.ts';
import { documentTypes } from '../../../../../common/letters.ts';
import { useBridge } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, todayAtOffice } from '../../../i18n/index.ts';
import {
  applyProposals, dateFields, dateProblems, deliveredForm, emptyForm, fieldOrder, issuesByLetterField, toFields, typedDate, type FieldName, type FormValues, type PendingProposal,
} from './letter-form.ts';
import { ClassificationCodeList, useClassificationCodes } from './ClassificationCodes.tsx';
import { DuplicateComparison } from './DuplicateComparison.tsx';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { importFile } from './upload.ts';

type ImportedDocument = ReplyOf<'letters.import'>;
type OcrState = 'idle' | 'reading' | 'done' | 'failed';

const textAreas = new Set<FieldName>(['summary']);
const selects: Partial<Record<FieldName, readonly string[]>> = {
  urgency: ['biasa', 'segera', 'sangat_segera'],
  security: ['biasa', 'terbatas', 'rahasia'],
  documentType: documentTypes,
};

/** A file's size as a clerk reads it: 62 914 560 bytes → "60" (MB), one decimal at most. */
function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toLocaleString(currentLanguage() === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 });
}

export function WarningList({ warnings }: { warnings: readonly DuplicateWarning[] }) {
  const { t } = useTranslation();
  if (warnings.length === 0) return null;
  return (
    <div className="notice notice-warn" role="status" data-testid="sm-duplicate-warnings">
      <p className="sm-notice-title">{t('suratMasuk.duplicates.title')}</p>
      <ul>
        {warnings.map((w) => (
          <li key={w.letterId} data-testid="sm-duplicate-warning" data-reason={w.reason}>
            {t(`suratMasuk.duplicates.${w.reason}`)}{' '}
            <a href={`#/surat-masuk/${w.letterId}`}>{t('suratMasuk.duplicates.link', { agenda: w.agendaLabel ?? '—', subject: w.subject })}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CatatSurat({ documentId, deliveryId }: { documentId?: string; deliveryId?: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [doc, setDoc] = useState<ImportedDocument | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [importError, setImportError] = useState<IpcError | undefined>();
  const [loading, setLoading] = useState(documentId !== undefined || deliveryId !== undefined);
  const [ocr, setOcr] = useState<OcrState>('idle');
  const [values, setValues] = useState<FormValues>(() => emptyForm(todayAtOffice()));
  // OCR answers after the clerk may have typed: its proposals go into the values as they are then.
  const valuesNow = useRef(values);
  valuesNow.current = values;
  const [pending, setPending] = useState<Map<FieldName, PendingProposal>>(new Map());
  const [issues, setIssues] = useState<Map<FieldName, string>>(new Map());
  const [formError, setFormError] = useState<string | undefined>();
  const [warnings, setWarnings] = useState<DuplicateWarning[]>([]);
  // Earlier entries main held the registration for: compared side by side until the clerk decides.
  const [held, setHeld] = useState<DuplicateWarning[] | undefined>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ agenda: string; id: string; warnings: DuplicateWarning[] } | undefined>();
  const [escArmed, setEscArmed] = useState(false);
  const [senders, setSenders] = useState<string[]>([]);
  const classifications = useClassificationCodes();
  const fileInput = useRef<HTMLInputElement>(null);
  const pickButton = useRef<HTMLButtonElement>(null);
  const backToScan = useRef<HTMLAnchorElement>(null);
  const inputs = useRef(new Map<FieldName, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>());

  // With no document yet (on arrival, and after each saved letter) the file button has the focus —
  // or, after a letter from a saved scan, the way back to the scan's other letters.
  const hasDocument = doc !== undefined;
  useEffect(() => { if (!hasDocument && !loading) (backToScan.current ?? pickButton.current)?.focus(); }, [hasDocument, loading]);
  // The first field once a document is in (the inputs are enabled by then); not over an agenda entry.
  useEffect(() => { if (doc && !doc.registeredAs) inputs.current.get('letterNumber')?.focus(); }, [doc]);

  // A stored document by id (#/surat-masuk/catat/<id>): loaded exactly as if it had just been imported.
  useEffect(() => {
    if (documentId === undefined) return;
    let current = true;
    void bridge.invoke('letters.document', { documentId }).then((result) => {
      if (!current) return;
      setLoading(false);
      if (result.ok) void openDocument(result.value);
      else setImportError(result.error);
    });
    return () => { current = false; };
  }, [bridge, documentId]);

  // A delivered letter (#/surat-masuk/catat-kiriman/<letterId>): its PDF (downloaded when opened) and the sender's fields.
  useEffect(() => {
    if (deliveryId === undefined) return;
    let current = true;
    void bridge.invoke('deliveries.open', { letterId: deliveryId }).then((result) => {
      if (!current) return;
      setLoading(false);
      if (!result.ok) { setImportError(result.error); return; }
      setDoc(result.value.document);
      setValues(deliveredForm(result.value.delivery, todayAtOffice()));
    });
    return () => { current = false; };
  }, [bridge, deliveryId]);

  async function takeFile(file: File | undefined) {
    if (!file) return;
    setImportError(undefined);
    setSaved(undefined);
    // Too large is known from the file's size alone: said at once, nothing is sent.
    if (file.size > maxImportBytes) {
      setImportError({ code: 'IMPORT_TOO_LARGE', message: t('suratMasuk.catat.tooLarge', { size: megabytes(file.size), limit: megabytes(maxImportBytes) }) });
      return;
    }
    setProgress(0);
    const result = await importFile(bridge, file, setProgress);
    setProgress(undefined);
    if (!result.ok) { setImportError(result.error); return; }
    await openDocument(result.value);
  }

  async function openDocument(opened: ImportedDocument) {
    setDoc(opened);
    setHeld(undefined);
    setValues(emptyForm(todayAtOffice()));
    setPending(new Map());
    setIssues(new Map());
    setWarnings([]);
    if (opened.registeredAs) return;
    setOcr('reading');
    // OCR runs in main's worker; the clerk may type meanwhile — proposals only fill empty fields.
    const proposals = await bridge.invoke('letters.propose', { documentId: opened.documentId });
    if (!proposals.ok) { setOcr('failed'); return; }
    setOcr('done');
    const applied = applyProposals(valuesNow.current, proposals.value);
    setValues(applied.values);
    setPending(applied.pending);
    void checkDuplicates(opened.documentId, applied.values);
  }

  async function checkDuplicates(documentId = doc?.documentId, current = values) {
    if (!documentId) return;
    const result = await bridge.invoke('letters.duplicates', { documentId, sender: current.sender, letterNumber: current.letterNumber });
    if (result.ok) setWarnings(result.value);
  }

  function edit(field: FieldName, typed: string) {
    const value = dateFields.has(field) ? typedDate(typed) : typed;
    setValues((v) => ({ ...v, [field]: value }));
    // Typing over a proposal is the clerk's own value now.
    if (pending.has(field)) setPending((p) => { const n = new Map(p); n.delete(field); return n; });
    if (issues.has(field)) {
      const remaining = new Map(issues);
      remaining.delete(field);
      setIssues(remaining);
      // The banner goes with the last marked field: nothing is left to fix.
      if (remaining.size === 0 && formError === t('suratMasuk.form.fixFields')) setFormError(undefined);
    }
    setEscArmed(false);
    if (field === 'sender' && value.trim().length >= 2) {
      void bridge.invoke('letters.senders', { prefix: value }).then((r) => { if (r.ok) setSenders(r.value); });
    }
    if (field === 'classificationCode') classifications.lookUp(value);
  }

  function accept(field: FieldName) {
    setPending((p) => { const n = new Map(p); n.delete(field); return n; });
  }

  async function save(event?: FormEvent, confirmedDuplicates?: string[]) {
    event?.preventDefault();
    if (!doc || saving || (held && confirmedDuplicates === undefined)) return;
    if (pending.size > 0) {
      setFormError(t('suratMasuk.form.confirmProposals'));
      inputs.current.get(fieldOrder.find((f) => pending.has(f))!)?.focus();
      return;
    }
    // Dates are checked as the clerk typed them (hh/bb/tttt), before anything is sent.
    const badDates = dateProblems(values);
    if (badDates.size > 0) {
      const byField = new Map([...badDates].map(([field, problem]) => [field, t(`suratMasuk.form.date-${problem}`, { field: t(`suratMasuk.fields.${field}`), value: values[field] })] as const));
      setIssues(byField);
      setFormError(t('suratMasuk.form.fixFields'));
      inputs.current.get(fieldOrder.find((f) => byField.has(f))!)?.focus();
      return;
    }
    setSaving(true);
    const result = deliveryId === undefined
      ? await bridge.invoke('letters.register', { documentId: doc.documentId, fields: toFields(values), ...(confirmedDuplicates ? { confirmedDuplicates } : {}) })
      : await bridge.invoke('deliveries.register', { letterId: deliveryId, documentId: doc.documentId, fields: toFields(values) });
    setSaving(false);
    setHeld(undefined);
    if (!result.ok && result.error.code === 'DUPLICATE_SUSPECTED' && Array.isArray(result.error.details?.['duplicates'])) {
      setFormError(undefined);
      setHeld(result.error.details['duplicates'] as DuplicateWarning[]);
      return;
    }
    if (!result.ok) {
      const byField = issuesByLetterField(result.error);
      setIssues(byField);
      setFormError(byField.size > 0 ? t('suratMasuk.form.fixFields') : errorText(result.error, language));
      const first = fieldOrder.find((f) => byField.has(f));
      if (first) inputs.current.get(first)?.focus();
      return;
    }
    // Ready for the next letter at once: the clerk's hands stay on the keyboard.
    setSaved({ agenda: result.value.letter.agendaLabel ?? '', id: result.value.letter.id, warnings: result.value.warnings });
    setDoc(undefined);
    setOcr('idle');
    setValues(emptyForm(todayAtOffice()));
    setWarnings([]);
    setFormError(undefined);
  }

  function acceptAll() {
    setPending(new Map());
    setFormError(undefined);
  }

  function onKeyDown(e: globalThis.KeyboardEvent) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); void save(); return; }
    // One key takes every proposal as read; the clerk has looked them over beside the letter.
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); if (pending.size > 0) acceptAll(); return; }
    if (e.key !== 'Escape') return;
    e.preventDefault();
    if (held) { setHeld(undefined); return; }
    const dirty = doc !== undefined;
    if (!dirty || escArmed) { window.location.hash = '#/surat-masuk'; return; }
    setEscArmed(true);
  }

  // Ctrl+S and Esc work wherever the focus is on this screen (even after a field lost it).
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (e: globalThis.KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  function onDrop(e: DragEvent) {
    e.preventDefault();
    void takeFile(e.dataTransfer.files[0]);
  }

  const fieldInput = (field: FieldName) => {
    const id = `sm-${field}`;
    const issue = issues.get(field);
    const proposal = pending.get(field);
    const common = {
      id,
      ref: (el: HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement | null) => { if (el) inputs.current.set(field, el); else inputs.current.delete(field); },
      value: values[field],
      disabled: !doc || doc.registeredAs !== null,
      'aria-invalid': issue ? true : undefined,
      'aria-describedby': [issue ? `${id}-error` : '', proposal ? `${id}-proposal` : ''].filter(Boolean).join(' ') || undefined,
      'data-testid': `sm-field-${field}`,
    };
    const options = selects[field];
    return (
      <div className={`field sm-field-${field}${issue ? ' invalid' : ''}${proposal ? ' sm-proposed' : ''}`} key={field}>
        <label htmlFor={id}>
          {t(`suratMasuk.fields.${field}`)}
          {proposal && <span className="sm-badge" data-testid={`sm-proposal-${field}`}>{t('suratMasuk.form.proposal')}</span>}
        </label>
        {options ? (
          <select {...common} onChange={(e) => edit(field, e.target.value)}>
            {options.map((o) => <option key={o} value={o}>{t(`suratMasuk.${field === 'documentType' ? 'documentTypes' : field}.${o}`)}</option>)}
          </select>
        ) : textAreas.has(field) ? (
          <textarea {...common} rows={3} maxLength={2000} onChange={(e) => edit(field, e.target.value)} />
        ) : (
          <input
            {...common}
            type={field === 'attachmentCount' ? 'number' : 'text'}
            inputMode={dateFields.has(field) ? 'numeric' : undefined}
            placeholder={dateFields.has(field) ? t('suratMasuk.form.datePlaceholder') : undefined}
            maxLength={dateFields.has(field) ? 10 : undefined}
            min={field === 'attachmentCount' ? 0 : undefined}
            list={field === 'sender' ? 'sm-senders' : field === 'classificationCode' ? 'sm-codes' : undefined}
            autoComplete="off"
            onChange={(e) => edit(field, e.target.value)}
            onBlur={field === 'sender' || field === 'letterNumber' ? () => void checkDuplicates() : undefined}
          />
        )}
        {proposal && (
          <p className="sm-proposal-note" id={`${id}-proposal`}>
            {t('suratMasuk.form.proposalFrom', { evidence: proposal.evidence, confidence: Math.round(proposal.confidence * 100) })}{' '}
            <button type="button" className="button-link" onClick={() => accept(field)} data-testid={`sm-accept-${field}`}>{t('suratMasuk.form.accept')}</button>
          </p>
        )}
        {issue && <p className="field-error" id={`${id}-error`} data-testid={`sm-error-${field}`}>{issue}</p>}
      </div>
    );
  };

  return (
    <section className="screen sm-catat" data-testid="screen-surat-masuk-catat" aria-labelledby="sm-catat-title">
      <div className="screen-head">
        <h1 id="sm-catat-title" tabIndex={-1}>{t('suratMasuk.catat.title')}</h1>
        <p className="screen-sub">{t('suratMasuk.catat.keys')}</p>
      </div>
      {saved && (
        <div className="notice notice-ok" role="status" data-testid="sm-saved">
          {t('suratMasuk.catat.saved', { agenda: saved.agenda })} <a href={`#/surat-masuk/${saved.id}`}>{t('suratMasuk.catat.open')}</a>
          {documentId !== undefined && <> · <a href="#/pindai" ref={backToScan} data-testid="sm-back-to-scan">{t('suratMasuk.catat.backToScan')}</a></>}
          {deliveryId !== undefined && <> · <a href="#/surat-masuk/kiriman" ref={backToScan} data-testid="km-back-to-list">{t('kiriman.catat.back')}</a></>}
          <WarningList warnings={saved.warnings} />
        </div>
      )}
      {held && doc && (
        <DuplicateComparison documentId={doc.documentId} values={values} earlier={held}
          onRegister={() => void save(undefined, held.map((d) => d.letterId))}
          onBack={() => { setHeld(undefined); inputs.current.get('letterNumber')?.focus(); }} />
      )}
      {escArmed && <p className="notice notice-info" role="status" data-testid="sm-esc-armed">{t('suratMasuk.catat.escAgain')}</p>}
      <div className="sm-catat-layout" hidden={held !== undefined}>
        <div className="sm-document" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="sm-drop">
          {doc ? <PdfPreview documentId={doc.documentId} /> : loading ? <p className="form-status" role="status">{t('suratMasuk.catat.loading')}</p> : (
            <div className="sm-dropzone">
              <p>{t('suratMasuk.catat.drop')}</p>
              <button type="button" ref={pickButton} className="button-primary" onClick={() => fileInput.current?.click()} data-testid="sm-pick-file">{t('suratMasuk.catat.pick')}</button>
              <p className="field-hint">{t('suratMasuk.catat.formats')}</p>
            </div>
          )}
          <input ref={fileInput} type="file" hidden accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff" data-testid="sm-file-input"
            onChange={(e) => { void takeFile(e.target.files?.[0]); e.target.value = ''; }} />
          {progress !== undefined && <p className="form-status" role="status">{t('suratMasuk.catat.uploading', { percent: Math.round(progress * 100) })}</p>}
          {importError && <p className="notice notice-error" role="alert" data-testid="sm-import-error">{errorText(importError, language)}</p>}
          {doc && (
            <p className="sm-doc-name">
              {doc.displayName} · {t('suratMasuk.catat.pages', { count: doc.pageCount })}{' '}
              {deliveryId === undefined && <button type="button" className="button-link" onClick={() => fileInput.current?.click()}>{t('suratMasuk.catat.other')}</button>}
            </p>
          )}
        </div>
        <form className="panel sm-form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="sm-catat-title">
          {doc?.registeredAs && (
            <p className="notice notice-warn" role="alert" data-testid="sm-already-registered">
              {t('suratMasuk.catat.already', { agenda: doc.registeredAs.agendaLabel ?? '—' })}{' '}
              <a href={`#/surat-masuk/${doc.registeredAs.letterId}`}>{t('suratMasuk.catat.open')}</a>
            </p>
          )}
          <p className="form-status" role="status" aria-live="polite" data-testid="sm-ocr-status" data-state={ocr}>
            {ocr === 'reading' && t('suratMasuk.ocr.reading')}
            {ocr === 'done' && pending.size > 0 && (
              <>
                {t('suratMasuk.ocr.done', { count: pending.size })}{' '}
                <button type="button" className="button-link" onClick={acceptAll} aria-keyshortcuts="Control+Enter" data-testid="sm-accept-all">
                  {t('suratMasuk.form.acceptAll')} <kbd>{t('suratMasuk.form.acceptAllKey')}</kbd>
                </button>
              </>
            )}
            {ocr === 'failed' && t('suratMasuk.ocr.failed')}
          </p>
          <div className="sm-grid">{fieldOrder.map(fieldInput)}</div>
          <datalist id="sm-senders">{senders.map((s) => <option key={s} value={s} />)}</datalist>
          <ClassificationCodeList id="sm-codes" codes={classifications.codes} />
          <WarningList warnings={warnings} />
          {formError && <p className="notice notice-error" role="alert" data-testid="sm-form-error">{formError}</p>}
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={!doc || doc.registeredAs !== null || saving} data-testid="sm-save">
              {saving ? t('suratMasuk.form.saving') : t('suratMasuk.form.save')}
            </button>
            <a href="#/surat-masuk" className="button-secondary">{t('suratMasuk.form.cancel')}</a>
          </div>
        </form>
      </div>
    </section>
  );
}
