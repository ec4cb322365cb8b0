// Schema v14: an export of the agenda book is no longer a change to send to the server (the activity
// log records it, and reaches the server with the desk's log). Exports that earlier versions put in
// the outbox are completed here, so Antrian Sinkron and Beranda stop showing them as refused or
// waiting. Landed: never edit.
import type { Migration } from '../migrate.ts';

const migration: Migration = {
  version: 14,
  name: 'agenda_book_exports_local',
  up(db) {
    db.exec("UPDATE outbox SET state = 'done', last_error = NULL WHERE entity = 'agenda_book' AND state <> 'done'");
  },
};
export default migration;
