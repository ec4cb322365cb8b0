// A desk process for crash injection (tests/integration/sync-crash.test.ts): it signs in (resuming
// the session kept on this desk when it can), then registers letters with scans and syncs, in a
// loop, until it is killed — the test kills it with SIGKILL at a random moment. Agenda numbers come
// from the block the test leased for this desk: the next one after the highest used here, given in
// the same transaction as the letter, so a kill can never give a number twice.
//   node tests/support/crash-desk.ts <dataDir> <serverUrl> <caFile> <username> <first> <last> <letters> [--drain]
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { createBlobStore } from '../../main/documents/blob-store.ts';
import { openStore } from '../../main/store/store.ts';
import type { SessionUser } from '../../main/auth/session.ts';
import { createDeskSync } from '../../main/sync/desk-sync.ts';
import { demoPassword } from '../../server/demo/seed.ts';

const [dataDir, serverUrl, caFile, username, firstArg, lastArg, lettersArg, flag] = process.argv.slice(2) as [string, string, string, string, string, string, string, string?];
const first = Number(firstArg);
const last = Number(lastArg);
const log = createLogger({ level: 'error' });
const store = openStore(join(dataDir, 'loket.db'), { log });
store.settings.update({ serverUrl }, 'test');
const blobs = createBlobStore(join(dataDir, 'documents'), { log });
const sync = createDeskSync({ dataDir, store, bus: createEventBus(log), log, settings: () => store.settings.get(), serverCaFile: caFile, allowPlainLoopback: false });

// The person is still signed in from the previous run (a restarted desk): resume with the refresh
// token kept here; if that token was lost in a crash mid-rotation, sign in again with the password.
const account = store.sync.account(username);
let resumed = false;
if (account) {
  sync.session.set({ user: account.profile as SessionUser, mode: 'offline', since: new Date().toISOString() });
  resumed = await sync.auth.accessToken().then(() => true, () => false);
}
if (!resumed) await sync.auth.login(username, demoPassword);
process.stdout.write('ready\n');

function nextNumber(): number {
  // Highest number used on this desk so far; the letter insert below runs in the same transaction.
  const used = store.sync.getMeta<number>('crashTest.lastNumber') ?? first - 1;
  return used + 1;
}

for (let i = 0; i < Number(lettersArg); i++) {
  const bytes = Buffer.concat([Buffer.from(`%PDF-1.7\n% ${dataDir} ${Date.now()} ${i}\n`), Buffer.alloc(24_000 + (i % 7) * 1000, i % 251)]);
  const { hash } = await blobs.put(bytes);
  if (hash !== createHash('sha256').update(bytes).digest('hex')) throw new Error('blob store hashed differently');
  store.transaction(() => {
    const number = nextNumber();
    if (number > last) throw new Error('crash desk ran out of its leased block');
    store.documents.upsert({ hash, mediaType: 'application/pdf', byteSize: bytes.length });
    store.letters.create({
      direction: 'incoming', status: 'registered', agendaNumber: number, agendaYear: 2026, receivedDate: '2026-03-02',
      letterNumber: `800/${number}/UJI/2026`, letterDate: '2026-02-27', sender: 'Desa Uji', subject: `Surat uji crash ${number}`, documentHash: hash,
    }, 'test');
    store.sync.setMeta('crashTest.lastNumber', number);
  });
  await sync.engine.syncNow();
}
if (flag === '--drain') {
  const status = await sync.engine.syncNow();
  process.stdout.write(`${JSON.stringify(status.counts)}\n`);
}
await sync.close();
store.close();
