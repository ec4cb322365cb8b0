// Daftar: the incoming agenda, searched as the clerk types (number, subject, sender, summary and
// the letter's scanned text) and narrowed by filters; Enter on a row opens the letter. The agenda
// book of a date range is exported from here as a PDF.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncomingLetter } from '../../../../../common/ipc/incoming.ts';
import type { IpcError, RequestOf } from '../../../../../common/ipc/index.ts';
import { useBridge } from '../../../bridge/hooks.ts';
import { receiveFile } from '../../../files/transfer.ts';
import { offerDownload } from '../../../files/download.ts';
import { currentLanguage, errorText, formatDate, todayAtOffice } from '../../../i18n/index.ts';
import { KirimanTabs } from '../delivery/Kiriman.tsx';

type Filters = RequestOf<'letters.search'>;
type FilterKey = 'receivedFrom' | 'receivedTo' | 'urgency' | 'security' | 'classification' | 'status';

/** Typing pauses this long before the list follows: fast enough to feel instant, few queries. */
const typingPauseMs = 150;

const monthStart = () => `${todayAtOffice().slice(0, 7)}-01`;

function AgendaBook() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [from, setFrom] = useState(monthStart);
  const [to, setTo] = useState(todayAtOffice);
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; entries: number } | { kind: 'failed'; error: IpcError }>({ kind: 'idle' });
  async function exportBook() {
    setState({ kind: 'busy' });
    const result = await bridge.invoke('letters.agendaBook', { from, to });
    if (!result.ok) { setState({ kind: 'failed', error: result.error }); return; }
    const file = await receiveFile(bridge, result.value.file);
    if (!file.ok) { setState({ kind: 'failed', error: file.error }); return; }
    offerDownload(file.bytes, result.value.file.fileName, 'application/pdf');
    setState({ kind: 'done', entries: result.value.entries });
  }
  return (
    <details className="panel sm-book">
      <summary>{t('suratMasuk.book.title')}</summary>
      <div className="sm-filters">
        <label>{t('suratMasuk.filters.from')}<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="sm-book-from" /></label>
        <label>{t('suratMasuk.filters.to')}<input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="sm-book-to" /></label>
        <button type="button" className="button-primary" onClick={() => void exportBook()} disabled={state.kind === 'busy'} data-testid="sm-book-export">{t('suratMasuk.book.export')}</button>
        {state.kind === 'busy' && (
          <button type="button" className="button-secondary" onClick={() => void bridge.invoke('letters.agendaBook.cancel', {})} data-testid="sm-book-cancel">{t('suratMasuk.book.cancel')}</button>
        )}
      </div>
      <p className="form-status" role="status">
        {state.kind === 'done' && <span className="saved" data-testid="sm-book-done">✓ {t('suratMasuk.book.done', { count: state.entries })}</span>}
      </p>
      {state.kind === 'failed' && <p className="notice notice-error" role="alert">{errorText(state.error, currentLanguage())}</p>}
    </details>
  );
}

export function DaftarSurat() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<Partial<Record<FilterKey, string>>>({});
  const [letters, setLetters] = useState<IncomingLetter[] | undefined>();
  const [error, setError] = useState<IpcError | undefined>();
  const latest = useRef(0);
  const searchBox = useRef<HTMLInputElement>(null);

  useEffect(() => { searchBox.current?.focus(); }, []);

  useEffect(() => {
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      const request: Filters = { limit: 200 };
      if (text.trim() !== '') request.text = text;
      for (const [key, value] of Object.entries(filters) as [FilterKey, string][]) if (value !== '') (request as Record<string, string>)[key] = value;
      void bridge.invoke('letters.search', request).then((r) => {
        // An older answer arriving after a newer one must not replace it.
        if (ticket !== latest.current) return;
        if (r.ok) { setLetters(r.value); setError(undefined); } else setError(r.error);
      });
    }, typingPauseMs);
    return () => clearTimeout(timer);
  }, [bridge, text, filters]);

  const setFilter = (key: FilterKey, value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const select = (key: 'urgency' | 'security' | 'status', options: readonly string[]) => (
    <label>{t(`suratMasuk.filters.${key}`)}
      <select value={filters[key] ?? ''} onChange={(e) => setFilter(key, e.target.value)} data-testid={`sm-filter-${key}`}>
        <option value="">{t('suratMasuk.filters.any')}</option>
        {options.map((o) => <option key={o} value={o}>{t(`suratMasuk.${key}.${o}`)}</option>)}
      </select>
    </label>
  );

  return (
    <section className="screen sm-daftar" data-testid="screen-surat-masuk" aria-labelledby="sm-title">
      <div className="screen-head">
        <h1 id="sm-title" tabIndex={-1}>{t('suratMasuk.title')}</h1>
        <a href="#/surat-masuk/catat" className="button-primary" data-testid="sm-new">{t('suratMasuk.new')}</a>
      </div>
      <KirimanTabs current="agenda" />
      <div className="panel sm-search">
        <label htmlFor="sm-search" className="visually-hidden">{t('suratMasuk.search.label')}</label>
        <input id="sm-search" ref={searchBox} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('suratMasuk.search.placeholder')} autoComplete="off" data-testid="sm-search" />
        <div className="sm-filters">
          <label>{t('suratMasuk.filters.from')}<input type="date" value={filters.receivedFrom ?? ''} onChange={(e) => setFilter('receivedFrom', e.target.value)} data-testid="sm-filter-from" /></label>
          <label>{t('suratMasuk.filters.to')}<input type="date" value={filters.receivedTo ?? ''} onChange={(e) => setFilter('receivedTo', e.target.value)} data-testid="sm-filter-to" /></label>
          {select('urgency', ['biasa', 'segera', 'sangat_segera'])}
          {select('security', ['biasa', 'terbatas', 'rahasia'])}
          <label>{t('suratMasuk.filters.classification')}<input type="text" inputMode="decimal" size={7} value={filters.classification ?? ''} onChange={(e) => setFilter('classification', e.target.value.trim())} data-testid="sm-filter-classification" /></label>
          {select('status', ['registered', 'in_disposition', 'done', 'void'])}
        </div>
      </div>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      <table className="sm-table" data-testid="sm-list" aria-busy={letters === undefined}>
        <thead>
          <tr>
            <th scope="col">{t('suratMasuk.columns.agenda')}</th>
            <th scope="col">{t('suratMasuk.columns.received')}</th>
            <th scope="col">{t('suratMasuk.columns.number')}</th>
            <th scope="col">{t('suratMasuk.columns.sender')}</th>
            <th scope="col">{t('suratMasuk.columns.subject')}</th>
            <th scope="col">{t('suratMasuk.columns.urgency')}</th>
          </tr>
        </thead>
        <tbody>
          {letters?.map((l) => (
            <tr key={l.id} data-testid="sm-row" data-status={l.status} className={l.status === 'void' ? 'sm-row-void' : undefined} tabIndex={0} onClick={() => { window.location.hash = `#/surat-masuk/${l.id}`; }}
              onKeyDown={(e) => { if (e.key === 'Enter') window.location.hash = `#/surat-masuk/${l.id}`; }}>
              <td className="sm-agenda">{l.agendaLabel}{l.status === 'void' && <span className="sm-tag sm-status-void">{t('suratMasuk.status.void')}</span>}</td>
              <td>{l.receivedDate ? formatDate(l.receivedDate, language) : ''}</td>
              <td>{l.letterNumber}</td>
              <td>{l.sender}</td>
              <td>{l.subject}{l.security !== 'biasa' && <span className={`sm-tag sm-security-${l.security}`}>{t(`suratMasuk.security.${l.security}`)}</span>}</td>
              <td><span className={`sm-tag sm-urgency-${l.urgency}`}>{t(`suratMasuk.urgency.${l.urgency}`)}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
      {letters?.length === 0 && <p className="muted" data-testid="sm-empty">{text.trim() === '' && Object.values(filters).every((v) => !v) ? t('suratMasuk.search.none') : t('suratMasuk.search.noMatch')}</p>}
      <AgendaBook />
    </section>
  );
}
