// Schema v16: the versions of the office's kop and templates this desk has received from the change feed,
// each kept whole with its logo's bytes once they are downloaded, so drafts render with the version they
// were started with, offline too. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 16,
  name: 'naskah_versions',
  up(db) {
    db.exec(`
      CREATE TABLE naskah_versions (
        id          TEXT PRIMARY KEY,
        office_id   TEXT NOT NULL,
        version     INTEGER NOT NULL,
        letterhead  TEXT NOT NULL,
        templates   TEXT NOT NULL,
        logo        BLOB,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX naskah_versions_office ON naskah_versions (office_id, version);
    `);
  },
};
export default migration;
