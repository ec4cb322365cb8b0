// Who may read a classified (rahasia) letter's details, and what everyone else of the office gets
// instead. The change feed is written once per office; this is applied when a person pulls it and when
// a person asks for a scan, so a change of who is entitled (a new disposition, a transfer) applies from
// then on without rewriting the feed.
//
// Entitled to a rahasia letter's details (sender, addressee, subject, summary, the letter's own number,
// the void reason, the scan hashes) and its scans:
//   - the office's front office (admin kantor, operator utama), who registered it or must register it,
//   - the person who registered it (an outgoing letter is registered by its signing official),
//   - the head of the office (whoever holds a Kepala position now, definitive or delegated),
//   - the holders, now, of the positions it was disposed to or from (tembusan included).
// Everyone else of the office gets a placeholder row: its agenda number, dates, urgency and archive
// code, subject "Surat rahasia", nothing else. A placeholder rather than nothing, because the agenda
// book shows every number it gave (a missing one reads as a lost letter), and because a placeholder
// row replaces details a desk received while the letter was still biasa or terbatas; an absent row
// would leave them there. Terbatas letters stay within the office, as the feed already is.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Trx } from './writes.ts';
import type { CurrentUser } from '../http/context.ts';
import type { Change } from '../../common/protocol/index.ts';
import type { LetterData } from '../../common/protocol/letters.ts';
import { heldPositions } from '../positions/holdings.ts';

type Db = Kysely<Database> | Trx;

/** The levels of the security classification whose details only the entitled receive. */
const classifiedLevels: ReadonlySet<string> = new Set(['rahasia', 'sangat_rahasia']);
const frontOfficeRoles: ReadonlySet<string> = new Set(['admin_kantor', 'operator_utama']);
export const classifiedPlaceholderSubject = 'Surat rahasia';

/** Whether a letter's details are only for those entitled to them. */
export function isClassified(letter: Pick<LetterData, 'security'>): boolean {
  return classifiedLevels.has(letter.security);
}

/** What a person not entitled to a classified letter sees of it. */
export function placeholderOf(letter: LetterData): LetterData {
  return { ...letter, letterNumber: '', sender: '', addressee: '', subject: classifiedPlaceholderSubject, summary: '', attachments: [], voidReason: null };
}

/**
 * Which of `letters` (classified letters of, or delivered to, the user's office) `user` is entitled to
 * read at `at`. One or two indexed reads; none when the user is of the front office.
 */
export async function entitledLetters(db: Db, user: CurrentUser, letters: readonly Pick<LetterData, 'id' | 'createdBy'>[], at: string): Promise<Set<string>> {
  const ids = letters.map((l) => l.id);
  if (!user.officeId || letters.length === 0) return new Set();
  if (frontOfficeRoles.has(user.role)) return new Set(ids);
  const entitled = new Set(letters.filter((l) => l.createdBy === user.id).map((l) => l.id));
  const held = (await heldPositions(db, user.id, at)).filter((h) => h.officeId === user.officeId).map((h) => h.positionId);
  if (held.length === 0) return entitled;
  const head = await db.selectFrom('positions').select('id').where('id', 'in', held).where('is_head', '=', 1).executeTakeFirst();
  if (head) return new Set(ids);
  const disposed = await db.selectFrom('dispositions').leftJoin('disposition_recipients', 'disposition_recipients.disposition_id', 'dispositions.id')
    .select('dispositions.letter_id').distinct()
    .where('dispositions.office_id', '=', user.officeId).where('dispositions.letter_id', 'in', ids).where('dispositions.cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('dispositions.from_position_id', 'in', held), eb('disposition_recipients.position_id', 'in', held)])).execute();
  for (const d of disposed) entitled.add(d.letter_id);
  return entitled;
}

/** The letter a feed row carries, if any: a letter row's own, or the letter inside a delivery. */
function letterIn(change: Change): LetterData | undefined {
  if (change.entity === 'letter') return change.data;
  if (change.entity === 'delivery') return change.data.letter;
  return undefined;
}

/** A page of the office's change feed as `user` may receive it: classified letters they are not entitled to as placeholders. */
export async function feedForReader(db: Db, user: CurrentUser, changes: Change[], at: string): Promise<Change[]> {
  const classified = changes.flatMap((c) => { const l = letterIn(c); return l && isClassified(l) ? [l] : []; });
  if (classified.length === 0) return changes;
  const entitled = await entitledLetters(db, user, classified, at);
  return changes.map((c) => {
    const letter = letterIn(c);
    if (!letter || !isClassified(letter) || entitled.has(letter.id)) return c;
    if (c.entity === 'letter') return { ...c, data: placeholderOf(c.data) };
    if (c.entity === 'delivery') return { ...c, data: { ...c.data, letter: placeholderOf(c.data.letter) } };
    return c;
  });
}

/**
 * Whether `user` may read the blob `sha256`, which their office may read: refused when every letter
 * of (or delivered to) the office carrying it is classified and the user is entitled to none of them.
 * A blob no letter carries (a draft's or a report's attachment) is the office's as before.
 */
export async function mayReadClassifiedScan(db: Db, user: CurrentUser, sha256: string, at: string): Promise<boolean> {
  if (!user.officeId) return false;
  const officeId = user.officeId;
  const carriers = await db.selectFrom('letter_attachments').innerJoin('letters', 'letters.id', 'letter_attachments.letter_id')
    .leftJoin('deliveries', (j) => j.onRef('deliveries.letter_id', '=', 'letters.id').on('deliveries.to_office_id', '=', officeId))
    .select(['letters.id', 'letters.security', 'letters.created_by'])
    .where('letter_attachments.sha256', '=', sha256)
    .where((eb) => eb.or([eb('letters.office_id', '=', officeId), eb('deliveries.to_office_id', '=', officeId)])).execute();
  const classified = carriers.filter((l) => classifiedLevels.has(l.security));
  if (classified.length === 0 || classified.length < carriers.length) return true;
  return (await entitledLetters(db, user, classified.map((l) => ({ id: l.id, createdBy: l.created_by })), at)).size > 0;
}

