// The scanned pages as thumbnails, in stack order. A click on a thumbnail (or Enter on a focused
// page) opens it large (PageViewer); closing it puts the focus back on that page. Reorder by dragging a page, or with the
// keyboard (focus a page, Alt + ← / →); turn, delete or restore a page, rescan in front of it or
// in its place, mark where a new letter begins, and download a page (or a whole letter) as JPG. Pages left out (blank separator sheets, deleted
// pages) stay visible, dimmed, with a restore button: nothing disappears silently.
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanPage, ScanPlacement } from '../../../../common/ipc/scan.ts';
import { PageViewer } from './PageViewer.tsx';
import { letterNumbers } from './stack.ts';

export type PageAction =
  | { kind: 'move'; pageId: string; toIndex: number }
  | { kind: 'rotate'; pageId: string; turn: 'left' | 'right' }
  | { kind: 'delete' | 'restore'; pageId: string }
  | { kind: 'split'; pageId: string; startsLetter: boolean };

/** A kept page, or every page of one letter, as JPG files (one regulation asks for JPG per page). */
export type JpegRequest = { kind: 'page'; pageId: string } | { kind: 'letter'; letter: number };

interface Props {
  pages: ScanPage[];
  thumbnails: Record<string, string>;
  busy: boolean;
  placement: ScanPlacement;
  onAction(action: PageAction): void;
  onPlace(placement: ScanPlacement): void;
  /** The JPG download being prepared, if any. */
  downloading: JpegRequest | null;
  onDownloadJpeg(request: JpegRequest): void;
}

export function PageStack({ pages, thumbnails, busy, placement, onAction, onPlace, downloading, onDownloadJpeg }: Props) {
  const { t } = useTranslation();
  const letters = letterNumbers(pages);
  const [dragged, setDragged] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const items = useRef(new Map<string, HTMLLIElement>());
  const refocus = useRef<string | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);

  function closeViewer() {
    const shown = viewing === null ? undefined : pages[viewing];
    setViewing(null);
    if (shown !== undefined) items.current.get(shown.id)?.focus();
  }

  // After a keyboard move the page re-renders in its new place: keep the focus on it.
  useEffect(() => {
    if (refocus.current === null) return;
    items.current.get(refocus.current)?.focus();
    refocus.current = null;
  }, [pages]);

  function move(pageId: string, toIndex: number) {
    if (toIndex < 0 || toIndex >= pages.length) return;
    onAction({ kind: 'move', pageId, toIndex });
    setAnnouncement(t('pindai.page.moved', { position: toIndex + 1, total: pages.length }));
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>, pageId: string, index: number) {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' && !event.altKey) {
      event.preventDefault();
      setViewing(index);
      return;
    }
    if (!event.altKey || busy) return;
    const step = event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : 0;
    if (step === 0) return;
    event.preventDefault();
    refocus.current = pageId;
    move(pageId, index + step);
  }

  function onDrop(event: DragEvent, index: number) {
    event.preventDefault();
    const pageId = dragged ?? event.dataTransfer.getData('text/plain');
    setDragged(null);
    setDropAt(null);
    const from = pages.findIndex((p) => p.id === pageId);
    if (from < 0 || from === index) return;
    move(pageId, index);
  }

  return (
    <>
      <p className="field-hint pindai-keyboard-hint" id="pindai-reorder-hint">{t('pindai.page.reorderHint')} {t('pindai.page.viewHint')}</p>
      <ol className="pindai-pages" aria-describedby="pindai-reorder-hint" data-testid="pindai-pages">
        {pages.map((page, index) => {
          const letter = letters[index] ?? null;
          const startsLetter = letter !== null && (letter === 1 ? letters.indexOf(1) === index : page.startsLetter);
          const target = (placement.kind === 'insert' && placement.before === page.id) || (placement.kind === 'replace' && placement.pageId === page.id);
          const classes = ['pindai-page', page.excluded ? 'excluded' : '', dragged === page.id ? 'dragging' : '', dropAt === index ? 'drop-target' : '', target ? 'placement-target' : ''].filter(Boolean).join(' ');
          const label = t('pindai.page.label', { number: index + 1 });
          return (
            <li
              key={page.id}
              ref={(el) => { if (el) items.current.set(page.id, el); else items.current.delete(page.id); }}
              className={classes}
              tabIndex={0}
              aria-label={`${label}${page.excluded ? ` — ${t(`pindai.page.excluded.${page.excluded}`)}` : ''}`}
              data-testid="pindai-page"
              data-page-id={page.id}
              data-excluded={page.excluded ?? ''}
              draggable={!busy}
              onDragStart={(e) => { setDragged(page.id); e.dataTransfer.setData('text/plain', page.id); e.dataTransfer.effectAllowed = 'move'; }}
              onDragEnd={() => { setDragged(null); setDropAt(null); }}
              onDragOver={(e) => { e.preventDefault(); setDropAt(index); }}
              onDrop={(e) => onDrop(e, index)}
              onKeyDown={(e) => onKeyDown(e, page.id, index)}
            >
              <div className="pindai-page-head">
                <span className="pindai-page-number">{index + 1}</span>
                {startsLetter && <span className="pindai-letter-badge">{t('pindai.page.letter', { number: letter })}</span>}
                {page.blank && page.excluded === null && <span className="pindai-blank-badge">{t('pindai.page.blankKept')}</span>}
              </div>
              <div className="pindai-thumb">
                {thumbnails[page.id]
                  ? <img src={thumbnails[page.id]} alt="" draggable={false} onClick={() => setViewing(index)} title={t('pindai.page.viewLarge')} data-testid="pindai-page-thumb" />
                  : <span className="pindai-thumb-missing">{t('common.loading')}</span>}
                {page.excluded && (
                  <div className="pindai-excluded-note">
                    <span>{t(`pindai.page.excluded.${page.excluded}`)}</span>
                    <button type="button" className="button-secondary" onClick={() => onAction({ kind: 'restore', pageId: page.id })} disabled={busy} data-testid="pindai-page-restore">{t('pindai.page.restore')}</button>
                  </div>
                )}
              </div>
              <div className="pindai-page-tools" role="group" aria-label={t('pindai.page.tools', { number: index + 1 })}>
                <button type="button" className="tool" onClick={() => onAction({ kind: 'rotate', pageId: page.id, turn: 'left' })} disabled={busy} title={t('pindai.page.rotateLeft')} aria-label={t('pindai.page.rotateLeft')} data-testid="pindai-page-rotate-left">↺</button>
                <button type="button" className="tool" onClick={() => onAction({ kind: 'rotate', pageId: page.id, turn: 'right' })} disabled={busy} title={t('pindai.page.rotateRight')} aria-label={t('pindai.page.rotateRight')} data-testid="pindai-page-rotate-right">↻</button>
                <button type="button" className="tool" onClick={() => move(page.id, index - 1)} disabled={busy || index === 0} title={t('pindai.page.moveLeft')} aria-label={t('pindai.page.moveLeft')}>←</button>
                <button type="button" className="tool" onClick={() => move(page.id, index + 1)} disabled={busy || index === pages.length - 1} title={t('pindai.page.moveRight')} aria-label={t('pindai.page.moveRight')}>→</button>
                {page.excluded === null && (
                  <button type="button" className="tool tool-danger" onClick={() => onAction({ kind: 'delete', pageId: page.id })} disabled={busy} title={t('pindai.page.delete')} aria-label={t('pindai.page.delete')} data-testid="pindai-page-delete">✕</button>
                )}
              </div>
              <div className="pindai-page-more">
                <button type="button" className="button-link" onClick={() => onPlace({ kind: 'insert', before: page.id })} disabled={busy} data-testid="pindai-page-insert">{t('pindai.page.insertBefore')}</button>
                <button type="button" className="button-link" onClick={() => onPlace({ kind: 'replace', pageId: page.id })} disabled={busy} data-testid="pindai-page-replace">{t('pindai.page.replace')}</button>
                {page.excluded === null && (
                  <button type="button" className="button-link" onClick={() => onDownloadJpeg({ kind: 'page', pageId: page.id })} disabled={busy || downloading !== null} aria-label={t('pindai.page.downloadJpgLabel', { number: index + 1 })} data-testid="pindai-page-jpeg">
                    {downloading?.kind === 'page' && downloading.pageId === page.id ? t('pindai.page.preparingJpg') : t('pindai.page.downloadJpg')}
                  </button>
                )}
                {startsLetter && (
                  <button type="button" className="button-link" onClick={() => onDownloadJpeg({ kind: 'letter', letter })} disabled={busy || downloading !== null} data-testid="pindai-letter-jpeg">
                    {downloading?.kind === 'letter' && downloading.letter === letter ? t('pindai.page.preparingJpg') : t('pindai.page.downloadLetterJpg', { number: letter })}
                  </button>
                )}
                {page.excluded === null && index > 0 && letters.slice(0, index).some((l) => l !== null) && (
                  <label className="pindai-split">
                    <input type="checkbox" checked={page.startsLetter} onChange={(e) => onAction({ kind: 'split', pageId: page.id, startsLetter: e.target.checked })} disabled={busy} data-testid="pindai-page-split" />
                    {t('pindai.page.startsLetter')}
                  </label>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">{announcement}</p>
      {viewing !== null && <PageViewer pages={pages} index={Math.min(viewing, pages.length - 1)} onIndex={setViewing} onClose={closeViewer} />}
    </>
  );
}
