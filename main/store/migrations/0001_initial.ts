// Schema v1: letters (incoming and outgoing agenda), their documents, the outbox, settings and
// the hash-chained audit log, with a full-text index over the letters' text. Landed: never edit.
import type { Migration } from '../migrate.ts';

const schema = `
CREATE TABLE documents (
  hash          TEXT PRIMARY KEY NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
  media_type    TEXT NOT NULL CHECK (media_type GLOB '?*/?*'),
  page_count    INTEGER CHECK (page_count >= 1),
  byte_size     INTEGER NOT NULL CHECK (byte_size >= 0),
  original_name TEXT,
  created_at    TEXT NOT NULL
) STRICT;

-- seq is the letter's local row number: FTS5 external content needs a stable integer rowid, and
-- VACUUM may renumber the implicit rowid of a table without an INTEGER PRIMARY KEY. The letter's
-- identity everywhere else (sync, references, UI) is id, a UUIDv7.
-- status is checked for shape only: the workflow's status list lives in letters.ts, so adding a
-- status never needs a table rebuild.
CREATE TABLE letters (
  seq                 INTEGER PRIMARY KEY,
  id                  TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  direction           TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  status              TEXT NOT NULL CHECK (status <> '' AND status NOT GLOB '*[^a-z_]*'),
  agenda_number       INTEGER CHECK (agenda_number >= 1),
  agenda_year         INTEGER CHECK (agenda_year BETWEEN 1900 AND 9999),
  received_date       TEXT CHECK (date(received_date) IS received_date),
  letter_number       TEXT CHECK (trim(letter_number) <> ''),
  letter_date         TEXT CHECK (date(letter_date) IS letter_date),
  sender              TEXT NOT NULL DEFAULT '',
  addressee           TEXT NOT NULL DEFAULT '',
  subject             TEXT NOT NULL CHECK (trim(subject) <> ''),
  summary             TEXT NOT NULL DEFAULT '',
  urgency             TEXT NOT NULL DEFAULT 'biasa' CHECK (urgency IN ('biasa', 'segera', 'sangat_segera')),
  security            TEXT NOT NULL DEFAULT 'biasa' CHECK (security IN ('biasa', 'terbatas', 'rahasia')),
  classification_code TEXT CHECK (classification_code GLOB '[0-9]*' AND classification_code NOT GLOB '*[^0-9.]*'),
  document_type       TEXT CHECK (document_type <> ''),
  attachment_count    INTEGER NOT NULL DEFAULT 0 CHECK (attachment_count >= 0),
  document_hash       TEXT REFERENCES documents (hash),
  ocr_text            TEXT,
  signer_user_id      TEXT,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  CHECK ((agenda_number IS NULL) = (agenda_year IS NULL)),
  -- an incoming letter is registered with the day it arrived and who sent it
  CHECK (direction = 'outgoing' OR (received_date IS NOT NULL AND trim(sender) <> ''))
) STRICT;

-- The same agenda number is never given twice within a year's register.
CREATE UNIQUE INDEX letters_agenda ON letters (direction, agenda_year, agenda_number) WHERE agenda_number IS NOT NULL;
CREATE INDEX letters_incoming_received ON letters (received_date) WHERE direction = 'incoming';
CREATE INDEX letters_direction_status ON letters (direction, status);
CREATE INDEX letters_document ON letters (document_hash) WHERE document_hash IS NOT NULL;

CREATE VIRTUAL TABLE letters_fts USING fts5 (
  letter_number, subject, sender, addressee, summary, ocr_text,
  content = 'letters', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER letters_fts_insert AFTER INSERT ON letters BEGIN
  INSERT INTO letters_fts (rowid, letter_number, subject, sender, addressee, summary, ocr_text)
  VALUES (new.seq, new.letter_number, new.subject, new.sender, new.addressee, new.summary, new.ocr_text);
END;

CREATE TRIGGER letters_fts_delete AFTER DELETE ON letters BEGIN
  INSERT INTO letters_fts (letters_fts, rowid, letter_number, subject, sender, addressee, summary, ocr_text)
  VALUES ('delete', old.seq, old.letter_number, old.subject, old.sender, old.addressee, old.summary, old.ocr_text);
END;

CREATE TRIGGER letters_fts_update AFTER UPDATE OF seq, letter_number, subject, sender, addressee, summary, ocr_text ON letters BEGIN
  INSERT INTO letters_fts (letters_fts, rowid, letter_number, subject, sender, addressee, summary, ocr_text)
  VALUES ('delete', old.seq, old.letter_number, old.subject, old.sender, old.addressee, old.summary, old.ocr_text);
  INSERT INTO letters_fts (rowid, letter_number, subject, sender, addressee, summary, ocr_text)
  VALUES (new.seq, new.letter_number, new.subject, new.sender, new.addressee, new.summary, new.ocr_text);
END;

-- Transactional outbox: written in the same transaction as the change it carries (DESIGN.md).
CREATE TABLE outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  mutation_id TEXT NOT NULL UNIQUE CHECK (length(mutation_id) = 36),
  entity      TEXT NOT NULL CHECK (entity <> ''),
  entity_id   TEXT NOT NULL CHECK (entity_id <> ''),
  op          TEXT NOT NULL CHECK (op <> ''),
  payload     TEXT NOT NULL CHECK (json_valid(payload)),
  created_at  TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_progress', 'failed', 'rejected', 'done')),
  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error  TEXT
) STRICT;
CREATE INDEX outbox_state ON outbox (state, seq);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY NOT NULL,
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL CHECK (actor <> ''),
  action    TEXT NOT NULL CHECK (action <> ''),
  entity    TEXT NOT NULL CHECK (entity <> ''),
  entity_id TEXT,
  details   TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;

-- The app only ever appends. These triggers stop a bug from rewriting history; they do not stop
-- someone with the file (they can drop them), which is what the hash chain is for.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The newest entry's seq and hash, updated with every append: lets the verifier see a cut-off tail.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL CHECK (seq >= 0),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');
`;

const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(schema);
  },
};
export default migration;
