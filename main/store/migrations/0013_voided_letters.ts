// Schema v13: a registered letter can be voided (batal, status 'void'): it keeps its row and agenda
// number, and the reason the clerk gave. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 13,
  name: 'voided_letters',
  up(db) {
    db.exec('ALTER TABLE letters ADD COLUMN void_reason TEXT');
  },
};
export default migration;
