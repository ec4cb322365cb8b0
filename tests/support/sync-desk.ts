// A desk for sync tests, without the UI: its real local store, its real blob store, and the real
// sync capability (sign-in, engine, handlers) pointed at a test server over TLS. Letters are
// registered the way the front office does it — a scan stored by its hash, the letter with the
// number from a leased block, its outbox mutation in the same transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventBus } from '../../main/app/events.ts';
import { createLogger } from '../../common/logger.ts';
import { createBlobStore, type BlobStore } from '../../main/documents/blob-store.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import type { Letter } from '../../main/store/letters.ts';
import { createDeskSync, type DeskSync } from '../../main/sync/desk-sync.ts';
import { fileKeychain } from '../../main/auth/keychain.ts';
import { keychainAuditKeys } from '../../main/audit/key.ts';

/**
 * "Meja uji 482915": a name per data folder, in digits so that no random suffix ever reads as an
 * internal identifier ("iZcFnI") or an English word to the words check of the screens showing it.
 */
const deskNameFor = (dir: string) => `Meja uji ${[...dir.slice(-6)].map((c) => (c.codePointAt(0) ?? 0) % 10).join('')}`;

export interface TestDesk {
  dir: string;
  store: Store;
  blobs: BlobStore;
  sync: DeskSync;
  /** Registers an incoming letter with a scan of `pdfBytes` bytes under agenda number `agendaNumber`. */
  register(agendaNumber: number, options?: { pdfBytes?: number; year?: number; subject?: string; letterNumber?: string | null }): Promise<Letter>;
  close(): Promise<void>;
}

/** `keyed`: the activity log chained under a key in the desk's keychain file, as createCore does. */
export async function startTestDesk(options: { serverUrl: string; caFile: string; dir?: string; keyed?: boolean }): Promise<TestDesk> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'loket-desk-'));
  const log = createLogger({ level: 'error' });
  const store = openStore(join(dir, 'loket.db'), { log, ...(options.keyed ? { auditKeys: keychainAuditKeys(fileKeychain(join(dir, 'keychain.json'))) } : {}) });
  store.settings.update({ serverUrl: options.serverUrl, deskName: deskNameFor(dir) }, 'test');
  const blobs = createBlobStore(join(dir, 'documents'), { log });
  const sync = createDeskSync({ dataDir: dir, store, bus: createEventBus(log), log, settings: () => store.settings.get(), serverCaFile: options.caFile, allowPlainLoopback: false });
  let counter = 0;
  return {
    dir,
    store,
    blobs,
    sync,
    async register(agendaNumber, o = {}) {
      counter++;
      const bytes = Buffer.concat([Buffer.from(`%PDF-1.7\n% surat ${agendaNumber} ${dir} ${counter}\n`), Buffer.alloc(Math.max(0, (o.pdfBytes ?? 4096) - 64), agendaNumber % 251)]);
      const { hash } = await blobs.put(bytes);
      return store.transaction(() => {
        store.documents.upsert({ hash, mediaType: 'application/pdf', byteSize: bytes.length });
        return store.letters.create({
          direction: 'incoming', status: 'registered', agendaNumber, agendaYear: o.year ?? 2026, receivedDate: '2026-03-02',
          letterNumber: o.letterNumber === undefined ? `800/${agendaNumber}/PKM/2026` : o.letterNumber, letterDate: '2026-02-27',
          sender: 'Puskesmas Kecamatan Utara', subject: o.subject ?? `Permohonan tambahan vaksin ${agendaNumber}`, documentHash: hash,
        }, 'test');
      });
    },
    async close() {
      await sync.close();
      store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
