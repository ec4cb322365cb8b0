// Surat Keluar: the office's outgoing letters (#/surat-keluar) with their state, number, date,
// subject and addressee, and the import of a new one for signature; one letter opens at
// #/surat-keluar/<id>, chosen by the location fragment so the browser's Back works as expected.
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate } from '../../../i18n/index.ts';
import { ImporSurat } from './ImporSurat.tsx';
import { LihatSuratKeluar } from './LihatSuratKeluar.tsx';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function SuratKeluar() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const [sub = ''] = hash.replace(/^#\/?surat-keluar\/?/, '').split('?', 1)[0]!.split('/');
  // Any id goes to main, which answers a malformed or unknown one with a clear message.
  if (/^[0-9a-f-]{36}$/.test(sub)) return <LihatSuratKeluar key={sub} id={sub} />;
  return <DaftarSuratKeluar />;
}

function DaftarSuratKeluar() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const letters = useLive('outgoing.list', 'dashboard.changed');
  const open = (id: string) => { window.location.hash = `#/surat-keluar/${id}`; };

  return (
    <section className="screen" data-testid="screen-surat-keluar" aria-labelledby="sk-title">
      <div className="screen-head">
        <h1 id="sk-title" tabIndex={-1}>{t('suratKeluar.title')}</h1>
        <p className="screen-sub">{t('suratKeluar.sub')}</p>
      </div>
      {letters.error && <p className="notice notice-error" role="alert">{errorText(letters.error, language)}</p>}
      <PerluDikirim />
      <table className="sm-table" data-testid="sk-list" aria-busy={letters.value === undefined}>
        <thead>
          <tr>
            <th scope="col">{t('suratKeluar.columns.status')}</th>
            <th scope="col">{t('suratKeluar.columns.number')}</th>
            <th scope="col">{t('suratKeluar.columns.date')}</th>
            <th scope="col">{t('suratKeluar.columns.subject')}</th>
            <th scope="col">{t('suratKeluar.columns.addressee')}</th>
            <th scope="col">{t('suratKeluar.columns.signer')}</th>
          </tr>
        </thead>
        <tbody>
          {letters.value?.map((l) => (
            <tr key={l.id} data-testid="sk-row" tabIndex={0} onClick={() => open(l.id)} onKeyDown={(e) => { if (e.key === 'Enter') open(l.id); }}>
              <td><span className={`sm-tag sk-status-${l.status}`} data-testid="sk-row-status">{t(`suratKeluar.status.${l.status}`)}</span></td>
              <td className={l.letterNumber ? 'sm-agenda' : 'sk-unnumbered'}>{l.letterNumber ?? t('suratKeluar.unnumbered')}</td>
              <td>{l.letterDate ? formatDate(l.letterDate, language) : ''}</td>
              <td>{l.subject}</td>
              <td>{l.addressee}</td>
              <td data-testid="sk-row-signer">{l.signerName ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {letters.value?.length === 0 && <p className="muted" data-testid="sk-empty">{t('suratKeluar.none')}</p>}
      <h2 className="sk-import-title">{t('suratKeluar.importTitle')}</h2>
      <ImporSurat onImported={letters.reload} />
    </section>
  );
}

/** Perlu dikirim di luar sistem: every addressee of the office's letters that must still go out by email or on paper, each leading to its letter. */
function PerluDikirim() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const pending = useLive('external.pending', 'dashboard.changed');
  // Another desk of the office may have added or sent one: the sync brings it.
  useEffect(() => bridge.on('sync.changed', pending.reload), [bridge, pending.reload]);
  const rows = pending.value ?? [];
  if (rows.length === 0) return null;
  return (
    <section className="panel ls-pending" aria-labelledby="ls-pending-title" data-testid="ls-pending">
      <h2 id="ls-pending-title" data-testid="ls-pending-count">{t('luarSistem.pendingCount', { count: rows.length })}</h2>
      <ul>
        {rows.map((r) => (
          <li key={r.id} data-testid="ls-pending-item">
            <a href={`#/surat-keluar/${r.letterId}`}>{r.letterNumber ?? ''} {r.letterSubject}</a>
            {' — '}{t('luarSistem.pendingItem', { name: r.name, how: r.channel === 'email' ? t('luarSistem.toEmail', { email: r.email }) : t('luarSistem.toPrint') })}
          </li>
        ))}
      </ul>
    </section>
  );
}
