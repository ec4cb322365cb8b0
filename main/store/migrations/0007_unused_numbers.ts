// Schema v7: a leased block of agenda numbers remembers when its numbers the desk never gave were
// reported back to the server (after the year ended), so they are reported once and the server can
// retire them (POST /numbering/unused). Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 7,
  name: 'unused_numbers',
  up(db) {
    db.exec('ALTER TABLE agenda_blocks ADD COLUMN unused_reported_at TEXT;');
  },
};
export default migration;
