// Pindai: scan letters at the desk. Thumbnails appear as pages arrive, with a progress bar and a
// cancel button; the page tools put the stack in order; saving makes one PDF per letter in the
// desk's document store, and each saved letter leads on to its agenda form (Catat). A page or a
// letter can also be downloaded as JPG files. A fault (paper jam, open cover, crashed driver) is shown in plain
// Bahasa Indonesia and the pages scanned before it stay.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ScannerList, ScanPlacement, ScanSession } from '../../../../common/ipc/scan.ts';
import { useBridge, useLive, type Live } from '../../bridge/hooks.ts';
import { receiveFile } from '../../files/transfer.ts';
import { offerDownload } from '../../files/download.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';
import { NetworkScanners } from './NetworkScanners.tsx';
import { PageStack, type JpegRequest, type PageAction } from './PageStack.tsx';
import { rememberSaved } from './saved-letters.ts';
import { SavedLetters } from './SavedLetters.tsx';
import { ScanPanel, type ScanRequest } from './ScanPanel.tsx';
import { letterCount, letterNumbers } from './stack.ts';

type Outcome =
  | { kind: 'saved'; documentIds: string[]; pages: number; existed: boolean }
  | { kind: 'failed'; error: IpcError }
  | null;

const append: ScanPlacement = { kind: 'append' };

/**
 * The scanners as main knows them: the list of the last search at once, then each driver's fresh
 * answer as it arrives (scan.scanners.changed), so a slow network scanner never holds the list.
 */
function useScanners(): Live<ScannerList> & { reload(): void } {
  const bridge = useBridge();
  const [live, setLive] = useState<Live<ScannerList>>({ value: undefined, error: undefined });
  const reload = useCallback(() => {
    void bridge.invoke('scan.scanners', {}).then((result) => {
      setLive((prev) => (result.ok ? { value: result.value, error: undefined } : { value: prev.value, error: result.error }));
    });
  }, [bridge]);
  useEffect(() => {
    reload();
    const offs = [
      bridge.on('scan.scanners.changed', (value) => setLive({ value, error: undefined })),
      bridge.onConnection((state) => { if (state === 'connected') reload(); }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, reload]);
  return { ...live, reload };
}

export function Pindai() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const scanners = useScanners();
  // Each search teaches the desk (scanners found are remembered, first certificates pinned): read what it remembers once it has ended.
  const network = useLive('scan.network.list');
  const reloadNetwork = network.reload;
  const searched = scanners.value !== undefined && !scanners.value.refreshing;
  useEffect(() => {
    if (searched) reloadNetwork();
  }, [searched, scanners.value, reloadNetwork]);
  const profiles = useLive('scan.profiles.list');
  const [session, setSession] = useState<ScanSession | undefined>(undefined);
  const [thumbnails, setThumbnails] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<{ page: number; fraction: number | null } | null>(null);
  const [placement, setPlacement] = useState<ScanPlacement>(append);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);
  const [savedFocus, setSavedFocus] = useState(0);
  const [downloading, setDownloading] = useState<JpegRequest | null>(null);

  const loadSession = useCallback(() => {
    void bridge.invoke('scan.session.get', {}).then((result) => {
      if (!result.ok) return setOutcome({ kind: 'failed', error: result.error });
      setSession(result.value.session);
      setThumbnails(result.value.thumbnails);
    });
  }, [bridge]);

  useEffect(() => {
    loadSession();
    const offs = [
      bridge.on('scan.changed', (s) => {
        setSession(s);
        if (s.scanning === null) setProgress(null);
      }),
      bridge.on('scan.page', ({ pageId, thumbnail }) => setThumbnails((prev) => ({ ...prev, [pageId]: thumbnail }))),
      bridge.on('scan.progress', ({ page, fraction }) => setProgress({ page, fraction })),
      bridge.onConnection((state) => { if (state === 'connected') loadSession(); }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, loadSession]);

  const pages = session?.pages ?? [];
  const scanning = session?.scanning ? (progress ?? { page: session.scanning.page, fraction: session.scanning.fraction }) : null;
  const busy = scanning !== null || saving;
  const kept = pages.filter((p) => p.excluded === null).length;
  const letters = letterCount(pages);
  const placementIndex = placement.kind === 'append' ? -1 : pages.findIndex((p) => p.id === (placement.kind === 'insert' ? placement.before : placement.pageId));
  const placementNote = placementIndex < 0 ? null : t(placement.kind === 'insert' ? 'pindai.placement.insert' : 'pindai.placement.replace', { number: placementIndex + 1 });

  async function scan(request: ScanRequest) {
    setOutcome(null);
    setProgress(null);
    const result = await bridge.invoke('scan.start', { device: request.device, settings: request.settings, placement: placementIndex < 0 ? append : placement, ...(request.profileId ? { profileId: request.profileId } : {}) });
    if (!result.ok) return setOutcome({ kind: 'failed', error: result.error });
    setPlacement(append);
    if (request.profileId) profiles.reload();
  }

  async function act(action: PageAction) {
    setOutcome(null);
    const result = await (action.kind === 'move'
      ? bridge.invoke('scan.page.move', { pageId: action.pageId, toIndex: action.toIndex })
      : action.kind === 'rotate'
        ? bridge.invoke('scan.page.rotate', { pageId: action.pageId, turn: action.turn })
        : action.kind === 'split'
          ? bridge.invoke('scan.letter.split', { pageId: action.pageId, startsLetter: action.startsLetter })
          : bridge.invoke(action.kind === 'delete' ? 'scan.page.delete' : 'scan.page.restore', { pageId: action.pageId }));
    if (result.ok) setSession(result.value);
    else setOutcome({ kind: 'failed', error: result.error });
  }

  /** One download per page: main encodes each page on its own and hands it over in pieces. */
  async function downloadJpeg(request: JpegRequest) {
    setOutcome(null);
    setDownloading(request);
    const numbers = letterNumbers(pages);
    const pageIds = request.kind === 'page' ? [request.pageId] : pages.filter((_, i) => numbers[i] === request.letter).map((p) => p.id);
    try {
      for (const pageId of pageIds) {
        const result = await bridge.invoke('scan.page.jpeg', { pageId });
        if (!result.ok) return setOutcome({ kind: 'failed', error: result.error });
        const file = await receiveFile(bridge, result.value);
        if (!file.ok) return setOutcome({ kind: 'failed', error: file.error });
        const { fileName } = result.value;
        offerDownload(file.bytes, request.kind === 'letter' ? `surat-${request.letter}-${fileName}` : fileName, 'image/jpeg');
      }
    } finally {
      setDownloading(null);
    }
  }

  async function splitAtBlanks() {
    const result = await bridge.invoke('scan.letter.splitAtBlanks', {});
    if (result.ok) setSession(result.value);
    else setOutcome({ kind: 'failed', error: result.error });
  }

  async function save() {
    setSaving(true);
    setOutcome(null);
    const result = await bridge.invoke('scan.save', {});
    setSaving(false);
    if (!result.ok) return setOutcome({ kind: 'failed', error: result.error });
    setOutcome({ kind: 'saved', documentIds: result.value.letters.map((l) => l.documentId), pages: result.value.letters.reduce((n, l) => n + l.pageCount, 0), existed: result.value.letters.some((l) => l.existed) });
    rememberSaved(result.value.letters);
    setSavedFocus((n) => n + 1);
    setThumbnails({});
    setPlacement(append);
  }

  async function discard() {
    if (!window.confirm(t('pindai.discardConfirm', { count: pages.length }))) return;
    const result = await bridge.invoke('scan.discard', {});
    if (result.ok) {
      setSession(result.value);
      setThumbnails({});
      setOutcome(null);
    } else setOutcome({ kind: 'failed', error: result.error });
  }

  const fault = session?.fault ?? null;
  return (
    <section className="screen" data-testid="screen-pindai" aria-labelledby="pindai-title">
      <div className="screen-head">
        <h1 id="pindai-title" tabIndex={-1}>{t('pindai.title')}</h1>
        <p className="screen-sub">{t('pindai.subtitle')}</p>
      </div>
      <div className="pindai-layout">
        <div className="pindai-side">
          <ScanPanel
            scanners={scanners.value?.scanners}
            notes={scanners.value?.notes ?? []}
            refreshing={scanners.value?.refreshing ?? false}
            lastUsed={scanners.value?.lastUsed ?? null}
            mayTrust={network.value?.editable ?? false}
            scannersError={scanners.error}
            onReloadScanners={scanners.reload}
            profiles={profiles.value}
            onProfilesChanged={profiles.reload}
            scanning={scanning}
            onScan={(request) => void scan(request)}
            onCancel={() => void bridge.invoke('scan.cancel', {})}
          />
          <NetworkScanners remembered={network} onChanged={() => { network.reload(); scanners.reload(); }} />
        </div>
        <div className="pindai-stack">
          {fault && (
            <div className={fault.code === 'SCANNER_CANCELLED' ? 'notice notice-info' : 'notice notice-warn'} role="alert" data-testid="pindai-fault" data-code={fault.code}>
              {language === 'id' ? fault.message : `${errorText(fault, language)} (${t('pindai.pagesKept', { count: fault.pagesKept })})`}
            </div>
          )}
          {placementNote && (
            <p className="pindai-placement" data-testid="pindai-placement">
              {placementNote}{' '}
              <button type="button" className="button-link" onClick={() => setPlacement(append)}>{t('pindai.placement.clear')}</button>
            </p>
          )}
          {outcome?.kind === 'failed' && <div className="notice notice-error" role="alert" data-testid="pindai-error">{errorText(outcome.error, language)}</div>}
          {outcome?.kind === 'saved' && (
            <div className="notice notice-ok" role="status" data-testid="pindai-saved" data-document-ids={outcome.documentIds.join(' ')}>
              ✓ {t('pindai.saved', { count: outcome.documentIds.length, pages: outcome.pages })}
              {outcome.existed && <> {t('pindai.savedBefore')}</>}
            </div>
          )}
          <SavedLetters focusRequest={savedFocus} />
          <div className="pindai-toolbar">
            <p className="pindai-summary" data-testid="pindai-summary" data-session={session === undefined ? 'loading' : 'loaded'}>
              {pages.length === 0 ? t('pindai.empty') : t('pindai.summary', { pages: kept, letters, count: kept })}
              {pages.length > kept && <span className="pindai-left-out"> · {t('pindai.leftOut', { count: pages.length - kept })}</span>}
            </p>
            {pages.length > 0 && (
              <div className="pindai-toolbar-actions">
                {pages.some((p) => p.excluded === 'blank') && <button type="button" className="button-secondary" onClick={() => void splitAtBlanks()} disabled={busy} data-testid="pindai-split-blanks">{t('pindai.splitAtBlanks')}</button>}
                <button type="button" className="button-secondary" onClick={() => void discard()} disabled={busy}>{t('pindai.discard')}</button>
                <button type="button" className="button-primary" onClick={() => void save()} disabled={busy || kept === 0} data-testid="pindai-save">
                  {saving ? t('pindai.saving') : t('pindai.save', { count: letters })}
                </button>
              </div>
            )}
          </div>
          {pages.length === 0 && !scanning && <div className="pindai-empty"><p>{t('pindai.emptyHint')}</p></div>}
          {pages.length > 0 && <PageStack pages={pages} thumbnails={thumbnails} busy={busy} placement={placement} onAction={(a) => void act(a)} onPlace={setPlacement} downloading={downloading} onDownloadJpeg={(r) => void downloadJpeg(r)} />}
        </div>
      </div>
    </section>
  );
}
