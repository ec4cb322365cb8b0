// The office's time zone on its record (set by its admin kantor: server/org/office-time-zone.ts),
// read wherever the server words a time for a person of the office (a refused signature, the
// verification page). An office never set is in WIB.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { OfficeTimeZoneSchema, type OfficeTimeZone } from '../../common/ipc/app.ts';

export const defaultOfficeTimeZone: OfficeTimeZone = 'Asia/Jakarta';

/** The zone on the office's record; null when its admin never set one. */
export function recordedTimeZone(value: string | null | undefined): OfficeTimeZone | null {
  const parsed = OfficeTimeZoneSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The zone `officeId` shows its times in. */
export async function officeTimeZone(db: Kysely<Database>, officeId: string): Promise<OfficeTimeZone> {
  const row = await db.selectFrom('offices').select('time_zone').where('id', '=', officeId).executeTakeFirst();
  return recordedTimeZone(row?.time_zone) ?? defaultOfficeTimeZone;
}
