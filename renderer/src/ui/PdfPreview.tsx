// The letter's PDF beside the form or the entry: pages drawn by pdf.js into a canvas, in the
// renderer (main only hands over the bytes). Page keys: PageUp / PageDown while the preview has focus.
// A screen may lay something over the page drawn (Tanda Tangan: where the stamp goes), placed in PDF
// points through the page's geometry. pdf.js, the largest part of the renderer, is its own chunk,
// fetched the first time a PDF is shown rather than with the first screen.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Pdfjs from 'pdfjs-dist';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useBridge } from '../bridge/hooks.ts';
import type { FileRef } from '../../../common/ipc/documents.ts';
import { receiveFile } from '../files/transfer.ts';

let pdfjs: Promise<typeof Pdfjs> | undefined;
function loadPdfjs(): Promise<typeof Pdfjs> {
  pdfjs ??= import('pdfjs-dist').then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return lib;
  });
  return pdfjs;
}

/** The page drawn: its number, its height in PDF points, and CSS pixels per point. */
export interface PageGeometry {
  page: number;
  heightPt: number;
  scale: number;
}

/** What to show: a letter's PDF by its document id, or a file main handed out (a draft's preview). */
type PdfSource = { documentId: string; file?: undefined } | { documentId?: undefined; file: FileRef };

export function PdfPreview({ documentId, file, overlay, startPage }: PdfSource & { overlay?: (geometry: PageGeometry) => ReactNode; startPage?: number }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | undefined>();
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);
  /** The page last drawn completely (0: none yet), for screen readers' busy state and for tests. */
  const [drawn, setDrawn] = useState(0);
  const [geometry, setGeometry] = useState<PageGeometry | null>(null);
  /** The page to open on, read once per document. */
  const firstPage = useRef(startPage);

  useEffect(() => {
    let cancelled = false;
    let task: PDFDocumentLoadingTask | undefined;
    setPdf(undefined);
    setPage(1);
    setGeometry(null);
    setFailed(false);
    setDrawn(0);
    const ref = file !== undefined ? Promise.resolve({ ok: true as const, value: file }) : bridge.invoke('letters.pdf', { documentId: documentId! });
    void ref.then(async (result) => {
      if (cancelled) return;
      if (!result.ok) { setFailed(true); return; }
      const received = await receiveFile(bridge, result.value);
      if (cancelled) return;
      if (!received.ok) { setFailed(true); return; }
      try {
        const { getDocument } = await loadPdfjs();
        if (cancelled) return;
        task = getDocument({ data: received.bytes });
        const loaded = await task.promise;
        if (!cancelled) {
          setPdf(loaded);
          if (firstPage.current !== undefined) setPage(Math.min(Math.max(1, firstPage.current), loaded.numPages));
        }
      } catch {
        if (!cancelled) setFailed(true);
      }
    });
    return () => { cancelled = true; void task?.destroy(); };
  }, [bridge, documentId, file]);

  useEffect(() => {
    if (!pdf || !canvas.current) return;
    const target = canvas.current;
    let task: ReturnType<Awaited<ReturnType<PDFDocumentProxy['getPage']>>['render']> | undefined;
    void pdf.getPage(page).then((p) => {
      const width = target.parentElement?.clientWidth ?? 600;
      const base = p.getViewport({ scale: 1 });
      const viewport = p.getViewport({ scale: (width / base.width) * window.devicePixelRatio });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      target.style.width = `${Math.floor(viewport.width / window.devicePixelRatio)}px`;
      task = p.render({ canvas: target, viewport });
      task.promise.then(() => {
        setDrawn(page);
        setGeometry({ page, heightPt: base.height, scale: Math.floor(viewport.width / window.devicePixelRatio) / base.width });
      }, () => undefined);
    });
    return () => task?.cancel();
  }, [pdf, page]);

  if (failed) return <p className="notice notice-error" data-testid="pdf-preview-failed">{t('suratMasuk.preview.failed')}</p>;
  const pages = pdf?.numPages ?? 0;
  return (
    <figure
      className="sm-preview"
      tabIndex={0}
      aria-label={t('suratMasuk.preview.label')}
      aria-busy={drawn !== page}
      data-testid="pdf-preview"
      data-pages={pages}
      data-drawn={drawn}
      onKeyDown={(e) => {
        if (e.key === 'PageDown' && page < pages) { e.preventDefault(); setPage(page + 1); }
        if (e.key === 'PageUp' && page > 1) { e.preventDefault(); setPage(page - 1); }
      }}
    >
      <div className="sm-preview-page">
        <canvas ref={canvas} data-testid="pdf-canvas" />
        {overlay && geometry?.page === page && drawn === page && overlay(geometry)}
      </div>
      {pages > 1 && (
        <figcaption className="sm-preview-nav">
          <button type="button" className="button-secondary" tabIndex={-1} disabled={page <= 1} onClick={() => setPage(page - 1)}>‹</button>
          <span>{t('suratMasuk.preview.page', { page, pages })}</span>
          <button type="button" className="button-secondary" tabIndex={-1} disabled={page >= pages} onClick={() => setPage(page + 1)}>›</button>
        </figcaption>
      )}
    </figure>
  );
}
