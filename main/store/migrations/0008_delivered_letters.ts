// Schema v8: letters other offices sent to this one through the system (the change feed's
// `delivery` rows) remember which local agenda entry registered them, so a delivered letter is
// offered for registration until it is registered here, and never twice. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 8,
  name: 'delivered_letters',
  up(db) {
    db.exec(`
      CREATE TABLE delivered_letter_registrations (
        delivered_letter_id TEXT PRIMARY KEY NOT NULL CHECK (length(delivered_letter_id) = 36),
        letter_id           TEXT NOT NULL UNIQUE REFERENCES letters (id),
        registered_at       TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
