// Two versions of a draft compared field by field, word by word (the longest common subsequence of
// their words), so a verifier or drafter sees what changed between what they read and what came back.
import type { Block, DraftContent, Run } from '../../../common/ipc/drafting.ts';
import type { FieldDiff } from '../../../common/ipc/paraf.ts';

type Piece = FieldDiff['pieces'][number];

/** Beyond this many word pairs a field is shown as replaced whole rather than compared word by word. */
const maxCells = 4_000_000;

const runsText = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

function blockText(b: Block): string {
  if (b.kind === 'paragraph') return runsText(b.runs);
  if (b.kind === 'list') return b.items.map((item, i) => `${i + 1}. ${runsText(item)}`).join('\n');
  return b.rows.map((row) => row.map(runsText).join(' | ')).join('\n');
}

const fields: readonly { field: string; label: string; text(c: DraftContent): string }[] = [
  { field: 'hal', label: 'Hal', text: (c) => c.hal },
  { field: 'sifat', label: 'Sifat', text: (c) => c.sifat },
  { field: 'lampiran', label: 'Lampiran', text: (c) => c.lampiran },
  { field: 'addressees', label: 'Yth.', text: (c) => c.addressees.join('\n') },
  { field: 'from', label: 'Dari', text: (c) => c.from },
  { field: 'tembusan', label: 'Tembusan', text: (c) => c.tembusan.join('\n') },
  { field: 'body', label: 'Isi surat', text: (c) => c.body.map(blockText).join('\n\n') },
  { field: 'signer', label: 'Penanda tangan', text: (c) => [c.signer.position, c.signer.name, c.signer.rank, c.signer.nip].filter((x) => x !== '').join('\n') },
];

/** Words and the whitespace after each, so joining the pieces gives the text back. */
const tokens = (s: string): string[] => s.match(/\S+\s*|\s+/g) ?? [];

function push(out: Piece[], text: string, op: Piece['op']): void {
  const last = out.at(-1);
  if (last?.op === op) last.text += text;
  else out.push({ text, op });
}

/** The pieces that turn `before` into `after`: same, removed, added, in reading order. */
export function wordDiff(before: string, after: string): Piece[] {
  if (before === after) return before === '' ? [] : [{ text: before, op: 'same' }];
  const a = tokens(before);
  const b = tokens(after);
  const out: Piece[] = [];
  if (a.length * b.length > maxCells) {
    if (before !== '') out.push({ text: before, op: 'removed' });
    if (after !== '') out.push({ text: after, op: 'added' });
    return out;
  }
  // lcs[i][j]: the longest common run of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i]!.trimEnd() === b[j]!.trimEnd() ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.trimEnd() === b[j]!.trimEnd()) { push(out, b[j]!, 'same'); i++; j++; }
    else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) push(out, a[i++]!, 'removed');
    else push(out, b[j++]!, 'added');
  }
  while (i < a.length) push(out, a[i++]!, 'removed');
  while (j < b.length) push(out, b[j++]!, 'added');
  return out;
}

/** Every field of the letter, compared; unchanged ones say so. */
export function compareDrafts(before: DraftContent, after: DraftContent): FieldDiff[] {
  return fields.map(({ field, label, text }) => {
    const pieces = wordDiff(text(before), text(after));
    return { field, label, changed: pieces.some((p) => p.op !== 'same'), pieces };
  });
}
