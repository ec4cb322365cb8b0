// The left panel of Pindai: which scanner (and where it is: on this computer, or on the network at
// an address), which profile, the settings (source, mode, resolution, paper), saving them as a
// named profile, and the scan button with its progress bar and cancel. Scanners that cannot be
// used now are named with the reason; a network scanner whose certificate changed can be trusted
// again here by an admin, after comparing the fingerprint with the scanner's own screen.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { PaperSize, ScannerChoice, ScannerNote, ScanMode, ScanProfile, ScanSettings, ScanSource } from '../../../../common/ipc/scan.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { fitToScanner, sameSettings } from './stack.ts';

const sources: ScanSource[] = ['flatbed', 'adf', 'duplex'];
const modes: ScanMode[] = ['gray', 'color', 'lineart'];
const paperSizes: PaperSize[] = ['a4', 'f4', 'letter', 'legal'];

export interface ScanRequest {
  device: string;
  settings: ScanSettings;
  profileId: string | undefined;
}

interface Props {
  scanners: ScannerChoice[] | undefined;
  /** What cannot be used now, and why. */
  notes: ScannerNote[];
  /** The scanners are being searched again; the list shown is the last one found. */
  refreshing: boolean;
  /** The scanner this desk used last: chosen first when it is listed. */
  lastUsed: string | null;
  /** The person here may trust a network scanner's changed certificate. */
  mayTrust: boolean;
  scannersError: IpcError | undefined;
  onReloadScanners(): void;
  profiles: { profiles: ScanProfile[]; lastUsedId: string | null } | undefined;
  onProfilesChanged(): void;
  scanning: { page: number; fraction: number | null } | null;
  onScan(request: ScanRequest): void;
  onCancel(): void;
}

/** Where a scanner is, as the clerk reads it under the list: this computer, or the network at an address. */
function Where({ scanner }: { scanner: ScannerChoice }) {
  const { t } = useTranslation();
  if (scanner.connection === 'local') return <p className="field-hint pindai-where" data-testid="pindai-scanner-where">{t('pindai.where.local')}</p>;
  const how = scanner.driver === 'escl' ? (scanner.certificate ? t('pindai.where.esclSecure') : t('pindai.where.escl')) : scanner.driver.toUpperCase();
  return (
    <p className="field-hint pindai-where" data-testid="pindai-scanner-where">
      {t('pindai.where.network', { address: scanner.address ?? '?', how })}
      {scanner.certificate && <><br /><span title={scanner.certificate.sha256}>{t('pindai.where.fingerprint')} <code>{scanner.certificate.sha256.slice(0, 23)}…</code></span></>}
    </p>
  );
}

function Notes({ notes, mayTrust, onTrusted }: { notes: ScannerNote[]; mayTrust: boolean; onTrusted(): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const [failure, setFailure] = useState<IpcError | null>(null);
  if (notes.length === 0) return null;
  async function trust(note: ScannerNote) {
    if (note.url === null || note.presented === null) return;
    const result = await bridge.invoke('scan.network.trust', { url: note.url, sha256: note.presented.sha256 });
    if (result.ok) {
      setFailure(null);
      onTrusted();
    } else setFailure(result.error);
  }
  return (
    <ul className="pindai-notes" data-testid="pindai-scanner-notes">
      {notes.map((note, i) => (
        <li key={`${note.device?.id ?? note.code}-${i}`} className={note.code === 'SCANNER_CERTIFICATE_CHANGED' ? 'notice notice-warn' : 'field-hint'} data-testid="pindai-scanner-note" data-code={note.code}>
          {note.device && <strong>{note.device.label}: </strong>}
          {errorText(note, currentLanguage())}
          {note.presented && (
            <span className="pindai-fingerprint">
              {t('pindai.network.presented')} <code data-testid="pindai-presented-fingerprint">{note.presented.sha256}</code>
              {mayTrust && note.url !== null && <button type="button" className="button-secondary" onClick={() => void trust(note)} data-testid="pindai-trust-certificate">{t('pindai.network.trust')}</button>}
            </span>
          )}
        </li>
      ))}
      {failure && <li className="field-error" role="alert">{errorText(failure, currentLanguage())}</li>}
    </ul>
  );
}

export function ScanPanel(props: Props) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const { scanners, profiles, scanning } = props;
  const [device, setDevice] = useState<string | undefined>(undefined);
  const [profileId, setProfileId] = useState<string | undefined>(undefined);
  const [settings, setSettings] = useState<ScanSettings>({ source: 'flatbed', mode: 'gray', resolution: 200, paperSize: 'a4' });
  const [profileName, setProfileName] = useState('');
  const [profileStatus, setProfileStatus] = useState<{ kind: 'saved'; name: string } | { kind: 'failed'; error: IpcError } | null>(null);

  const scanner = scanners?.find((s) => s.name === device);

  // The scanner used last (else the first; again when the chosen one is no longer listed), and the profile used last, are chosen once they are known.
  useEffect(() => {
    if (scanners !== undefined && scanners.length > 0 && !scanners.some((s) => s.name === device)) setDevice((scanners.find((s) => s.name === props.lastUsed) ?? scanners[0])?.name);
  }, [scanners, device, props.lastUsed]);
  useEffect(() => {
    if (profileId !== undefined || profiles === undefined) return;
    const chosen = profiles.profiles.find((p) => p.id === profiles.lastUsedId) ?? profiles.profiles[0];
    if (chosen) {
      setProfileId(chosen.id);
      setSettings(chosen.settings);
    }
  }, [profiles, profileId]);

  const fitted = fitToScanner(settings, scanner);
  const profile = profiles?.profiles.find((p) => p.id === profileId);
  const language = currentLanguage();

  /** The profile chosen is the one this desk offers first from now on, scanned with or not. */
  function chooseProfile(id: string) {
    const chosen = profiles?.profiles.find((p) => p.id === id);
    setProfileId(id);
    if (chosen) setSettings(chosen.settings);
    void bridge.invoke('scan.profiles.choose', { id });
  }

  function edit(patch: Partial<ScanSettings>) {
    setSettings({ ...fitted.settings, ...patch });
  }

  async function saveProfile() {
    const existing = profiles?.profiles.find((p) => p.name.toLocaleLowerCase('id') === profileName.trim().toLocaleLowerCase('id'));
    const result = await bridge.invoke('scan.profiles.save', { ...(existing ? { id: existing.id } : {}), name: profileName, settings: fitted.settings });
    if (result.ok) {
      setProfileStatus({ kind: 'saved', name: result.value.name });
      setProfileId(result.value.id);
      void bridge.invoke('scan.profiles.choose', { id: result.value.id });
      setProfileName('');
      props.onProfilesChanged();
    } else setProfileStatus({ kind: 'failed', error: result.error });
  }

  const canScan = scanner !== undefined && scanning === null;
  const usedProfileId = profile && sameSettings(profile.settings, fitted.settings) ? profile.id : undefined;

  return (
    <form
      className="panel pindai-panel"
      aria-labelledby="pindai-settings-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (scanner) props.onScan({ device: scanner.name, settings: fitted.settings, profileId: usedProfileId });
      }}
    >
      <h2 id="pindai-settings-title">{t('pindai.settings.title')}</h2>

      <div className="field">
        <label htmlFor="pindai-scanner">{t('pindai.settings.scanner')}</label>
        {(scanners === undefined || (scanners.length === 0 && props.refreshing)) && props.scannersError === undefined && <p className="field-hint" data-testid="pindai-searching">{t('pindai.settings.searching')}</p>}
        {props.scannersError && <p className="field-error" role="alert">{errorText(props.scannersError, language)}</p>}
        {scanners !== undefined && scanners.length === 0 && !props.refreshing && <p className="field-hint" data-testid="pindai-no-scanner">{t('pindai.settings.noScanner')}</p>}
        {scanners !== undefined && scanners.length > 0 && (
          <select id="pindai-scanner" data-testid="pindai-scanner" value={device ?? ''} onChange={(e) => setDevice(e.target.value)} disabled={scanning !== null}>
            {scanners.map((s) => <option key={s.name} value={s.name}>{s.label}</option>)}
          </select>
        )}
        {scanners !== undefined && scanners.length > 0 && props.refreshing && <p className="field-hint pindai-refreshing" role="status" data-testid="pindai-refreshing">{t('pindai.settings.refreshing')}</p>}
        {scanner && <Where scanner={scanner} />}
        <Notes notes={props.notes} mayTrust={props.mayTrust} onTrusted={props.onReloadScanners} />
        <button type="button" className="button-link" onClick={props.onReloadScanners} disabled={scanning !== null} data-testid="pindai-reload-scanners">{t('pindai.settings.reloadScanners')}</button>
      </div>

      <div className="field">
        <label htmlFor="pindai-profile">{t('pindai.settings.profile')}</label>
        <select id="pindai-profile" data-testid="pindai-profile" value={profileId ?? ''} onChange={(e) => chooseProfile(e.target.value)} disabled={scanning !== null}>
          {profiles?.profiles.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        {profile && usedProfileId === undefined && <p className="field-hint">{t('pindai.settings.profileChanged')}</p>}
      </div>

      <fieldset className="pindai-sources" disabled={scanning !== null}>
        <legend>{t('pindai.settings.source')}</legend>
        {sources.map((source) => {
          const offered = scanner === undefined || scanner.sources.includes(source);
          return (
            <label key={source} className={offered ? 'pindai-choice' : 'pindai-choice unavailable'}>
              <input type="radio" name="pindai-source" value={source} checked={fitted.settings.source === source} disabled={!offered} onChange={() => edit({ source })} data-testid={`pindai-source-${source}`} />
              <span>{t(`pindai.sources.${source}`)}</span>
              {!offered && <span className="pindai-unavailable">{t('pindai.settings.notOffered')}</span>}
            </label>
          );
        })}
        {fitted.sourceUnavailable && (
          <p className="field-hint pindai-fallback" data-testid="pindai-source-fallback">
            {t('pindai.settings.sourceFallback', { wanted: t(`pindai.sources.${fitted.sourceUnavailable}`), used: t(`pindai.sources.${fitted.settings.source}`) })}
          </p>
        )}
      </fieldset>

      <div className="pindai-row">
        <div className="field">
          <label htmlFor="pindai-mode">{t('pindai.settings.mode')}</label>
          <select id="pindai-mode" data-testid="pindai-mode" value={fitted.settings.mode} onChange={(e) => edit({ mode: e.target.value as ScanMode })} disabled={scanning !== null}>
            {modes.filter((m) => scanner === undefined || scanner.modes.length === 0 || scanner.modes.includes(m)).map((m) => <option key={m} value={m}>{t(`pindai.modes.${m}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pindai-resolution">{t('pindai.settings.resolution')}</label>
          <select id="pindai-resolution" data-testid="pindai-resolution" value={fitted.settings.resolution} onChange={(e) => edit({ resolution: Number(e.target.value) })} disabled={scanning !== null}>
            {(scanner?.resolutions.length ? scanner.resolutions : [fitted.settings.resolution]).map((r) => <option key={r} value={r}>{r} dpi</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pindai-paper">{t('pindai.settings.paper')}</label>
          <select id="pindai-paper" data-testid="pindai-paper" value={fitted.settings.paperSize} onChange={(e) => edit({ paperSize: e.target.value as PaperSize })} disabled={scanning !== null}>
            {paperSizes.map((p) => <option key={p} value={p}>{t(`pindai.papers.${p}`)}</option>)}
          </select>
        </div>
      </div>

      <details className="pindai-save-profile">
        <summary>{t('pindai.settings.saveProfile')}</summary>
        <div className="field">
          <label htmlFor="pindai-profile-name">{t('pindai.settings.profileName')}</label>
          <input id="pindai-profile-name" type="text" maxLength={80} value={profileName} onChange={(e) => { setProfileName(e.target.value); setProfileStatus(null); }} placeholder={t('pindai.settings.profileNameHint')} data-testid="pindai-profile-name" />
        </div>
        <button type="button" className="button-secondary" onClick={() => void saveProfile()} data-testid="pindai-profile-save">{t('pindai.settings.saveProfileButton')}</button>
        <p className="form-status" role="status" aria-live="polite">
          {profileStatus?.kind === 'saved' && <span className="saved">✓ {t('pindai.settings.profileSaved', { name: profileStatus.name })}</span>}
        </p>
        {profileStatus?.kind === 'failed' && <p className="field-error" role="alert">{errorText(profileStatus.error, language)}</p>}
      </details>

      <div className="form-actions pindai-actions">
        {scanning === null ? (
          <button type="submit" className="button-primary" disabled={!canScan} data-testid="pindai-start">{t('pindai.scan')}</button>
        ) : (
          <>
            <div className="pindai-progress" role="status" aria-live="polite" data-testid="pindai-progress">
              <span>{t('pindai.scanningPage', { page: scanning.page })}</span>
              {scanning.fraction === null ? <progress aria-label={t('pindai.progress')} /> : <progress aria-label={t('pindai.progress')} value={scanning.fraction} max={1} />}
            </div>
            <button type="button" className="button-secondary" onClick={props.onCancel} data-testid="pindai-cancel">{t('pindai.cancel')}</button>
          </>
        )}
      </div>
    </form>
  );
}
