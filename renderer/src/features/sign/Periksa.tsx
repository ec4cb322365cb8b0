// Periksa: anyone drops a signed PDF (or picks one) and sees every signature in it — who signed,
// when (and whether a timestamp authority vouches for it), intact or modified since, whether it
// covers the whole document, trust in the signer's CA, revocation — and can save the report as PDF.
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ValidationReportView } from '../../../../common/ipc/sign.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { offerDownload } from '../../files/download.ts';
import { currentLanguage, errorText, localeOf } from '../../i18n/index.ts';
import { receiveFile, sendFile } from '../../files/transfer.ts';

type Signature = ValidationReportView['signatures'][number];

function Row({ label, value, good, testId }: { label: string; value: string; good: boolean; testId: string }) {
  return (
    <div className={`tt-check ${good ? 'tt-good' : 'tt-bad'}`} data-testid={testId} data-good={good}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function SignatureCard({ s, index }: { s: Signature; index: number }) {
  const { t } = useTranslation();
  const locale = localeOf(currentLanguage());
  const when = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(new Date(iso));
  return (
    <li className="panel tt-signature" data-testid={`signature-${index}`}>
      <h3>{t('tandaTangan.check.signature', { n: index + 1 })}{s.fieldName && ` · ${s.fieldName}`}</h3>
      <dl>
        <Row testId="check-signer" label={t('tandaTangan.check.signer')} good={s.signer !== null} value={s.signer ? `${s.signer.commonName}${s.signer.subjectSerialNumber ? ` · ${t('tandaTangan.nip')} ${s.signer.subjectSerialNumber}` : ''} (${s.signer.issuerCommonName})` : t('tandaTangan.check.unknownSigner')} />
        <Row testId="check-time" label={t('tandaTangan.check.time')} good={s.timestamp?.intact === true && s.timestamp.trust === 'trusted'}
          value={s.timestamp ? t('tandaTangan.check.timestamped', { when: when(s.timestamp.time), tsa: s.timestamp.authority ?? 'TSA' }) : s.signingTime ? t('tandaTangan.check.claimed', { when: when(s.signingTime) }) : t('tandaTangan.check.noTime')} />
        <Row testId="check-integrity" label={t('tandaTangan.check.integrity')} good={s.integrity === 'intact'} value={t(`tandaTangan.check.integrityValue.${s.integrity}`)} />
        <Row testId="check-coverage" label={t('tandaTangan.check.coverage')} good={s.coverage !== 'unsigned-additions'} value={t(`tandaTangan.check.coverageValue.${s.coverage}`)} />
        <Row testId="check-trust" label={t('tandaTangan.check.trust')} good={s.trust === 'trusted'} value={t(`tandaTangan.check.trustValue.${s.trust}`)} />
        <Row testId="check-revocation" label={t('tandaTangan.check.revocation')} good={s.revocation.status !== 'revoked'} value={t(`tandaTangan.check.revocationValue.${s.revocation.status}`)} />
      </dl>
      {s.problems.length > 0 && <ul className="tt-problems">{s.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
    </li>
  );
}

export function Periksa() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const [report, setReport] = useState<ValidationReportView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);

  async function check(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    const sent = await sendFile(bridge, file);
    const result = sent.ok ? await bridge.invoke('sign.validate', { uploadId: sent.uploadId, fileName: file.name }) : sent;
    setBusy(false);
    if (result.ok) setReport(result.value); else { setReport(null); setError(result.error); }
  }
  async function save() {
    if (!report) return;
    const result = await bridge.invoke('sign.report.pdf', { report });
    if (!result.ok) { setError(result.error); return; }
    const file = await receiveFile(bridge, result.value);
    if (file.ok) offerDownload(file.bytes, result.value.fileName, 'application/pdf'); else setError(file.error);
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void check(e.dataTransfer.files[0]);
  };

  return (
    <div data-testid="periksa">
      <label className="tt-drop panel" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-busy={busy}>
        <strong>{t('tandaTangan.check.drop')}</strong>
        <span className="status-hint">{t('tandaTangan.check.dropHint')}</span>
        <input type="file" accept="application/pdf,.pdf" onChange={(e) => void check(e.target.files?.[0])} data-testid="check-file" />
      </label>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {report && (
        <>
          <div className={`notice ${report.valid ? 'tt-verdict-valid' : 'notice-error'}`} data-testid="check-verdict" data-valid={report.valid} role="status">
            <strong>{report.signatures.length === 0 ? t('tandaTangan.check.noSignatures') : report.valid ? t('tandaTangan.check.valid') : t('tandaTangan.check.invalid')}</strong>
            <div className="status-hint">{report.fileName} · SHA-256 {report.documentHash.slice(0, 16)}…</div>
          </div>
          <ol className="tt-signatures">{report.signatures.map((s, i) => <SignatureCard key={i} s={s} index={i} />)}</ol>
          <button type="button" className="tt-button-secondary" onClick={() => void save()} data-testid="save-report">{t('tandaTangan.check.save')}</button>
        </>
      )}
    </div>
  );
}
