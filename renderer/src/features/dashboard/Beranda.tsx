// Beranda: what the person at the desk needs at a glance — their own to-do (dispositions to their
// positions, what they disposed), today's and total letter counts from the local store, what waits
// for a signature or for the server, and whether devices and the audit log are sound.
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard } from '../../../../common/ipc/app.ts';
import type { DeviceWorkerStatus } from '../../../../common/ipc/devices.ts';
import { useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment, formatToday, localeOf } from '../../i18n/index.ts';
import { TugasSaya } from '../letters/disposition/TugasSaya.tsx';
import { ParafKonsep } from '../letters/paraf/Paraf.tsx';
import { ParafSaya } from '../letters/paraf/ParafSaya.tsx';
import { hashFor, type AvailableFeatureId } from '../registry.ts';

type CountKey = 'incomingToday' | 'incomingTotal' | 'outgoingTotal' | 'awaitingSignature' | 'outboxPending';

/** Each card opens the screen where its letters are. */
const counts: { key: CountKey; testId: string; hint?: boolean; opens: AvailableFeatureId }[] = [
  { key: 'incomingToday', testId: 'count-incoming-today', opens: 'surat-masuk' },
  { key: 'incomingTotal', testId: 'count-incoming-total', opens: 'surat-masuk' },
  { key: 'outgoingTotal', testId: 'count-outgoing-total', opens: 'surat-keluar' },
  { key: 'awaitingSignature', testId: 'count-awaiting-signature', opens: 'tanda-tangan' },
  { key: 'outboxPending', testId: 'count-outbox-pending', hint: true, opens: 'antrian-sinkron' },
];

const deviceTone: Record<DeviceWorkerStatus['state'], 'ok' | 'warn' | 'bad'> = {
  starting: 'warn',
  running: 'ok',
  restarting: 'warn',
  stopped: 'bad',
};

function DeviceStatus({ status }: { status: DeviceWorkerStatus }) {
  const { t } = useTranslation();
  const when = status.lastCrash ? formatMoment(status.lastCrash, currentLanguage(), 'long') : '';
  return (
    <li className={`status-row tone-${deviceTone[status.state]}`} data-testid="device-status" data-state={status.state}>
      <span className="dot" aria-hidden="true" />
      <div>
        <div className="status-title">{t(`beranda.device.${status.state}`)}</div>
        {status.restarts > 0 && status.lastCrash && <div className="status-hint">{t('beranda.device.restarts', { count: status.restarts, when })}</div>}
        {status.state === 'stopped' && <div className="status-hint">{t('beranda.device.stoppedHint')}</div>}
      </div>
    </li>
  );
}

function AuditStatus({ dashboard, withServer }: { dashboard: Dashboard; withServer: boolean }) {
  const { t } = useTranslation();
  const anchor = dashboard.auditAnchor;
  if (!dashboard.auditChainIntact) {
    return (
      <li className="status-row tone-bad audit-broken" data-testid="audit-status" data-intact="false" role="alert">
        <span className="dot" aria-hidden="true" />
        <div>
          <div className="status-title">{t('beranda.audit.broken')}</div>
          <div className="status-hint">{t('beranda.audit.brokenHint')}</div>
        </div>
      </li>
    );
  }
  if (anchor?.broken) {
    // Whole on this desk, but the server holds the chain it had before: the desk's log was rewritten.
    return (
      <li className="status-row tone-bad audit-broken" data-testid="audit-status" data-intact="false" data-server-break={anchor.broken.kind} role="alert">
        <span className="dot" aria-hidden="true" />
        <div>
          <div className="status-title">{t('beranda.audit.serverBroken', { seq: anchor.broken.seq })}</div>
          <div className="status-hint">{t(`beranda.audit.serverBroken_${anchor.broken.kind}`)} {t('beranda.audit.serverBrokenHint')}</div>
        </div>
      </li>
    );
  }
  return (
    <li className="status-row tone-ok" data-testid="audit-status" data-intact="true">
      <span className="dot" aria-hidden="true" />
      <div>
        <div className="status-title">{t('beranda.audit.intact', { count: dashboard.auditEntries })}</div>
        {/* A desk without a server has only its own key to guard the log: nothing to say about a server. */}
        {withServer && (
          <div className="status-hint" data-testid="audit-anchor" data-seq={anchor?.seq ?? ''}>
            {anchor && anchor.seq > 0 ? t('beranda.audit.anchored', { seq: anchor.seq }) : t('beranda.audit.notAnchored')}
          </div>
        )}
      </div>
    </li>
  );
}

function subscribeHash(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** Beranda, or a draft opened from its paraf to-do (#/beranda/paraf/<id>). */
export function Beranda() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const paraf = /^#\/beranda\/paraf\/([0-9a-f-]{36})$/.exec(hash)?.[1];
  return paraf === undefined ? <Ringkasan /> : <ParafKonsep key={paraf} id={paraf} />;
}

function Ringkasan() {
  const server = useLive('sync.status', 'sync.changed').value?.server;
  const { t } = useTranslation();
  const language = currentLanguage();
  const locale = localeOf(language);
  const dashboard = useLive('dashboard.get', 'dashboard.changed');
  const devices = useLive('devices.status', 'devices.changed');
  const sync = useLive('sync.status', 'sync.changed');
  const numbers = new Intl.NumberFormat(locale);
  const today = formatToday(currentLanguage());

  return (
    <section className="screen" data-testid="screen-beranda" aria-labelledby="beranda-title">
      <div className="screen-head">
        <h1 id="beranda-title" tabIndex={-1}>{t('beranda.title')}</h1>
        <p className="screen-sub" data-testid="today">{today}</p>
      </div>

      {dashboard.error && <p className="notice notice-error" role="alert">{errorText(dashboard.error, language)}</p>}

      {server && <TugasSaya />}
      {server && <ParafSaya />}

      <h2 className="visually-hidden">{t('beranda.countsLabel')}</h2>
      <ul className="cards" aria-busy={dashboard.value === undefined}>
        {counts.map(({ key, testId, hint, opens }) => (
          <li key={key}>
            <a className="card card-link" href={hashFor(opens)} data-testid={`${testId}-link`}>
              <span className="card-label" id={`${testId}-label`}>{t(`beranda.counts.${key}`)}</span>
              {hint && <span className="card-hint">{t(`beranda.countsHint.${key}`)}</span>}
              <span className="card-value" data-testid={testId} aria-describedby={`${testId}-label`}>
                {dashboard.value ? numbers.format(dashboard.value[key]) : t('common.notAvailable')}
              </span>
            </a>
          </li>
        ))}
      </ul>

      <h2 className="section-title">{t('beranda.statusTitle')}</h2>
      {devices.error && <p className="notice notice-error" role="alert">{errorText(devices.error, language)}</p>}
      <ul className="status-list">
        {devices.value && <DeviceStatus status={devices.value} />}
        {dashboard.value && <AuditStatus dashboard={dashboard.value} withServer={sync.value !== undefined && sync.value.state !== 'unconfigured'} />}
      </ul>
    </section>
  );
}
