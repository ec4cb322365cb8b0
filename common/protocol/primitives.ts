// The values the sync protocol's messages are built from (ids, hashes, dates, bounded text) and the
// shapes every capability's messages share: a mutation, a change-feed row, an outbox entry.
// Imports zod only.
import { z } from 'zod';

export const Uuid7 = z.uuid({ version: 'v7' });
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 in lowercase hex');
export const IsoDate = z.iso.date();
export const IsoDateTime = z.iso.datetime({ offset: true });
/** PostgreSQL cannot store U+0000 in text: such a value is refused with a reason instead of failing the whole push. */
const withoutNul = (s: string) => !s.includes('\u0000');
const nulMessage = 'mengandung karakter NUL yang tidak dapat disimpan';
/** Text a person typed: trimmed, at most `max` characters. */
export const Text = (max: number) => z.string().trim().max(max).refine(withoutNul, nulMessage);
/** Longest file name carried to show, in characters (as the desk shortens a picked file's name). */
export const fileNameMaxChars = 200;
/**
 * A file's name as the person picked it, carried only to be shown (never used as a path): one to 200
 * characters, without path separators, control characters or direction overrides (which could show
 * "laporan.exe" as "laporan.pdf").
 */
export const FileName = z.string().trim().min(1)
  .refine((s) => [...s].length <= fileNameMaxChars, `nama berkas paling banyak ${fileNameMaxChars} karakter`)
  .refine((s) => !/[/\\\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.test(s), 'nama berkas tidak boleh memuat garis miring, garis miring terbalik atau karakter kendali');
/** Ids the server makes for offices, users, positions. */
export const ServerId = z.string().min(1).max(100).refine(withoutNul, nulMessage);
/** Other text the server stores as it is (names of actions, targets). */
export const PlainText = (max: number) => z.string().max(max).refine(withoutNul, nulMessage);

/** The agenda book a letter is numbered in: incoming ('in') or outgoing ('out'). */
export const Book = z.enum(['in', 'out']);
export type Book = z.infer<typeof Book>;

/** One mutation a desk pushes: its client-made id (applied at most once), its kind and its payload. */
export function mutation<K extends string, P extends z.ZodType>(kind: K, payload: P) {
  return z.object({ id: Uuid7, kind: z.literal(kind), payload }).strict();
}

/** One row of the change feed as the server writes it (the cursor `seq` is added when it is read). */
export function feedRow<E extends string, D extends z.ZodType>(entity: E, data: D) {
  return z.object({ entity: z.literal(entity), entityId: z.string().min(1), op: z.literal('upsert'), data });
}

/** A desk's outbox entry of one entity and op, with the payload the desk stored with its change. */
export function outboxEntry<E extends string, O extends string, P extends z.ZodType>(entity: E, op: O, payload: P) {
  return z.object({ entity: z.literal(entity), op: z.literal(op), payload });
}
