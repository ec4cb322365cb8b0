// The personal to-do on Beranda (Tugas saya): dispositions to the positions the person holds (unread
// first, due soon in yellow, overdue in red), tembusan, what they disposed and how far it is, and for
// the head the letters no one has disposed yet. Each item opens the letter's disposition (Enter or click).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispositionLetter, Todo } from '../../../../../common/ipc/disposition.ts';
import { currentLanguage, errorText, formatDate } from '../../../i18n/index.ts';
import { useLive } from '../../../bridge/hooks.ts';

export const openDisposition = (letterId: string) => { window.location.hash = `#/disposisi/${letterId}`; };

function LetterLine({ letter }: { letter: DispositionLetter }) {
  const { t } = useTranslation();
  return (
    <span className="dp-letter">
      <span className="dp-subject">{letter.withheld ? t('disposisi.withheld') : letter.subject}</span>
      <span className="dp-meta">
        {[letter.sender, letter.letterNumber, letter.agenda ? t('disposisi.agenda', { agenda: letter.agenda }) : null].filter(Boolean).join(' · ')}
      </span>
    </span>
  );
}

function Row({ letterId, testId, tone, unread, children }: { letterId: string; testId: string; tone?: string; unread?: boolean; children: React.ReactNode }) {
  return (
    <li className={`dp-item dp-tone-${tone ?? 'none'}${unread ? ' dp-unread' : ''}`} data-testid={testId} data-tone={tone ?? 'none'} data-unread={unread ? 'true' : 'false'}
      tabIndex={0} onClick={() => openDisposition(letterId)} onKeyDown={(e) => { if (e.key === 'Enter') openDisposition(letterId); }}>
      {children}
    </li>
  );
}

function Due({ date, tone }: { date: string | null; tone: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  if (!date) return null;
  return <span className={`dp-due dp-due-${tone}`}>{t(`disposisi.due.${tone}`, { date: formatDate(date, language) })}</span>;
}

/** Items shown at first, and added by "show more": a long to-do renders in short tasks. */
const page = 50;

export function TugasSayaList({ todo }: { todo: Todo }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(page);
  if (todo.positions.length === 0) return <p className="notice notice-info" data-testid="todo-no-position">{t('disposisi.todo.noPosition')}</p>;
  return (
    <div className="dp-todo" data-testid="todo">
      <p className="screen-sub" data-testid="todo-positions">{t('disposisi.todo.as', { positions: todo.positions.map((p) => p.title).join(', ') })}</p>
      <h3 className="dp-group">{t('disposisi.todo.toMe', { count: todo.toMeTotal })}</h3>
      {todo.toMe.length === 0 ? <p className="muted">{t('disposisi.todo.none')}</p> : (
        <ul className="dp-list">
          {todo.toMe.slice(0, shown).map((i) => (
            <Row key={`${i.dispositionId}-${i.positionId}`} letterId={i.letter.id} testId="todo-to-me" tone={i.dueTone} unread={i.readAt === null}>
              {i.readAt === null && <span className="dp-badge">{t('disposisi.todo.new')}</span>}
              <LetterLine letter={i.letter} />
              <span className="dp-from">{t('disposisi.todo.from', { position: i.from.title })}: {[...i.instructions, i.note].filter(Boolean).join('; ')}</span>
              <Due date={i.dueDate} tone={i.dueTone} />
            </Row>
          ))}
        </ul>
      )}
      {todo.toMe.length > shown && (
        <button type="button" className="button-secondary" data-testid="todo-more" onClick={() => setShown(shown + page)}>
          {t('disposisi.todo.more', { count: Math.min(page, todo.toMe.length - shown) })}
        </button>
      )}
      {todo.toMeTotal > todo.toMe.length && todo.toMe.length <= shown && <p className="muted">{t('disposisi.todo.rest', { count: todo.toMeTotal - todo.toMe.length })}</p>}
      {todo.copies.length > 0 && (
        <>
          <h3 className="dp-group">{t('disposisi.todo.copies', { count: todo.copies.length })}</h3>
          <ul className="dp-list">
            {todo.copies.map((i) => (
              <Row key={i.dispositionId} letterId={i.letter.id} testId="todo-copy" unread>
                <LetterLine letter={i.letter} />
                <span className="dp-from">{t('disposisi.todo.from', { position: i.from.title })}</span>
              </Row>
            ))}
          </ul>
        </>
      )}
      {todo.toDispose.length > 0 && (
        <>
          <h3 className="dp-group">{t('disposisi.todo.toDispose', { count: todo.toDispose.length })}</h3>
          <ul className="dp-list">
            {todo.toDispose.map((l) => <Row key={l.id} letterId={l.id} testId="todo-to-dispose"><LetterLine letter={l} /></Row>)}
          </ul>
        </>
      )}
      {todo.disposedByMe.length > 0 && (
        <>
          <h3 className="dp-group">{t('disposisi.todo.disposed', { count: todo.disposedByMe.length })}</h3>
          <ul className="dp-list">
            {todo.disposedByMe.map((s) => (
              <Row key={s.dispositionId} letterId={s.letter.id} testId="todo-disposed" tone={s.dueTone}>
                <LetterLine letter={s.letter} />
                <span className="dp-from">
                  {s.cancelledAt ? t('disposisi.cancelled') : t('disposisi.todo.progress', { done: s.done, total: s.total, to: s.recipients.map((r) => r.title).join(', ') })}
                  {s.pending && ` · ${t('disposisi.pending')}`}
                </span>
                <Due date={s.dueDate} tone={s.dueTone} />
              </Row>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Beranda's section: the to-do of the person signed in, refreshed after every sync. */
export function TugasSaya() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const todo = useLive('disposition.todo', 'sync.changed');
  return (
    <section aria-labelledby="todo-title">
      <h2 className="section-title" id="todo-title">{t('disposisi.todo.title')}</h2>
      {todo.error && <p className="notice notice-error" role="alert">{errorText(todo.error, language)}</p>}
      {todo.value && <TugasSayaList todo={todo.value} />}
    </section>
  );
}
