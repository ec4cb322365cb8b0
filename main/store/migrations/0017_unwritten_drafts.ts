// Schema v17: a draft just started from its template is version 0 — the template as shipped, nobody's
// text yet — kept on this desk only; the first save is version 1, so the versions a chain compares
// start from what someone wrote. The table is rebuilt for its version check. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 17,
  name: 'unwritten_drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts_from_zero (
        id          TEXT PRIMARY KEY,
        type        TEXT NOT NULL,
        subject     TEXT NOT NULL DEFAULT '',
        content     TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',
        status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
        letter_id   TEXT REFERENCES letters(id),
        author      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 0),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      INSERT INTO drafts_from_zero (id, type, subject, content, attachments, status, letter_id, author, version, created_at, updated_at)
        SELECT id, type, subject, content, attachments, status, letter_id, author, version, created_at, updated_at FROM drafts;
      DROP TABLE drafts;
      ALTER TABLE drafts_from_zero RENAME TO drafts;
      CREATE INDEX drafts_author ON drafts (author, updated_at);
    `);
  },
};
export default migration;
