// Pengaturan's "Rantai log meja" for the admin kantor: each desk of the office as the server holds its
// activity log — how far it reached the server, and whether the desk later sent a log that does not
// continue it (cut back, wiped or rewritten on the desk). Broken chains come first.
import { useTranslation } from 'react-i18next';
import type { DeskChain } from '../../../../common/ipc/audit.ts';
import { useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

const adminRoles: readonly string[] = ['admin_kantor', 'super_admin'];

function ChainRow({ desk }: { desk: DeskChain }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <tr data-testid="desk-chain-row" data-device={desk.deviceId} data-broken={desk.broken?.kind ?? ''} className={desk.broken ? 'row-bad' : undefined}>
      <td>{desk.deskName ?? desk.deviceId}</td>
      <td className="num">{t('pengaturan.deskChains.entry', { seq: desk.lastSeq })}</td>
      <td>{formatMoment(desk.lastAt, language)}</td>
      <td>
        {desk.broken
          ? (
            <span className="chain-broken">
              <strong>{t('pengaturan.deskChains.broken', { seq: desk.broken.seq, held: desk.broken.heldSeq })}</strong>
              {' '}{t(`pengaturan.deskChains.kind_${desk.broken.kind}`)}
              {' '}<span className="muted">{t('pengaturan.deskChains.detected', { when: formatMoment(desk.broken.detectedAt, language) })}</span>
            </span>
          )
          : <span className="chain-ok">{t('pengaturan.deskChains.whole')}</span>}
      </td>
    </tr>
  );
}

function DeskChainList() {
  const { t } = useTranslation();
  const chains = useLive('audit.desks', 'sync.changed');
  const desks = chains.value?.desks;
  const broken = desks?.filter((d) => d.broken).length ?? 0;
  return (
    <section className="panel" data-testid="desk-chains" aria-labelledby="desk-chains-title">
      <h2 id="desk-chains-title">{t('pengaturan.deskChains.title')}</h2>
      <p className="field-hint">{t('pengaturan.deskChains.hint')}</p>
      {chains.error && <p className="notice notice-error" role="alert">{errorText(chains.error, currentLanguage())}</p>}
      {desks && broken > 0 && <p className="notice notice-error" role="alert" data-testid="desk-chains-broken">{t('pengaturan.deskChains.brokenCount', { count: broken })}</p>}
      {desks && desks.length > 0 && (
        <table className="sm-table" data-testid="desk-chains-list">
          <thead>
            <tr>
              <th scope="col">{t('pengaturan.deskChains.desk')}</th>
              <th scope="col">{t('pengaturan.deskChains.last')}</th>
              <th scope="col">{t('pengaturan.deskChains.at')}</th>
              <th scope="col">{t('pengaturan.deskChains.state')}</th>
            </tr>
          </thead>
          <tbody>{desks.map((d) => <ChainRow key={d.deviceId} desk={d} />)}</tbody>
        </table>
      )}
      {desks?.length === 0 && <p className="muted">{t('pengaturan.deskChains.none')}</p>}
      <button type="button" className="button-secondary" onClick={chains.reload} data-testid="desk-chains-reload">{t('pengaturan.deskChains.reload')}</button>
    </section>
  );
}

/** Shown to the office's administrators only; others never see the other desks' logs. */
export function DeskChains() {
  const session = useLive('auth.session', 'auth.changed');
  if (!session.value?.user.roles.some((r) => adminRoles.includes(r))) return null;
  return <DeskChainList />;
}
