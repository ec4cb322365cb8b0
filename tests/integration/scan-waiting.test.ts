// Scans saved but not registered survive a restart: a clerk scans two letters, saves them, and the
// desk is closed before they are registered. Opened again, Pindai lists both from the store with
// "Catat" and "Buang"; one registered leaves the list, one discarded leaves it too (its file kept,
// the activity log saying who discarded it), and a later scan waits alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import { createBlobStore, type BlobStore } from '../../main/documents/blob-store.ts';
import { createRouter, type Handlers, type Router } from '../../main/ipc/router.ts';
import { scanHandlers } from '../../main/scan/handlers.ts';
import { createScannerList } from '../../main/scan/scanner-list.ts';
import { createTransfers } from '../../main/documents/transfers.ts';
import { createPagePipeline } from '../../main/scan/pipeline/pipeline.ts';
import { createNetworkScanners } from '../../main/scan/network-scanners.ts';
import { createScanDesk, type ScanDesk } from '../../main/scan/session.ts';
import { openStore, type Store } from '../../main/store/store.ts';
import { useSaneTestBackend } from '../support/sane-test-backend.ts';

const backend = useSaneTestBackend();
const pipeline = createPagePipeline();
const ctx = { origin: 'test' } as const;
let host: DeviceWorkerHost;
let dir: string;
let blobs: BlobStore;

beforeAll(async () => {
  host = new DeviceWorkerHost({ spawner: forkSpawner, log: collectingLogger(), heartbeatIntervalMs: 200, restartBackoffMs: 20, env: { LOKET_DEVICE_FAULTS: '1' } });
  await host.start();
  dir = mkdtempSync(join(tmpdir(), 'loket-scan-waiting-'));
  blobs = createBlobStore(join(dir, 'documents'));
});
afterAll(async () => {
  await host.stop();
  await pipeline.close();
  rmSync(dir, { recursive: true, force: true });
  backend.cleanup();
});

/** The desk as it starts: its store, its scan session and Pindai's channels. */
function openDesk(): { store: Store; desk: ScanDesk; router: Router; close(): Promise<void> } {
  const store = openStore(join(dir, 'loket.db'));
  const desk = createScanDesk({ devices: host, pipeline, blobs, store, pagesDir: join(dir, 'scan-sessions'), emit: () => undefined, actor: () => 'meja:uji', log: collectingLogger() });
  const transfers = createTransfers(join(dir, 'transfers'), collectingLogger());
  const handlers = scanHandlers({ desk, store, network: createNetworkScanners({ store, actor: () => 'meja:uji', mayAdminister: () => true }), scanners: createScannerList({ list: () => desk.listDevices(), onEvent: (l) => host.onEvent(l), changed: () => undefined, log: collectingLogger() }), transfers, actor: () => 'meja:uji' });
  return {
    store, desk, router: createRouter(handlers as Handlers, collectingLogger()),
    async close() {
      await desk.idle();
      await transfers.close();
      store.close();
    },
  };
}

async function scanAndSave(desk: ScanDesk, pictures: ('Grid' | 'Color pattern')[]): Promise<string[]> {
  for (const picture of pictures) {
    await host.request('scanner.testOptions', { device: 'sane:test:0', options: { 'test-picture': picture } });
    await desk.start({ device: 'sane:test:0', settings: { source: 'flatbed', mode: 'gray', resolution: 100, paperSize: 'a4' }, placement: { kind: 'append' } });
    await desk.idle();
  }
  for (const page of desk.snapshot().pages.slice(1)) desk.setStartsLetter(page.id, true);
  return (await desk.save()).map((l) => l.documentId);
}

describe('letters saved from scans, waiting to be registered', () => {
  it('are listed after a restart, until registered or discarded', async () => {
    const first = openDesk();
    const [grid, colour] = await scanAndSave(first.desk, ['Grid', 'Color pattern']);
    expect(grid).toBeDefined();
    expect(colour).toBeDefined();
    await first.close();

    // The desk starts again: both wait, oldest first.
    let d = openDesk();
    const listed = await d.router.call('scan.waiting', {}, ctx);
    expect(listed.ok && listed.value.letters.map((l) => [l.documentId, l.pageCount])).toEqual([[grid, 1], [colour, 1]]);

    // One is registered: it leaves the list.
    d.store.letters.create({ direction: 'incoming', status: 'registered', agendaNumber: 1, agendaYear: 2026, receivedDate: '2026-12-05', sender: 'Bappeda', subject: 'Undangan', documentHash: grid! }, 'meja:uji');
    // The other is discarded, with the activity log saying so; its file is kept.
    const discarded = await d.router.call('scan.waiting.discard', { documentId: colour! }, ctx);
    expect(discarded.ok && discarded.value.letters).toEqual([]);
    expect(d.store.audit.list().filter((e) => e.action === 'scan.discarded').map((e) => [e.entityId, e.actor])).toEqual([[colour, 'meja:uji']]);
    expect(await blobs.read(colour!)).toBeInstanceOf(Buffer);
    // Discarding it twice is refused in words, changing nothing.
    const again = await d.router.call('scan.waiting.discard', { documentId: colour! }, ctx);
    expect(again.ok ? null : again.error.message).toBe('Surat hasil pindai ini sudah tidak menunggu dicatat (sudah dicatat atau sudah dibuang).');
    await d.close();

    // After another restart nothing waits; a new scan saved waits beside nothing else.
    d = openDesk();
    const after = await d.router.call('scan.waiting', {}, ctx);
    expect(after.ok && after.value.letters).toEqual([]);
    const [next] = await scanAndSave(d.desk, ['Grid']);
    expect(d.store.documents.waitingScans().map((w) => w.hash)).toEqual([next]);
    await d.close();
  }, 120_000);
});
