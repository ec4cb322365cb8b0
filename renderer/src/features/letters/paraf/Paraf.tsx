// The paraf screen (#/beranda/paraf/<id>, opened from the to-do on Beranda): one draft in its chain as a verifier or its drafter reads
// it — the letter as a chosen version renders (the very PDF the signer gets), the trail (who, when,
// what, the notes), every version with two of them compared field by field, and, at the verifier's
// turn, editing the text, approving (paraf) or returning it with notes. Decisions are kept on this
// desk and go out with the next sync, so a verifier works offline too. Esc goes back to Beranda.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileRef } from '../../../../../common/ipc/documents.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';
import type { ChainDraft, FieldDiff, ParafDetail } from '../../../../../common/ipc/paraf.ts';
import { useBridge, useOpenedItem } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../../i18n/index.ts';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';
import { blocksOf, textOf } from '../drafting/markup.ts';

export const parafHash = (id: string) => `#/beranda/paraf/${id}`;

/** The verifiers in order, whose turn it is, and last the signer, marked as the one who signs. */
export function Chain({ draft }: { draft: ChainDraft }) {
  const { t } = useTranslation();
  const signerState = draft.state === 'signed' ? 'done' : draft.state === 'approved' ? 'current' : 'waiting';
  return (
    <ol className="pf-chain" data-testid="pf-chain">
      {draft.verifiers.map((v, i) => (
        <li key={v.positionId} data-state={v.state} data-role="verifier">
          <span className="pf-role">{t('paraf.role.verifierN', { n: i + 1 })}</span> {v.title} — {t(`paraf.step.${v.state}`)}
        </li>
      ))}
      <li data-state={signerState} data-role="signer" data-testid="pf-chain-signer">
        <span className="pf-role pf-role-signer">{t('paraf.role.signer')}</span> {draft.signerName} — {t(`paraf.signerStep.${signerState}`)}
      </li>
    </ol>
  );
}

/** Who acted in a step of the trail: the drafter sends, verifiers approve or return, the signer signs. */
const roleOfAction = { submit: 'drafter', approve: 'verifier', return: 'verifier', sign: 'signer' } as const;

function Trail({ detail }: { detail: ParafDetail }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <ol className="pf-trail" data-testid="pf-trail">
      {detail.trail.map((s, i) => (
        <li key={i} className="pf-step" data-action={s.action} data-role={roleOfAction[s.action]} data-testid="pf-step">
          <span className="pf-step-what">{t(`paraf.action.${s.action}`)}</span>
          {' — '}<span className={`pf-role${s.action === 'sign' ? ' pf-role-signer' : ''}`}>{t(`paraf.role.${roleOfAction[s.action]}`)}</span>
          {' '}<span>{s.positionTitle ? `${s.userName} (${s.positionTitle})` : s.userName}</span>
          <span className="dp-meta"> · {formatMoment(s.at, language, 'long')} · {t('paraf.versionN', { n: s.version })}</span>
          {s.note !== '' && <blockquote className="pf-note" data-testid="pf-step-note">{s.note}</blockquote>}
        </li>
      ))}
    </ol>
  );
}

/** The fields that changed between two versions, their words struck out or inserted; unchanged fields named once. */
function Differences({ diffs }: { diffs: FieldDiff[] }) {
  const { t } = useTranslation();
  const changed = diffs.filter((d) => d.changed);
  const same = diffs.filter((d) => !d.changed);
  return (
    <div className="pf-diff" data-testid="pf-diff" role="region" aria-label={t('paraf.compareResult')}>
      {changed.length === 0 && <p data-testid="pf-diff-none">{t('paraf.noChanges')}</p>}
      {changed.map((d) => (
        <section key={d.field} className="pf-diff-field" data-testid="pf-diff-field" data-field={d.field}>
          <h4>{d.label}</h4>
          <p className="pf-diff-text">
            {d.pieces.map((p, i) => (p.op === 'added'
              ? <ins key={i}>{p.text}</ins>
              : p.op === 'removed' ? <del key={i}>{p.text}</del> : <span key={i}>{p.text}</span>))}
          </p>
        </section>
      ))}
      {same.length > 0 && <p className="dp-meta">{t('paraf.unchanged', { fields: same.map((d) => d.label).join(', ') })}</p>}
    </div>
  );
}

function Versions({ detail, shown, onShow }: { detail: ParafDetail; shown: number; onShow(version: number): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const last = detail.versions.at(-1)?.version ?? detail.version;
  // At first: what changed since the draft was last returned (what its verifier read then), else since the version before.
  const returned = detail.trail.filter((s) => s.action === 'return').at(-1)?.version;
  const [from, setFrom] = useState(returned !== undefined && returned < last ? returned : detail.versions.at(-2)?.version ?? last);
  const [to, setTo] = useState(last);
  const [diffs, setDiffs] = useState<FieldDiff[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  async function compare() {
    const r = await bridge.invoke('paraf.compare', { id: detail.id, from, to });
    if (r.ok) { setDiffs(r.value); setError(null); } else setError(r.error);
  }
  const pick = (value: number, set: (v: number) => void, testId: string, label: string) => (
    <label className="field"><span>{label}</span>
      <select value={value} onChange={(e) => { set(Number(e.target.value)); setDiffs(null); }} data-testid={testId}>
        {detail.versions.map((v) => <option key={v.version} value={v.version}>{t('paraf.versionN', { n: v.version })}</option>)}
      </select>
    </label>
  );
  return (
    <section className="panel" aria-labelledby="pf-versions-title">
      <h2 id="pf-versions-title" className="section-title">{t('paraf.versions')}</h2>
      <table className="sm-table" data-testid="pf-versions">
        <thead><tr><th scope="col">{t('paraf.version')}</th><th scope="col">{t('paraf.savedBy')}</th><th scope="col">{t('paraf.savedAt')}</th><th scope="col"><span className="visually-hidden">{t('paraf.showVersion')}</span></th></tr></thead>
        <tbody>
          {detail.versions.map((v) => (
            <tr key={v.version} data-testid="pf-version" aria-current={v.version === shown ? 'true' : undefined}>
              <td>{t('paraf.versionN', { n: v.version })}</td>
              <td>{v.savedByName}</td>
              <td>{formatMoment(v.savedAt, language)}</td>
              <td>
                <button type="button" className="button-secondary" disabled={v.version === shown} onClick={() => onShow(v.version)} data-testid={`pf-show-${v.version}`}>
                  {v.version === shown ? t('paraf.shown') : t('paraf.showVersion')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.versions.length > 1 && (
        <form className="pf-compare" onSubmit={(e) => { e.preventDefault(); void compare(); }}>
          {pick(from, setFrom, 'pf-compare-from', t('paraf.compareFrom'))}
          {pick(to, setTo, 'pf-compare-to', t('paraf.compareTo'))}
          <button type="submit" className="button-secondary" data-testid="pf-compare">{t('paraf.compare')}</button>
        </form>
      )}
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {diffs && <Differences diffs={diffs} />}
    </section>
  );
}

/** The verifier whose turn it is: edit the text (a new version), approve, or return with notes. */
function Decision({ detail, onDecided }: { detail: ParafDetail; onDecided(verdict: 'approve' | 'return'): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [note, setNote] = useState('');
  const [editing, setEditing] = useState(false);
  const [hal, setHal] = useState(detail.content.hal);
  const [body, setBody] = useState(() => textOf(detail.content.body));
  const [error, setError] = useState<IpcError | null>(null);
  const [noteMissing, setNoteMissing] = useState(false);

  async function decide(verdict: 'approve' | 'return') {
    if (verdict === 'return' && note.trim() === '') { setNoteMissing(true); document.getElementById('pf-note')?.focus(); return; }
    setNoteMissing(false);
    const r = await bridge.invoke('paraf.decide', { id: detail.id, version: detail.version, verdict, note: note.trim() });
    setError(r.ok ? null : r.error);
    if (r.ok) onDecided(verdict);
  }
  async function save() {
    const r = await bridge.invoke('paraf.edit', { id: detail.id, version: detail.version, content: { ...detail.content, hal, body: blocksOf(body) } });
    if (r.ok) { setEditing(false); setError(null); } else setError(r.error);
  }

  return (
    <section className="panel pf-decision" aria-labelledby="pf-decision-title" data-testid="pf-decision">
      <h2 id="pf-decision-title" className="section-title">{t(detail.myTurn ? 'paraf.yourTurn' : 'paraf.yourDecision')}</h2>
      <fieldset className="pf-decision-fields" disabled={!detail.myTurn} data-testid="pf-decision-fields">
      {editing ? (
        <form onSubmit={(e) => { e.preventDefault(); void save(); }} data-testid="pf-edit-form">
          <label className="field"><span>{t('konsep.fields.hal')}</span>
            <input value={hal} onChange={(e) => setHal(e.target.value)} data-testid="pf-edit-hal" autoFocus />
          </label>
          <label className="field"><span>{t('konsep.fields.body')}</span>
            <textarea rows={12} className="kn-body" value={body} onChange={(e) => setBody(e.target.value)} data-testid="pf-edit-body" />
            <span className="status-hint">{t('konsep.bodyHint')}</span>
          </label>
          <button type="submit" className="button-primary" data-testid="pf-edit-save">{t('paraf.saveEdit')}</button>
          <button type="button" className="button-secondary" onClick={() => setEditing(false)}>{t('paraf.cancelEdit')}</button>
        </form>
      ) : (
        <button type="button" className="button-secondary" onClick={() => setEditing(true)} data-testid="pf-edit">{t('paraf.edit')}</button>
      )}
      <label className="field"><span>{t('paraf.note')}</span>
        <textarea id="pf-note" rows={4} value={note} onChange={(e) => { setNote(e.target.value); setNoteMissing(false); }}
          aria-invalid={noteMissing || undefined} aria-describedby="pf-note-hint" data-testid="pf-note" />
        <span id="pf-note-hint" className={noteMissing ? 'field-error' : 'status-hint'} data-testid={noteMissing ? 'pf-note-missing' : undefined}>
          {noteMissing ? t('paraf.noteRequired') : t('paraf.noteHint')}
        </span>
      </label>
      <div className="pf-buttons">
        <button type="button" className="button-primary" onClick={() => void decide('approve')} data-testid="pf-approve">{t('paraf.approve')}</button>
        <button type="button" className="button-secondary" onClick={() => void decide('return')} data-testid="pf-return">{t('paraf.return')}</button>
      </div>
      </fieldset>
      {error && <p className="notice notice-error" role="alert" data-testid="pf-error">{errorText(error, language)}</p>}
    </section>
  );
}

export function ParafKonsep({ id }: { id: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const opened = useOpenedItem('paraf.get', id, '#/beranda', 'dashboard.changed');
  const detail = opened.value;
  /** The version shown in the preview: the last one unless the reader picks another. */
  const [chosen, setChosen] = useState<number | null>(null);
  const shown = chosen ?? detail?.version ?? 0;
  const [file, setFile] = useState<{ file: FileRef; version: number } | null>(null);
  const [previewError, setPreviewError] = useState<IpcError | null>(null);
  const [decided, setDecided] = useState<'approve' | 'return' | null>(null);
  /** A lampiran downloaded since the last preview: the preview is made again with it. */
  const missing = detail?.attachments.missing ?? 0;

  useEffect(() => {
    if (shown === 0) return;
    let stale = false;
    void bridge.invoke('paraf.preview', { id, version: shown }).then((r) => {
      if (stale) return;
      if (r.ok) { setFile({ file: r.value, version: shown }); setPreviewError(null); } else setPreviewError(r.error);
    });
    return () => { stale = true; };
  }, [bridge, id, shown, missing]);

  return (
    <section className="screen pf-screen" data-testid="screen-paraf" aria-labelledby="pf-screen-title">
      <div className="screen-head">
        <p><a href="#/beranda" data-testid="pf-back">{t('paraf.back')}</a></p>
        <h1 id="pf-screen-title" ref={opened.title} tabIndex={-1}>{detail ? t('paraf.screenTitle', { hal: detail.hal || t('konsep.noSubject') }) : t('paraf.title')}</h1>
        {detail && (
          <p className="screen-sub" data-testid="pf-state" data-state={detail.state}>
            {t('paraf.from', { name: detail.authorName })} · {t(`paraf.state.${detail.state}`)}{detail.pending ? ` (${t('paraf.pending')})` : ''}
          </p>
        )}
        {detail?.refused && <p className="notice notice-error" role="alert" data-testid="pf-refused">{detail.refused}</p>}
        {detail?.returnNote && <p className="notice" role="note" data-testid="pf-return-note">{t('paraf.returnNote', { note: detail.returnNote })}</p>}
        {decided && <p className="notice tt-verdict-valid" role="status" data-testid="pf-decided" data-verdict={decided}>{t(`paraf.decided.${decided}`)}</p>}
      </div>
      {opened.error && <p className="notice notice-error" role="alert" data-testid="pf-load-error">{errorText(opened.error, language)}</p>}
      {detail && (
        <div className="kn-columns">
          <div className="pf-side">
            {/* Kept after my decision, closed, so the note I wrote stays in view beside what became of it. */}
            {(detail.myTurn || decided !== null) && <Decision detail={detail} onDecided={setDecided} />}
            <section className="panel" aria-labelledby="pf-chain-title">
              <h2 id="pf-chain-title" className="section-title">{t('paraf.chainTitle')}</h2>
              <Chain draft={detail} />
              <h3>{t('paraf.trail')}</h3>
              <Trail detail={detail} />
            </section>
            <Versions key={detail.versions.length} detail={detail} shown={shown} onShow={setChosen} />
          </div>
          <div className="kn-preview" data-testid="pf-preview" data-version={file?.version}>
            <p className="status-hint">{t('paraf.previewOf', { n: shown })}</p>
            {missing > 0 && <p className="notice" role="status" data-testid="pf-attachments-missing">{t('paraf.attachmentsMissing', { n: missing })}</p>}
            {previewError && <p className="notice notice-error" role="alert">{errorText(previewError, language)}</p>}
            {file && <PdfPreview key={`${file.version}-${missing}`} file={file.file} />}
          </div>
        </div>
      )}
    </section>
  );
}
