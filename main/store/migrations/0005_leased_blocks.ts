// Schema v5: a block of agenda numbers leased from the server keeps the server's lease id, so the
// numbers a desk will never use can be reported back (POST /numbering/unused). Blocks held before
// (none were leased yet) keep a null id. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 5,
  name: 'leased_blocks',
  up(db) {
    db.exec(`
      ALTER TABLE agenda_blocks ADD COLUMN lease_id TEXT;
      CREATE UNIQUE INDEX agenda_blocks_lease ON agenda_blocks (lease_id) WHERE lease_id IS NOT NULL;
    `);
  },
};
export default migration;
