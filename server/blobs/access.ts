// Who may use a blob: the offices holding it (they uploaded its bytes themselves) and the offices sent
// a letter carrying it. Knowing a blob's SHA-256 is not enough to read it, nor to attach it to a letter.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Which of `shas` `officeId` may read and attach to its letters. */
export async function blobsUsableBy(db: Kysely<Database> | Transaction<Database>, officeId: string, shas: readonly string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const held = await db.selectFrom('blob_holders').select('sha256')
    .where('office_id', '=', officeId).where('complete', '=', 1).where('sha256', 'in', shas).execute();
  const usable = new Set(held.map((h) => h.sha256));
  const rest = shas.filter((s) => !usable.has(s));
  if (rest.length === 0) return usable;
  const delivered = await db.selectFrom('letter_attachments')
    .innerJoin('deliveries', 'deliveries.letter_id', 'letter_attachments.letter_id')
    .select('letter_attachments.sha256')
    .where('deliveries.to_office_id', '=', officeId).where('letter_attachments.sha256', 'in', rest).execute();
  for (const d of delivered) usable.add(d.sha256);
  return usable;
}
