// Where signing officials placed the signature stamp on letters without the template's anchor: per
// letter, and per layout (a fingerprint of the letter's first page, i.e. its template and sender), so
// the next letter of that layout is stamped at its signature block without asking again.
// Each place is one row of the key/value settings table (key `stamp.place:<letter|layout>:<id>`, JSON):
// the settings repository ignores keys it does not know, and places need no query but "this one".
import { z } from 'zod';
import type { RepositoryContext } from './store.ts';

const keyPrefix = 'stamp.place:';

const StampPlaceSchema = z.object({
  /** For a letter: its 1-based page. For a layout: pages counted back from the last (0 = the last page). */
  page: z.number().int().min(0),
  /** The stamp's lower-left corner, in PDF points from the page's lower-left corner. */
  x: z.number().min(0),
  y: z.number().min(0),
});
export type StoredStampPlace = z.infer<typeof StampPlaceSchema>;

export interface StampPlacesRepository {
  get(scope: 'letter' | 'layout', id: string): StoredStampPlace | undefined;
  /** Saves the place for the letter and, when its layout is known, for the layout; audited once. */
  save(place: { letterId: string; page: number; x: number; y: number; layout: { id: string; pageFromEnd: number } | null }, actor: string): void;
}

export function stampPlacesRepository(ctx: Omit<RepositoryContext, 'outbox'>): StampPlacesRepository {
  const { db, audit } = ctx;
  const select = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const upsert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  return {
    get(scope, id) {
      const raw = select.get(`${keyPrefix}${scope}:${id}`) as string | undefined;
      if (raw === undefined) return undefined;
      try {
        const parsed = StampPlaceSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    save({ letterId, page, x, y, layout }, actor) {
      const now = new Date().toISOString();
      db.transaction(() => {
        upsert.run(`${keyPrefix}letter:${letterId}`, JSON.stringify({ page, x, y }), now);
        if (layout !== null) upsert.run(`${keyPrefix}layout:${layout.id}`, JSON.stringify({ page: layout.pageFromEnd, x, y }), now);
        audit.append({ actor, action: 'letter.stamp_placed', entity: 'letter', entityId: letterId, details: { page, x: Math.round(x), y: Math.round(y), layout: layout?.id ?? null } });
      })();
    },
  };
}
