// The building blocks every capability's contract file uses: how a capability declares its channels,
// events and error codes, and the small schemas several of them share. Imports zod only.
import { z } from 'zod';

/** One invokable channel: the request the renderer sends and the reply main answers. */
export interface ChannelSpec {
  request: z.ZodType;
  reply: z.ZodType;
}
/** What a person reads for an error code: Bahasa Indonesia first (main's messages), English when chosen. */
export interface ErrorText {
  id: string;
  en: string;
}

/** A capability's part of the contract; index.ts composes them into the one contract. */
export interface Contract<
  C extends Record<string, ChannelSpec> = Record<string, ChannelSpec>,
  E extends Record<string, z.ZodType> = Record<string, z.ZodType>,
  R extends Record<string, ErrorText> = Record<string, ErrorText>,
> {
  readonly channels: C;
  readonly events: E;
  readonly errors: R;
}

/** Type-checks a capability's contract and keeps its literal types for the composition. */
export function defineContract<
  const C extends Record<string, ChannelSpec>,
  const E extends Record<string, z.ZodType>,
  const R extends Record<string, ErrorText>,
>(contract: Contract<C, E, R>): Contract<C, E, R> {
  return contract;
}

export const Empty = z.object({}).strict();

/**
 * A refusal carried inside a reply (why a person may not do something here), as opposed to a
 * failed call. Its code is one of the contract's error codes; main builds it from an AppError.
 */
export const RefusalSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Refusal = z.infer<typeof RefusalSchema>;

/**
 * A calendar date as the forms send it (YYYY-MM-DD), checked against the calendar. The messages
 * speak of the date as the clerk sees and types it (hh/bb/tttt): an empty one is "wajib diisi".
 */
export const isoDate = (what: string) => z.string({ error: `${what} wajib diisi` })
  .min(1, `${what} wajib diisi`)
  .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} harus berupa tanggal hh/bb/tttt, misalnya 05/12/2026`)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, `${what} bukan tanggal yang ada di kalender`);

export const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Isi berkas tidak terbaca');

/** A document id: the SHA-256 of an imported file or of a saved scan's PDF. */
export const DocumentIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'Dokumen surat belum dipilih atau tidak dikenal');

/** The id of a letter or another entity the desk made (UUIDv7, 36 characters). */
export const IdSchema = z.string().length(36);
