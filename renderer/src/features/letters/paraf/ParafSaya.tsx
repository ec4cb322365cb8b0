// Paraf on Beranda, beside the dispositions: the drafts waiting for my paraf (the letter as it will be
// signed, then approve, or return with a note for the drafter), the drafts I submitted and where they
// stand in their chain (who has initialled, whose turn it is), and for an official the fully
// initialled letters waiting in Tanda Tangan. Decisions go out with the next sync, offline too.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileRef } from '../../../../../common/ipc/documents.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';
import type { ChainDraft } from '../../../../../common/ipc/paraf.ts';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../../i18n/index.ts';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';

function Chain({ draft }: { draft: ChainDraft }) {
  const { t } = useTranslation();
  return (
    <ol className="pf-chain" data-testid="pf-chain">
      {draft.verifiers.map((v) => (
        <li key={v.positionId} data-state={v.state}>{v.title} — {t(`paraf.step.${v.state}`)}</li>
      ))}
      <li data-state={draft.state === 'signed' ? 'done' : 'waiting'}>{draft.signerName}</li>
    </ol>
  );
}

function ToVerify({ draft }: { draft: ChainDraft }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [note, setNote] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [file, setFile] = useState<FileRef | null>(null);
  async function open() {
    const r = await bridge.invoke('paraf.preview', { id: draft.id });
    if (r.ok) setFile(r.value); else setError(r.error);
  }
  async function decide(verdict: 'approve' | 'return') {
    const r = await bridge.invoke('paraf.decide', { id: draft.id, version: draft.version, verdict, note });
    setError(r.ok ? null : r.error);
  }
  return (
    <li className="dp-item" data-testid="pf-to-verify" data-id={draft.id}>
      <span className="dp-letter">
        <span className="dp-subject">{draft.hal}</span>
        <span className="dp-meta">{t('paraf.from', { name: draft.authorName })}</span>
      </span>
      <Chain draft={draft} />
      <button type="button" className="button-secondary" onClick={() => void open()} data-testid="pf-open">{t('paraf.open')}</button>
      {file && <PdfPreview file={file} />}
      <label className="field"><span>{t('paraf.note')}</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} data-testid="pf-note" />
      </label>
      <button type="button" className="button-primary" onClick={() => void decide('approve')} data-testid="pf-approve">{t('paraf.approve')}</button>
      <button type="button" className="button-secondary" onClick={() => void decide('return')} data-testid="pf-return">{t('paraf.return')}</button>
      {error && <p className="notice notice-error" role="alert" data-testid="pf-error">{errorText(error, currentLanguage())}</p>}
    </li>
  );
}

export function ParafSaya() {
  const { t } = useTranslation();
  const todo = useLive('paraf.todo', 'dashboard.changed');
  if (todo.error) return <p className="notice notice-error" role="alert">{errorText(todo.error, currentLanguage())}</p>;
  const value = todo.value;
  if (value === undefined) return null;
  return (
    <section className="panel" data-testid="paraf-saya" aria-labelledby="pf-title">
      <h2 id="pf-title" className="section-title">{t('paraf.toVerify')}</h2>
      {value.toVerify.length === 0
        ? <p className="status-hint" data-testid="pf-none">{t('paraf.toVerifyNone')}</p>
        : <ul className="dp-list">{value.toVerify.map((d) => <ToVerify key={d.id} draft={d} />)}</ul>}
      {value.toSign.length > 0 && (
        <>
          <h3>{t('paraf.toSign')}</h3>
          <ul className="dp-list">{value.toSign.map((d) => (
            <li key={d.id} className="dp-item" data-testid="pf-to-sign"><a href="#/tanda-tangan">{d.hal}</a> <Chain draft={d} /></li>
          ))}</ul>
        </>
      )}
      {value.sentByMe.length > 0 && (
        <>
          <h3>{t('paraf.sentByMe')}</h3>
          <ul className="dp-list">{value.sentByMe.map((d) => (
            <li key={d.id} className="dp-item" data-testid="pf-sent" data-state={d.state}>
              <span className="dp-subject">{d.hal}</span> — {t(`paraf.state.${d.state}`)}{d.pending ? ` (${t('paraf.pending')})` : ''}
              {d.refused && <span className="notice notice-error">{d.refused}</span>}
              <Chain draft={d} />
            </li>
          ))}</ul>
        </>
      )}
    </section>
  );
}
