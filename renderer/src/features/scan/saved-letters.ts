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

/**
 * What main says waits (after a restart, or saved in another window) joins the list. Letters this
 * window saved stay: the one just registered is shown with its agenda number once main confirms it.
 */
export function addWaiting(waiting: ReadonlyArray<{ documentId: string; pageCount: number }>): void {
  const known = new Set(letters.map((l) => l.documentId));
  const added = waiting.filter((w) => !known.has(w.documentId));
  if (added.length > 0) publish([...added.map(({ documentId, pageCount }) => ({ documentId, pageCount, registeredAs: null })), ...letters]);
}

/** A letter discarded ("Buang") leaves the list. */
export function forgetSaved(documentId: string): void {
  publish(letters.filter((l) => l.documentId !== documentId));
}

export function markRegistration(documentId: string, registeredAs: Registration): void {
  publish(letters.map((l) => (l.documentId === documentId ? { ...l, registeredAs } : l)));
}
