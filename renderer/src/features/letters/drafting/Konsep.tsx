// Konsep (#/konsep): the drafter's own drafts of outgoing letters and a new one from a template; a
// draft opens at #/konsep/<id> with its fields and body on the left and, on the right, the preview —
// the very PDF the signer will get — made again after each save. Saved as the drafter types (after a
// short pause), on this desk first, so it works offline; submitted, it waits in Tanda Tangan.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { FileRef } from '../../../../../common/ipc/documents.ts';
import type { DocumentType, DraftContent, DraftView, Template } from '../../../../../common/ipc/drafting.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';
import type { SigningOfficial } from '../../../../../common/ipc/outgoing.ts';
import type { VerifierOption } from '../../../../../common/ipc/paraf.ts';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import { sendFile } from '../../../files/transfer.ts';
import { currentLanguage, errorText, formatDay } from '../../../i18n/index.ts';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { blocksOf, textOf } from './markup.ts';
import { SignerField } from '../outgoing/ImporSurat.tsx';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function Konsep() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const [sub = ''] = hash.replace(/^#\/?konsep\/?/, '').split('?', 1)[0]!.split('/');
  if (/^[0-9a-f-]{36}$/.test(sub)) return <EditKonsep key={sub} id={sub} />;
  return <DaftarKonsep />;
}

function DaftarKonsep() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const drafts = useLive('drafting.list', 'dashboard.changed');
  const templates = useLive('drafting.templates');
  const [type, setType] = useState<DocumentType>('nota_dinas');
  const [error, setError] = useState<IpcError | null>(null);
  const open = (id: string) => { window.location.hash = `#/konsep/${id}`; };

  async function create() {
    const made = await bridge.invoke('drafting.create', { type });
    if (!made.ok) { setError(made.error); return; }
    open(made.value.id);
  }

  return (
    <section className="screen" data-testid="screen-konsep" aria-labelledby="kn-title">
      <div className="screen-head">
        <h1 id="kn-title" tabIndex={-1}>{t('konsep.title')}</h1>
        <p className="screen-sub">{t('konsep.sub')}</p>
      </div>
      <form className="panel kn-new" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <label className="field"><span>{t('konsep.type')}</span>
          <select value={type} onChange={(e) => setType(e.target.value as DocumentType)} data-testid="kn-type">
            {templates.value?.templates.map((tp) => <option key={tp.type} value={tp.type}>{tp.name}</option>)}
          </select>
        </label>
        <button type="submit" className="button-primary" data-testid="kn-create">{t('konsep.create')}</button>
      </form>
      {(error ?? drafts.error) && <p className="notice notice-error" role="alert">{errorText((error ?? drafts.error)!, language)}</p>}
      <table className="sm-table" data-testid="kn-list">
        <thead>
          <tr>
            <th scope="col">{t('konsep.columns.status')}</th>
            <th scope="col">{t('konsep.columns.type')}</th>
            <th scope="col">{t('konsep.columns.subject')}</th>
            <th scope="col">{t('konsep.columns.saved')}</th>
          </tr>
        </thead>
        <tbody>
          {drafts.value?.map((d) => (
            <tr key={d.id} data-testid="kn-row" tabIndex={0} onClick={() => open(d.id)} onKeyDown={(e) => { if (e.key === 'Enter') open(d.id); }}>
              <td><span className="sm-tag">{t(`konsep.status.${d.status}`)}</span></td>
              <td>{templates.value?.templates.find((tp) => tp.type === d.content.type)?.name ?? d.content.type}</td>
              <td>{d.content.hal || t('konsep.noSubject')}</td>
              <td>{formatDay(d.updatedAt, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {drafts.value?.length === 0 && <p className="muted" data-testid="kn-empty">{t('konsep.none')}</p>}
    </section>
  );
}

/** Lines of a textarea, one entry each; empty lines dropped when saved. */
const linesOf = (text: string) => text.split('\n');

/** The chain as chosen so far, in the order it runs: the verifiers who paraf, then the signer, marked as the one who signs. */
function ChosenChain({ verifiers, signer }: { verifiers: VerifierOption[]; signer: SigningOfficial | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="kn-chain">
      <p className="status-hint" id="kn-chain-title">{t('konsep.chainOrder')}</p>
      <ol className="pf-chain" data-testid="kn-chain" aria-labelledby="kn-chain-title">
        {verifiers.map((v, i) => (
          <li key={v.positionId} data-role="verifier"><span className="pf-role">{t('paraf.role.verifierN', { n: i + 1 })}</span> {v.holderName ? `${v.title} — ${v.holderName}` : v.title}</li>
        ))}
        <li data-role="signer" data-testid="kn-chain-signer">
          <span className="pf-role pf-role-signer">{t('paraf.role.signer')}</span> {signer ? (signer.position ? `${signer.name} — ${signer.position}` : signer.name) : t('konsep.chainNoSigner')}
        </li>
      </ol>
    </div>
  );
}

function EditKonsep({ id }: { id: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const templates = useLive('drafting.templates');
  const [draft, setDraft] = useState<DraftView | undefined>();
  const [content, setContent] = useState<DraftContent | undefined>();
  const [bodyText, setBodyText] = useState('');
  /** The preview and the version of the draft it was made from. */
  const [preview, setPreview] = useState<{ file: FileRef; version: number } | undefined>();
  const [state, setState] = useState<'saved' | 'saving' | 'dirty'>('saved');
  const [error, setError] = useState<IpcError | null>(null);
  const [signer, setSigner] = useState('');
  const officials = useLive('outgoing.officials', 'auth.changed');
  const [verifierOptions, setVerifierOptions] = useState<{ positionId: string; title: string; holderName: string | null }[]>([]);
  const [verifiers, setVerifiers] = useState<string[]>(['', '', '']);
  useEffect(() => {
    if (officials.value?.accounts !== true) return;
    void bridge.invoke('paraf.verifiers', {}).then((r) => { if (r.ok) setVerifierOptions(r.value); });
  }, [bridge, officials.value?.accounts]);
  const [submitted, setSubmitted] = useState(false);
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const body = useRef<HTMLTextAreaElement>(null);

  const refreshPreview = useCallback(async (of: number) => {
    const made = await bridge.invoke('drafting.preview', { id });
    // A preview of an older version arriving late must not replace a newer one.
    if (made.ok) setPreview((shown) => (shown !== undefined && shown.version > of ? shown : { file: made.value, version: of }));
  }, [bridge, id]);

  const accept = useCallback((d: DraftView) => {
    version.current = d.version;
    setDraft(d);
    void refreshPreview(d.version);
  }, [refreshPreview]);

  useEffect(() => {
    void bridge.invoke('drafting.get', { id }).then((got) => {
      if (!got.ok) { setError(got.error); return; }
      setContent(got.value.content);
      setBodyText(textOf(got.value.content.body));
      accept(got.value);
    });
    return () => clearTimeout(timer.current);
  }, [bridge, id, accept]);

  const save = useCallback(async (next: DraftContent) => {
    setState('saving');
    const saved = await bridge.invoke('drafting.save', { id, version: version.current, content: next });
    if (!saved.ok) { setError(saved.error); setState('dirty'); return; }
    setError(null);
    setState('saved');
    accept(saved.value);
  }, [bridge, id, accept]);

  /** Every change is kept in the screen at once and saved after a pause in the typing. */
  const change = (next: DraftContent) => {
    setContent(next);
    setState('dirty');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(next), 700);
  };

  if (!content || !draft) {
    return <section className="screen" data-testid="screen-konsep-edit">{error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}</section>;
  }
  const template: Template | undefined = templates.value?.templates.find((tp) => tp.type === content.type);
  const chain = draft.chain ?? null;
  const readOnly = draft.status !== 'draft' || (chain !== null && chain.refused === null && chain.state !== 'returned');
  const set = <K extends keyof DraftContent>(key: K, value: DraftContent[K]) => change({ ...content, [key]: value });
  const setBody = (text: string) => { setBodyText(text); change({ ...content, body: blocksOf(text) }); };
  /**
   * Choosing the official from the office's list fills the signature block's position and name where
   * they are empty or still name the official chosen before, so the drafter need not type them again.
   */
  const chooseSigner = (id: string) => {
    setSigner(id);
    if (readOnly || officials.value?.accounts !== true) return;
    const before = officials.value.officials.find((o) => o.id === signer);
    const chosen = officials.value.officials.find((o) => o.id === id);
    if (!chosen) return;
    const follow = (typed: string, was: string | null | undefined, now: string | null | undefined) =>
      (typed.trim() === '' || typed === was) && now ? now : typed;
    const position = follow(content.signer.position, before?.position, chosen.position);
    const name = follow(content.signer.name, before?.name, chosen.name);
    if (position !== content.signer.position || name !== content.signer.name) set('signer', { ...content.signer, position, name });
  };

  /** Ctrl+B / Ctrl+I put ** or _ around the selection, as the body's markup reads them. */
  const format = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    const mark = key === 'b' ? '**' : key === 'i' ? '_' : null;
    if (!mark) return;
    e.preventDefault();
    const area = e.currentTarget;
    const { selectionStart: from, selectionEnd: to, value } = area;
    // Rendered at once, so the cursor is inside the marks before the next key arrives.
    flushSync(() => setBody(`${value.slice(0, from)}${mark}${value.slice(from, to)}${mark}${value.slice(to)}`));
    area.setSelectionRange(from + mark.length, to + mark.length);
  };
  const insert = (snippet: string) => {
    const area = body.current;
    const at = area?.selectionEnd ?? bodyText.length;
    setBody(`${bodyText.slice(0, at)}${snippet}${bodyText.slice(at)}`);
    area?.focus();
  };

  async function attach(file: File | undefined) {
    if (!file) return;
    clearTimeout(timer.current);
    if (state === 'dirty') await save(content!);
    const sent = await sendFile(bridge, file);
    const result = sent.ok ? await bridge.invoke('drafting.attach', { id, uploadId: sent.uploadId, fileName: file.name }) : sent;
    if (!result.ok) { setError(result.error); return; }
    accept(result.value);
  }
  async function detach(hash: string) {
    const result = await bridge.invoke('drafting.detach', { id, hash });
    if (!result.ok) { setError(result.error); return; }
    accept(result.value);
  }
  async function submit() {
    clearTimeout(timer.current);
    if (state === 'dirty') await save(content!);
    const chosen = verifiers.filter((v) => v !== '');
    const result = await bridge.invoke('drafting.submit', { id, signer, ...(chosen.length > 0 ? { verifiers: chosen } : {}) });
    if (!result.ok) { setError(result.error); return; }
    setError(null);
    setSubmitted(true);
    accept(result.value);
  }

  const nota = template?.layout === 'nota';
  return (
    <section className="screen kn-edit" data-testid="screen-konsep-edit" aria-labelledby="kn-edit-title">
      <div className="screen-head">
        <h1 id="kn-edit-title" tabIndex={-1}>{t('konsep.editTitle', { type: template?.name ?? content.type })}</h1>
        <p className="status-hint" role="status" data-testid="kn-save-state" data-state={state} data-version={draft.version}>{chain ? t(`paraf.state.${chain.state}`) : readOnly ? t('konsep.status.submitted') : t(`konsep.save.${state}`)}</p>
        {chain?.returnNote && <p className="notice" role="note" data-testid="kn-return-note">{t('paraf.returnNote', { note: chain.returnNote })}</p>}
        {chain?.refused && <p className="notice notice-error" role="alert" data-testid="kn-chain-refused">{chain.refused}</p>}
      </div>
      <div className="kn-columns">
        <fieldset className="panel kn-form" disabled={readOnly}>
          <label className="field"><span>{t('konsep.fields.hal')}</span>
            <input value={content.hal} onChange={(e) => set('hal', e.target.value)} data-testid="kn-hal" autoFocus />
          </label>
          <label className="field"><span>{t('konsep.fields.addressees')}</span>
            <textarea rows={2} value={content.addressees.join('\n')} onChange={(e) => set('addressees', linesOf(e.target.value))} data-testid="kn-addressees" />
            <span className="status-hint">{t('konsep.fields.onePerLine')}</span>
          </label>
          {nota && (
            <label className="field"><span>{t('konsep.fields.from')}</span>
              <input value={content.from} onChange={(e) => set('from', e.target.value)} data-testid="kn-from" />
            </label>
          )}
          <div className="kn-row">
            <label className="field"><span>{t('konsep.fields.sifat')}</span>
              <select value={content.sifat} onChange={(e) => set('sifat', e.target.value)} data-testid="kn-sifat">
                {['Biasa', 'Segera', 'Sangat Segera', 'Rahasia'].map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            <label className="field"><span>{t('konsep.fields.lampiran')}</span>
              <input value={content.lampiran} placeholder={draft.attachments.length > 0 ? t('konsep.fields.lampiranAuto', { count: draft.attachments.length }) : '-'} onChange={(e) => set('lampiran', e.target.value)} data-testid="kn-lampiran" />
            </label>
          </div>
          <label className="field"><span>{t('konsep.fields.body')}</span>
            <span className="kn-toolbar" role="toolbar" aria-label={t('konsep.toolbar')}>
              <button type="button" className="button-secondary" title="Ctrl+B" onClick={() => insert('**teks tebal**')}><b>B</b></button>
              <button type="button" className="button-secondary" title="Ctrl+I" onClick={() => insert('_teks miring_')}><i>I</i></button>
              <button type="button" className="button-secondary" onClick={() => insert('\n\n1. \n2. \n')}>{t('konsep.list')}</button>
              <button type="button" className="button-secondary" onClick={() => insert('\n\n| Kolom 1 | Kolom 2 |\n|---|---|\n| isi | isi |\n')}>{t('konsep.table')}</button>
            </span>
            <textarea ref={body} rows={16} className="kn-body" value={bodyText} onChange={(e) => setBody(e.target.value)} onKeyDown={format} data-testid="kn-body" />
            <span className="status-hint">{t('konsep.bodyHint')}</span>
          </label>
          <label className="field"><span>{t('konsep.fields.tembusan')}</span>
            <textarea rows={2} value={content.tembusan.join('\n')} onChange={(e) => set('tembusan', linesOf(e.target.value))} data-testid="kn-tembusan" />
          </label>
          <fieldset className="kn-signer">
            <legend>{t('konsep.fields.signatureBlock')}</legend>
            <label className="field"><span>{t('konsep.fields.position')}</span>
              <input value={content.signer.position} onChange={(e) => set('signer', { ...content.signer, position: e.target.value })} data-testid="kn-position" />
            </label>
            <label className="field"><span>{t('konsep.fields.name')}</span>
              <input value={content.signer.name} onChange={(e) => set('signer', { ...content.signer, name: e.target.value })} data-testid="kn-name" />
            </label>
            {template?.signerNip && (
              <div className="kn-row">
                <label className="field"><span>{t('konsep.fields.rank')}</span>
                  <input value={content.signer.rank} onChange={(e) => set('signer', { ...content.signer, rank: e.target.value })} data-testid="kn-rank" />
                </label>
                <label className="field"><span>NIP</span>
                  <input value={content.signer.nip} onChange={(e) => set('signer', { ...content.signer, nip: e.target.value })} data-testid="kn-nip" />
                </label>
              </div>
            )}
          </fieldset>
          <label className="field"><span>{t('konsep.attachments')}</span>
            <input type="file" accept="application/pdf,.pdf" onChange={(e) => { void attach(e.target.files?.[0]); e.target.value = ''; }} data-testid="kn-attach" />
          </label>
          <ul className="kn-attachments" data-testid="kn-attachments">
            {draft.attachments.map((a) => (
              <li key={a.hash}>{a.name} ({t('konsep.pages', { count: a.pageCount })}) <button type="button" className="button-secondary" onClick={() => void detach(a.hash)}>{t('konsep.detach')}</button></li>
            ))}
          </ul>
          <div className="kn-submit">
            {officials.value?.accounts === true && verifiers.map((v, i) => (
              <label className="field" key={i}><span>{t('paraf.verifier', { n: i + 1 })}</span>
                <select value={v} onChange={(e) => setVerifiers(verifiers.map((x, j) => (j === i ? e.target.value : x)))} data-testid={`kn-verifier-${i + 1}`}>
                  <option value="">{t('paraf.verifierNone')}</option>
                  {verifierOptions.filter((o) => o.positionId === v || !verifiers.includes(o.positionId)).map((o) => (
                    <option key={o.positionId} value={o.positionId}>{o.holderName ? `${o.title} — ${o.holderName}` : o.title}</option>
                  ))}
                </select>
              </label>
            ))}
            <SignerField value={signer} onChange={chooseSigner} view={officials.value} testId="kn-signer" />
            {officials.value?.accounts === true && (
              <ChosenChain
                verifiers={verifiers.flatMap((v) => verifierOptions.filter((o) => o.positionId === v))}
                signer={officials.value.officials.find((o) => o.id === signer)}
              />
            )}
            <button type="button" className="button-primary" onClick={() => void submit()} data-testid="kn-submit">{t('konsep.submit')}</button>
          </div>
        </fieldset>
        <div className="kn-preview" data-testid="kn-preview" data-version={preview?.version}>
          {preview && <PdfPreview file={preview.file} />}
        </div>
      </div>
      {error && <p className="notice notice-error" role="alert" data-testid="kn-error">{errorText(error, language)}</p>}
      {submitted && <p className="notice tt-verdict-valid" role="status" data-testid="kn-submitted">{t('konsep.submitted')}</p>}
    </section>
  );
}
