// Antrian Sinkron: what this desk still has to send to the central server, grouped the way a
// person acts on it — needs attention (the server refused it: send again, correct, or discard),
// failed for now (sent again automatically), being sent (with upload progress), waiting. Nothing
// leaves this list without being sent or discarded by a person.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { QueueItem, SyncStatus } from '../../../../common/ipc/sync.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';

type Group = 'rejected' | 'failed' | 'in_progress' | 'pending';
const groups: Group[] = ['rejected', 'failed', 'in_progress', 'pending'];

function formatTime(iso: string | null): string {
  if (!iso) return '';
  return formatMoment(iso, currentLanguage());
}

function percent(sent: number, total: number): number {
  return total === 0 ? 100 : Math.floor((sent / total) * 100);
}

function StatusPanel({ status, onSyncNow, busy }: { status: SyncStatus; onSyncNow: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const tone = status.state === 'waiting' || status.state === 'sign-in-needed' || status.lastError ? 'warn' : status.state === 'syncing' || status.state === 'idle' ? 'ok' : 'neutral';
  return (
    <section className={`panel sync-status sync-tone-${tone}`} aria-labelledby="sync-status-title" data-testid="sync-status" data-state={status.state}>
      <h2 id="sync-status-title">{t(`antrianSinkron.state.${status.state}`)}</h2>
      {status.server && <p className="sync-server">{t('antrianSinkron.server')}: <code>{status.server}</code></p>}
      {status.lastSyncAt && <p>{t('antrianSinkron.lastSync', { when: formatTime(status.lastSyncAt) })}</p>}
      {status.lastError && <p className="notice notice-error" role="alert" data-testid="sync-last-error">{errorText({ code: status.lastError.code as IpcError['code'], message: status.lastError.message }, currentLanguage())}</p>}
      {status.nextAttemptAt && <p>{t('antrianSinkron.nextAttempt', { when: formatTime(status.nextAttemptAt) })}</p>}
      {(status.state === 'idle' || status.state === 'waiting') && (
        <button type="button" className="button-primary" onClick={onSyncNow} disabled={busy} data-testid="sync-now">
          {busy ? t('antrianSinkron.syncing') : t('antrianSinkron.syncNow')}
        </button>
      )}
      {status.state === 'sign-in-needed' && (
        <button type="button" className="button-primary" onClick={() => void bridge.invoke('auth.logout', {})} data-testid="sync-sign-in-again">
          {t('antrianSinkron.signInAgain')}
        </button>
      )}
    </section>
  );
}

interface EditDraft { letterNumber: string; letterDate: string; sender: string; subject: string }

function EditForm({ item, onDone }: { item: QueueItem; onDone: () => void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [draft, setDraft] = useState<EditDraft>({ letterNumber: '', letterDate: '', sender: '', subject: '' });
  const [error, setError] = useState<IpcError | undefined>();
  const fields: (keyof EditDraft)[] = ['letterNumber', 'letterDate', 'sender', 'subject'];

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Only what the person filled in changes; empty fields keep the letter's value.
    const changes = Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim() !== ''));
    const result = await bridge.invoke('sync.edit', { seq: item.seq, changes });
    if (result.ok) onDone();
    else setError(result.error);
  }

  return (
    <form className="sync-edit" onSubmit={(e) => void submit(e)} noValidate data-testid={`sync-edit-form-${item.seq}`}>
      <p className="field-hint">{t('antrianSinkron.editHint')}</p>
      {fields.map((field) => (
        <div className="field" key={field}>
          <label htmlFor={`edit-${item.seq}-${field}`}>{t(`antrianSinkron.fields.${field}`)}</label>
          <input id={`edit-${item.seq}-${field}`} type={field === 'letterDate' ? 'date' : 'text'} value={draft[field]}
            onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))} data-testid={`sync-edit-${field}`} />
        </div>
      ))}
      {error && <p className="notice notice-error" role="alert">{errorText(error, currentLanguage())}</p>}
      <div className="form-actions">
        <button type="submit" className="button-primary" data-testid="sync-edit-save">{t('antrianSinkron.saveAndSend')}</button>
        <button type="button" className="button-secondary" onClick={onDone}>{t('antrianSinkron.cancel')}</button>
      </div>
    </form>
  );
}

function Entry({ item }: { item: QueueItem }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [editing, setEditing] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [error, setError] = useState<IpcError | undefined>();

  async function run(channel: 'sync.retry' | 'sync.discard') {
    const result = await bridge.invoke(channel, { seq: item.seq });
    if (!result.ok) setError(result.error);
  }

  return (
    <li className={`sync-entry sync-entry-${item.state}`} data-testid="sync-entry" data-state={item.state} data-entity-id={item.entityId}>
      <div className="sync-entry-head">
        <span className="sync-entry-title">{item.title}</span>
        <span className="sync-entry-when">{formatTime(item.createdAt)}</span>
      </div>
      {item.problem && (
        <p className="sync-entry-reason" data-testid="sync-entry-reason">
          <strong>{t(item.state === 'rejected' ? 'antrianSinkron.serverSays' : 'antrianSinkron.lastProblem')}</strong> {item.problem.message}
        </p>
      )}
      {item.upload && (
        <div className="sync-progress">
          <progress max={item.upload.total} value={item.upload.sent} aria-label={t('antrianSinkron.uploading')} data-testid="sync-upload-progress" />
          <span>{t('antrianSinkron.uploadPercent', { percent: percent(item.upload.sent, item.upload.total) })}</span>
        </div>
      )}
      {item.attempts > 0 && item.state !== 'rejected' && <p className="field-hint">{t('antrianSinkron.attempts', { count: item.attempts })}</p>}
      {(item.state === 'rejected' || item.state === 'failed') && !editing && (
        <div className="sync-actions">
          <button type="button" className="button-primary" onClick={() => void run('sync.retry')} data-testid="sync-retry">{t('antrianSinkron.retry')}</button>
          {item.editable && <button type="button" className="button-secondary" onClick={() => setEditing(true)} data-testid="sync-edit">{t('antrianSinkron.edit')}</button>}
          {item.state === 'rejected' && !confirmDiscard && (
            <button type="button" className="sync-button-danger" onClick={() => setConfirmDiscard(true)} data-testid="sync-discard">{t('antrianSinkron.discard')}</button>
          )}
          {confirmDiscard && (
            <span className="sync-confirm" role="group" aria-label={t('antrianSinkron.discardConfirm')}>
              {t('antrianSinkron.discardConfirm')}
              <button type="button" className="sync-button-danger" onClick={() => void run('sync.discard')} data-testid="sync-discard-confirm">{t('antrianSinkron.discardYes')}</button>
              <button type="button" className="button-secondary" onClick={() => setConfirmDiscard(false)}>{t('antrianSinkron.cancel')}</button>
            </span>
          )}
        </div>
      )}
      {editing && <EditForm item={item} onDone={() => setEditing(false)} />}
      {error && <p className="notice notice-error" role="alert">{errorText(error, currentLanguage())}</p>}
    </li>
  );
}

export function AntrianSinkron() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const status = useLive('sync.status', 'sync.changed');
  const queue = useLive('sync.queue', 'sync.changed');
  const [busy, setBusy] = useState(false);

  async function syncNow() {
    setBusy(true);
    await bridge.invoke('sync.now', {});
    setBusy(false);
  }

  const items = queue.value?.items ?? [];
  return (
    <section className="screen" data-testid="screen-antrian-sinkron" aria-labelledby="antrian-title">
      <div className="screen-head">
        <h1 id="antrian-title" tabIndex={-1}>{t('antrianSinkron.title')}</h1>
        <p className="screen-sub">{t('antrianSinkron.subtitle')}</p>
      </div>
      {status.value && <StatusPanel status={status.value} onSyncNow={() => void syncNow()} busy={busy} />}
      {queue.error && <p className="notice notice-error" role="alert">{errorText(queue.error, currentLanguage())}</p>}
      {queue.value && items.length === 0 && <p className="panel sync-empty" data-testid="sync-empty">✓ {t('antrianSinkron.empty')}</p>}
      {groups.map((group) => {
        const inGroup = items.filter((i) => i.state === group);
        if (inGroup.length === 0) return null;
        return (
          <section key={group} className="sync-group" aria-labelledby={`sync-group-${group}`} data-testid={`sync-group-${group}`}>
            <h2 id={`sync-group-${group}`} className="section-title">{t(`antrianSinkron.groups.${group}`, { count: inGroup.length })}</h2>
            <p className="field-hint">{t(`antrianSinkron.groupHints.${group}`)}</p>
            <ul className="sync-list">{inGroup.map((item) => <Entry key={item.seq} item={item} />)}</ul>
          </section>
        );
      })}
    </section>
  );
}
