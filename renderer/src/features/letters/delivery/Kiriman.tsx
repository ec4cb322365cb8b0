// Kiriman antarkantor: letters delivered between offices through the system. The tabs of Surat
// Masuk (the agenda, and "Kiriman dari kantor lain" with how many wait), the list of delivered
// letters not registered here yet (#/surat-masuk/kiriman), one delivered letter with its PDF
// downloaded and previewed (#/surat-masuk/kiriman/<letterId>), and, on a registered letter, the
// panel that sends it to other offices and shows where it went.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, ReplyOf } from '../../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate, formatMoment } from '../../../i18n/index.ts';
import { PdfPreview } from '../../../ui/PdfPreview.tsx';

type Opened = ReplyOf<'deliveries.open'>;
type Sent = ReplyOf<'deliveries.sent'>;

/** Agenda | Kiriman dari kantor lain (n): the delivered letters waiting are counted from the synced feed. A desk without a server has no tabs. */
export function KirimanTabs({ current }: { current: 'agenda' | 'kiriman' }) {
  const { t } = useTranslation();
  const received = useLive('deliveries.received', 'sync.changed');
  const sync = useLive('sync.status', 'sync.changed');
  const count = received.value?.length ?? 0;
  if (sync.value?.state === 'unconfigured' && current === 'agenda') return null;
  return (
    <nav className="km-tabs" aria-label={t('kiriman.tabs.label')}>
      <a href="#/surat-masuk" className="km-tab" aria-current={current === 'agenda' ? 'page' : undefined} data-testid="km-tab-agenda">{t('kiriman.tabs.agenda')}</a>
      <a href="#/surat-masuk/kiriman" className="km-tab" aria-current={current === 'kiriman' ? 'page' : undefined} data-testid="km-tab-kiriman">
        {t('kiriman.tabs.kiriman')}
        {count > 0 && <span className="km-count" data-testid="km-count" aria-label={t('kiriman.tabs.count', { count })}>{count}</span>}
      </a>
    </nav>
  );
}

export function DaftarKiriman() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const received = useLive('deliveries.received', 'sync.changed');
  const open = (letterId: string) => { window.location.hash = `#/surat-masuk/kiriman/${letterId}`; };
  return (
    <section className="screen sm-daftar" data-testid="screen-surat-masuk-kiriman" aria-labelledby="km-title">
      <div className="screen-head">
        <h1 id="km-title" tabIndex={-1}>{t('suratMasuk.title')}</h1>
        <a href="#/surat-masuk/catat" className="button-primary">{t('suratMasuk.new')}</a>
      </div>
      <KirimanTabs current="kiriman" />
      <p className="screen-sub">{t('kiriman.list.intro')}</p>
      {received.error && <p className="notice notice-error" role="alert">{errorText(received.error, language)}</p>}
      <table className="sm-table" data-testid="km-list" aria-busy={received.value === undefined}>
        <thead>
          <tr>
            <th scope="col">{t('kiriman.columns.from')}</th>
            <th scope="col">{t('kiriman.columns.number')}</th>
            <th scope="col">{t('kiriman.columns.date')}</th>
            <th scope="col">{t('kiriman.columns.subject')}</th>
            <th scope="col">{t('kiriman.columns.urgency')}</th>
            <th scope="col">{t('kiriman.columns.delivered')}</th>
          </tr>
        </thead>
        <tbody>
          {received.value?.map((d) => (
            <tr key={d.letterId} data-testid="km-row" tabIndex={0} onClick={() => open(d.letterId)} onKeyDown={(e) => { if (e.key === 'Enter') open(d.letterId); }}>
              <td>{d.fromOfficeName}</td>
              <td>{d.letterNumber}</td>
              <td>{formatDate(d.letterDate, language)}</td>
              <td>{d.subject}{d.security !== 'biasa' && <span className={`sm-tag sm-security-${d.security}`}>{t(`suratMasuk.security.${d.security}`)}</span>}</td>
              <td><span className={`sm-tag sm-urgency-${d.urgency}`}>{t(`suratMasuk.urgency.${d.urgency}`)}</span></td>
              <td>{formatMoment(d.deliveredAt, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {received.value?.length === 0 && <p className="muted" data-testid="km-empty">{t('kiriman.list.none')}</p>}
    </section>
  );
}

/** One delivered letter: its PDF is downloaded into this desk (resuming a cut download) and shown beside what the sender registered. */
export function LihatKiriman({ letterId }: { letterId: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [opened, setOpened] = useState<Opened | undefined>();
  const [error, setError] = useState<IpcError | undefined>();
  const [attempt, setAttempt] = useState(0);
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => { title.current?.focus(); }, []);
  useEffect(() => {
    let current = true;
    setError(undefined);
    void bridge.invoke('deliveries.open', { letterId }).then((r) => {
      if (!current) return;
      if (r.ok) setOpened(r.value);
      else setError(r.error);
    });
    return () => { current = false; };
  }, [bridge, letterId, attempt]);

  const d = opened?.delivery;
  const rows: [string, string][] = d ? [
    [t('kiriman.fields.from'), d.fromOfficeName],
    [t('kiriman.fields.senderAgenda'), d.senderAgenda],
    [t('suratMasuk.fields.letterNumber'), d.letterNumber],
    [t('suratMasuk.fields.letterDate'), formatDate(d.letterDate, language)],
    [t('suratMasuk.fields.subject'), d.subject],
    [t('suratMasuk.fields.summary'), d.summary || t('common.notAvailable')],
    [t('suratMasuk.fields.urgency'), t(`suratMasuk.urgency.${d.urgency}`)],
    [t('suratMasuk.fields.security'), t(`suratMasuk.security.${d.security}`)],
    [t('suratMasuk.fields.classificationCode'), d.classification || t('common.notAvailable')],
    [t('kiriman.fields.delivered'), formatMoment(d.deliveredAt, language)],
  ] : [];

  return (
    <section className="screen sm-lihat" data-testid="screen-surat-masuk-kiriman-lihat" aria-labelledby="km-lihat-title">
      <div className="screen-head">
        <h1 id="km-lihat-title" ref={title} tabIndex={-1}>{d ? t('kiriman.lihat.title', { office: d.fromOfficeName }) : t('kiriman.lihat.downloading')}</h1>
        <a href="#/surat-masuk/kiriman" className="button-secondary">{t('kiriman.lihat.back')}</a>
      </div>
      {error && (
        <div className="notice notice-error" role="alert" data-testid="km-open-error">
          {errorText(error, language)}{' '}
          <button type="button" className="button-link" onClick={() => setAttempt((n) => n + 1)} data-testid="km-retry">{t('kiriman.lihat.retry')}</button>
        </div>
      )}
      {!opened && !error && <p className="form-status" role="status">{t('kiriman.lihat.downloading')}</p>}
      {opened && (
        <div className="sm-catat-layout">
          <div className="sm-document"><PdfPreview documentId={opened.document.documentId} /></div>
          <div className="km-side">
            <dl className="panel sm-details" data-testid="km-details">
              {rows.map(([label, value]) => <div key={label} className="sm-detail"><dt>{label}</dt><dd>{value}</dd></div>)}
            </dl>
            {opened.document.registeredAs ? (
              <p className="notice notice-warn" role="status">
                {t('suratMasuk.catat.already', { agenda: opened.document.registeredAs.agendaLabel ?? '—' })}{' '}
                <a href={`#/surat-masuk/${opened.document.registeredAs.letterId}`}>{t('suratMasuk.catat.open')}</a>
              </p>
            ) : (
              <div className="form-actions">
                <a href={`#/surat-masuk/catat-kiriman/${letterId}`} className="button-primary" data-testid="km-register">{t('kiriman.lihat.register')}</a>
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** On a registered letter: where it was sent (and whether that still waits for sync), and "Kirim ke kantor lain". */
export function KirimKeKantorLain({ letterId }: { letterId: string }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const offices = useLive('deliveries.offices', 'auth.changed');
  const [sent, setSent] = useState<Sent>([]);
  const [picking, setPicking] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<IpcError | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const reload = () => void bridge.invoke('deliveries.sent', { letterId }).then((r) => { if (r.ok) setSent(r.value); });
    reload();
    return bridge.on('sync.changed', reload);
  }, [bridge, letterId]);

  async function send(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const r = await bridge.invoke('deliveries.send', { letterId, toOfficeIds: [...chosen] });
    setBusy(false);
    if (!r.ok) { setError(r.error); return; }
    setSent(r.value);
    setPicking(false);
    setChosen(new Set());
    setError(undefined);
  }

  const refusal = offices.value?.refusal ?? null;
  const toggle = (id: string) => setChosen((c) => { const n = new Set(c); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  return (
    <section className="panel km-send" aria-labelledby="km-send-title" data-testid="km-send">
      <h2 id="km-send-title">{t('kiriman.send.title')}</h2>
      {sent.length > 0 ? (
        <ul className="km-sent" data-testid="km-sent">
          {sent.map((s) => (
            <li key={s.officeId} data-testid="km-sent-item" data-state={s.state}>
              <span>{s.officeName}</span> <span className={`sm-tag km-state-${s.state}`}>{t(`kiriman.send.state.${s.state}`)}</span>
              {s.problem && s.state === 'rejected' && <p className="field-error">{s.problem} <a href="#/antrian-sinkron">{t('kiriman.send.queue')}</a></p>}
            </li>
          ))}
        </ul>
      ) : <p className="muted">{t('kiriman.send.none')}</p>}
      {refusal ? <p className="muted" data-testid="km-send-refusal">{errorText(refusal, language)}</p>
        : !picking ? (
          <button type="button" className="button-secondary" onClick={() => { setPicking(true); offices.reload(); }} disabled={!offices.value} data-testid="km-send-open">{t('kiriman.send.open')}</button>
        ) : (
          <form onSubmit={(e) => void send(e)} data-testid="km-send-form">
            <fieldset className="km-offices">
              <legend>{t('kiriman.send.pick')}</legend>
              {offices.value?.offices.map((o) => (
                <label key={o.id} className="km-office">
                  <input type="checkbox" checked={chosen.has(o.id)} onChange={() => toggle(o.id)} data-testid={`km-office-${o.code}`} /> {o.name}
                </label>
              ))}
              {offices.value?.offices.length === 0 && <p className="muted">{t('kiriman.send.noOffices')}</p>}
            </fieldset>
            {offices.value?.fetchedAt && <p className="field-hint">{t('kiriman.send.fetchedAt', { at: formatMoment(offices.value.fetchedAt, language) })}</p>}
            {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={chosen.size === 0 || busy} data-testid="km-send-submit">{t('kiriman.send.submit', { count: chosen.size })}</button>
              <button type="button" className="button-secondary" onClick={() => { setPicking(false); setError(undefined); }}>{t('kiriman.send.cancel')}</button>
            </div>
            <p className="field-hint">{t('kiriman.send.hint')}</p>
          </form>
        )}
    </section>
  );
}
