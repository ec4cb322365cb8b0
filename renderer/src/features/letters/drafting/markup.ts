// The body editor's text and the letter's blocks, both ways: a clerk types plain text — paragraphs
// apart by an empty line, "1. " lines a numbered list, "| a | b |" lines a table (a "|---|" line
// under the first makes it the header), **tebal** and _miring_ — and the letter gets paragraphs,
// lists and tables with bold and italic runs.
import type { Block, Run } from '../../../../../common/ipc/drafting.ts';

const listLine = /^\s*\d+[.)]\s+/;
const tableLine = /^\s*\|.*\|\s*$/;
const headerRule = /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/;

/** "**a** _b_ c" → runs: bold a, italic b, plain c. */
export function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  const pattern = /\*\*(.+?)\*\*|(?<![\w])_(.+?)_(?![\w])/gs;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) runs.push({ text: text.slice(at, m.index) });
    runs.push(m[1] !== undefined ? { text: m[1], bold: true } : { text: m[2]!, italic: true });
    at = m.index + m[0].length;
  }
  if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at) });
  return runs;
}

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

export function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (listLine.test(lines[0]!)) {
      const items: string[] = [];
      for (const line of lines) {
        if (listLine.test(line)) items.push(line.replace(listLine, ''));
        else items[items.length - 1] += `\n${line.trim()}`;
      }
      blocks.push({ kind: 'list', items: items.map(runsOf) });
    } else if (lines.every((l) => tableLine.test(l))) {
      const header = lines.length > 1 && headerRule.test(lines[1]!);
      const rows = lines.filter((l) => !headerRule.test(l)).map((l) => cellsOf(l).slice(0, 8).map(runsOf));
      blocks.push({ kind: 'table', rows, ...(header ? { header: true } : {}) });
    } else {
      blocks.push({ kind: 'paragraph', runs: runsOf(lines.join('\n')) });
    }
  }
  return blocks;
}

function textOfRuns(runs: readonly Run[]): string {
  return runs.map((r) => (r.bold ? `**${r.text}**` : r.italic ? `_${r.text}_` : r.text)).join('');
}

export function textOf(blocks: readonly Block[]): string {
  return blocks.map((b) => {
    if (b.kind === 'paragraph') return textOfRuns(b.runs);
    if (b.kind === 'list') return b.items.map((item, i) => `${i + 1}. ${textOfRuns(item).replace(/\n/g, '\n   ')}`).join('\n');
    const rows = b.rows.map((row) => `| ${row.map(textOfRuns).join(' | ')} |`);
    if (b.header && rows.length > 0) rows.splice(1, 0, `|${b.rows[0]!.map(() => '---').join('|')}|`);
    return rows.join('\n');
  }).join('\n\n');
}
