// Schema v15: the outgoing letter a signer's desk made from a draft once its paraf chain was complete
// (rendered from the last version), so the letter is made once and its signing is reported back to
// the draft's chain. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 15,
  name: 'paraf_letters',
  up(db) {
    db.exec(`
      CREATE TABLE paraf_letters (
        draft_id   TEXT PRIMARY KEY,
        letter_id  TEXT NOT NULL UNIQUE REFERENCES letters(id),
        version    INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
export default migration;
