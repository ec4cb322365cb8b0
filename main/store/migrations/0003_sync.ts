// Schema v3: what the desk needs to synchronise with the central server and to let a person sign in
// while it is offline. Landed: never edit.
import type { Migration } from '../migrate.ts';

const schema = `
-- Small facts of this desk's sync: its device id (registered with the server at the first login)
-- and the cursor of the change feed. JSON values.
CREATE TABLE sync_meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

-- People who signed in online on this desk: who they are (as the server said) and a scrypt
-- verifier of their password — never the password — so they can sign in while the server is away.
CREATE TABLE desk_accounts (
  username      TEXT PRIMARY KEY NOT NULL CHECK (username <> ''),
  profile       TEXT NOT NULL CHECK (json_valid(profile)),
  verifier      TEXT NOT NULL CHECK (verifier GLOB 'scrypt$*'),
  last_login_at TEXT NOT NULL
) STRICT;

-- Letters the server has registered, so later changes to them go as updates, not registrations.
CREATE TABLE server_letters (
  letter_id     TEXT PRIMARY KEY NOT NULL CHECK (length(letter_id) = 36),
  registered_at TEXT NOT NULL
) STRICT;

-- The change feed as pulled: what other desks and offices did that this desk may see, newest
-- version of each entity. The cursor in sync_meta moves in the same transaction.
CREATE TABLE remote_entities (
  entity      TEXT NOT NULL CHECK (entity <> ''),
  entity_id   TEXT NOT NULL CHECK (entity_id <> ''),
  seq         INTEGER NOT NULL CHECK (seq >= 1),
  data        TEXT NOT NULL CHECK (json_valid(data)),
  received_at TEXT NOT NULL,
  PRIMARY KEY (entity, entity_id)
) STRICT;
`;

const migration: Migration = {
  version: 3,
  name: 'sync',
  up(db) {
    db.exec(schema);
  },
};
export default migration;
