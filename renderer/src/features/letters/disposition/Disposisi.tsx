// Disposisi (#/disposisi for the to-do, #/disposisi/<letterId> for one letter): the letter's agenda
// data, its trail as a tree (who, to whom, instructions, read, done, reports), and what the person may
// do from the positions they hold — dispose or pass on (keyboard: D opens the form, Ctrl+Enter sends),
// report done, cancel while unread. Opening a letter addressed to you marks it read.
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Trail, TrailNode } from '../../../../../common/ipc/disposition.ts';
import type { InvokeResult, IpcError } from '../../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate, formatDay } from '../../../i18n/index.ts';
import { TugasSayaList } from './TugasSaya.tsx';
import { fromBase64 } from '../../../files/base64.ts';
import { offerDownload } from '../../../files/download.ts';
import { receiveFile, sendFile } from '../../../files/transfer.ts';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const when = (iso: string | null, language: ReturnType<typeof currentLanguage>) => (iso ? formatDay(iso, language) : '');

/** The file attached to a report: fetched (from the server, when it was attached at another desk) and offered as a download. */
function ReportFileLink({ dispositionId, positionId, name }: { dispositionId: string; positionId: string; name: string | null }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    const ref = await bridge.invoke('disposition.reportFile', { dispositionId, positionId });
    const got = ref.ok ? await receiveFile(bridge, ref.value) : ref;
    setBusy(false);
    if (!got.ok) { setError(errorText(got.error, currentLanguage())); return; }
    setError(null);
    if (ref.ok) offerDownload(got.bytes, ref.value.fileName, ref.value.mediaType);
  };
  return (
    <div className="dp-report-file">
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void download()} data-testid="trail-report-file">
        {busy ? t('disposisi.reportFileLoading') : name ? t('disposisi.reportFileDownload', { name }) : t('disposisi.reportFileDownloadUnnamed')}
      </button>
      {error && <span className="notice-error" role="alert" data-testid="trail-report-file-error"> {error}</span>}
    </div>
  );
}

const Node = memo(function Node({ node, onCancel }: { node: TrailNode; onCancel(id: string): void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <li className={`dp-node${node.cancelledAt ? ' dp-cancelled' : ''}`} style={{ marginLeft: `${node.depth * 1.75}rem` }} data-testid="trail-node" data-depth={node.depth}>
      <div className="dp-node-head">
        <strong>{node.from.title}</strong>{node.from.holderName && <span className="dp-meta"> ({node.from.holderName})</span>}
        <span className="dp-meta"> · {when(node.createdAt, language)}</span>
        {node.dueDate && <span className={`dp-due dp-due-${node.dueTone}`}>{t(`disposisi.due.${node.dueTone}`, { date: formatDate(node.dueDate, language) })}</span>}
        {node.urgency !== 'biasa' && <span className="dp-badge">{t(`suratMasuk.urgency.${node.urgency}`)}</span>}
      </div>
      <div className="dp-instructions" data-testid="trail-instructions">{[...node.instructions, node.note].filter(Boolean).join('; ')}</div>
      <ul className="dp-recipients">
        {node.recipients.map((r) => (
          <li key={r.id} data-testid="trail-recipient" data-done={r.doneAt ? 'true' : 'false'}>
            <span>{r.kind === 'cc' ? t('disposisi.copy') : t('disposisi.to')} {r.title}{r.holderName && ` (${r.holderName})`}</span>
            <span className="dp-meta"> — {r.doneAt ? t('disposisi.doneAt', { date: when(r.doneAt, language) }) : r.readAt ? t('disposisi.readAt', { date: when(r.readAt, language) }) : t('disposisi.unread')}</span>
            {r.reportNote && <div className="dp-report" data-testid="trail-report">{t('disposisi.report')}: {r.reportNote}</div>}
            {r.hasReportFile && <ReportFileLink dispositionId={node.id} positionId={r.id} name={r.reportFileName} />}
          </li>
        ))}
      </ul>
      {node.cancelledAt && <p className="dp-meta">{t('disposisi.cancelled')}</p>}
      {node.pending && !node.refused && <p className="dp-meta" data-testid="trail-pending">{t('disposisi.pending')}</p>}
      {node.refused && <p className="notice notice-error" role="alert" data-testid="trail-refused">{t('disposisi.refused', { reason: node.refused })}</p>}
      {node.canCancel && <button type="button" className="button-secondary" data-testid="trail-cancel" onClick={() => onCancel(node.id)}>{t('disposisi.cancel')}</button>}
    </li>
  );
// A trail read again after a sync carries new objects for unchanged nodes: those are not drawn again.
}, (a, b) => a.onCancel === b.onCancel && JSON.stringify(a.node) === JSON.stringify(b.node));

/** Nodes drawn in the first task, and added per task after it: a long trail never holds the screen. */
const trailChunk = 40;

function TrailList({ nodes, onCancel }: { nodes: TrailNode[]; onCancel(id: string): void }) {
  const [shown, setShown] = useState(trailChunk);
  useEffect(() => {
    if (shown >= nodes.length) return;
    const timer = setTimeout(() => setShown(shown + trailChunk), 0);
    return () => clearTimeout(timer);
  }, [shown, nodes.length]);
  return <ol className="dp-trail" data-testid="trail" aria-busy={shown < nodes.length}>{nodes.slice(0, shown).map((n) => <Node key={n.id} node={n} onCancel={onCancel} />)}</ol>;
}

type Act = (call: () => Promise<InvokeResult<'disposition.trail'>>) => Promise<boolean>;

function DisposeForm({ trail, act, onDone }: { trail: Trail; act: Act; onDone(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [option, setOption] = useState(0);
  const [to, setTo] = useState<string[]>([]);
  const [cc, setCc] = useState<string[]>([]);
  const [instructions, setInstructions] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [urgency, setUrgency] = useState<'biasa' | 'segera' | 'sangat_segera'>('biasa');
  const [dueDate, setDueDate] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  const chosen = trail.options[option]!;
  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    const ok = await act(() => bridge.invoke('disposition.create', {
      letterId: trail.letter.id, parentId: chosen.parentId, fromPositionId: chosen.from.id, to, cc, instructions, note, urgency, dueDate: dueDate || null,
    }));
    setBusy(false);
    if (ok) onDone();
  };

  return (
    <form className="panel dp-form" data-testid="dispose-form" onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(); }}>
      <h2>{chosen.parentId ? t('disposisi.form.passOn') : t('disposisi.form.title')}</h2>
      {trail.options.length > 1 && (
        <label className="field"><span>{t('disposisi.form.from')}</span>
          <select value={option} onChange={(e) => { setOption(Number(e.target.value)); setTo([]); }} data-testid="dispose-from">
            {trail.options.map((o, i) => <option key={`${o.from.id}-${o.parentId}`} value={i}>{o.from.title}</option>)}
          </select>
        </label>
      )}
      <fieldset className="dp-choices"><legend>{t('disposisi.form.to')}</legend>
        {chosen.targets.map((p, i) => (
          <label key={p.id} className="dp-choice">
            <input ref={i === 0 ? first : undefined} type="checkbox" checked={to.includes(p.id)} onChange={() => toggle(to, setTo, p.id)} data-testid="dispose-to" data-position={p.id} />
            <span>{p.title}{p.holderName && <span className="dp-meta"> ({p.holderName})</span>}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="dp-choices"><legend>{t('disposisi.form.instructions')}</legend>
        {trail.instructions.map((ins) => (
          <label key={ins} className="dp-choice">
            <input type="checkbox" checked={instructions.includes(ins)} onChange={() => toggle(instructions, setInstructions, ins)} data-testid="dispose-instruction" />
            <span>{ins}</span>
          </label>
        ))}
      </fieldset>
      <label className="field"><span>{t('disposisi.form.note')}</span>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="dispose-note" /></label>
      <div className="pindai-row">
        <label className="field"><span>{t('disposisi.form.urgency')}</span>
          <select value={urgency} onChange={(e) => setUrgency(e.target.value as typeof urgency)} data-testid="dispose-urgency">
            {(['biasa', 'segera', 'sangat_segera'] as const).map((u) => <option key={u} value={u}>{t(`suratMasuk.urgency.${u}`)}</option>)}
          </select>
        </label>
        <label className="field"><span>{t('disposisi.form.due')}</span>
          <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} data-testid="dispose-due" /></label>
      </div>
      <details className="dp-copies"><summary>{t('disposisi.form.copies', { count: cc.length })}</summary>
        {trail.copyTargets.filter((p) => !to.includes(p.id)).map((p) => (
          <label key={p.id} className="dp-choice">
            <input type="checkbox" checked={cc.includes(p.id)} onChange={() => toggle(cc, setCc, p.id)} data-testid="dispose-cc" data-position={p.id} />
            <span>{p.title}</span>
          </label>
        ))}
      </details>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={busy} data-testid="dispose-submit">{t('disposisi.form.submit')}</button>
        <span className="field-hint">{t('disposisi.form.keys')}</span>
      </div>
    </form>
  );
}

function ReportForm({ trail, dispositionId, positionId, act }: { trail: Trail; dispositionId: string; positionId: string; act: Act }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [note, setNote] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFileError(null);
    let upload: { uploadId: string; name: string } | null = null;
    if (file) {
      // The file goes to the desk in pieces first; the report then names it. A refusal keeps the note and the file chosen.
      setProgress(0);
      const sent = await sendFile(bridge, file, setProgress);
      setProgress(null);
      if (!sent.ok) { setFileError(errorText(sent.error, currentLanguage())); return; }
      upload = { uploadId: sent.uploadId, name: file.name };
    }
    await act(() => bridge.invoke('disposition.report', { dispositionId, positionId, note, file: upload }));
  };
  const from = trail.nodes.find((n) => n.id === dispositionId)?.from.title ?? '';
  return (
    <form className="panel dp-form" data-testid="report-form" onSubmit={(e) => void submit(e)}>
      <h2>{t('disposisi.reportTitle', { from })}</h2>
      <label className="field"><span>{t('disposisi.reportNote')}</span>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="report-note" /></label>
      <div className="field">
        <label htmlFor={`report-file-${dispositionId}`}>{t('disposisi.reportFile')}</label>
        <p className="field-hint">{t('disposisi.reportFileHint')}</p>
        <input id={`report-file-${dispositionId}`} ref={fileInput} type="file" accept="application/pdf,image/jpeg,image/png,image/tiff,.pdf,.jpg,.jpeg,.png,.tif,.tiff"
          onChange={(e) => { setFile(e.target.files?.[0] ?? null); setFileError(null); }} data-testid="report-file" />
        {file && (
          <span className="field-hint" data-testid="report-file-chosen">
            {t('disposisi.reportFileChosen', { name: file.name })}{' '}
            <button type="button" className="button-secondary" onClick={() => { setFile(null); if (fileInput.current) fileInput.current.value = ''; }}>{t('disposisi.reportFileRemove')}</button>
          </span>
        )}
        {fileError && <p className="field-error" role="alert" data-testid="report-file-error">{fileError}</p>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={progress !== null} data-testid="report-submit">{t('disposisi.reportSubmit')}</button>
        {progress !== null && <span className="field-hint" role="status">{t('disposisi.reportFileSending', { percent: Math.round(progress * 100) })}</span>}
      </div>
    </form>
  );
}

/**
 * The letter's trail, read again after every sync, and replaced by what an action answers. Reads and
 * actions share one ticket counter: a read that started before an action and answers after it is
 * stale and dropped, so the screen never falls back to the trail before the person's own change.
 */
function useTrail(letterId: string) {
  const bridge = useBridge();
  const [trail, setTrail] = useState<Trail | undefined>();
  const [error, setError] = useState<IpcError | undefined>();
  const latest = useRef(0);
  const settle = useCallback((ticket: number, r: InvokeResult<'disposition.trail'>) => {
    if (ticket !== latest.current) return false;
    if (r.ok) { setTrail(r.value); setError(undefined); } else setError(r.error);
    return r.ok;
  }, []);
  const read = useCallback(() => {
    const ticket = ++latest.current;
    void bridge.invoke('disposition.trail', { id: letterId }).then((r) => settle(ticket, r));
  }, [bridge, letterId, settle]);
  useEffect(() => {
    read();
    const off = bridge.on('sync.changed', read);
    return () => { latest.current++; off(); };
  }, [bridge, read]);
  /** Runs an action that answers the trail; resolves whether it succeeded. */
  const act = useCallback(async (call: () => Promise<InvokeResult<'disposition.trail'>>) => {
    const ticket = ++latest.current;
    const r = await call();
    // An action's refusal is shown even if a read was asked for meanwhile.
    if (!r.ok) { setError(r.error); return false; }
    // A read asked for after the action started was sent after it, so it already carries the change.
    settle(ticket, r);
    return true;
  }, [settle]);
  return { trail, error, act };
}

function LetterDisposition({ letterId }: { letterId: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const bridge = useBridge();
  const { trail, error, act } = useTrail(letterId);
  const [forming, setForming] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    title.current?.focus();
    const back = (e: KeyboardEvent) => { if (e.key === 'Escape') window.location.hash = '#/disposisi'; };
    window.addEventListener('keydown', back);
    return () => window.removeEventListener('keydown', back);
  }, []);

  // Opening a letter addressed to one of my positions is reading it (once per unread item, keyed by its ids).
  const unread = JSON.stringify((trail?.mine ?? []).filter((m) => m.readAt === null).map((m) => [m.dispositionId, m.positionId]));
  useEffect(() => {
    const items = (JSON.parse(unread) as [string, string][]).map(([dispositionId, positionId]) => ({ dispositionId, positionId }));
    if (items.length > 0) void act(() => bridge.invoke('disposition.read', { items }));
  }, [act, bridge, unread]);

  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if (!typing && (e.key === 'd' || e.key === 'D') && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); setForming(true); }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);

  const cancel = useCallback((id: string) => void act(() => bridge.invoke('disposition.cancel', { dispositionId: id })), [act, bridge]);
  const [printError, setPrintError] = useState<IpcError | undefined>();
  const print = async (paper: 'A4' | 'A5') => {
    const r = await bridge.invoke('disposition.sheet', { id: letterId, paper });
    if (r.ok) { setPrintError(undefined); offerDownload(fromBase64(r.value.pdf), r.value.fileName, 'application/pdf'); } else setPrintError(r.error);
  };
  const l = trail?.letter;
  const reportable = trail?.mine.filter((m) => m.kind === 'to' && m.doneAt === null) ?? [];

  return (
    <section className="screen" data-testid="screen-disposisi-surat" aria-labelledby="dp-title">
      <div className="screen-head">
        <h1 id="dp-title" ref={title} tabIndex={-1}>{l ? t('disposisi.letterTitle', { agenda: l.agenda ?? '—' }) : t('common.loading')}</h1>
        <span className="form-actions">
          {trail && (['A4', 'A5'] as const).map((paper) => (
            <button key={paper} type="button" className="button-secondary" data-testid={`dp-print-${paper}`} onClick={() => void print(paper)}>{t('disposisi.print', { paper })}</button>
          ))}
          <a href="#/disposisi" className="button-secondary">{t('disposisi.back')}</a>
        </span>
      </div>
      {printError && <p className="notice notice-error" role="alert">{errorText(printError, language)}</p>}
      {error && <p className="notice notice-error" role="alert" data-testid="dp-error">{errorText(error, language)}</p>}
      {trail && l && (
        <div className="dp-layout">
          <div>
            <dl className="panel sm-details" data-testid="dp-letter">
              <div className="sm-detail"><dt>{t('suratMasuk.fields.subject')}</dt><dd>{l.withheld ? t('disposisi.withheld') : l.subject}</dd></div>
              <div className="sm-detail"><dt>{t('suratMasuk.fields.sender')}</dt><dd>{l.sender || '—'}</dd></div>
              <div className="sm-detail"><dt>{t('suratMasuk.fields.letterNumber')}</dt><dd>{l.letterNumber ?? '—'}{l.letterDate && `, ${formatDate(l.letterDate, language)}`}</dd></div>
              <div className="sm-detail"><dt>{t('disposisi.state')}</dt><dd data-testid="dp-state">{t(`disposisi.states.${trail.state}`)}</dd></div>
              <div className="sm-detail"><dt>{t('suratMasuk.fields.security')}</dt><dd>{t(`suratMasuk.security.${l.security}`)}</dd></div>
            </dl>
            <h2 className="section-title">{t('disposisi.trail')}</h2>
            {trail.nodes.length === 0 ? <p className="muted">{t('disposisi.noTrail')}</p> : (
              <TrailList nodes={trail.nodes} onCancel={cancel} />
            )}
          </div>
          <div>
            {trail.options.length > 0 && !forming && (
              <button type="button" className="button-primary" data-testid="dispose-open" onClick={() => setForming(true)}>{t('disposisi.form.open')}</button>
            )}
            {forming && trail.options.length > 0 && <DisposeForm trail={trail} act={act} onDone={() => setForming(false)} />}
            {reportable.map((m) => <ReportForm key={m.dispositionId} trail={trail} dispositionId={m.dispositionId} positionId={m.positionId} act={act} />)}
          </div>
        </div>
      )}
    </section>
  );
}

function DaftarDisposisi() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const todo = useLive('disposition.todo', 'sync.changed');
  return (
    <section className="screen" data-testid="screen-disposisi" aria-labelledby="dp-list-title">
      <div className="screen-head"><h1 id="dp-list-title" tabIndex={-1}>{t('disposisi.title')}</h1></div>
      {todo.error && <p className="notice notice-error" role="alert">{errorText(todo.error, language)}</p>}
      {todo.value && <TugasSayaList todo={todo.value} />}
    </section>
  );
}

export function Disposisi() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const id = hash.replace(/^#\/?disposisi\/?/, '').split('?', 1)[0]!;
  if (/^[0-9a-f-]{36}$/.test(id)) return <LetterDisposition key={id} letterId={id} />;
  return <DaftarDisposisi />;
}
