// Schema v2: what registering incoming letters needs beyond v1 — the rendered agenda number as the
// agency's template wrote it, the PDF made from an imported image and the OCR text of a document,
// the office's archival classification list (seeded from resources/, editable by the admin), and
// the blocks of agenda numbers this desk holds. Landed: never edit.
import type { Migration } from '../migrate.ts';

const schema = `
-- The agenda number as printed (e.g. 0042/UMUM/2026): frozen at registration, because the agency
-- may change its template later and a number written on paper must never change.
ALTER TABLE letters ADD COLUMN agenda_label TEXT CHECK (agenda_label IS NULL OR trim(agenda_label) <> '');

-- An imported JPEG/PNG/TIFF is kept as it came and wrapped into a PDF; the row of the original
-- points at that PDF, so the same image imported again is recognised as the same letter.
ALTER TABLE documents ADD COLUMN pdf_hash TEXT REFERENCES documents (hash);
-- Page 1's OCR text, kept with the document so registration copies it into the letter for search.
ALTER TABLE documents ADD COLUMN ocr_text TEXT;

-- Duplicate warnings look letters up by their own number (same sender + same number).
CREATE INDEX letters_incoming_number ON letters (letter_number COLLATE NOCASE) WHERE direction = 'incoming' AND letter_number IS NOT NULL;
-- Sender autocomplete and the agenda book.
CREATE INDEX letters_incoming_sender ON letters (sender COLLATE NOCASE) WHERE direction = 'incoming';
CREATE INDEX letters_incoming_agenda ON letters (agenda_year, agenda_number) WHERE direction = 'incoming';

CREATE TABLE classifications (
  code       TEXT PRIMARY KEY NOT NULL CHECK (code GLOB '[0-9]*' AND code NOT GLOB '*[^0-9.]*'),
  name       TEXT NOT NULL CHECK (trim(name) <> ''),
  updated_at TEXT NOT NULL
) STRICT;

-- Blocks of agenda sequence numbers leased to this desk (sync issue). No rows = a standalone desk,
-- which owns an unbounded block of every year.
CREATE TABLE agenda_blocks (
  year      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  first     INTEGER NOT NULL CHECK (first >= 1),
  last      INTEGER CHECK (last IS NULL OR last >= first),
  leased_at TEXT NOT NULL,
  PRIMARY KEY (year, first)
) STRICT;
`;

const migration: Migration = {
  version: 2,
  name: 'incoming_registration',
  up(db) {
    db.exec(schema);
  },
};
export default migration;
