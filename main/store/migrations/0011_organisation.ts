// Schema v11: the office's structure as the desk keeps it from the server (GET /org), so the
// positions, who holds them and the allowed disposition routes are at hand offline: disposing a
// letter, the to-do of the person signed in, names in a letter's trail. Replaced whole on each
// refresh; the server is the truth. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 11,
  name: 'organisation',
  up(db) {
    db.exec(`
      CREATE TABLE org_positions (
        id         TEXT PRIMARY KEY NOT NULL,
        office_id  TEXT NOT NULL,
        unit_id    TEXT NOT NULL,
        parent_id  TEXT,
        title      TEXT NOT NULL,
        level      TEXT NOT NULL,
        sort_order INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE org_holdings (
        id          TEXT PRIMARY KEY NOT NULL,
        position_id TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        full_name   TEXT NOT NULL,
        capacity    TEXT NOT NULL,
        starts_at   TEXT NOT NULL,
        ends_at     TEXT
      ) STRICT;
      CREATE INDEX org_holdings_user ON org_holdings (user_id);
      CREATE TABLE org_routes (
        from_position_id TEXT NOT NULL,
        to_position_id   TEXT NOT NULL,
        PRIMARY KEY (from_position_id, to_position_id)
      ) STRICT;
    `);
  },
};
export default migration;
