// The office's record on a desk with a server: its time zone comes from the server (set by the
// admin kantor, sent down the change feed) and replaces the desk's own setting, so every desk of the
// office shows and prints the same times; the admin kantor's change in Pengaturan is kept in the
// outbox until the server has it. A standalone desk keeps its own setting.
import type { OfficeTimeZone } from '../../common/dates.ts';
import type { EntryOf, OutboxPlan } from '../store/outbox.ts';
import type { Store } from '../store/store.ts';

export function planOfficeRecord(entry: EntryOf<'office'>): OutboxPlan {
  return { kind: 'send', mutation: { id: entry.mutationId, kind: 'office.time_zone', payload: entry.payload }, blobs: [] };
}

/** The admin kantor chose the office's zone on this desk: shown here at once, sent to the server with the change. */
export function setOfficeTimeZone(store: Store, officeId: string, timeZone: OfficeTimeZone, actor: string): void {
  store.transaction(() => {
    store.settings.update({ timeZone }, actor);
    store.outbox.append({ entity: 'office', entityId: officeId, op: 'time_zone', payload: { timeZone } });
  });
}

/**
 * After a pull, the office's record as the feed last brought it: its zone becomes this desk's. Answers
 * whether the desk's settings changed. A change of the zone still on its way from this desk is not
 * overwritten by an older record; one the server refused gives way to the office's zone (the refusal
 * waits in Antrian Sinkron with its reason).
 */
export function adoptOfficeRecord(store: Store, officeId: string): boolean {
  const record = store.sync.remote('office', officeId);
  if (record === undefined) return false;
  if (store.sync.queue().some((e) => e.entity === 'office' && e.state !== 'rejected')) return false;
  if (store.settings.get().timeZone === record.timeZone) return false;
  store.settings.update({ timeZone: record.timeZone }, 'system:sync');
  return true;
}
