// Schema v10: a signature keeps the signer's position as its stamp shows it, so the letter's public
// verification page can name it (the signature reaches the server as signature.record). Signatures
// made before have none (''). Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 10,
  name: 'signer_position',
  up(db) {
    db.exec("ALTER TABLE signatures ADD COLUMN signer_position TEXT NOT NULL DEFAULT ''");
  },
};
export default migration;
