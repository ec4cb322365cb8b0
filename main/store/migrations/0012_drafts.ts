// Schema v12: outgoing letters drafted at the desk (Konsep): the template's type, the fields and
// body as JSON (common/ipc/drafting.ts), the PDFs appended as lampiran by hash, a version that grows
// with every save, and the outgoing letter it became once submitted for signature.
// Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 12,
  name: 'drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        id          TEXT PRIMARY KEY,
        type        TEXT NOT NULL,
        subject     TEXT NOT NULL DEFAULT '',
        content     TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',
        status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
        letter_id   TEXT REFERENCES letters(id),
        author      TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX drafts_author ON drafts (author, updated_at);
    `);
  },
};
export default migration;
