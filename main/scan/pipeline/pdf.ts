// The letter's PDF from processed pages, in the order given. Each page is the paper's size (from
// the scan resolution) turned by the page's rotation. Images go in as they were encoded: 1-bit
// pages as a Flate image XObject with BitsPerComponent 1 written directly (pdf-lib's embedPng
// would inflate them to 8-bit RGB), JPEG pages as DCT streams.
import { concatTransformationMatrix, drawObject, PDFDocument, PDFName, popGraphicsState, pushGraphicsState, type PDFRef } from 'pdf-lib';
import { embedImage } from '../../documents/embed-image.ts';
import type { PdfOptions, ProcessedPage } from './types.ts';

async function imageRef(pdf: PDFDocument, page: ProcessedPage): Promise<PDFRef> {
  const image = page.image;
  if (image.format === 'jpeg') return (await embedImage(pdf, image.data, 'jpeg')).ref;
  const stream = pdf.context.stream(image.data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: image.width,
    Height: image.height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Filter: 'FlateDecode',
  });
  return pdf.context.register(stream);
}

export async function buildPdf(pages: ProcessedPage[], options: PdfOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setProducer('Loket');
  pdf.setCreator('Loket — pindai');
  if (options.title !== undefined) pdf.setTitle(options.title);
  for (const [i, page] of pages.entries()) {
    const { width: w, height: h } = page.pageSize;
    const sideways = page.rotation === 90 || page.rotation === 270;
    const pdfPage = pdf.addPage(sideways ? [h, w] : [w, h]);
    const name = `Scan${i + 1}`;
    pdfPage.node.setXObject(PDFName.of(name), await imageRef(pdf, page));
    // The image's unit square onto the page, turned clockwise by the rotation (PDF y points up).
    const matrix: [number, number, number, number, number, number] =
      page.rotation === 90 ? [0, -w, h, 0, 0, w]
        : page.rotation === 180 ? [-w, 0, 0, -h, w, h]
          : page.rotation === 270 ? [0, w, -h, 0, h, 0]
            : [w, 0, 0, h, 0, 0];
    pdfPage.pushOperators(pushGraphicsState(), concatTransformationMatrix(...matrix), drawObject(name), popGraphicsState());
  }
  return pdf.save({ useObjectStreams: true });
}
