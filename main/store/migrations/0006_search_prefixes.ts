// Schema v6: the agenda search answers from indexes at any register size (bench/search, 1 M letters).
// - letters_fts gains prefix indexes for 4 to 8 characters: FTS5 answers a prefix query of an
//   indexed length straight from its index, newest first, stopping at the list's limit; any other
//   prefix ("dinas"*) first merges the doclists of every term it covers (tens of milliseconds for a
//   common word at 1 M letters). A longer word is searched by its first 8 characters and checked
//   (main/store/search-words.ts). The table is rebuilt from the letters once.
// - letters_received_days keeps, per received date, the lowest and highest seq of the incoming
//   letters received that day, so a search with a date range can hand FTS5 a rowid range instead of
//   walking every match newer than the range. The bounds only ever widen (an edited date or a removed
//   letter leaves them wider than needed, never narrower), so they stay a superset; the date filter
//   itself is still applied to every row.
// Landed: never edit.
import type { Migration } from '../migrate.ts';

const schema = `
DROP TABLE letters_fts;
CREATE VIRTUAL TABLE letters_fts USING fts5 (
  letter_number, subject, sender, addressee, summary, ocr_text,
  content = 'letters', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6 7 8'
);
INSERT INTO letters_fts (letters_fts) VALUES ('rebuild');

CREATE TABLE letters_received_days (
  received_date TEXT PRIMARY KEY NOT NULL,
  first_seq     INTEGER NOT NULL,
  last_seq      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO letters_received_days (received_date, first_seq, last_seq)
  SELECT received_date, min(seq), max(seq) FROM letters WHERE direction = 'incoming' GROUP BY received_date;

CREATE TRIGGER letters_received_days_insert AFTER INSERT ON letters WHEN new.direction = 'incoming' BEGIN
  INSERT INTO letters_received_days (received_date, first_seq, last_seq) VALUES (new.received_date, new.seq, new.seq)
  ON CONFLICT (received_date) DO UPDATE SET first_seq = min(first_seq, excluded.first_seq), last_seq = max(last_seq, excluded.last_seq);
END;
CREATE TRIGGER letters_received_days_update AFTER UPDATE OF received_date, direction, seq ON letters WHEN new.direction = 'incoming' BEGIN
  INSERT INTO letters_received_days (received_date, first_seq, last_seq) VALUES (new.received_date, new.seq, new.seq)
  ON CONFLICT (received_date) DO UPDATE SET first_seq = min(first_seq, excluded.first_seq), last_seq = max(last_seq, excluded.last_seq);
END;
`;

const migration: Migration = {
  version: 6,
  name: 'search_prefixes',
  up(db) {
    db.exec(schema);
  },
};
export default migration;
