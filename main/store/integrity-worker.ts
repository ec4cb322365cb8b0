// The worker thread of the data file's full integrity check (health.ts fullCheck): its own read-only
// connection, so the check never waits on the desk's writes nor holds the main thread.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file } = workerData as { file: string };
try {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
    const found = rows.map((r) => r.integrity_check);
    parentPort!.postMessage({ problems: found.length === 1 && found[0] === 'ok' ? [] : found });
  } finally {
    db.close();
  }
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
