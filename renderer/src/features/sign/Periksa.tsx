// Periksa: anyone drops a signed PDF (or picks one) and sees every signature in it — who signed,
// when (and whether a timestamp authority vouches for it), intact or modified since, what was
// changed or added after signing (by page and object), trust in the signer's CA, revocation — under
// one honest verdict: green only when everything holds, amber when something needs a look or cannot
// be confirmed, red when a signature does not hold. The report can be saved as PDF.
import { useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ValidationReportView } from '../../../../common/ipc/sign.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { offerDownload } from '../../files/download.ts';
import { currentLanguage, errorText, formatMoment } from '../../i18n/index.ts';
import { receiveFile, sendFile } from '../../files/transfer.ts';

type Signature = ValidationReportView['signatures'][number];
type Tone = 'good' | 'bad' | 'warn' | 'neutral';

function Row({ label, value, tone, testId, children }: { label: string; value: string; tone: Tone; testId: string; children?: ReactNode }) {
  return (
    <div className={`tt-check tt-${tone}`} data-testid={testId} data-good={tone === 'good'} data-tone={tone}>
      <dt>{label}</dt>
      <dd>{value}{children}</dd>
    </div>
  );
}

const verdictClass: Record<ValidationReportView['verdict'], string> = {
  valid: 'tt-verdict-valid', warning: 'notice-warn', indeterminate: 'notice-warn', invalid: 'notice-error', unsigned: 'notice-info', unreadable: 'notice-error',
};

function SignatureCard({ s, index }: { s: Signature; index: number }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const when = (iso: string) => formatMoment(iso, language, 'long');
  const timestampHolds = s.timestamp?.intact === true && s.timestamp.trust === 'trusted';
  const timeValue = s.timestamp?.time ? t('tandaTangan.check.timestamped', { when: when(s.timestamp.time), tsa: s.timestamp.authority ?? 'TSA' })
    : s.timestamp ? t('tandaTangan.check.timestampUnreadable')
      : s.signingTime ? t('tandaTangan.check.claimed', { when: when(s.signingTime) }) : t('tandaTangan.check.noTime');
  const changesTone: Tone = s.coverage === 'changed' || s.coverage === 'unknown' ? 'bad' : s.permittedChanges.length > 0 ? 'warn' : 'good';
  const changesValue = s.coverage !== 'allowed-additions' ? t(`tandaTangan.check.changesValue.${s.coverage}`)
    : s.additions.length === 0 ? t('tandaTangan.check.changesValue.unchanged-revision')
      : t('tandaTangan.check.changesValue.allowed-additions', { what: s.additions.map((a) => t(`tandaTangan.check.additions.${a}`)).join(', ') });
  const revocationTone: Tone = s.revocation.status === 'good' ? 'good' : s.revocation.status === 'revoked' ? 'bad' : s.revocation.status === 'unknown' ? 'warn' : 'neutral';
  return (
    <li className="panel tt-signature" data-testid={`signature-${index}`} data-verdict={s.verdict}>
      <h3>
        {t(s.kind === 'document-timestamp' ? 'tandaTangan.check.documentTimestamp' : 'tandaTangan.check.signature', { n: index + 1 })}
        {' — '}<span className={`tt-verdict-word tt-${s.verdict}`} data-testid="signature-verdict">{t(`tandaTangan.check.signatureVerdict.${s.verdict}`)}</span>
      </h3>
      <dl>
        <Row testId="check-signer" label={t(s.kind === 'document-timestamp' ? 'tandaTangan.check.authority' : 'tandaTangan.check.signer')} tone={s.signer ? 'good' : 'bad'}
          value={s.signer ? `${s.signer.commonName}${s.signer.subjectSerialNumber ? ` · ${t('tandaTangan.nip')} ${s.signer.subjectSerialNumber}` : ''} (${s.signer.issuerCommonName})` : t('tandaTangan.check.unknownSigner')} />
        <Row testId="check-time" label={t('tandaTangan.check.time')} tone={s.timestamp ? (timestampHolds ? 'good' : 'bad') : 'neutral'} value={timeValue} />
        <Row testId="check-integrity" label={t('tandaTangan.check.integrity')} tone={s.integrity === 'intact' ? 'good' : s.integrity === 'modified' ? 'bad' : 'warn'} value={t(`tandaTangan.check.integrityValue.${s.integrity}`)} />
        <Row testId="check-coverage" label={t('tandaTangan.check.changes')} tone={changesTone} value={changesValue}>
          {(s.changes.length > 0 || s.permittedChanges.length > 0) && (
            <ul className="tt-changes" data-testid="check-changes">
              {s.changes.map((c, i) => <li key={`c${i}`} className="tt-change-bad">{c.description}</li>)}
              {s.permittedChanges.map((c, i) => <li key={`p${i}`} className="tt-change-permitted">{t('tandaTangan.check.permitted', { what: c.description })}</li>)}
            </ul>
          )}
        </Row>
        <Row testId="check-trust" label={t('tandaTangan.check.trust')} tone={s.trust === 'trusted' ? 'good' : 'bad'} value={t(`tandaTangan.check.trustValue.${s.trust}`)} />
        {s.kind === 'signature' && <Row testId="check-revocation" label={t('tandaTangan.check.revocation')} tone={revocationTone} value={t(`tandaTangan.check.revocationValue.${s.revocation.status}`)} />}
      </dl>
      {s.problems.length > 0 && <ul className="tt-problems" data-testid="check-problems">{s.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      {s.warnings.length > 0 && <ul className="tt-warnings" data-testid="check-warnings">{s.warnings.map((p) => <li key={p}>{p}</li>)}</ul>}
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
        <span className="status-hint">{busy ? t('tandaTangan.check.busy') : t('tandaTangan.check.dropHint')}</span>
        <input type="file" accept="application/pdf,.pdf" onChange={(e) => void check(e.target.files?.[0])} data-testid="check-file" />
      </label>
      {error && <p className="notice notice-error" role="alert">{errorText(error, language)}</p>}
      {report && (
        <>
          <div className={`notice ${verdictClass[report.verdict]}`} data-testid="check-verdict" data-valid={report.valid} data-verdict={report.verdict} role="status">
            <strong>{t(`tandaTangan.check.verdict.${report.verdict}`)}</strong>
            {report.document.problem && <p className="tt-document-problem" data-testid="check-document-problem">{report.document.problem}</p>}
            {report.warnings.length > 0 && <ul className="tt-warnings">{report.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
            <div className="status-hint">{report.fileName} · SHA-256 {report.documentHash.slice(0, 16)}…</div>
          </div>
          <ol className="tt-signatures">{report.signatures.map((s, i) => <SignatureCard key={i} s={s} index={i} />)}</ol>
          <button type="button" className="tt-button-secondary" onClick={() => void save()} data-testid="save-report">{t('tandaTangan.check.save')}</button>
        </>
      )}
    </div>
  );
}
