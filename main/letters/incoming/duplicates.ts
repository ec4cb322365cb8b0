// Likely duplicates in the agenda: an earlier entry with the same sender and letter number, or
// one whose scanned text is nearly the same (the same letter scanned again gives different bytes
// but the same words). These are guesses: registering waits until the clerk has compared the
// earlier entry and decided, and void (batal) entries do not count.
import type { DuplicateWarning } from '../../../common/ipc/incoming.ts';
import type { LetterSummary } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';

/** Share of word triples two OCR texts must have in common to count as the same letter. */
const similarTextThreshold = 0.6;
/** Words used to find candidates: the longest distinct ones say most about a letter. */
const probeWords = 12;
const candidateLimit = 10;

function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
}

/** Consecutive word triples: robust to a misread character here and there, sensitive to different content. */
function shingles(text: string): Set<string> {
  const w = words(text);
  const set = new Set<string>();
  for (let i = 0; i + 2 < w.length; i++) set.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
  return set;
}

/** Jaccard similarity of two texts' word triples, 0–1. */
export function textSimilarity(a: string, b: string): number {
  const sa = shingles(a);
  const sb = shingles(b);
  if (sa.size === 0 || sb.size === 0) return 0;
  let shared = 0;
  for (const s of sa) if (sb.has(s)) shared++;
  return shared / (sa.size + sb.size - shared);
}

const warning = (reason: DuplicateWarning['reason'], l: LetterSummary): DuplicateWarning => ({
  reason, letterId: l.id, agendaLabel: l.agendaLabel, receivedDate: l.receivedDate, letterNumber: l.letterNumber, letterDate: l.letterDate,
  subject: l.subject, sender: l.sender, documentHash: l.documentHash,
});

export function findDuplicates(store: Store, probe: { sender: string; letterNumber: string; ocrText: string | null; excludeId?: string }): DuplicateWarning[] {
  const found = new Map<string, DuplicateWarning>();
  if (probe.sender.trim() !== '' && probe.letterNumber.trim() !== '') {
    for (const l of store.agenda.lettersWithNumber(probe.sender, probe.letterNumber)) {
      if (l.id !== probe.excludeId) found.set(l.id, warning('same-number', l));
    }
  }
  if (probe.ocrText !== null && probe.ocrText.trim() !== '') {
    const distinct = [...new Set(words(probe.ocrText).filter((w) => w.length >= 5 && !/^\d+$/.test(w)))];
    const probes = distinct.sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, probeWords);
    for (const { letter, ocrText } of store.agenda.textCandidates(probes, candidateLimit)) {
      if (letter.id === probe.excludeId || found.has(letter.id)) continue;
      if (textSimilarity(probe.ocrText, ocrText) >= similarTextThreshold) found.set(letter.id, warning('similar-text', letter));
    }
  }
  return [...found.values()];
}
