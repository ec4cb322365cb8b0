// The body editor's plain text as the letter reads it: paragraphs, numbered lists, tables with a
// header, bold and italic — and back to the same text when a draft is opened again.
import { describe, expect, it } from 'vitest';
import { blocksOf, runsOf, textOf } from '../../renderer/src/features/letters/drafting/markup.ts';

describe('the body editor', () => {
  it('reads paragraphs, a numbered list and a table with a header', () => {
    const text = 'Dengan hormat, kami sampaikan **hal penting** berikut:\n\n1. Pertama\n2. Kedua _sekali_\n   lanjutan\n\n| No. | Nama |\n|---|---|\n| 1. | Rina |\n\nDemikian.';
    expect(blocksOf(text)).toEqual([
      { kind: 'paragraph', runs: [{ text: 'Dengan hormat, kami sampaikan ' }, { text: 'hal penting', bold: true }, { text: ' berikut:' }] },
      { kind: 'list', items: [[{ text: 'Pertama' }], [{ text: 'Kedua ' }, { text: 'sekali', italic: true }, { text: '\nlanjutan' }]] },
      { kind: 'table', header: true, rows: [[[{ text: 'No.' }], [{ text: 'Nama' }]], [[{ text: '1.' }], [{ text: 'Rina' }]]] },
      { kind: 'paragraph', runs: [{ text: 'Demikian.' }] },
    ]);
  });

  it('leaves underscores inside words and placeholders alone', () => {
    expect(runsOf('${hal_rujukan} dan nama_file')).toEqual([{ text: '${hal_rujukan} dan nama_file' }]);
  });

  it('writes a body back as the text it was read from', () => {
    const text = 'Paragraf **tebal** dan _miring_.\n\n1. Satu\n2. Dua\n\n| A | B |\n|---|---|\n| 1 | 2 |';
    expect(textOf(blocksOf(text))).toBe(text);
    expect(blocksOf(textOf(blocksOf(text)))).toEqual(blocksOf(text));
  });
});
