// Schema v4: the signatures made at this desk — which letter, which certificate, over which
// document, at which PAdES level — and, for a letter signed while the timestamp authority was out
// of reach (B-B), its pending upgrade to B-T. Landed: never edit.
import type { Migration } from '../migrate.ts';

const schema = `
CREATE TABLE signatures (
  id                      TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  letter_id               TEXT NOT NULL REFERENCES letters (id),
  -- the signed PDF now in the blob store, and the document it was made from
  document_hash           TEXT NOT NULL REFERENCES documents (hash),
  unsigned_hash           TEXT NOT NULL CHECK (length(unsigned_hash) = 64),
  certificate_fingerprint TEXT NOT NULL CHECK (length(certificate_fingerprint) = 64),
  signer_name             TEXT NOT NULL,
  level                   TEXT NOT NULL CHECK (level IN ('B-B', 'B-T', 'B-LT')),
  signed_at               TEXT NOT NULL,
  -- timestamp upgrade of a B-B signature: tries so far and the last reason it failed
  upgrade_attempts        INTEGER NOT NULL DEFAULT 0 CHECK (upgrade_attempts >= 0),
  upgrade_error           TEXT,
  updated_at              TEXT NOT NULL
) STRICT;
CREATE INDEX signatures_letter ON signatures (letter_id);
CREATE INDEX signatures_awaiting_timestamp ON signatures (signed_at) WHERE level = 'B-B';
`;

const migration: Migration = {
  version: 4,
  name: 'signatures',
  up(db) {
    db.exec(schema);
  },
};
export default migration;
