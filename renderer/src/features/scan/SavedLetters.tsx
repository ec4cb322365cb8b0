// The letters saved from scans, each with its way to the agenda form ("Catat surat masuk"), or its
// agenda number once registered, or "Buang" (asks first) for a scan not worth registering. Main is asked
// which wait when Pindai opens (they survive a restart) and which are registered on the way back from
// Catat and after each save (the same pages saved again may have been registered long ago).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';
import { addWaiting, forgetSaved, markRegistration, useSavedLetters } from './saved-letters.ts';

/** `focusRequest` goes up after each save: the first letter still to register then takes the focus. */
export function SavedLetters({ focusRequest }: { focusRequest: number }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const letters = useSavedLetters();
  const firstWaiting = useRef<HTMLAnchorElement>(null);
  const focusedFor = useRef(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<Map<string, string>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void bridge.invoke('scan.waiting', {}).then((result) => {
      if (!result.ok) return;
      setSavedAt(new Map(result.value.letters.map((l) => [l.documentId, l.savedAt])));
      addWaiting(result.value.letters);
    });
  }, [bridge]);

  async function discard(documentId: string) {
    setConfirming(null);
    const result = await bridge.invoke('scan.waiting.discard', { documentId });
    if (!result.ok) {
      setProblem(errorText(result.error, currentLanguage()));
      return;
    }
    setProblem(null);
    forgetSaved(documentId);
  }
  const waiting = letters.filter((l) => l.registeredAs === null);
  const waitingIds = waiting.map((l) => l.documentId).join(' ');

  useEffect(() => {
    for (const documentId of waitingIds.split(' ').filter(Boolean)) {
      void bridge.invoke('letters.document', { documentId }).then((result) => {
        if (result.ok && result.value.registeredAs !== null) markRegistration(documentId, result.value.registeredAs);
      });
    }
  }, [bridge, waitingIds]);

  useEffect(() => {
    if (focusRequest <= focusedFor.current || !firstWaiting.current) return;
    firstWaiting.current.focus();
    focusedFor.current = focusRequest;
  }, [focusRequest, letters]);

  if (letters.length === 0) return null;
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
            {savedAt.has(letter.documentId) && <span className="muted">{t('pindai.savedLetters.savedAt', { when: formatMoment(savedAt.get(letter.documentId)!, currentLanguage()) })}</span>}{' '}
            {letter.registeredAs === null ? (
              <>
                <a href={`#/surat-masuk/catat/${letter.documentId}`} className="button-primary" ref={letter === waiting[0] ? firstWaiting : undefined} data-testid="pindai-catat">
                  {t('pindai.savedLetters.catat')}
                </a>{' '}
                {confirming === letter.documentId ? (
                  <span role="group" aria-label={t('pindai.savedLetters.discardConfirm')} data-testid="pindai-discard-confirm">
                    {t('pindai.savedLetters.discardConfirm')}{' '}
                    <button type="button" className="sync-button-danger" onClick={() => void discard(letter.documentId)} data-testid="pindai-discard-yes">{t('pindai.savedLetters.discardYes')}</button>{' '}
                    <button type="button" className="button-secondary" onClick={() => setConfirming(null)} data-testid="pindai-discard-no">{t('pindai.savedLetters.discardNo')}</button>
                  </span>
                ) : (
                  <button type="button" className="button-secondary" onClick={() => setConfirming(letter.documentId)} data-testid="pindai-discard">{t('pindai.savedLetters.discard')}</button>
                )}
              </>
            ) : (
              <span>
                ✓ {t('pindai.savedLetters.registered', { agenda: letter.registeredAs.agendaLabel ?? '—' })}{' '}
                <a href={`#/surat-masuk/${letter.registeredAs.letterId}`}>{t('pindai.savedLetters.open')}</a>
              </span>
            )}
          </li>
        ))}
      </ul>
      {problem && <p className="notice notice-error" role="alert" data-testid="pindai-discard-error">{problem}</p>}
    </section>
  );
}
