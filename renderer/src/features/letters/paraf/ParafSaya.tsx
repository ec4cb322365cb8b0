// Paraf on Beranda, beside the dispositions: the drafts waiting for my paraf (each opens the paraf
// screen), the drafts I submitted and where they stand in their chain (who has initialled, whose turn
// it is; a returned one with its notes and the way back to the editor), and for an official the fully
// initialled letters waiting in Tanda Tangan.
import { useTranslation } from 'react-i18next';
import type { ChainDraft } from '../../../../../common/ipc/paraf.ts';
import { useLive } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../../i18n/index.ts';
import { Chain, parafHash } from './Paraf.tsx';

/** A draft waiting for my paraf: it opens on the paraf screen (the letter, the trail, the decision). */
function ToVerify({ draft }: { draft: ChainDraft }) {
  const { t } = useTranslation();
  return (
    <li className="dp-item" data-testid="pf-to-verify" data-id={draft.id}>
      <a className="dp-letter" href={parafHash(draft.id)} data-testid="pf-open">
        <span className="dp-subject">{draft.hal}</span>
        <span className="dp-meta">{t('paraf.from', { name: draft.authorName })}</span>
      </a>
      <Chain draft={draft} />
    </li>
  );
}

/** A draft I sent: where it stands; returned, the notes and the way back to the editor. */
function Sent({ draft }: { draft: ChainDraft }) {
  const { t } = useTranslation();
  return (
    <li className="dp-item" data-testid="pf-sent" data-state={draft.state} data-id={draft.id}>
      <span><a className="dp-subject" href={parafHash(draft.id)}>{draft.hal}</a> — {t(`paraf.state.${draft.state}`)}{draft.pending ? ` (${t('paraf.pending')})` : ''}</span>
      {draft.refused && <span className="notice notice-error">{draft.refused}</span>}
      {draft.returnNote !== null && (
        <span className="notice" role="note" data-testid="pf-sent-note">
          {t('paraf.returnNote', { note: draft.returnNote })} <a href={`#/konsep/${draft.id}`} data-testid="pf-fix">{t('paraf.openDraft')}</a>
        </span>
      )}
      <Chain draft={draft} />
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
            <li key={d.id} className="dp-item" data-testid="pf-to-sign"><a href="#/tanda-tangan">{d.hal}</a> <a href={parafHash(d.id)}>{t('paraf.openTrail')}</a> <Chain draft={d} /></li>
          ))}</ul>
        </>
      )}
      {value.sentByMe.length > 0 && (
        <>
          <h3>{t('paraf.sentByMe')}</h3>
          <ul className="dp-list">{value.sentByMe.map((d) => <Sent key={d.id} draft={d} />)}</ul>
        </>
      )}
    </section>
  );
}
