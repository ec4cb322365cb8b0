// Delegasi: the office's delegations (Plh/Plt) — in effect now, upcoming and ended — each with the
// head's approval, and for the admin kantor the form that makes one and the button that ends one
// early. Read from what the desk keeps, so the list shows offline; a change goes out at the next sync
// and a refusal of the server stays on its row with the reason. Beside them, the office's strategic
// document types, which no Plh/Plt signs.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Delegations, DelegationView } from '../../../../common/ipc/delegation.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDate, formatPeriod } from '../../i18n/index.ts';
import { StrategicTypes } from './StrategicTypes.tsx';

const phases = ['current', 'upcoming', 'ended'] as const;

function DelegationRow({ d, canManage, onChanged }: { d: DelegationView; canManage: boolean; onChanged(next: Delegations): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [ending, setEnding] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const end = async () => {
    const result = await bridge.invoke('delegation.end', { delegationId: d.id, reason });
    if (result.ok) { setEnding(false); onChanged(result.value); } else setError(errorText(result.error, language));
  };
  return (
    <tr data-testid="delegation-row" data-id={d.id} data-phase={d.phase} className={d.refused ? 'row-bad' : undefined}>
      <td>{d.positionTitle}</td>
      <td><strong>{d.kind === 'plh' ? 'Plh.' : 'Plt.'}</strong> {d.delegateName}</td>
      <td data-testid="delegation-period">{formatPeriod(d.startsAt, d.endsAt, language)}</td>
      <td>
        {d.approval.approverName}, {d.approval.approverPosition}
        <br /><span className="muted">{t('delegasi.approvalRef', { reference: d.approval.reference, date: formatDate(d.approval.approvedOn, language) })}</span>
      </td>
      <td>
        {t(`delegasi.phase_${d.phase}`)}
        {d.endedEarly && <><br /><span className="muted">{t('delegasi.endedEarly', { reason: d.endedEarly.reason })}</span></>}
        {d.pending && !d.refused && <><br /><span className="muted" data-testid="delegation-pending">{t('delegasi.pending')}</span></>}
        {d.refused && <><br /><span className="notice-error" role="alert" data-testid="delegation-refused">{t('delegasi.refused', { reason: d.refused })}</span></>}
      </td>
      <td>
        {canManage && d.phase !== 'ended' && !ending && <button type="button" className="button-secondary" onClick={() => setEnding(true)} data-testid="delegation-end">{t('delegasi.end')}</button>}
        {ending && (
          <span className="inline-form">
            <label>{t('delegasi.endReason')} <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="delegation-end-reason" /></label>
            <button type="button" className="button-primary" onClick={() => void end()} data-testid="delegation-end-confirm">{t('delegasi.endConfirm')}</button>
            <button type="button" className="button-secondary" onClick={() => setEnding(false)}>{t('delegasi.cancel')}</button>
            {error && <span className="notice-error" role="alert">{error}</span>}
          </span>
        )}
      </td>
    </tr>
  );
}

const emptyForm = { positionId: '', delegateUserId: '', kind: 'plh' as 'plh' | 'plt', from: '', until: '', approverName: '', approverPosition: '', approvedOn: '', reference: '', reason: '' };

function NewDelegation({ data, onChanged }: { data: Delegations; onChanged(next: Delegations): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof emptyForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await bridge.invoke('delegation.create', form);
    if (result.ok) { setForm(emptyForm); setError(null); onChanged(result.value); } else setError(errorText(result.error, language));
  };
  const position = data.positions.find((p) => p.id === form.positionId);
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} data-testid="delegation-form" aria-labelledby="delegation-form-title">
      <h2 id="delegation-form-title">{t('delegasi.new')}</h2>
      <p className="field-hint">{t('delegasi.newHint')}</p>
      <div className="delegation-grid">
        <label>{t('delegasi.position')}
          <select value={form.positionId} onChange={set('positionId')} data-testid="delegation-position" required>
            <option value="">{t('delegasi.choose')}</option>
            {data.positions.map((p) => <option key={p.id} value={p.id}>{p.title} — {p.holderName ?? t('delegasi.vacant')}</option>)}
          </select>
        </label>
        <fieldset className="delegation-kind">
          <legend>{t('delegasi.kind')}</legend>
          <label><input type="radio" name="kind" value="plh" checked={form.kind === 'plh'} onChange={set('kind')} data-testid="delegation-kind-plh" /> {t('delegasi.plh')}</label>
          <label><input type="radio" name="kind" value="plt" checked={form.kind === 'plt'} onChange={set('kind')} data-testid="delegation-kind-plt" /> {t('delegasi.plt')}</label>
          {position && <span className="field-hint">{position.holderName ? t('delegasi.heldBy', { name: position.holderName }) : t('delegasi.isVacant')}</span>}
        </fieldset>
        <label>{t('delegasi.delegate')}
          <select value={form.delegateUserId} onChange={set('delegateUserId')} data-testid="delegation-delegate" required>
            <option value="">{t('delegasi.choose')}</option>
            {data.people.filter((p) => p.userId !== undefined).map((p) => <option key={p.userId} value={p.userId}>{p.name} — {p.positionTitle}</option>)}
          </select>
        </label>
        <label>{t('delegasi.from')}<input type="date" value={form.from} onChange={set('from')} data-testid="delegation-from" required /></label>
        <label>{t('delegasi.until')}<input type="date" value={form.until} onChange={set('until')} data-testid="delegation-until" required /></label>
        <label>{t('delegasi.reason')}<input value={form.reason} onChange={set('reason')} data-testid="delegation-reason" required /></label>
      </div>
      <fieldset className="delegation-grid">
        <legend>{t('delegasi.approval')}</legend>
        <label>{t('delegasi.approverName')}<input value={form.approverName} onChange={set('approverName')} data-testid="delegation-approver" required /></label>
        <label>{t('delegasi.approverPosition')}<input value={form.approverPosition} onChange={set('approverPosition')} data-testid="delegation-approver-position" required /></label>
        <label>{t('delegasi.approvedOn')}<input type="date" value={form.approvedOn} onChange={set('approvedOn')} data-testid="delegation-approved-on" required /></label>
        <label>{t('delegasi.reference')}<input value={form.reference} onChange={set('reference')} data-testid="delegation-reference" required /></label>
      </fieldset>
      {error && <p className="notice notice-error" role="alert" data-testid="delegation-form-error">{error}</p>}
      <button type="submit" className="button-primary" data-testid="delegation-submit">{t('delegasi.submit')}</button>
    </form>
  );
}

export function Delegasi() {
  const { t } = useTranslation();
  const live = useLive('delegation.list', 'sync.changed');
  const data = live.value;
  // The reply of a change is the list too; reading it again keeps one source for what is shown.
  const onChanged = () => live.reload();
  return (
    <section className="screen" data-testid="screen-delegasi" aria-labelledby="delegasi-title">
      <h1 id="delegasi-title" tabIndex={-1}>{t('delegasi.title')}</h1>
      <p className="field-hint">{t('delegasi.hint')}</p>
      {live.error && <p className="notice notice-error" role="alert">{errorText(live.error, currentLanguage())}</p>}
      {data && phases.map((phase) => {
        const rows = data.delegations.filter((d) => d.phase === phase);
        return (
          <section key={phase} className="panel" aria-labelledby={`delegasi-${phase}`} data-testid={`delegations-${phase}`}>
            <h2 id={`delegasi-${phase}`}>{t(`delegasi.group_${phase}`)}</h2>
            {rows.length === 0 ? <p className="muted">{t('delegasi.none')}</p> : (
              <table className="sm-table">
                <thead><tr>
                  <th scope="col">{t('delegasi.position')}</th><th scope="col">{t('delegasi.delegate')}</th><th scope="col">{t('delegasi.period')}</th>
                  <th scope="col">{t('delegasi.approval')}</th><th scope="col">{t('delegasi.state')}</th><th scope="col"><span className="visually-hidden">{t('delegasi.actions')}</span></th>
                </tr></thead>
                <tbody>{rows.map((d) => <DelegationRow key={d.id} d={d} canManage={data.canManage} onChanged={onChanged} />)}</tbody>
              </table>
            )}
          </section>
        );
      })}
      {data?.canManage && <NewDelegation data={data} onChanged={onChanged} />}
      <StrategicTypes />
    </section>
  );
}
