// A scanned page viewed large, for a clerk checking that it is legible before the letter is saved:
// the page at its scan resolution, fitted to the window or zoomed (+ / − / 0, or the buttons), the
// next and previous page with → / ← (or PageDown / PageUp), and Esc to close (the stack then puts
// the focus back on the page's thumbnail).
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../../../common/ipc/index.ts';
import type { ScanPage } from '../../../../common/ipc/scan.ts';
import { useBridge } from '../../bridge/hooks.ts';
import { receiveFile } from '../../files/transfer.ts';
import { currentLanguage, errorText } from '../../i18n/index.ts';

const zoomSteps = [1, 1.5, 2, 3, 4] as const;

interface Props {
  pages: ScanPage[];
  index: number;
  onIndex(index: number): void;
  onClose(): void;
}

export function PageViewer({ pages, index, onIndex, onClose }: Props) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const dialog = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(0);
  const [image, setImage] = useState<{ pageId: string; url: string } | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const page = pages[index];
  const pageId = page?.id;

  useEffect(() => { dialog.current?.focus(); }, []);

  useEffect(() => {
    if (pageId === undefined) return;
    let alive = true;
    let url: string | null = null;
    setFailure(null);
    void bridge.invoke('scan.page.view', { pageId }).then(async (ref) => {
      if (!ref.ok) return alive && setFailure(ref.error);
      const file = await receiveFile(bridge, ref.value);
      if (!alive) return;
      if (!file.ok) return setFailure(file.error);
      url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
      setImage({ pageId, url });
    });
    return () => {
      alive = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [bridge, pageId]);

  function go(step: number) {
    const next = index + step;
    if (next >= 0 && next < pages.length) onIndex(next);
  }

  function onKeyDown(event: KeyboardEvent) {
    const keys: Record<string, () => void> = {
      Escape: onClose,
      ArrowRight: () => go(1),
      PageDown: () => go(1),
      ArrowLeft: () => go(-1),
      PageUp: () => go(-1),
      '+': () => setZoom((z) => Math.min(zoomSteps.length - 1, z + 1)),
      '=': () => setZoom((z) => Math.min(zoomSteps.length - 1, z + 1)),
      '-': () => setZoom((z) => Math.max(0, z - 1)),
      '0': () => setZoom(0),
    };
    const act = keys[event.key];
    if (act === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    act();
  }

  if (page === undefined) return null;
  const shown = image?.pageId === page.id ? image.url : null;
  const scale = zoomSteps[zoom] ?? 1;
  return (
    <div className="pindai-viewer-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div ref={dialog} className="pindai-viewer" role="dialog" aria-modal="true" aria-labelledby="pindai-viewer-title" tabIndex={-1} onKeyDown={onKeyDown} data-testid="pindai-viewer">
        <div className="pindai-viewer-head">
          <h2 id="pindai-viewer-title" data-testid="pindai-viewer-title">{t('pindai.viewer.title', { number: index + 1, total: pages.length })}</h2>
          {page.excluded && <span className="pindai-blank-badge">{t(`pindai.page.excluded.${page.excluded}`)}</span>}
          <div className="pindai-viewer-tools" role="group" aria-label={t('pindai.viewer.tools')}>
            <button type="button" className="button-secondary" onClick={() => go(-1)} disabled={index === 0} data-testid="pindai-viewer-previous">← {t('pindai.viewer.previous')}</button>
            <button type="button" className="button-secondary" onClick={() => go(1)} disabled={index === pages.length - 1} data-testid="pindai-viewer-next">{t('pindai.viewer.next')} →</button>
            <button type="button" className="button-secondary" onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0} aria-label={t('pindai.viewer.zoomOut')} title={t('pindai.viewer.zoomOut')}>−</button>
            <span className="pindai-viewer-zoom" data-testid="pindai-viewer-zoom">{zoom === 0 ? t('pindai.viewer.fit') : `${Math.round(scale * 100)}%`}</span>
            <button type="button" className="button-secondary" onClick={() => setZoom((z) => Math.min(zoomSteps.length - 1, z + 1))} disabled={zoom === zoomSteps.length - 1} aria-label={t('pindai.viewer.zoomIn')} title={t('pindai.viewer.zoomIn')} data-testid="pindai-viewer-zoom-in">+</button>
            <button type="button" className="button-primary" onClick={onClose} data-testid="pindai-viewer-close">{t('pindai.viewer.close')}</button>
          </div>
        </div>
        <p className="field-hint">{t('pindai.viewer.keys')}</p>
        <div className="pindai-viewer-body" data-testid="pindai-viewer-body">
          {failure && <p className="notice notice-error" role="alert">{errorText(failure, currentLanguage())}</p>}
          {!failure && shown === null && <p className="field-hint">{t('common.loading')}</p>}
          {shown !== null && (
            <img
              src={shown}
              alt={t('pindai.viewer.alt', { number: index + 1 })}
              data-testid="pindai-viewer-image"
              style={zoom === 0 ? undefined : { width: `${scale * 100}%` }}
              className={zoom === 0 ? 'fit' : 'zoomed'}
            />
          )}
        </div>
      </div>
    </div>
  );
}
