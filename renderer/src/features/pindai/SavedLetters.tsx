// The letters saved from scans, each with its way to the agenda form ("Catat surat masuk"), or its
// agenda number once registered. Coming back from Catat, main is asked again which are registered.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/hooks.ts';
import { markRegistration, savedLetters, useSavedLetters } from './saved-letters.ts';

/** `focusRequest` goes up after each save: the first letter still to register then takes the focus. */
export function SavedLetters({ focusRequest }: { focusRequest: number }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const letters = useSavedLetters();
  const firstWaiting = useRef<HTMLAnchorElement>(null);
  const focusedFor = useRef(0);

  useEffect(() => {
    for (const letter of savedLetters()) {
      if (letter.registeredAs !== null) continue;
      void bridge.invoke('letters.document', { documentId: letter.documentId }).then((result) => {
        if (result.ok) markRegistration(letter.documentId, result.value.registeredAs);
      });
    }
  }, [bridge]);

  useEffect(() => {
    if (focusRequest <= focusedFor.current || !firstWaiting.current) return;
    firstWaiting.current.focus();
    focusedFor.current = focusRequest;
  }, [focusRequest, letters]);

  if (letters.length === 0) return null;
  const waiting = letters.filter((l) => l.registeredAs === null);
  return (
    <section className="panel" aria-labelledby="pindai-saved-letters-title" data-testid="pindai-saved-letters">
      <h2 id="pindai-saved-letters-title" className="section-title">{t('pindai.savedLetters.title')}</h2>
      <p data-testid="pindai-saved-letters-summary">
        {waiting.length === 0 ? t('pindai.savedLetters.allRegistered') : t('pindai.savedLetters.waiting', { count: waiting.length, total: letters.length })}
      </p>
      <ul className="status-list">
        {letters.map((letter, i) => (
          <li key={letter.documentId} className="status-row" data-testid="pindai-saved-letter" data-document-id={letter.documentId} data-registered={letter.registeredAs !== null}>
            <span>{t('pindai.savedLetters.letter', { number: i + 1, count: letter.pageCount })}</span>{' '}
            {letter.registeredAs === null ? (
              <a href={`#/surat-masuk/catat/${letter.documentId}`} className="button-primary" ref={letter === waiting[0] ? firstWaiting : undefined} data-testid="pindai-catat">
                {t('pindai.savedLetters.catat')}
              </a>
            ) : (
              <span>
                ✓ {t('pindai.savedLetters.registered', { agenda: letter.registeredAs.agendaLabel ?? '—' })}{' '}
                <a href={`#/surat-masuk/${letter.registeredAs.letterId}`}>{t('pindai.savedLetters.open')}</a>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
