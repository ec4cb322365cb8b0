// The letters saved from scans, with whether each has its agenda entry yet. Main keeps those waiting
// across restarts (scan.waiting); this list adds what this window saw registered since, and is kept
// outside the Pindai screen because the clerk leaves it for Catat and comes back: the screen
// unmounts meanwhile, this list does not. A new save adds its letters and drops those registered.
import { useSyncExternalStore } from 'react';
import type { ReplyOf } from '../../../../common/ipc/index.ts';

type Registration = NonNullable<ReplyOf<'letters.document'>['registeredAs']>;

export interface SavedLetter {
  readonly documentId: string;
  readonly pageCount: number;
  /** null until main says the document has an agenda entry. */
  readonly registeredAs: Registration | null;
}

let letters: readonly SavedLetter[] = [];
const listeners = new Set<() => void>();

function publish(next: readonly SavedLetter[]) {
  letters = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSavedLetters(): readonly SavedLetter[] {
  return useSyncExternalStore(subscribe, () => letters);
}

export function savedLetters(): readonly SavedLetter[] {
  return letters;
}

export function rememberSaved(saved: ReadonlyArray<{ documentId: string; pageCount: number }>): void {
  const fresh = new Set(saved.map((l) => l.documentId));
  const waiting = letters.filter((l) => l.registeredAs === null && !fresh.has(l.documentId));
  publish([...waiting, ...saved.map(({ documentId, pageCount }) => ({ documentId, pageCount, registeredAs: null }))]);
}

/** What main says waits (after a restart, or another window's work): those join, discarded ones leave. */
export function syncWaiting(waiting: ReadonlyArray<{ documentId: string; pageCount: number }>): void {
  const ids = new Set(waiting.map((w) => w.documentId));
  const kept = letters.filter((l) => l.registeredAs !== null || ids.has(l.documentId));
  const known = new Set(kept.map((l) => l.documentId));
  publish([...waiting.filter((w) => !known.has(w.documentId)).map(({ documentId, pageCount }) => ({ documentId, pageCount, registeredAs: null })), ...kept]);
}

export function markRegistration(documentId: string, registeredAs: Registration): void {
  publish(letters.map((l) => (l.documentId === documentId ? { ...l, registeredAs } : l)));
}
