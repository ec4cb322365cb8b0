// Closing the desk while a letter is still being read: the OCR service closes (never waits for ever
// on a page Tesseract is reading or about to read), and the page's reading ends — a proposal, or
// OCR_FAILED — instead of hanging the registration that asked for it.
import { describe, expect, it } from 'vitest';
import { createOcrService } from '../../main/documents/ocr/ocr.ts';
import { scannedPdf, syntheticLetters } from '../support/synthetic-letters.ts';

describe('OCR service closed mid-reading', () => {
  it('closes while a page is being read, and that reading ends', async () => {
    const page = await scannedPdf(syntheticLetters()[0]!);
    for (let round = 0; round < 3; round++) {
      const ocr = createOcrService();
      const reading = ocr.recognizeFirstPage(page, 'application/pdf').then(() => 'read', (err: { code?: string }) => err.code);
      await ocr.close();
      expect(['read', 'OCR_FAILED']).toContain(await reading);
    }
  }, 60_000);

  it('closes while the rest of a page is read after its head was answered, and the page\'s reading ends', async () => {
    const page = await scannedPdf(syntheticLetters()[1]!);
    const ocr = createOcrService();
    const reading = ocr.readLetter(page, 'application/pdf');
    const head = await reading.head;
    expect(head.text).toContain('Nomor');
    const rest = reading.page.then(() => 'read', (err: { code?: string }) => err.code);
    await ocr.close();
    expect(['read', 'OCR_FAILED']).toContain(await rest);
  }, 60_000);
});
