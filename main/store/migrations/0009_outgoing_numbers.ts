// Schema v9: the desk holds leased blocks of both agenda books — incoming ('in') and outgoing
// ('out', numbered when a letter is signed). The server numbers each book from 1, so a block is
// keyed by its book too; the table is rebuilt for that key. Blocks held before are incoming ones.
// Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 9,
  name: 'outgoing_numbers',
  up(db) {
    db.exec(`
      CREATE TABLE agenda_blocks_by_book (
        book               TEXT NOT NULL DEFAULT 'in' CHECK (book IN ('in', 'out')),
        year               INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
        first              INTEGER NOT NULL CHECK (first >= 1),
        last               INTEGER CHECK (last IS NULL OR last >= first),
        leased_at          TEXT NOT NULL,
        lease_id           TEXT,
        unused_reported_at TEXT,
        PRIMARY KEY (book, year, first)
      ) STRICT;
      INSERT INTO agenda_blocks_by_book (book, year, first, last, leased_at, lease_id, unused_reported_at)
        SELECT 'in', year, first, last, leased_at, lease_id, unused_reported_at FROM agenda_blocks;
      DROP TABLE agenda_blocks;
      ALTER TABLE agenda_blocks_by_book RENAME TO agenda_blocks;
      CREATE UNIQUE INDEX agenda_blocks_lease ON agenda_blocks (lease_id) WHERE lease_id IS NOT NULL;
    `);
  },
};
export default migration;
