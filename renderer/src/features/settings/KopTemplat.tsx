// Pengaturan → "Kop & Templat Naskah", for the admin kantor: the office's letterhead (its lines and its
// logo) and, per document type, what its template shows and the text a new draft starts with, beside a
// live preview of an A4 page drawn from the PDF the letters' own renderer makes. Saving sends the whole
// set to the server as the office's next version, for every desk of the office; it needs the server.
// Refused because another desk saved a newer version meanwhile, what was typed stays on screen and the
// admin chooses to load the newest version (then makes the changes again on it).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileRef } from '../../../../common/ipc/documents.ts';
import type { Letterhead, Template } from '../../../../common/ipc/drafting.ts';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { NaskahEditor } from '../../../../common/ipc/naskah.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { PdfPreview } from '../../ui/PdfPreview.tsx';
import { blocksOf, textOf } from '../letters/drafting/markup.ts';

/** The logo's limits as the server checks them; the screen says so before anything is sent. */
const logoMaxBytes = 1_000_000;
const logoTypes = ['image/png', 'image/jpeg'];
const kopFields = ['government', 'agency', 'address', 'contact', 'place'] as const;
const requiredKop: ReadonlySet<string> = new Set(['government', 'agency', 'place']);

type Status =
  | { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; version: number | null } | { kind: 'failed'; error: IpcError }
  | { kind: 'reloading' } | { kind: 'reloaded'; version: number | null };

/** The server refused the save because the office has a newer version than the one the editor started from. */
const isStale = (error: IpcError) => error.code === 'NASKAH_REFUSED' && error.details?.code === 'NASKAH_VERSION_STALE';

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export function KopTemplat() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [saved, setSaved] = useState<NaskahEditor | undefined>();
  const [letterhead, setLetterhead] = useState<Letterhead | undefined>();
  const [templates, setTemplates] = useState<Template[]>([]);
  const [chosen, setChosen] = useState(0);
  const [bodyText, setBodyText] = useState('');
  const [logoProblem, setLogoProblem] = useState<string | undefined>();
  const [preview, setPreview] = useState<FileRef | undefined>();
  const [previewError, setPreviewError] = useState<IpcError | undefined>();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const asked = useRef(0);

  function take(editor: NaskahEditor) {
    setSaved(editor);
    setLetterhead(editor.letterhead);
    setTemplates(editor.templates);
    setBodyText(textOf(editor.templates[chosen]?.body ?? []));
  }

  useEffect(() => {
    // Read once when the section opens; a save answers with what it saved.
    void bridge.invoke('naskah.get', {}).then((r) => { if (r.ok) take(r.value); });
  }, [bridge]);

  const template = templates[chosen];
  // The preview follows the form, a moment after the last keystroke; a late answer never replaces a newer one.
  useEffect(() => {
    if (!letterhead || !template) return;
    const ask = ++asked.current;
    const timer = setTimeout(() => {
      void bridge.invoke('naskah.preview', { letterhead, template }).then((r) => {
        if (ask !== asked.current) return;
        if (r.ok) { setPreview(r.value); setPreviewError(undefined); } else setPreviewError(r.error);
      });
    }, 350);
    return () => clearTimeout(timer);
  }, [bridge, letterhead, template]);

  if (!saved || !saved.canEdit || !letterhead || !template) return null;

  const setKop = (field: (typeof kopFields)[number], value: string) => { setLetterhead({ ...letterhead, [field]: value }); setStatus({ kind: 'idle' }); };
  const setTemplate = (change: Partial<Template>) => {
    setTemplates(templates.map((x, i) => (i === chosen ? { ...x, ...change } : x)));
    setStatus({ kind: 'idle' });
  };
  const choose = (index: number) => { setChosen(index); setBodyText(textOf(templates[index]?.body ?? [])); };

  async function pickLogo(file: File | undefined) {
    if (!file || !letterhead) return;
    if (!logoTypes.includes(file.type)) { setLogoProblem(t('naskahEditor.logo.type', { name: file.name })); return; }
    if (file.size > logoMaxBytes) { setLogoProblem(t('naskahEditor.logo.size', { size: (file.size / 1_000_000).toFixed(1) })); return; }
    setLogoProblem(undefined);
    setLetterhead({ ...letterhead, logo: await base64Of(file) });
    setStatus({ kind: 'idle' });
  }

  const missing = kopFields.filter((f) => requiredKop.has(f) && letterhead[f].trim() === '');

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!letterhead || !saved || missing.length > 0) return;
    setStatus({ kind: 'saving' });
    const r = await bridge.invoke('naskah.save', { letterhead, templates, basedOn: saved.versionId });
    if (!r.ok) { setStatus({ kind: 'failed', error: r.error }); return; }
    take(r.value);
    setStatus({ kind: 'saved', version: r.value.version });
  }

  async function reload() {
    setStatus({ kind: 'reloading' });
    const r = await bridge.invoke('naskah.reload', {});
    if (!r.ok) { setStatus({ kind: 'failed', error: r.error }); return; }
    take(r.value);
    setStatus({ kind: 'reloaded', version: r.value.version });
  }

  return (
    <section className="panel naskah-editor" aria-labelledby="naskah-editor-title" data-testid="naskah-editor">
      <h2 id="naskah-editor-title">{t('naskahEditor.title')}</h2>
      <p className="field-hint">
        {saved.version === null ? t('naskahEditor.shipped') : t('naskahEditor.version', { version: saved.version })}
        {' '}{t('naskahEditor.intro')}
      </p>
      {!saved.online && <p className="notice" role="note" data-testid="naskah-offline">{t('naskahEditor.offline')}</p>}
      <div className="kn-columns">
        <form onSubmit={(e) => void save(e)} noValidate>
          <fieldset className="kn-form">
            <legend>{t('naskahEditor.kop')}</legend>
            {kopFields.map((field) => (
              <div className="field" key={field}>
                <label htmlFor={`naskah-${field}`}>{t(`naskahEditor.fields.${field}`)}</label>
                <input id={`naskah-${field}`} value={letterhead[field]} onChange={(e) => setKop(field, e.target.value)} maxLength={field === 'address' || field === 'contact' ? 300 : 200}
                  aria-invalid={missing.includes(field)} aria-describedby={missing.includes(field) ? `naskah-${field}-error` : undefined} data-testid={`naskah-${field}`} />
                {missing.includes(field) && <p className="field-error" id={`naskah-${field}-error`}>{t('naskahEditor.required', { field: t(`naskahEditor.fields.${field}`) })}</p>}
              </div>
            ))}
            <div className="field">
              <label htmlFor="naskah-logo">{t('naskahEditor.logo.label')}</label>
              <input id="naskah-logo" type="file" accept="image/png,image/jpeg" onChange={(e) => void pickLogo(e.target.files?.[0])}
                aria-describedby="naskah-logo-hint" data-testid="naskah-logo" />
              <p className="field-hint" id="naskah-logo-hint">{letterhead.logo === null ? t('naskahEditor.logo.none') : t('naskahEditor.logo.hint')}</p>
              {letterhead.logo !== null && <button type="button" onClick={() => setLetterhead({ ...letterhead, logo: null })} data-testid="naskah-logo-remove">{t('naskahEditor.logo.remove')}</button>}
              {logoProblem && <p className="field-error" role="alert" data-testid="naskah-logo-error">{logoProblem}</p>}
            </div>
          </fieldset>
          <fieldset className="kn-form">
            <legend>{t('naskahEditor.template')}</legend>
            <div className="field">
              <label htmlFor="naskah-type">{t('naskahEditor.type')}</label>
              <select id="naskah-type" value={chosen} onChange={(e) => choose(Number(e.target.value))} data-testid="naskah-type">
                {templates.map((x, i) => <option key={x.type} value={i}>{x.name}</option>)}
              </select>
            </div>
            {template.layout !== 'surat' && (
              <div className="field">
                <label htmlFor="naskah-title">{t('naskahEditor.titleField')}</label>
                <input id="naskah-title" value={template.title ?? ''} maxLength={100} onChange={(e) => setTemplate({ title: e.target.value })} data-testid="naskah-template-title" />
              </div>
            )}
            <div className="field checkbox">
              <input id="naskah-nip" type="checkbox" checked={template.signerNip} onChange={(e) => setTemplate({ signerNip: e.target.checked })} data-testid="naskah-nip" />
              <label htmlFor="naskah-nip">{t('naskahEditor.signerNip')}</label>
            </div>
            {template.layout === 'berjudul' && (
              <>
                <div className="field checkbox">
                  <input id="naskah-addressee" type="checkbox" checked={template.addressee ?? false} onChange={(e) => setTemplate({ addressee: e.target.checked })} />
                  <label htmlFor="naskah-addressee">{t('naskahEditor.addressee')}</label>
                </div>
                <div className="field checkbox">
                  <input id="naskah-subject" type="checkbox" checked={template.subjectInTitle ?? false} onChange={(e) => setTemplate({ subjectInTitle: e.target.checked })} />
                  <label htmlFor="naskah-subject">{t('naskahEditor.subjectInTitle')}</label>
                </div>
                <div className="field">
                  <label htmlFor="naskah-dateline">{t('naskahEditor.dateLine')}</label>
                  <select id="naskah-dateline" value={template.dateLine ?? 'place'} onChange={(e) => setTemplate({ dateLine: e.target.value as 'place' | 'ditetapkan' })}>
                    <option value="place">{t('naskahEditor.dateLines.place', { place: letterhead.place })}</option>
                    <option value="ditetapkan">{t('naskahEditor.dateLines.ditetapkan', { place: letterhead.place })}</option>
                  </select>
                </div>
              </>
            )}
            <div className="field">
              <label htmlFor="naskah-body">{t('naskahEditor.body')}</label>
              <textarea id="naskah-body" rows={12} value={bodyText} aria-describedby="naskah-body-hint" data-testid="naskah-body"
                onChange={(e) => { setBodyText(e.target.value); setTemplate({ body: blocksOf(e.target.value) }); }} />
              <p className="field-hint" id="naskah-body-hint">{t('naskahEditor.bodyHint')}</p>
            </div>
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={status.kind === 'saving' || status.kind === 'reloading' || missing.length > 0} data-testid="naskah-save">
              {status.kind === 'saving' ? t('pengaturan.saving') : t('naskahEditor.save')}
            </button>
            <p className="form-status" role="status" aria-live="polite">
              {status.kind === 'saved' && <span className="saved" data-testid="naskah-saved">✓ {t('naskahEditor.saved', { version: status.version })}</span>}
            </p>
          </div>
          {status.kind === 'failed' && <p className="notice notice-error" role="alert" data-testid="naskah-error">{errorText(status.error, currentLanguage())}</p>}
          {status.kind === 'failed' && isStale(status.error) && (
            <div className="notice" role="group" aria-label={t('naskahEditor.stale.label')} data-testid="naskah-stale">
              <p>{t('naskahEditor.stale.hint')}</p>
              <button type="button" className="button-secondary" onClick={() => void reload()} data-testid="naskah-reload">{t('naskahEditor.stale.reload')}</button>
            </div>
          )}
          {status.kind === 'reloading' && <p className="status-hint" role="status">{t('naskahEditor.stale.reloading')}</p>}
          {status.kind === 'reloaded' && <p className="notice" role="status" data-testid="naskah-reloaded">{t('naskahEditor.stale.reloaded', { version: status.version })}</p>}
        </form>
        <div className="kn-preview" data-testid="naskah-preview">
          {previewError && <p className="notice notice-error" role="alert" data-testid="naskah-preview-error">{errorText(previewError, currentLanguage())}</p>}
          {preview && <PdfPreview file={preview} />}
        </div>
      </div>
    </section>
  );
}
