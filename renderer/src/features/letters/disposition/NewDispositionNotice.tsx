// The in-app notice that something new arrived for the person signed in (the browser host has no
// desktop notifications): shown when the count of unread dispositions grows after a sync, with a link.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from '../../../bridge/hooks.ts';

export function NewDispositionNotice() {
  const { t } = useTranslation();
  const todo = useLive('disposition.todo', 'sync.changed');
  const seen = useRef<number | undefined>(undefined);
  const [fresh, setFresh] = useState(0);
  const unread = todo.value?.unread;
  useEffect(() => {
    if (unread === undefined) return;
    if (seen.current !== undefined && unread > seen.current) setFresh(unread - seen.current);
    seen.current = unread;
  }, [unread]);
  if (fresh === 0) return null;
  return (
    <div className="notice notice-info dp-notice" role="status" data-testid="disposition-notice">
      <a href="#/disposisi" onClick={() => setFresh(0)}>{t('disposisi.notice', { count: fresh })}</a>
      <button type="button" className="button-link" onClick={() => setFresh(0)}>{t('disposisi.noticeClose')}</button>
    </div>
  );
}
