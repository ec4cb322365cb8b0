// Penerima di luar sistem: the addressees of a numbered letter who are not in the system (a company,
// a ministry, a citizen). The clerk adds them with their channel — Email (with the address) or Cetak
// (by post) — and sees what must still go out: "Tulis email" opens the mail program with the letter's
// number and subject (the person attaches the PDF from "Unduh PDF"), "Cetak" opens the PDF to print,
// and "Tandai sudah dikirim" records it for every desk of the office. Works offline; syncs later.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExternalAddressee } from '../../../../../common/ipc/delivery.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';
import { useBridge } from '../../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../../i18n/index.ts';
import { downloadLetter, letterPdf, printLetter } from '../../../ui/LetterFile.tsx';

export interface SendableLetter {
  id: string;
  subject: string;
  letterNumber: string | null;
  documentHash: string | null;
}

export function PenerimaLuarSistem({ letter }: { letter: SendableLetter }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [rows, setRows] = useState<ExternalAddressee[]>([]);
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<'email' | 'print'>('email');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<IpcError | undefined>();
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => void bridge.invoke('external.list', { letterId: letter.id }).then((r) => { if (r.ok) setRows(r.value); }), [bridge, letter.id]);
  useEffect(() => {
    reload();
    return bridge.on('sync.changed', reload);
  }, [bridge, reload]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const r = await bridge.invoke('external.add', { letterId: letter.id, addressees: [channel === 'email' ? { name, channel, email } : { name, channel }] });
    setBusy(false);
    if (!r.ok) { setError(r.error); return; }
    setRows(r.value);
    setName('');
    setEmail('');
    setError(undefined);
  }

  async function markSent(externalId: string) {
    const r = await bridge.invoke('external.markSent', { letterId: letter.id, externalId });
    if (r.ok) setRows(r.value); else setError(r.error);
  }

  async function pdf(): Promise<Uint8Array | undefined> {
    if (!letter.documentHash) return undefined;
    const file = await letterPdf(bridge, letter.documentHash);
    if (!file.ok) { setError(file.error); return undefined; }
    return file.bytes;
  }
  const download = async () => { const bytes = await pdf(); if (bytes) downloadLetter(bytes, letter); };
  const print = async () => {
    const bytes = await pdf();
    if (bytes) printLetter(bytes);
  };
  const mailto = (to: string) => {
    const subject = `${letter.letterNumber ?? ''} ${letter.subject}`.trim();
    return `mailto:${encodeURIComponent(to)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(t('luarSistem.mailBody', { subject, number: letter.letterNumber ?? '' }))}`;
  };

  return (
    <section className="panel ls-panel" aria-labelledby="ls-title" data-testid="ls-panel">
      <h2 id="ls-title">{t('luarSistem.title')}</h2>
      {rows.length === 0 ? <p className="muted">{t('luarSistem.none')}</p> : (
        <ul className="ls-list" data-testid="ls-list">
          {rows.map((r) => (
            <li key={r.id} data-testid="ls-item" data-sent={r.sentAt !== null} className="ls-item">
              <div>
                <strong>{r.name}</strong>{' '}
                <span className={`sm-tag ${r.sentAt === null ? 'ls-todo' : 'ls-done'}`} data-testid="ls-state">
                  {r.sentAt !== null ? t('luarSistem.sent') : r.channel === 'email' ? t('luarSistem.toEmail', { email: r.email }) : t('luarSistem.toPrint')}
                </span>
                {!r.synced && <span className="status-hint"> {t('luarSistem.waitingSync')}</span>}
              </div>
              {r.problem && <p className="field-error">{r.problem.message} <a href="#/antrian-sinkron">{t('kiriman.send.queue')}</a></p>}
              {r.sentAt === null && (
                <div className="ls-actions">
                  {r.channel === 'email'
                    ? <>
                      <a className="button-secondary" href={mailto(r.email ?? '')} data-testid="ls-mail">{t('luarSistem.writeEmail')}</a>
                      <button type="button" className="button-secondary" onClick={() => void download()} data-testid="ls-download">{t('luarSistem.download')}</button>
                    </>
                    : <button type="button" className="button-secondary" onClick={() => void print()} data-testid="ls-print">{t('luarSistem.print')}</button>}
                  <button type="button" className="button-primary" onClick={() => void markSent(r.id)} data-testid="ls-mark-sent">{t('luarSistem.markSent')}</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="ls-form" onSubmit={(e) => void add(e)} data-testid="ls-form">
        <label className="field"><span>{t('luarSistem.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="ls-name" />
        </label>
        <fieldset className="ls-channel">
          <legend>{t('luarSistem.channel')}</legend>
          <label><input type="radio" name="ls-channel" checked={channel === 'email'} onChange={() => setChannel('email')} data-testid="ls-channel-email" /> {t('luarSistem.email')}</label>
          <label><input type="radio" name="ls-channel" checked={channel === 'print'} onChange={() => setChannel('print')} data-testid="ls-channel-print" /> {t('luarSistem.printPost')}</label>
        </fieldset>
        {channel === 'email' && (
          <label className="field"><span>{t('luarSistem.emailAddress')}</span>
            <input type="text" inputMode="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="ls-email" />
          </label>
        )}
        {error && <p className="notice notice-error" role="alert" data-testid="ls-error">{errorText(error, language)}</p>}
        <button type="submit" className="button-secondary" disabled={busy} data-testid="ls-add">{t('luarSistem.add')}</button>
      </form>
    </section>
  );
}
