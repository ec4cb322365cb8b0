// Tanda Tangan: the signing official chooses how to sign — their USB token, the Cloud Signature
// Consortium service or BSrE (their choice in Pengaturan comes first; another can be picked here,
// e.g. the token when the service is down) — and the certificate (its identity shown next to their
// own name and NIP), selects the letters waiting for them and signs them in one batch with a
// progress bar and a result per letter: a token after its PIN once, a remote service after one PIN/
// OTP or passphrase for the whole batch. Each letter can be read first (its PDF in the preview, with
// Unduh / Cetak), and signing asks once more — how many letters, by whom, with which certificate and
// by which way — before anything is signed. The second tab, Periksa, checks any PDF dropped on it.
// PINs and passphrases live only in the dialogs' inputs until they are sent.
import { useEffect, useRef, useState, type FormEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError, RequestOf } from '../../../../common/ipc/index.ts';
import type { SigningMethod } from '../../../../common/ipc/app.ts';
import type { CertificateView, LetterResultView, LetterToSignView, StampPlaceView, TokenSummaryView } from '../../../../common/ipc/sign.ts';
import { LetterFileActions } from '../../ui/LetterFile.tsx';
import { PdfPreview, type PageGeometry } from '../../ui/PdfPreview.tsx';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDay } from '../../i18n/index.ts';
import { Periksa } from './Periksa.tsx';
import { RefusedSignatures } from './RefusedSignatures.tsx';
import { BsrePanel, CscSignInPanel, RemoteSecretDialog, type BsreStatus, type CscSignIn, type RemoteSecrets } from './RemoteSigning.tsx';

const methods: SigningMethod[] = ['token', 'csc', 'bsre'];
/** Refusals of the secret just typed: the dialog stays open to try again. */
const secretRefusals = new Set(['REMOTE_PIN_INCORRECT', 'REMOTE_OTP_INCORRECT', 'REMOTE_PASSPHRASE_INCORRECT']);

interface TokenLogin {
  sessionId: string;
  token: TokenSummaryView;
  certificates: CertificateView[];
}

function useDate() {
  const language = currentLanguage();
  return (iso: string) => formatDay(iso, language, 'long');
}

/** The warnings a token's PIN flags call for, most serious first. */
function PinWarning({ token }: { token: TokenSummaryView }) {
  const { t } = useTranslation();
  const key = token.flags.pinLocked ? 'locked' : token.flags.pinFinalTry ? 'finalTry' : token.flags.pinCountLow ? 'countLow' : null;
  if (key === null) return null;
  return <p className={`notice ${key === 'countLow' ? 'tt-notice-warn' : 'notice-error'}`} role="alert" data-testid="pin-warning" data-kind={key}>{t(`tandaTangan.pin.${key}`)}</p>;
}

function PinDialog({ title, onSubmit, onCancel, error, busy }: { title: string; onSubmit(pin: string): void; onCancel(): void; error: IpcError | null; busy: boolean }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pin.length > 0) onSubmit(pin);
    setPin('');
  };
  return (
    <div className="tt-dialog-backdrop">
      <form className="tt-dialog panel" role="dialog" aria-modal="true" aria-labelledby="tt-pin-title" onSubmit={submit} data-testid="pin-dialog">
        <h2 id="tt-pin-title">{title}</h2>
        <p className="status-hint">{t('tandaTangan.pin.hint')}</p>
        {error && <p className="notice notice-error" role="alert" data-testid="pin-error" data-code={error.code}>{errorText(error, currentLanguage())}</p>}
        <label className="field">
          <span>{t('tandaTangan.pin.label')}</span>
          <input type="password" autoComplete="off" autoFocus value={pin} onChange={(e) => setPin(e.target.value)} data-testid="pin-input" inputMode="numeric" />
        </label>
        <div className="tt-actions">
          <button type="button" className="tt-button-secondary" onClick={onCancel}>{t('tandaTangan.cancel')}</button>
          <button type="submit" className="button-primary" disabled={busy || pin.length === 0} data-testid="pin-submit">{t('tandaTangan.pin.submit')}</button>
        </div>
      </form>
    </div>
  );
}

function CertificateChoice({ cert, chosen, onChoose }: { cert: CertificateView; chosen: boolean; onChoose(): void }) {
  const { t } = useTranslation();
  const date = useDate();
  return (
    <li className={`tt-cert ${cert.refusal ? 'tt-cert-refused' : ''}`}>
      <label>
        <input type="radio" name="certificate" checked={chosen} disabled={cert.refusal !== null} onChange={onChoose} data-testid={`cert-${cert.id}`} />
        <span>
          <strong>{cert.commonName}</strong>{cert.subjectSerialNumber && <> · {t('tandaTangan.nip')} {cert.subjectSerialNumber}</>}
          <span className="status-hint"> — {t('tandaTangan.cert.issuer', { issuer: cert.issuerCommonName })}; {t('tandaTangan.cert.valid', { from: date(cert.validFrom), to: date(cert.validTo) })}; {t('tandaTangan.cert.usage', { usage: cert.keyUsage?.map((u) => t(`tandaTangan.cert.usages.${u}`, { defaultValue: t('tandaTangan.cert.otherUsage') })).join(', ') ?? t('tandaTangan.cert.anyUsage') })}</span>
          {cert.refusal && <span className="tt-refusal" data-testid={`cert-refusal-${cert.id}`}>{errorText(cert.refusal, currentLanguage())}</span>}
        </span>
      </label>
    </li>
  );
}

function Results({ results }: { results: LetterResultView[] }) {
  const { t } = useTranslation();
  return (
    <ul className="tt-results" data-testid="batch-results">
      {results.map((r) => (
        <li key={r.letterId} className={`tt-result tt-result-${r.outcome}`} data-testid={`result-${r.letterId}`} data-outcome={r.outcome}>
          <strong>{r.subject}</strong> — {t(`tandaTangan.outcome.${r.outcome}`)}{r.level && ` (${t(`tandaTangan.levels.${r.level}`)})`}
          {r.error && <div className="status-hint">{errorText(r.error, currentLanguage())}</div>}
        </li>
      ))}
    </ul>
  );
}

/** The last question before signing: which letters, by whom, with which certificate, by which way. */
function ConfirmDialog({ letters, official, certificate, way, onConfirm, onCancel }: {
  letters: LetterToSignView[]; official: string; certificate: CertificateView; way: string; onConfirm(): void; onCancel(): void;
}) {
  const { t } = useTranslation();
  const date = useDate();
  return (
    <div className="tt-dialog-backdrop">
      <div className="tt-dialog panel" role="dialog" aria-modal="true" aria-labelledby="tt-confirm-title" data-testid="sign-confirm">
        <h2 id="tt-confirm-title">{t('tandaTangan.confirm.title', { count: letters.length })}</h2>
        <ul className="tt-confirm-letters" data-testid="sign-confirm-letters">
          {letters.map((l) => <li key={l.id}>{l.subject} <span className="status-hint">— {t('tandaTangan.letters.to', { addressee: l.addressee })}</span></li>)}
        </ul>
        <dl className="tt-identity">
          <dt>{t('tandaTangan.confirm.by')}</dt>
          <dd data-testid="sign-confirm-by">{official}</dd>
          <dt>{t('tandaTangan.confirm.certificate')}</dt>
          <dd data-testid="sign-confirm-certificate">
            {certificate.commonName}{certificate.subjectSerialNumber && <> · {t('tandaTangan.nip')} {certificate.subjectSerialNumber}</>}
            <span className="status-hint"> — {t('tandaTangan.cert.issuer', { issuer: certificate.issuerCommonName })}; {t('tandaTangan.confirm.validTo', { to: date(certificate.validTo) })}</span>
          </dd>
          <dt>{t('tandaTangan.confirm.way')}</dt>
          <dd data-testid="sign-confirm-way">{way}</dd>
        </dl>
        <p className="status-hint">{t('tandaTangan.confirm.hint')}</p>
        <div className="tt-actions">
          <button type="button" className="tt-button-secondary" onClick={onCancel} data-testid="sign-confirm-cancel">{t('tandaTangan.cancel')}</button>
          <button type="button" className="button-primary" autoFocus onClick={onConfirm} data-testid="sign-confirm-ok">{t('tandaTangan.confirm.ok', { count: letters.length })}</button>
        </div>
      </div>
    </div>
  );
}

/**
 * Where the stamp will go, over the page drawn. Without the template's anchor the official drags it
 * to the signature block; the place is sent to main on release (in PDF points).
 */
function StampBox({ stamp, geometry, onPlace }: { stamp: StampPlaceView; geometry: PageGeometry; onPlace(at: { page: number; x: number; y: number }): void }) {
  const { t } = useTranslation();
  const drag = useRef<{ startX: number; startY: number; left: number; top: number } | null>(null);
  const [offset, setOffset] = useState<{ left: number; top: number } | null>(null);
  // A letter without a place yet shows its starting box on whichever page is open, to be dragged there.
  if (stamp.source !== 'none' && geometry.page !== stamp.page) return null;
  const movable = stamp.source !== 'anchor';
  const { scale } = geometry;
  const left = offset?.left ?? stamp.x * scale;
  const top = offset?.top ?? (geometry.heightPt - stamp.y - stamp.height) * scale;

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (!movable) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startY: e.clientY, left, top };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) setOffset({ left: d.left + e.clientX - d.startX, top: d.top + e.clientY - d.startY });
  };
  const up = () => {
    const d = drag.current;
    drag.current = null;
    if (!d || !offset) return;
    onPlace({ page: geometry.page, x: offset.left / scale, y: geometry.heightPt - offset.top / scale - stamp.height });
  };

  return (
    <div
      className={`tt-stamp tt-stamp-${stamp.source}`} data-testid="stamp-box" data-source={stamp.source}
      style={{ left, top, width: stamp.width * scale, height: stamp.height * scale }}
      onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={() => { drag.current = null; setOffset(null); }}
      title={movable ? t('tandaTangan.stamp.drag') : undefined}
    >
      <span>{t('tandaTangan.stamp.box')}</span>
    </div>
  );
}

/** The letter being read before signing: its PDF with where the stamp will go, and Unduh / Cetak. */
function LetterPreview({ letter, onPlaced }: { letter: LetterToSignView; onPlaced(letter: LetterToSignView): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [error, setError] = useState<IpcError | null>(null);
  const place = async (at: { page: number; x: number; y: number }) => {
    const result = await bridge.invoke('sign.stamp.place', { letterId: letter.id, ...at });
    if (result.ok) { setError(null); onPlaced(result.value); } else setError(result.error);
  };
  const stamp = letter.stamp;
  return (
    <section className="tt-preview" aria-labelledby="tt-preview-title" data-testid="preview-panel" data-letter={letter.id}>
      <div className="tt-preview-head">
        <h3 id="tt-preview-title">{t('tandaTangan.preview.title', { subject: letter.subject })}</h3>
        <LetterFileActions letter={{ subject: letter.subject, letterNumber: null, documentHash: letter.documentHash }} testId="tt-file-actions" />
      </div>
      {stamp && <p className={`status-hint tt-stamp-hint ${stamp.source === 'none' ? 'tt-notice-warn notice' : ''}`} data-testid="stamp-hint">{t(`tandaTangan.stamp.${stamp.source}`)}</p>}
      {error && <p className="notice notice-error" role="alert">{errorText(error, currentLanguage())}</p>}
      {letter.documentHash
        ? <PdfPreview
          key={letter.documentHash} documentId={letter.documentHash} startPage={stamp?.page}
          overlay={stamp ? (geometry) => <StampBox key={`${stamp.source}:${stamp.page}:${stamp.x}:${stamp.y}`} stamp={stamp} geometry={geometry} onPlace={(at) => void place(at)} /> : undefined}
        />
        : <p className="muted">{t('tandaTangan.preview.none')}</p>}
    </section>
  );
}

function Sign() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const tokens = useLive('sign.tokens', 'sign.tokens.changed');
  const identity = useLive('sign.identity');
  const letters = useLive('sign.letters', 'dashboard.changed');
  const [serial, setSerial] = useState<string | null>(null);
  const [login, setLogin] = useState<TokenLogin | null>(null);
  const [certificateId, setCertificateId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pinFor, setPinFor] = useState<'login' | 'sign' | null>(null);
  const [pinError, setPinError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<LetterResultView[]>([]);
  const [error, setError] = useState<IpcError | null>(null);
  const services = useLive('sign.services', 'auth.changed');
  const [chosenMethod, setChosenMethod] = useState<SigningMethod | null>(null);
  const [cscSignIn, setCscSignIn] = useState<CscSignIn | null>(null);
  const [credentialId, setCredentialId] = useState<string | null>(null);
  const [bsreStatus, setBsreStatus] = useState<BsreStatus | null>(null);
  const [secretError, setSecretError] = useState<IpcError | null>(null);
  const [askingSecret, setAskingSecret] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [previewId, setPreviewId] = useState<string | null>(null);

  const method: SigningMethod = chosenMethod ?? services.value?.official.method ?? 'token';
  const present = tokens.value?.tokens ?? [];
  const token = present.find((tk) => tk.serial === serial) ?? present[0] ?? null;
  const credential = cscSignIn?.credentials.find((c) => c.id === credentialId) ?? null;
  const certificate: CertificateView | null = method === 'token' ? (login?.certificates.find((c) => c.id === certificateId) ?? null)
    : method === 'csc' ? credential : (bsreStatus?.refusal ? null : (bsreStatus?.certificate ?? null));
  const user = identity.value?.user ?? null;
  const waiting = letters.value ?? [];
  const previewed = waiting.find((l) => l.id === previewId) ?? waiting[0] ?? null;
  const chosenLetters = waiting.filter((l) => selected.has(l.id));
  const way = method === 'token'
    ? t('tandaTangan.confirm.byToken', { label: login?.token.label ?? '' })
    : method === 'csc' ? t('tandaTangan.confirm.byService', { name: cscSignIn?.serviceName ?? t('tandaTangan.method.csc') }) : t('tandaTangan.confirm.byBsre');

  // BSrE is asked about the official's certificate when it is the way chosen (not before: it is a network call).
  useEffect(() => {
    if (method !== 'bsre') return;
    let current = true;
    setBsreStatus(null);
    void bridge.invoke('sign.bsre.status', {}).then((result) => {
      if (current) setBsreStatus(result.ok ? result.value : { nik: null, certificate: null, refusal: result.error });
    });
    return () => { current = false; };
  }, [bridge, method, services.value?.official.nik]);

  // A token pulled out ends its session: the person logs in again after plugging it back.
  useEffect(() => {
    if (login && !present.some((tk) => tk.serial === login.token.serial)) setLogin(null);
  }, [present, login]);
  useEffect(() => bridge.on('sign.progress', (p) => setProgress({ done: p.done, total: p.total })), [bridge]);

  async function makeDemo() {
    setBusy(true);
    const result = await bridge.invoke('sign.demo.create', {});
    setBusy(false);
    if (result.ok) tokens.reload(); else setError(result.error);
  }

  async function doLogin(pin: string) {
    if (!token) return;
    setBusy(true);
    const result = await bridge.invoke('sign.login', { serial: token.serial, pin });
    setBusy(false);
    if (!result.ok) {
      setPinError(result.error);
      tokens.reload();
      return;
    }
    setPinFor(null);
    setPinError(null);
    setLogin(result.value);
    setCertificateId(result.value.certificates.find((c) => c.refusal === null)?.id ?? null);
  }

  async function doSign(pin?: string) {
    if (!login || !certificate) return;
    setBusy(true);
    setError(null);
    setResults([]);
    setProgress({ done: 0, total: selected.size });
    const ids = chosenLetters.map((l) => l.id);
    const result = await bridge.invoke('sign.batch', { sessionId: login.sessionId, certificateId: certificate.id, letterIds: ids, ...(pin ? { pin } : {}) });
    setBusy(false);
    setPinFor(null);
    if (!result.ok) {
      if (pin && result.error.code.startsWith('PIN_')) {
        setPinError(result.error);
        setPinFor('sign');
      } else setError(result.error);
      return;
    }
    setResults(result.value.results);
    setSelected(new Set());
    letters.reload();
    if (result.value.results.some((r) => r.error?.code === 'TOKEN_REMOVED')) setLogin(null);
  }

  async function doSignRemote(secrets: RemoteSecrets) {
    const ids = chosenLetters.map((l) => l.id);
    const request: RequestOf<'sign.batch'> = method === 'csc' && cscSignIn && credential
      ? { service: 'csc', sessionId: cscSignIn.sessionId, credentialId: credential.id, letterIds: ids, ...('passphrase' in secrets || 'totp' in secrets ? {} : secrets) }
      : { service: 'bsre', letterIds: ids, ...('passphrase' in secrets ? { passphrase: secrets.passphrase } : 'totp' in secrets ? { totp: secrets.totp } : {}) };
    setBusy(true);
    setError(null);
    setResults([]);
    setProgress({ done: 0, total: ids.length });
    const result = await bridge.invoke('sign.batch', request);
    setBusy(false);
    if (!result.ok) {
      setProgress(null);
      if (secretRefusals.has(result.error.code)) {
        setSecretError(result.error);
        return;
      }
      setAskingSecret(false);
      setError(result.error);
      if (result.error.code === 'REMOTE_SESSION_EXPIRED') setCscSignIn(null);
      return;
    }
    setAskingSecret(false);
    setResults(result.value.results);
    setSelected(new Set());
    letters.reload();
  }

  const startSigning = async () => {
    setConfirming(false);
    // The desk says first what it already knows (a Plh/Plt whose period is over): no PIN is asked for nothing.
    const check = await bridge.invoke('sign.check', { letterIds: chosenLetters.map((l) => l.id) });
    if (!check.ok) {
      setError(check.error);
      letters.reload();
      return;
    }
    if (method !== 'token') {
      setSecretError(null);
      setAskingSecret(true);
    } else if (certificate?.alwaysAuthenticate) {
      setPinError(null);
      setPinFor('sign');
    } else void doSign();
  };

  return (
    <div className="tt-grid">
      <section className="panel" aria-labelledby="tt-who">
        <h2 id="tt-who">{t('tandaTangan.who.title')}</h2>
        <dl className="tt-identity" data-testid="official-identity">
          <dt>{t('tandaTangan.who.official')}</dt>
          <dd>{user ? <>{user.name}{user.nip && <> · {t('tandaTangan.nip')} {user.nip}</>}{user.position && <> · {user.position}</>}</> : <span className="muted">{t('tandaTangan.who.standalone')}</span>}</dd>
          <dt>{t('tandaTangan.who.certificate')}</dt>
          <dd data-testid="certificate-identity">{certificate ? <>{certificate.commonName}{certificate.subjectSerialNumber && <> · {t('tandaTangan.nip')} {certificate.subjectSerialNumber}</>}</> : <span className="muted">{t(method === 'token' ? 'tandaTangan.who.noCertificate' : 'tandaTangan.who.noRemoteCertificate')}</span>}</dd>
        </dl>
        {identity.value?.refusal && <p className="notice notice-error" role="alert" data-testid="signer-refusal">{errorText(identity.value.refusal, language)}</p>}

        <h3 id="tt-method">{t('tandaTangan.method.label')}</h3>
        <div className="segmented tt-methods" role="radiogroup" aria-labelledby="tt-method">
          {methods.map((m) => (
            <label key={m} className={method === m ? 'segment checked' : 'segment'}>
              <input type="radio" name="tt-method" value={m} checked={method === m} onChange={() => { setChosenMethod(m); setError(null); }} data-testid={`method-${m}`} />
              <span>{t(`tandaTangan.method.${m}`)}</span>
            </label>
          ))}
        </div>
        {services.value && method === services.value.official.method && <p className="status-hint" data-testid="method-default">{t('tandaTangan.method.fromSettings')}</p>}

        {method === 'csc' && services.value && (
          <>
            <h3>{t('tandaTangan.remote.cscTitle')}</h3>
            <CscSignInPanel services={services.value} signIn={cscSignIn}
              onSignedIn={(signIn) => { setCscSignIn(signIn); setCredentialId(signIn.credentials.find((c) => c.refusal === null)?.id ?? null); }}
              onSignOut={() => { if (cscSignIn) void bridge.invoke('sign.csc.logout', { sessionId: cscSignIn.sessionId }); setCscSignIn(null); }} />
            {cscSignIn && (
              <ul className="tt-certs" data-testid="csc-credentials">
                {cscSignIn.credentials.map((c) => <CertificateChoice key={c.id} cert={c} chosen={c.id === credentialId} onChoose={() => setCredentialId(c.id)} />)}
              </ul>
            )}
          </>
        )}
        {method === 'bsre' && services.value && (
          <>
            <h3>{t('tandaTangan.remote.bsreTitle')}</h3>
            {services.value.bsre.url === '' || services.value.bsre.clientId === null
              ? <p className="notice tt-notice-warn" data-testid="bsre-not-configured">{t('tandaTangan.remote.bsreNotConfigured')}</p>
              : <BsrePanel services={services.value} status={bsreStatus} />}
            {bsreStatus?.certificate && (
              <ul className="tt-certs" data-testid="bsre-certificate">
                <CertificateChoice cert={bsreStatus.certificate} chosen={bsreStatus.refusal === null} onChoose={() => undefined} />
              </ul>
            )}
          </>
        )}
        {method !== 'token' && <p className="status-hint" data-testid="method-fallback">{t('tandaTangan.remote.fallback')}</p>}

        {method === 'token' && <>
        <h3>{t('tandaTangan.token.title')}</h3>
        {tokens.value?.problem && <p className="notice notice-error" role="alert" data-testid="token-problem">{errorText(tokens.value.problem, language)}</p>}
        {tokens.value?.demo.possible && (
          <div className="tt-demo-offer" data-testid="demo-offer">
            <p className="status-hint">{t('tandaTangan.token.demoOffer')}</p>
            <button type="button" className="tt-button-secondary" disabled={busy} onClick={() => void makeDemo()} data-testid="demo-create">{t('tandaTangan.token.demoButton')}</button>
          </div>
        )}
        {tokens.value?.demo.active && <p className="notice tt-notice-warn" data-testid="demo-active">{t('tandaTangan.token.demoActive', { pin: tokens.value.demo.pin })}</p>}
        {tokens.value && !tokens.value.problem && present.length === 0 && <p className="notice tt-notice-warn" data-testid="no-token">{t('tandaTangan.token.none')}</p>}
        {present.length > 0 && (
          <label className="field">
            <span>{t('tandaTangan.token.choose')}</span>
            <select value={token?.serial ?? ''} onChange={(e) => { setSerial(e.target.value); setLogin(null); }} data-testid="token-select">
              {present.map((tk) => <option key={tk.serial} value={tk.serial}>{tk.label} ({t('tandaTangan.token.serial')} {tk.serial})</option>)}
            </select>
          </label>
        )}
        {token && <PinWarning token={token} />}
        {token && !login && (
          <button type="button" className="button-primary" disabled={token.flags.pinLocked} onClick={() => { setPinError(null); setPinFor('login'); }} data-testid="token-login">
            {t('tandaTangan.token.login')}
          </button>
        )}
        {login && (
          <>
            <p className="status-hint" data-testid="token-open">{t('tandaTangan.token.open', { label: login.token.label })}</p>
            <ul className="tt-certs">
              {login.certificates.map((c) => <CertificateChoice key={c.id} cert={c} chosen={c.id === certificateId} onChoose={() => setCertificateId(c.id)} />)}
            </ul>
          </>
        )}
        </>}
      </section>

      <section className="panel" aria-labelledby="tt-letters">
        <h2 id="tt-letters">{t('tandaTangan.letters.title')}</h2>
        {letters.value?.length === 0 && (
          <div className="tt-empty" data-testid="no-letters">
            <p><strong>{t('tandaTangan.letters.none')}</strong></p>
            <p className="status-hint">{t('tandaTangan.letters.noneHint')}</p>
          </div>
        )}
        <ul className="tt-letters">
          {waiting.map((l) => (
            <li key={l.id} className={previewed?.id === l.id ? 'tt-letter tt-letter-previewed' : 'tt-letter'}>
              <label>
                <input type="checkbox" checked={selected.has(l.id)} data-testid={`letter-${l.id}`} onChange={(e) => {
                  const next = new Set(selected);
                  if (e.target.checked) next.add(l.id); else next.delete(l.id);
                  setSelected(next);
                }} />
                <span>
                  <strong>{l.subject}</strong>{' '}
                  <span className="status-hint">— {t('tandaTangan.letters.to', { addressee: l.addressee })}{l.pageCount && `, ${t('tandaTangan.letters.pages', { count: l.pageCount })}`}</span>
                  {l.signerName && <span className="status-hint tt-letter-signer" data-testid="waiting-for"> {t('tandaTangan.letters.forOfficial', { name: l.signerName })}</span>}
                  {l.signingAs && <span className="status-hint tt-letter-as" data-testid={`signing-as-${l.id}`}>{t('tandaTangan.letters.signingAs', { position: l.signingAs })}</span>}
                  {l.refusal && <span className="tt-refusal" role="note" data-testid={`letter-refusal-${l.id}`}>{errorText(l.refusal, currentLanguage())}</span>}
                </span>
              </label>
              <button type="button" className="tt-button-secondary tt-letter-read" aria-pressed={previewed?.id === l.id} onClick={() => setPreviewId(l.id)} data-testid={`read-${l.id}`}>
                {t('tandaTangan.letters.read')}
              </button>
              {l.draftId && <a className="tt-letter-trail" href={`#/beranda/paraf/${l.draftId}`} data-testid={`trail-${l.id}`}>{t('tandaTangan.letters.trail')}</a>}
            </li>
          ))}
        </ul>
        {identity.value && identity.value.verificationUrl === null && <p className="notice tt-notice-warn" data-testid="no-verification">{t('tandaTangan.letters.noVerification')}</p>}
        {waiting.length > 0 && (
          <button type="button" className="button-primary" disabled={busy || !certificate || certificate.refusal !== null || selected.size === 0 || identity.value?.refusal != null} onClick={() => setConfirming(true)} data-testid="sign-button">
            {t('tandaTangan.letters.sign', { count: selected.size })}
          </button>
        )}
        {progress && (
          <div className="tt-progress">
            <progress max={progress.total} value={progress.done} data-testid="sign-progress" aria-label={t('tandaTangan.letters.progress', progress)} />
            <span>{t('tandaTangan.letters.progress', progress)}</span>
          </div>
        )}
        {error && <p className="notice notice-error" role="alert" data-testid="sign-error">{errorText(error, language)}</p>}
        {results.length > 0 && <Results results={results} />}
        {previewed && <LetterPreview key={previewed.id} letter={previewed} onPlaced={() => letters.reload()} />}
      </section>

      <RefusedSignatures />

      {confirming && certificate && (
        <ConfirmDialog
          letters={chosenLetters} certificate={certificate} way={way}
          official={user ? [user.name, user.nip && `${t('tandaTangan.nip')} ${user.nip}`, user.position].filter(Boolean).join(' · ') : certificate.commonName}
          onCancel={() => setConfirming(false)} onConfirm={() => void startSigning()}
        />
      )}

      {askingSecret && certificate && (
        <RemoteSecretDialog
          kind={method === 'csc' && credential ? { service: 'csc', asks: credential.asks } : { service: 'bsre' }}
          certificate={certificate} count={selected.size} busy={busy} error={secretError}
          onCancel={() => setAskingSecret(false)}
          onSubmit={(secrets) => void doSignRemote(secrets)}
        />
      )}

      {pinFor && (
        <PinDialog
          title={pinFor === 'login' ? t('tandaTangan.pin.titleLogin', { label: token?.label ?? '' }) : t('tandaTangan.pin.titleSign')}
          busy={busy} error={pinError}
          onCancel={() => setPinFor(null)}
          onSubmit={(pin) => void (pinFor === 'login' ? doLogin(pin) : doSign(pin))}
        />
      )}
    </div>
  );
}

export function TandaTangan() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'sign' | 'check'>(() => (window.location.hash.endsWith('/periksa') ? 'check' : 'sign'));
  return (
    <section className="screen" data-testid="screen-tanda-tangan" aria-labelledby="tt-title">
      <div className="screen-head">
        <h1 id="tt-title" tabIndex={-1}>{t('tandaTangan.title')}</h1>
        <div className="segmented" role="tablist">
          <button type="button" role="tab" className={`segment ${tab === 'sign' ? 'checked' : ''}`} aria-selected={tab === 'sign'} onClick={() => setTab('sign')} data-testid="tab-sign">{t('tandaTangan.tabs.sign')}</button>
          <button type="button" role="tab" className={`segment ${tab === 'check' ? 'checked' : ''}`} aria-selected={tab === 'check'} onClick={() => setTab('check')} data-testid="tab-check">{t('tandaTangan.tabs.check')}</button>
        </div>
      </div>
      {tab === 'sign' ? <Sign /> : <Periksa />}
    </section>
  );
}
