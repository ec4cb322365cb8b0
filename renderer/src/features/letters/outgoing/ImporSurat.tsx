// Importing an outgoing letter (until drafting from templates and the verification chain exist): a
// PDF of an outgoing letter is imported for a signing official and is then waiting in their Tanda
// Tangan list ("siap ditandatangani").
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, RequestOf } from '../../../../../common/ipc/index.ts';
import { useBridge, useLive } from '../../../bridge/hooks.ts';
import type { OfficialsView } from '../../../../../common/ipc/outgoing.ts';
import { currentLanguage, errorText } from '../../../i18n/index.ts';
import { ClassificationCodeList, useClassificationCodes } from '../incoming/ClassificationCodes.tsx';
import { sendFile } from '../../../files/transfer.ts';

type Security = RequestOf<'sign.outgoing.import'>['security'] & string;
const securities: readonly Security[] = ['biasa', 'terbatas', 'rahasia'];

/** `onImported`: the list below reloads. */
export function ImporSurat({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const waiting = useLive('sign.letters', 'dashboard.changed');
  const officials = useLive('outgoing.officials', 'auth.changed');
  const [file, setFile] = useState<File | null>(null);
  const [subject, setSubject] = useState('');
  const [addressee, setAddressee] = useState('');
  const [signer, setSigner] = useState('');
  const [classificationCode, setClassificationCode] = useState('');
  const [security, setSecurity] = useState<Security>('biasa');
  const classifications = useClassificationCodes();
  const [error, setError] = useState<IpcError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setError({ code: 'VALIDATION', message: t('suratKeluar.pickFile') });
      return;
    }
    setBusy(true);
    setError(null);
    const code = classificationCode.trim();
    const sent = await sendFile(bridge, file);
    const result = sent.ok
      ? await bridge.invoke('sign.outgoing.import', {
        uploadId: sent.uploadId, fileName: file.name, subject, addressee, signer, security, ...(code === '' ? {} : { classificationCode: code }),
      })
      : sent;
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDone(result.value.subject);
    onImported();
    setFile(null);
    setSubject('');
    setAddressee('');
    setClassificationCode('');
    setSecurity('biasa');
    setSigner('');
  }

  return (
    <>
      <form className="panel sk-form" onSubmit={(e) => void submit(e)}>
        <label className="field"><span>{t('suratKeluar.file')}</span>
          <input type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="sk-file" />
        </label>
        <label className="field"><span>{t('suratKeluar.subject')}</span>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} data-testid="sk-subject" />
        </label>
        <label className="field"><span>{t('suratKeluar.addressee')}</span>
          <input value={addressee} onChange={(e) => setAddressee(e.target.value)} data-testid="sk-addressee" />
        </label>
        <label className="field"><span>{t('suratKeluar.classification')}</span>
          <input
            value={classificationCode} list="sk-codes" autoComplete="off" data-testid="sk-classification"
            onChange={(e) => { setClassificationCode(e.target.value); classifications.lookUp(e.target.value); }}
          />
          <span className="status-hint">{t('suratKeluar.classificationHint')}</span>
        </label>
        <ClassificationCodeList id="sk-codes" codes={classifications.codes} />
        <label className="field"><span>{t('suratKeluar.security')}</span>
          <select value={security} onChange={(e) => setSecurity(e.target.value as Security)} data-testid="sk-security">
            {securities.map((s) => <option key={s} value={s}>{t(`suratMasuk.security.${s}`)}</option>)}
          </select>
          <span className="status-hint">{t('suratKeluar.securityHint')}</span>
        </label>
        <SignerField value={signer} onChange={setSigner} view={officials.value} />
        {error && <p className="notice notice-error" role="alert" data-testid="sk-error">{errorText(error, currentLanguage())}</p>}
        {done && <p className="notice tt-verdict-valid" role="status" data-testid="sk-done">{t('suratKeluar.done', { subject: done })}</p>}
        <button type="submit" className="button-primary" disabled={busy} data-testid="sk-submit">{t('suratKeluar.submit')}</button>
      </form>
      <p className="status-hint" data-testid="sk-waiting">{t('suratKeluar.waiting', { count: waiting.value?.length ?? 0 })}</p>
    </>
  );
}

/**
 * The signing official: chosen from the office's officials (kept on the desk, so the list shows
 * offline); on a desk without accounts, named as typed.
 */
export function SignerField({ value, onChange, view, testId = 'sk-signer' }: { value: string; onChange(value: string): void; view: OfficialsView | undefined; testId?: string }) {
  const { t } = useTranslation();
  if (view?.accounts === false) {
    return (
      <label className="field"><span>{t('suratKeluar.signer')}</span>
        <input value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
        <span className="status-hint">{t('suratKeluar.signerHintStandalone')}</span>
      </label>
    );
  }
  const officials = view?.officials ?? [];
  return (
    <label className="field"><span>{t('suratKeluar.signer')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={officials.length === 0}>
        <option value="">{t('suratKeluar.signerChoose')}</option>
        {officials.map((o) => <option key={o.id} value={o.id}>{o.position ? `${o.name} — ${o.position}` : o.name}</option>)}
      </select>
      <span className="status-hint" data-testid="sk-signer-hint">
        {view === undefined ? t('common.loading') : officials.length === 0
          ? t(view.fetchedAt === null ? 'suratKeluar.signerNeverFetched' : 'suratKeluar.signerNone')
          : t('suratKeluar.signerHint')}
      </span>
    </label>
  );
}
